"""Writes of stakeholder data and response counts: one transaction, one history event each, and an
event in the stakeholder data's own append-only log.

Stakeholder data moves draft (waiting for approval) → approved (locked) → [unlocked by the secretariat
with a reason] → draft … Approval also records the agency's declaration on the "stakeholders" milestone
(approved) through ``cycles.services.set_progress``, explicitly: its own history action
(``stakeholders.progress``) and a progress note saying it came from the approval in ITA Desk, so the late
flags and the history stay those of the progress page. The declaration stays the agency's: it may be
changed on the progress page or by an ITAS import, and ``surveys.consistency`` shows both side by side and
flags where they disagree; only setting it back to not done while the data is locked is refused
(``refuse_reset_while_locked``), except for the secretariat. Entering or approving after the deadline is
allowed and flagged late.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from itadesk.accounts import access
from itadesk.core import audit, versions
from itadesk.core.services import Refused, actor_user
from itadesk.core.thai import format_date
from itadesk.cycles.models import DONE_STATUSES, Milestone, Participation, Progress, Round, Status
from itadesk.cycles.round_setup import RoundRefused, refuse_if_closed
from itadesk.cycles.services import set_progress
from itadesk.notifications import services as notify
from itadesk.notifications.models import Kind
from itadesk.registry.models import Agency
from itadesk.surveys import selectors
from itadesk.surveys.models import (
    STAFF_TYPES,
    ResponseCount,
    StakeholderData,
    StakeholderEvent,
    stakeholder_scopes,
)

DATA_FIELDS = ["internal_count", "internal_breakdown", "external_people", "external_organizations",
               "external_groups", "state", "locked", "entered_by_id", "entered_at", "entered_late",
               "approved_by_id", "approved_at", "approved_late"]
VALUE_FIELDS = ["internal_count", "internal_breakdown", "external_people", "external_organizations",
                "external_groups"]


def _label(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "system"
    return (actor.get_full_name() or actor.get_username())[:200]


_UNREAD = object()  # the milestone not read yet (None: the round has none)


def _check_participates(round: Round, agency: Agency) -> None:
    if not Participation.objects.filter(round=round, agency=agency).exists():
        raise Refused.of(_lazy("%(agency)s does not take part in %(round)s."), agency=agency, round=round)


def _locked_row(round: Round, agency: Agency) -> StakeholderData | None:
    return (StakeholderData.objects.filter(round=round, agency=agency)
            .order_by().select_for_update(of=("self",)).first())


def _locked_row_of_participant(round: Round, agency: Agency) -> StakeholderData | None:
    """``_locked_row``, refused as ``_check_participates`` refuses when the agency does not take part in the round:
    one query when the row exists (every save after the first), two otherwise."""
    data = (StakeholderData.objects.filter(round=round, agency=agency).order_by()
            .annotate(participates=Exists(Participation.objects.filter(round=round, agency=agency)))
            .select_for_update(of=("self",)).first())
    if data is None:
        _check_participates(round, agency)
    elif not data.participates:
        raise Refused.of(_lazy("%(agency)s does not take part in %(round)s."), agency=agency, round=round)
    return data


def _stakeholders_milestone(round: Round, agency: Agency) -> Milestone | None:
    """The round's "stakeholders" milestone with what ``_progress`` asks of it read in the same query: the agency's
    progress status on it (``current``: None without a row) and its round's state (``round_state``)."""
    current = Progress.objects.filter(milestone=OuterRef("pk"), agency=agency).order_by().values("status")[:1]
    return (Milestone.objects.filter(round=round, code=selectors.STAKEHOLDERS_MILESTONE).order_by()
            .annotate(current=Subquery(current), round_state=F("round__state")).first())


def _is_late(round: Round, code: str, now) -> bool:
    m = selectors.milestone(round, code)
    return m is not None and now >= m.deadline


def _event(data, actor, action, *, reason="", late=False, now=None):
    StakeholderEvent.objects.create(data=data, actor=actor_user(actor), actor_label=_label(actor), action=action,
                                    reason=reason, late=late, values=audit.snapshot(data, VALUE_FIELDS),
                                    at=now or timezone.now())


