"""A report-shaped test world: the shipped 2568 framework on the world's round and dated data on the
local-government office's agencies (องค์การบริหารส่วนจังหวัดเลย, แก้วเมธี, ท่าสวรรค์), every change made at its
own time (time-machine) so that the history and the rows agree, with one change of each kind after the
cut-off ``CUT``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine

from itadesk.core.thai import bangkok_datetime
from itadesk.cycles.services import set_progress
from itadesk.evidence import services as evidence
from itadesk.evidence.selectors import oit_refs
from itadesk.methodology.models import AssessmentResult
from itadesk.surveys import services as surveys
from tests.surveys.helpers import with_framework

T0 = bangkok_datetime(2568, 1, 20, 10)
T1 = bangkok_datetime(2568, 2, 1, 10)
CUT = bangkok_datetime(2568, 2, 5, 10)  # after the stakeholders deadline (31 Jan 2568 17:00)
AFTER = bangkok_datetime(2568, 2, 8, 10)
URL = "https://kaewmethee.go.th/oit"


def _elements(round_, code):
    ref = next(r for r in oit_refs(round_) if r.item["code"] == code)
    return [e["code"] for e in ref.item.get("elements") or []]


def _review(w, code, decision, comment=""):
    from itadesk.evidence.models import EvidenceItem

    item = EvidenceItem.objects.get(round=w.round, agency=w.sao1, item_code=code)
    decisions = {c: (decision, comment) for c in _elements(w.round, code)}
    outcome = "approve" if decision == "met" else "return"
    return evidence.review_item(actor=w.local_officer, item=item, decisions=decisions, outcome=outcome,
                                comment=comment)


def _submit(w, codes):
    for code in codes:
        evidence.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code=code, answer="has",
                           urls=[f"{URL}/{code}"], explanation="เมนูเปิดเผยข้อมูล")
    evidence.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=list(codes))
    evidence.submit_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=list(codes))


def build_report_world(w):
    with_framework(w)
    from itadesk.cycles.models import Participation

    Participation.objects.filter(round=w.round, agency=w.sao2).update(needs_coaching=True,
                                                                       coaching_reason="คะแนนต่ำ")
    AssessmentResult.objects.create(agency=w.pao, fiscal_year=2567, framework=w.round.framework,
                                    published_total=Decimal("71.25"), level_label="C", passed=False)
    AssessmentResult.objects.create(agency=w.sao1, fiscal_year=2567, framework=w.round.framework,
                                    published_total=Decimal("92.10"), level_label="A", passed=True)
    with time_machine.travel(T0, tick=False):
        set_progress(actor=w.local_officer, agency=w.sao1, milestone=w.m1, status="done")
        set_progress(actor=w.local_officer, agency=w.sao2, milestone=w.m1, status="in_progress")
        surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=40,
                                  internal_breakdown={}, external_people=100, external_organizations=0,
                                  external_groups=[])
        _submit(w, ["o1", "o2", "o3"])
        from itadesk.committee import services as committee

        w.action = committee.create_action(
            actor=w.secretariat, province=w.province, agencies=[w.sao1, w.sao2],
            changes={"kind": "agencies", "title": "แต่งตั้งคณะทำงาน ITA ของหน่วยงาน", "office": w.local,
                     "due_date": dt.date(2025, 1, 31)})
    with time_machine.travel(T1, tick=False):
        from itadesk.committee import services as committee

        _review(w, "o1", "met")
        _review(w, "o2", "not_met", "ไม่พบแผนผังโครงสร้าง")
        surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=T1.date(),
                                 counts={"IIT": 10, "EIT": 31})
        w.problem = committee.save_problem(
            actor=w.local_officer, province=w.province, agencies=[w.sao2],
            changes={"office": w.local, "title": "ผู้ดูแลระบบ ITAS ย้ายงาน", "since": dt.date(2025, 1, 15),
                     "action_taken": "ประสานนายกฯ แล้ว", "request_to_committee": "ขอให้เร่งแต่งตั้งผู้ดูแลคนใหม่"})
    # after the cut-off: none of this may show in a report at CUT
    with time_machine.travel(AFTER, tick=False):
        from itadesk.committee import services as committee

        set_progress(actor=w.local_officer, agency=w.sao2, milestone=w.m1, status="done")
        set_progress(actor=w.local_officer, agency=w.pao, milestone=w.m1, status="approved")
        _review(w, "o3", "met")
        surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=AFTER.date(),
                                 counts={"IIT": 30})
        committee.save_problem(actor=w.local_officer, province=w.province, agencies=[w.pao],
                               changes={"office": w.local, "title": "ปัญหาที่เกิดหลังวันตัดข้อมูล"})
    return w


EXPECTED_AT_CUT = {
    "stakeholders": {"not_started": 1, "in_progress": 1, "done": 1, "approved": 0, "late": 2},
    "late_names": ["องค์การบริหารส่วนจังหวัดเลย", "องค์การบริหารส่วนตำบลท่าสวรรค์"],
    "oit_sao1": {"approved": 1, "returned": 1, "submitted": 1},
    "iit_sao1": {"count": 10, "minimum": 25, "gap": 15},
    "eit_sao1": {"count": 31, "minimum": 30, "gap": 0},
}
