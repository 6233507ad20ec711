"""The ITA scoring engine: framework (a plain dict, see docs/framework-format.md) + answers → scores.

Pure Python + NumPy; no Django. Three entry points share one set of rules:

* **one agency** — :func:`score_agency` (raw answers), :func:`score_from_indicators` and
  :func:`score_from_instruments` (published figures). Exact arithmetic: scale scores and given
  figures are read as decimals, everything between rounding stages is an exact rational
  (:class:`fractions.Fraction`), and every rounding is done with :mod:`decimal` in the framework's mode.
* **thousands of agencies** — :func:`score_batch` over NumPy arrays (one row per respondent, one
  column per item or sub-question). Vectorised; its results are *identical* to the single-agency
  path (see "Exactness of the batch path" below).
* **the OIT planner** — :func:`what_if_oit`: the fewest OIT items to make ready to reach a target
  total, found exactly by dynamic programming over the framework's tree.

Compile a framework once with :func:`compile_framework` and pass the :class:`Plan` around: every
function also accepts the raw dict and compiles it on the fly.

Scores come back as ``float`` values, each the nearest double to a decimal with the framework's
``rounding.decimals`` places (``81.45``), or ``None`` (``NaN`` in arrays) where there is no data.
Every reported score is rounded that way; ``rounding.stages`` says which rounded values are also
used further up (the others go up exact). Result levels and pass/fail compare the reported (rounded)
total and instrument scores.

Exactness of the batch path
---------------------------
Respondent and item arithmetic is done in integers: each answer's score is an integer number of
``1/U`` (``U`` = 10**decimals of the scale scores), a respondent's item score with sub-questions is
scaled by ``L = lcm(1..max sub-questions)`` so that it stays an integer, and per-agency sums are
exact (``np.bincount`` on integer-valued float64, checked to stay below 2**53). Item scores are
rounded with integer division. Above the items the batch path works in float64 (error below
1e-11) and rounds with a tolerance of 1e-9: a value that close to a rounding boundary (a half for the
``half_*`` modes, a whole unit for ``truncate``) is treated as *on* the boundary when the
framework's structure proves it (the value's denominator is bounded, e.g. a mean of rounded
indicators, so it cannot be that close without being on it); otherwise the agency is recomputed
with the exact single-agency arithmetic. ``BatchScores.exact_rechecks`` counts those agencies.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = [
    "STAGES", "MODES", "FrameworkError", "Rounding", "Plan", "Level", "AgencyScore", "ResponseBlock", "BatchScores",
    "WhatIf", "compile_framework", "score_agency", "score_from_indicators", "score_from_instruments",
    "score_batch", "batch_agency_score", "encode_answers", "what_if_oit",
]

STAGES = ("item", "subindicator", "indicator", "instrument", "component", "total")
MODES = {"half_even": ROUND_HALF_EVEN, "half_up": ROUND_HALF_UP, "truncate": ROUND_DOWN}
RESPONDENTS = ("internal", "external", "agency")
MAX_DECIMALS = 6
#: Batch path: a float this close (in score points) to a rounding boundary is "on" it, or rechecked.
TOLERANCE = Fraction(1, 10**9)
_FLOAT_EXACT = 2**53


class FrameworkError(ValueError):
    """The framework cannot be scored (missing or inconsistent data); the message names the place."""


# --- small exact helpers ------------------------------------------------------------------------

def _fraction(value: Any, where: str) -> Fraction:
    """A number given in a framework or by a caller, read as the decimal it was written as:
    ``33.33`` (a float) is exactly 3333/100, not the nearest double."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{where}: expected a number, got {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise ValueError(f"{where}: expected a finite number, got {value!r}")
        return Fraction(Decimal(repr(float(value))))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{where}: expected a finite number, got {value!r}")
        return Fraction(value)
    if isinstance(value, str):
        try:
            dec = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{where}: '{value}' is not a number") from None
        if not dec.is_finite():
            raise ValueError(f"{where}: expected a finite number, got {value!r}")
        return Fraction(dec)
    raise ValueError(f"{where}: expected a number, got {value!r}")


