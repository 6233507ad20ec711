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
