"""``itadesk demo``: what it loads, read from one load of the demo per module (rolled back at the end of the module,
each test in its own transaction inside it, as Django's ``setUpTestData``). The first run's counts, a second run,
user changes surviving a rerun and the command are in test_demo.py, each on a fresh database."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from itadesk.accounts.models import Membership, Role
from itadesk.committee.models import CommitteeMember
from itadesk.core.models import AuditEvent
from itadesk.cycles.models import DONE_STATUSES, Milestone, Mission, Participation, Progress, Round, Status
from itadesk.demo.loader import (
    COACHING_DLA_CODES,
    COACHING_REASON,
    DEMO_MARKER,
    DEMO_PASSWORD,
    load_demo,
    plan_progress,
)
from itadesk.registry.models import Agency, OversightRule, SupervisingOffice
from tests.module_data import module_data

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (tests/module_data.py)."""
    with module_data(django_db_blocker):
        load_demo()
        yield


def test_agencies():
    nadokkham = Agency.objects.get(dla_code="05420202")
    assert nadokkham.name_th == "เทศบาลตำบลนาดอกคำ"
    assert nadokkham.kind == "subdistrict_mun"
    assert nadokkham.district.geocode == "4202"
    assert nadokkham.website == "http://www.nadokkham.go.th/"
    assert nadokkham.source == "dla:dlads_05_01; website:tambon-xml"
    pao = Agency.objects.get(dla_code="02420101")
    assert (pao.kind, pao.website, pao.source) == ("pao", "http://www.loeipao.go.th/", "dla:dlads_05_01")
    # no ITAS codes are invented, nothing is flagged as demo data
    assert not Agency.objects.exclude(itas_code=None).exists()
    assert not Agency.objects.filter(is_demo=True).exists()
    assert Agency.objects.filter(dla_code__isnull=False).count() == 101
    for website in Agency.objects.exclude(website="").values_list("website", flat=True):
        assert website.startswith(("http://", "https://")), website
    district = Agency.objects.get(kind="district", name_th="อำเภอเมืองเลย")
    assert (district.name_en, district.district.geocode, district.source) == (
        "Mueang Loei District", "4201", "DOPA geocode")
    assert Agency.objects.filter(kind="district").count() == 14
    provincial = Agency.objects.get(kind="provincial")
    assert provincial.name_th == "จังหวัดเลย (ราชการบริหารส่วนภูมิภาค)"
    assert (provincial.website, provincial.source) == ("http://www.loei.go.th/", "seed document")


def test_milestones_are_bangkok_17h():
    round_ = Round.objects.get(province__code="42", fiscal_year=2568)
    assert round_.name == "การประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2568 จังหวัดเลย"
    assert (round_.starts_on, round_.ends_on) == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))
    assert not round_.is_current and not round_.public_dashboard  # FY2570 is the current round
    assert [(m.code, m.order, m.deadline) for m in round_.milestones.order_by("order")] == [
        ("stakeholders", 1, dt.datetime(2025, 1, 31, 10, 0, tzinfo=UTC)),
        ("oit", 2, dt.datetime(2025, 4, 30, 10, 0, tzinfo=UTC)),
        ("iit-eit", 3, dt.datetime(2025, 6, 30, 10, 0, tzinfo=UTC)),
    ]
    assert round_.milestones.get(code="stakeholders").name_en == "Stakeholder data identified and approved in ITAS"


def test_offices_and_missions():
    offices = {o.code: o for o in SupervisingOffice.objects.all()}
    assert {c: (o.name_th, o.short_name) for c, o in offices.items()} == {
        "nacc": ("สำนักงาน ป.ป.ช. ประจำจังหวัดเลย", "ป.ป.ช.จังหวัดเลย"),
        "provincial-office": ("สำนักงานจังหวัดเลย", "สนง.จังหวัดเลย"),
        "local-promotion": ("สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเลย", "สถ.จ.เลย"),
        "provincial-administration": ("ที่ทำการปกครองจังหวัดเลย", "ปค.จังหวัดเลย"),
    }
    assert all(o.name_en for o in offices.values())
    expected_links = {
        "nacc": ["stakeholders", None, "oit", "iit-eit", None, None],
        "provincial-office": ["stakeholders", None, "oit", "iit-eit", None, None],
        "local-promotion": ["stakeholders", None, "oit", "iit-eit", None, None],
        "provincial-administration": [None, "stakeholders", "oit", "iit-eit", None],
    }
    dates = {"stakeholders": "๓๑ มกราคม ๒๕๖๘", "oit": "๓๐ เมษายน ๒๕๖๘", "iit-eit": "๓๐ มิถุนายน ๒๕๖๘"}
    for code, links in expected_links.items():
        missions = list(Mission.objects.filter(office=offices[code], round__fiscal_year=2568).order_by("order"))
        assert len(missions) >= 5
        assert [m.order for m in missions] == list(range(1, len(missions) + 1))
        assert [m.milestone.code if m.milestone else None for m in missions] == links
        for mission in missions:
            # a mission refers to a milestone exactly when it quotes that milestone's date
            quoted = [c for c, date in dates.items() if date in mission.text]
            assert quoted == ([mission.milestone.code] if mission.milestone else [])
            assert "จินกว่า" not in mission.text and "จงกว่า" not in mission.text
        assert missions[-1].text.startswith("ดำเนินการอื่น ๆ ตามที่คณะกรรมการกำกับการประเมิน")


