"""The framework checker: one pass over a parsed framework that collects every error and builds the
completed copy (defaults filled in, keys in the order of the specification). The top level, rounding,
scales, levels and sample rules are here; the tree of instruments is in :mod:`itadesk.framework.items`."""

from __future__ import annotations

from typing import Any

from itadesk.framework.checks import _BAD, _MISSING
from itadesk.framework.errors import _describe, _fmt, _is_number, _join, did_you_mean
from itadesk.framework.items import ItemChecks
from itadesk.framework.queries import minimum_sample
from itadesk.framework.spec import (
    DEFAULT_DECIMALS,
    DEFAULT_MODE,
    DEFAULT_STAGES,
    FIRST_YEAR,
    INTEGER_TEXT_RE,
    LAST_YEAR,
    MAX_DECIMALS,
    ROUNDING_MODES,
    ROUNDING_STAGES,
    SAMPLE_GROUPS,
    SCALE_TYPES,
    SCHEMA,
    STATUSES,
    TOTAL_RULES,
    URL_RE,
)


class Checker(ItemChecks):
    """The whole framework (``run``)."""

    # --- the framework ----------------------------------------------------------------------------

    def run(self, data: Any) -> dict:
        fw = self.mapping(data, "", "framework", "schema, id, version, ... as in docs/framework-format.md")
        if fw is None:
            return {}
        out: dict = {}
        schema = self.field(fw, "schema", "", self.text, required=True)
        if schema is not _BAD and schema is not _MISSING and schema != SCHEMA:
            self.error("schema", f"must be '{SCHEMA}' (the only format this version of ITA Desk reads), "
                                 f"not {_describe(schema)}")
        self.put(out, "schema", schema)
        self.put(out, "id", self.field(fw, "id", "", self.slug, required=True))
        self.put(out, "version", self.field(fw, "version", "", self.integer(1), required=True))
        self.put(out, "scheme", self.field(fw, "scheme", "", self.slug, required=True))
        year = self.field(fw, "fiscal_year", "", self.integer(FIRST_YEAR, LAST_YEAR), required=True, nullable=True,
                          hint=" (a Buddhist-era year, or null for a scheme not tied to one year)")
        self.put(out, "fiscal_year", year)
        years = self.field(fw, "years", "", self.listing(self.integer(FIRST_YEAR, LAST_YEAR), unique="year"))
        if years is not _MISSING and years is not _BAD:
            if year is not None:
                self.error("years", "is only for a framework not tied to one year (fiscal_year: null); "
                                    f"this one is for fiscal year {_fmt(year)}")
            else:
                out["years"] = years
        self.put(out, "name_th", self.field(fw, "name_th", "", self.text, required=True))
        self.put(out, "name_en", self.field(fw, "name_en", "", self.text))
        status = self.put(out, "status", self.field(fw, "status", "", self.enum(STATUSES), required=True))
        self.common(fw, "", out, sources=False)
        out["sources"] = self.sources(fw.get("sources", _MISSING), status)
        pass_mark = self.put(out, "pass_mark", self.field(fw, "pass_mark", "", self.number(0, 100), required=True))
        self.put(out, "rounding", self.rounding(fw))
        self.put(out, "total", self.total(fw))
        self.put(out, "scales", self.scales(fw.get("scales", _MISSING)))
        levels = self.levels(fw.get("levels", _MISSING), "levels", required=True)
        if levels is not _BAD:
            out["levels"] = levels
            if _is_number(pass_mark):
                for index, level in enumerate(levels):
                    total = level.get("min_total")
                    if level.get("passing") is True and _is_number(total) and total < pass_mark:
                        self.error(f"levels[{index}].passing", f"is true, but min_total {_fmt(total)} is below "
                                                               f"pass_mark {_fmt(pass_mark)}")
        self.put(out, "level_sets", self.level_sets(fw.get("level_sets", _MISSING)))
        self.put(out, "sample_rules", self.sample_rules(fw.get("sample_rules", _MISSING)))
        self.put(out, "instruments", self.instruments(fw.get("instruments", _MISSING)))
        self.check_source_refs()
        return out

    def sources(self, value: Any, status: Any) -> list:
        if (value is _MISSING or value is None) and self.scoring:
            return []
        if value is _MISSING or value is None:
            self.error("sources", "required key is missing (write sources: [] for an official framework "
                                  "without separate sources)")
            return []
        if not isinstance(value, list):
            self.error("sources", f"must be a list of sources, not {_describe(value)}")
            return []
        if not value and status == "unofficial":
            self.error("sources", "must not be empty: an unofficial framework must say where it comes from")
        result, seen = [], {}
        self.source_ids = set()
        for index, raw in enumerate(value):
            path = f"sources[{index}]"
            src = self.mapping(raw, path, "source", "id, title, url, note")
            if src is None:
                continue
            out: dict = {}
            ident = self.put(out, "id", self.field(src, "id", path, self.slug, required=True))
            if ident is not _BAD:
                if ident in seen:
                    self.error(f"{path}.id", f"duplicate source id '{ident}' (already used at {seen[ident]})")
                seen[ident] = path
                self.source_ids.add(ident)
            self.put(out, "title", self.field(src, "title", path, self.text, required=True))
            url = self.field(src, "url", path, self.one_line)
            if url is not _MISSING and url is not _BAD and not URL_RE.match(url):
                self.error(f"{path}.url", f"must be a web address starting with http:// or https://, not "
                                          f"{_describe(url)}")
                url = _BAD
            self.put(out, "url", url)
            self.put(out, "note", self.field(src, "note", path, self.text))
            result.append(out)
        return result

    def check_source_refs(self) -> None:
        if self.source_ids is None:
            return
        for path, ref in self.source_refs:
            if ref not in self.source_ids:
                self.error(path, f"unknown source '{ref}' (not listed in the top-level sources)"
                                 f"{did_you_mean(ref, self.source_ids)}")

    def rounding(self, fw: dict) -> Any:
        if "rounding" not in fw or fw["rounding"] is None:
            self.error("rounding", "required key is missing (decimals, mode, stages)")
            return _BAD
        obj = self.mapping(fw["rounding"], "rounding", "rounding", "decimals, mode, stages")
        if obj is None:
            return _BAD
        out: dict = {}
        self.put(out, "decimals", self.field(obj, "decimals", "rounding", self.integer(0, MAX_DECIMALS),
                                             default=DEFAULT_DECIMALS))
        self.put(out, "mode", self.field(obj, "mode", "rounding", self.enum(ROUNDING_MODES), default=DEFAULT_MODE))
        self.put(out, "stages", self.field(obj, "stages", "rounding",
                                           self.listing(self.enum(ROUNDING_STAGES), unique="stage"),
                                           default=lambda: list(DEFAULT_STAGES)))
        self.common(obj, "rounding", out)
        return out

    def total(self, fw: dict) -> Any:
        if "total" not in fw or fw["total"] is None:
            self.error("total", "required key is missing (e.g. total: {rule: weighted_sum})")
            return _BAD
        obj = self.mapping(fw["total"], "total", "total", "rule")
        if obj is None:
            return _BAD
        out: dict = {}
        self.put(out, "rule", self.field(obj, "rule", "total", self.enum(TOTAL_RULES), required=True))
        self.common(obj, "total", out)
        return out

    # --- scales ------------------------------------------------------------------------------------

    def scales(self, value: Any) -> Any:
        if value is _MISSING or value is None:
            self.error("scales", "required key is missing: define the answer scales the items use")
            return _BAD
        if not isinstance(value, dict):
            self.error("scales", f"must be a mapping of scale names to scales, not {_describe(value)}")
            return _BAD
        if not value:
            self.error("scales", "must define at least one scale")
            return _BAD
        self.scale_names = set()
        result = {}
        for name, raw in value.items():
            path = _join("scales", name)
            if self.name(name, path) is _BAD:
                continue
            self.scale_names.add(name)
            obj = self.mapping(raw, path, "scale", "type, options")
            if obj is None:
                continue
            out: dict = {}
            self.put(out, "type", self.field(obj, "type", path, self.enum(SCALE_TYPES), required=True))
            self.common(obj, path, out)
            options = self.children(obj, "options", path, "answer options")
            if options is not None:
                out["options"] = self.options(options, _join(path, "options"))
            result[name] = out
        return result

    def options(self, options: list, path: str) -> list:
        result, seen = [], {}
        for index, raw in enumerate(options):
            sub = f"{path}[{index}]"
            obj = self.mapping(raw, sub, "option", "value, score, label_th")
            if obj is None:
                continue
            out: dict = {}
            value = self.put(out, "value", self.field(obj, "value", sub, self.answer_value, required=True))
            if value is not _BAD:
                if value in seen:
                    self.error(f"{sub}.value", f"duplicate value {_describe(value)} in this scale "
                                               f"(already used at {seen[value]})")
                seen[value] = sub
            self.put(out, "score", self.field(obj, "score", sub, self.number(0, 100), required=True))
            self.put(out, "label_th", self.field(obj, "label_th", sub, self.text, required=True))
            self.put(out, "label_en", self.field(obj, "label_en", sub, self.text))
            self.common(obj, sub, out)
            result.append(out)
        return result

    def answer_value(self, value: Any, path: str) -> Any:
        if isinstance(value, bool) and self.scoring:     # yaml.safe_load's reading of unquoted yes/no
            return "yes" if value else "no"
        if isinstance(value, bool):
            self.error(path, f"must be text or a whole number, not {_describe(value)} (a YAML 1.1 reader takes "
                             f"yes/no/on/off for booleans: write the value in quotes, e.g. 'yes')")
            return _BAD
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            text = self.one_line(value, path)
            if text is _BAD:
                return _BAD
            if INTEGER_TEXT_RE.match(text):
                self.error(path, f"is the number {text} written as text: write it without quotes, as a number")
                return _BAD
            return text
        self.error(path, f"must be text or a whole number, not {_describe(value)}")
        return _BAD

    # --- levels ------------------------------------------------------------------------------------

    def levels(self, value: Any, path: str, *, required: bool) -> Any:
        if value is _MISSING or value is None:
            if required:
                self.error(path, "required key is missing: list the result levels, best first")
            return _BAD
        if not isinstance(value, list):
            self.error(path, f"must be a list of levels (best first), not {_describe(value)}")
            return _BAD
        if not value:
            self.error(path, "must list at least one level (the last with min_total: 0)")
            return _BAD
        result, codes = [], {}
        previous: tuple[str, float] | None = None
        last_total: Any = _BAD
        for index, raw in enumerate(value):
            sub = f"{path}[{index}]"
            obj = self.mapping(raw, sub, "level", "code, label_th, min_total")
            if obj is None:
                last_total = _BAD
                continue
            out: dict = {}
            code = self.put(out, "code", self.field(obj, "code", sub, self.code, required=True))
            self.unique("level", code, sub, codes)
            self.put(out, "label_th", self.field(obj, "label_th", sub, self.text, required=True))
            self.put(out, "label_en", self.field(obj, "label_en", sub, self.text))
            total = self.put(out, "min_total", self.field(obj, "min_total", sub, self.number(0, 100), required=True))
            self.put(out, "min_each_instrument", self.field(obj, "min_each_instrument", sub, self.number(0, 100)))
            self.put(out, "passing", self.field(obj, "passing", sub, self.boolean))
            self.common(obj, sub, out)
            result.append(out)
            if total is not _BAD:
                if previous is not None and total > previous[1]:
                    self.error(f"{sub}.min_total", f"{_fmt(total)} is higher than the {_fmt(previous[1])} of the "
                                                   f"level above ({previous[0]}); levels are listed best first")
                previous = (code if code is not _BAD else sub, total)
            last_total = total
        if last_total is not _BAD and last_total != 0:
            self.error(f"{path}[{len(value) - 1}].min_total",
                       f"must be 0 for the last level (so that every total gets a level), not {_fmt(last_total)}")
        return result

    def level_sets(self, value: Any) -> Any:
        if value is _MISSING or value is None:
            return {}
        if not isinstance(value, dict):
            self.error("level_sets", f"must be a mapping of names to lists of levels, not {_describe(value)}")
            return _BAD
        result = {}
        for name, levels in value.items():
            path = _join("level_sets", name)
            if self.name(name, path) is _BAD:
                continue
            checked = self.levels(levels, path, required=True)
            if checked is not _BAD:
                result[name] = checked
        return result

    # --- sample rules ------------------------------------------------------------------------------

    def sample_rules(self, value: Any) -> Any:
        if value is _MISSING or value is None:
            return {}
        if not isinstance(value, dict):
            self.error("sample_rules", f"must be a mapping with internal and/or external, not {_describe(value)}")
            return _BAD
        result = {}
        for group, raw in value.items():
            path = _join("sample_rules", group)
            if group not in SAMPLE_GROUPS:
                self.error(path, f"unknown key '{group}': use internal or external{did_you_mean(group, SAMPLE_GROUPS)}")
                continue
            obj = self.mapping(raw, path, "sample_rule", "percent, min, max, all_below, confirmed")
            if obj is None:
                continue
            out: dict = {}
            percent = self.put(out, "percent", self.field(obj, "percent", path, self.number(0, 100)))
            low = self.put(out, "min", self.field(obj, "min", path, self.integer(0)))
            high = self.put(out, "max", self.field(obj, "max", path, self.integer(0)))
            below = self.put(out, "all_below", self.field(obj, "all_below", path, self.integer(0)))
            self.put(out, "confirmed", self.field(obj, "confirmed", path, self.boolean, default=False))
            self.common(obj, path, out)
            result[group] = out
            if isinstance(low, int) and isinstance(high, int) and low > high:
                self.error(f"{path}.min", f"{low} is more than max ({high})")
            elif isinstance(below, int) and below > 0 and all(v is not _BAD for v in (low, high, percent)):
                at = minimum_sample({k: v for k, v in out.items() if k != "all_below"}, below)
                if at < below - 1:
                    self.error(f"{path}.all_below",
                               f"does not fit the rest of the rule: a population of {below - 1} answers in full "
                               f"({below - 1}), but a population of {below} would need only {at}; set min (and max) "
                               f"to at least {below - 1}, or lower all_below")
        return result
