"""What the apps that feed a milestone tell ``cycles`` about it, without ``cycles`` importing them.

Three milestones are fed by a module of ITA Desk (stakeholder data, OIT approval, IIT/EIT response counts;
see docs/architecture.md, "One source of truth"). Those modules sit *above* ``cycles`` (``surveys`` reads
rounds, milestones and progress), yet the dashboards, the reminder digests, the progress import and
``set_progress`` need their answers. So the feeding app registers one ``MilestoneSource`` here from its
``AppConfig.ready()`` (``surveys``), and ``cycles`` asks through the functions below: dependency inversion,
as ``accounts`` registers ``core.history.visible_agency_ids``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class MilestoneSource:
    """The callables a feeding app provides (all read-only, except that ``refuse_reset`` may raise)."""

    responses_milestone: str
    """The code of the milestone declared done by the response counts ("iit-eit")."""
    followup: Callable[..., Any]
    """``(round, agency_rows, *, sort="gap", trend="all")`` → the stakeholder and response follow-up."""
    checks: Callable[..., dict]
    """``(round, agency_rows)`` → {agency id: {milestone code: ITA Desk's state beside the declaration}}."""
    mismatches: Callable[..., list]
    """``(round, agency_rows, *, follow)`` → the agencies whose declaration contradicts ITA Desk."""
    below_minimum_ids: Callable[..., dict]
    """``(round, agency_ids)`` → {agency id: [(questionnaire code, responses, minimum)]} below the minimum."""
    refuse_reset: Callable[..., None]
    """``(*, actor, agency, milestone)``: raises when a done milestone may not go back to not done."""


_source: MilestoneSource | None = None


def register(source: MilestoneSource) -> None:
    """Called once, from the feeding app's ``AppConfig.ready()``."""
    global _source
    if _source is not None and _source != source:
        raise ImproperlyConfigured("a milestone source is already registered")
    _source = source


def source() -> MilestoneSource:
    if _source is None:
        raise ImproperlyConfigured("no milestone source registered (is itadesk.surveys installed?)")
    return _source
