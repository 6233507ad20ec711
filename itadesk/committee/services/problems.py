"""Problems and obstacles (ปัญหาอุปสรรค) an office reports to the committee, open or resolved.
One transaction and one audit event per write."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from itadesk.committee.models import (
    Problem,
)
from itadesk.committee.services.actions import _today
from itadesk.core import audit
from itadesk.core.services import actor_user, apply_changes
from itadesk.core.thai import format_date

# --- problems and obstacles ------------------------------------------------------------------------------

PROBLEM_FIELDS = ["office_id", "title", "detail", "since", "action_taken", "request_to_committee", "status",
                  "resolved_at"]

@transaction.atomic
def save_problem(*, actor, province, problem: Problem | None = None, changes: dict, agencies=None,
                 at=None) -> Problem:
    """Record or edit one office's problem. Resolving and reopening go through ``set_problem_status``."""
    if problem is not None and problem.pk:
        problem = Problem.objects.order_by().select_for_update(of=("self",)).get(pk=problem.pk)
        before = audit.snapshot(problem, PROBLEM_FIELDS)
        before["agencies"] = sorted(problem.agencies.values_list("pk", flat=True))
    else:
        problem, before = Problem(province=province, created_by=actor_user(actor)), None
        if at is not None:
            problem.created_at = at
    if problem.province_id != province.pk:
        raise ValidationError(_("This problem belongs to another province."))
    changes = {k: v for k, v in changes.items() if k not in {"status", "resolved_at"}}
    apply_changes(problem, changes, PROBLEM_FIELDS)
    if not problem.office_id:
        raise ValidationError({"office": _("Choose the office that met the problem.")})
    if problem.office.province_id != province.pk:
        raise ValidationError({"office": _("The office must be in the same province.")})
    if not (problem.title or "").strip():
        raise ValidationError({"title": _("Say what the problem is.")})
    if problem.since and problem.since > _today():
        raise ValidationError({"since": _("The date %(date)s is in the future.") % {"date": format_date(problem.since)}})
    problem.full_clean(exclude=["province", "created_by", "agencies"])
    problem.save()
    if agencies is not None:
        agencies = list(agencies)
        foreign = [a.name_th for a in agencies if a.province_id != province.pk]
        if foreign:
            raise ValidationError({"agencies": _("Not agencies of this province: %(names)s.")
                                   % {"names": ", ".join(foreign)}})
        problem.agencies.set(agencies)
    after = audit.snapshot(problem, PROBLEM_FIELDS)
    after["agencies"] = sorted(problem.agencies.values_list("pk", flat=True))
    audit.record(actor=actor, action="committee.problem_save", obj=problem, before=before, after=after)
    return problem


@transaction.atomic
def set_problem_status(*, actor, problem: Problem, status: str, note: str = "", at=None) -> Problem:
    """Resolve a problem (it leaves the reports from that moment) or reopen it."""
    from django.utils import timezone

    problem = Problem.objects.order_by().select_for_update(of=("self",)).get(pk=problem.pk)
    if status not in Problem.Status.values:
        raise ValidationError({"status": _("Unknown status %(s)s.") % {"s": status}})
    if status == problem.status:
        raise ValidationError({"status": _("The problem is already %(status)s.")
                               % {"status": problem.get_status_display()}})
    before = {"status": problem.status, "resolved_at": audit._plain(problem.resolved_at)}
    problem.status = status
    problem.resolved_at = (at or timezone.now()) if status == Problem.Status.RESOLVED else None
    problem.save(update_fields=["status", "resolved_at", "updated_at"])
    audit.record(actor=actor, action=f"committee.problem_{status}", obj=problem, before=before,
                 after={"status": status, "resolved_at": audit._plain(problem.resolved_at)}, note=note)
    return problem
