"""PDFium (in-process, the default) and poppler's ``pdftotext -layout`` (the reference) give the same findings
on every test PDF: the labelled set's, the test servers', the benchmark's, scans, a text layer without a
Unicode map, and Thai PDFs with embedded fonts as a word processor makes them (typst with the Laksaman font,
as ITA Desk's own documents: tables, wrapped lines, two pages). Each PDF is checked against every item of
NACC 2568 that has elements, so that keyword, element and fiscal-year findings are all compared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typst

from itadesk.evidence.checker import CheckerConfig, check
from itadesk.evidence.checker.extract import extract_bytes, pdf_to_text
from itadesk.evidence.checker.fetch import FetchResult
from itadesk.methodology import schema
from tests.evidence import servers
from tests.evidence.accuracy import corpus
from tests.evidence.test_checker_detectors import OLD, PLAN

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")

FONTS = Path(__file__).resolve().parents[2] / "itadesk" / "documents" / "fonts"
FW = schema.load_file(schema.FRAMEWORKS_DIR / "nacc-ita-2568.yaml")
ITEMS = [schema.find_item(FW, f"o{n}").item for n in range(1, 27)]
PDFIUM = CheckerConfig(pdf_engine="pdfium")
PDFTOTEXT = CheckerConfig(pdf_engine="pdftotext")


def _typst_pdf(tmp: Path, name: str, source: str) -> bytes:
    path = tmp / f"{name}.typ"
    path.write_text('#set text(font: "Laksaman", lang: "th", size: 15pt)\n' + source, encoding="utf-8")
    return typst.compile(str(path), font_paths=[str(FONTS)])


def _unmapped_pdf() -> bytes:
    """Thai text drawn with a font whose codes map to private-use characters (an old Thai font without a
    Unicode map): its text layer reads as nonsense."""
    line = "".join(chr(0xE000 + ord(c) - 0x0E00) if "\u0e00" <= c <= "\u0e7f" else c
                   for c in "แผนการดำเนินงาน ประจำปีงบประมาณ")
    return servers.make_pdf([[line] * 12])


def _bench_pdfs() -> list[bytes]:
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "bench" / "evidence.py"
    spec = importlib.util.spec_from_file_location("bench_evidence_docs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [body for body, _ctype in module.build_documents()[1]]


@pytest.fixture(scope="module")
def test_pdfs(tmp_path_factory) -> dict[str, bytes]:
    tmp = tmp_path_factory.mktemp("typst")
    _cases, pages = corpus.build()
    pdfs = {f"corpus {host}{path}": page.body for (host, path), page in pages.items()
            if page.body.startswith(b"%PDF")}
    pdfs.update({
        "servers /doc.pdf": servers.make_pdf([servers.O6_PDF_LINES, ["หน้า 2 สรุปผล"]]),
        "servers /plan.pdf": servers.make_pdf([servers.O6_PDF_LINES]),
        "servers /scan.pdf": servers.make_scan_pdf(3),
        "detectors PLAN": PLAN, "detectors OLD": OLD,
        "no Unicode map": _unmapped_pdf(),
        "typst plan with a table": _typst_pdf(tmp, "plan", (
            "= แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๘\n"
            "องค์การบริหารส่วนตำบลทดสอบ อำเภอเมือง จังหวัดเลย โทรศัพท์ 0 4281 1234\n\n"
            "#table(columns: 3, [โครงการ], [งบประมาณ], [ผู้รับผิดชอบ], [ส่งเสริมคุณธรรมและความโปร่งใส], "
            "[50,000 บาท], [สำนักปลัด], [ไม่รับของขวัญ No Gift Policy], [10,000 บาท], [กองคลัง])\n\n"
            "ประกาศ ณ วันที่ 12 ตุลาคม พ.ศ. 2567 ผลการดำเนินงาน ร้อยละ 47\n")),
        "typst report over two pages": _typst_pdf(tmp, "report", (
            "= รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ ประจำปีงบประมาณ พ.ศ. 2567\n"
            + "\n\n".join(f"{n}. จ้างเหมาก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ {n % 12 + 1} วงเงิน {n * 1000:,} บาท "
                          "วิธีเฉพาะเจาะจง ลงนามในสัญญา 12 ก.พ. 2567" for n in range(1, 40))
            + "\n\n#pagebreak()\nสรุปผลการจัดซื้อจัดจ้าง จำนวน 39 รายการ\n")),
        "typst wrapped year": _typst_pdf(tmp, "wrapped", (
            "#set page(width: 9cm)\nรายงานผลการดำเนินงานตามแผนปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. 2568 "
            "ขององค์การบริหารส่วนตำบลทดสอบ รอบ 6 เดือน (ตุลาคม 2567 – มีนาคม 2568)\n")),
    })
    for n, body in enumerate(_bench_pdfs()):
        pdfs[f"bench PDF {n}"] = body
    return pdfs


def _summary(findings) -> list[tuple]:
    """What a reviewer acts on: each finding's code, outcome, severity, element, and the fiscal years found."""
    return [(f.code, f.passed, f.severity, f.detail.get("element"), tuple(sorted(f.detail.get("found", {})))
             if f.code == "fiscal_year" else None) for f in findings]