def _progress(actor, round, agency, status, now, action, note=None, milestone=_UNREAD, participates=False):
    """``participates``: the caller has checked, in this transaction, that the agency takes part in the round.
    A ``milestone`` read by ``_stakeholders_milestone`` carries the progress status and the round's state."""
    m = selectors.milestone(round, selectors.STAKEHOLDERS_MILESTONE) if milestone is _UNREAD else milestone
    if m is None:
        return
    if hasattr(m, "current"):
        current = m.current
    else:
        current = Progress.objects.filter(milestone=m, agency=agency).values_list("status", flat=True).first()
    if status == Status.IN_PROGRESS and current in DONE_STATUSES and current != Status.APPROVED:
        return  # someone marked it done by hand: entering data does not take that back
    if participates and current == status and note is None:
        # set_progress would change nothing (the row is as asked: every save of the data after the first); of
        # what it does, only its refusal in a closed round remains, asked here without its savepoint, second
        # participation check and row lock.
        if hasattr(m, "round_state"):
            closed = (Round.objects.order_by().filter(pk=m.round_id).first()
                      if m.round_state == Round.State.CLOSED else None)
        else:
            closed = Round.objects.filter(pk=m.round_id, state=Round.State.CLOSED).order_by().first()
        if closed is not None:
            try:
                refuse_if_closed(closed)
            except RoundRefused as exc:  # as set_progress words it
                raise Refused(exc.th, exc.en) from exc
        return
    set_progress(actor=actor, agency=agency, milestone=m, status=status, note=note, now=now, action=action)


def refuse_reset_while_locked(*, actor, agency: Agency, milestone) -> None:
    """Called by ``cycles.services.set_progress`` before the "stakeholders" milestone goes from done back to
    not done: refused while the agency's stakeholder data is approved and locked in ITA Desk, except for
    whoever may unlock it (the secretariat; the change is in the history as any other) and the system."""
    if actor is None or not getattr(actor, "pk", None) or access.can(actor, "unlock_stakeholders", agency):
        return
    if StakeholderData.objects.filter(round_id=milestone.round_id, agency=agency, locked=True).exists():
        raise Refused.of(_lazy("The stakeholder data of %(agency)s is approved and locked in ITA Desk, so this "
                               "milestone cannot be set back to not done. Ask the secretariat to unlock the "
                               "data, or to change the milestone."), agency=agency)


def validate_values(*, internal_count, internal_breakdown, external_people, external_organizations,
                    external_groups) -> None:
    """Refuse impossible stakeholder data; each message names the field."""
    errors: dict[str, list[str]] = {}
    if not isinstance(internal_count, int) or internal_count <= 0:
        errors.setdefault("internal_count", []).append(
            _("Staff with at least 1 year of service: must be at least 1 (an agency has staff)."))
    known = {k for k, _label in STAFF_TYPES}
    breakdown = internal_breakdown or {}
    for key, value in breakdown.items():
        if key not in known:
            errors.setdefault(f"staff_{key}", []).append(_("Unknown staff type “%(t)s”.") % {"t": key})
        elif not isinstance(value, int) or value < 0:
            errors.setdefault(f"staff_{key}", []).append(_("Staff by type: must be a whole number of 0 or more."))
    if breakdown and not errors and isinstance(internal_count, int):
        total = sum(breakdown.values())
        if total != internal_count:
            errors.setdefault("internal_count", []).append(
                _("The staff by type add up to %(sum)s, not to the %(total)s staff with at least 1 year of "
                  "service.") % {"sum": f"{total:,}", "total": f"{internal_count:,}"})
    for name, value in (("external_people", external_people), ("external_organizations", external_organizations)):
        if not isinstance(value, int) or value < 0:
            errors.setdefault(name, []).append(_("Must be a whole number of 0 or more."))
    if (isinstance(external_people, int) and isinstance(external_organizations, int)
            and external_people + external_organizations <= 0 and "external_people" not in errors):
        errors.setdefault("external_people", []).append(
            _("People served: give an estimate of at least 1 person or organization served."))
    for i, group in enumerate(external_groups or [], start=1):
        if not isinstance(group, dict) or not str(group.get("name", "")).strip():
            errors.setdefault("external_groups", []).append(
                _("External stakeholder groups, line %(n)s: the group's name is missing.") % {"n": i})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
