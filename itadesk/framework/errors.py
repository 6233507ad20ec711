"""Errors in a framework (:class:`FieldError`, :class:`FrameworkError` — the one framework error class of
ITA Desk, raised by the loader and by the scoring engine alike) and the wording of their messages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


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


# ------------------------------------------------------------------------------------------------ where


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



# ------------------------------------------------------------------------------------------------ wording


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




def _range(low, high) -> str:
    if low is not None and high is not None:
        return f"between {_fmt(low)} and {_fmt(high)}"
    if low is not None:
        return f"at least {_fmt(low)}"
    return f"at most {_fmt(high)}"
