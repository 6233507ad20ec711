"""The OIT planner (:func:`what_if_oit`): the fewest OIT items to make ready to reach a target total,
found exactly by dynamic programming over the framework's tree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from itadesk.scoring.numbers import _fraction
from itadesk.scoring.plan import Plan, compile_framework
from itadesk.scoring.single import AgencyScore, _aggregate, _build_score, _Exact, _given, _item_values

# --- the OIT planner ----------------------------------------------------------------------------

@dataclass(frozen=True)
class WhatIf:
    """The planner's answer. ``projected``: the scores with the current OIT answers. ``items_to_fix``:
    the fewest OIT items (not yet at their best answer) that, made ready, lift the total to
    ``target`` — among sets of that size the one with the highest total, then the earliest in ITAS
    order; () when the target is already reached. ``reached``: the scores with those items fixed.
    ``best``: every OIT item ready. When the target cannot be reached with OIT alone, ``reachable``
    is False, ``items_to_fix`` is empty and ``gap`` is target − best total."""

    target: float
    projected: AgencyScore
    reachable: bool
    items_to_fix: tuple[str, ...]
    reached: AgencyScore | None
    best: AgencyScore
    gap: float | None

    @property
    def reached_total(self) -> float | None:
        return None if self.reached is None else self.reached.total

    @property
    def best_total(self) -> float | None:
        return self.best.total

    def to_dict(self) -> dict:
        return {"target": self.target, "reachable": self.reachable, "items_to_fix": list(self.items_to_fix),
                "reached_total": self.reached_total, "best_total": self.best_total, "gap": self.gap,
                "projected": self.projected.to_dict(),
                "reached": None if self.reached is None else self.reached.to_dict(), "best": self.best.to_dict()}


_Table = dict[int, Fraction | None]    # switches k → best propagated value (None: no score)


def _combine(children: Sequence[tuple[Fraction, _Table]]) -> dict[int, dict[Fraction, Fraction]]:
    """Knapsack over children (weight, table): k → {present weight → max Σ weight·value}."""
    states: dict[int, dict[Fraction, Fraction]] = {0: {Fraction(0): Fraction(0)}}
    for weight, table in children:
        nxt: dict[int, dict[Fraction, Fraction]] = {}
        for k, by_weight in states.items():
            for kc, vc in table.items():
                slot = nxt.setdefault(k + kc, {})
                for ws, s in by_weight.items():
                    key, val = (ws, s) if vc is None else (ws + weight, s + weight * vc)
                    if key not in slot or val > slot[key]:
                        slot[key] = val
        states = nxt
    return states


def _mean_table(plan: Plan, stage: str, children: Sequence[tuple[Fraction, _Table]]) -> _Table:
    """k → the highest propagated value of a (weighted) mean node with k switches below it."""
    out: _Table = {}
    rnd = plan.rounding
    for k, by_weight in _combine(children).items():
        best = None
        for ws, s in by_weight.items():
            if ws == 0:
                continue
            v = s / ws
            if stage in rnd.stages:
                v = Fraction(rnd.quantize(v))
            if best is None or v > best:
                best = v
        out[k] = best
    return out


def _plan_totals(plan: Plan, current: Sequence[Fraction | None], choices: Mapping[int, tuple[int, ...]],
                 fixed_components: Fraction) -> dict[int, Fraction | None]:
    """k → the highest exact (unrounded) total reachable with exactly k switched OIT items.
    ``choices[i]`` are the allowed switch counts (0, 1) of candidate item i; other items stay."""
    rnd = plan.rounding

    def item_table(i: int) -> _Table:
        out: _Table = {}
        for k in choices.get(i, (0,)):
            v = plan.items[i].best if k else current[i]
            if v is not None and "item" in rnd.stages:
                v = Fraction(rnd.quantize(v))
            out[k] = v
        return out

    comps: list[tuple[Fraction, _Table]] = []
    for ins in plan.agency_instruments:
        ind_tables: list[tuple[Fraction, _Table]] = []
        for k in ins.indicators:
            ind = plan.indicators[k]
            if ind.aggregate == "mean_subindicators":
                subs = [(Fraction(1), _mean_table(plan, "subindicator",
                                                  [(Fraction(1), item_table(i)) for i in plan.subindicators[s].items]))
                        for s in ind.subindicators]
                table = _mean_table(plan, "indicator", subs)
            else:
                table = _mean_table(plan, "indicator", [(Fraction(1), item_table(i)) for i in ind.items])
            ind_tables.append((ind.weight if ins.aggregate == "weighted_mean" else Fraction(1), table))
        ins_table = _mean_table(plan, "instrument", ind_tables)
        comp: _Table = {}
        for k, v in ins_table.items():
            if v is not None:
                v = ins.weight * v / 100
                if "component" in rnd.stages:
                    v = Fraction(rnd.quantize(v))
            comp[k] = v
        comps.append((Fraction(1), comp))
    totals: dict[int, Fraction | None] = {}
    n_agency = len(plan.agency_instruments)
    for k, by_count in _combine(comps).items():
        full = by_count.get(Fraction(n_agency))     # every agency instrument must have a score
        totals[k] = None if full is None else fixed_components + full
    return totals


def what_if_oit(fw_or_plan: Mapping[str, Any] | Plan, *, oit_answers: Mapping[str, Any], iit: Any = None,
                eit: Any = None, instruments: Mapping[str, Any] | None = None, target: Any = None) -> WhatIf:
    """Project the total from the other instruments' scores and the current OIT answers, and find
    the fewest OIT items to make ready ("has", or the best option of the item's scale) to reach
    ``target`` (default: the pass mark).

    ``iit`` and ``eit`` are shorthands for ``instruments={"IIT": …, "EIT": …}``; every instrument
    not answered by the agency needs a score. ``oit_answers`` maps OIT item codes to their current
    answer (left-out items: not answered). Exact: dynamic programming over the sub-indicators and
    indicators, choosing how many items to fix in each (a greedy choice by marginal gain is not
    always optimal with sub-indicator means)."""
    plan = compile_framework(fw_or_plan)
    if not plan.agency_instruments:
        raise ValueError(f"framework {plan.id} has no instrument answered by the agency")
    fixed = dict(instruments or {})
    for code, value in (("IIT", iit), ("EIT", eit)):
        if value is not None:
            fixed[code] = value
    given = _given(plan, fixed, "instrument")
    for k in given:
        if plan.instruments[k].respondents == "agency":
            raise ValueError(f"{plan.instruments[k].code} is answered by the agency: give its items in oit_answers")
    lacking = [ins.code for ins in plan.respondent_instruments if ins.index not in given]
    if lacking:
        raise ValueError(f"the scores of {', '.join(lacking)} are needed")
    agency_items = {i for ins in plan.agency_instruments for i in ins.items}
    for code in oit_answers:
        if code not in plan._item_by_code or plan._item_by_code[code] not in agency_items:
            raise ValueError(f"'{code}' is not an item answered by the agency in framework {plan.id}")
    current, counts = _item_values(plan, oit_answers)
    target_f = plan.pass_mark if target is None else _fraction(target, "target")

    def score(values: Sequence[Fraction | None]) -> tuple[_Exact, AgencyScore]:
        ex = _aggregate(plan, values, {}, given)
        counts_now = [int(v is not None) if i in agency_items else 0 for i, v in enumerate(values)]
        return ex, _build_score(plan, ex, counts_now)

    _, projected = score(current)
    candidates = sorted((i for i in agency_items if current[i] is None or current[i] < plan.items[i].best),
                        key=lambda i: plan.items[i].sort_key)
    fixed_comps = Fraction(0)
    rnd = plan.rounding
    for k, v in given.items():
        v = Fraction(rnd.quantize(v)) if "instrument" in rnd.stages else v
        comp = plan.instruments[k].weight * v / 100
        fixed_comps += Fraction(rnd.quantize(comp)) if "component" in rnd.stages else comp

    def reported(total: Fraction | None) -> Fraction | None:
        return None if total is None else Fraction(rnd.quantize(total))

    def reaches(total: Fraction | None) -> bool:
        r = reported(total)
        return r is not None and r >= target_f

    all_best = [plan.items[i].best if i in candidates else v for i, v in enumerate(current)]
    best_exact, best = score(all_best)
    free = {i: (0, 1) for i in candidates}
    totals = _plan_totals(plan, current, free, fixed_comps)
    k_star = next((k for k in sorted(totals) if reaches(totals[k])), None)
    if k_star is None:
        gap = None if best_exact.total is None else float(target_f - Fraction(best_exact.total))
        return WhatIf(float(target_f), projected, False, (), None, best, gap)
    goal = reported(totals[k_star])
    choices = dict(free)
    chosen: list[int] = []
    for i in candidates:                 # earliest ITAS order first, keeping the best reachable total
        if len(chosen) == k_star:
            choices[i] = (0,)
            continue
        choices[i] = (1,)
        trial = _plan_totals(plan, current, choices, fixed_comps).get(k_star)
        if trial is not None and reported(trial) == goal:
            chosen.append(i)
        else:
            choices[i] = (0,)
    switched = [plan.items[i].best if i in chosen else v for i, v in enumerate(current)]
    _, reached = score(switched)
    return WhatIf(float(target_f), projected, True, tuple(plan.items[i].code for i in chosen), reached, best, None)

