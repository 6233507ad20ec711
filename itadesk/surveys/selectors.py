"""Reads of stakeholder data, minimum samples and response follow-up."""

from __future__ import annotations


def minimum_for(round_, agency) -> dict[str, int | None]:
    """The minimum number of respondents of an agency in a round, by the round's framework sample rules
    and the agency's stakeholder data: ``{"internal": n | None, "external": m | None}`` (None when the
    population or the rule is not known yet)."""
    return {"internal": None, "external": None}
