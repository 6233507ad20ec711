"""Reads of the committee's work, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from itadesk.accounts import access
from itadesk.committee.models import AgendaItem, Attendance, CommitteeMember, Meeting, Section


def province_ids(user) -> set[int]:
    """Provinces whose committee the user may see."""
    return {pid for pid in access.province_ids_for(user) if _can_view(user, pid)}


def _can_view(user, province_id) -> bool:
    from itadesk.registry.models import Province

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
    from itadesk.committee.models import SECTION_TITLES_TH

    return SECTION_TITLES_TH[section]


def attendance_groups(meeting: Meeting) -> dict[str, list[Attendance]]:
    rows = list(meeting.attendance.all())
    return {
        "present": [r for r in rows if r.status in (Attendance.Status.PRESENT, Attendance.Status.DELEGATED)],
        "absent": [r for r in rows if r.status == Attendance.Status.ABSENT],
        "attendees": [r for r in rows if r.status == Attendance.Status.ATTENDEE],
    }
