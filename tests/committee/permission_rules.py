"""Permission rules of the committee URLs (merged into tests/test_permissions.py RULES).

The secretariat of the province (and superusers) keep the committee's records and alone write or move
the minutes; officers and reviewers of the province's offices read them; agency users see nothing of
the committee (403 on the lists, 404 on a meeting)."""

from tests.permission_kit import CAST, LOGIN, NOT_SEE_SAO1, OFFICERS, REDIRECT, SEE_SAO1, expect, only  # noqa: F401

READERS = ["secretariat", "superuser", *OFFICERS, "reviewer"]
KEEPERS = ["secretariat", "superuser"]
NO_MEETING = {"admin_a": 404, "admin_b": 404, "exec_a": 404}


def _meeting(w):
    """A draft meeting of the world's province with a member, an item and an attendance row (once per world)."""
    from itadesk.committee.models import AgendaItem, Attendance, CommitteeMember, Meeting

    meeting = Meeting.objects.filter(province=w.province).first()
    if meeting is None:
        member = CommitteeMember.objects.create(province=w.province, name="นายประธาน", position="รองผู้ว่าราชการจังหวัด",
                                                committee_role="chair", order=1)
        meeting = Meeting.objects.create(province=w.province, number="ครั้งที่ ๑/๒๕๖๘", date="2024-12-24",
                                         place="ศาลากลางจังหวัด", chair=member)
        AgendaItem.objects.create(meeting=meeting, section=3, number="3.1", title="เรื่องเพื่อทราบ")
        Attendance.objects.create(meeting=meeting, member=member, status="present")
    return meeting


def _m(w, **extra):
    return {"meeting_id": _meeting(w).pk, **extra}


def _member(w):
    from itadesk.committee.models import CommitteeMember

    _meeting(w)
    return {"member_id": CommitteeMember.objects.filter(province=w.province).first().pk}


def _item(w):
    meeting = _meeting(w)
    return _m(w, item_id=meeting.items.first().pk)


def _spare_item(w):
    from itadesk.committee.models import AgendaItem

    meeting = _meeting(w)
    item = AgendaItem.objects.create(meeting=meeting, section=4, number=f"4.{AgendaItem.objects.count() + 1}")
    return _m(w, item_id=item.pk)


def _attendance(w):
    meeting = _meeting(w)
    return _m(w, attendance_id=meeting.attendance.first().pk)


def _spare_attendance(w):
    from itadesk.committee.models import Attendance

    row = Attendance.objects.create(meeting=_meeting(w), status="attendee", name="ผู้เข้าร่วม")
    return _m(w, attendance_id=row.pk)


def _attachment(w):
    """An attachment row whose file is not stored (the download is then a 404 for those who may see it)."""
    from itadesk.committee.models import AgendaAttachment

    item = _meeting(w).items.first()
    row = AgendaAttachment.objects.create(item=item, file="committee/attachments/missing.pdf", name="x.pdf", size=1)
    return _m(w, attachment_id=row.pk)


# name -> (method, kwargs(world), expected per user)
RULES = {
    "committee:members": ("get", lambda w: {}, only(READERS)),
    "committee:member_new": ("get", lambda w: {}, only(KEEPERS)),
    "committee:member_edit": ("get", _member, only(KEEPERS)),
    "committee:member_move": ("post", _member, only(KEEPERS, ok=REDIRECT)),
    "committee:meetings": ("get", lambda w: {}, only(READERS)),
    "committee:meeting_new": ("get", lambda w: {}, only(KEEPERS)),
    "committee:meeting": ("get", _m, only(READERS, **NO_MEETING)),
    "committee:meeting_edit": ("get", _m, only(KEEPERS, **NO_MEETING)),
    "committee:minutes": ("get", _m, only(READERS, **NO_MEETING)),
    "committee:minutes_action": ("post", lambda w: _m(w, action="review"), only(KEEPERS, ok=REDIRECT, **NO_MEETING)),
    "committee:item_new": ("get", _m, only(KEEPERS, **NO_MEETING)),
    "committee:item_edit": ("get", _item, only(KEEPERS, **NO_MEETING)),
    "committee:item_delete": ("post", _spare_item, only(KEEPERS, ok=REDIRECT, **NO_MEETING)),
    "committee:attachment_add": ("post", _item, only(KEEPERS, ok=REDIRECT, **NO_MEETING)),
    "committee:attachment_file": ("get", _attachment, only(READERS, ok=404, **NO_MEETING)),
    "committee:attachment_delete": ("post", _attachment, only(KEEPERS, ok=REDIRECT, **NO_MEETING)),
    "committee:attendance_new": ("get", _m, only(KEEPERS, **NO_MEETING)),
    "committee:attendance_edit": ("get", _attendance, only(KEEPERS, **NO_MEETING)),
    "committee:attendance_delete": ("post", _spare_attendance, only(KEEPERS, ok=REDIRECT, **NO_MEETING)),
    "committee:attendance_all_present": ("post", _m, only(KEEPERS, ok=REDIRECT, **NO_MEETING)),
}
