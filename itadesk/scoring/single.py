"""One agency, exactly: raw answers (:func:`score_agency`) or published figures
(:func:`score_from_indicators`, :func:`score_from_instruments`) → :class:`AgencyScore`. Scale scores and
given figures are read as decimals, everything between rounding stages is a :class:`~fractions.Fraction`,
every rounding is done with :mod:`decimal` in the framework's mode."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from itadesk.scoring.numbers import _answer_key, _score
from itadesk.scoring.plan import ItemInfo, Level, LevelRule, Plan, compile_framework

# --- results --------------------------------------------------------------------------------

@dataclass(frozen=True)
class AgencyScore:
    """The scores of one agency. Every score is a float rounded to the framework's decimals, or None.

    ``total`` is None when an instrument has no score; ``missing`` then lists those instruments
    (``missing_indicators`` lists every indicator without a score, also when the total exists).
    ``level`` is the first of the framework's ``levels`` that holds, ``level_sets`` the level of each
    other level scheme; ``passed`` says whether the total reaches ``pass_mark``."""

    framework: str
    decimals: int
    pass_mark: float
    items: dict[str, float | None]
    subindicators: dict[str, float | None]
    indicators: dict[str, float | None]
    instruments: dict[str, float | None]
    components: dict[str, float | None]
    total: float | None
    missing: tuple[str, ...]
    missing_indicators: tuple[str, ...]
    level: Level | None
    passed: bool | None
    level_sets: dict[str, Level | None]
    respondents: dict[str, int]

    @property
    def complete(self) -> bool:
        return self.total is not None

    def explain_missing(self) -> str:
        """Why there is no total, in Thai and English ('' when there is one)."""
        if self.total is not None:
            return ""
        codes = ", ".join(self.missing)
        return f"ไม่มีคะแนนรวม: {codes} ยังไม่มีคะแนน / no total: {codes} has no score"

    def to_dict(self) -> dict:
        """JSON-ready."""
        return {
            "framework": self.framework, "pass_mark": self.pass_mark, "total": self.total,
            "level": self.level.to_dict() if self.level else None, "passed": self.passed,
            "level_sets": {k: (v.to_dict() if v else None) for k, v in self.level_sets.items()},
            "instruments": dict(self.instruments), "components": dict(self.components),
            "indicators": dict(self.indicators), "subindicators": dict(self.subindicators),
            "items": dict(self.items), "respondents": dict(self.respondents),
            "missing": list(self.missing), "missing_indicators": list(self.missing_indicators),
        }


def _level_of(rules: Sequence[LevelRule], total: Fraction | None, instruments: Sequence[Fraction | None]) -> int:
    """Index of the first level that holds for a rounded total and rounded instrument scores; -1 without a total."""
    if total is None:
        return -1
    for n, rule in enumerate(rules):
        if total < rule.min_total:
            continue
        if rule.min_each_instrument is not None and any(
                v is None or v < rule.min_each_instrument for v in instruments):
            continue
        return n
    return -1   # only when the last level has its own min_each_instrument


def _as_level(rule: LevelRule | None) -> Level | None:
    return None if rule is None else Level(rule.code, rule.label_th, rule.label_en, rule.passing)


# --- exact aggregation (single agency; also the batch path's recheck) --------------------------

@dataclass
class _Exact:
    items: list[Decimal | None]
    subindicators: list[Decimal | None]
    indicators: list[Decimal | None]
    instruments: list[Decimal | None]
    components: list[Decimal | None]
    total: Decimal | None
    level: int
    level_sets: dict[str, int]


def _mean(values: Iterable[Fraction | None]) -> Fraction | None:
    present = [v for v in values if v is not None]
    return sum(present, Fraction(0)) / len(present) if present else None


def _weighted_mean(pairs: Iterable[tuple[Fraction, Fraction | None]]) -> Fraction | None:
    present = [(w, v) for w, v in pairs if v is not None]
    if not present:
        return None
    return sum((w * v for w, v in present), Fraction(0)) / sum(w for w, _ in present)


def _aggregate(plan: Plan, items: Sequence[Fraction | None], indicators_given: Mapping[int, Fraction] = MappingProxyType({}),
               instruments_given: Mapping[int, Fraction] = MappingProxyType({})) -> _Exact:
    """Items (exact, unrounded) → every level, with the framework's rounding. Given indicator or
    instrument values replace what their items would give."""
    rnd = plan.rounding

    def rep(v: Fraction | None) -> Decimal | None:
        return None if v is None else rnd.quantize(v)

    def prop(stage: str, v: Fraction | None, reported: Decimal | None) -> Fraction | None:
        return Fraction(reported) if v is not None and stage in rnd.stages else v

    item_rep = [rep(v) for v in items]
    item_prop = [prop("item", v, r) for v, r in zip(items, item_rep, strict=True)]
    sub_rep: list[Decimal | None] = [None] * len(plan.subindicators)
    ind_rep: list[Decimal | None] = [None] * len(plan.indicators)
    ins_rep: list[Decimal | None] = [None] * len(plan.instruments)
    comp_rep: list[Decimal | None] = [None] * len(plan.instruments)
    p_ins: list[Fraction | None] = [None] * len(plan.instruments)
    p_comps: list[Fraction | None] = []
    for ins in plan.instruments:
        if ins.index in instruments_given:
            v_ins = instruments_given[ins.index]
        else:
            ind_values: list[tuple[Fraction, Fraction | None]] = []
            for k in ins.indicators:
                ind = plan.indicators[k]
                sub_props = []
                for s in ind.subindicators:
                    v_sub = _mean(item_prop[i] for i in plan.subindicators[s].items)
                    sub_rep[s] = rep(v_sub)
                    sub_props.append(prop("subindicator", v_sub, sub_rep[s]))
                if k in indicators_given:
                    v_ind = indicators_given[k]
                    for s in ind.subindicators:
                        sub_rep[s] = None
                elif ind.aggregate == "mean_subindicators":
                    v_ind = _mean(sub_props)
                else:
                    v_ind = _mean(item_prop[i] for i in ind.items)
                ind_rep[k] = rep(v_ind)
                ind_values.append((ind.weight or Fraction(1), prop("indicator", v_ind, ind_rep[k])))
            if ins.aggregate == "weighted_mean":
                v_ins = _weighted_mean(ind_values)
            else:
                v_ins = _mean(v for _, v in ind_values)
        ins_rep[ins.index] = rep(v_ins)
        p_ins[ins.index] = prop("instrument", v_ins, ins_rep[ins.index])
        v_comp = None if p_ins[ins.index] is None else ins.weight * p_ins[ins.index] / 100
        comp_rep[ins.index] = rep(v_comp)
        p_comps.append(prop("component", v_comp, comp_rep[ins.index]))
    total = None if any(v is None for v in p_comps) else sum(p_comps, Fraction(0))
    total_rep = rep(total)
    total_f = None if total_rep is None else Fraction(total_rep)
    ins_f = [None if v is None else Fraction(v) for v in ins_rep]
    return _Exact(item_rep, sub_rep, ind_rep, ins_rep, comp_rep, total_rep,
                  _level_of(plan.levels, total_f, ins_f),
                  {name: _level_of(rules, total_f, ins_f) for name, rules in plan.level_sets.items()})


def _to_float(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def _build_score(plan: Plan, ex: _Exact, respondents: Sequence[int]) -> AgencyScore:
    total = _to_float(ex.total)
    missing = tuple(ins.code for ins in plan.instruments if ex.instruments[ins.index] is None)
    return AgencyScore(
        framework=plan.id, decimals=plan.rounding.decimals, pass_mark=float(plan.pass_mark),
        items={it.code: _to_float(ex.items[it.index]) for it in plan.items},
        subindicators={s.code: _to_float(ex.subindicators[s.index]) for s in plan.subindicators},
        indicators={ind.code: _to_float(ex.indicators[ind.index]) for ind in plan.indicators},
        instruments={ins.code: _to_float(ex.instruments[ins.index]) for ins in plan.instruments},
        components={ins.code: _to_float(ex.components[ins.index]) for ins in plan.instruments},
        total=total, missing=missing if total is None else (),
        missing_indicators=tuple(ind.code for ind in plan.indicators if ex.indicators[ind.index] is None),
        level=_as_level(plan.levels[ex.level]) if ex.level >= 0 else None,
        passed=None if ex.total is None else Fraction(ex.total) >= plan.pass_mark,
        level_sets={name: (_as_level(rules[ex.level_sets[name]]) if ex.level_sets[name] >= 0 else None)
                    for name, rules in plan.level_sets.items()},
        respondents={it.code: int(respondents[it.index]) for it in plan.items})


# --- single agency ------------------------------------------------------------------------------

def _option(plan: Plan, scale: str, value: Any, where: str) -> int:
    info = plan.scales[scale]
    try:
        return info.lookup[_answer_key(value)]
    except (KeyError, TypeError):
        allowed = ", ".join(repr(v) for v in info.values)
        raise ValueError(f"{where}: {value!r} is not a value of scale '{scale}' ({allowed})") from None


def _respondent_score(plan: Plan, item: ItemInfo, answer: Any, where: str) -> Fraction | None:
    """One respondent's (or the agency's) score for an item: the option's score, or the mean of the
    answered sub-questions; None if nothing is answered."""
    if not item.subquestions:
        if answer is None:
            return None
        if isinstance(answer, (list, tuple, dict)):
            raise ValueError(f"{where}: item {item.code} has no sub-questions; expected one value, got {answer!r}")
        scale = item.scales[0]
        return plan.scales[scale].scores[_option(plan, scale, answer, where)]
    if answer is None:
        return None
    if isinstance(answer, Mapping):
        unknown = set(answer) - set(item.subquestions)
        if unknown:
            raise ValueError(f"{where}: item {item.code} has no sub-question {', '.join(map(str, sorted(unknown)))}")
        answer = [answer.get(sq) for sq in item.subquestions]
    if not isinstance(answer, (list, tuple)) or len(answer) != len(item.subquestions):
        raise ValueError(f"{where}: item {item.code} has {len(item.subquestions)} sub-questions "
                         f"({', '.join(item.subquestions)}); expected a list of that length, got {answer!r}")
    scores = [plan.scales[s].scores[_option(plan, s, a, f"{where}[{sq}]")]
              for s, a, sq in zip(item.scales, answer, item.subquestions, strict=True) if a is not None]
    return sum(scores, Fraction(0)) / len(scores) if scores else None


def _item_values(plan: Plan, answers: Mapping[str, Any]) -> tuple[list[Fraction | None], list[int]]:
    values: list[Fraction | None] = [None] * len(plan.items)
    counts = [0] * len(plan.items)
    unknown = [code for code in answers if code not in plan._item_by_code]
    if unknown:
        raise ValueError(f"no item {', '.join(map(str, unknown))} in framework {plan.id}")
    for code, given in answers.items():
        item = plan.item(code)
        if plan.instruments[item.instrument].respondents == "agency":
            v = _respondent_score(plan, item, given, f"answers[{code}]")
            values[item.index], counts[item.index] = v, int(v is not None)
            continue
        if given is None:
            continue
        if isinstance(given, (str, bytes, Mapping)) or not isinstance(given, Iterable):
            raise ValueError(f"answers[{code}]: expected a list of the respondents' answers, got {given!r}")
        scores = [s for n, a in enumerate(given)
                  if (s := _respondent_score(plan, item, a, f"answers[{code}][{n}]")) is not None]
        if scores:
            values[item.index] = sum(scores, Fraction(0)) / len(scores)
            counts[item.index] = len(scores)
    return values, counts


def score_agency(fw_or_plan: Mapping[str, Any] | Plan, answers: Mapping[str, Any]) -> AgencyScore:
    """Score one agency from raw answers.

    ``answers`` maps an item code to: for an instrument answered by respondents (IIT, EIT), a list
    with one answer per respondent — a scale value, or for an item with sub-questions a list (or a
    dict by sub-question code) of values, ``None`` = not answered / not applicable; for an
    instrument the agency answers (OIT), its single answer (``"has"``/``"has_not"`` or any value of
    the item's scale) or None. Items left out have no answers. Raises ValueError on an unknown item or
    a value outside the item's scale."""
    plan = compile_framework(fw_or_plan)
    values, counts = _item_values(plan, answers)
    return _build_score(plan, _aggregate(plan, values), counts)


def _given(plan: Plan, values: Mapping[str, Any], kind: str) -> dict[int, Fraction]:
    index = plan._indicator_by_code if kind == "indicator" else plan._instrument_by_code
    unknown = [str(c) for c in values if str(c) not in index]
    if unknown:
        raise ValueError(f"no {kind} {', '.join(unknown)} in framework {plan.id} "
                         f"(known: {', '.join(index)})")
    return {index[str(c)]: _score(v, f"{kind} {c}") for c, v in values.items() if v is not None}


def score_from_indicators(fw_or_plan: Mapping[str, Any] | Plan, indicators: Mapping[str, Any]) -> AgencyScore:
    """Score from published indicator scores, e.g. ``{"1": 93.55, …, "10": 65.56}``. Values may be
    floats (read as the decimal they print as), Decimals, ints or strings; None or a left-out
    indicator has no score (then its instrument is the mean of the others, and an instrument with
    none has no score, hence no total)."""
    plan = compile_framework(fw_or_plan)
    return _build_score(plan, _aggregate(plan, [None] * len(plan.items), _given(plan, indicators, "indicator")),
                        [0] * len(plan.items))


def score_from_instruments(fw_or_plan: Mapping[str, Any] | Plan, instruments: Mapping[str, Any]) -> AgencyScore:
    """Score from published instrument scores, e.g. ``{"IIT": 89.95, "EIT": 89.27, "OIT": 69.23}``."""
    plan = compile_framework(fw_or_plan)
    return _build_score(plan, _aggregate(plan, [None] * len(plan.items), {},
                                         _given(plan, instruments, "instrument")), [0] * len(plan.items))


