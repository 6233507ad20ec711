"""Deadline reminder digests: who gets what, on which (Bangkok) days, once."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from types import SimpleNamespace
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from itadesk.accounts.models import Membership, Role
from itadesk.core.thai import BANGKOK, bangkok_datetime
from itadesk.cycles.models import Milestone, Participation, Progress, ReminderLog, Round, Status
from itadesk.cycles.reminders import due_reminders, send_due_reminders
from itadesk.registry.models import Agency, AgencyKind, District, OversightRule, Province, SupervisingOffice

pytestmark = pytest.mark.django_db

M1_NAME = "ระบุและอนุมัติข้อมูลผู้มีส่วนได้ส่วนเสีย"
M1_SUBJECT = f"[ITA Desk] แจ้งเตือน: อีก 7 วันถึงกำหนด {M1_NAME} (31 ม.ค. 2568 17:00 น.)"


def bkk(day: int, hour: int = 8, minute: int = 0, month: int = 1) -> dt.datetime:
    """A Bangkok time in 2568 BE (2025 CE)."""
    return bangkok_datetime(2568, month, day, hour, minute)


def user(username, email=None, *, active=True, **membership):
    u = get_user_model().objects.create_user(
        username, f"{username}@example.test" if email is None else email, None, is_active=active)
    if membership:
        Membership.objects.create(user=u, **membership)
    return u


@pytest.fixture
def w():
    """Two districts; SAOs 1 and 2, a town municipality and a provincial office participate, a third SAO
    does not. Office 'local' leads the local governments; office 'prov' leads the provincial office and
    helps follow (assist) the SAOs and has its own e-mail address. Milestone m1 closes 31 Jan 2568 17:00,
    m2 31 Mar 2568 17:00. SAO 2 is done (approved) on m1, the town municipality in progress."""
    w = SimpleNamespace()
    w.province = Province.objects.create(code="42", name_th="เลย")
    w.d1 = District.objects.create(province=w.province, geocode="4201", name_th="เมืองเลย")
    w.d2 = District.objects.create(province=w.province, geocode="4202", name_th="นาด้วง")

    def agency(name, kind, district):
        return Agency.objects.create(province=w.province, district=district, kind=kind, name_th=name)

    w.sao1 = agency("อบต.แก้วเมธี", AgencyKind.SAO, w.d2)
    w.sao2 = agency("อบต.ท่าสวรรค์", AgencyKind.SAO, w.d2)
    w.town = agency("เทศบาลเมืองเลย", AgencyKind.TOWN_MUNICIPALITY, w.d1)
    w.prov = agency("สำนักงานจังหวัดเลย", AgencyKind.PROVINCIAL, w.d1)
    w.outsider = agency("อบต.นอกรอบ", AgencyKind.SAO, w.d1)

    w.local = SupervisingOffice.objects.create(province=w.province, code="local", name_th="สถ.จ.เลย", order=1)
    w.prov_office = SupervisingOffice.objects.create(province=w.province, code="prov", name_th="สนง.จังหวัดเลย",
                                                     order=2, email="prov-office@example.test")
    OversightRule.objects.create(office=w.local, kinds=[AgencyKind.SAO, AgencyKind.TOWN_MUNICIPALITY])
    rule = OversightRule.objects.create(office=w.prov_office)
    rule.agencies.add(w.prov)
    OversightRule.objects.create(office=w.prov_office, kinds=[AgencyKind.SAO], role=OversightRule.Role.ASSIST)

    w.round = Round.objects.create(province=w.province, fiscal_year=2568, name="ITA 2568 จังหวัดเลย",
                                   starts_on="2024-10-01", ends_on="2025-09-30", is_current=True)
    w.m1 = Milestone.objects.create(round=w.round, code="stakeholders", name_th=M1_NAME, order=1,
                                    deadline=bkk(31, 17))
    w.m2 = Milestone.objects.create(round=w.round, code="oit", name_th="เผยแพร่ข้อมูล OIT", order=2,
                                    deadline=bkk(31, 17, month=3))
    for a in (w.sao1, w.sao2, w.town, w.prov):
        Participation.objects.create(round=w.round, agency=a)
    Progress.objects.create(milestone=w.m1, agency=w.sao2, status=Status.APPROVED)
    Progress.objects.create(milestone=w.m1, agency=w.town, status=Status.IN_PROGRESS)

    w.local_officer = user("local-officer", office=w.local, role=Role.OFFICER)
    w.no_email_officer = user("no-email", email="", office=w.local, role=Role.OFFICER)
    w.inactive_officer = user("gone", active=False, office=w.local, role=Role.OFFICER)
    w.prov_officer = user("prov-officer", office=w.prov_office, role=Role.OFFICER)
    w.reviewer = user("reviewer", office=w.local, role=Role.REVIEWER)
    w.admin1 = user("admin-sao1", agency=w.sao1, role=Role.AGENCY_ADMIN)
    w.admin2 = user("admin-sao2", agency=w.sao2, role=Role.AGENCY_ADMIN)
    w.admin_town = user("admin-town", agency=w.town, role=Role.AGENCY_ADMIN)
    w.exec1 = user("exec-sao1", agency=w.sao1, role=Role.AGENCY_EXECUTIVE)
    w.admin_outsider = user("admin-outsider", agency=w.outsider, role=Role.AGENCY_ADMIN)
    return w


def by_recipient(outbox):
    return {m.to[0]: m for m in outbox}


def html_of(message):
    return next(body for body, mime in message.alternatives if mime == "text/html")


# ---------------------------------------------------------------------------------------- who gets what


def test_who_gets_what(w, mailoutbox):
    summary = send_due_reminders(bkk(24))  # 7 days before m1
    mails = by_recipient(mailoutbox)
    assert set(mails) == {"local-officer@example.test", "prov-officer@example.test", "prov-office@example.test",
                          "admin-sao1@example.test", "admin-town@example.test"}
    assert summary.sent == 5 and summary.failed == 0

    # The lead office: its open agencies, grouped by district; not the approved SAO, not the non-participant.
    local = mails["local-officer@example.test"].body
    assert "อบต.แก้วเมธี" in local and "เทศบาลเมืองเลย" in local
    assert "อบต.ท่าสวรรค์" not in local and "อบต.นอกรอบ" not in local and "สำนักงานจังหวัดเลย" not in local
    assert local.index("อำเภอเมืองเลย") < local.index("เทศบาลเมืองเลย") < local.index("อำเภอนาด้วง") \
        < local.index("อบต.แก้วเมธี")
    assert "สถานะ: ยังไม่เริ่ม" in local and "สถานะ: กำลังดำเนินการ" in local
    assert "2 จาก 3 หน่วยงาน" in local

    # An agency admin: its own agency's open milestones only, with deadline and countdown.
    admin1 = mails["admin-sao1@example.test"].body
    assert M1_NAME in admin1 and "เผยแพร่ข้อมูล OIT" in admin1
    assert "31 ม.ค. 2568 17:00 น. (อีก 7 วัน 9 ชั่วโมง)" in admin1
    assert "31 มี.ค. 2568 17:00 น." in admin1
    assert "เทศบาลเมืองเลย" not in admin1 and "อบต.ท่าสวรรค์" not in admin1
    town = mails["admin-town@example.test"].body
    assert "เทศบาลเมืองเลย" in town and "อบต.แก้วเมธี" not in town and "สถานะ: กำลังดำเนินการ" in town

    # Nobody else: not the done agency's admin (although m2 is open for it), the executive, the reviewer,
    # the inactive officer, or the non-participant's admin.
    for absent in ("admin-sao2", "exec-sao1", "reviewer", "gone", "admin-outsider"):
        assert f"{absent}@example.test" not in mails


def test_assisting_office_is_reminded_and_assisted_agencies_are_marked(w, mailoutbox):
    """Choice: an office's digest lists the agencies of all its oversight rules, 'assist' ones included
    (marked 'ช่วยกำกับติดตาม'), so the lead office and the assisting office are both reminded."""
    send_due_reminders(bkk(24))
    mails = by_recipient(mailoutbox)
    officer, office = mails["prov-officer@example.test"], mails["prov-office@example.test"]
    assert officer.body == office.body
    body = officer.body
    assert "สำนักงานจังหวัดเลย" in body and "อบต.แก้วเมธี" in body
    assert "อบต.ท่าสวรรค์" not in body and "เทศบาลเมืองเลย" not in body  # done; not followed
    lines = {line.strip().split(" (")[0].removeprefix("- "): line for line in body.splitlines() if "สถานะ" in line}
    assert "[ช่วยกำกับติดตาม]" in lines["อบต.แก้วเมธี"]
    assert "ช่วยกำกับติดตาม" not in lines["สำนักงานจังหวัดเลย"]
    assert "ช่วยกำกับติดตาม" in html_of(officer)
    # The local office leads the SAOs: no assist marker there.
    assert "ช่วยกำกับติดตาม" not in mails["local-officer@example.test"].body


def test_no_office_digest_when_everything_is_done(w, mailoutbox):
    for a in (w.sao1, w.town):
        Progress.objects.update_or_create(milestone=w.m1, agency=a, defaults={"status": Status.DONE})
    send_due_reminders(bkk(24))
    # prov office still has its provincial agency open; the local office has nothing open.
    assert set(by_recipient(mailoutbox)) == {"prov-officer@example.test", "prov-office@example.test"}
    Progress.objects.create(milestone=w.m1, agency=w.prov, status=Status.DONE)
    mailoutbox.clear()
    assert send_due_reminders(bkk(28)).sent == 0  # 3 days before, nothing open
    assert mailoutbox == []


def test_users_without_email_are_skipped_and_counted(w, mailoutbox):
    summary = send_due_reminders(bkk(24))
    assert summary.skipped_no_email == 1
    local = next(d for d in summary.digests if d.scope == f"office:{w.local.pk}")
    assert local.skipped_users == ["no-email"]
    assert local.recipients == ["local-officer@example.test"]
    assert all(m.to[0] for m in mailoutbox)
    # An agency whose only admin has no address: the digest exists, nobody gets it, and it is counted.
    w.admin_town.email = ""
    w.admin_town.save()
    digests = due_reminders(bkk(24))
    town = next(d for d in digests if d.scope == f"agency:{w.town.pk}")
    assert town.recipients == [] and town.skipped_users == ["admin-town"]
    prov = next(d for d in digests if d.scope == f"agency:{w.prov.pk}")  # no admin at all
    assert prov.recipients == [] and prov.skipped_users == []


def test_agency_address_gets_its_digest_too(w, mailoutbox):
    """Like an office's own address, an agency's registered e-mail (its saraban address) gets the
    agency digest — so an agency without an admin account is still reminded — once, whatever the case."""
    w.prov.email = "saraban@loei.example.test"
    w.prov.save()
    w.sao1.email = "ADMIN-SAO1@example.test"  # the same address as its admin's
    w.sao1.save()
    send_due_reminders(bkk(24))
    mails = by_recipient(mailoutbox)
    prov = mails["saraban@loei.example.test"].body
    assert "สำนักงานจังหวัดเลย" in prov and M1_NAME in prov and "อบต.แก้วเมธี" not in prov
    assert [m.to[0].lower() for m in mailoutbox].count("admin-sao1@example.test") == 1


def test_subject_and_bodies_are_thai_with_be_dates_and_link(w, mailoutbox, settings):
    settings.SITE_URL = "https://ita.loei.example"
    send_due_reminders(bkk(24))
    mails = by_recipient(mailoutbox)
    local = mails["local-officer@example.test"]
    assert local.subject == M1_SUBJECT
    assert "https://ita.loei.example/" in local.body
    html = html_of(local)
    assert 'href="https://ita.loei.example/"' in html and "เทศบาลเมืองเลย" in html and "นาด้วง" in html
    assert "ยังไม่เริ่ม" in html and "กำลังดำเนินการ" in html
    assert mails["admin-sao1@example.test"].subject == f"{M1_SUBJECT} – อบต.แก้วเมธี"


# ---------------------------------------------------------------------------------------- the right days


@pytest.mark.parametrize(("day", "expected"), [
    (17, 14), (24, 7), (28, 3), (30, 1),  # reminder days
    (16, None), (23, None), (29, None), (31, None),  # 15, 8, 2 and 0 days before: nothing
])
def test_reminder_days(w, mailoutbox, day, expected):
    with time_machine.travel(bkk(day, 8), tick=False):
        digests = due_reminders()
        summary = send_due_reminders()
    if expected is None:
        assert digests == [] and mailoutbox == []
    else:
        assert {d.days_before for d in digests} == {expected}
        assert {d.milestone for d in digests} == {w.m1}
        assert summary.sent == 5
        assert mailoutbox[0].subject.startswith(f"[ITA Desk] แจ้งเตือน: อีก {expected} วันถึงกำหนด")


def test_days_are_bangkok_calendar_days(w, mailoutbox):
    # 23:30 UTC on 23 Jan is 06:30 on 24 Jan in Bangkok: 7 days before the 31 Jan deadline.
    with time_machine.travel(dt.datetime(2025, 1, 23, 23, 30, tzinfo=dt.UTC), tick=False):
        summary = send_due_reminders()
    assert summary.sent == 5
    assert {d.days_before for d in summary.digests} == {7}
    # 16:59 UTC on 23 Jan is still 23 Jan (23:59) in Bangkok: 8 days, nothing.
    mailoutbox.clear()
    with time_machine.travel(dt.datetime(2025, 1, 23, 16, 59, tzinfo=dt.UTC), tick=False):
        assert send_due_reminders().digests == []
    assert mailoutbox == []


def test_deadline_date_is_taken_in_bangkok(w, mailoutbox):
    """A deadline at 00:30 on 10 Feb Bangkok time is 17:30 UTC on 9 Feb: it counts as 10 Feb."""
    Milestone.objects.filter(pk=w.m1.pk).update(deadline=dt.datetime(2025, 2, 10, 0, 30, tzinfo=BANGKOK))
    assert {d.days_before for d in due_reminders(dt.datetime(2025, 2, 3, 8, tzinfo=BANGKOK))} == {7}
    assert due_reminders(dt.datetime(2025, 2, 2, 8, tzinfo=BANGKOK)) == []


def test_settings_override_reminder_days(w, mailoutbox, settings):
    settings.ITADESK_REMINDER_DAYS = [2]
    assert send_due_reminders(bkk(24)).digests == []
    summary = send_due_reminders(bkk(29))
    assert summary.sent == 5 and {d.days_before for d in summary.digests} == {2}
    assert mailoutbox[0].subject.startswith("[ITA Desk] แจ้งเตือน: อีก 2 วันถึงกำหนด")


# ---------------------------------------------------------------------------------------- once only


def test_second_run_the_same_day_sends_nothing(w, mailoutbox):
    first = send_due_reminders(bkk(24, 8))
    assert first.sent == 5
    logs = ReminderLog.objects.all()
    assert logs.count() == 5
    assert set(logs.values_list("scope", flat=True)) == {
        f"office:{w.local.pk}", f"office:{w.prov_office.pk}", f"agency:{w.sao1.pk}", f"agency:{w.town.pk}"}
    assert set(logs.values_list("milestone_id", "days_before").distinct()) == {(w.m1.pk, 7)}
    assert logs.get(scope=f"office:{w.local.pk}").open_count == 2

    second = send_due_reminders(bkk(24, 17))
    assert second.sent == 0 and second.already_sent == 5
    assert len(mailoutbox) == 5 and ReminderLog.objects.count() == 5
    # A newly added officer still gets today's digest on a re-run; nobody else is mailed twice.
    user("new-officer", office=w.local, role=Role.OFFICER)
    third = send_due_reminders(bkk(24, 18))
    assert third.sent == 1 and mailoutbox[-1].to == ["new-officer@example.test"]


def test_failed_send_is_retried_on_a_rerun(w, mailoutbox):
    from django.core.mail import EmailMultiAlternatives

    real_send = EmailMultiAlternatives.send

    def flaky(self, *args, **kwargs):
        if self.to == ["admin-town@example.test"]:
            raise OSError("SMTP down")
        return real_send(self, *args, **kwargs)

    with mock.patch.object(EmailMultiAlternatives, "send", flaky):
        summary = send_due_reminders(bkk(24))
    assert summary.sent == 4 and summary.failed == 1
    # The failed digest waits in the notification outbox, which retries it (the claim is kept, so a re-run of
    # the reminders does not send anybody a second copy).
    from itadesk.notifications import delivery
    from itadesk.notifications.models import Notification

    failed = Notification.objects.get(address="admin-town@example.test")
    assert failed.state == "failed" and "SMTP down" in failed.last_error
    rerun = send_due_reminders(bkk(24, 9))
    assert rerun.sent == 0 and rerun.already_sent == 5
    retry = delivery.deliver(now=failed.next_attempt_at)
    assert retry.sent == 1
    assert mailoutbox[-1].to == ["admin-town@example.test"] and len(mailoutbox) == 5


def test_agency_gets_one_digest_when_two_milestones_hit_the_same_day(w, mailoutbox):
    # m2 moved to 3 days after 24 Jan, m1 is 7 days after: one digest per agency, headed by the nearer m2.
    Milestone.objects.filter(pk=w.m2.pk).update(deadline=bkk(27, 12))
    summary = send_due_reminders(bkk(24))
    admin1 = [m for m in mailoutbox if m.to == ["admin-sao1@example.test"]]
    assert len(admin1) == 1
    assert admin1[0].subject.startswith("[ITA Desk] แจ้งเตือน: อีก 3 วันถึงกำหนด เผยแพร่ข้อมูล OIT (27 ม.ค. 2568 12:00 น.)")
    assert M1_NAME in admin1[0].body
    # The done-on-m1 SAO is open on m2, so its admin is reminded now (of m2 only).
    admin2 = [m for m in mailoutbox if m.to == ["admin-sao2@example.test"]]
    assert len(admin2) == 1 and M1_NAME not in admin2[0].body
    # The office officers get one digest per milestone.
    assert len([m for m in mailoutbox if m.to == ["local-officer@example.test"]]) == 2
    assert ReminderLog.objects.filter(scope=f"agency:{w.sao1.pk}").count() == 2
    assert send_due_reminders(bkk(24, 20)).sent == 0
    assert summary.failed == 0


def test_office_following_all_agencies(w, mailoutbox):
    nacc = SupervisingOffice.objects.create(province=w.province, code="nacc", name_th="ป.ป.ช.จังหวัดเลย", order=0)
    OversightRule.objects.create(office=nacc, all_agencies=True)
    user("nacc-officer", office=nacc, role=Role.OFFICER)
    send_due_reminders(bkk(24))
    body = by_recipient(mailoutbox)["nacc-officer@example.test"].body
    for name in ("อบต.แก้วเมธี", "เทศบาลเมืองเลย", "สำนักงานจังหวัดเลย"):
        assert name in body
    assert "อบต.ท่าสวรรค์" not in body and "อบต.นอกรอบ" not in body
    assert "3 จาก 4 หน่วยงาน" in body


def test_other_provinces_rounds_do_not_leak(w, mailoutbox):
    other = Province.objects.create(code="43", name_th="หนองคาย")
    office = SupervisingOffice.objects.create(province=other, code="all", name_th="ป.ป.ช.หนองคาย")
    OversightRule.objects.create(office=office, all_agencies=True)
    user("other-officer", office=office, role=Role.OFFICER)
    send_due_reminders(bkk(24))
    assert "other-officer@example.test" not in by_recipient(mailoutbox)


# ---------------------------------------------------------------------------------------- command, task


def test_command_send_dry_run_then_send(w, mailoutbox):
    out = StringIO()
    call_command("reminders", "send", "--now", "2025-01-24T08:00+07:00", "--dry-run", stdout=out)
    text = out.getvalue()
    assert mailoutbox == [] and not ReminderLog.objects.exists()
    assert "would_send   local-officer@example.test" in text
    assert "skipped, no e-mail address: no-email" in text
    assert "would send 5 e-mails" in text and "1 users without e-mail skipped" in text

    out = StringIO()
    call_command("reminders", "send", "--now", "2025-01-24T08:00", stdout=out)  # no offset: Bangkok
    assert len(mailoutbox) == 5 and "sent 5 e-mails" in out.getvalue()

    out = StringIO()
    call_command("reminders", "send", "--now", "2025-01-24T08:00+07:00", "--dry-run", stdout=out)
    assert "already_sent local-officer@example.test" in out.getvalue()


def test_command_preview(w):
    out = StringIO()
    call_command("reminders", "preview", "--milestone", "stakeholders", "--round", "2568",
                 "--now", "2025-01-24T08:00+07:00", stdout=out)
    text = out.getvalue()
    assert f"Subject: {M1_SUBJECT}" in text
    assert "To: local-officer@example.test" in text
    assert "To: prov-officer@example.test, prov-office@example.test" in text
    assert "เทศบาลเมืองเลย" in text and "สำนักงานจังหวัดเลย" in text
    with pytest.raises(CommandError):
        call_command("reminders", "preview", "--milestone", "nope", "--round", "2568", stdout=StringIO())


def test_huey_schedule_fires_at_eight_bangkok_time(settings):
    from huey.contrib.djhuey import HUEY

    from itadesk.cycles import tasks

    assert HUEY.utc is True  # Huey hands periodic checks a naive UTC timestamp
    validate = tasks.send_reminders.task_class().validate_datetime
    assert validate(dt.datetime(2025, 1, 24, 1, 0))  # 01:00 UTC = 08:00 Bangkok
    assert not validate(dt.datetime(2025, 1, 24, 8, 0))  # 08:00 UTC = 15:00 Bangkok
    assert not validate(dt.datetime(2025, 1, 24, 1, 1))
    periodic = [t.name for t in HUEY.read_periodic(dt.datetime(2025, 1, 24, 1, 0))]
    assert "cycles.send_due_reminders" in periodic
    assert "cycles.send_due_reminders" not in [t.name for t in HUEY.read_periodic(dt.datetime(2025, 1, 24, 8))]
    # A Huey with utc=False hands local time; Django sets the process zone to TIME_ZONE (Bangkok).
    local = tasks.bangkok_crontab(minute="0", hour="8", utc=False)
    assert local(dt.datetime(2025, 1, 24, 8, 0)) and not local(dt.datetime(2025, 1, 24, 1, 0))


def test_huey_task_runs_send_due_reminders(w, mailoutbox):
    from itadesk.cycles import tasks

    with time_machine.travel(bkk(24, 8), tick=False):
        result = tasks.send_reminders.call_local()
    assert result["sent"] == 5 and len(mailoutbox) == 5