def test_oversight_rules_cover_the_right_agencies():
    offices = {o.code: o for o in SupervisingOffice.objects.prefetch_related("rules")}

    def count(code, role=None):
        return Agency.objects.filter(offices[code].agency_q(role=role)).count()

    # the nacc rule itself covers everyone (the office-level count is in the next test)
    nacc_rule = offices["nacc"].rules.get()
    assert nacc_rule.all_agencies and nacc_rule.role == OversightRule.Role.LEAD
    assert Agency.objects.filter(nacc_rule.agency_q(), province=offices["nacc"].province).count() == 116
    assert count("provincial-office") == 1
    assert Agency.objects.get(offices["provincial-office"].agency_q()).kind == "provincial"
    assert count("local-promotion") == 101
    assert count("provincial-administration", OversightRule.Role.LEAD) == 14
    assert count("provincial-administration", OversightRule.Role.ASSIST) == 101
    assert count("provincial-administration") == 115
    assert OversightRule.objects.count() == 5
    assert not OversightRule.objects.filter(description="").exists()


def test_nacc_follows_all_agencies():
    # an all_agencies rule must survive being OR-ed with the others (it once matched nothing)
    nacc = SupervisingOffice.objects.get(code="nacc")
    assert Agency.objects.filter(nacc.agency_q()).count() == 116
    assert Agency.objects.filter(nacc.agency_q(role=OversightRule.Role.LEAD)).count() == 116


def test_coaching_group():
    coaching = Participation.objects.filter(needs_coaching=True, round__fiscal_year=2568).select_related("agency")
    assert sorted(p.agency.dla_code for p in coaching) == sorted(COACHING_DLA_CODES)
    assert {p.coaching_reason for p in coaching} == {COACHING_REASON}
    assert COACHING_REASON == ("ไม่ผ่านการประเมิน ITA ปี 2567 หรือผ่านแต่คะแนน OIT ไม่ผ่านเกณฑ์ "
                               "(มติที่ประชุม 24 ธ.ค. 2567 วาระ 4.1)")
    # 5 เทศบาลตำบล and 16 อบต. (shared/data/README.md says 4 and 17, but its own table lists 5 ทต.)
    assert Counter(p.agency.kind for p in coaching) == {"subdistrict_mun": 5, "sao": 16}
    assert not Participation.objects.filter(needs_coaching=False).exclude(coaching_reason="").exists()


def test_committee_members():
    members = list(CommitteeMember.objects.order_by("order"))
    assert [(m.name, m.committee_role) for m in members] == [
        ("นายประยูร อรัญรุท", "chair"),
        ("นายดิษพล บุตรดีวงศ์", "member"),
        ("นางสาวศิวารรณ พนม", "member"),
        ("นายวัชร โคตรสุโน", "member"),
        ("นายบรรวุฒิ รัตน์", "secretary"),
        ("นายสิทธิศักดิ์ หอมยศ", "co_secretary"),
        ("นายนนทชัย วงษ์ถา", "assistant_secretary"),
    ]
    assert members[0].position == "รองผู้ว่าราชการจังหวัดเลย"
    assert "อริญฺฐ" in members[0].note
    assert "วงษ์ธา" in members[6].note


def test_accounts():
    User = get_user_model()
    assert User.objects.filter(invitation__isnull=True).count() == 10  # invited people: tests/accounts/
    for user in User.objects.filter(invitation__isnull=True):
        assert user.email == f"{user.username}@demo.itadesk.local"
        assert "(สาธิต)" in user.first_name
        assert user.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="superuser").is_superuser
    assert not User.objects.exclude(username="superuser").filter(is_superuser=True).exists()
    roles = {(m.user.username, m.role): m for m in Membership.objects.filter(user__invitation__isnull=True).select_related("user", "office", "agency")}
    assert roles[("secretariat", Role.SECRETARIAT)].province.code == "42"
    assert roles[("nacc", Role.OFFICER)].office.code == "nacc"
    assert roles[("provincial", Role.OFFICER)].office.code == "provincial-office"
    assert roles[("local", Role.OFFICER)].office.code == "local-promotion"
    assert roles[("administration", Role.OFFICER)].office.code == "provincial-administration"
    assert roles[("reviewer", Role.REVIEWER)].office.code == "nacc"
    assert roles[("admin-nadokkham", Role.AGENCY_ADMIN)].agency.dla_code == "05420202"
    assert roles[("exec-nadokkham", Role.AGENCY_EXECUTIVE)].agency.dla_code == "05420202"
    assert roles[("admin-loeipao", Role.AGENCY_ADMIN)].agency.dla_code == "02420101"
    assert len(roles) == 9
    for membership in roles.values():
        membership.full_clean()


