"""Writes for rounds, milestones and progress: one transaction and one history event each."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from itadesk.core import audit
from itadesk.core.services import Refused
from itadesk.cycles import sources
from itadesk.cycles.models import DONE_STATUSES, Milestone, Participation, Progress, Round, Status
from itadesk.cycles.round_setup import RoundRefused, refuse_if_closed
from itadesk.registry.models import Agency

PROGRESS_FIELDS = ["status", "note", "done_at", "changed_late", "updated_by_id"]
MILESTONE_FIELDS = ["code", "name_th", "name_en", "description", "opens_at", "deadline", "order"]


@transaction.atomic
def set_progress(*, actor, agency: Agency, milestone: Milestone, status: str, note: str | None = None,
                 now=None, action: str = "progress.set") -> Progress:
    """Record where ``agency`` stands on ``milestone``. Allowed after the deadline, but marked late."""
    if status not in Status.values:
        raise Refused.of(_lazy("Unknown status “%(s)s”."), field="status", s=status)
    if Round.objects.filter(pk=milestone.round_id, state=Round.State.CLOSED).exists():
        try:
            refuse_if_closed(milestone.round)
        except RoundRefused as exc:  # a refusal (ValidationError) for forms, imports and the API
            raise Refused(exc.th, exc.en) from exc
    if not Participation.objects.filter(round_id=milestone.round_id, agency=agency).exists():
        raise Refused.of(_lazy("%(agency)s does not take part in %(round)s."), agency=agency, round=milestone.round)
    now = now or timezone.now()
    progress, created = Progress.objects.select_for_update(of=("self",)).get_or_create(
        milestone=milestone, agency=agency, defaults={"updated_at": now})
    before = None if created else audit.snapshot(progress, PROGRESS_FIELDS)
    if not created and progress.status == status and (note is None or note == progress.note):
        return progress
    was_done = progress.status in DONE_STATUSES
    if was_done and status not in DONE_STATUSES and milestone.code == "stakeholders":
        sources.source().refuse_reset(actor=actor, agency=agency, milestone=milestone)
    progress.status = status
    if note is not None:
        progress.note = note
    if status in DONE_STATUSES and not was_done:
        progress.done_at = now
    elif status not in DONE_STATUSES:
        progress.done_at = None
    progress.changed_late = now >= milestone.deadline  # the window closes at the deadline
    progress.updated_at = now
    progress.updated_by = actor if getattr(actor, "pk", None) else None
    progress.save()
    audit.record(actor=actor, action=action, obj=progress, before=before,
                 after=audit.snapshot(progress, PROGRESS_FIELDS),
                 note=_("changed after the deadline") if progress.changed_late else "")
    return progress


@transaction.atomic
def save_milestone(*, actor, milestone: Milestone, changes: dict) -> Milestone:
    creating = milestone.pk is None
    before = None if creating else audit.snapshot(milestone, MILESTONE_FIELDS)
    for name, value in changes.items():
        setattr(milestone, name, value)
    milestone.full_clean()
    milestone.save()
    audit.record(actor=actor, action="milestone.create" if creating else "milestone.update", obj=milestone,
                 before=before, after=audit.snapshot(milestone, MILESTONE_FIELDS))
    return milestone


@transaction.atomic
def delete_milestone(*, actor, milestone: Milestone) -> None:
    before = audit.snapshot(milestone, MILESTONE_FIELDS)
    audit.record(actor=actor, action="milestone.delete", obj=milestone, before=before)
    milestone.delete()


@transaction.atomic
def set_public_dashboard(*, actor, round: Round, public: bool) -> None:
    before = {"public_dashboard": round.public_dashboard}
    round.public_dashboard = public
    round.save(update_fields=["public_dashboard"])
    audit.record(actor=actor, action="round.public_dashboard", obj=round, before=before,
                 after={"public_dashboard": public})


@transaction.atomic
def enrol_agencies(*, actor, round: Round, agencies) -> int:
    """Add agencies to a round (idempotent). Returns how many were new."""
    existing = set(round.participations.values_list("agency_id", flat=True))
    new = [Participation(round=round, agency=a) for a in agencies if a.pk not in existing]
    Participation.objects.bulk_create(new)
    if new:
        audit.record(actor=actor, action="round.enrol", obj=round, after={"agencies": [p.agency_id for p in new]})
    return len(new)
