"""Writing a loaded framework back as YAML text (loading the text gives the same framework)."""

from __future__ import annotations

import yaml


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
