"""Reads of the committee's work, scoped to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from itadesk.accounts import access
from itadesk.committee.models import (
    SECTION_TITLES_TH,
    ActionItem,
    ActionTarget,
    ActionUpdate,
    AgendaItem,
    Attendance,
    CommitteeMember,
    Meeting,
    Problem,
    Section,
    TargetStatus,
)
from itadesk.core.thai import BANGKOK, to_bangkok
from itadesk.registry.models import LOCAL_GOVERNMENT_KINDS, Agency, AgencyKind, Province


def province_ids(user) -> set[int]:
    """Provinces whose committee the user may see."""
    return {pid for pid in access.province_ids_for(user) if _can_view(user, pid)}


def _can_view(user, province_id) -> bool:
    return access.can(user, "view_committee", Province(pk=province_id))


def members_for(user) -> QuerySet[CommitteeMember]:
    return (CommitteeMember.objects.filter(province_id__in=province_ids(user))
            .select_related("province", "office"))


def meetings_for(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(province_id__in=province_ids(user)).select_related("province", "round", "chair")


def meeting_for(user, meeting_id) -> Meeting:
    """The meeting, if the user may see it (else 404), with its agenda and attendance."""
    items = AgendaItem.objects.select_related("presenter_office").prefetch_related("attachments")
    try:
        return meetings_for(user).prefetch_related(
            Prefetch("items", queryset=items),
            Prefetch("attendance", queryset=Attendance.objects.select_related("member")),
        ).get(pk=meeting_id)
    except Meeting.DoesNotExist:
        raise Http404 from None


def agenda(meeting: Meeting) -> list[dict]:
    """The agenda in the official order: the five sections, each with its heading item (number empty)
    and its numbered sub-items."""
    items = list(meeting.items.all())
    out = []
    for section in Section:
        own = [i for i in items if i.section == section.value]
        heading = next((i for i in own if not i.number), None)
        subs = sorted((i for i in own if i.number), key=lambda i: ([int(p) for p in i.number.split(".")], i.order))
        out.append({"section": section.value, "label": section.label, "title_th": _title(section.value),
                    "heading": heading, "items": subs})
    return out


def _title(section: int) -> str:
    return SECTION_TITLES_TH[section]


def attendance_groups(meeting: Meeting) -> dict[str, list[Attendance]]:
    rows = list(meeting.attendance.all())
    return {
        "present": [r for r in rows if r.status in (Attendance.Status.PRESENT, Attendance.Status.DELEGATED)],
        "absent": [r for r in rows if r.status == Attendance.Status.ABSENT],
        "attendees": [r for r in rows if r.status == Attendance.Status.ATTENDEE],
    }


# --- action items ---------------------------------------------------------------------------------------

ACTION_STATUS_TH = {"open": "ยังไม่ดำเนินการ", "in_progress": "อยู่ระหว่างดำเนินการ", "done": "ดำเนินการแล้ว",
                    "cancelled": "ยกเลิก"}
TARGET_STATUS_TH = {"pending": "ยังไม่ดำเนินการ", "submitted": "แจ้งดำเนินการแล้ว รอตรวจรับ",
                    "done": "ดำเนินการแล้ว", "not_applicable": "ไม่เกี่ยวข้อง"}
PROBLEM_STATUS_TH = {"open": "ยังไม่ได้รับการแก้ไข", "resolved": "แก้ไขแล้ว"}


def _bangkok_date(at):
    return to_bangkok(at).date()


def action_province_ids(user) -> set[int]:
    return {pid for pid in access.province_ids_for(user) if access.can(user, "view_actions", Province(pk=pid))}


def with_counts(qs):
    """Action items with their agencies asked counted: total (not counting "not applicable"), done, reported."""
    from django.db.models import Count, Q

    return qs.annotate(
        n_total=Count("targets", filter=~Q(targets__status=TargetStatus.NOT_APPLICABLE), distinct=True),
        n_done=Count("targets", filter=Q(targets__status=TargetStatus.DONE), distinct=True),
        n_submitted=Count("targets", filter=Q(targets__status=TargetStatus.SUBMITTED), distinct=True),
    )


def actions_for(user):
    return (ActionItem.objects.filter(province_id__in=action_province_ids(user))
            .select_related("province", "office", "meeting", "agenda_item"))


def action_for(user, action_id):
    try:
        return actions_for(user).get(pk=action_id)
    except ActionItem.DoesNotExist:
        raise Http404 from None


def rollup(actions, *, today=None) -> dict:
    """Progress of a list of action items (annotated by ``with_counts``): how many, open, late, done, and
    their agencies asked done / total."""
    from django.utils import timezone

    today = today or to_bangkok(timezone.now()).date()
    out = {"actions": 0, "open": 0, "late": 0, "done": 0, "cancelled": 0, "targets_total": 0, "targets_done": 0}
    for a in actions:
        out["actions"] += 1
        if a.status == "done":
            out["done"] += 1
        elif a.status == "cancelled":
            out["cancelled"] += 1
        else:
            out["open"] += 1
        out["late"] += a.is_late(today)
        if a.status != "cancelled":
            out["targets_total"] += getattr(a, "n_total", 0)
            out["targets_done"] += getattr(a, "n_done", 0)
    out["percent"] = round(100 * out["targets_done"] / out["targets_total"]) if out["targets_total"] else None
    return out


def rollup_by_office(actions) -> list[dict]:
    """The roll-up per responsible office (in the offices' order; items without an office last) and the
    province's total as the last row (``office`` None, ``total`` True)."""
    actions = list(actions)
    offices = {}
    for a in actions:
        offices.setdefault(a.office_id, a.office)
    ordered = sorted(offices.items(), key=lambda kv: (kv[1] is None, getattr(kv[1], "order", 0), kv[0] or 0))
    rows = [{"office": office, "total": False, **rollup([a for a in actions if a.office_id == oid])}
            for oid, office in ordered]
    rows.append({"office": None, "total": True, **rollup(actions)})
    return rows


AGENCY_CHOICE_MODES = ("pick", "kind", "office", "group")


def resolve_agencies(province, *, mode: str, agency_ids=(), kind: str = "", office=None, group=None):
    """The agencies an action item asks, chosen one by one ("pick"), every agency of a kind ("kind"; "local"
    for every local government), every agency an office follows ("office") or a saved target group
    ("group"). Returns (agencies, description)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    active = Agency.objects.filter(province=province, active=True)
    if mode == "pick":
        agencies = list(active.filter(pk__in=list(agency_ids)).order_by("name_th"))
        return agencies, _("%(n)s agencies chosen one by one") % {"n": len(agencies)}
    if mode == "kind":
        if kind == "local":
            kinds, label = [str(k) for k in LOCAL_GOVERNMENT_KINDS], _("every local government")
        elif kind in AgencyKind.values:
            kinds, label = [kind], _("every agency of the kind %(kind)s") % {"kind": AgencyKind(kind).label}
        else:
            raise ValidationError({"kind_choice": _("Choose the kind of agency.")})
        return list(active.filter(kind__in=kinds).order_by("name_th")), label
    if mode == "office":
        if office is None or office.province_id != province.pk:
            raise ValidationError({"office_choice": _("Choose the office whose agencies are asked.")})
        return (list(active.filter(office.agency_q()).order_by("name_th")),
                _("every agency %(office)s follows") % {"office": office})
    if mode == "group":
        if group is None or group.province_id != province.pk:
            raise ValidationError({"group": _("Choose the target group.")})
        ids = group.members.values_list("agency_id", flat=True)
        return (list(active.filter(pk__in=ids).order_by("name_th")),
                _("target group %(group)s") % {"group": group.name})
    raise ValidationError({"mode": _("Choose how the agencies are chosen.")})


def requests_for(user):
    """The requests from the committee to the user's agencies (agency admins and executives)."""
    scope = access.scope_for(user)
    return (ActionTarget.objects.filter(agency_id__in=scope.agency_ids)
            .exclude(action__status="cancelled")
            .select_related("action", "action__meeting", "action__office", "agency", "document")
            .order_by("action__due_date", "action_id", "agency__name_th"))


def target_for(user, target_id):
    """One agency asked, if the user may see it (its agency's users; readers of the action item)."""
    target = ActionTarget.objects.select_related("action", "action__province", "action__office", "agency",
                                                 "document").filter(pk=target_id).first()
    if target is None or not access.can(user, "view_target", target):
        raise Http404
    return target


def _states_at(actions, at) -> tuple[dict, dict]:
    """The status of each action item and of each agency asked at ``at``, replayed from the update log:
    the last status-changing update at or before ``at`` wins."""
    action_state, target_state = {}, {}
    rows = (ActionUpdate.objects.filter(action__in=actions, at__lte=at).exclude(to_status="")
            .order_by("at", "id").values_list("action_id", "target_id", "to_status"))
    for action_id, target_id, status in rows:
        if target_id is None:
            action_state[action_id] = status
        else:
            target_state[target_id] = status
    return action_state, target_state


def action_items_for_report(*, province, office=None, at) -> list[dict]:
    """The action items of the province (of ``office`` when given) that existed at ``at`` and were neither done
    nor cancelled then, with their state at ``at`` reconstructed from the update log. Titles, due dates and
    offices are the current ones."""
    actions = ActionItem.objects.filter(province=province, created_at__lte=at)
    if office is not None:
        actions = actions.filter(office=office)
    actions = list(actions.select_related("meeting", "office").order_by("id"))
    action_state, target_state = _states_at(actions, at)
    targets = {}
    for t in ActionTarget.objects.filter(action__in=actions).order_by().values_list("pk", "action_id",
                                                                                    "agency__name_th"):
        targets.setdefault(t[1], []).append((t[0], t[2]))
    day = _bangkok_date(at)
    out = []
    for a in actions:
        status = action_state.get(a.pk, "open" if a.created_at <= at else None)
        if status is None or status in ("done", "cancelled"):
            continue
        states = [(name, target_state[pk]) for pk, name in targets.get(a.pk, []) if pk in target_state]
        counted = [(name, s) for name, s in states if s != "not_applicable"]
        out.append({
            "id": a.pk,
            "title": a.title,
            "meeting": a.meeting.label if a.meeting_id else "",
            "office": a.office.name_th if a.office_id else "",
            "due_date": a.due_date,
            "status": status,
            "status_label": ACTION_STATUS_TH.get(status, status),
            "targets_total": len(counted),
            "targets_done": sum(1 for _n, s in counted if s == "done"),
            "late": bool(a.due_date) and day > a.due_date,
            "pending_agencies": sorted(name for name, s in counted if s != "done"),
        })
    out.sort(key=lambda d: (d["due_date"] is None, d["due_date"] or dt.date.max, d["id"]))
    return out


def followup_cutoff(meeting) -> dt.datetime:
    """The end of the meeting's day (Bangkok), or now for a meeting still to come."""
    from django.utils import timezone

    return min(timezone.now(), dt.datetime.combine(meeting.date, dt.time(23, 59, 59), tzinfo=BANGKOK))


def followups_for_meeting(meeting) -> list[dict]:
    """What the committee hears at ``meeting``: the earlier meetings' action items (and those recorded on
    their own before it) still open at the end of the meeting's day, or now for a meeting still to come."""
    rows = action_items_for_report(province=meeting.province, at=followup_cutoff(meeting))

    earlier = set(ActionItem.objects.filter(province=meeting.province)
                  .exclude(meeting=meeting).filter(
                      models.Q(meeting__isnull=True) | models.Q(meeting__date__lt=meeting.date)
                      | models.Q(meeting__date=meeting.date, meeting_id__lt=meeting.pk))
                  .values_list("pk", flat=True))
    return [r for r in rows if r["id"] in earlier]


# --- problems and obstacles ---------------------------------------------------------------------------

def problem_offices_for(user) -> list:
    """The offices whose problems the user may see: the secretariat all of its province's, an office's members
    their own."""
    if not access.can(user, "view_problems"):
        return []
    return [o for o in access.offices_for(user).select_related("province") if access.can(user, "view_problems", o)]


def problems_for(user):
    offices = [o.pk for o in problem_offices_for(user)]
    return (Problem.objects.filter(office_id__in=offices).select_related("office", "province")
            .prefetch_related("agencies"))


def problem_for(user, problem_id):
    try:
        return problems_for(user).get(pk=problem_id)
    except Problem.DoesNotExist:
        raise Http404 from None


def problems_for_report(*, province, office=None, at) -> list[dict]:
    """The problems recorded at ``at`` and not resolved then (of ``office`` when given), current wording."""
    qs = Problem.objects.filter(province=province, created_at__lte=at).filter(
        models.Q(resolved_at__isnull=True) | models.Q(resolved_at__gt=at))
    if office is not None:
        qs = qs.filter(office=office)
    qs = qs.select_related("office").prefetch_related("agencies").order_by("office__order", "office_id",
                                                                            "created_at", "id")
    return [{
        "id": p.pk,
        "title": p.title,
        "detail": p.detail,
        "office": p.office.name_th,
        "agencies": sorted(a.name_th for a in p.agencies.all()),
        "since": p.since,
        "action_taken": p.action_taken,
        "request_to_committee": p.request_to_committee,
        "status": "open",
    } for p in qs]