def _score(value: Any, where: str) -> Fraction:
    """A score 0–100."""
    f = _fraction(value, where)
    if not 0 <= f <= 100:
        raise ValueError(f"{where}: a score must be between 0 and 100, got {value!r}")
    return f


def _decimal_places(f: Fraction) -> int | None:
    """Places needed to write ``f`` as a decimal, or None if it is not a finite decimal."""
    d = f.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    return max(twos, fives) if d == 1 else None


def _answer_key(value: Any) -> Any:
    """Normalise a scale value or an answer for matching. YAML 1.1 reads unquoted ``yes``/``no`` as
    booleans, so True/False stand for "yes"/"no"; integral numbers become ints; strings are stripped."""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


@dataclass(frozen=True)
class Rounding:
    """``rounding:`` of a framework: the decimals, the mode and the stages rounded before use."""

    decimals: int
    mode: str
    stages: frozenset[str]

    def quantize(self, value: Fraction) -> Decimal:
        """``value`` rounded to ``decimals`` places in ``mode``, with Decimal arithmetic.

        The division n/d is carried to enough digits (rounding toward zero) that the quotient lies
        on the same side of every rounding boundary as the exact value, so the result is the exact
        rounding of the rational number, not of an approximation."""
        n, d = value.numerator, value.denominator
        ctx = Context(prec=len(str(abs(n))) + len(str(d)) + self.decimals + 10, rounding=ROUND_DOWN)
        quotient = ctx.divide(Decimal(n), Decimal(d))
        return quotient.quantize(Decimal(1).scaleb(-self.decimals), rounding=MODES[self.mode], context=ctx)


# --- the compiled plan --------------------------------------------------------------------------

@dataclass(frozen=True)
class LevelRule:
    """One entry of ``levels`` (or of a ``level_sets`` list)."""

    code: str
    label_th: str
    label_en: str
    min_total: Fraction
    min_each_instrument: Fraction | None
    passing: bool


@dataclass(frozen=True)
class Level:
    """The result level of an agency (a grade): code and labels."""

    code: str
    label_th: str
    label_en: str
    passing: bool

    def to_dict(self) -> dict:
        return {"code": self.code, "label_th": self.label_th, "label_en": self.label_en, "passing": self.passing}


@dataclass(frozen=True)
class ScaleInfo:
    name: str
    values: tuple[Any, ...]
    scores: tuple[Fraction, ...]
    lookup: Mapping[Any, int]
    best: Fraction


@dataclass(frozen=True)
class ItemInfo:
    """An item with its place in the tree and its answer columns."""

    code: str
    index: int                      # position in Plan.items (file order)
    instrument: int
    indicator: int
    subindicator: int               # -1 when the indicator has no sub-indicators
    scales: tuple[str, ...]         # one per column: the item's scale, or each sub-question's
    subquestions: tuple[str, ...]   # sub-question codes ((): none)
    column: int                     # first column in the instrument's answer block
    sort_key: tuple[int, int]       # ITAS order (``order``, default file order), then file order
    best: Fraction                  # item score with every column at its best option
    not_applicable: bool

    @property
    def n_columns(self) -> int:
        return len(self.scales)


@dataclass(frozen=True)
class SubindicatorInfo:
    code: str
    index: int
    indicator: int
    items: tuple[int, ...]


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    index: int
    instrument: int
    aggregate: str                  # mean_items | mean_subindicators
    weight: Fraction | None
    items: tuple[int, ...]          # all items, also those inside sub-indicators
    subindicators: tuple[int, ...]
    name_th: str


@dataclass(frozen=True)
class InstrumentInfo:
    code: str
    index: int
    respondents: str
    weight: Fraction
    aggregate: str                  # mean | weighted_mean
    indicators: tuple[int, ...]
    items: tuple[int, ...]
    columns: tuple[tuple[str, str | None], ...]   # (item code, sub-question code or None)
    name_th: str