def test_demo_progress_is_marked_and_realistic():
    assert Progress.objects.filter(milestone__round__fiscal_year=2568).count() == 348
    assert all(note.startswith(DEMO_MARKER) for note in Progress.objects.values_list("note", flat=True))
    coaching = set(COACHING_DLA_CODES)
    for milestone in Milestone.objects.filter(round__fiscal_year=2568):
        rows = list(Progress.objects.filter(milestone=milestone).select_related("agency"))
        assert len(rows) == 116
        done = [p for p in rows if p.status in DONE_STATUSES]
        behind = [p for p in rows if p.status not in DONE_STATUSES]
        share = len(done) / len(rows)
        if milestone.code == "stakeholders":
            assert len(behind) == 6
            assert sum(p.agency.dla_code in coaching for p in behind) >= 4  # weighted towards coaching
            assert {p.status for p in done} == {Status.APPROVED}
        elif milestone.code == "oit":
            assert 0.75 <= share <= 0.85
            assert {p.status for p in behind} == {Status.IN_PROGRESS, Status.NOT_STARTED}
        else:
            assert 0.55 <= share <= 0.65
            assert {p.status for p in behind} == {Status.IN_PROGRESS, Status.NOT_STARTED}
        late = [p for p in done if p.changed_late]
        assert len(late) == 2
        for p in done:
            assert p.done_at is not None and p.done_at == p.updated_at
            assert (p.done_at > milestone.deadline) == p.changed_late
        for p in behind:
            assert p.done_at is None and not p.changed_late and p.updated_at < milestone.deadline


def test_progress_plan_is_deterministic():
    agencies = list(Agency.objects.all())
    milestones = {m.code: m for m in Milestone.objects.filter(round__fiscal_year=2568)}
    first = {(p.milestone.code, p.agency.pk): (p.status, p.note, p.done_at, p.updated_at)
             for p in plan_progress(agencies, milestones)}
    random.Random(1).shuffle(agencies)
    second = {(p.milestone.code, p.agency.pk): (p.status, p.note, p.done_at, p.updated_at)
              for p in plan_progress(agencies, milestones)}
    assert first == second
    stored = {(p.milestone.code, p.agency_id): (p.status, p.note, p.done_at, p.updated_at)
              for p in Progress.objects.filter(milestone__round__fiscal_year=2568).select_related("milestone")}
    assert stored == first


def test_history_records_groups_on_the_round():
    events = AuditEvent.objects.filter(action="demo.load")
    round_ = Round.objects.get(fiscal_year=2568)
    assert events.count() == 18
    assert {e.object_id for e in events} == {str(round_.pk)}
    assert {e.after["group"]: e.after["created"] for e in events}["agencies"] == 116


def test_past_results_pick_out_the_committees_21_agencies():
    """The synthetic FY2567 results reproduce the committee's criterion: the agencies that did not
    pass, or passed with an OIT below 85, are exactly the 21 flagged for coaching, and nobody else
    needs help."""
    from itadesk.methodology import analysis
    from itadesk.methodology.models import AssessmentResult

    agencies = Agency.objects.all()
    coaching = set(Participation.objects.filter(needs_coaching=True, round__fiscal_year=2568)
                   .values_list("agency_id", flat=True))
    failing = {f.agency.pk for f in analysis.failing(agencies, 2567)}
    oit_low = {f.agency.pk for f in analysis.passed_but_oit_low(agencies, 2567)}
    assert failing | oit_low == coaching and not failing & oit_low
    assert len(failing) == 8 and len(oit_low) == 13
    assert {f.agency.pk for f in analysis.needs_help(agencies, 2567)} == coaching
    assert all(r.source.startswith("demo:") for r in AssessmentResult.objects.all())
    assert Round.objects.get(fiscal_year=2568).framework.code == "nacc-ita-2568"
    assert set(AssessmentResult.objects.values_list("fiscal_year", "framework__code")) == {
        (2566, "nacc-ita-2566"), (2567, "nacc-ita-2567")}
