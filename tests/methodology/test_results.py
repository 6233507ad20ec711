"""Past results: import (checks, recomputation, atomicity), analysis, target groups, pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from itadesk.core.models import AuditEvent
from itadesk.core.tabular import ImportRefused
from itadesk.methodology import analysis, importing, services
from itadesk.methodology.models import AssessmentResult, FrameworkVersion, TargetGroup
from tests.methodology.frameworks import nacc_shaped

HEADER = "หน่วยงาน,ปีงบประมาณ," + ",".join(f"ตัวชี้วัดที่ {n}" for n in range(1, 11)) + ",คะแนนรวม"
# IIT = mean(90, 92, 94, 96, 98) = 94; EIT = mean(90, 90, 93) = 91; OIT = mean(60, 80) = 70
# total = 28.20 + 27.30 + 28.00 = 83.50 (did not pass)
FAIL_ROW = "90,92,94,96,98,90,90,93,60,80"
# OIT = mean(80, 82) = 81 → 28.20 + 27.30 + 32.40 = 87.90 (passed, OIT below 85)
OIT_LOW_ROW = "90,92,94,96,98,90,90,93,80,82"
# all 96 → 96.00, level "good"
GOOD_ROW = "96,96,96,96,96,96,96,96,96,96"


@pytest.fixture
def fw(world):
    framework, _ = services.install_framework(actor=None, text=nacc_shaped(), source="test")
    return framework


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def plan(world, data: bytes, name="results.csv"):
    return importing.plan_results_import(data=data, filename=name, province=world.province)


def test_import_recomputes_and_reports_disagreements(world, fw):
    p = plan(world, csv(f"06420205,2567,{FAIL_ROW},83.50",
                        f"องค์การบริหารส่วนตำบลท่าสวรรค์,2567,{OIT_LOW_ROW},87.91",
                        f"02420101,2567,{GOOD_ROW},"))
    assert p.errors == []
    assert [w.row for w in p.warnings] == [3]  # 87.91 published vs 87.90 recomputed
    assert "87.91" in p.warnings[0].th and "87.90" in p.warnings[0].en
    created, changed, unchanged = importing.apply_results_import(actor=world.secretariat, plan=p)
    assert (created, changed, unchanged) == (3, 0, 0)
    sao1 = AssessmentResult.objects.get(agency=world.sao1, fiscal_year=2567)
    assert sao1.total == Decimal("83.50") and sao1.passed is False and sao1.level_code == "improve"
    assert sao1.instrument_scores == {"IIT": 94.0, "EIT": 91.0, "OIT": 70.0}
    assert sao1.indicator_scores["9"] == 60.0 and sao1.framework == fw
    sao2 = AssessmentResult.objects.get(agency=world.sao2, fiscal_year=2567)
    assert (sao2.total, sao2.published_total, sao2.shown_total) == (Decimal("87.90"), Decimal("87.91"),
                                                                     Decimal("87.91"))
    assert sao2.disagrees and sao2.passed and sao2.level_code == "pass"
    pao = AssessmentResult.objects.get(agency=world.pao, fiscal_year=2567)
    assert pao.level_code == "good" and pao.published_total is None
    assert AuditEvent.objects.filter(action="result.import").count() == 3
    # the same file again changes nothing
    again = plan(world, csv(f"06420205,2567,{FAIL_ROW},83.50"))
    assert (again.unchanged, again.results) == (1, [])


def test_instrument_scores_only_and_christian_era_years(world, fw):
    p = plan(world, csv("06420205,2024,89.95,89.27,69.23,81.45", header="หน่วยงาน,ปี,IIT,EIT,OIT,คะแนน ITA"))
    assert p.errors == [] and p.warnings == []
    importing.apply_results_import(actor=None, plan=p)
    r = AssessmentResult.objects.get(agency=world.sao1)
    assert r.fiscal_year == 2567 and r.total == Decimal("81.45")  # 26.98 + 26.78 + 27.69, half-even


def test_thai_digits_are_read(world, fw):
    thai = ",".join("๙๖" for _ in range(10))
    p = plan(world, csv(f"๐๖๔๒๐๒๐๕,๒๕๖๗,{thai},๙๖.๐๐"))
    assert p.errors == [] and p.results[0].total == Decimal("96.00")


@pytest.mark.parametrize(("row", "column", "words"), [
    (f"99999999,2567,{GOOD_ROW},", "หน่วยงาน", "unknown agency '99999999'"),
    (f"06420205,25x7,{GOOD_ROW},", "ปีงบประมาณ", "is not a number"),
    (f"06420205,2567,101,{GOOD_ROW[3:]},", "ตัวชี้วัดที่ 1", "outside 0–100"),
    (f"06420205,2567,ดี,{GOOD_ROW[3:]},", "ตัวชี้วัดที่ 1", "'ดี' is not a number"),
    (f"06420205,2567,\"93,55\",{GOOD_ROW[3:]},", "ตัวชี้วัดที่ 1", "uses a comma"),
    (f"06420205,2567,,{GOOD_ROW[3:]},", "", "indicator 1 missing"),
    ("06420205,2567,,,,,,,,,,,", "", "the row has no score"),
    (f"06420205,1999,{GOOD_ROW},", "ปีงบประมาณ", "write the BE year"),
])
def test_bad_rows_name_row_and_column_and_write_nothing(world, fw, row, column, words):
    before = AssessmentResult.objects.count()
    p = plan(world, csv(f"02420101,2567,{GOOD_ROW},", row))
    assert len(p.errors) == 1, [str(e) for e in p.errors]
    error = p.errors[0]
    assert error.row == 3 and error.column == column and words in error.en
    with pytest.raises(ImportRefused):
        importing.apply_results_import(actor=None, plan=p)
    assert AssessmentResult.objects.count() == before


def test_duplicates_and_missing_columns(world, fw):
    p = plan(world, csv(f"06420205,2567,{GOOD_ROW},", f"องค์การบริหารส่วนตำบลแก้วเมธี,2567,{GOOD_ROW},"))
    assert [(e.row, "also in row 2" in e.en) for e in p.errors] == [(3, True)]
    p = plan(world, csv("06420205,2567", header="หน่วยงาน,ปีงบประมาณ"))
    assert "no score columns" in p.errors[0].en
    p = plan(world, csv("06420205,2567,96", header="หน่วยงาน,ปีงบประมาณ,คะแนนดิบ"))
    assert "unknown column header 'คะแนนดิบ'" in p.errors[0].en
    p = importing.plan_results_import(data=b"", filename="x.csv", province=world.province)
    assert p.errors and p.errors[0].row is None


def test_a_year_picks_its_framework():
    def fw(year, version=1):
        return FrameworkVersion(code=f"f{year}", version=version, fiscal_year=year)

    versions = [fw(2566), fw(2568), fw(2568, 2), fw(2569)]
    pick = importing.framework_for_year
    assert (pick(2568, versions).fiscal_year, pick(2568, versions).version) == (2568, 2)
    assert pick(2564, versions).fiscal_year == 2566  # a file covers the years before it
    assert pick(2567, versions).fiscal_year == 2568
    assert pick(2571, versions).fiscal_year == 2569
    assert pick(2567, []) is None


def test_a_framework_in_use_cannot_change(world, fw):
    p = plan(world, csv(f"06420205,2567,{GOOD_ROW},"))
    importing.apply_results_import(actor=None, plan=p)
    same, outcome = services.install_framework(actor=None, text=nacc_shaped(), source="again")
    assert (same.pk, outcome) == (fw.pk, "unchanged")
    with pytest.raises(services.FrameworkLocked) as exc:
        services.install_framework(actor=None, text=nacc_shaped(pass_mark=80), source="edited")
    assert "new version" in exc.value.en
    assert FrameworkVersion.objects.get(pk=fw.pk).data["pass_mark"] == 85
    newer, outcome = services.install_framework(actor=None, text=nacc_shaped(pass_mark=80, version=2))
    assert outcome == "created" and newer.version == 2


def _load(world, fw):
    rows = [f"06420205,2566,{GOOD_ROW},", f"06420205,2567,{FAIL_ROW},",
            f"06420203,2567,{OIT_LOW_ROW},", f"02420101,2567,{GOOD_ROW},"]
    importing.apply_results_import(actor=None, plan=plan(world, csv(*rows)))


def test_analysis_lists_and_ranking(world, fw):
    from itadesk.registry.models import Agency

    _load(world, fw)
    agencies = Agency.objects.filter(province=world.province)
    failing = analysis.failing(agencies, 2567)
    assert [f.agency for f in failing] == [world.sao1]
    # reasons follow the language of the page (Thai by default)
    assert failing[0].reasons[0] == "ไม่ผ่าน: คะแนนรวม 83.50 ต่ำกว่าเกณฑ์ 85 อยู่ 1.50 คะแนน"
    assert failing[0].change == -12.5 and "คะแนนลดลง 12.50 คะแนนจากปี 2566" in failing[0].reasons
    oit_low = analysis.passed_but_oit_low(agencies, 2567)
    assert [f.agency for f in oit_low] == [world.sao2]
    assert oit_low[0].reasons[0] == "ผ่านด้วยคะแนน 87.90 แต่ OIT ได้ 81.00 ต่ำกว่าเกณฑ์ 85"
    from django.utils import translation

    with translation.override("en"):
        assert analysis.failing(agencies, 2567)[0].reasons[0] == "did not pass: total 83.50, 1.50 below 85"
    ranked = analysis.needs_help(agencies, 2567)
    assert [f.agency for f in ranked] == [world.sao1, world.sao2]  # the PAO (96) needs nothing
    shares = analysis.pass_share_by_year(agencies)
    assert [(s.year, s.agencies, s.passed, s.percent, s.gap_to_target) for s in shares] == [
        (2566, 1, 1, 100.0, 0), (2567, 3, 2, 66.67, 1)]
    hm = analysis.heatmap(agencies, 2567, "district")
    assert [c for c, _n, _i in hm.indicators] == [str(n) for n in range(1, 11)]
    rows = {label: (n, values) for label, n, values in hm.rows}
    assert rows["นาด้วง"][0] == 2 and rows["นาด้วง"][1][8] == 70.0  # mean of 60 and 80
    assert rows["เมืองเลย"][1][8] == 96.0
    by_kind = {label: n for label, n, _v in analysis.heatmap(agencies, 2567, "kind").rows}
    assert by_kind == {"องค์การบริหารส่วนตำบล": 2, "องค์การบริหารส่วนจังหวัด": 1}
    # an office sees only the agencies it follows
    from itadesk.accounts.access import agencies_for

    assert analysis.failing(agencies_for(world.prov_officer), 2567) == []
    assert [f.agency for f in analysis.failing(agencies_for(world.local_officer), 2567)] == [world.sao1]


def test_pages_show_the_analysis(world, fw, client):
    _load(world, fw)
    client.force_login(world.secretariat)
    html = client.get(reverse("methodology:overview") + "?year=2567").content.decode()
    assert "องค์การบริหารส่วนตำบลแก้วเมธี" in html and "83.50" in html and "87.90" in html
    html = client.get(reverse("methodology:heatmap") + "?year=2567&by=kind").content.decode()
    assert 'class="text-end heat-3">70.00' in html
    response = client.get(reverse("methodology:export_list", args=["failing", "xlsx"]) + "?year=2567")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    # an agency admin sees its own result only
    client.force_login(world.admin_a)
    html = client.get(reverse("methodology:overview") + "?year=2567").content.decode()
    assert "องค์การบริหารส่วนตำบลแก้วเมธี" in html and "องค์การบริหารส่วนตำบลท่าสวรรค์" not in html


def test_saving_a_target_group(world, fw, client):
    _load(world, fw)
    url = reverse("methodology:needs_help")
    client.force_login(world.local_officer)  # may read, may not save
    assert client.post(url, {"year": 2567, "name": "x", "agency": [world.sao1.pk]}).status_code == 403
    client.force_login(world.secretariat)
    response = client.post(url, {"year": 2567, "name": "  กลุ่มพี่เลี้ยง   ปีงบประมาณ 2568 ",
                                 "agency": [world.sao1.pk, world.sao2.pk, world.pao.pk, "x"]})
    group = TargetGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("methodology:target_group",
                                                                             args=[group.pk])
    assert group.name == "กลุ่มพี่เลี้ยง ปีงบประมาณ 2568" and group.fiscal_year == 2568
    members = list(group.members.select_related("agency"))
    assert [m.agency for m in members] == [world.sao1, world.sao2]  # the PAO was not on the list
    assert members[0].reason.startswith("ไม่ผ่าน: คะแนนรวม 83.50")
    # an empty choice is refused with a message, nothing saved
    response = client.post(url, {"year": 2567, "name": "ว่าง"}, follow=True)
    assert "choose at least one agency" in response.content.decode()
    assert TargetGroup.objects.count() == 1
    export = client.get(reverse("methodology:target_group", args=[group.pk]) + "?format=csv")
    assert "องค์การบริหารส่วนตำบลแก้วเมธี" in export.content.decode("utf-8-sig")


def test_calculator_and_planner_pages(world, fw, client):
    _load(world, fw)
    client.force_login(world.admin_a)
    params = {f"ind-{n}": v for n, v in zip(range(1, 11), FAIL_ROW.split(","), strict=True)}
    html = client.get(reverse("methodology:calculator"), {"framework": fw.pk, **params}).content.decode()
    assert "83.50" in html and "ต้องปรับปรุง" in html
    html = client.get(reverse("methodology:calculator"), {"framework": fw.pk, "ind-1": "abc"}).content.decode()
    assert "is not a number" in html
    from itadesk.cycles.models import Round

    Round.objects.filter(pk=world.round.pk).update(framework=fw)
    url = reverse("methodology:agency_results", args=[world.sao1.pk])
    html = client.get(url).content.decode()
    assert 'name="ins-IIT" value="94.00"' in html  # last year's IIT offered
    # IIT 94, EIT 91 and only o1 ready: OIT = mean(mean(100, 0), mean(0, 0)) = 25 → 28.20 + 27.30 + 10 = 65.50
    html = client.get(url, {"calc": 1, "ins-IIT": "94", "ins-EIT": "91", "ready": ["o1"]}).content.decode()
    assert "65.50" in html
    # the pass mark needs OIT ≥ 73.75: no single item does it (at most 50 → 75.50); two do, either
    # o2 + o3 (100 and 50) or o3 + o4 (50 and 100), both OIT 75 → 85.50: ITAS order breaks the tie
    advice = html[html.index('data-testid="plan-advice"'):]
    advice = advice[:advice.index("</ul>")]
    assert advice.count("<li>") == 2 and "<li>o2</li>" in advice and "<li>o3</li>" in advice
    assert "85.50" in html
    client.force_login(world.admin_b)
    assert client.get(url).status_code == 404


def test_a_new_import_replaces_a_year_and_keeps_the_history(world, fw):
    importing.apply_results_import(actor=None, plan=plan(world, csv(f"06420205,2567,{FAIL_ROW},")))
    p = plan(world, csv(f"06420205,2567,{GOOD_ROW},96.00", f"06420205,2566,{FAIL_ROW},"))
    assert (len(p.creates), len(p.updates)) == (1, 1)
    assert importing.apply_results_import(actor=world.secretariat, plan=p) == (1, 1, 0)
    r = AssessmentResult.objects.get(agency=world.sao1, fiscal_year=2567)
    assert (r.total, r.published_total, r.level_code, r.imported_by) == (Decimal("96.00"), Decimal("96.00"),
                                                                          "good", world.secretariat)
    event = AuditEvent.objects.filter(action="result.import", object_id=str(r.pk)).latest("pk")
    assert event.before["total"] == "83.50" and event.after["total"] == "96.00"
    assert AssessmentResult.objects.filter(agency=world.sao1).count() == 2


def test_planner_starts_from_the_oit_workspace(world, fw, client):
    from itadesk.cycles.models import Round
    from itadesk.evidence.models import Answer, EvidenceItem

    _load(world, fw)
    Round.objects.filter(pk=world.round.pk).update(framework=fw)
    EvidenceItem.objects.create(round=world.round, agency=world.sao1, item_code="o1", answer=Answer.HAS)
    EvidenceItem.objects.create(round=world.round, agency=world.sao1, item_code="o2", answer=Answer.HAS_NOT)
    client.force_login(world.admin_a)
    html = client.get(reverse("methodology:agency_results", args=[world.sao1.pk])).content.decode()
    assert 'data-testid="from-workspace"' in html
    assert 'value="o1" id="r-o1" checked' in html and 'value="o2" id="r-o2" checked' not in html
    assert "65.50" in html  # projected at once: IIT 94, EIT 91 (last year), OIT 25 with o1 only
