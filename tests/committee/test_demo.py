"""The demo's meeting of 24 Dec 2567 holds what the seed report says."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from itadesk.committee import selectors
from itadesk.committee.models import (
    AgendaItem,
    Attendance,
    CommitteeMember,
    Meeting,
    MinutesEvent,
    MinutesStatus,
)
from itadesk.demo import meetings
from itadesk.demo.loader import COMMITTEE


def _load(world):
    for order, (name, position, role, note) in enumerate(COMMITTEE, start=1):
        CommitteeMember.objects.create(province=world.province, name=name, position=position, committee_role=role,
                                       order=order, note=note)
    return meetings.load(world.province, world.round)


def test_demo_meeting_matches_the_seed(world):
    meeting = _load(world)
    assert meeting.date == dt.date(2024, 12, 24)
    assert (meeting.scheduled_time, meeting.started_time, meeting.ended_time) == (
        dt.time(14, 30), dt.time(15, 30), dt.time(16, 30))
    assert meeting.place == "ห้องประชุมภูสวนทราย ชั้น ๒ ศาลากลางจังหวัดเลย"
    assert meeting.chair.name == "นายประยูร อรัญรุท"
    groups = selectors.attendance_groups(meeting)
    assert len(groups["present"]) == 7 and not groups["absent"] and len(groups["attendees"]) == 4
    assert groups["attendees"][0].name == "นายสันติพงษ์ สวาชาโต"
    numbers = [(i.section, i.number) for i in AgendaItem.objects.filter(meeting=meeting)]
    assert numbers == [(1, ""), (3, "3.1"), (3, "3.2"), (3, "3.3"), (4, "4.1"), (4, "4.2")]
    by_number = {i.number: i for i in meeting.items.all()}
    assert by_number["3.1"].resolution_text == "รับทราบ" and by_number["3.1"].resolution_kind == "acknowledged"
    assert by_number["4.1"].resolution_text == "เห็นชอบตามที่เสนอ"
    assert by_number["3.1"].presenter_office == world.nacc
    assert by_number["3.3"].presenter_office == world.prov_office
    assert "๙๐,๐๐๐.- บาท (เก้าหมื่นบาทถ้วน)" in by_number["3.3"].body
    assert "สำนักงาน ป.ป.ช. ประจำจังหวัดเลย มีภารกิจ" in by_number["4.1"].body
    assert "๒๑ หน่วยงาน" in by_number["4.1"].body
    assert meeting.minutes_status == MinutesStatus.REVIEWED
    assert MinutesEvent.objects.filter(meeting=meeting).count() == 1


def test_demo_meeting_is_idempotent(world):
    first = _load(world)
    counts = (Meeting.objects.count(), AgendaItem.objects.count(), Attendance.objects.count())
    again = meetings.load(world.province, world.round)
    assert again.pk == first.pk
    assert (Meeting.objects.count(), AgendaItem.objects.count(), Attendance.objects.count()) == counts


def test_demo_minutes_print(world, client):
    meeting = _load(world)
    client.force_login(world.nacc_officer)
    page = client.get(reverse("committee:minutes", args=[meeting.pk])).content.decode()
    assert "วันอังคารที่ ๒๔ ธันวาคม ๒๕๖๗ เวลา ๑๔.๓๐ น." in page
    assert "ระเบียบวาระที่ ๔" in page and "๔.๒" in page
    assert page.count("ที่ประชุม</div>") >= 5  # a resolution under 3.1 3.2 3.3 4.1 4.2
    assert "ผู้จัดรายงานการประชุม" in page and "นายพนนทชัย วงษ์ธา" in page
