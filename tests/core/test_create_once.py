"""Every "new …" form creates once: the same submission (its one-time token) sent three times — a double click, a
resent request, or three concurrent copies on PostgreSQL — creates one object, and every copy goes to it.
(The action item, meeting and project forms are in tests/committee/test_action_once.py.)"""

from __future__ import annotations

import datetime as dt
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from itadesk.committee.models import AgendaItem, Attendance, CommitteeMember, Problem
from itadesk.core.models import FormSubmission
from itadesk.cycles.models import Milestone, Round
from itadesk.documents.models import DocumentRegister, IssuedDocument
from itadesk.evidence.models import ItemExample
from itadesk.projects import services as project_services
from itadesk.projects.models import BudgetLine, Event, Session, Spending
from itadesk.reports.models import MonitoringReport
from tests.committee.helpers import make_meeting
from tests.evidence.oit_world import setup_oit


def _project(w):
    return project_services.save_project(actor=w.secretariat, province=w.province, changes={
        "name": "โครงการขับเคลื่อน ITA", "round": w.round, "budget": Decimal("90000")})


def _event(w):
    return project_services.save_event(actor=w.secretariat, project=_project(w), changes={
        "title": "ประชุมเชิงปฏิบัติการ", "date": dt.date(2025, 1, 21), "start_time": dt.time(9, 0),
        "place": "ศาลากลางจังหวัดเลย", "capacity": 160, "default_quota": 2})


def _oit(w):
    setup_oit(w)
    return w.round.pk


def _register(w):
    return DocumentRegister.objects.create(province=w.province, name="หนังสือเวียน", prefix="ลย ๐๐๑๗.๕/ว")


# name -> (who, setup(world) -> (url, data), model counted)
CASES = {
    "committee member": ("secretariat", lambda w: (reverse("committee:member_new"), {
        "name": "นายหนึ่ง", "position": "ผอ.", "committee_role": "member"}), CommitteeMember),
    "agenda item": ("secretariat", lambda w: (reverse("committee:item_new", args=[make_meeting(w).pk]), {
        "section": 4, "number": "4.1", "title": "เรื่องใหม่", "body": "", "resolution_kind": "acknowledged"}),
        AgendaItem),
    "attendance": ("secretariat", lambda w: (lambda m: (reverse("committee:attendance_new", args=[m.pk]), {
        "status": "present", "member": CommitteeMember.objects.filter(province=w.province).first().pk,
        "name": "", "position": ""}))(make_meeting(w)), Attendance),
    "problem": ("local_officer", lambda w: (reverse("committee:problem_new"), {
        "office": w.local.pk, "title": "อปท. ๕ แห่งยังไม่แต่งตั้งคณะทำงาน", "since": "24/12/2567",
        "agencies": [w.sao1.pk], "action_taken": "มีหนังสือเร่งรัด", "request_to_committee": ""}), Problem),
    "budget line": ("secretariat", lambda w: (reverse("projects:line_new", args=[_project(w).pk]), {
        "name": "ค่าอาหาร", "amount": "60000"}), BudgetLine),
    "spending": ("secretariat", lambda w: (lambda p: (reverse("projects:spending_new", args=[p.pk]), {
        "line": project_services.save_line(actor=w.secretariat, project=p, changes={
            "name": "ค่าอาหาร", "amount": Decimal("60000")}).pk,
        "date": "21/1/2568", "amount": "21.50", "note": "น้ำดื่ม"}))(_project(w)), Spending),
    "event": ("secretariat", lambda w: (reverse("projects:event_new", args=[_project(w).pk]), {
        "title": "อบรม ITA", "date": "21/1/2568", "start_time": "09.00", "end_time": "", "place": "ศาลากลาง",
        "capacity": 100, "default_quota": 2}), Event),
    "session": ("secretariat", lambda w: (reverse("projects:session_new", args=[_event(w).pk]), {
        "order": "", "topic": "หลักเกณฑ์และปฏิทิน", "speaker_office": w.nacc.pk, "duration_minutes": 90,
        "break_after_minutes": 15}), Session),
    "register": ("secretariat", lambda w: (reverse("documents:register_new"), {
        "name": "ทะเบียนใหม่", "prefix": "ลย ๐๐๑๗.๙", "reset": "calendar_year", "is_active": "on"}),
        DocumentRegister),
    "letter": ("secretariat", lambda w: (reverse("documents:letter_new"), {
        "register": _register(w).pk, "kind": "letter", "date": "", "urgency": "", "subject": "แจ้งกำหนดการ",
        "addressee": "", "reference": "", "enclosures": "", "body": "ย่อหน้าที่หนึ่ง", "closing": "จึงเรียนมาเพื่อทราบ",
        "signer_name": "(นายทดสอบ)", "signer_position": "ผู้ว่าราชการจังหวัดเลย", "contact": "โทร ๐๔๒",
        "recipients_text": "ปลัดจังหวัดเลย"}), IssuedDocument),
    "report": ("local_officer", lambda w: (reverse("reports:new"), {
        "province": w.province.pk, "office": w.local.pk, "cut_off": "5/2/2568 10:00"}, reverse("reports:list")),
        MonitoringReport),
    "OIT example": ("local_officer", lambda w: (lambda page: (page, {
        "item_code": "o3", "text": "แผนต้องมีงบประมาณและผู้รับผิดชอบ", "url": "https://example.go.th/plan"}))(
        reverse("evidence:examples", args=[_oit(w), w.local.pk])), ItemExample),
    "round": ("secretariat", lambda w: (reverse("round_new"), {
        "province": w.province.pk, "fiscal_year": "2570", "source": w.round.pk, "participants": "province",
        "make_current": "on", "action": "create", "previewed": "1", "agencies": [a.pk for a in w.agencies],
        "deadline-stakeholders": "1/2/2570"}), Round),
    "milestone": ("secretariat", lambda w: (reverse("milestone_new", args=[w.round.pk]), {
        "code": "appeal", "name_th": "อุทธรณ์ผล OIT", "name_en": "OIT appeal", "description": "",
        "opens_at": "1/6/2568 08:30", "deadline": "15/6/2568 17:00", "order": 4}), Milestone),
}