@versions.once_per_transaction()
def save_stakeholders(*, actor, round: Round, agency: Agency, internal_count: int,
                      internal_breakdown: dict | None = None, external_people: int = 0,
                      external_organizations: int = 0, external_groups: list | None = None,
                      now=None) -> StakeholderData:
    """Enter or change an agency's stakeholder data (state: waiting for approval). Refused while it is
    approved and locked."""
    now = now or timezone.now()
    data = _locked_row_of_participant(round, agency)  # refused first when the agency does not take part
    breakdown = {k: v for k, v in (internal_breakdown or {}).items() if v is not None}
    groups = [{"name": str(g.get("name", "")).strip(), "channel": str(g.get("channel", "")).strip()}
              for g in (external_groups or [])]
    validate_values(internal_count=internal_count, internal_breakdown=breakdown, external_people=external_people,
                    external_organizations=external_organizations, external_groups=groups)
    creating = data is None
    if creating:
        data = StakeholderData(round=round, agency=agency)
    elif data.locked:
        raise Refused.of(_lazy("The stakeholder data of %(agency)s is approved and locked; the secretariat "
                               "can unlock it."), agency=agency)
    data.round, data.agency = round, agency  # at hand: the audit record names the data without a query
    before = None if creating else audit.snapshot(data, DATA_FIELDS)
    milestone = _stakeholders_milestone(round, agency)  # read once for both below, with the progress on it
    late = milestone is not None and now >= milestone.deadline  # as _is_late
    data.internal_count = internal_count
    data.internal_breakdown = breakdown
    data.external_people = external_people
    data.external_organizations = external_organizations
    data.external_groups = groups
    data.state = StakeholderData.State.DRAFT
    data.entered_by = actor_user(actor)
    data.entered_at = now
    data.entered_late = late
    data.approved_by, data.approved_at, data.approved_late = None, None, False
    data.save()
    action = StakeholderEvent.Action.ENTERED if creating else StakeholderEvent.Action.CHANGED
    _event(data, actor, action, late=late, now=now)
    audit.record(actor=actor, action=f"stakeholders.{action}", obj=data, before=before,
                 after=audit.snapshot(data, DATA_FIELDS), note=_("after the deadline") if late else "")
    _progress(actor, round, agency, Status.IN_PROGRESS, now, "stakeholders.progress", milestone=milestone,
              participates=True)
    if creating:
        _notify(round, agency, "to_approve", actor)
    return data


def _notify(round: Round, agency: Agency, what: str, actor, reason: str = "") -> None:
    """The stakeholder hand-offs, in Thai with a link back: entered → the executives approve; approved → the
    admins; unlocked → both."""
    link = notify.site_url(reverse("surveys:agency", args=[round.pk, agency.pk]))
    name = " ".join(agency.name_th.split())
    who = (actor.get_full_name() or actor.get_username()) if getattr(actor, "pk", None) else "ระบบ"
    if what == "to_approve":
        subject = f"[ITA Desk] ข้อมูลผู้มีส่วนได้ส่วนเสียของ{name} รอผู้บริหารอนุมัติ ({round.name})"
        lead, roles = f"{who} บันทึกข้อมูลผู้มีส่วนได้ส่วนเสียแล้ว กรุณาตรวจและอนุมัติ", ("agency_executive",)
    elif what == "approved":
        subject = f"[ITA Desk] ผู้บริหารอนุมัติข้อมูลผู้มีส่วนได้ส่วนเสียของ{name} แล้ว ({round.name})"
        lead, roles = f"{who} อนุมัติข้อมูลผู้มีส่วนได้ส่วนเสียแล้ว ข้อมูลถูกล็อกไว้", ("agency_admin",)
    else:
        subject = f"[ITA Desk] ปลดล็อกข้อมูลผู้มีส่วนได้ส่วนเสียของ{name} ({round.name})"
        lead, roles = f"ฝ่ายเลขานุการปลดล็อกข้อมูลเพื่อแก้ไข เหตุผล: {reason}", ("agency_admin", "agency_executive")
    body = f"เรียน {name}\n\n{lead}\n\nเปิดดูได้ที่: {link}\n\nITA Desk"
    notify.notify_agency(notify.Message(Kind.STAKEHOLDERS, subject, body, link), agency, roles=roles)


@transaction.atomic
def approve_stakeholders(*, actor, round: Round, agency: Agency, now=None) -> StakeholderData:
    """The agency executive approves the data; it is locked from then on."""
    now = now or timezone.now()
    if not access.can(actor, "approve_stakeholders", agency):
        raise PermissionDenied
    data = _locked_row(round, agency)
    if data is None:
        raise Refused.of(_lazy("There is no stakeholder data to approve yet."))
    if data.is_approved:
        raise Refused.of(_lazy("The stakeholder data is already approved."))
    before = audit.snapshot(data, DATA_FIELDS)
    late = _is_late(round, selectors.STAKEHOLDERS_MILESTONE, now)
    data.state = StakeholderData.State.APPROVED
    data.locked = True
    data.approved_by = actor_user(actor)
    data.approved_at = now
    data.approved_late = late
    data.save()
    _event(data, actor, StakeholderEvent.Action.APPROVED, late=late, now=now)
    audit.record(actor=actor, action="stakeholders.approved", obj=data, before=before,
                 after=audit.snapshot(data, DATA_FIELDS), note=_("after the deadline") if late else "")
    _progress(actor, round, agency, Status.APPROVED, now, "stakeholders.progress",
              note=_("Declared by the executive's approval of the stakeholder data in ITA Desk."))
    _notify(round, agency, "approved", actor)
    return data