@dataclass(frozen=True, eq=False)
class Plan:
    """A framework compiled for scoring: immutable, reusable, cheap to keep in a cache.

    ``columns(code)`` lists the answer columns of an instrument in the order the batch arrays use;
    ``agency_columns`` those of the instruments the agency answers itself (OIT), concatenated."""

    framework: Mapping[str, Any]
    id: str
    version: Any
    pass_mark: Fraction
    rounding: Rounding
    scales: Mapping[str, ScaleInfo]
    items: tuple[ItemInfo, ...]
    subindicators: tuple[SubindicatorInfo, ...]
    indicators: tuple[IndicatorInfo, ...]
    instruments: tuple[InstrumentInfo, ...]
    levels: tuple[LevelRule, ...]
    level_sets: Mapping[str, tuple[LevelRule, ...]]
    unit: int                       # U: scale scores are integers in 1/U
    lcm: int                        # L: lcm(1..max sub-questions)
    agency_columns: tuple[tuple[str, str | None], ...]
    _item_by_code: Mapping[str, int] = field(repr=False)
    _indicator_by_code: Mapping[str, int] = field(repr=False)
    _instrument_by_code: Mapping[str, int] = field(repr=False)
    _tables: Mapping[str, tuple[np.ndarray, np.ndarray]] = field(repr=False)   # per instrument

    def item(self, code: str) -> ItemInfo:
        try:
            return self.items[self._item_by_code[code]]
        except KeyError:
            raise KeyError(f"no item '{code}' in framework {self.id}") from None

    def indicator(self, code: str) -> IndicatorInfo:
        try:
            return self.indicators[self._indicator_by_code[str(code)]]
        except KeyError:
            raise KeyError(f"no indicator '{code}' in framework {self.id}") from None

    def instrument(self, code: str) -> InstrumentInfo:
        try:
            return self.instruments[self._instrument_by_code[code]]
        except KeyError:
            raise KeyError(f"no instrument '{code}' in framework {self.id}") from None

    def columns(self, instrument: str) -> tuple[tuple[str, str | None], ...]:
        """Answer columns of an instrument: one per item, or per sub-question of an item that has them."""
        return self.instrument(instrument).columns

    def options(self, scale: str) -> tuple[Any, ...]:
        """The values of a scale, in the order used by option indices in the batch arrays."""
        return self.scales[scale].values

    @property
    def respondent_instruments(self) -> tuple[InstrumentInfo, ...]:
        return tuple(ins for ins in self.instruments if ins.respondents != "agency")

    @property
    def agency_instruments(self) -> tuple[InstrumentInfo, ...]:
        return tuple(ins for ins in self.instruments if ins.respondents == "agency")


def _require(obj: Mapping, key: str, where: str) -> Any:
    if not isinstance(obj, Mapping):
        raise FrameworkError(f"{where}: expected a mapping")
    if key not in obj or obj[key] is None:
        raise FrameworkError(f"{where}.{key}: required")
    return obj[key]


def _fw_number(value: Any, where: str) -> Fraction:
    try:
        return _fraction(value, where)
    except ValueError as exc:
        raise FrameworkError(str(exc)) from None


def _compile_levels(raw: Any, where: str, pass_mark: Fraction) -> tuple[LevelRule, ...]:
    if not isinstance(raw, list) or not raw:
        raise FrameworkError(f"{where}: expected a non-empty list of levels")
    rules = []
    for n, lv in enumerate(raw):
        w = f"{where}[{n}]"
        min_total = _fw_number(_require(lv, "min_total", w), f"{w}.min_total")
        each = lv.get("min_each_instrument")
        passing = lv.get("passing")
        rules.append(LevelRule(
            code=str(_require(lv, "code", w)), label_th=str(lv.get("label_th") or lv["code"]),
            label_en=str(lv.get("label_en") or lv.get("label_th") or lv["code"]), min_total=min_total,
            min_each_instrument=None if each is None else _fw_number(each, f"{w}.min_each_instrument"),
            passing=bool(passing) if passing is not None else min_total >= pass_mark))
    if rules[-1].min_total != 0:
        raise FrameworkError(f"{where}[{len(rules) - 1}].min_total: the last level must have min_total 0")
    return tuple(rules)


