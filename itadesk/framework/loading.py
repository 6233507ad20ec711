"""Reading a framework: YAML text → parsed data → checked and completed dict (the loader's one pass of
:class:`~itadesk.framework.checker.Checker`). Pure Python + PyYAML."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from itadesk.framework.checker import Checker
from itadesk.framework.errors import FieldError, FrameworkError, _join, _with_where


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader with YAML 1.2 booleans (only true/false), so that ``yes``/``no``/``on``/``off`` are text.
    libyaml's parser when PyYAML was built with it (Debian's and the wheels are): the shipped frameworks
    load several times faster; the pure-Python parser gives the same nodes, marks and errors."""


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



def load_data(data: Any, *, source: str = "") -> dict:
    """Validate an already parsed framework (a dict as YAML gives it) and return it with the defaults
    filled in. Raises :class:`FrameworkError`."""
    checker = Checker()
    result = checker.run(data)
    if checker.errors:
        raise FrameworkError(checker.errors, source=source)
    return result


def load_for_scoring(data: Any) -> dict:
    """Check and complete a framework handed straight to the scoring engine (``compile_framework``):
    the same checks and the same defaults as :func:`load_data` — one parser, one default rounding —
    except that the descriptive keys scoring never reads (``spec.DESCRIPTIVE_KEYS``: names, wordings,
    labels, ``schema``, ``status``, ``sources``) may be left out, and the YAML 1.1 booleans a plain
    ``yaml.safe_load`` makes of unquoted ``yes``/``no`` stand for the answer values "yes"/"no".
    A framework returned by :func:`load_data` passes unchanged. Raises :class:`FrameworkError` with
    every problem found."""
    checker = Checker(scoring=True)
    result = checker.run(dict(data) if isinstance(data, Mapping) and not isinstance(data, dict) else data)
    if checker.errors:
        raise FrameworkError(checker.errors)
    return result


def validate(data: Any) -> list[FieldError]:
    """Every problem of a parsed framework (empty list: it is valid)."""
    checker = Checker()
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


