"""The checker's generic pieces: typed fields (text, codes, numbers, enumerations, lists), unknown keys,
unique codes. :class:`~itadesk.framework.checker.Checker` builds the framework's checks on them."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from itadesk.framework.errors import (
    FieldError,
    _choices,
    _describe,
    _fmt,
    _is_number,
    _join,
    _range,
    did_you_mean,
)
from itadesk.framework.spec import (
    _CONTROL_RE,
    CODE_RE,
    CONFIDENCES,
    DESCRIPTIVE_KEYS,
    KEYS,
    LEGACY_KEYS,
    NAME_RE,
    SLUG_RE,
)

#: A key that is not given; a value that was reported as an error.
_MISSING = object()
_BAD = object()


class BaseChecker:
    """One pass over a parsed framework: collects every error and builds the completed copy. With
    ``scoring=True`` (``loading.load_for_scoring``) the descriptive keys are optional."""

    def __init__(self, *, scoring: bool = False):
        self.scoring = scoring
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
        if required and self.scoring and key in DESCRIPTIVE_KEYS and not path.startswith("sources"):
            required = False
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