def test_the_set_holds_every_kind_of_test_pdf(test_pdfs):
    layers = {pdf_to_text(body, PDFTOTEXT).text_layer for body in test_pdfs.values()}
    assert layers == {"ok", "none", "garbled"}
    assert sum(name.startswith("corpus") for name in test_pdfs) >= 10


def test_same_text_layer_pages_and_findings_as_pdftotext(test_pdfs):
    differences = []
    for name, body in test_pdfs.items():
        ours, ref = pdf_to_text(body, PDFIUM), pdf_to_text(body, PDFTOTEXT)
        if (ours.text_layer, ours.pages, ours.pages_with_text, ours.error) != (
                ref.text_layer, ref.pages, ref.pages_with_text, ref.error):
            differences.append((name, "layer", ours.text_layer, ref.text_layer, ours.pages, ref.pages))
            continue
        result = FetchResult(f"https://www.bankhok.go.th/files/{len(differences)}.pdf",
                             final_url="https://www.bankhok.go.th/files/x.pdf", status=200,
                             content_type="application/pdf", body=body)
        for item in ITEMS:
            a = _summary(check(result, item=item, main_domain="bankhok.go.th", fiscal_year=2568, extracted=ours))
            b = _summary(check(result, item=item, main_domain="bankhok.go.th", fiscal_year=2568, extracted=ref))
            if a != b:
                differences.append((name, item["code"], [x for x in a if x not in b], [x for x in b if x not in a]))
    assert differences == []


def test_pdfium_reads_thai_as_typed(test_pdfs):
    text = pdf_to_text(test_pdfs["typst plan with a table"], PDFIUM).text
    assert "แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ\nพ.ศ. ๒๕๖๘" in text  # the heading wraps there
    assert "ส่งเสริมคุณธรรมและความโปร่งใส" in text and "No Gift Policy" in text


def test_a_broken_pdf_is_unreadable_not_a_crash():
    broken = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<<>>\n%%EOF"
    ex = extract_bytes(broken, "application/pdf", config=PDFIUM)
    assert ex.kind == "pdf" and ex.error == "pdf_failed" and not ex.readable
    result = FetchResult("https://www.bankhok.go.th/a.pdf", final_url="https://www.bankhok.go.th/a.pdf", status=200,
                         content_type="application/pdf", body=broken)
    unreadable = [f for f in check(result, extracted=ex) if f.code == "unreadable"]
    assert len(unreadable) == 1 and not unreadable[0].passed and "PDF" in unreadable[0].message_th


def test_page_limit_holds_for_pdfium():
    body = servers.make_pdf([[f"หน้า {n} ปีงบประมาณ พ.ศ. 2568 ข้อความ"] for n in range(1, 8)])
    ex = pdf_to_text(body, CheckerConfig(pdf_max_pages=3))
    assert ex.pages == 3 and "หน้า 3" in ex.text and "หน้า 4" not in ex.text


def test_unknown_pdf_engine_is_refused():
    with pytest.raises(ValueError, match="pdf_engine"):
        CheckerConfig(pdf_engine="ocr")
