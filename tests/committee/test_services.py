"""The committee's services: members, meetings, agenda, attendance, attachments and the minutes'
state machine, with their refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from itadesk.committee import services
from itadesk.committee.models import AgendaItem, Attendance, CommitteeMember, MinutesEvent, MinutesStatus
from itadesk.core.models import AuditEvent
from tests.committee.helpers import make_meeting, make_members


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


def _messages(error: ValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def test_members_get_an_order_and_move(world):
    a, b, c = make_members(world)
    assert [m.order for m in (a, b, c)] == [1, 2, 3]
    services.move_member(actor=world.secretariat, member=c, direction="up")
    names = list(CommitteeMember.objects.filter(province=world.province).values_list("name", flat=True))
    assert names == [a.name, c.name, b.name]
    services.move_member(actor=world.secretariat, member=a, direction="up")  # already first: no change
    assert CommitteeMember.objects.get(pk=a.pk).order == 1
    assert AuditEvent.objects.filter(action="committee.member_move").count() == 2


def test_member_office_must_be_of_the_province(world):
    from itadesk.registry.models import Province, SupervisingOffice

    other = Province.objects.create(code="43", name_th="หนองคาย", name_en="Nong Khai")
    foreign = SupervisingOffice.objects.create(province=other, code="x", name_th="x")
    with pytest.raises(ValidationError) as e:
        services.save_member(actor=world.secretariat, province=world.province,
                             changes={"name": "ก", "position": "ข", "committee_role": "member", "office": foreign})
    assert "office" in _messages(e.value)
    member = services.save_member(actor=world.secretariat, province=world.province, changes={
        "name": "ก", "position": "ข", "committee_role": "member", "office": world.nacc})
    assert member.office == world.nacc


def test_state_machine_draft_reviewed_adopted_with_log(world):
    first = make_meeting(world)
    second = make_meeting(world, date=dt.date(2025, 2, 20), number="ครั้งที่ ๒/๒๕๖๘", items=False)
    services.review_minutes(actor=world.secretariat, meeting=first)
    item2 = services.save_item(actor=world.secretariat, meeting=second, changes={
        "section": 2, "number": "", "title": "รับรองรายงานการประชุม ครั้งที่ ๑/๒๕๖๘"})
    services.adopt_minutes(actor=world.secretariat, meeting=first, at_meeting=second, item=item2)
    first.refresh_from_db()
    assert first.minutes_status == MinutesStatus.ADOPTED
    assert first.adopted_at_meeting == second and first.adopted_item == item2
    item2.refresh_from_db()
    assert item2.resolution_kind == "adopted" and item2.resolution_text == "รับรองรายงานการประชุม"
    log = list(MinutesEvent.objects.filter(meeting=first).values_list("from_status", "to_status"))
    assert log == [("draft", "reviewed"), ("reviewed", "adopted")]
    assert AuditEvent.objects.filter(action__startswith="committee.minutes_").count() == 2


def test_bad_transitions_are_refused_with_a_reason(world):
    first = make_meeting(world)
    later = make_meeting(world, date=dt.date(2025, 2, 20), number="ครั้งที่ ๒/๒๕๖๘", items=False)
    with pytest.raises(services.TransitionRefused, match="Draft"):
        services.adopt_minutes(actor=world.secretariat, meeting=first, at_meeting=later)  # draft: review first
    services.review_minutes(actor=world.secretariat, meeting=first)
    with pytest.raises(services.TransitionRefused, match="reviewed"):
        services.review_minutes(actor=world.secretariat, meeting=first)  # already reviewed
    with pytest.raises(services.TransitionRefused, match="Say why"):
        services.return_minutes(actor=world.secretariat, meeting=first, note="")
    services.return_minutes(actor=world.secretariat, meeting=first, note="แก้ชื่อผู้เข้าประชุม")
    first.refresh_from_db()
    assert first.minutes_status == MinutesStatus.DRAFT
    empty = later
    with pytest.raises(services.TransitionRefused, match="no agenda items"):
        services.review_minutes(actor=world.secretariat, meeting=empty)
    assert MinutesEvent.objects.filter(meeting=empty).count() == 0


def test_adoption_must_be_at_a_later_meeting_and_under_item_2(world):
    first = make_meeting(world, date=dt.date(2025, 2, 20))
    earlier = make_meeting(world, date=dt.date(2024, 11, 1), number="ครั้งที่ ๓/๒๕๖๗")
    later = make_meeting(world, date=dt.date(2025, 5, 1), number="ครั้งที่ ๒/๒๕๖๘")
    services.review_minutes(actor=world.secretariat, meeting=first)
    with pytest.raises(services.TransitionRefused, match="not later"):
        services.adopt_minutes(actor=world.secretariat, meeting=first, at_meeting=earlier)
    with pytest.raises(services.TransitionRefused, match="later meeting"):
        services.adopt_minutes(actor=world.secretariat, meeting=first, at_meeting=first)
    wrong_item = later.items.get(number="3.1")
    with pytest.raises(services.TransitionRefused, match="agenda item 2"):
        services.adopt_minutes(actor=world.secretariat, meeting=first, at_meeting=later, item=wrong_item)
    first.refresh_from_db()
    assert first.minutes_status == MinutesStatus.REVIEWED and first.adopted_at_meeting is None
    services.adopt_minutes(actor=world.secretariat, meeting=first, at_meeting=later, note="named explicitly")
    first.refresh_from_db()
    assert first.minutes_status == MinutesStatus.ADOPTED
    with pytest.raises(services.TransitionRefused):
        services.return_minutes(actor=world.secretariat, meeting=first, note="too late")


def test_only_draft_minutes_can_be_changed(world):
    meeting = make_meeting(world)
    services.review_minutes(actor=world.secretariat, meeting=meeting)
    item = meeting.items.get(number="3.1")
    with pytest.raises(services.TransitionRefused, match="only draft minutes"):
        services.save_item(actor=world.secretariat, meeting=meeting, item=item, changes={"title": "แก้"})
    with pytest.raises(services.TransitionRefused):
        services.save_meeting(actor=world.secretariat, province=world.province, meeting=meeting,
                              changes={"place": "ที่อื่น"})
    with pytest.raises(services.TransitionRefused):
        services.add_attachment(actor=world.secretariat, item=item,
                                uploaded=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))
    item.refresh_from_db()
    assert item.title == "หลักเกณฑ์"


@pytest.mark.parametrize("section,number", [(3, "4.1"), (3, "3"), (3, "3.x"), (4, "4.0"), (6, "")])
def test_agenda_numbers_must_fit_their_section(world, section, number):
    meeting = make_meeting(world, items=False)
    with pytest.raises(ValidationError) as e:
        services.save_item(actor=world.secretariat, meeting=meeting, changes={"section": section, "number": number})
    assert set(_messages(e.value)) & {"number", "section"}
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_agenda_numbers_accept_thai_digits_and_are_unique(world):
    meeting = make_meeting(world)
    item = services.save_item(actor=world.secretariat, meeting=meeting, changes={"section": 3, "number": "๓.๒"})
    assert item.number == "3.2"
    with pytest.raises(ValidationError) as e:
        services.save_item(actor=world.secretariat, meeting=meeting, changes={"section": 3, "number": "3.1"})
    assert "already has agenda item 3.1" in _messages(e.value)["number"][0]


def test_attendance_rules(world):
    meeting = make_meeting(world)
    chair, member, secretary = CommitteeMember.objects.filter(province=world.province)
    with pytest.raises(ValidationError) as e:
        services.save_attendance(actor=world.secretariat, meeting=meeting, changes={"member": member,
                                                                                    "status": "absent"})
    assert "reason" in _messages(e.value)
    with pytest.raises(ValidationError) as e:
        services.save_attendance(actor=world.secretariat, meeting=meeting, changes={"member": member,
                                                                                    "status": "delegated"})
    assert "delegate_name" in _messages(e.value)
    with pytest.raises(ValidationError) as e:
        services.save_attendance(actor=world.secretariat, meeting=meeting, changes={"status": "attendee"})
    assert "name" in _messages(e.value)
    services.save_attendance(actor=world.secretariat, meeting=meeting,
                             changes={"member": member, "status": "absent", "reason": "ติดราชการ"})
    services.save_attendance(actor=world.secretariat, meeting=meeting,
                             changes={"member": secretary, "status": "delegated", "delegate_name": "นายแทน"})
    with pytest.raises(ValidationError) as e:
        services.save_attendance(actor=world.secretariat, meeting=meeting, changes={"member": member,
                                                                                    "status": "present"})
    assert "already on this meeting" in _messages(e.value)["member"][0]
    added = services.record_all_members_present(actor=world.secretariat, meeting=meeting)
    assert added == 1  # only the chair was missing
    statuses = dict(Attendance.objects.filter(meeting=meeting).values_list("member__name", "status"))
    assert statuses == {chair.name: "present", member.name: "absent", secretary.name: "delegated"}


def test_attachments_are_stored_and_checked(world):
    meeting = make_meeting(world)
    item = meeting.items.get(number="3.1")
    attachment = services.add_attachment(actor=world.secretariat, item=item,
                                         uploaded=SimpleUploadedFile("ปฏิทิน ITA.pdf", b"%PDF-1.4 data"))
    assert attachment.name == "ปฏิทิน ITA.pdf" and attachment.size == 13
    assert attachment.file.read() == b"%PDF-1.4 data"
    for name, content, message in [("run.exe", b"MZ", "not accepted"), ("empty.pdf", b"", "empty")]:
        with pytest.raises(ValidationError) as e:
            services.add_attachment(actor=world.secretariat, item=item, uploaded=SimpleUploadedFile(name, content))
        assert message in _messages(e.value)["file"][0] and name in _messages(e.value)["file"][0]
    services.meetings.ATTACHMENT_MAX_BYTES, old = 10, services.meetings.ATTACHMENT_MAX_BYTES
    try:
        with pytest.raises(ValidationError) as e:
            services.add_attachment(actor=world.secretariat, item=item,
                                    uploaded=SimpleUploadedFile("big.pdf", b"x" * 11))
        assert "limit" in _messages(e.value)["file"][0]
    finally:
        services.meetings.ATTACHMENT_MAX_BYTES = old
    assert item.attachments.count() == 1
    services.delete_attachment(actor=world.secretariat, attachment=attachment)
    assert item.attachments.count() == 0


def test_minutes_events_are_append_only(world):
    meeting = make_meeting(world)
    services.review_minutes(actor=world.secretariat, meeting=meeting)
    event = MinutesEvent.objects.get(meeting=meeting)
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    with pytest.raises(ValueError):
        MinutesEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(ValueError):
        MinutesEvent.objects.filter(pk=event.pk).delete()


def test_a_refused_write_leaves_nothing_half_done(world):
    meeting = make_meeting(world)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.save_meeting(actor=world.secretariat, province=world.province, meeting=meeting,
                              changes={"started_time": dt.time(16, 0), "ended_time": dt.time(15, 0)})
    meeting.refresh_from_db()
    assert meeting.started_time is None and AuditEvent.objects.count() == before


def test_deleting_an_item_or_attachment_removes_the_files_after_commit(world, django_capture_on_commit_callbacks):
    import os

    meeting = make_meeting(world)
    item = meeting.items.get(number="3.1")
    first = services.add_attachment(actor=world.secretariat, item=item, uploaded=SimpleUploadedFile("a.pdf", b"1"))
    second = services.add_attachment(actor=world.secretariat, item=item, uploaded=SimpleUploadedFile("b.pdf", b"2"))
    first_path, second_path = first.file.path, second.file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_attachment(actor=world.secretariat, attachment=first)
    assert not os.path.exists(first_path) and os.path.exists(second_path)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_item(actor=world.secretariat, item=item)
    assert not os.path.exists(second_path)
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    assert AuditEvent.objects.filter(action="committee.item_delete").count() == 1
