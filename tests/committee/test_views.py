"""The committee pages: forms refuse bad input naming the field, only the secretariat issues the
minutes, the agenda is shown in the official order with Thai numerals, the minutes print."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from itadesk.committee import services
from itadesk.committee.models import AgendaItem, CommitteeMember, Meeting, MinutesStatus
from tests.committee.helpers import make_meeting


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sec(client, world):
    client.force_login(world.secretariat)
    client.cookies["django_language"] = "th"
    return client


def test_secretariat_adds_and_reorders_members(sec, world):
    r = sec.post(reverse("committee:member_new"), {"name": "นายหนึ่ง", "position": "ผอ.", "committee_role": "chair",
                                                   "office": world.nacc.pk})
    assert r.status_code == 302
    sec.post(reverse("committee:member_new"), {"name": "นายสอง", "position": "ผอ.", "committee_role": "member"})
    second = CommitteeMember.objects.get(name="นายสอง")
    sec.post(reverse("committee:member_move", args=[second.pk]), {"direction": "up"})
    assert list(CommitteeMember.objects.values_list("name", flat=True)) == ["นายสอง", "นายหนึ่ง"]
    page = sec.get(reverse("committee:members")).content.decode()
    assert "นายสอง" in page and "ป.ป.ช.จังหวัดเลย" in page


def test_member_form_names_the_missing_fields(sec):
    r = sec.post(reverse("committee:member_new"), {"name": "", "position": "", "committee_role": "boss"})
    assert r.status_code == 400
    page = r.content.decode()
    for field in ("name", "position", "committee_role"):
        assert f'data-testid="error-{field}"' in page
    assert not CommitteeMember.objects.exists()


def test_meeting_form_bad_inputs(sec, world):
    r = sec.post(reverse("committee:meeting_new"), {"number": "ครั้งที่ ๑/๒๕๖๘", "date": "31/02/2568", "place": "",
                                                    "started_time": "16:00", "ended_time": "15.00",
                                                    "online_link": "not a link"})
    assert r.status_code == 400
    page = r.content.decode()
    for field in ("date", "place", "online_link"):
        assert f'data-testid="error-{field}"' in page
    r = sec.post(reverse("committee:meeting_new"), {"number": "1", "date": "2024-12-24", "place": "ศาลากลาง",
                                                    "started_time": "16:00", "ended_time": "15.00"})
    assert r.status_code == 400 and 'data-testid="error-ended_time"' in r.content.decode()
    assert not Meeting.objects.exists()
    r = sec.post(reverse("committee:meeting_new"), {"number": "1", "date": "2024-12-24", "place": "ศาลากลาง",
                                                    "scheduled_time": "14.30", "online_link": "meet.example.test/x"})
    meeting = Meeting.objects.get()
    assert r.status_code == 302 and meeting.scheduled_time == dt.time(14, 30)
    assert meeting.online_link == "https://meet.example.test/x" and meeting.province == world.province


def test_item_form_refuses_a_number_outside_its_section(sec, world):
    meeting = make_meeting(world)
    url = reverse("committee:item_new", args=[meeting.pk])
    r = sec.post(url, {"section": 3, "number": "4.1", "title": "x"})
    assert r.status_code == 400 and 'data-testid="error-number"' in r.content.decode()
    r = sec.post(url, {"section": 3, "number": "3.1", "title": "x"})
    assert r.status_code == 400 and "3.1" in r.content.decode()
    r = sec.post(url, {"section": 4, "number": "๔.๑", "title": "การมอบหมายภารกิจ", "resolution_kind": "approved"})
    assert r.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting, number="4.1")
    assert item.resolution_text == "เห็นชอบตามที่เสนอ"


def test_attendance_form_requires_a_reason_for_an_absence(sec, world):
    meeting = make_meeting(world)
    member = CommitteeMember.objects.filter(province=world.province).first()
    url = reverse("committee:attendance_new", args=[meeting.pk])
    r = sec.post(url, {"status": "absent", "member": member.pk})
    assert r.status_code == 400 and 'data-testid="error-reason"' in r.content.decode()
    r = sec.post(url, {"status": "attendee", "name": ""})
    assert r.status_code == 400 and 'data-testid="error-name"' in r.content.decode()
    assert sec.post(url, {"status": "absent", "member": member.pk, "reason": "ติดราชการ"}).status_code == 302


def test_attachment_upload_refused_by_type_with_a_message(sec, world):
    meeting = make_meeting(world)
    item = meeting.items.get(number="3.1")
    url = reverse("committee:attachment_add", args=[meeting.pk, item.pk])
    r = sec.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ")}, follow=True)
    assert "virus.exe" in r.content.decode() and item.attachments.count() == 0
    r = sec.post(url, {"file": SimpleUploadedFile("calendar.pdf", b"%PDF-1.4")}, follow=True)
    assert item.attachments.count() == 1
    attachment = item.attachments.get()
    download = sec.get(reverse("committee:attachment_file", args=[meeting.pk, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4"


def test_only_the_secretariat_issues_minutes(client, world):
    meeting = make_meeting(world)
    url = reverse("committee:minutes_action", args=[meeting.pk, "review"])
    for who in (world.nacc_officer, world.reviewer, world.local_officer):
        client.force_login(who)
        assert client.post(url).status_code == 403
        page = client.get(reverse("committee:meeting", args=[meeting.pk])).content.decode()
        assert 'data-testid="minutes-actions"' not in page and "item_new" not in page
    for who in (world.admin_a, world.exec_a):
        client.force_login(who)
        assert client.post(url).status_code == 404
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT
    client.force_login(world.secretariat)
    assert client.post(url, {"note": "ตรวจแล้ว"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.REVIEWED


def test_refused_transition_shows_the_reason(sec, world):
    meeting = make_meeting(world)
    with translation.override("en"):
        r = sec.post(reverse("committee:minutes_action", args=[meeting.pk, "return"]), follow=True,
                     HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200 and 'alert-danger' in r.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT


def test_adopt_through_the_page(sec, world):
    first = make_meeting(world)
    second = make_meeting(world, date=dt.date(2025, 2, 20), number="ครั้งที่ ๒/๒๕๖๘", items=False)
    item2 = services.save_item(actor=world.secretariat, meeting=second, changes={"section": 2, "number": ""})
    services.review_minutes(actor=world.secretariat, meeting=first)
    page = sec.get(reverse("committee:meeting", args=[first.pk])).content.decode()
    assert 'data-testid="adopt"' in page
    r = sec.post(reverse("committee:minutes_action", args=[first.pk, "adopt"]),
                 {"at_meeting": second.pk, "item": item2.pk})
    assert r.status_code == 302
    first.refresh_from_db()
    assert first.minutes_status == MinutesStatus.ADOPTED and first.adopted_item == item2


def test_editing_reviewed_minutes_sends_back_with_a_message(sec, world):
    meeting = make_meeting(world)
    services.review_minutes(actor=world.secretariat, meeting=meeting)
    r = sec.get(reverse("committee:item_new", args=[meeting.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("committee:meeting", args=[meeting.pk])


def test_detail_shows_the_agenda_in_official_order_with_thai_numerals(sec, world):
    meeting = make_meeting(world)
    services.save_item(actor=world.secretariat, meeting=meeting, changes={"section": 3, "number": "3.10",
                                                                          "title": "เรื่องที่สิบ"})
    services.save_item(actor=world.secretariat, meeting=meeting, changes={"section": 3, "number": "3.2",
                                                                          "title": "เรื่องที่สอง"})
    page = sec.get(reverse("committee:meeting", args=[meeting.pk])).content.decode()
    assert "ระเบียบวาระที่ ๑" in page and "ระเบียบวาระที่ ๕" in page
    assert page.index("ระเบียบวาระที่ ๑") < page.index("ระเบียบวาระที่ ๒") < page.index("ระเบียบวาระที่ ๓")
    assert page.index("๓.๑ ") < page.index("๓.๒ ") < page.index("๓.๑๐ ")
    assert "24 ธ.ค. 2567" in page and "๑๔.๓๐ น." in page


def test_printable_minutes(sec, world):
    meeting = make_meeting(world)
    services.record_all_members_present(actor=world.secretariat, meeting=meeting)
    services.save_meeting(actor=world.secretariat, province=world.province, meeting=meeting, changes={
        "started_time": dt.time(15, 30), "ended_time": dt.time(16, 30)})
    page = sec.get(reverse("committee:minutes", args=[meeting.pk])).content.decode()
    assert "รายงานการประชุม" in page
    assert "วันอังคารที่ ๒๔ ธันวาคม ๒๕๖๗ เวลา ๑๔.๓๐ น." in page
    assert "เริ่มประชุมเวลา ๑๕.๓๐ น." in page and "เลิกประชุมเวลา ๑๖.๓๐ น." in page
    assert "ผู้มาประชุม" in page and "มติที่ประชุม" in page and "รับทราบ" in page
    assert "- ไม่มี -" in page  # sections 2, 4, 5 have no items
    assert "data-print" in page
