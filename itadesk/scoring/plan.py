"""The compiled plan: a framework, as the one parser (:mod:`itadesk.framework`) checks and completes it,
turned into the tree, answer columns and score tables the scoring paths share."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np

from itadesk.framework.errors import FieldError, FrameworkError
from itadesk.framework.loading import load_for_scoring
from itadesk.scoring.numbers import Rounding, _answer_key, _decimal_places, _fraction


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


def _levels(raw: list[dict], pass_mark: Fraction) -> tuple[LevelRule, ...]:
    rules = []
    for lv in raw:
        min_total = _fraction(lv["min_total"], "min_total")
        each = lv.get("min_each_instrument")
        passing = lv.get("passing")
        label_th = str(lv.get("label_th") or lv["code"])
        rules.append(LevelRule(
            code=str(lv["code"]), label_th=label_th, label_en=str(lv.get("label_en") or label_th),
            min_total=min_total, min_each_instrument=None if each is None else _fraction(each, "min_each_instrument"),
            passing=bool(passing) if passing is not None else min_total >= pass_mark))
    return tuple(rules)


def _scales(raw_scales: Mapping[str, dict]) -> tuple[dict[str, ScaleInfo], int]:
    """The scales and U (10 to the most decimal places of a scale score)."""
    scales: dict[str, ScaleInfo] = {}
    places = 0
    for name, sc in raw_scales.items():
        values, scores, lookup = [], [], {}
        for n, opt in enumerate(sc["options"]):
            score = _fraction(opt["score"], f"scales.{name}.options[{n}].score")
            p = _decimal_places(score)
            if p is None or p > 12:
                raise FrameworkError([FieldError(f"scales.{name}.options[{n}].score",
                                                 "must be a decimal with at most 12 places")])
            places = max(places, p)
            lookup[_answer_key(opt["value"])] = n
            values.append(opt["value"])
            scores.append(score)
        for key, n in list(lookup.items()):      # "4" answers the value 4 (web forms send strings)
            if isinstance(key, int) and str(key) not in lookup:
                lookup[str(key)] = n
        scales[str(name)] = ScaleInfo(str(name), tuple(values), tuple(scores), MappingProxyType(lookup),
                                      max(scores))
    return scales, 10**places


def compile_framework(fw: Mapping[str, Any] | Plan) -> Plan:
    """Precompute the tree, the columns and the score tables of a framework.

    ``fw`` is a framework as :func:`itadesk.framework.load_data` returns it (a stored
    ``FrameworkVersion.data``) or a raw ``yaml.safe_load`` dict: either way it first goes through the one
    parser, :func:`itadesk.framework.load_for_scoring`, which checks it and fills in the documented
    defaults (rounding ``mode: half_up``, ``stages: [total]``, indicator and instrument ``aggregate``,
    item ``order``); this function only builds from that structure. Raises
    :class:`~itadesk.framework.FrameworkError` listing every problem. A Plan is returned unchanged."""
    if isinstance(fw, Plan):
        return fw
    fw = load_for_scoring(fw)
    pass_mark = _fraction(fw["pass_mark"], "pass_mark")
    r = fw["rounding"]
    rounding = Rounding(r["decimals"], r["mode"], frozenset(r["stages"]))
    scales, unit = _scales(fw["scales"])

    # Instruments → indicators → (sub-indicators) → items.
    items: list[dict] = []
    subindicators: list[SubindicatorInfo] = []
    indicators: list[IndicatorInfo] = []
    instruments: list[InstrumentInfo] = []

    def read_item(raw: Mapping, ins_i: int, ind_i: int, sub_i: int) -> int:
        scale = raw["scale"]
        sub_codes = tuple(str(sq["code"]) for sq in raw["subquestions"])
        col_scales = tuple(sq.get("scale") or scale for sq in raw["subquestions"]) or (scale,)
        best = sum((scales[s].best for s in col_scales), Fraction(0)) / len(col_scales)
        items.append({"code": str(raw["code"]), "index": len(items), "instrument": ins_i, "indicator": ind_i,
                      "subindicator": sub_i, "scales": col_scales, "subquestions": sub_codes,
                      "sort_key": (raw["order"], len(items)), "best": best,
                      "not_applicable": raw["not_applicable"]})
        return len(items) - 1

    for ins_i, ins in enumerate(fw["instruments"]):
        ind_indices, ins_items = [], []
        for ind in ins["indicators"]:
            ind_i = len(indicators)
            ind_items, sub_indices = [], []
            for sub in ind.get("subindicators", ()):
                sub_items = [read_item(it, ins_i, ind_i, len(subindicators)) for it in sub["items"]]
                sub_indices.append(len(subindicators))
                subindicators.append(SubindicatorInfo(str(sub["code"]), len(subindicators), ind_i, tuple(sub_items)))
                ind_items.extend(sub_items)
            ind_items.extend(read_item(it, ins_i, ind_i, -1) for it in ind.get("items", ()))
            weight = ind.get("weight")
            indicators.append(IndicatorInfo(str(ind["code"]), ind_i, ins_i, ind["aggregate"],
                                            None if weight is None else _fraction(weight, "weight"),
                                            tuple(ind_items), tuple(sub_indices), str(ind.get("name_th") or "")))
            ind_indices.append(ind_i)
            ins_items.extend(ind_items)
        instruments.append(InstrumentInfo(str(ins["code"]), ins_i, ins["respondents"], _fraction(ins["weight"], "weight"),
                                          ins["aggregate"], tuple(ind_indices), tuple(ins_items), (),
                                          str(ins.get("name_th") or "")))

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
    agency_columns = tuple(col for ins in instruments if ins.respondents == "agency" for col in ins.columns)
    return Plan(
        framework=MappingProxyType(fw), id=str(fw.get("id") or "framework"), version=fw.get("version"),
        pass_mark=pass_mark, rounding=rounding, scales=MappingProxyType(scales), items=tuple(item_infos),
        subindicators=tuple(subindicators), indicators=tuple(indicators), instruments=tuple(instruments),
        levels=_levels(fw["levels"], pass_mark),
        level_sets=MappingProxyType({str(name): _levels(lv, pass_mark) for name, lv in fw["level_sets"].items()}),
        unit=unit, lcm=lcm, agency_columns=agency_columns,
        _item_by_code=MappingProxyType({it.code: it.index for it in item_infos}),
        _indicator_by_code=MappingProxyType({ind.code: ind.index for ind in indicators}),
        _instrument_by_code=MappingProxyType({ins.code: ins.index for ins in instruments}),
        _tables=MappingProxyType(tables))
