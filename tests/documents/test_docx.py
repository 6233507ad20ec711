"""DOCX from editable templates: Thai font for every script and both sizes on every run, escaped context,
QR images, and errors that name the template and the tag."""

from __future__ import annotations

import io
import zipfile

import docx as python_docx
import numpy as np
import pytest
from docx.shared import Pt
from hypothesis import given, settings
from hypothesis import strategies as st

from itadesk.documents import docx
from tests.documents.imaging import decode, read_png

W = docx.W


def make_template(*paragraphs, header: str = "", sized: dict | None = None) -> bytes:
    """A .docx as Word makes it (theme fonts, no Thai font), one paragraph per string."""
    document = python_docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        if sized and text in sized:
            run.font.size = Pt(sized[text])
    if header:
        document.sections[0].header.paragraphs[0].add_run(header)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def part(data: bytes, name: str = "word/document.xml") -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def test_word_default_template_is_reported_and_fixed():
    template = make_template("ที่ {{ number }}", "เรื่อง {{ subject }}", header="หัว {{ number }}")
    problems = docx.docx_font_problems(template)
    assert problems and all("complex-script font" in p for p in problems)
    assert any(p.startswith("document.xml paragraph 1 run 1 «ที่ {{ number }}»") for p in problems)
    assert any(p.startswith("header1.xml") for p in problems)

    out = docx.render_docx(template, {"number": "ลย ๐๐๑๗.๕/ว ๘๗๒", "subject": "รายงานการประชุม"})
    assert docx.docx_font_problems(out) == []
    text = docx.docx_text(out)
    assert "ที่ ลย ๐๐๑๗.๕/ว ๘๗๒" in text and "เรื่อง รายงานการประชุม" in text and "หัว ลย ๐๐๑๗.๕/ว ๘๗๒" in text
    body = part(out)
    font = docx.DEFAULT_FONT
    assert f'w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"' in body
    assert "minorBidi" not in body and "w:cstheme" not in part(out, "word/styles.xml")


def test_sizes_kept_and_both_scripts_declared():
    template = make_template("ปกติ", "ใหญ่ {{ x }}", sized={"ใหญ่ {{ x }}": 20})
    out = docx.render_docx(template, {"x": "๑"})
    root = docx.etree.fromstring(part(out).encode())
    sizes = [(r.find(f"{W}rPr/{W}sz").get(W + "val"), r.find(f"{W}rPr/{W}szCs").get(W + "val"))
             for r in root.iter(W + "r")]
    assert ("40", "40") in sizes  # 20 pt stays 20 pt for Thai too
    assert all(a == b for a, b in sizes)


def test_default_size_is_16_pt_when_nothing_sets_one():
    # Strip every size from the template's styles: the run gets 16 pt (32 half-points), the official size.
    template = make_template("ข้อความ")
    source = zipfile.ZipFile(io.BytesIO(template))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "word/styles.xml":
                root = docx.etree.fromstring(body)
                for element in list(root.iter(W + "sz", W + "szCs")):
                    element.getparent().remove(element)
                body = docx.etree.tostring(root)
            target.writestr(info, body)
    fixed = docx.thai_fonts(out.getvalue())
    assert '<w:sz w:val="32"/><w:szCs w:val="32"/>' in part(fixed)
    assert docx.docx_font_problems(fixed) == []


def test_problems_name_a_missing_complex_script_size():
    template = docx.render_docx(make_template("ก"), {})
    source = zipfile.ZipFile(io.BytesIO(template))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename in ("word/document.xml", "word/styles.xml"):
                root = docx.etree.fromstring(body)
                for element in list(root.iter(W + "szCs")):
                    element.getparent().remove(element)
                body = docx.etree.tostring(root)
            target.writestr(info, body)
    assert docx.docx_font_problems(out.getvalue()) == [
        "document.xml paragraph 1 run 1 «ก»: no complex-script size (w:szCs)"]


def test_font_is_a_setting(settings):
    settings.ITADESK_DOCX_FONT = "TH SarabunIT๙"
    out = docx.render_docx(make_template("ข้อความ"), {})
    assert docx.docx_font_problems(out) == []
    assert 'w:cs="TH SarabunIT๙"' in part(out)
    assert docx.docx_font_problems(out, font="TH SarabunPSK")  # not the other font


@settings(max_examples=20, deadline=None)
@given(st.lists(st.sampled_from(["องค์การ", "ผู้ใหญ่", "น้ำ", "ปิ่นโต", "<w:t>", "&amp;", "{{ x }}", "{% if %}",
                                 "\"", "'", "<", ">", "&", "๒๕๖๘", " "]), min_size=1, max_size=10))
