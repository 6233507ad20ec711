"""Reading a loaded framework: its items in ITAS order, look-ups, sizes, minimum samples."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from itadesk.framework.spec import DATA_YEAR_TO_TIME_RULE, TIME_RULES


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


@lru_cache(maxsize=256)
def _exact(percent) -> Fraction:
    """A rule's percentage as an exact fraction (``10`` → 10, ``2.5`` → 5/2, never 2.4999…)."""
    return Fraction(str(percent))


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
    if percent is not None:
        share = _exact(percent)
        needed = -(-share.numerator * population // (share.denominator * 100))  # the ceiling, in integers
    else:
        needed = 0
    if rule.get("min") is not None:
        needed = max(needed, rule["min"])
    if rule.get("max") is not None:
        needed = min(needed, rule["max"])
    return min(needed, population)