def _token(client, url) -> str:
    page = client.get(url)
    assert page.status_code == 200, url
    return re.search(r'name="once" value="([^"]+)"', page.content.decode()).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(CASES))
def test_a_new_form_sent_three_times_creates_once(case, client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    who, setup, model = CASES[case]
    url, data, *page = setup(world)
    page = page[0] if page else url  # the page that shows the form
    client.force_login(getattr(world, who))
    before = model.objects.count()
    data = {**data, "once": _token(client, page)}
    responses = [client.post(url, data) for _ in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 302], getattr(responses[0], "context", None) and \
        responses[0].context["form"].errors
    assert model.objects.count() == before + 1
    assert len({r["Location"] for r in responses}) == 1
    assert FormSubmission.objects.get().url == responses[0]["Location"]
    # a fresh form (new token) is a new submission: it is checked and saved as before
    again = client.post(url, {**data, "once": _token(client, page)})
    assert again.status_code in (200, 302, 400)
    assert FormSubmission.objects.count() == (2 if again.status_code == 302 else 1)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL: SQLite serialises writers, so nothing can race")
@pytest.mark.parametrize("case", list(CASES))
def test_three_concurrent_copies_create_once(case, transactional_db, settings, tmp_path):
    from tests.world import build_world

    settings.MEDIA_ROOT = tmp_path / "media"
    w = build_world()
    who, setup, model = CASES[case]
    url, data, *page = setup(w)
    first = Client()
    first.force_login(getattr(w, who))
    before = model.objects.count()
    data = {**data, "once": _token(first, page[0] if page else url)}
    start = threading.Barrier(3)

    def post(_):
        client = Client()
        client.force_login(getattr(w, who))
        try:
            start.wait(timeout=10)
            return client.post(url, data).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=3) as pool:
        codes = list(pool.map(post, range(3)))
    assert codes == [302, 302, 302]
    assert model.objects.count() == before + 1 and FormSubmission.objects.count() == 1


@pytest.mark.django_db
def test_a_copy_checked_after_the_first_created_the_round_goes_to_it(world, client, monkeypatch):
    """The race the concurrent test can lose: a copy passes the repeat check before the first copy commits, then
    finds the fiscal year taken by it. It goes to the round the first one created, not to the form with an
    error."""
    from itadesk.core import once

    url, data, *_page = CASES["round"][1](world)
    client.force_login(world.secretariat)
    data = {**data, "once": _token(client, url)}
    first = client.post(url, data)
    assert first.status_code == 302
    real, calls = once.repeat_response, []

    def late(request):  # the first check runs before the first copy's commit: it finds nothing yet
        calls.append(1)
        return None if len(calls) == 1 else real(request)

    monkeypatch.setattr(once, "repeat_response", late)
    copy = client.post(url, data)
    assert len(calls) == 2 and copy.status_code == 302 and copy["Location"] == first["Location"]
    assert Round.objects.filter(province=world.province, fiscal_year=2570).count() == 1


def test_old_form_tokens_are_forgotten_by_the_hourly_job(db):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from itadesk.core import once
    from itadesk.core.models import FormSubmission
    from itadesk.core.tasks import remove_old_form_tokens

    user = get_user_model().objects.create_user("tokens")
    old = FormSubmission.objects.create(token="a" * 32, user=user, url="/x/")
    FormSubmission.objects.filter(pk=old.pk).update(at=timezone.now() - once.KEEP - timezone.timedelta(minutes=1))
    recent = FormSubmission.objects.create(token="b" * 32, user=user, url="/y/")
    assert remove_old_form_tokens.call_local() == 1
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]
