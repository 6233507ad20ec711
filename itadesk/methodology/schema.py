"""Framework files (methodology as data): load, validate and fill in defaults. Pure Python, no Django.

The format is specified in ``docs/framework-format.md``. In short::

    fw = load_file("itadesk/methodology/frameworks/nacc-ita-2568.yaml")   # or load_text(text)
    for instrument, indicator, subindicator, item in iter_items(fw): ...

Loading validates the whole file and raises :class:`FrameworkError` with *every* problem found, each a
:class:`FieldError` naming the path of the offending value (``instruments[0].indicators[3].items[2].scale:
unknown scale 'five'``). A loaded framework is a plain dict with the defaults of the format filled in, its
keys in the order of the specification; loading it again gives the same dict.

YAML is read with the YAML 1.2 booleans: only ``true`` and ``false`` are booleans, so the answer values
``yes`` and ``no`` of a scale stay text (YAML 1.1, PyYAML's default, would turn them into booleans).
Keys given twice in one mapping are errors (YAML would silently keep the last one).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

import yaml

SCHEMA = "itadesk-framework/1"
FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"
YAML_SUFFIXES = (".yaml", ".yml")
XLSX_SUFFIXES = (".xlsx", ".xlsm")

STATUSES = ("official", "unofficial")
CONFIDENCES = ("H", "M", "L")
ROUNDING_MODES = ("half_even", "half_up", "truncate")
ROUNDING_STAGES = ("item", "subindicator", "indicator", "instrument", "component", "total")
TOTAL_RULES = ("weighted_sum",)
SCALE_TYPES = ("choice",)
RESPONDENTS = ("internal", "external", "agency")
INSTRUMENT_AGGREGATES = ("mean", "weighted_mean")
INDICATOR_AGGREGATES = ("mean_items", "mean_subindicators")
TEXT_STATUSES = ("official", "verbatim_other_year", "paraphrase", "unknown")
#: Which time an OIT item's evidence must be about (docs/framework-format.md, "Time rules"):
TIME_RULES = ("none", "current_holder", "covers_current_year", "current_year", "previous_year",
              "first_half_current_year", "any_year")
#: The time rules the evidence checker holds a page's fiscal years against; the others never get a
#: fiscal-year finding.
DATED_TIME_RULES = ("covers_current_year", "current_year", "previous_year", "first_half_current_year")
#: The older key ``data_year`` (``current`` | ``previous`` | ``any``), still read: converted on load.
DATA_YEARS = ("current", "previous", "any")
#: What the evidence checker can recognise besides words (an element's ``detect``): an image in the
#: page's content (a photo), a table, a phone number, an e-mail address, a map (an embedded or linked
#: Google/OpenStreetMap map), a link to a PDF, a link to a Word/Excel/PowerPoint file.
DETECTORS = ("image", "table", "phone", "email", "map", "pdf_link", "office_link")
DATA_YEAR_TO_TIME_RULE = {"current": "current_year", "previous": "previous_year", "any": "any_year"}
SAMPLE_GROUPS = ("internal", "external")
FIRST_YEAR, LAST_YEAR = 2500, 2700
MAX_DECIMALS = 6
DEFAULT_DECIMALS = 2
DEFAULT_MODE = "half_up"
DEFAULT_STAGES = ("total",)

SLUG_RE = re.compile(r"^[a-z0-9-]+$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
WORD_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
URL_RE = re.compile(r"^https?://\S+$")
INTEGER_TEXT_RE = re.compile(r"^[+-]?[0-9\u0e50-\u0e59]+$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

COMMON = ("note", "confidence", "sources")
#: The keys each kind of object may have, in the order the specification (and a written file) uses.
KEYS: dict[str, tuple[str, ...]] = {
    "framework": ("schema", "id", "version", "scheme", "fiscal_year", "years", "name_th", "name_en", "status",
                  "note", "confidence", "sources", "pass_mark", "rounding", "total", "scales", "levels",
                  "level_sets", "sample_rules", "instruments"),
    "source": ("id", "title", "url", "note"),
    "rounding": ("decimals", "mode", "stages", *COMMON),
    "total": ("rule", *COMMON),
    "scale": ("type", *COMMON, "options"),
    "option": ("value", "score", "label_th", "label_en", *COMMON),
    "level": ("code", "label_th", "label_en", "min_total", "min_each_instrument", "passing", *COMMON),
    "sample_rule": ("percent", "min", "max", "all_below", "confirmed", *COMMON),
    "instrument": ("code", "name_th", "name_en", "respondents", "weight", "aggregate", *COMMON, "indicators"),
    "indicator": ("code", "name_th", "name_en", "aggregate", "weight", *COMMON, "subindicators", "items"),
    "subindicator": ("code", "name_th", "name_en", *COMMON, "items"),
    "item": ("code", "text_th", "text_en", "text_status", "wording_year", "scale", "not_applicable", "order",
             "time_rule", "hints", *COMMON, "subquestions", "elements"),
    "subquestion": ("code", "text_th", "text_en", "scale", *COMMON),
    "element": ("code", "text_th", "text_en", "keywords", "patterns", "detect", "min_count", *COMMON),
    "hints": ("keywords", "document_types"),
    "time_rule": ("rule", *COMMON),
}
#: Keys still read for compatibility, converted on load and never written (see ``item_time_rule``).
LEGACY_KEYS: dict[str, tuple[str, ...]] = {"item": ("data_year",)}
AGENCY_ONLY_ITEM_KEYS = ("time_rule", "data_year", "elements", "hints")


# ------------------------------------------------------------------------------------------------ errors


@dataclass(frozen=True)
class FieldError:
    """One problem in a framework: ``path`` names the value (``instruments[0].weight``), ``message`` says
    what is wrong with it. ``where`` (not part of ``str()`` or equality) is where a person finds it in the
    file they edit: ``line 14`` of a YAML file, ``sheet items, row 9, column F (scale)`` of a workbook."""

    path: str
    message: str
    where: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def describe(self) -> str:
        """``str(self)`` followed by ``(where)`` when known."""
        return f"{self} ({self.where})" if self.where else str(self)


class FrameworkError(ValueError):
    """A framework that cannot be used: ``errors`` lists every problem found (not only the first)."""

    def __init__(self, errors: list[FieldError], *, source: str = ""):
        self.errors = list(errors)
        self.source = source
        super().__init__(self.__str__())

    def __str__(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        return "\n".join(prefix + e.describe() for e in self.errors)


# ------------------------------------------------------------------------------------------------ loading


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans (only true/false), so that ``yes``/``no``/``on``/``off`` are text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def load_text(text: str, *, source: str = "") -> dict:
    """Parse, validate and complete a framework given as YAML text. Raises :class:`FrameworkError`."""
    data, lines = _parse_yaml(text, source)
    try:
        return load_data(data, source=source)
    except FrameworkError as exc:
        raise FrameworkError([_with_where(e, lines, "line {}") for e in exc.errors], source=source) from None


def load_file(path) -> dict:
    """Load a framework file: YAML (``.yaml``/``.yml``) or the XLSX authoring template (``.xlsx``).
    Raises :class:`FrameworkError` (with the file name as ``source``) or ``OSError``."""
    path = Path(path)
    if path.suffix.lower() in XLSX_SUFFIXES:
        from itadesk.methodology.xlsx import load_xlsx  # openpyxl only when needed

        return load_xlsx(path, source=str(path))
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkError([FieldError("(file)", f"is not UTF-8 text (byte {exc.start + 1} cannot be read); "
                                                   "save the file as UTF-8")], source=str(path)) from None
    return load_text(text, source=str(path))


def load_data(data: Any, *, source: str = "") -> dict:
    """Validate an already parsed framework (a dict as YAML gives it) and return it with the defaults
    filled in. Raises :class:`FrameworkError`."""
    checker = _Checker()
    result = checker.run(data)
    if checker.errors:
        raise FrameworkError(checker.errors, source=source)
    return result


def validate(data: Any) -> list[FieldError]:
    """Every problem of a parsed framework (empty list: it is valid)."""
    checker = _Checker()
    checker.run(data)
    return checker.errors


def parse_text(text: str, *, source: str = "") -> Any:
    """The YAML text parsed as this module reads it (YAML 1.2 booleans, repeated keys refused), not yet
    validated. Raises :class:`FrameworkError` for a YAML syntax error or an empty text."""
    return _parse_yaml(text, source)[0]


def _parse_yaml(text: str, source: str) -> tuple[Any, dict[str, int]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        message = exc.problem or exc.context or "YAML syntax error"
        if exc.context and exc.problem and exc.context_mark:
            message += f" ({exc.context} on line {exc.context_mark.line + 1})"
        raise FrameworkError([FieldError(where, f"YAML syntax error: {message}")], source=source) from None
    except yaml.YAMLError as exc:  # e.g. a character YAML does not allow
        raise FrameworkError([FieldError("(file)", f"YAML error: {exc}")], source=source) from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    duplicates: list[FieldError] = []
    if node is not None:
        _walk_nodes(node, "", lines, duplicates, set())
    if duplicates:
        raise FrameworkError(duplicates, source=source)
    if data is None:
        raise FrameworkError([FieldError("(file)", "the file is empty")], source=source)
    return data, lines


def _walk_nodes(node, path: str, lines: dict[str, int], duplicates: list[FieldError], seen: set[int]) -> None:
    """Record the line of every key and list entry, and report keys given twice in one mapping."""
    if id(node) in seen:  # an alias of a node already walked
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                continue
            key, line = key_node.value, key_node.start_mark.line + 1
            sub = _join(path, key)
            if key in first:
                duplicates.append(FieldError(sub, f"key '{key}' is given twice in the same mapping (lines "
                                                  f"{first[key]} and {line}); keep one", where=f"line {line}"))
            else:
                first[key] = line
                lines.setdefault(sub, line)
            _walk_nodes(value_node, sub, lines, duplicates, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, value_node in enumerate(node.value):
            sub = f"{path}[{index}]"
            lines.setdefault(sub, value_node.start_mark.line + 1)
            _walk_nodes(value_node, sub, lines, duplicates, seen)


_PATH_PARTS = re.compile(r"\[\d+\]$|\.[^.\[]+$|^[^.\[]+$")


def parent_paths(path: str) -> Iterator[str]:
    """``a.b[2].c`` → ``a.b[2].c``, ``a.b[2]``, ``a.b``, ``a``."""
    while path:
        yield path
        match = _PATH_PARTS.search(path)
        if not match:
            return
        path = path[: match.start()]


def _with_where(error: FieldError, places: dict[str, Any], template: str) -> FieldError:
    if error.where:
        return error
    for candidate in parent_paths(error.path):
        if candidate in places:
            return FieldError(error.path, error.message, template.format(places[candidate]))
    return error


def locate_errors(errors: list[FieldError], places: dict[str, str]) -> list[FieldError]:
    """The errors with ``where`` set from ``places`` (path → where), using the nearest known parent path."""
    return [_with_where(e, places, "{}") for e in errors]


# ------------------------------------------------------------------------------------------------ helpers


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"'{shown}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value)"
    return type(value).__name__


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fmt(value: Any) -> str:
    """A number as people write it: 30, 33.33 (never 30.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean 'x'?)`` when exactly one choice is a near miss of ``word`` (one or two typing
    slips, a swapped pair of letters, or the start of a longer name), else ``""``."""
    word, choices = str(word), sorted({str(c) for c in choices})
    if len(word) < 3:
        return ""
    allowed = 1 if len(word) < 6 else 2
    distances = {c: _distance(word.casefold(), c.casefold()) for c in choices}
    best = min(distances.values(), default=allowed + 1)
    match = [c for c, d in distances.items() if d == best] if best <= allowed else []
    if not match:
        match = [c for c in choices if c.startswith(word)]
    return f" (did you mean '{match[0]}'?)" if len(match) == 1 else ""


def _distance(a: str, b: str) -> int:
    """Edit distance counting an insertion, a deletion, a substitution or a swap of two neighbours as 1."""
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[len(b)]


def _choices(values) -> str:
    values = [f"'{v}'" for v in values]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


_MISSING = object()
_BAD = object()


# ------------------------------------------------------------------------------------------------ checking


class _Checker:
    """One pass over a parsed framework: collects every error and builds the completed copy."""

    def __init__(self):
        self.errors: list[FieldError] = []
        self.source_refs: list[tuple[str, str]] = []
        self.source_ids: set[str] | None = None
        self.scale_names: set[str] | None = None
        self.codes: dict[str, dict[str, str]] = {k: {} for k in ("instrument", "indicator", "subindicator", "item")}
        self.position = 0

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    # --- generic pieces -------------------------------------------------------------------------

    def mapping(self, value: Any, path: str, kind: str, what: str) -> dict | None:
        """``value`` if it is a mapping (reporting its unknown keys), else None after an error."""
        if not isinstance(value, dict):
            self.error(path or "(file)", f"must be a mapping of keys ({what}), not {_describe(value)}")
            return None
        allowed = KEYS[kind] + LEGACY_KEYS.get(kind, ())
        for key in value:
            if key not in allowed:
                self.error(_join(path, key), f"unknown key '{key}'{did_you_mean(key, allowed)}")
        return value

    def field(self, obj: dict, key: str, path: str, check: Callable[[Any, str], Any], *, required: bool = False,
              nullable: bool = False, default: Any = _MISSING, hint: str = "") -> Any:
        """The checked value of ``obj[key]``; ``default`` (or _MISSING) when absent; _BAD after an error.
        Null, an empty text and (for an optional key without default) an empty list count as absent."""
        value = obj.get(key, _MISSING)
        sub = _join(path, key)
        if isinstance(value, str) and not value.strip():
            value = None
        if value == [] and not required and default is _MISSING:
            value = None
        if value is _MISSING or value is None:
            if required and not (nullable and value is None):
                if value is None:
                    self.error(sub, f"is required and may not be empty{hint}")
                else:
                    self.error(sub, f"required key is missing{hint}")
                return _BAD
            if nullable and value is None:
                return None
            return default() if callable(default) else default
        return check(value, sub)

    def text(self, value: Any, path: str) -> Any:
        if not isinstance(value, str):
            if _is_number(value):
                self.error(path, f"must be text, not {_describe(value)}: write it in quotes (\"{value}\")")
            else:
                self.error(path, f"must be text, not {_describe(value)}")
            return _BAD
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        control = _CONTROL_RE.search(value)
        if control:
            self.error(path, f"contains the control character U+{ord(control.group()):04X}; remove it")
            return _BAD
        return value

    def one_line(self, value: Any, path: str) -> Any:
        value = self.text(value, path)
        if value is not _BAD and "\n" in value:
            self.error(path, "must be on one line")
            return _BAD
        return value

    def matching(self, regexp: re.Pattern, description: str) -> Callable[[Any, str], Any]:
        def check(value, path):
            if isinstance(value, str):
                value = value.strip()
                if regexp.match(value):
                    return value
                self.error(path, f"must be {description}, not {_describe(value)}")
                return _BAD
            if _is_number(value):
                self.error(path, f"must be text ({description}), not {_describe(value)}: "
                                 f"write it in quotes (\"{value}\")")
            else:
                self.error(path, f"must be {description}, not {_describe(value)}")
            return _BAD

        return check

    @property
    def slug(self):
        return self.matching(SLUG_RE, "a slug of lower-case letters, digits and '-' (e.g. 'nacc-ita-2568')")

    @property
    def code(self):
        return self.matching(CODE_RE, "a code of letters, digits, '.', '_' or '-' without spaces (e.g. 'i12', '9.1')")

    @property
    def name(self):
        return self.matching(NAME_RE, "a name of letters, digits, '_' or '-' without spaces (e.g. 'four_level')")

    def enum(self, choices: tuple[str, ...]) -> Callable[[Any, str], Any]:
        def check(value, path):
            if isinstance(value, str) and value.strip() in choices:
                return value.strip()
            hint = did_you_mean(value, choices) if isinstance(value, str) else ""
            self.error(path, f"must be {_choices(choices)}, not {_describe(value)}{hint}")
            return _BAD

        return check

    def integer(self, low: int | None = None, high: int | None = None) -> Callable[[Any, str], Any]:
        def check(value, path):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if not isinstance(value, int) or isinstance(value, bool):
                self.error(path, f"must be a whole number, not {_describe(value)}")
                return _BAD
            if (low is not None and value < low) or (high is not None and value > high):
                self.error(path, f"must be {_range(low, high)}, not {value}")
                return _BAD
            return value

        return check

    def number(self, low: float | None = None, high: float | None = None, *,
               above: float | None = None) -> Callable[[Any, str], Any]:
        def check(value, path):
            if not _is_number(value) or not math.isfinite(value):
                self.error(path, f"must be a number, not {_describe(value)}")
                return _BAD
            if above is not None and value <= above:
                self.error(path, f"must be more than {_fmt(above)}, not {_fmt(value)}")
                return _BAD
            if (low is not None and value < low) or (high is not None and value > high):
                self.error(path, f"must be {_range(low, high)}, not {_fmt(value)}")
                return _BAD
            return value

        return check

    def boolean(self, value: Any, path: str) -> Any:
        if isinstance(value, bool):
            return value
        self.error(path, f"must be true or false, not {_describe(value)}")
        return _BAD

    def listing(self, each: Callable[[Any, str], Any], *, unique: str = "") -> Callable[[Any, str], Any]:
        """A list whose members pass ``each``; ``unique`` names them when they must not repeat."""

        def check(value, path):
            if not isinstance(value, list):
                self.error(path, f"must be a list, not {_describe(value)}")
                return _BAD
            result, seen, bad = [], {}, False
            for index, member in enumerate(value):
                sub = f"{path}[{index}]"
                if member is None or (isinstance(member, str) and not member.strip()):
                    self.error(sub, "is empty; remove it or fill it in")
                    bad = True
                    continue
                checked = each(member, sub)
                if checked is _BAD:
                    bad = True
                    continue
                if unique and checked in seen:
                    self.error(sub, f"{unique} {_describe(checked)} is listed twice (also {path}[{seen[checked]}])")
                    bad = True
                    continue
                seen[checked] = index
                result.append(checked)
            return _BAD if bad else result

        return check

    def unique(self, kind: str, code: Any, path: str, scope: dict[str, str] | None = None) -> None:
        if code is _BAD:
            return
        seen = self.codes[kind] if scope is None else scope
        if code in seen:
            self.error(_join(path, "code"), f"duplicate {kind} code '{code}' (already used at {seen[code]})")
        else:
            seen[code] = path

    def common(self, obj: dict, path: str, out: dict, *, sources: bool = True) -> None:
        for key, check in (("note", self.text), ("confidence", self.enum(CONFIDENCES))):
            value = self.field(obj, key, path, check)
            if value is not _MISSING and value is not _BAD:
                out[key] = value
        if sources:
            sub = _join(path, "sources")
            refs = self.field(obj, "sources", path, self.listing(self.slug, unique="source"))
            if refs is not _MISSING and refs is not _BAD:
                out["sources"] = refs
                self.source_refs.extend((f"{sub}[{i}]", ref) for i, ref in enumerate(refs))

    def put(self, out: dict, key: str, value: Any) -> Any:
        if value is not _MISSING and value is not _BAD:
            out[key] = value
        return value

    def children(self, obj: dict, key: str, path: str, what: str) -> list | None:
        """A required, non-empty list of objects (reported once if absent or empty)."""
        value = obj.get(key, _MISSING)
        sub = _join(path, key)
        if value is _MISSING or value is None:
            self.error(sub, f"required key is missing: list the {what}")
            return None
        if not isinstance(value, list):
            self.error(sub, f"must be a list of {what}, not {_describe(value)}")
            return None
        if not value:
            self.error(sub, f"must list at least one of the {what}")
            return None
        return value

    # --- the framework ----------------------------------------------------------------------------

    def run(self, data: Any) -> dict:
        fw = self.mapping(data, "", "framework", "schema, id, version, ... as in docs/framework-format.md")
        if fw is None:
            return {}
        out: dict = {}
        schema = self.field(fw, "schema", "", self.text, required=True)
        if schema is not _BAD and schema != SCHEMA:
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
            if order in orders:
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


def _range(low, high) -> str:
    if low is not None and high is not None:
        return f"between {_fmt(low)} and {_fmt(high)}"
    if low is not None:
        return f"at least {_fmt(low)}"
    return f"at most {_fmt(high)}"


# ------------------------------------------------------------------------------------------------ using it


class ItemRef(NamedTuple):
    """An item with the objects it belongs to (``subindicator`` is None for an item listed directly
    under its indicator)."""

    instrument: dict
    indicator: dict
    subindicator: dict | None
    item: dict


def item_time_rule(item: dict | None) -> str:
    """The time rule of an item (one of ``TIME_RULES``), from any stored form: ``time_rule`` as a
    mapping or as text, or the older ``data_year`` of a framework stored before time rules (a round's
    frozen framework is never rewritten). An item with neither has ``none``."""
    if not item:
        return "none"
    value = item.get("time_rule")
    if isinstance(value, dict):
        value = value.get("rule")
    if isinstance(value, str) and value in TIME_RULES:
        return value
    return DATA_YEAR_TO_TIME_RULE.get(item.get("data_year") or "", "none")


def iter_items(fw: dict) -> Iterator[ItemRef]:
    """Every item of a loaded framework in ITAS order: instrument by instrument (file order), and within
    an instrument by ``order`` (items with equal order keep their file order)."""
    for instrument in fw["instruments"]:
        refs = []
        for indicator in instrument["indicators"]:
            for sub in indicator.get("subindicators") or [None]:
                for item in (sub or indicator).get("items", []):
                    refs.append(ItemRef(instrument, indicator, sub, item))
        refs.sort(key=lambda ref: ref.item["order"])
        yield from refs


def find_item(fw: dict, code: str) -> ItemRef:
    """The item with this code (codes are unique in a framework). Raises KeyError if there is none."""
    for ref in iter_items(fw):
        if ref.item["code"] == code:
            return ref
    raise KeyError(f"framework {fw.get('id')} v{fw.get('version')} has no item '{code}'")


def find_instrument(fw: dict, code: str) -> dict:
    """The instrument with this code. Raises KeyError if there is none."""
    for instrument in fw["instruments"]:
        if instrument["code"] == code:
            return instrument
    raise KeyError(f"framework {fw.get('id')} v{fw.get('version')} has no instrument '{code}'")


def counts(fw: dict) -> dict:
    """How big a loaded framework is: ``{"instruments": 3, "indicators": 10, "subindicators": 7,
    "items": 71, "items_by_instrument": {"IIT": 30, "EIT": 15, "OIT": 26}}``."""
    by_instrument: dict[str, int] = {i["code"]: 0 for i in fw["instruments"]}
    for ref in iter_items(fw):
        by_instrument[ref.instrument["code"]] += 1
    indicators = [ind for ins in fw["instruments"] for ind in ins["indicators"]]
    return {
        "instruments": len(fw["instruments"]),
        "indicators": len(indicators),
        "subindicators": sum(len(ind.get("subindicators", [])) for ind in indicators),
        "items": sum(by_instrument.values()),
        "items_by_instrument": by_instrument,
    }


def minimum_sample(rule: dict, population: int) -> int:
    """The minimum number of respondents for a population of ``population`` under a sample rule
    (``{percent?, min?, max?, all_below?}``): all of them when ``all_below`` is set and the population is
    below it; otherwise ``ceil(population × percent / 100)`` (0 without a percent), raised to ``min``,
    lowered to ``max``, and never more than the population. The percentage is computed exactly
    (``10 %`` of 30 is 3, not 3.0000000000000004 rounded up to 4)."""
    if isinstance(population, bool) or not isinstance(population, int) or population < 0:
        raise ValueError(f"population must be a whole number ≥ 0, not {population!r}")
    all_below = rule.get("all_below")
    if all_below is not None and population < all_below:
        return population
    percent = rule.get("percent")
    needed = math.ceil(Fraction(str(percent)) * population / 100) if percent is not None else 0
    if rule.get("min") is not None:
        needed = max(needed, rule["min"])
    if rule.get("max") is not None:
        needed = min(needed, rule["max"])
    return min(needed, population)


# ------------------------------------------------------------------------------------------------ writing


def _is_position_order(fw: dict) -> dict[int, bool]:
    """id(item) → whether its order equals its position in the file (the default)."""
    result, position = {}, 0
    for instrument in fw.get("instruments", []):
        for indicator in instrument.get("indicators", []):
            for sub in indicator.get("subindicators") or [None]:
                for item in (sub or indicator).get("items", []):
                    position += 1
                    result[id(item)] = item.get("order") == position
    return result


def _compact(fw: dict) -> dict:
    """A copy without the defaults that only add noise to a written file (item order equal to the file
    position, not_applicable false, no sub-questions or elements, no level sets or sample rules).
    Loading the written file fills them in again."""
    default_order = _is_position_order(fw)

    def walk(value, parent_key=""):
        if isinstance(value, dict):
            is_item = parent_key == "items"
            out = {}
            for key, sub in value.items():
                if is_item and (
                    (key == "order" and default_order.get(id(value)))
                    or (key == "not_applicable" and sub is False)
                    or (key in ("subquestions", "elements") and sub == [])
                ):
                    continue
                out[key] = walk(sub, key)
            return out
        if isinstance(value, list):
            return [walk(v, parent_key) for v in value]
        return value

    out = walk(fw)
    for key in ("level_sets", "sample_rules"):
        if out.get(key) == {}:
            del out[key]
    return out


class _Dumper(yaml.SafeDumper):
    """Block style for objects with children, flow style (``{value: 1, score: 0, ...}``) for short flat
    ones and for lists of plain values, literal blocks for text with line breaks."""


def _flat(value) -> bool:
    return not isinstance(value, dict | list)


def _represent_dict(dumper, data):
    flow = all(_flat(v) or (isinstance(v, list) and all(_flat(x) for x in v)) for v in data.values()) and (
        sum(len(str(k)) + len(str(v)) + 4 for k, v in data.items()) <= 90)
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=flow)


def _represent_list(dumper, data):
    flow = all(_flat(v) for v in data) and sum(len(str(v)) + 2 for v in data) <= 90
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_str(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def dump_text(fw: dict) -> str:
    """A loaded framework as YAML text (keys in the order of the specification, Thai as is). Loading the
    text gives ``fw`` back."""
    return yaml.dump(_compact(fw), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110,
                     default_flow_style=False)