def compile_framework(fw: Mapping[str, Any] | Plan) -> Plan:
    """Check what scoring needs and precompute the tree, the columns and the score tables.

    Accepts a raw ``yaml.safe_load`` dict: the documented defaults (indicator ``aggregate``,
    instrument ``aggregate: mean``, item ``order``, sub-question ``scale``, level ``passing``) are
    applied here. Raises :class:`FrameworkError` naming the place of the first problem. A Plan is
    returned unchanged."""
    if isinstance(fw, Plan):
        return fw
    if not isinstance(fw, Mapping):
        raise FrameworkError("framework: expected a mapping (a parsed YAML file)")
    fw_id = str(fw.get("id") or "framework")
    pass_mark = _fw_number(_require(fw, "pass_mark", "framework"), "pass_mark")

    r = _require(fw, "rounding", "framework")
    decimals = _require(r, "decimals", "rounding")
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        raise FrameworkError(f"rounding.decimals: expected an integer 0–{MAX_DECIMALS}, got {decimals!r}")
    mode = r.get("mode", "half_even")
    if mode not in MODES:
        raise FrameworkError(f"rounding.mode: unknown mode '{mode}' (half_even, half_up, truncate)")
    stages = r.get("stages") or []
    for s in stages:
        if s not in STAGES:
            raise FrameworkError(f"rounding.stages: unknown stage '{s}' ({', '.join(STAGES)})")
    rounding = Rounding(decimals, mode, frozenset(stages))

    total = fw.get("total") or {"rule": "weighted_sum"}
    if total.get("rule", "weighted_sum") != "weighted_sum":
        raise FrameworkError(f"total.rule: unknown rule '{total.get('rule')}' (weighted_sum)")

    # Scales.
    scales: dict[str, ScaleInfo] = {}
    raw_scales = _require(fw, "scales", "framework")
    if not isinstance(raw_scales, Mapping):
        raise FrameworkError("scales: expected a mapping name → scale")
    places = 0
    for name, sc in raw_scales.items():
        w = f"scales.{name}"
        if (sc.get("type") or "choice") != "choice":
            raise FrameworkError(f"{w}.type: unknown type '{sc.get('type')}' (choice)")
        options = _require(sc, "options", w)
        if not isinstance(options, list) or not options:
            raise FrameworkError(f"{w}.options: expected a non-empty list")
        values, scores, lookup = [], [], {}
        for n, opt in enumerate(options):
            ow = f"{w}.options[{n}]"
            if "value" not in opt:
                raise FrameworkError(f"{ow}.value: required")
            try:
                score = _score(_require(opt, "score", ow), f"{ow}.score")
            except ValueError as exc:
                raise FrameworkError(str(exc)) from None
            p = _decimal_places(score)
            if p is None or p > 12:
                raise FrameworkError(f"{ow}.score: not a decimal with at most 12 places")
            places = max(places, p)
            key = _answer_key(opt["value"])
            if key in lookup:
                raise FrameworkError(f"{ow}.value: '{opt['value']}' appears twice in the scale")
            lookup[key] = n
            values.append(opt["value"])
            scores.append(score)
        for key, n in list(lookup.items()):      # "4" answers the value 4 (web forms send strings)
            if isinstance(key, int) and str(key) not in lookup:
                lookup[str(key)] = n
        scales[str(name)] = ScaleInfo(str(name), tuple(values), tuple(scores), MappingProxyType(lookup),
                                      max(scores))
    unit = 10**places

    # Instruments → indicators → (sub-indicators) → items.
    raw_instruments = _require(fw, "instruments", "framework")
    if not isinstance(raw_instruments, list) or not raw_instruments:
        raise FrameworkError("instruments: expected a non-empty list")
    items: list[dict] = []
    subindicators: list[SubindicatorInfo] = []
    indicators: list[IndicatorInfo] = []
    instruments: list[InstrumentInfo] = []
    seen_codes: dict[str, set[str]] = {"instrument": set(), "indicator": set(), "subindicator": set(),
                                       "item": set()}

    def claim(code: Any, kind: str, where: str) -> str:
        code = str(code)
        if code in seen_codes[kind]:
            raise FrameworkError(f"{where}.code: {kind} code '{code}' is used twice")
        seen_codes[kind].add(code)
        return code

    def read_item(raw: Mapping, where: str, ins_i: int, ind_i: int, sub_i: int, position: int) -> int:
        code = claim(_require(raw, "code", where), "item", where)
        scale = str(_require(raw, "scale", where))
        if scale not in scales:
            raise FrameworkError(f"{where}.scale: unknown scale '{scale}'")
        subq = raw.get("subquestions") or []
        sub_codes, sub_scales = [], []
        for n, sq in enumerate(subq):
            sw = f"{where}.subquestions[{n}]"
            sub_codes.append(str(_require(sq, "code", sw)))
            s = str(sq.get("scale") or scale)
            if s not in scales:
                raise FrameworkError(f"{sw}.scale: unknown scale '{s}'")
            sub_scales.append(s)
        if len(set(sub_codes)) != len(sub_codes):
            raise FrameworkError(f"{where}.subquestions: duplicate sub-question codes")
        col_scales = tuple(sub_scales) if sub_codes else (scale,)
        best = sum((scales[s].best for s in col_scales), Fraction(0)) / len(col_scales)
        order = raw.get("order")
        if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
            raise FrameworkError(f"{where}.order: expected an integer")
        items.append({"code": code, "index": len(items), "instrument": ins_i, "indicator": ind_i,
                      "subindicator": sub_i, "scales": col_scales, "subquestions": tuple(sub_codes),
                      "sort_key": (order if order is not None else position, len(items)), "best": best,
                      "not_applicable": bool(raw.get("not_applicable", False))})
        return len(items) - 1

    for ins_i, ins in enumerate(raw_instruments):
        w = f"instruments[{ins_i}]"
        ins_code = claim(_require(ins, "code", w), "instrument", w)
        respondents = _require(ins, "respondents", w)
        if respondents not in RESPONDENTS:
            raise FrameworkError(f"{w}.respondents: unknown '{respondents}' ({', '.join(RESPONDENTS)})")
        weight = _fw_number(_require(ins, "weight", w), f"{w}.weight")
        if weight < 0:
            raise FrameworkError(f"{w}.weight: must not be negative")
        aggregate = ins.get("aggregate") or "mean"
        if aggregate not in ("mean", "weighted_mean"):
            raise FrameworkError(f"{w}.aggregate: unknown '{aggregate}' (mean, weighted_mean)")
        raw_inds = _require(ins, "indicators", w)
        if not isinstance(raw_inds, list) or not raw_inds:
            raise FrameworkError(f"{w}.indicators: expected a non-empty list")
        ind_indices, ins_items = [], []
        position = 0
        for ind_n, ind in enumerate(raw_inds):
            iw = f"{w}.indicators[{ind_n}]"
            ind_code = claim(_require(ind, "code", iw), "indicator", iw)
            ind_i = len(indicators)
            has_subs = bool(ind.get("subindicators"))
            if has_subs and ind.get("items"):
                raise FrameworkError(f"{iw}: give either items or subindicators, not both")
            ind_aggregate = ind.get("aggregate") or ("mean_subindicators" if has_subs else "mean_items")
            if ind_aggregate not in ("mean_items", "mean_subindicators"):
                raise FrameworkError(f"{iw}.aggregate: unknown '{ind_aggregate}' (mean_items, mean_subindicators)")
            if ind_aggregate == "mean_subindicators" and not has_subs:
                raise FrameworkError(f"{iw}.aggregate: mean_subindicators needs subindicators")
            ind_weight = ind.get("weight")
            if aggregate == "weighted_mean":
                if ind_weight is None:
                    raise FrameworkError(f"{iw}.weight: required when the instrument uses weighted_mean")
                ind_weight = _fw_number(ind_weight, f"{iw}.weight")
                if ind_weight <= 0:
                    raise FrameworkError(f"{iw}.weight: must be positive")
            else:
                ind_weight = None if ind_weight is None else _fw_number(ind_weight, f"{iw}.weight")
            ind_items, sub_indices = [], []
            if has_subs:
                for sub_n, sub in enumerate(ind["subindicators"]):
                    sw = f"{iw}.subindicators[{sub_n}]"
                    sub_code = claim(_require(sub, "code", sw), "subindicator", sw)
                    raw_items = _require(sub, "items", sw)
                    if not isinstance(raw_items, list) or not raw_items:
                        raise FrameworkError(f"{sw}.items: expected a non-empty list")
                    sub_items = []
                    for it_n, it in enumerate(raw_items):
                        position += 1
                        sub_items.append(read_item(it, f"{sw}.items[{it_n}]", ins_i, ind_i, len(subindicators),
                                                   position))
                    sub_indices.append(len(subindicators))
                    subindicators.append(SubindicatorInfo(sub_code, len(subindicators), ind_i, tuple(sub_items)))
                    ind_items.extend(sub_items)
            else:
                raw_items = _require(ind, "items", iw)
                if not isinstance(raw_items, list) or not raw_items:
                    raise FrameworkError(f"{iw}.items: expected a non-empty list")
                for it_n, it in enumerate(raw_items):
                    position += 1
                    ind_items.append(read_item(it, f"{iw}.items[{it_n}]", ins_i, ind_i, -1, position))
            indicators.append(IndicatorInfo(ind_code, ind_i, ins_i, ind_aggregate, ind_weight, tuple(ind_items),
                                            tuple(sub_indices), str(ind.get("name_th") or "")))
            ind_indices.append(ind_i)
            ins_items.extend(ind_items)
        instruments.append(InstrumentInfo(ins_code, ins_i, respondents, weight, aggregate, tuple(ind_indices),
                                          tuple(ins_items), (), str(ins.get("name_th") or "")))
    if sum(ins.weight for ins in instruments) != 100:
        total_w = sum(ins.weight for ins in instruments)
        raise FrameworkError(f"instruments: the weights must sum to 100, not {float(total_w):g}")

    lcm = math.lcm(*range(1, max(len(it["scales"]) for it in items) + 1))

    # Columns and the per-column score tables (integers in 1/(U·L); a trailing 0 answers index -1).
    item_infos: list[ItemInfo] = [None] * len(items)  # type: ignore[list-item]
    tables: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for k, ins in enumerate(instruments):
        columns: list[tuple[str, str | None]] = []
        for i in ins.items:
            it = items[i]
            item_infos[i] = ItemInfo(column=len(columns), **it)
            if it["subquestions"]:
                columns.extend((it["code"], sq) for sq in it["subquestions"])
            else:
                columns.append((it["code"], None))
        col_scales = [s for i in ins.items for s in items[i]["scales"]]
        width = max(len(scales[s].scores) for s in col_scales)
        table = np.zeros((len(col_scales), width + 1), dtype=np.int64)
        n_options = np.zeros(len(col_scales), dtype=np.int64)
        for c, s in enumerate(col_scales):
            units = [int(score * unit) for score in scales[s].scores]
            table[c, :len(units)] = units
            n_options[c] = len(units)
        table.flags.writeable = False
        n_options.flags.writeable = False
        tables[ins.code] = (table, n_options)
        instruments[k] = InstrumentInfo(ins.code, ins.index, ins.respondents, ins.weight, ins.aggregate,
                                        ins.indicators, ins.items, tuple(columns), ins.name_th)
    pass_levels = _compile_levels(_require(fw, "levels", "framework"), "levels", pass_mark)
    level_sets = {str(name): _compile_levels(lv, f"level_sets.{name}", pass_mark)
                  for name, lv in (fw.get("level_sets") or {}).items()}
    agency_columns = tuple(col for ins in instruments if ins.respondents == "agency" for col in ins.columns)
    return Plan(
        framework=MappingProxyType(dict(fw)), id=fw_id, version=fw.get("version"), pass_mark=pass_mark,
        rounding=rounding, scales=MappingProxyType(scales), items=tuple(item_infos),
        subindicators=tuple(subindicators), indicators=tuple(indicators), instruments=tuple(instruments),
        levels=pass_levels, level_sets=MappingProxyType(level_sets), unit=unit, lcm=lcm,
        agency_columns=agency_columns,
        _item_by_code=MappingProxyType({it.code: it.index for it in item_infos}),
        _indicator_by_code=MappingProxyType({ind.code: ind.index for ind in indicators}),
        _instrument_by_code=MappingProxyType({ins.code: ins.index for ins in instruments}),
        _tables=MappingProxyType(tables))


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