@transaction.atomic
def unlock_stakeholders(*, actor, round: Round, agency: Agency, reason: str, now=None) -> StakeholderData:
    """The secretariat unlocks approved data (a reason is required); it waits for approval again."""
    now = now or timezone.now()
    if not access.can(actor, "unlock_stakeholders", agency):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise Refused.of(_lazy("Reason for unlocking: required."), field="reason")
    data = _locked_row(round, agency)
    if data is None or not data.locked:
        raise Refused.of(_lazy("The stakeholder data is not locked."))
    before = audit.snapshot(data, DATA_FIELDS)
    data.state = StakeholderData.State.DRAFT
    data.locked = False
    data.approved_by, data.approved_at, data.approved_late = None, None, False
    data.save()
    _event(data, actor, StakeholderEvent.Action.UNLOCKED, reason=reason,
           late=_is_late(round, selectors.STAKEHOLDERS_MILESTONE, now), now=now)
    audit.record(actor=actor, action="stakeholders.unlocked", obj=data, before=before,
                 after=audit.snapshot(data, DATA_FIELDS), note=reason)
    _progress(actor, round, agency, Status.IN_PROGRESS, now, "stakeholders.progress",
              note=_("Stakeholder data unlocked: %(reason)s") % {"reason": reason})
    _notify(round, agency, "unlocked", actor, reason)
    return data


COUNT_FIELDS = ["count", "source", "entered_by_id", "entered_at"]


def record_responses(*, actor, round: Round, agency: Agency, on_date: dt.date, counts: dict[str, int],
                     source: str = ResponseCount.Source.ENTRY, now=None) -> list[ResponseCount]:
    """Record how many respondents each instrument had by ``on_date`` (one row per date; a second entry
    for the same date replaces the first, the history keeps both). Returns the rows that changed."""
    with transaction.atomic():
        return _record(actor=actor, round=round, agency=agency, on_date=on_date, counts=counts, source=source,
                       now=now)


def _record(*, actor, round, agency, on_date, counts, source, now):
    now = now or timezone.now()
    _check_participates(round, agency)
    if on_date > selectors.today(now):
        raise Refused.of(_lazy("Date: %(d)s is in the future."), field="on_date", d=format_date(on_date))
    codes = {i.code for i in selectors.instruments(round)}
    changed = []
    for code, count in counts.items():
        if code not in codes:
            raise Refused.of(_lazy("Unknown instrument “%(c)s”."), c=code)
        if count is None:
            continue
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise Refused.of(_lazy("%(c)s: the number of respondents must be a whole number of 0 or more."),
                             field=code, c=code)
        row = (ResponseCount.objects.filter(round=round, agency=agency, instrument=code, on_date=on_date)
               .order_by().select_for_update(of=("self",)).first())
        if row is not None and row.count == count:
            continue
        before = audit.snapshot(row, COUNT_FIELDS) if row else None
        if row is None:
            row = ResponseCount(round=round, agency=agency, instrument=code, on_date=on_date)
        row.count, row.source, row.entered_by, row.entered_at = count, source, actor_user(actor), now
        row.save()
        audit.record(actor=actor, action=f"responses.{source}", obj=row, before=before,
                     after={**audit.snapshot(row, COUNT_FIELDS), "instrument": code, "on_date": on_date.isoformat(),
                            "agency_id": agency.pk})
        changed.append(row)
    if changed:
        refresh_latest(round=round, agency_ids=[agency.pk])
    return changed


def refresh_latest(*, round: Round, agency_ids=None) -> None:
    """Mark the newest count of each agency and instrument (``ResponseCount.is_latest``)."""
    qs = ResponseCount.objects.filter(round=round)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    newest: dict[tuple[int, str], tuple] = {}
    for pk, a, c, flag in qs.order_by("on_date").values_list("pk", "agency_id", "instrument", "is_latest"):
        newest[(a, c)] = (pk, flag)
    keep = {pk for pk, _flag in newest.values()}
    scopes = [s for a in sorted({a for a, _c in newest})
              for s in stakeholder_scopes(ResponseCount(round_id=round.pk, agency_id=a))]
    with versions.attributed("surveys.ResponseCount", scopes):  # only these agencies' rows change
        qs.filter(is_latest=True).exclude(pk__in=keep).update(is_latest=False)
        ResponseCount.objects.filter(pk__in=[pk for pk, flag in newest.values() if not flag]).update(is_latest=True)
