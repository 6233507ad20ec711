"""One source of truth: ITA Desk's state of a fed milestone beside the agency's declaration about ITAS, the
mismatches on the agency, office and province pages, the locked milestone, and the progress import's warning."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from itadesk.core.models import AuditEvent
from itadesk.core.tabular import write_table
from itadesk.core.thai import bangkok_datetime
from itadesk.cycles.importing import apply_progress_import, plan_progress_import
from itadesk.cycles.models import Progress, Status
from itadesk.cycles.selectors import participants
from itadesk.cycles.services import set_progress
from itadesk.surveys import consistency
from itadesk.surveys import services as surveys
from itadesk.surveys.selectors import followup
from tests.surveys.helpers import BEFORE_RESPONSES, BEFORE_STAKEHOLDERS, with_framework
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    w = with_framework(world)
    with time_machine.travel(BEFORE_STAKEHOLDERS, tick=False):
        surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=40,
                                  external_people=100)
        surveys.approve_stakeholders(actor=w.exec_a, round=w.round, agency=w.sao1)
    return w


def _checks(w, agency):
    return consistency.checks(w.round, participants(w.round))[agency.pk]


def test_approval_is_a_labelled_declaration_and_both_are_shown(w, client):
    p = Progress.objects.get(milestone=w.m1, agency=w.sao1)
    assert p.status == Status.APPROVED and "ITA Desk" in p.note  # says where the declaration came from
    c = _checks(w, w.sao1)["stakeholders"]
    assert (c.here, c.declared, c.mismatch) == ("approved", Status.APPROVED, "")
    client.login(username="admin-a", password=PASSWORD)
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        page = client.get(reverse("agency_progress", args=[w.round.pk, w.sao1.pk]))
    block = page.content.decode()
    assert 'data-testid="check-stakeholders"' in block and 'data-testid="check-iit-eit"' in block
    assert "ใน ITA Desk: อนุมัติแล้ว" in block and "หน่วยงานแจ้งว่าใน ITAS: อนุมัติแล้ว" in block


def test_the_agency_cannot_set_the_milestone_of_locked_data_back_the_secretariat_can(w, client):
    with pytest.raises(ValidationError, match="ล็อก"):
        set_progress(actor=w.admin_a, agency=w.sao1, milestone=w.m1, status=Status.IN_PROGRESS)
    with pytest.raises(ValidationError):
        set_progress(actor=w.local_officer, agency=w.sao1, milestone=w.m1, status=Status.NOT_STARTED)
    assert Progress.objects.get(milestone=w.m1, agency=w.sao1).status == Status.APPROVED
    # done → done is not a reset
    set_progress(actor=w.admin_a, agency=w.sao1, milestone=w.m1, status=Status.DONE)
    # the page says why, in the user's language
    client.login(username="admin-a", password=PASSWORD)
    response = client.post(reverse("set_progress", args=[w.round.pk, w.sao1.pk, w.m1.pk]),
                           {f"m{w.m1.pk}-status": "in_progress", f"m{w.m1.pk}-note": ""}, follow=True)
    assert "ล็อก" in response.content.decode()
    assert Progress.objects.get(milestone=w.m1, agency=w.sao1).status == Status.DONE
    # the secretariat can, with history — and then the pages show the mismatch
    p = set_progress(actor=w.secretariat, agency=w.sao1, milestone=w.m1, status=Status.IN_PROGRESS)
    assert AuditEvent.objects.filter(object_id=str(p.pk), action="progress.set",
                                     after__status="in_progress").exists()
    c = _checks(w, w.sao1)["stakeholders"]
    assert c.mismatch == consistency.APPROVED_NOT_DECLARED
    client.login(username="secretariat", password=PASSWORD)
    for url in (reverse("round_dashboard", args=[w.round.pk]),
                reverse("office_dashboard", args=[w.round.pk, w.local.pk]),
                reverse("agency_progress", args=[w.round.pk, w.sao1.pk])):
        html = client.get(url).content.decode()
        assert "อนุมัติใน ITA Desk แล้ว แต่หน่วยงานยังไม่แจ้งว่าดำเนินการใน ITAS แล้ว" in html, url
    # an office that does not follow the agency does not list it
    html = client.get(reverse("office_dashboard", args=[w.round.pk, w.prov_office.pk])).content.decode()
    assert 'data-testid="mismatch-count">0<' in html
    # unlocking lifts the lock: the agency may change its declaration again
    surveys.unlock_stakeholders(actor=w.secretariat, round=w.round, agency=w.sao1, reason="แก้จำนวนบุคลากร")
    set_progress(actor=w.admin_a, agency=w.sao1, milestone=w.m1, status=Status.NOT_STARTED)


def test_declared_done_below_the_minimum_is_a_mismatch_reached_is_not(w):
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=BEFORE_RESPONSES.date(),
                                 counts={"IIT": 20, "EIT": 30})
        set_progress(actor=w.admin_a, agency=w.sao1, milestone=w.m3, status=Status.DONE)
        c = _checks(w, w.sao1)["iit-eit"]
        assert (c.here, c.mismatch) == ("below", consistency.DECLARED_BELOW_MINIMUM)
        assert c.counts == [("IIT", 20, 25), ("EIT", 30, 30)]
        assert c.here_text() == "IIT 20 / 25 · EIT 30 / 30"
        surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=BEFORE_RESPONSES.date(),
                                 counts={"IIT": 25})
        c = _checks(w, w.sao1)["iit-eit"]
        assert (c.here, c.mismatch) == ("reached", "")
    # an agency with no data in ITA Desk declaring done is not a mismatch (it may work in ITAS only)
    set_progress(actor=w.secretariat, agency=w.pao, milestone=w.m1, status=Status.DONE)
    set_progress(actor=w.secretariat, agency=w.pao, milestone=w.m3, status=Status.DONE)
    assert not any(c.mismatch for c in _checks(w, w.pao).values())


def test_oit_every_item_approved_by_the_executive_and_not_declared(w):
    from itadesk.evidence import services as evidence
    from itadesk.evidence.selectors import oit_refs

    codes = [r.item["code"] for r in oit_refs(w.round)]
    for code in codes[:2]:
        evidence.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code=code, answer="has",
                           urls=[f"https://kaewmethee.go.th/{code}"], explanation="")
    evidence.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=codes[:2])
    c = _checks(w, w.sao1)["oit"]
    assert (c.here, c.approved_items, c.items, c.mismatch) == ("partial", 2, len(codes), "")
    for code in codes[2:]:
        evidence.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code=code, answer="has_not",
                           urls=[], explanation="ไม่มีข้อมูลในปีนี้")
    evidence.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=codes[2:])
    c = _checks(w, w.sao1)["oit"]
    assert (c.here, c.mismatch) == ("approved", consistency.APPROVED_NOT_DECLARED)
    set_progress(actor=w.admin_a, agency=w.sao1, milestone=w.m2, status=Status.DONE)
    assert _checks(w, w.sao1)["oit"].mismatch == ""


def _file(rows):
    buf = io.BytesIO()
    write_table(buf, ["หน่วยงาน", "ขั้นตอน", "สถานะ"], rows, "xlsx")
    return buf.getvalue()


def test_progress_import_warns_when_it_declares_iit_eit_done_below_the_minimum(w):
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=BEFORE_RESPONSES.date(),
                                 counts={"IIT": 10, "EIT": 31})
        data = _file([[w.sao1.dla_code, "iit-eit", "ดำเนินการแล้ว"], [w.sao2.dla_code, "iit-eit", "ดำเนินการแล้ว"],
                      [w.pao.dla_code, "iit-eit", "กำลังดำเนินการ"]])
        plan = plan_progress_import(data=data, filename="itas.xlsx", round=w.round)
        assert not plan.errors and len(plan.changes) == 3
        assert [(e.row, e.column) for e in plan.warnings] == [(2, "สถานะ")]
        assert "IIT 10/25" in plan.warnings[0].th and w.sao1.name_th in plan.warnings[0].en
        apply_progress_import(actor=w.secretariat, plan=plan)  # a warning, not an error
    assert Progress.objects.get(milestone=w.m3, agency=w.sao1).status == Status.DONE


def test_progress_import_page_shows_the_warning(w, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.login(username="secretariat", password=PASSWORD)
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=BEFORE_RESPONSES.date(),
                                 counts={"IIT": 10})
        upload = SimpleUploadedFile("itas.xlsx", _file([[w.sao1.dla_code, "iit-eit", "done"]]))
        page = client.post(reverse("progress_import", args=[w.round.pk]), {"file": upload})
    html = page.content.decode()
    assert 'data-testid="import-warnings"' in html and 'data-testid="apply"' in html


@pytest.mark.parametrize("instant", [BEFORE_RESPONSES, bangkok_datetime(2568, 6, 24, 9),
                                     bangkok_datetime(2568, 7, 1, 9), bangkok_datetime(2568, 9, 1, 9)])
def test_the_follow_up_as_at_now_is_the_follow_up(w, instant):
    """The report's dated reading and the pages' current one agree whenever the report's cut-off is now
    (every write made at or before it)."""
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=BEFORE_RESPONSES.date(),
                                 counts={"IIT": 10, "EIT": 40})
    with time_machine.travel(instant, tick=False):
        rows = participants(w.round)
        now = followup(w.round, rows, trend="none")
        then = followup(w.round, rows, at=instant, trend="none")

    def cells(f):
        return [(r.id, r.stake_status, r.internal, r.external,
                 [(c.count, c.minimum, c.below) for c in r.cells.values()]) for r in f.rows]
    assert cells(now) == cells(then)


def test_stakeholder_data_as_at_an_instant(world):
    from itadesk.surveys.models import StakeholderData, StakeholderEvent
    from itadesk.surveys.selectors import stakeholders_at

    w = with_framework(world)
    t = [bangkok_datetime(2568, 1, d, 10) for d in (10, 11, 12, 13, 14)]
    with time_machine.travel(t[0], tick=False):
        surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=40,
                                  external_people=100)
    with time_machine.travel(t[1], tick=False):
        surveys.approve_stakeholders(actor=w.exec_a, round=w.round, agency=w.sao1)
    with time_machine.travel(t[2], tick=False):
        surveys.unlock_stakeholders(actor=w.secretariat, round=w.round, agency=w.sao1, reason="ผิด")
    with time_machine.travel(t[3], tick=False):
        surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=60,
                                  external_people=100)
    # data written by an import: the row, and a log entry without values
    imported = StakeholderData.objects.create(round=w.round, agency=w.pao, internal_count=300, external_people=5,
                                              external_organizations=2, entered_at=t[2])
    StakeholderEvent.objects.create(data=imported, actor_label="import", action="entered", at=t[2])
    ids = [w.sao1.pk, w.pao.pk]

    def at(i, minutes=30):
        return {a: (d["state"], d["internal_count"], d["external_people"] + d["external_organizations"])
                for a, d in stakeholders_at(w.round, ids, t[i] + dt.timedelta(minutes=minutes)).items()}

    assert at(0, -30) == {}  # nothing entered yet
    assert at(0) == {w.sao1.pk: ("draft", 40, 100)}
    assert at(1) == {w.sao1.pk: ("approved", 40, 100)}  # the approval carries the values before it
    assert at(2) == {w.sao1.pk: ("draft", 40, 100), w.pao.pk: ("draft", 300, 7)}  # the import: the row's values
    assert at(3)[w.sao1.pk] == ("draft", 60, 100)


def test_the_mismatches_alone_are_the_checks_that_are_mismatches(w):
    """The dashboards ask for the mismatches only, which are decided without building every check: the same
    mismatches, each the same check, in the same order, as filtering every check."""
    from itadesk.evidence import services as evidence
    from itadesk.evidence.selectors import oit_refs

    codes = [r.item["code"] for r in oit_refs(w.round)]
    for code in codes:
        evidence.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code=code, answer="has",
                           urls=[f"https://kaewmethee.go.th/{code}"], explanation="")
    evidence.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=codes)
    set_progress(actor=w.secretariat, agency=w.sao1, milestone=w.m1, status=Status.IN_PROGRESS)  # approved, not done
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=BEFORE_RESPONSES.date(),
                                 counts={"IIT": 20, "EIT": 30})
        set_progress(actor=w.admin_a, agency=w.sao1, milestone=w.m3, status=Status.DONE)
        set_progress(actor=w.secretariat, agency=w.pao, milestone=w.m3, status=Status.DONE)
        rows = participants(w.round)
        alone = consistency.mismatches(w.round, rows)
        every = consistency.checks(w.round, rows)
        filtered = consistency.mismatches(w.round, rows, checked=every)
    assert [(m.agency_id, m.check.code) for m in alone] == [
        (w.sao1.pk, "stakeholders"), (w.sao1.pk, "oit"), (w.sao1.pk, "iit-eit")]
    assert [(m.agency_id, m.name, m.district, vars(m.check)) for m in alone] == [
        (m.agency_id, m.name, m.district, vars(m.check)) for m in filtered]
    assert all(vars(m.check) == vars(every[m.agency_id][m.check.code]) for m in alone)
