"""Thai text in every PDF: lines break only at dictionary word boundaries (never inside a word, never between
"พ.ศ." and its year or a number and its unit), and pdftotext gives back exactly the text that went in, in
poppler's default layout mode as well as -raw (no "ปั ญหา", no doubled clusters)."""

from __future__ import annotations

import re
import shutil
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythainlp.tokenize import word_tokenize

from itadesk.documents import official, pdf, thai_breaks
from tests.documents.imaging import pdf_text

HARD_WORDS = ["ปัญหา", "ปีงบประมาณ", "ผู้ว่าราชการ", "ที่ปรึกษา", "กิ่ง", "ญี่ปุ่น", "ฐาน", "สิ่งที่ส่งมาด้วย", "น้ำ",
              "ทั้งนี้"]
MORE_WORDS = ["ป่า", "ป้า", "ปั๊ม", "ฝั่ง", "ฟื้นฟู", "เปิ่น", "ปิ่นโต", "ฝ้าย", "ฟ้า", "ปุ๋ย", "ปู่", "เรื่อง", "ชื่อ",
              "เพื่อ", "กตัญญู", "ฎีกา", "ศึกษา", "ผู้ใหญ่", "ปลื้ม", "ปี่", "เปลี่ยน", "ฟื้น", "ปั้น"]

PARAGRAPH = ("ตามที่จังหวัดเลยได้แต่งตั้งคณะกรรมการกำกับการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
             "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ เพื่อทำหน้าที่ที่ปรึกษาและติดตามปัญหาและอุปสรรคของหน่วยงานในจังหวัด จำนวน ๑๑๖ แห่ง "
             "นั้น บัดนี้ ผู้ว่าราชการจังหวัดเลยได้พิจารณาแล้ว เห็นควรให้หน่วยงานที่ยังไม่ได้ดำเนินการตามระเบียบวาระการประชุม "
             "เร่งรัดการเผยแพร่ข้อมูลสาธารณะบนเว็บไซต์ของหน่วยงานให้แล้วเสร็จภายในวันที่ ๓๑ มกราคม ๒๕๖๘ เวลา ๑๖.๓๐ น. "
             "ทั้งนี้ หากมีปัญหาในการกรอกข้อมูล ให้ประสานฝ่ายเลขานุการ ซึ่งได้รับน้ำใจจากผู้ว่าราชการจังหวัดและที่ปรึกษา "
             "ญี่ปุ่นที่มาศึกษาดูงานฐานข้อมูลกิ่งอำเภอ รายละเอียดตามสิ่งที่ส่งมาด้วย ร้อยละ ๙๕ ของหน่วยงานผ่านเกณฑ์")

COLUMN_DOC = """#import "style.typ": *
#let d = data()
#show: sheet.with(title: d.title)
#block(width: d.width * 1cm, d.text)
"""

WEIGHTS_DOC = """#import "style.typ": *
#let d = data()
#show: official.with(title: "x")
#d.text \\
#text(weight: "bold", d.text) \\
#text(style: "italic", d.text) \\
#text(weight: "bold", style: "italic", d.text)
"""


@pytest.fixture
def templates(tmp_path, monkeypatch):
    shutil.copy(pdf.TEMPLATES_DIR / "style.typ", tmp_path / "style.typ")
    monkeypatch.setattr(pdf, "TEMPLATES_DIR", tmp_path)
    monkeypatch.setattr(pdf, "_local", threading.local())
    return tmp_path


def write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")
    return name


def lines_of(body: bytes, raw: bool) -> list[str]:
    return [line for line in pdf_text(body, raw=raw).replace("\f", "\n").splitlines() if line.strip()]


def word_boundaries(text: str) -> set[int]:
    """Offsets (in ``text`` without spaces) where a dictionary word ends (each run between spaces segmented
    with pythainlp's dictionary on its own, as a line of text is)."""
    ends, at = {0}, 0
    for run in text.split():
        for token in word_tokenize(run, engine="newmm", keep_whitespace=False):
            at += len(token)
            ends.add(at)
    return ends


@pytest.mark.parametrize("width", [4.2, 5.0, 6.5, 9.5])
def test_lines_end_at_dictionary_word_boundaries(templates, width):
    """A long paragraph in a narrow column: every line ends where a dictionary word ends, "พ.ศ. ๒๕๖๘", "๑๑๖ แห่ง",
    "๓๑ มกราคม ๒๕๖๘" and "๑๖.๓๐ น." stay on one line, and the lines put together are the paragraph."""
    body = pdf.render(write(templates, "c.typ", COLUMN_DOC), {"title": "x", "width": width, "text": PARAGRAPH})
    lines = lines_of(body, raw=True)
    assert len(lines) > 5
    squeezed = PARAGRAPH.replace(" ", "")
    assert "".join(line.replace(" ", "") for line in lines) == squeezed
    boundaries = word_boundaries(PARAGRAPH)
    at = 0
    for line in lines[:-1]:
        at += len(line.replace(" ", ""))
        assert at in boundaries, f"line breaks inside a word: …{squeezed[at - 8:at]}|{squeezed[at:at + 8]}…"
    for kept in ("พ.ศ. ๒๕๖๘", "๑๑๖ แห่ง", "๓๑ มกราคม ๒๕๖๘", "๑๖.๓๐ น.", "ร้อยละ ๙๕"):
        assert any(kept in line for line in lines), (kept, lines)
    # and in layout mode the text is the paragraph, word for word
    assert " ".join(lines_of(body, raw=False)).split() == [w for w in " ".join(lines).split()]


