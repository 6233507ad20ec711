"""The project pages: the secretariat sets up a project, lines, spending, an event and invitations;
refusals name the line or field; an agency admin registers its people within the quota and prints its
tickets; staff check people in by the ticket's link (twice is harmless) and at the desk; reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from itadesk.projects import services
from itadesk.projects.models import BudgetLine, Event, Invitation, Project, Registration, Spending
from itadesk.registry.models import AgencyKind


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def login(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "th"
    return client


@pytest.fixture
def event(world):
    project = services.save_project(actor=world.secretariat, province=world.province, changes={
        "name": "โครงการขับเคลื่อน ITA", "round": world.round, "budget": Decimal("90000")})
    event = services.save_event(actor=world.secretariat, project=project, changes={
        "title": "ประชุมเชิงปฏิบัติการ", "date": dt.date(2025, 1, 21), "start_time": dt.time(9, 0),
        "place": "ศาลากลางจังหวัดเลย", "capacity": 160, "default_quota": 2})
    services.invite(actor=world.secretariat, event=event, agencies=[world.sao1, world.sao2])
    return event


def test_secretariat_builds_a_project_with_money(client, world):
    sec = login(client, world.secretariat)
    r = sec.post(reverse("projects:project_new"), {"name": "โครงการขับเคลื่อน ITA ๒๕๖๘", "round": world.round.pk,
                                                   "owner_office": world.prov_office.pk, "budget": "90000"})
    project = Project.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("projects:project", args=[project.pk])
    sec.post(reverse("projects:line_new", args=[project.pk]), {"name": "ค่าอาหาร", "amount": "60000"})
    r = sec.post(reverse("projects:line_new", args=[project.pk]), {"name": "ค่าวิทยากร", "amount": "40000"})
    assert r.status_code == 400 and 'data-testid="error-amount"' in r.content.decode()
    assert "ค่าวิทยากร" in r.content.decode()
    line = BudgetLine.objects.get()
    r = sec.post(reverse("projects:spending_new", args=[project.pk]),
                 {"line": line.pk, "date": "2025-01-21", "amount": "60000.01", "note": "มื้อกลางวัน"})
    assert r.status_code == 400 and "ค่าอาหาร" in r.content.decode()
    sec.post(reverse("projects:spending_new", args=[project.pk]),
             {"line": line.pk, "date": "2025-01-21", "amount": "21.50", "note": "น้ำดื่ม"})
    assert Spending.objects.get().amount == Decimal("21.50")
    page = sec.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert "90,000.00" in page and "เก้าหมื่นบาทถ้วน" in page
    assert "89,978.50" in page  # left of the budget
    assert "แปดหมื่นเก้าพันเก้าร้อยเจ็ดสิบแปดบาทห้าสิบสตางค์" in page


def test_bad_form_input_is_named(client, world):
    sec = login(client, world.secretariat)
    r = sec.post(reverse("projects:project_new"), {"name": "", "budget": "abc"})
    assert r.status_code == 400
    page = r.content.decode()
    assert 'data-testid="error-name"' in page and 'data-testid="error-budget"' in page
    assert not Project.objects.exists()


def test_event_invite_by_kind_and_sessions(client, world, event):
    sec = login(client, world.secretariat)
    r = sec.post(reverse("projects:invite", args=[event.pk]), {"who": "kind", "kind": AgencyKind.PAO, "quota": 3})
    assert r.status_code == 302
    assert Invitation.objects.get(event=event, agency=world.pao).quota == 3
    r = sec.post(reverse("projects:invite", args=[event.pk]), {"who": "group", "quota": 2})
    assert r.status_code == 400 and 'data-testid="error-group"' in r.content.decode()
    for topic in ("หลักเกณฑ์และปฏิทิน", "แบบวัด OIT"):
        sec.post(reverse("projects:session_new", args=[event.pk]),
                 {"order": "", "topic": topic, "speaker_office": world.nacc.pk, "duration_minutes": 90,
                  "break_after_minutes": 15})
    page = sec.get(reverse("projects:event", args=[event.pk])).content.decode()
    assert "09.00–10.30" in page and "10.45–12.15" in page and "1 ชั่วโมง 30 นาที" in page


def test_agency_admin_registers_within_the_quota_and_prints_tickets(client, world, event):
    admin = login(client, world.admin_a)
    listing = admin.get(reverse("projects:list")).content.decode()
    assert event.title in listing
    url = reverse("projects:register", args=[event.pk])
    for name in ("นายก อบต.", "แอดมิน ITAS"):
        assert admin.post(url, {"agency": world.sao1.pk, "name": name, "kind": "staff"}).status_code == 302
    r = admin.post(url, {"agency": world.sao1.pk, "name": "คนที่สาม", "kind": "staff"})
    assert r.status_code == 400 and world.sao1.name_th in r.content.decode()
    r = admin.post(url, {"agency": world.sao2.pk, "name": "คนอื่น", "kind": "staff"})  # not their agency
    assert r.status_code == 400 and 'data-testid="error-agency"' in r.content.decode()
    assert Registration.objects.filter(event=event).count() == 2
    services.register(actor=world.secretariat, event=event, agency=world.sao2, name="ปลัด อบต.ท่าสวรรค์")
    page = admin.get(reverse("projects:event", args=[event.pk])).content.decode()
    assert "นายก อบต." in page and "ปลัด อบต.ท่าสวรรค์" not in page  # only their own people
    r = admin.get(reverse("projects:tickets", args=[event.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    from tests.documents.imaging import pdf_text, squeeze

    text = squeeze(pdf_text(r.content))
    assert squeeze("นายก อบต.") in text and squeeze("ท่าสวรรค์") not in text


def test_check_in_by_the_ticket_link(client, world, event):
    person = services.register(actor=world.secretariat, event=event, agency=world.sao1, name="นายสมชาย ใจดี")
    url = reverse("projects:checkin", args=[person.token])
    login(client, world.admin_a)
    assert client.get(url).status_code == 403  # an agency admin cannot check people in
    assert client.get(reverse("projects:checkin", args=["not-a-token"])).status_code == 404
    officer = login(client, world.local_officer)
    page = officer.get(url).content.decode()
    assert "นายสมชาย ใจดี" in page and 'data-testid="confirm"' in page
    r = officer.post(url, follow=True)
    person.refresh_from_db()
    assert person.checked_in_at is not None and person.checked_in_by == world.local_officer
    first = person.checked_in_at
    r = officer.post(url, follow=True)
    person.refresh_from_db()
    assert person.checked_in_at == first
    assert "already checked in at" in r.content.decode() or "ลงทะเบียนเข้างานแล้วเมื่อ" in r.content.decode()


def test_desk_search_and_check_in(client, world, event):
    a = services.register(actor=world.secretariat, event=event, agency=world.sao1, name="นางสาวพิมพ์ใจ ศรีสุข")
    services.register(actor=world.secretariat, event=event, agency=world.sao2, name="นายณัฐวุฒิ วงษ์ธา")
    desk = login(client, world.nacc_officer)
    page = desk.get(reverse("projects:desk", args=[event.pk]), {"q": "พิมพ์ใจ"}).content.decode()
    assert "นางสาวพิมพ์ใจ ศรีสุข" in page and "นายณัฐวุฒิ" not in page
    r = desk.post(reverse("projects:desk_checkin", args=[event.pk, a.pk]), {"q": "พิมพ์ใจ"})
    assert r.status_code == 302 and "q=" in r["Location"]
    a.refresh_from_db()
    assert a.checked_in_at is not None


def test_secretariat_registers_a_walk_in_and_reports(client, world, event):
    sec = login(client, world.secretariat)
    r = sec.post(reverse("projects:register", args=[event.pk]), {"name": "ผู้สังเกตการณ์", "kind": "other",
                                                                 "walk_in": "on"})
    assert r.status_code == 302
    walk_in = Registration.objects.get(walk_in=True)
    services.check_in(actor=world.secretariat, registration=walk_in)
    page = sec.get(reverse("projects:attendance", args=[event.pk])).content.decode()
    assert 'data-testid="total-registered">1<' in page and 'data-testid="total-attended">1<' in page
    r = sec.get(reverse("projects:attendance_export", args=[event.pk, "pdf"]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = sec.get(reverse("projects:attendance_export", args=[event.pk, "xlsx"]))
    assert r.status_code == 200 and r.content.startswith(b"PK")
    assert sec.get(reverse("projects:attendance_export", args=[event.pk, "doc"])).status_code == 404


def test_outcome_page_for_a_targeted_event(client, world, event):
    from itadesk.methodology.models import TargetGroup, TargetGroupMember

    group = TargetGroup.objects.create(province=world.province, name="กลุ่มต้องได้รับคำแนะนำ")
    TargetGroupMember.objects.create(group=group, agency=world.sao1)
    services.invite(actor=world.secretariat, event=event, agencies=[world.sao1], target_group=group)
    officer = login(client, world.local_officer)
    r = officer.get(reverse("projects:outcome", args=[event.pk]))
    assert r.status_code == 200
    page = r.content.decode()
    assert world.sao1.name_th in page and world.m1.name_th in page and world.sao2.name_th not in page
    assert Event.objects.get(pk=event.pk).target_group == group
