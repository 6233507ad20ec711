"""Events: the programme's computed times, invitations in bulk, registration within quota and capacity,
check-in by token, the attendance numbers and the outcome of a targeted event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from itadesk.core.thai import bangkok_datetime
from itadesk.cycles.models import Progress, Status
from itadesk.methodology.models import TargetGroup, TargetGroupMember
from itadesk.projects import selectors, services
from itadesk.projects.models import Invitation, Registration
from itadesk.registry.models import Agency, AgencyKind


@pytest.fixture
def event(world):
    project = services.save_project(actor=world.secretariat, province=world.province, changes={
        "name": "โครงการขับเคลื่อน ITA", "round": world.round, "budget": Decimal("90000")})
    return services.save_event(actor=world.secretariat, project=project, changes={
        "title": "ประชุมเชิงปฏิบัติการ", "date": dt.date(2025, 1, 21), "start_time": dt.time(9, 0),
        "place": "ศาลากลางจังหวัดเลย", "capacity": 5, "default_quota": 2})


def reg(world, event, agency, name, actor=None, **kw):
    return services.register(actor=actor or world.secretariat, event=event, agency=agency, name=name, **kw)


def test_programme_times_follow_durations_and_breaks(world, event):
    for topic, pause in (("หลักเกณฑ์", 15), ("OIT", 60), ("ถอดบทเรียน", 15), ("แลกเปลี่ยน", 0)):
        services.save_session(actor=world.secretariat, event=event, changes={
            "topic": topic, "speaker_office": world.nacc, "duration_minutes": 90, "break_after_minutes": pause})
    rows = selectors.programme(event)
    assert [(r.start.strftime("%H:%M"), r.end.strftime("%H:%M")) for r in rows] == [
        ("09:00", "10:30"), ("10:45", "12:15"), ("13:15", "14:45"), ("15:00", "16:30")]
    assert [r.session.order for r in rows] == [1, 2, 3, 4]
    assert rows[0].session.office_label == world.nacc.name_th
    assert selectors.duration_label(90) == "1 ชั่วโมง 30 นาที"


def test_invite_by_kind_all_and_target_group(world, event):
    assert services.invite(actor=world.secretariat, event=event,
                           agencies=Agency.objects.filter(kind=AgencyKind.SAO), quota=2) == 2
    assert services.invite(actor=world.secretariat, event=event, agencies=Agency.objects.all()) == 3  # 2 already
    assert Invitation.objects.filter(event=event).count() == 5
    assert Invitation.objects.get(event=event, agency=world.sao1).quota == 2
    group = TargetGroup.objects.create(province=world.province, name="ต้องได้รับคำแนะนำ")
    TargetGroupMember.objects.create(group=group, agency=world.sao2)
    assert services.invite(actor=world.secretariat, event=event, agencies=[world.sao2], target_group=group) == 0
    event.refresh_from_db()
    assert event.target_group == group


def test_quota_and_capacity(world, event):
    services.invite(actor=world.secretariat, event=event, agencies=[world.sao1, world.sao2, world.pao], quota=2)
    reg(world, event, world.sao1, "นายก อบต.", actor=world.admin_a, kind="executive")
    reg(world, event, world.sao1, "แอดมิน ITAS", actor=world.admin_a, kind="admin")
    with translation.override("th"), pytest.raises(ValidationError) as e:
        reg(world, event, world.sao1, "คนที่สาม", actor=world.admin_a)
    assert world.sao1.name_th in " ".join(e.value.messages) and "2" in " ".join(e.value.messages)
    with pytest.raises(ValidationError):  # not invited
        reg(world, event, world.provincial, "ผู้แทนจังหวัด")
    reg(world, event, world.provincial, "ผู้แทนจังหวัด", over_quota=True)  # the secretariat may
    reg(world, event, None, "ผู้สังเกตการณ์", walk_in=True)
    reg(world, event, world.sao2, "ปลัด อบต.")
    assert Registration.objects.filter(event=event).count() == 5
    with translation.override("th"), pytest.raises(ValidationError) as e:
        reg(world, event, world.pao, "นายก อบจ.", over_quota=True)
    assert "5" in " ".join(e.value.messages) and event.title in " ".join(e.value.messages)
    assert Registration.objects.filter(event=event).count() == 5


def test_registration_needs_a_name_an_agency_or_walk_in_and_no_twin(world, event):
    services.invite(actor=world.secretariat, event=event, agencies=[world.sao1])
    with pytest.raises(ValidationError):
        reg(world, event, world.sao1, "  ")
    with pytest.raises(ValidationError):
        reg(world, event, None, "ไม่มีหน่วยงาน")
    reg(world, event, world.sao1, "นายสมชาย")
    with pytest.raises(ValidationError):
        reg(world, event, world.sao1, "นายสมชาย")


def test_capacity_and_quota_cannot_drop_below_registrations(world, event):
    services.invite(actor=world.secretariat, event=event, agencies=[world.sao1])
    reg(world, event, world.sao1, "หนึ่ง")
    reg(world, event, world.sao1, "สอง")
    with pytest.raises(ValidationError):
        services.save_event(actor=world.secretariat, project=event.project, event=event, changes={"capacity": 1})
    inv = Invitation.objects.get(event=event, agency=world.sao1)
    with pytest.raises(ValidationError):
        services.set_quota(actor=world.secretariat, invitation=inv, quota=1)
    with pytest.raises(ValidationError):
        services.uninvite(actor=world.secretariat, invitation=inv)


def test_tokens_are_unique_and_unguessable(world, event):
    services.invite(actor=world.secretariat, event=event, agencies=[world.sao1, world.sao2])
    tokens = {reg(world, event, a, n).token for a, n in ((world.sao1, "ก"), (world.sao1, "ข"), (world.sao2, "ค"))}
    assert len(tokens) == 3 and all(len(t) >= 32 for t in tokens)


def test_check_in_twice_is_harmless(world, event):
    services.invite(actor=world.secretariat, event=event, agencies=[world.sao1])
    person = reg(world, event, world.sao1, "นายสมชาย")
    first_at = bangkok_datetime(2568, 1, 21, 8, 41)
    r, first = services.check_in(actor=world.nacc_officer, registration=person, now=first_at)
    assert first and r.checked_in_at == first_at and r.checked_in_by == world.nacc_officer
    r, first = services.check_in(actor=world.local_officer, registration=person)
    assert not first and r.checked_in_at == first_at and r.checked_in_by == world.nacc_officer
    with translation.override("th"):
        assert "21 ม.ค. 2568 08:41 น." in services.already_checked_in_message(r)
    with pytest.raises(ValidationError):  # a person who came stays on the list
        services.cancel_registration(actor=world.secretariat, registration=person)


def test_attendance_numbers_equal_the_fixture(world, event):
    event = services.save_event(actor=world.secretariat, project=event.project, event=event,
                                changes={"capacity": 160})
    services.invite(actor=world.secretariat, event=event, agencies=[world.sao1, world.sao2, world.pao], quota=2)
    a = reg(world, event, world.sao1, "ก")
    reg(world, event, world.sao1, "ข")
    c = reg(world, event, world.sao2, "ค")
    d = reg(world, event, world.provincial, "ง", over_quota=True)
    e = reg(world, event, None, "ผู้สังเกตการณ์", walk_in=True)
    for person in (a, c, d, e):
        services.check_in(actor=world.secretariat, registration=person)
    att = selectors.attendance(event)
    rows = {(r.name, r.invited): (r.quota, r.registered, r.attended) for r in att.rows}
    assert rows == {(world.sao1.name_th, True): (2, 2, 1), (world.sao2.name_th, True): (2, 1, 1),
                    (world.pao.name_th, True): (2, 0, 0), (world.provincial.name_th, False): (0, 1, 1),
                    ("", False): (0, 1, 1)}
    assert (att.capacity, att.invited_agencies, att.invited_seats, att.registered, att.attended, att.walk_ins,
            att.seats_left) == (160, 3, 6, 5, 4, 1, 155)
    mine = selectors.attendance(event, agency_ids={world.sao1.pk})
    assert [p.name for p in mine.people] == ["ก", "ข"] and len(mine.rows) == 1
    assert [p.name for p in selectors.search_registrations(event, world.sao2.name_th[-6:])] == ["ค"]
    assert [p.name for p in selectors.search_registrations(event, "สังเกต")] == ["ผู้สังเกตการณ์"]


def test_outcome_of_a_targeted_event(world, event):
    group = TargetGroup.objects.create(province=world.province, name="ต้องได้รับคำแนะนำ")
    TargetGroupMember.objects.create(group=group, agency=world.sao1, rank=1, reason="ไม่ผ่าน ปี 2567")
    TargetGroupMember.objects.create(group=group, agency=world.sao2, rank=2)
    services.invite(actor=world.secretariat, event=event, agencies=[world.sao1, world.sao2], target_group=group)
    services.check_in(actor=world.secretariat, registration=reg(world, event, world.sao1, "นายก"))
    reg(world, event, world.sao2, "ปลัด")  # registered, never came
    # sao1 done before the first deadline; sao2 done after it; sao1 approved the OIT milestone in time
    Progress.objects.create(milestone=world.m1, agency=world.sao1, status=Status.DONE,
                            done_at=bangkok_datetime(2568, 1, 30, 10))
    Progress.objects.create(milestone=world.m1, agency=world.sao2, status=Status.DONE,
                            done_at=bangkok_datetime(2568, 1, 31, 17))
    Progress.objects.create(milestone=world.m2, agency=world.sao1, status=Status.APPROVED,
                            done_at=bangkok_datetime(2568, 4, 1, 9))
    result = selectors.outcome(event, now=bangkok_datetime(2568, 5, 15, 12))
    assert [m.code for m in result.milestones] == ["stakeholders", "oit", "iit-eit"]
    rows = {r.agency: (r.came, r.milestones) for r in result.rows}
    assert rows == {world.sao1: (True, [True, True, None]), world.sao2: (False, [False, False, None])}
    assert result.attended_met == [(1, 1), (1, 1), (0, 0)]
    assert result.absent_met == [(0, 1), (0, 1), (0, 0)]
    assert result.rows[0].reason == "ไม่ผ่าน ปี 2567"
    plain = services.save_event(actor=world.secretariat, project=event.project, changes={
        "title": "อีกงาน", "date": dt.date(2025, 2, 1), "place": "x", "capacity": 10})
    assert selectors.outcome(plain) is None