@pytest.mark.parametrize("raw", [True, False])
def test_hard_words_come_back_exactly_in_every_weight(templates, raw):
    """Regular, bold, italic, bold italic: each word exactly, no space inside a cluster, nothing doubled."""
    text = " ".join(HARD_WORDS + MORE_WORDS)
    body = pdf.render(write(templates, "w.typ", WEIGHTS_DOC), {"text": text})
    lines = lines_of(body, raw=raw)
    words = " ".join(lines).split()
    assert words == (HARD_WORDS + MORE_WORDS) * 4


def test_dictionary_words_with_moved_marks_come_back_exactly(templates):
    """Every dictionary word with ป ฝ ฟ under an upper vowel or tone mark, or ฎ ฏ over a lower vowel (the
    clusters the font positions with offsets), comes back exactly in layout mode."""
    from pythainlp.corpus import thai_words

    pattern = re.compile("[ปฝฟ][\u0e38\u0e39]?[\u0e31\u0e34-\u0e37\u0e47-\u0e4d]|[ฎฏ][\u0e38-\u0e3a]")
    words = sorted(w for w in thai_words() if " " not in w and pattern.search(w))
    assert len(words) > 500
    doc = '#import "style.typ": *\n#let d = data()\n#show: sheet.with(title: "x")\n#for w in d.words { par(w) }\n'
    body = pdf.render(write(templates, "d.typ", doc), {"words": words})
    assert lines_of(body, raw=False) == words


@settings(max_examples=20, deadline=None)
@given(st.lists(st.sampled_from(HARD_WORDS + MORE_WORDS + ["พ.ศ.", "๒๕๖๘", "ITA", "(O1)", "๑๒", "แห่ง"]),
                min_size=1, max_size=16))
def test_prepare_keeps_the_text(parts):
    """The marks ``prepare`` adds are the only change: removing them gives the text back."""
    text = " ".join(parts)
    prepared = thai_breaks.prepare(text)
    assert thai_breaks.plain(prepared) == text
    assert thai_breaks.BREAK not in thai_breaks.prepare("ITA O1 2568") and thai_breaks.prepare("x") == "x"


def test_prepare_breaks_only_between_dictionary_words():
    prepared = thai_breaks.prepare("ปีงบประมาณ พ.ศ. ๒๕๖๘ ผู้ว่าราชการจังหวัดเลย ระเบียบวาระ ต่างๆ")
    pieces = re.split(f"[ {thai_breaks.BREAK}{thai_breaks.GLUE}]", prepared)
    for word in ("ปีงบประมาณ", "ผู้ว่าราชการจังหวัด", "ระเบียบวาระ", "ต่างๆ"):
        assert word in pieces
    assert "พ.ศ." + thai_breaks.GLUE + "๒๕๖๘" in prepared


def test_data_that_is_not_text_is_left_alone():
    data = {"qr_svg": "<svg>ปัญหา</svg>", "share_url": "https://x/ปัญหา", "kind": "letter",
            "rows": [["ปีงบประมาณ", 3, None]], "emblem": "<?xml version='1.0'?><svg/>"}
    out = thai_breaks.prepare_data(data)
    assert out["qr_svg"] == data["qr_svg"] and out["share_url"] == data["share_url"]
    assert out["emblem"] == data["emblem"] and out["rows"][0][1:] == [3, None]


@pytest.mark.parametrize("kind", official.KINDS)
def test_every_official_document_prints_the_hard_words_exactly(kind):
    data = official.sample_context(kind)
    sentence = " ".join(HARD_WORDS)
    data = {**data, "subject": sentence, "title": sentence, "heading": sentence}
    if kind in ("agenda", "minutes"):
        data["sections"][0]["title"] = sentence
    if kind == "distribution":
        data["recipients"][0]["name"] = sentence
    text = pdf_text(official.render_pdf(kind, data), raw=False).replace("\n", " ")
    assert sentence in " ".join(text.split()), text[:400]


def _hard_sentence_in(body: bytes) -> bool:
    text = " ".join(pdf_text(body, raw=False).replace("\n", " ").split())
    return " ".join(HARD_WORDS) in text


def test_the_oit_evidence_list_poster_and_report_print_the_hard_words_exactly(world):
    """The other document kinds: the OIT evidence list (A4 landscape table), the ITAS poster, the monitoring
    report (memo, summary, tables)."""
    from django.utils import timezone

    from itadesk.documents import posters
    from itadesk.evidence import exports, selectors
    from itadesk.reports import build, render
    from tests.evidence.oit_world import setup_oit
    from tests.reports.fixtures import CUT, build_report_world

    sentence = " ".join(HARD_WORDS)
    setup_oit(world)
    data = exports.pdf_data(selectors.workspace(world.round, world.sao1), now=timezone.now())
    data = {**data, "agency": sentence, "rows": [{**data["rows"][0], "text": sentence}, *data["rows"][1:]]}
    assert _hard_sentence_in(pdf.render("oit-evidence.typ", data))
    page = {**posters.page(agency_name="x", itas_code="abc123", instrument="iit", fiscal_year=2568), "agency": sentence}
    assert _hard_sentence_in(pdf.render("poster.typ", {"title": sentence, "pages": [page]}))
    rw = build_report_world(world)
    report = build.monitoring(rw.round, rw.local, CUT)
    report["office"] = {**report["office"], "name": sentence}
    assert _hard_sentence_in(render.pdf(report))
