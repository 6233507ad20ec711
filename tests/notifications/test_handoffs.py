"""Every hand-off goes through the one notification service: action items asked of agencies and answered back
to the office, stakeholder data to approve and approved, event invitations and an issued monitoring report.
Each writes its outbox rows in its own transaction and is delivered after the commit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from itadesk.committee import services as committee
from itadesk.notifications.models import Kind, LineLink, Notification, State


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def by_to(mailoutbox):
    return {m.to[0]: m for m in mailoutbox}


def test_action_item_asked_and_answered(world, mailoutbox, django_capture_on_commit_callbacks):
    w = world
    LineLink.objects.create(province=w.province, office=w.local, line_id="C-local")
    with django_capture_on_commit_callbacks(execute=True):
        action = committee.create_action(actor=w.secretariat, province=w.province, agencies=[w.sao1, w.sao2],
                                         changes={"kind": "agencies", "title": "แต่งตั้งคณะทำงาน ITA",
                                                  "office": w.local, "due_date": dt.date(2099, 1, 31)})
    mails = by_to(mailoutbox)
    assert set(mails) == {"admin-a@example.test"}  # sao1's admin; sao2 has no admin and no address
    asked = mails["admin-a@example.test"]
    assert asked.subject == "[ITA Desk] ข้อสั่งการถึงองค์การบริหารส่วนตำบลแก้วเมธี: แต่งตั้งคณะทำงาน ITA"
    target = action.targets.get(agency=w.sao1)
    assert f"/committee/requests/{target.pk}/" in asked.body and "31 ม.ค. 2642" in asked.body
    assert Notification.objects.get(address="admin-a@example.test").kind == Kind.ACTION_ASKED

    mailoutbox.clear()
    pdf = SimpleUploadedFile("คำสั่ง.pdf", b"%PDF-1.4 xxxx", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        committee.move_target(actor=w.admin_a, target=target, step="submit", text="แต่งตั้งแล้ว", uploaded=pdf)
    mails = by_to(mailoutbox)
    assert set(mails) == {"local@example.test", "local-promotion@example.test"}  # the responsible office
    answered = mails["local@example.test"]
    assert answered.subject.startswith("[ITA Desk] องค์การบริหารส่วนตำบลแก้วเมธี รายงานผลตามข้อสั่งการ")
    assert f"/committee/actions/{action.pk}/" in answered.body and "แต่งตั้งแล้ว" in answered.body
    line = Notification.objects.get(kind=Kind.ACTION_ANSWERED, channel="line")
    assert (line.address, line.state) == ("C-local", State.QUEUED)  # the office's group, in the next digest

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        committee.move_target(actor=w.local_officer, target=target, step="return", text="ขอสำเนาคำสั่งที่ลงนาม")
    assert [m.to for m in mailoutbox] == [["admin-a@example.test"]]
    assert "ขอสำเนาคำสั่งที่ลงนาม" in mailoutbox[0].body


def test_a_refused_answer_sends_nothing(world, mailoutbox, django_capture_on_commit_callbacks):
    w = world
    action = committee.create_action(actor=w.secretariat, province=w.province, agencies=[w.sao1],
                                     changes={"kind": "agencies", "title": "x", "office": w.local})
    target = action.targets.get()
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        committee.move_target(actor=w.admin_a, target=target, step="submit")  # no document, no text
    assert Notification.objects.count() == before


def test_stakeholder_data_to_approve_approved_and_unlocked(world, mailoutbox, django_capture_on_commit_callbacks):
    from itadesk.surveys import services as surveys

    w = world
    with django_capture_on_commit_callbacks(execute=True):
        surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=40,
                                  external_people=100)
    assert [m.to for m in mailoutbox] == [["exec-a@example.test"]]  # the executive approves
    assert "รอผู้บริหารอนุมัติ" in mailoutbox[0].subject
    assert f"/surveys/rounds/{w.round.pk}/agencies/{w.sao1.pk}/" in mailoutbox[0].body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        surveys.approve_stakeholders(actor=w.exec_a, round=w.round, agency=w.sao1)
    assert [m.to for m in mailoutbox] == [["admin-a@example.test"]] and "อนุมัติ" in mailoutbox[0].subject
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        surveys.unlock_stakeholders(actor=w.secretariat, round=w.round, agency=w.sao1, reason="จำนวนบุคลากรผิด")
    assert sorted(m.to[0] for m in mailoutbox) == ["admin-a@example.test", "exec-a@example.test"]
    assert "จำนวนบุคลากรผิด" in mailoutbox[0].body
    assert set(Notification.objects.values_list("kind", flat=True)) == {Kind.STAKEHOLDERS}


def test_event_invitation(world, mailoutbox, django_capture_on_commit_callbacks):
    from itadesk.projects import services as projects
    from tests.projects import pworld

    w = world
    event = pworld.event(w)
    w.pao.email = "pao@example.test"
    w.pao.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert projects.invite(actor=w.secretariat, event=event, agencies=[w.sao1, w.pao], quota=3) == 1
    mails = by_to(mailoutbox)
    assert set(mails) == {"admin-b@example.test", "pao@example.test"}  # sao1 was already invited
    mail = mails["admin-b@example.test"]
    assert mail.subject.startswith("[ITA Desk] ขอเชิญเข้าร่วม ประชุมเชิงปฏิบัติการขับเคลื่อนการประเมิน ITA")
    assert "22 ม.ค. 2568" in mail.body and "3 ที่" in mail.body and f"/projects/events/{event.pk}/" in mail.body


def test_monitoring_report_issued(world, mailoutbox, django_capture_on_commit_callbacks):
    from itadesk.reports import services as reports
    from tests.reports.fixtures import CUT, build_report_world

    rw = build_report_world(world)
    report = reports.create_report(actor=rw.local_officer, round=rw.round, office=rw.local, cut_off=CUT)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reports.issue_report(actor=rw.local_officer, report=report)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [u.email for u in [rw.local_officer]] + ["local-promotion@example.test"])
    assert "ออกแล้ว" in mailoutbox[0].subject and f"/reports/{report.pk}/" in mailoutbox[0].body
