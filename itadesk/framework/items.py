"""The checks of the framework's tree: instruments, indicators, sub-indicators, items and what an OIT
item carries for the evidence checker (time rule, hints, required elements)."""

from __future__ import annotations

import math
import re
from typing import Any

from itadesk.framework.checks import _BAD, _MISSING, BaseChecker
from itadesk.framework.errors import _describe, _fmt, did_you_mean
from itadesk.framework.spec import (
    AGENCY_ONLY_ITEM_KEYS,
    DATA_YEAR_TO_TIME_RULE,
    DATA_YEARS,
    DETECTORS,
    FIRST_YEAR,
    INDICATOR_AGGREGATES,
    INSTRUMENT_AGGREGATES,
    LAST_YEAR,
    RESPONDENTS,
    TEXT_STATUSES,
    TIME_RULES,
    WORD_RE,
)


class ItemChecks(BaseChecker):
    """Instruments and everything below them."""

    # --- instruments, indicators, items ----------------------------------------------------------

    def instruments(self, value: Any) -> Any:
        if value is _MISSING or value is None:
            self.error("instruments", "required key is missing: list the instruments (e.g. IIT, EIT, OIT)")
            return _BAD
        if not isinstance(value, list):
            self.error("instruments", f"must be a list of instruments, not {_describe(value)}")
            return _BAD
        if not value:
            self.error("instruments", "must list at least one instrument")
            return _BAD
        result, weights = [], []
        for index, raw in enumerate(value):
            path = f"instruments[{index}]"
            obj = self.mapping(raw, path, "instrument", "code, name_th, respondents, weight, indicators")
            if obj is None:
                weights = None
                continue
            out: dict = {}
            code = self.put(out, "code", self.field(obj, "code", path, self.code, required=True))
            self.unique("instrument", code, path)
            self.put(out, "name_th", self.field(obj, "name_th", path, self.text, required=True))
            self.put(out, "name_en", self.field(obj, "name_en", path, self.text))
            respondents = self.put(out, "respondents", self.field(obj, "respondents", path, self.enum(RESPONDENTS),
                                                                  required=True))
            weight = self.put(out, "weight", self.field(obj, "weight", path, self.number(0, 100), required=True))
            if weights is not None:
                weights = None if weight is _BAD else [*weights, (code, weight)]
            aggregate = self.put(out, "aggregate", self.field(obj, "aggregate", path,
                                                              self.enum(INSTRUMENT_AGGREGATES), default="mean"))
            self.common(obj, path, out)
            indicators = self.children(obj, "indicators", path, "indicators")
            if indicators is not None:
                context = {"path": path, "code": code, "respondents": respondents, "aggregate": aggregate,
                           "orders": {}}
                out["indicators"] = [self.indicator(raw_ind, f"{path}.indicators[{i}]", context)
                                     for i, raw_ind in enumerate(indicators)]
                out["indicators"] = [i for i in out["indicators"] if i is not None]
            result.append(out)
        if weights:
            total = math.fsum(w for _, w in weights)
            if abs(total - 100) > 1e-9:
                parts = " + ".join(f"{c if c is not _BAD else '?'} {_fmt(w)}" for c, w in weights)
                self.error("instruments", f"the instrument weights must add up to 100, but they add up to "
                                          f"{_fmt(round(total, 9))} ({parts})")
        return result

    def indicator(self, raw: Any, path: str, context: dict) -> dict | None:
        obj = self.mapping(raw, path, "indicator", "code, name_th, items or subindicators")
        if obj is None:
            return None
        out: dict = {}
        code = self.put(out, "code", self.field(obj, "code", path, self.code, required=True))
        self.unique("indicator", code, path)
        self.put(out, "name_th", self.field(obj, "name_th", path, self.text, required=True))
        self.put(out, "name_en", self.field(obj, "name_en", path, self.text))
        has_items, has_subs = obj.get("items") is not None, obj.get("subindicators") is not None
        default = "mean_subindicators" if has_subs and not has_items else "mean_items"
        aggregate = self.put(out, "aggregate", self.field(obj, "aggregate", path, self.enum(INDICATOR_AGGREGATES),
                                                          default=default))
        if aggregate == "mean_subindicators" and has_items and not has_subs:
            self.error(f"{path}.aggregate", "is mean_subindicators, but this indicator has no subindicators "
                                            "(its items are listed directly): use mean_items or leave it out")
        weighted = context["aggregate"] == "weighted_mean"
        weight = self.field(obj, "weight", path, self.number(above=0),
                            required=weighted, hint=f" ({context['path']}.aggregate is weighted_mean)")
        if weight is not _MISSING and weight is not _BAD:
            if not weighted and context["aggregate"] is not _BAD:
                self.error(f"{path}.weight", f"is only used when the instrument's aggregate is weighted_mean "
                                             f"({context['path']}.aggregate is {context['aggregate']}): remove "
                                             f"it or set that aggregate")
            else:
                out["weight"] = weight
        self.common(obj, path, out)
        if has_items and has_subs:
            self.error(path, "has both items and subindicators: give one of them (items go inside "
                             "the subindicators)")
            return out
        if not has_items and not has_subs:
            self.error(path, "needs items or subindicators (neither is given)")
            return out
        if has_subs:
            subs = self.children(obj, "subindicators", path, "subindicators")
            if subs is not None:
                out["subindicators"] = [s for s in (self.subindicator(raw_sub, f"{path}.subindicators[{i}]", context)
                                                    for i, raw_sub in enumerate(subs)) if s is not None]
        else:
            items = self.children(obj, "items", path, "items")
            if items is not None:
                out["items"] = [it for it in (self.item(raw_item, f"{path}.items[{i}]", context)
                                              for i, raw_item in enumerate(items)) if it is not None]
        return out

    def subindicator(self, raw: Any, path: str, context: dict) -> dict | None:
        obj = self.mapping(raw, path, "subindicator", "code, name_th, items")
        if obj is None:
            return None
        out: dict = {}
        code = self.put(out, "code", self.field(obj, "code", path, self.code, required=True))
        self.unique("subindicator", code, path)
        self.put(out, "name_th", self.field(obj, "name_th", path, self.text, required=True))
        self.put(out, "name_en", self.field(obj, "name_en", path, self.text))
        self.common(obj, path, out)
        items = self.children(obj, "items", path, "items")
        if items is not None:
            out["items"] = [it for it in (self.item(raw_item, f"{path}.items[{i}]", context)
                                          for i, raw_item in enumerate(items)) if it is not None]
        return out

    def scale_ref(self, value: Any, path: str) -> Any:
        name = self.text(value, path)
        if name is _BAD or self.scale_names is None:
            return name
        if name not in self.scale_names:
            self.error(path, f"unknown scale '{name}'{did_you_mean(name, self.scale_names)}")
            return _BAD
        return name

    def item(self, raw: Any, path: str, context: dict) -> dict | None:
        self.position += 1
        position = self.position
        obj = self.mapping(raw, path, "item", "code, text_th, text_status, scale")
        if obj is None:
            return None
        agency = context["respondents"] == "agency"
        out: dict = {}
        code = self.put(out, "code", self.field(obj, "code", path, self.code, required=True))
        self.unique("item", code, path)
        text_th = self.put(out, "text_th", self.field(obj, "text_th", path, self.text, required=True, nullable=True,
                                                      hint=" (write text_th: null when the wording is not known)"))
        self.put(out, "text_en", self.field(obj, "text_en", path, self.text))
        status = self.put(out, "text_status", self.field(obj, "text_status", path, self.enum(TEXT_STATUSES),
                                                         required=True))
        if status == "unknown" and isinstance(text_th, str):
            self.error(f"{path}.text_th", "must be null when text_status is 'unknown' (never invent a wording); "
                                          "if this is an approximate wording, use text_status: paraphrase")
        elif text_th is None and status not in ("unknown", _BAD):
            self.error(f"{path}.text_status", f"must be 'unknown' when text_th is null (not {_describe(status)})")
        wording_year = self.put(out, "wording_year", self.field(obj, "wording_year", path,
                                                                self.integer(FIRST_YEAR, LAST_YEAR)))
        if status == "verbatim_other_year" and wording_year is _MISSING:
            self.error(f"{path}.wording_year", "is required when text_status is verbatim_other_year "
                                               "(the Buddhist-era year the wording comes from)")
        self.put(out, "scale", self.field(obj, "scale", path, self.scale_ref, required=True))
        self.put(out, "not_applicable", self.field(obj, "not_applicable", path, self.boolean, default=False))
        order = self.put(out, "order", self.field(obj, "order", path, self.integer(1), default=position))
        if order is not _BAD:
            orders = context["orders"]
            explicit = obj.get("order") is not None
            if order in orders and not self.scoring:     # scoring: ties keep the file order
                other_path, other_code, other_explicit = orders[order]
                why = "" if explicit and other_explicit else " (an item without order gets its position in the file)"
                self.error(f"{path}.order", f"{order} is also the order of item '{other_code}' ({other_path}) in the "
                                            f"same instrument{why}")
            else:
                orders[order] = (path, code if code is not _BAD else "?", explicit)
        for key in AGENCY_ONLY_ITEM_KEYS:
            if not agency and obj.get(key) not in (None, [], {}) and context["respondents"] is not _BAD:
                self.error(f"{path}.{key}", f"is only for items of an instrument answered by the agency "
                                            f"(respondents: agency); {context['path']} ({context['code']}) has "
                                            f"respondents: {context['respondents']}")
        if agency:
            self.put(out, "time_rule", self.time_rule(obj, path))
            self.put(out, "hints", self.hints(obj, path))
        self.common(obj, path, out)
        out["subquestions"] = self.subquestions(obj, path)
        if agency:
            out["elements"] = self.elements(obj, path)
        return out

    def time_rule(self, obj: dict, path: str) -> Any:
        """``time_rule: current_year`` or ``time_rule: {rule, note, confidence, sources}`` -> the mapping;
        the older ``data_year: current|previous|any`` is converted (both at once is an error)."""
        value, old = obj.get("time_rule"), obj.get("data_year")
        if old not in (None, "") and value not in (None, "", {}):
            self.error(f"{path}.data_year", "give either time_rule or the older data_year, not both "
                                            "(data_year is converted to time_rule)")
            return _BAD
        if value in (None, "", {}):
            if old in (None, ""):
                return _MISSING
            rule = self.field(obj, "data_year", path, self.enum(DATA_YEARS))
            if rule is _BAD:
                return _BAD
            return {"rule": DATA_YEAR_TO_TIME_RULE[rule]}
        sub = f"{path}.time_rule"
        if isinstance(value, str):
            rule = self.enum(TIME_RULES)(value, sub)
            return _BAD if rule is _BAD else {"rule": rule}
        mapping = self.mapping(value, sub, "time_rule", "rule, note, confidence, sources")
        if mapping is None:
            return _BAD
        out: dict = {}
        rule = self.put(out, "rule", self.field(mapping, "rule", sub, self.enum(TIME_RULES), required=True))
        self.common(mapping, sub, out)
        return _BAD if rule in (_BAD, _MISSING) else out

    def hints(self, obj: dict, path: str) -> Any:
        value = obj.get("hints")
        if value is None or value == {}:
            return _MISSING
        sub = f"{path}.hints"
        hints = self.mapping(value, sub, "hints", "keywords, document_types")
        if hints is None:
            return _BAD
        out: dict = {}
        self.put(out, "keywords", self.field(hints, "keywords", sub, self.listing(self.one_line, unique="keyword")))
        words = self.matching(WORD_RE, "a lower-case word such as html, pdf, image or video")
        self.put(out, "document_types", self.field(hints, "document_types", sub,
                                                   self.listing(words, unique="document type")))
        return out or _MISSING

    def subquestions(self, obj: dict, path: str) -> list:
        value = obj.get("subquestions")
        sub = f"{path}.subquestions"
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(sub, f"must be a list of sub-questions, not {_describe(value)}")
            return []
        result, codes = [], {}
        for index, raw in enumerate(value):
            qpath = f"{sub}[{index}]"
            q = self.mapping(raw, qpath, "subquestion", "code, text_th, text_en, scale")
            if q is None:
                continue
            out: dict = {}
            code = self.put(out, "code", self.field(q, "code", qpath, self.code, required=True))
            self.unique("sub-question", code, qpath, codes)
            self.put(out, "text_th", self.field(q, "text_th", qpath, self.text))
            self.put(out, "text_en", self.field(q, "text_en", qpath, self.text))
            self.put(out, "scale", self.field(q, "scale", qpath, self.scale_ref))
            self.common(q, qpath, out)
            result.append(out)
        return result

    def elements(self, obj: dict, path: str) -> list:
        value = obj.get("elements")
        sub = f"{path}.elements"
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(sub, f"must be a list of required elements, not {_describe(value)}")
            return []
        result, codes = [], {}
        for index, raw in enumerate(value):
            epath = f"{sub}[{index}]"
            e = self.mapping(raw, epath, "element", "code, text_th, keywords, patterns")
            if e is None:
                continue
            out: dict = {}
            code = self.put(out, "code", self.field(e, "code", epath, self.code, required=True))
            self.unique("element", code, epath, codes)
            self.put(out, "text_th", self.field(e, "text_th", epath, self.text, required=True))
            self.put(out, "text_en", self.field(e, "text_en", epath, self.text))
            self.put(out, "keywords", self.field(e, "keywords", epath, self.listing(self.one_line, unique="keyword")))
            self.put(out, "patterns", self.field(e, "patterns", epath, self.listing(self.pattern, unique="pattern")))
            self.put(out, "detect", self.field(e, "detect", epath, self.listing(self.enum(DETECTORS),
                                                                                unique="detector")))
            count = self.put(out, "min_count", self.field(e, "min_count", epath, self.integer(1, 1000)))
            if count not in (_MISSING, _BAD) and not (e.get("keywords") or e.get("patterns")):
                self.error(f"{epath}.min_count", "needs keywords or patterns to count")
            self.common(e, epath, out)
            result.append(out)
        return result

    def pattern(self, value: Any, path: str) -> Any:
        if not isinstance(value, str):
            self.error(path, f"must be a regular expression (text), not {_describe(value)}")
            return _BAD
        value = value.strip()
        if "\n" in value or "\r" in value:
            self.error(path, "must be on one line (write a line break as \\n)")
            return _BAD
        try:
            re.compile(value)
        except re.error as exc:
            where = f" at position {exc.pos + 1}" if exc.pos is not None else ""
            self.error(path, f"is not a valid regular expression: {exc.msg}{where}")
            return _BAD
        return value
