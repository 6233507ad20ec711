"""The document engine: Typst + the vendored Laksaman font, data only as JSON, any warning an error,
Thai text that comes back exactly from the PDF's text layer, official page numbers in Thai digits."""

from __future__ import annotations

import shutil
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itadesk.core.thai import thai_digits
from itadesk.documents import pdf
from tests.documents.imaging import pdf_fonts, pdf_text, squeeze

MARKUP = "# $ * _ @ [ ] \\ ` < > = - + / ~ \" ' { } ( ) ;"


@pytest.fixture
def templates(tmp_path, monkeypatch):
    """A template folder of the test's own, with the shared style module."""
    shutil.copy(pdf.TEMPLATES_DIR / "style.typ", tmp_path / "style.typ")
    monkeypatch.setattr(pdf, "TEMPLATES_DIR", tmp_path)
    monkeypatch.setattr(pdf, "_local", threading.local())
    return tmp_path


def write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")
    return name


NAME_DOC = """#import "style.typ": *
#let d = data()
#show: official.with(title: d.title)
#d.name
"""


def test_user_text_is_never_markup(templates):
    name = "องค์การบริหารส่วนตำบล ป่าไม้ ผู้ใหญ่ ญี่ปุ่น น้ำ ฎีกา " + MARKUP + " #set text(red) $x^2$ *bold* _it_ @ref"
    body = pdf.render(write(templates, "t.typ", NAME_DOC), {"title": "ทดสอบ", "name": name})
    assert body.startswith(b"%PDF")
    text = pdf_text(body)
    assert squeeze(name) in squeeze(text)  # characters, vowels and tone marks exact and in order
    # without ป/ฝ/ฟ and an upper mark, even the spaces are exact
    assert "องค์การบริหารส่วนตำบล" in text and "ผู้ใหญ่ ญี่ปุ่น น้ำ ฎีกา " + MARKUP in text


WORDS = ["องค์การ", "บริหาร", "ส่วนตำบล", "เทศบาล", "ป่า", "ปั๊ม", "ฝั่ง", "ที่", "กี่", "ผู้ใหญ่", "ญี่ปุ่น", "น้ำ",
         "ปิ่นโต", "ฟื้นฟู", "ศึกษา", "ฎีกา", "กตัญญู", "เปิด", "เป็น", "ฐาน", "ฤๅษี", "ไม้", "เก้า", "สิบ",
         "2568", "๒๕๖๘", "ITA", "O.1"]
MARKS = list("#$*_@[]\\`<>=-+/~\"'{}();")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(WORDS + MARKS), min_size=1, max_size=12))
def test_any_name_comes_back_exactly(parts):
    """Whatever mix of Thai words (with stacked vowels and tone marks) and markup characters: the text
    layer gives the same characters back, in order (content order)."""
    name = " ".join(parts)
    body = pdf.render("poster.typ", {"title": name, "pages": [_page(name)]})
    assert squeeze(name) in squeeze(pdf_text(body))


def _page(name):
    from itadesk.documents import posters

    return {**posters.page(agency_name="x", itas_code="abc123", instrument="iit", fiscal_year=2568),
            "agency": name}


def test_warnings_are_errors(templates):
    bad_font = write(templates, "font.typ", '#text(font: "TH Sarabun New")[สวัสดี]')
    with pytest.raises(pdf.PdfError, match="unknown font family"):
        pdf.render(bad_font, {})


def test_errors_name_the_template(templates):
    broken = write(templates, "broken.typ", "#let x = ")
    with pytest.raises(pdf.PdfError, match="broken.typ"):
        pdf.render(broken, {})
    missing_key = write(templates, "key.typ", NAME_DOC)
    with pytest.raises(pdf.PdfError, match="key.typ"):
        pdf.render(missing_key, {"title": "x"})


@pytest.mark.parametrize("name", ["nope.typ", "../style.typ", "/etc/passwd", "style.txt", "sub/poster.typ"])
def test_only_templates_of_the_folder(name):
    with pytest.raises(pdf.PdfError):
        pdf.render(name, {})


def test_only_the_vendored_font_is_embedded():
    body = pdf.render("poster.typ", {"title": "x", "pages": [_page("เทศบาลตำบลนาดอกคำ")]})
    fonts = [line.split()[0] for line in pdf_fonts(body).splitlines()[2:]]
    assert fonts and all(f.split("+")[-1].startswith("Laksaman") for f in fonts), fonts
    assert "Laksaman" in pdf.families()
    assert sorted(p.name for p in pdf.FONTS_DIR.glob("*.ttf")) == [
        "Laksaman-Bold.ttf", "Laksaman-BoldItalic.ttf", "Laksaman-Italic.ttf", "Laksaman.ttf"]


STYLE_DOC = """#import "style.typ": *
#let d = data()
#show: official.with(title: "x")
#thai-num(d.n) / #sarabun(16) / #body-size
#for i in range(3) { [หน้า #(i + 1)]; pagebreak() }
ท้าย
"""


def test_style_module(templates):
    """Thai digits, the TH Sarabun New size rule (16 pt → 10.56 pt Laksaman), page numbers "- ๒ -"
    from the second page on (none on the first)."""
    body = pdf.render(write(templates, "s.typ", STYLE_DOC), {"n": "ปี 2568 ข้อ 10.5"})
    text = pdf_text(body)
    assert f"ปี {thai_digits(2568)} ข้อ ๑๐.๕ / 10.56pt / 10.56pt" in text
    pages = text.split("\f")
    assert "- ๑ -" not in pages[0]
    assert pages[1].startswith("- ๒ -") and pages[3].startswith("- ๔ -")


def test_threads_each_get_a_compiler():
    """Typst's compiler refuses concurrent use; every thread has its own, so a threaded server works."""
    errors, bodies = [], []

    def work():
        try:
            for _ in range(3):
                bodies.append(pdf.render("poster.typ", {"title": "x", "pages": [_page("อบต.")]}))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(bodies) == 12
