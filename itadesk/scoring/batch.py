"""Thousands of agencies at once (:func:`score_batch` over NumPy arrays), with results identical to the
single-agency path — see "Exactness of the batch path" in :mod:`itadesk.scoring.engine`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np

from itadesk.scoring.numbers import _FLOAT_EXACT, TOLERANCE, Rounding
from itadesk.scoring.plan import InstrumentInfo, ItemInfo, LevelRule, Plan, compile_framework
from itadesk.scoring.single import AgencyScore, _aggregate, _as_level, _option

# --- batch --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResponseBlock:
    """The answers to one instrument: row r is one respondent of agency ``agency[r]`` (0-based
    index into the batch), column c the option index (position in the scale's ``options``) answered
    to ``plan.columns(instrument)[c]``; -1 = not answered / not applicable."""

    agency: np.ndarray      # int, shape (n_respondents,)
    answers: np.ndarray     # int, shape (n_respondents, n_columns)


@dataclass(frozen=True, eq=False)
class BatchScores:
    """Scores of many agencies (row i = agency i): floats rounded as in :class:`AgencyScore`, NaN
    where there is no data. Columns follow ``plan.items``, ``plan.subindicators``,
    ``plan.indicators``, ``plan.instruments``. ``level`` indexes ``plan.levels`` (-1: no total);
    ``passed`` is 1.0, 0.0 or NaN; ``level_sets`` maps each level scheme to such indices.
    ``exact_rechecks`` counts the agencies recomputed exactly because a value fell within the
    tolerance of a rounding boundary that the structure could not settle."""

    plan: Plan
    items: np.ndarray
    respondents: np.ndarray
    subindicators: np.ndarray
    indicators: np.ndarray
    instruments: np.ndarray
    components: np.ndarray
    total: np.ndarray
    level: np.ndarray
    passed: np.ndarray
    level_sets: Mapping[str, np.ndarray]
    exact_rechecks: int

    @property
    def n_agencies(self) -> int:
        return len(self.total)

    def agency(self, i: int) -> AgencyScore:
        return batch_agency_score(self, i)


_Bound = tuple[int, Any]   # (F, r): a value is p / (F·r), r an int64 array per agency (or an int)
_R_CAP = 2**40             # r above this is never provable (the limit is at most 5·10^8), so it is capped


def _lcm_capped(a: Any, b: Any) -> Any:
    """Element-wise lcm of positive int64 arrays, capped at _R_CAP (no overflow)."""
    g = np.gcd(a, b)
    m = a // g
    with np.errstate(over="ignore"):
        return np.where(m.astype(np.float64) * b > _R_CAP, _R_CAP, m * b)


def _mul_capped(a: Any, k: Any) -> Any:
    with np.errstate(over="ignore"):
        return np.where(np.asarray(a, dtype=np.float64) * k > _R_CAP, _R_CAP, a * k)


def _bound_mean(children: Sequence[tuple[_Bound, np.ndarray]], weights: Sequence[int] | None = None, *,
                divide: bool = True) -> _Bound:
    """Denominator bound of a mean of the present values: Σ p_i / (F_i·r_i) has the denominator
    lcm(F_i)·lcm(r_i), and dividing by the number (or, with integer ``weights``, the total weight) of
    the present values multiplies it by that. ``children`` are (bound, present mask); a plain sum
    (the total) passes ``divide=False``."""
    r = np.ones(len(children[0][1]), dtype=np.int64)
    count = np.zeros(len(children[0][1]), dtype=np.int64)
    for n, ((_, r_child), present) in enumerate(children):
        r = _lcm_capped(r, np.where(present, r_child, 1))
        count += present if weights is None else present * weights[n]
    if divide:
        r = _mul_capped(r, np.maximum(count, 1))
    return math.lcm(*(c[0][0] for c in children)), r


class _BatchRounder:
    """Float rounding with a tolerance, certified by denominator bounds or flagged for a recheck.

    A value p/q (q ≤ F·r, see :func:`_bound_mean`) that is not on a boundary is at least 1/(2·q) of a
    unit away from one; when that exceeds the tolerance, a value within the tolerance is on the
    boundary. Otherwise the agency is flagged for the exact recheck."""

    def __init__(self, rounding: Rounding, n: int):
        self.rounding = rounding
        self.scale = 10**rounding.decimals
        self.tol = float(TOLERANCE * self.scale)
        self.flags = np.zeros(n, dtype=bool)
        self.limit = Fraction(1, 2) / (TOLERANCE * self.scale)    # a denominator below this is provable

    def units(self, v: np.ndarray, bound: _Bound) -> np.ndarray:
        """v rounded, in units of 10**-decimals (float array of integers; NaN stays NaN)."""
        y = v * self.scale
        f = np.floor(y)
        frac = y - f
        with np.errstate(invalid="ignore"):
            if self.rounding.mode == "truncate":
                up = frac > 1 - self.tol
                near = up | (frac < self.tol)
                q = f + up
            else:
                near = np.abs(frac - 0.5) <= self.tol
                tie_up = (np.mod(f, 2) == 1) if self.rounding.mode == "half_even" else True
                q = f + np.where(near, tie_up, frac > 0.5)
        unproven = bound[1] >= math.ceil(self.limit / bound[0])     # cannot prove a near value is on it
        self.flags |= near & unproven
        return q

    def both(self, stage: str, v: np.ndarray, bound: _Bound) -> tuple[np.ndarray, np.ndarray, _Bound]:
        """(reported, propagated, bound of the propagated value)."""
        reported = self.units(v, bound) / self.scale
        if stage in self.rounding.stages:
            return reported, reported, (self.scale, 1)
        return reported, v, bound


def _nanmean_cols(values: np.ndarray, cols: Sequence[int]) -> np.ndarray:
    sub = values[:, list(cols)]
    present = ~np.isnan(sub)
    count = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, np.where(present, sub, 0.0).sum(axis=1) / count, np.nan)


def _agency_blocks(plan: Plan, n_agencies: int, oit: np.ndarray | None) -> dict[str, ResponseBlock]:
    """The agency-answered instruments as blocks with one row per agency."""
    cols = len(plan.agency_columns)
    if cols == 0:
        return {}
    if oit is None:
        indices = np.full((n_agencies, cols), -1, dtype=np.int8)
    else:
        oit = np.asarray(oit)
        if oit.shape != (n_agencies, cols):
            raise ValueError(f"oit: expected shape ({n_agencies}, {cols}) (agencies × plan.agency_columns), "
                             f"got {oit.shape}")
        if np.issubdtype(oit.dtype, np.integer):
            indices = oit
        elif np.issubdtype(oit.dtype, np.floating):
            indices = np.full(oit.shape, -1, dtype=np.int16)
            col = 0
            for ins in plan.agency_instruments:
                table, n_options = plan._tables[ins.code]
                for c in range(len(ins.columns)):
                    units = oit[:, col] * plan.unit
                    answered = ~np.isnan(units)
                    rounded = np.rint(np.where(answered, units, 0))
                    known = table[c, :n_options[c]]
                    pos = np.full(n_agencies, -1, dtype=np.int16)
                    for n in range(len(known) - 1, -1, -1):   # the first option with that score wins
                        pos[rounded == known[n]] = n
                    bad = answered & ((pos < 0) | (np.abs(units - rounded) > 1e-6))
                    if bad.any():
                        item, sq = ins.columns[c]
                        raise ValueError(f"oit[:, {col}] ({item}{'/' + sq if sq else ''}): "
                                         f"{oit[np.argmax(bad), col]!r} is not a score of its scale")
                    indices[:, col] = np.where(answered, pos, -1)
                    col += 1
        else:
            raise ValueError(f"oit: expected an integer (option indices) or float (scores) array, got {oit.dtype}")
    blocks, start = {}, 0
    agency = np.arange(n_agencies)
    for ins in plan.agency_instruments:
        blocks[ins.code] = ResponseBlock(agency, indices[:, start:start + len(ins.columns)])
        start += len(ins.columns)
    return blocks


def _block_sums(plan: Plan, ins: InstrumentInfo, block: ResponseBlock, n_agencies: int,
                numer: np.ndarray, resp: np.ndarray) -> None:
    """Per agency and item of one instrument: the exact numerator N (item score = N / (U·L·R)) and
    the number of respondents R, written into ``numer`` and ``resp``."""
    agency = np.asarray(block.agency)
    answers = np.asarray(block.answers)
    table, n_options = plan._tables[ins.code]
    if agency.ndim != 1 or answers.ndim != 2 or answers.shape != (len(agency), len(ins.columns)):
        raise ValueError(f"responses[{ins.code}]: expected agency (n,) and answers (n, {len(ins.columns)}), "
                         f"got {agency.shape} and {answers.shape}")
    if not (np.issubdtype(agency.dtype, np.integer) and np.issubdtype(answers.dtype, np.integer)):
        raise ValueError(f"responses[{ins.code}]: agency and answers must be integer arrays")
    if len(agency) == 0:
        return
    if agency.min() < 0 or agency.max() >= n_agencies:
        raise ValueError(f"responses[{ins.code}].agency: indices must be in 0..{n_agencies - 1}")
    low, high = answers.min(axis=0), answers.max(axis=0)
    bad = np.flatnonzero((low < -1) | (high >= n_options))
    if len(bad):
        item, sq = ins.columns[bad[0]]
        raise ValueError(f"responses[{ins.code}].answers[:, {bad[0]}] ({item}{'/' + sq if sq else ''}): "
                         f"option indices must be -1..{n_options[bad[0]] - 1}")
    lcm = plan.lcm
    if 100 * plan.unit * lcm * len(agency) >= _FLOAT_EXACT:
        raise ValueError("too many respondents for exact sums (100·U·L·respondents must stay below 2**53)")
    width = table.shape[1]
    base = agency.astype(np.int64) * width + 1
    shares = np.zeros(lcm + 1, dtype=np.int64)          # L / k for k answered sub-questions
    shares[1:] = lcm // np.arange(1, lcm + 1)
    for i in ins.items:
        item = plan.items[i]
        c0 = item.column
        if item.n_columns == 1:
            counts = np.bincount(base + answers[:, c0], minlength=n_agencies * width).reshape(n_agencies, width)
            counts = counts[:, 1:]        # column 0 counted the unanswered
            numer[:, i] = counts @ (table[c0, :width - 1].astype(np.float64) * lcm)
            resp[:, i] = counts.sum(axis=1)
        else:
            total = np.zeros(len(agency), dtype=np.int64)
            answered = np.zeros(len(agency), dtype=np.int64)
            for c in range(c0, c0 + item.n_columns):
                a = answers[:, c]
                total += table[c][a]              # index -1 reads the trailing 0
                answered += a >= 0
            numer[:, i] = np.bincount(agency, weights=total * shares[answered], minlength=n_agencies)
            resp[:, i] = np.bincount(agency, weights=answered > 0, minlength=n_agencies)


def score_batch(plan: Plan | Mapping[str, Any], *, n_agencies: int, responses: Mapping[str, ResponseBlock],
                oit: np.ndarray | None = None) -> BatchScores:
    """Score ``n_agencies`` agencies at once.

    ``responses`` maps the code of each instrument answered by respondents to a
    :class:`ResponseBlock` (a missing instrument has no answers). ``oit`` holds the answers of the
    instruments the agency answers itself, shape (n_agencies, len(plan.agency_columns)): either an
    integer array of option indices (-1 = not answered) or a float array of scores (0/100 for the
    ``evidence`` scale; each must be a score of the column's scale; NaN = not answered).
    Vectorised over respondents and agencies; results identical to :func:`score_agency`."""
    plan = compile_framework(plan)
    unknown = [c for c in responses if c not in plan._instrument_by_code]
    if unknown:
        raise ValueError(f"responses: no instrument {', '.join(unknown)} in framework {plan.id}")
    n_items = len(plan.items)
    numer = np.zeros((n_agencies, n_items))
    resp = np.zeros((n_agencies, n_items))
    blocks = dict(_agency_blocks(plan, n_agencies, oit))
    for code, block in responses.items():
        if plan.instrument(code).respondents == "agency":
            raise ValueError(f"responses[{code}]: {code} is answered by the agency; pass it as oit")
        blocks[code] = block
    for ins in plan.instruments:
        if ins.code in blocks:
            _block_sums(plan, ins, blocks[ins.code], n_agencies, numer, resp)

    rnd = plan.rounding
    rounder = _BatchRounder(rnd, n_agencies)
    scale = 10**rnd.decimals
    ul = plan.unit * plan.lcm
    answered = resp > 0
    # Items: exact integer rounding of N / (U·L·R).
    den = np.where(answered, resp, 1).astype(np.int64) * ul
    num = numer.astype(np.int64)
    whole, rest = np.divmod(num, den)
    q2, r2 = np.divmod(rest * scale, den)
    q = whole * scale + q2
    if rnd.mode != "truncate":
        up = 2 * r2 > den
        if rnd.mode == "half_even":
            up |= (2 * r2 == den) & (q % 2 == 1)
        else:
            up |= 2 * r2 == den
        q = q + up
    item_rep = np.where(answered, q / scale, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        item_val = np.where(answered, numer / (resp * ul), np.nan)
    item_prop = item_rep if "item" in rnd.stages else item_val
    # Denominator bounds: an item's value is N / (F·R), F from its scales (times lcm(1..k) for k
    # sub-questions), R its respondents in that agency.
    ones = np.ones(n_agencies, dtype=np.int64)
    resp_int = np.maximum(resp, 1).astype(np.int64)
    item_bounds: list[_Bound] = []
    for it in plan.items:
        if "item" in rnd.stages:
            item_bounds.append((scale, 1))
            continue
        f = math.lcm(*(s.denominator for sc in it.scales for s in plan.scales[sc].scores))
        f *= math.lcm(*range(1, it.n_columns + 1))
        agency_item = plan.instruments[it.instrument].respondents == "agency"
        item_bounds.append((f, ones if agency_item else resp_int[:, it.index]))
    item_present = ~np.isnan(item_prop)

    sub_rep = np.full((n_agencies, len(plan.subindicators)), np.nan)
    ind_rep = np.full((n_agencies, len(plan.indicators)), np.nan)
    ins_rep = np.full((n_agencies, len(plan.instruments)), np.nan)
    comp_rep = np.full((n_agencies, len(plan.instruments)), np.nan)
    total = np.zeros(n_agencies)
    total_bounds = []
    ins_units = np.full((n_agencies, len(plan.instruments)), np.nan)
    for ins in plan.instruments:
        ind_props, ind_bounds = [], []
        for k in ins.indicators:
            ind = plan.indicators[k]
            sub_props, sub_bounds = [], []
            for s in ind.subindicators:
                sub = plan.subindicators[s]
                v = _nanmean_cols(item_prop, sub.items)
                b = _bound_mean([(item_bounds[i], item_present[:, i]) for i in sub.items])
                sub_rep[:, s], p, pb = rounder.both("subindicator", v, b)
                sub_props.append(p)
                sub_bounds.append((pb, ~np.isnan(p)))
            if ind.aggregate == "mean_subindicators":
                v = _nanmean_cols(np.column_stack(sub_props), range(len(sub_props)))
                b = _bound_mean(sub_bounds)
            else:
                v = _nanmean_cols(item_prop, ind.items)
                b = _bound_mean([(item_bounds[i], item_present[:, i]) for i in ind.items])
            ind_rep[:, k], p, pb = rounder.both("indicator", v, b)
            ind_props.append(p)
            ind_bounds.append((pb, ~np.isnan(p)))
        stacked = np.column_stack(ind_props)
        if ins.aggregate == "weighted_mean":
            weights = [plan.indicators[k].weight for k in ins.indicators]
            common = math.lcm(*(w.denominator for w in weights))
            ints = np.array([int(w * common) for w in weights], dtype=np.float64)
            present = ~np.isnan(stacked)
            wsum = (present * ints).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                v = np.where(wsum > 0, (np.where(present, stacked, 0.0) * ints).sum(axis=1) / wsum, np.nan)
            b = _bound_mean(ind_bounds, [int(w) for w in ints])
        else:
            v = _nanmean_cols(stacked, range(len(ind_props)))
            b = _bound_mean(ind_bounds)
        ins_units[:, ins.index] = rounder.units(v, b)
        ins_rep[:, ins.index], p, pb = rounder.both("instrument", v, b)
        share = ins.weight / 100
        v = p * float(share)
        b: _Bound = (pb[0] * share.denominator, pb[1])
        comp_rep[:, ins.index], p, pb = rounder.both("component", v, b)
        total = total + p                 # NaN (no score) makes the total NaN
        total_bounds.append((pb, ~np.isnan(p)))
    total_units = rounder.units(total, _bound_mean(total_bounds, divide=False))
    total_rep = total_units / scale

    def levels_of(rules: Sequence[LevelRule]) -> np.ndarray:
        out = np.full(n_agencies, -1, dtype=np.int16)
        undecided = ~np.isnan(total_units)
        for n, rule in enumerate(rules):
            ok = undecided & (total_units >= math.ceil(rule.min_total * scale))
            if rule.min_each_instrument is not None:
                ok &= (ins_units >= math.ceil(rule.min_each_instrument * scale)).all(axis=1)
            out[ok] = n
            undecided &= ~ok
        return out

    level = levels_of(plan.levels)
    sets = {name: levels_of(rules) for name, rules in plan.level_sets.items()}
    passed = np.where(np.isnan(total_units), np.nan, (total_units >= math.ceil(plan.pass_mark * scale)) * 1.0)

    flagged = np.flatnonzero(rounder.flags)
    for a in flagged:                     # exact recheck: rare, a few per thousand agencies at most
        values = [Fraction(int(numer[a, i]), int(resp[a, i]) * ul) if resp[a, i] > 0 else None
                  for i in range(n_items)]
        ex = _aggregate(plan, values)
        sub_rep[a] = [np.nan if v is None else float(v) for v in ex.subindicators]
        ind_rep[a] = [np.nan if v is None else float(v) for v in ex.indicators]
        ins_rep[a] = [np.nan if v is None else float(v) for v in ex.instruments]
        comp_rep[a] = [np.nan if v is None else float(v) for v in ex.components]
        total_rep[a] = np.nan if ex.total is None else float(ex.total)
        level[a] = ex.level
        for name in sets:
            sets[name][a] = ex.level_sets[name]
        passed[a] = np.nan if ex.total is None else float(Fraction(ex.total) >= plan.pass_mark)
    return BatchScores(plan=plan, items=item_rep, respondents=resp.astype(np.int64), subindicators=sub_rep,
                       indicators=ind_rep, instruments=ins_rep, components=comp_rep, total=total_rep,
                       level=level, passed=passed, level_sets=MappingProxyType(sets),
                       exact_rechecks=len(flagged))


def _opt(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def batch_agency_score(batch: BatchScores, i: int) -> AgencyScore:
    """Row ``i`` of a :class:`BatchScores` as an :class:`AgencyScore` (equal to :func:`score_agency`'s)."""
    plan = batch.plan
    total = _opt(batch.total[i])
    instruments = {ins.code: _opt(batch.instruments[i, ins.index]) for ins in plan.instruments}
    level = int(batch.level[i])
    return AgencyScore(
        framework=plan.id, decimals=plan.rounding.decimals, pass_mark=float(plan.pass_mark),
        items={it.code: _opt(batch.items[i, it.index]) for it in plan.items},
        subindicators={s.code: _opt(batch.subindicators[i, s.index]) for s in plan.subindicators},
        indicators={ind.code: _opt(batch.indicators[i, ind.index]) for ind in plan.indicators},
        instruments=instruments,
        components={ins.code: _opt(batch.components[i, ins.index]) for ins in plan.instruments},
        total=total, missing=() if total is not None else tuple(c for c, v in instruments.items() if v is None),
        missing_indicators=tuple(ind.code for ind in plan.indicators if math.isnan(batch.indicators[i, ind.index])),
        level=_as_level(plan.levels[level]) if level >= 0 else None,
        passed=None if math.isnan(batch.passed[i]) else bool(batch.passed[i]),
        level_sets={name: (_as_level(rules[int(batch.level_sets[name][i])]) if batch.level_sets[name][i] >= 0
                           else None) for name, rules in plan.level_sets.items()},
        respondents={it.code: int(batch.respondents[i, it.index]) for it in plan.items})


def encode_answers(plan: Plan | Mapping[str, Any], agencies: Sequence[Mapping[str, Any]]
                   ) -> tuple[dict[str, ResponseBlock], np.ndarray]:
    """Answers of several agencies in :func:`score_agency`'s form → ``(responses, oit)`` for
    :func:`score_batch` (oit as option indices). For an instrument with respondents, agency a gets as
    many rows as its longest answer list in that instrument; row r holds the r-th answer of each item
    (an item's mean does not depend on which respondent gave which answer). Not vectorised: for
    tests, imports and small batches."""
    plan = compile_framework(plan)
    rows: dict[str, list[list[int]]] = {ins.code: [] for ins in plan.respondent_instruments}
    owners: dict[str, list[int]] = {ins.code: [] for ins in plan.respondent_instruments}
    oit = np.full((len(agencies), len(plan.agency_columns)), -1, dtype=np.int16)

    def encode(item: ItemInfo, answer: Any, where: str) -> list[int]:
        if answer is None:
            return [-1] * item.n_columns
        if not item.subquestions:
            if isinstance(answer, (list, tuple, dict)):
                raise ValueError(f"{where}: item {item.code} has no sub-questions; expected one value")
            return [_option(plan, item.scales[0], answer, where)]
        if isinstance(answer, Mapping):
            answer = [answer.get(sq) for sq in item.subquestions]
        if not isinstance(answer, (list, tuple)) or len(answer) != item.n_columns:
            raise ValueError(f"{where}: item {item.code} expects {item.n_columns} sub-question answers")
        return [-1 if a is None else _option(plan, s, a, where) for s, a in zip(item.scales, answer, strict=True)]

    agency_offsets, start = {}, 0
    for ins in plan.agency_instruments:
        agency_offsets[ins.index] = start
        start += len(ins.columns)
    for a, answers in enumerate(agencies):
        unknown = [code for code in answers if code not in plan._item_by_code]
        if unknown:
            raise ValueError(f"agency {a}: no item {', '.join(map(str, unknown))} in framework {plan.id}")
        per_ins: dict[int, list[list[int]]] = {}
        for code, given in answers.items():
            item = plan.item(code)
            ins = plan.instruments[item.instrument]
            if ins.respondents == "agency":
                col = agency_offsets[ins.index] + item.column
                oit[a, col:col + item.n_columns] = encode(item, given, f"agency {a}: {code}")
                continue
            if given is None:
                continue
            given = list(given)
            table = per_ins.setdefault(ins.index, [])
            while len(table) < len(given):
                table.append([-1] * len(ins.columns))
            for r, ans in enumerate(given):
                table[r][item.column:item.column + item.n_columns] = encode(item, ans, f"agency {a}: {code}[{r}]")
        for k, table in per_ins.items():
            code = plan.instruments[k].code
            rows[code].extend(table)
            owners[code].extend([a] * len(table))
    responses = {}
    for ins in plan.respondent_instruments:
        answers = np.array(rows[ins.code], dtype=np.int16).reshape(-1, len(ins.columns))
        responses[ins.code] = ResponseBlock(np.array(owners[ins.code], dtype=np.int64), answers)
    return responses, oit