def test_context_text_prints_as_typed(parts):
    value = "".join(parts)
    out = docx.render_docx(make_template("[{{ value }}]"), {"value": value})
    assert f"[{value}]" in docx.docx_text(out)
    assert docx.docx_font_problems(out) == []


def test_qr_image_scans_back_to_its_link():
    url = "https://ita.loei.go.th/s/abcDEF123"
    out = docx.render_docx(make_template("สิ่งที่ส่งมาด้วย {{ qr }}"), {"qr": docx.qr_image(url, mm=25)})
    package = zipfile.ZipFile(io.BytesIO(out))
    images = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len(images) == 1
    pixels = read_png(package.read(images[0]))
    assert decode(np.asarray(pixels)) == [url]
    assert 'cx="900000"' in part(out)  # 25 mm in EMU
    assert docx.docx_font_problems(out) == []


def test_unknown_variable_names_template_and_tag():
    with pytest.raises(docx.DocxTemplateError) as info:
        docx.render_docx(make_template("เรียน {{ addressee }}", "เรื่อง {{ subjet }}"), {"addressee": "ท่าน"},
                         name="letter.docx")
    message = str(info.value)
    assert "letter.docx" in message and "subjet" in message and "«{{ subjet }}»" in message
    assert "ไม่มีตัวแปร" in message and "unknown variable" in message


def test_syntax_error_names_template_and_tag():
    with pytest.raises(docx.DocxTemplateError) as info:
        docx.render_docx(make_template("ก่อน", "{% for x in %}ผิด{% endfor %}", "หลัง"), {}, name="agenda.docx")
    message = str(info.value)
    assert "agenda.docx" in message and "{% for x in %}" in message and "แท็กไม่ถูกต้อง" in message


def test_not_a_docx_and_unsafe_tags_are_refused():
    with pytest.raises(docx.DocxTemplateError, match="not a readable Word"):
        docx.render_docx(b"PK not really", {}, name="x.docx")
    with pytest.raises(docx.DocxTemplateError, match="not allowed"):
        docx.render_docx(make_template("{{ x.__class__.__mro__ }}"), {"x": "a"})


def test_template_from_a_path(tmp_path):
    path = tmp_path / "memo.docx"
    path.write_bytes(make_template("บันทึกข้อความ {{ n }}"))
    out = docx.render_docx(path, {"n": "๑"})
    assert "บันทึกข้อความ ๑" in docx.docx_text(out)
    with pytest.raises(docx.DocxTemplateError, match="memo.docx"):
        docx.render_docx(path, {})


@pytest.mark.parametrize("tag, expected", [
    ("{{ 'A'*100000000 }}", "too long"),
    ("{% for i in range(10**8) %}x{% endfor %}", "range() is too long"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "loops run more"),
    ("{{ '%100000000s' % 'a' }}", "too long"),
    ("{{ '%*s' % (100000000, 'a') }}", "too long"),
    ("{{ '%.100000000f' % 1.5 }}", "too long"),
    ("{{ 'a'|center(100000000) }}", "too long"),
    ("{{ 9**99999999 }}", "power too large"),
    ("{{ 1/0 }}", "ZeroDivisionError"),
])
def test_hostile_templates_stop_quickly_with_a_message(tag, expected):
    import time

    started = time.monotonic()
    with pytest.raises(docx.DocxTemplateError) as info:
        docx.render_docx(make_template("ก่อน", tag), {}, name="hostile.docx")
    assert time.monotonic() - started < 5
    assert expected in str(info.value) and "hostile.docx" in str(info.value)


def test_output_and_time_limits(monkeypatch):
    template = make_template("{% for i in range(2000) %}{{ text }}{% endfor %}")
    assert len(docx.docx_text(docx.render_docx(template, {"text": "ก" * 100}))) >= 200_000
    monkeypatch.setattr(docx, "MAX_OUTPUT_CHARS", 100_000)
    with pytest.raises(docx.DocxTemplateError, match="too long"):
        docx.render_docx(template, {"text": "ก" * 100})
    monkeypatch.setattr(docx, "MAX_OUTPUT_CHARS", 20_000_000)
    monkeypatch.setattr(docx, "MAX_SECONDS", 0.0)
    with pytest.raises(docx.DocxTemplateError, match="longer than"):
        docx.render_docx(template, {"text": "ก"})
