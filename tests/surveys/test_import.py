"""Import of response counts: good files (Thai digits, BE/CE dates, codes or names), every bad row named,
nothing written unless the whole file is good; the export comes back in."""

import io

import pytest
import time_machine
from django.urls import reverse

from itadesk.core.tabular import ImportRefused
from itadesk.surveys import importing
from itadesk.surveys.models import ResponseCount
from tests.surveys.helpers import BEFORE_RESPONSES, day, with_framework
from tests.surveys.test_followup import stake


def plan(w, text, name="status.csv", **kw):
    return importing.plan_response_import(data=text.encode("utf-8-sig"), filename=name, round=w.round,
                                          now=BEFORE_RESPONSES, **kw)


GOOD = """หน่วยงาน,จำนวนผู้ตอบ IIT,จำนวนผู้ตอบ EIT,ข้อมูล ณ วันที่
06420205,๑๒,"1,250",๒๐/๖/๒๕๖๘
องค์การบริหารส่วนตำบลท่าสวรรค์,7,,2025-06-21
02420101,30,45,22 มิ.ย. 2568
"""


def test_a_good_file(world):
    w = with_framework(world)
    p = plan(w, GOOD)
    assert p.ok, [str(e) for e in p.errors]
    assert len(p.changes) == 3 and p.rows == 3
    result = importing.apply_response_import(actor=w.secretariat, plan=p, now=BEFORE_RESPONSES)
    assert result.recorded == 3
    got = {(r.agency_id, r.instrument, r.on_date): (r.count, r.source) for r in ResponseCount.objects.all()}
    assert got == {(w.sao1.pk, "IIT", day(2568, 6, 20)): (12, "import"),
                   (w.sao1.pk, "EIT", day(2568, 6, 20)): (1250, "import"),
                   (w.sao2.pk, "IIT", day(2568, 6, 21)): (7, "import"),
                   (w.pao.pk, "IIT", day(2568, 6, 22)): (30, "import"),
                   (w.pao.pk, "EIT", day(2568, 6, 22)): (45, "import")}
    again = plan(w, GOOD)
    assert again.ok and not again.changes and again.unchanged == 3


BAD = """หน่วยงาน,IIT,EIT,วันที่
06420205,12,40,20/6/2568
ไม่มีหน่วยงานนี้,5,5,20/6/2568
06420203,-4,5,20/6/2568
02420101,สิบ,5,20/6/2568
06420205,1,2,1/7/2568
06420205,1,2,31/2/2568
06420205,1,2,20/06/2025
06420205,,,21/6/2568
"""


def test_every_bad_row_is_named_and_nothing_is_written(world):
    w = with_framework(world)
    p = plan(w, BAD)
    errors = [str(e) for e in p.errors]
    assert len(errors) == 6, errors
    assert errors[0].startswith("แถว 3 คอลัมน์ หน่วยงาน: ไม่พบหน่วยงาน 'ไม่มีหน่วยงานนี้'")
    assert "แถว 4 คอลัมน์ IIT: จำนวนผู้ตอบ IIT '-4' ต้องไม่ติดลบ" in errors[1]
    assert "Row 5, column IIT: IIT respondents 'สิบ' must be a number" in errors[2]
    assert "แถว 6 คอลัมน์ วันที่" in errors[3] and "in the future" in errors[3]
    assert "แถว 7 คอลัมน์ วันที่: '31/2/2568' ไม่ใช่วันที่" in errors[4]
    assert "แถว 8" in errors[5] and "ซ้ำกันในแถว 2 และแถว 8" in errors[5]
    assert p.skipped == 1  # row 9 has no count: nothing to record, not an error
    with pytest.raises(ImportRefused):
        importing.apply_response_import(actor=w.secretariat, plan=p)
    assert not ResponseCount.objects.exists()


def test_missing_columns_and_unknown_headers(world):
    w = with_framework(world)
    errors = [str(e) for e in plan(w, "ชื่อ,จำนวน\nx,1\n").errors]
    assert any("ไม่รู้จักหัวคอลัมน์ 'ชื่อ'" in e for e in errors)
    assert any("หน่วยงาน" in e and "missing" in e for e in errors)
    assert any("no column of respondents" in e for e in errors)
    assert plan(w, "x", name="a.pdf").errors[0].en.startswith("unsupported file type")


def test_an_office_officer_imports_only_its_agencies(world):
    w = with_framework(world)
    allowed = {w.sao1.pk, w.sao2.pk, w.pao.pk}
    p = plan(w, "หน่วยงาน,IIT\n06420205,3\nจังหวัดเลย,4\n", allowed_agency_ids=allowed)
    assert [e.row for e in p.errors] == [3] and "not an agency you follow" in str(p.errors[0])


def test_without_a_date_column_the_counts_are_dated_today(world):
    w = with_framework(world)
    p = plan(w, "หน่วยงาน,IIT\n06420205,3\n")
    assert p.ok and p.changes[0].on_date == day(2568, 6, 23)


def test_the_export_imports_back_and_the_page_applies_it(world, client):
    w = with_framework(world)
    stake(w, w.sao1, 40, 1200)
    client.force_login(w.secretariat)
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        exported = client.get(reverse("surveys:export_province", args=[w.round.pk])).content
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(exported))
        ws = wb.active
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            if row[1].value == w.sao1.name_th:
                row[header.index("IIT")].value = 20
                row[header.index("EIT")].value = 100
                row[header.index("วันที่")].value = "23 มิ.ย. 2568"
        out = io.BytesIO()
        wb.save(out)
        out.name = "followup.xlsx"
        out.seek(0)
        url = reverse("surveys:import", args=[w.round.pk])
        page = client.post(url, {"file": out})
        if 'import-summary' not in page.content.decode():
            errors = [str(e) for e in page.context["plan"].errors] if page.context.get("plan") else page.content
            raise AssertionError(errors)
        assert page.status_code == 200 and 'data-testid="import-summary"' in page.content.decode()
        token = page.context["token"]
        done = client.post(url, {"token": token, "apply": "1"})
        assert done.status_code == 302
    assert {(r.instrument, r.count) for r in ResponseCount.objects.filter(agency=w.sao1)} == {("IIT", 20), ("EIT", 100)}
    assert ResponseCount.objects.count() == 2  # the other rows had no counts: nothing to record… and no error


def test_a_file_with_code_and_name_or_only_the_name(world):
    w = with_framework(world)
    both = plan(w, "รหัส ITAS,ชื่อหน่วยงาน,IIT\n06420205,อะไรก็ได้,3\n")
    assert both.ok and both.changes[0].agency == w.sao1
    named = plan(w, "ชื่อหน่วยงาน,IIT\nองค์การบริหารส่วนตำบลท่าสวรรค์,3\n")
    assert named.ok and named.changes[0].agency == w.sao2
