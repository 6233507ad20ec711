"""The monitoring report reads as an official document: a covering memo with its signature block, page 1 of the
report an executive summary with charts (vector in the PDF, pictures in the DOCX), compact tables (late agencies
under their milestone named once, agencies with nothing to report counted), the full lists in an annex."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from itadesk.documents.docx import docx_text
from itadesk.reports import build, render
from tests.documents.imaging import pdf_text, squeeze
from tests.reports.fixtures import CUT, build_report_world

SAO1, SAO2, PAO = "องค์การบริหารส่วนตำบลแก้วเมธี", "องค์การบริหารส่วนตำบลท่าสวรรค์", "องค์การบริหารส่วนจังหวัดเลย"


@pytest.fixture
def rw(world):
    return build_report_world(world)


def pages_of(body: bytes) -> list[str]:
    return pdf_text(body, raw=False).split("\f")


def pdf_images(body: bytes) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.pdf"
        path.write_bytes(body)
        out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return len(out.strip().splitlines()[2:])


def test_cover_memo_then_executive_summary(rw):
    data = build.monitoring(rw.round, rw.local, CUT)
    pages = pages_of(render.pdf(data))
    cover = squeeze(pages[0])
    for part in ("บันทึกข้อความ", "ส่วนราชการ", "วันที่๕กุมภาพันธ์๒๕๖๘", "เรื่องรายงานผลการกำกับติดตาม",
                 "เรียนประธานคณะกรรมการ", "จึงเรียนมาเพื่อโปรดทราบ", "ตำแหน่ง"):
        assert part in cover, part
    assert "(" + "." * 20 in pages[0]  # the signature line, signed by hand
    summary = squeeze(pages[1])
    assert "บทสรุปผู้บริหาร" in summary and "ร้อยละ๑๐๐" in summary
    assert squeeze("ผู้มีส่วนได้ส่วนเสีย: ดำเนินการแล้ว ๑ จาก ๓ แห่ง (ร้อยละ ๓๓) ล่าช้า ๒ แห่ง ตามกำหนด ๑ แห่ง") in summary
    assert squeeze("ความคืบหน้าตามขั้นตอน: ดำเนินการแล้ว เทียบเป้าหมายร้อยละ ๑๐๐") in summary
    assert "จัดทำโดยระบบ ITA Desk" not in "".join(pages)


def test_charts_are_vector_in_the_pdf_and_pictures_in_the_docx(rw):
    data = build.monitoring(rw.round, rw.local, CUT)
    assert pdf_images(render.pdf(data)) == 0  # no emblem uploaded, and the charts are drawn, not pasted
    body = render.docx(data)
    media = [n for n in zipfile.ZipFile(io.BytesIO(body)).namelist() if n.startswith("word/media/")]
    assert len(media) == len(render.charts(data)) >= 2


def test_late_agencies_grouped_under_their_milestone_and_full_lists_in_the_annex(rw):
    data = build.monitoring(rw.round, rw.local, CUT)
    sections, annex = render.compact(data)
    late = next(t for s in sections for t in s["tables"] if t["key"] == "late")
    groups = [r for r in late["rows"] if isinstance(r, dict)]
    assert len(groups) == 1 and groups[0]["group"].startswith("ผู้มีส่วนได้ส่วนเสีย")
    assert sorted(r[0] for r in late["rows"] if isinstance(r, list)) == [PAO, SAO2]
    assert late["headers"] == ["หน่วยงาน", "อำเภอ", "สถานะ"]  # the milestone is not repeated on every row
    oit = next(t for s in sections for t in s["tables"] if t["key"] == "oit")
    listed = [r[0] for r in oit["rows"]]
    assert SAO1 in listed and PAO not in listed and listed[-1] == "รวม"
    assert any("๒" in n or "2" in n for n in oit["notes"]) and "ภาคผนวก" in oit["notes"][0]
    assert [s["heading"][:2] for s in annex] == ["ก.", "ข."]
    full_oit = annex[1]["tables"][0]["rows"]
    assert {r[0] for r in full_oit} >= {SAO1, SAO2, PAO}
    text = " ".join(pages_of(render.pdf(data)))
    body = text[: text.index("ภาคผนวก")]
    assert body.count("ผู้มีส่วนได้ส่วนเสีย (กำหนด") == 1
    docx = docx_text(render.docx(data))
    assert "ภาคผนวก" in docx and "ผู้มีส่วนได้ส่วนเสีย (กำหนด" in docx


def test_province_summary_has_the_same_shape(rw):
    data = build.monitoring(rw.round, None, CUT)
    pages = pages_of(render.pdf(data))
    assert "บันทึกข้อความ" in pages[0] and "ฝ่ายเลขานุการคณะกรรมการ" in pages[0]
    assert "บทสรุปผู้บริหาร" in squeeze(pages[1])
    assert re.search("ภาคผนวก", " ".join(pages))


def test_tables_too_long_for_the_pdf_go_to_the_xlsx_annex(rw, settings):
    """The national-size path, triggered by a small world: with the PDF's row limit lowered, long lists keep
    their milestone rows and totals, say how many rows are in which XLSX sheet, and every number stays."""
    data = build.monitoring(rw.round, rw.local, CUT)
    full = render._printable(data)
    assert render._fit_pdf(full, render.pdf_max_rows()) == full  # a province's report prints every row
    before = pages_of(render.pdf(data))
    settings.ITADESK_REPORT_PDF_MAX_ROWS = 2
    fitted = render._fit_pdf(full, 2)
    late = next(t for s in fitted["sections"] for t in s["tables"] if t["key"] == "late")
    assert [r["group"][:20] for r in late["rows"]] == ["ผู้มีส่วนได้ส่วนเสีย (กำหนด"[:20]]  # milestone, its count
    assert late["notes"][0].startswith("รายการนี้มี ๒ แถว") and "“หน่วยงานที่ล่าช้า”" in late["notes"][0]
    oit_annex = fitted["annex"][1]["tables"][0]
    assert [r[0] for r in oit_annex["rows"]] == ["รวม"]
    assert "“OIT”" in oit_annex["notes"][0]
    assert fitted["summary"] == full["summary"] and fitted["charts"] == full["charts"]
    pages = pages_of(render.pdf(data))
    text = squeeze(" ".join(pages))
    assert squeeze("รายการทั้งหมดอยู่ในภาคผนวก XLSX") in text
    assert squeeze("ผู้มีส่วนได้ส่วนเสีย (กำหนด") in text and "รายการทั้งหมดอยู่ใน" not in squeeze(" ".join(before))
    assert text.count(SAO2) < squeeze(" ".join(before)).count(SAO2)  # its late and OIT rows left out
    head = squeeze("หน่วยงานที่ล่าช้า")  # the executive summary and the progress table: the same numbers
    assert squeeze(pages[1]).split(head)[0] == squeeze(before[1]).split(head)[0]
    sheet = render.xlsx(data)  # the XLSX annex still has every row
    from openpyxl import load_workbook

    names = [r[1].value for r in load_workbook(io.BytesIO(sheet))["หน่วยงานที่ล่าช้า"].iter_rows(min_row=2)]
    assert SAO2 in names and PAO in names


@hypothesis_settings(deadline=None)  # a loaded machine must not fail it
@given(rows=st.lists(st.one_of(st.builds(lambda g: {"group": g}, st.text(max_size=5)),
                               st.lists(st.text(max_size=5), min_size=1, max_size=3)), max_size=30),
       limit=st.integers(min_value=0, max_value=40), key=st.sampled_from(["late", "oit", "progress", "at_risk"]))
def test_fit_table_keeps_short_tables_and_milestone_rows(rows, limit, key):
    t = {"key": key, "rows": rows, "notes": ["n"]}
    out = render._fit_table(t, limit)
    if len(rows) <= limit or key not in render.AGENCY_LISTS:
        assert out == t
    else:
        assert [r for r in out["rows"] if isinstance(r, dict)] == [r for r in rows if isinstance(r, dict)]
        assert all(isinstance(r, dict) or r[0] == "รวม" for r in out["rows"])
        left = len(rows) - len(out["rows"])
        assert out["notes"][0].startswith("รายการนี้มี {} แถว".format(render.thai_digits(f"{left:,}")))
        assert out["notes"][1:] == ["n"]
