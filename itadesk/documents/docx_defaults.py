"""Build the default DOCX templates shipped in ``itadesk/documents/docx/`` with python-docx, so that they can
be regenerated after a change here:

    .venv/bin/itadesk documents templates        (or: python -m itadesk.documents.docx_defaults)

Official Thai layout (ระเบียบงานสารบรรณ): A4, margins top 2.5 cm, bottom 2 cm, left 3 cm, right 2 cm; TH
SarabunPSK 16 pt; page numbers from page 2 centred at the top in Thai digits (Word's ``PAGE \\* ThaiArabic``);
body paragraphs indented 2.5 cm on their first line. The secretariat downloads these, edits them in Word
(keeping the ``{{ … }}`` and ``{%p … %}`` tags) and uploads them back.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from itadesk.documents.docx import DEFAULT_FONT, thai_fonts

OUT_DIR = Path(__file__).resolve().parent / "docx"
SIGN_INDENT = Cm(7.5)  # the signature block sits on the right half
BODY_INDENT = Cm(2.5)


def _document():
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.header_distance = Cm(1.2)
    normal = doc.styles["Normal"]
    normal.font.name = DEFAULT_FONT
    normal.font.size = Pt(16)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    # Page numbers: none on the first page, "- ๒ -" centred at the top from the second on.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE \\* ThaiArabic")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "๒"
    run.append(text)
    field.append(run)
    header._p.append(field)
    header.add_run(" -")
    return doc


def _p(doc, *parts, align=None, indent_first=None, indent_left=None, bold=False, size=None, space_before=None):
    """A paragraph of runs; a part is text, or (text, {"bold": True}) for a run of its own."""
    paragraph = doc.add_paragraph()
    for part in parts:
        text, style = part if isinstance(part, tuple) else (part, {})
        run = paragraph.add_run(text)
        run.bold = style.get("bold", bold) or None
        if size or style.get("size"):
            run.font.size = Pt(style.get("size", size))
    if align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "justify":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.THAI_JUSTIFY
    fmt = paragraph.paragraph_format
    if indent_first is not None:
        fmt.first_line_indent = indent_first
    if indent_left is not None:
        fmt.left_indent = indent_left
    if space_before is not None:
        fmt.space_before = space_before
    return paragraph


def _no_borders(table):
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _cell(cell, text, *, bold=False, align=None):
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold or None
    if align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _loop_table(doc, loop: str, cells: list[str], *, header: list[str] | None = None, widths=None, borders=True):
    """A table whose rows repeat for each item of ``loop`` ("r in recipients")."""
    rows = 3 + (1 if header else 0)
    table = doc.add_table(rows=rows, cols=len(cells))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if borders:
        table.style = doc.styles["Table Grid"]
    else:
        _no_borders(table)
    index = 0
    if header:
        for i, text in enumerate(header):
            _cell(table.rows[0].cells[i], text, bold=True, align="center")
        index = 1
    _cell(table.rows[index].cells[0], "{%tr for " + loop + " %}")
    for i, text in enumerate(cells):
        _cell(table.rows[index + 1].cells[i], text)
    _cell(table.rows[index + 2].cells[0], "{%tr endfor %}")
    if widths:
        for row in table.rows:
            for i, width in enumerate(widths):
                row.cells[i].width = width
    return table


def _lines(doc, name: str, **kwargs):
    _p(doc, "{%p for l in " + name + " %}")
    _p(doc, "{{ l }}", **kwargs)
    _p(doc, "{%p endfor %}")


def _letter_head(doc):
    # the Garuda emblem, 3 cm high, centred (form 28); the page's top margin leaves it about 1.5 cm from the edge
    _p(doc, "{{ emblem }}", align="center")
    _p(doc, "{{ urgency }}", bold=True, size=20)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _cell(table.rows[0].cells[0], "ที่ {{ number }}")
    right = table.rows[0].cells[1]
    right.paragraphs[0].add_run("{%p for l in office_lines %}")
    right.add_paragraph("{{ l }}")
    right.add_paragraph("{%p endfor %}")
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(9), Cm(7)
    _p(doc, "{{ date }}", indent_left=SIGN_INDENT, space_before=Pt(6))
    _p(doc, ("เรื่อง", {"bold": True}), "  {{ subject }}", space_before=Pt(6))
    _p(doc, ("เรียน", {"bold": True}), "  {{ addressee }}", space_before=Pt(6))
    _p(doc, "{%p if reference %}")
    _p(doc, ("อ้างถึง", {"bold": True}), "  {{ reference }}", space_before=Pt(6))
    _p(doc, "{%p endif %}")
    _p(doc, "{%p for e in enclosures %}")
    _p(doc, ("{% if loop.first %}สิ่งที่ส่งมาด้วย{% endif %}", {"bold": True}),
       "  {% if enclosures|length > 1 %}{{ e.number }}. {% endif %}{{ e.text }} {{ e.qr }}",
       indent_left=Cm(0), space_before=Pt(6))
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p if qr %}")
    _p(doc, "หนังสือและสิ่งที่ส่งมาด้วยทั้งหมด {{ qr }}", align="right", size=14)
    _p(doc, "{%p endif %}")


def _letter_body(doc):
    _p(doc, "{%p for p in paragraphs %}")
    _p(doc, "{{ p }}", indent_first=BODY_INDENT, align="justify", space_before=Pt(6))
    _p(doc, "{%p endfor %}")
    _p(doc, "{{ closing }}", indent_first=BODY_INDENT, space_before=Pt(6))
    _p(doc, "ขอแสดงความนับถือ", indent_left=SIGN_INDENT, align="center", space_before=Pt(12))
    _p(doc, "")
    _p(doc, "")
    _p(doc, "{{ signer_name }}", indent_left=SIGN_INDENT, align="center")
    _lines(doc, "signer_lines", indent_left=SIGN_INDENT, align="center")
    _p(doc, "")
    _lines(doc, "contact_lines")


def build_letter():
    doc = _document()
    _letter_head(doc)
    _letter_body(doc)
    return doc


def build_invitation():
    return build_letter()


def build_memo():
    """บันทึกข้อความ (form 29): the emblem 1.5 cm high at the left with "บันทึกข้อความ" in bold 29 pt; ส่วนราชการ,
    ที่ / วันที่, เรื่อง in bold 20 pt; no rule under the head; no ขอแสดงความนับถือ."""
    doc = _document()
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _cell(table.rows[0].cells[0], "{{ emblem }}")
    title = _cell(table.rows[0].cells[1], "บันทึกข้อความ", bold=True)
    title.runs[0].font.size = Pt(29)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(3), Cm(13)
    _p(doc, ("ส่วนราชการ", {"bold": True, "size": 20}),
       "  {{ office_lines|join(' ') }} {{ contact_lines|join(' ') }}", space_before=Pt(6))
    _p(doc, ("ที่", {"bold": True, "size": 20}), "  {{ number }}\t", ("วันที่", {"bold": True, "size": 20}),
       "  {{ date }}")
    _p(doc, ("เรื่อง", {"bold": True, "size": 20}), "  {{ subject }}")
    _p(doc, ("เรียน", {"bold": True}), "  {{ addressee }}", space_before=Pt(6))
    _p(doc, "{%p if reference %}")
    _p(doc, ("อ้างถึง", {"bold": True}), "  {{ reference }}")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p for e in enclosures %}")
    _p(doc, ("{% if loop.first %}สิ่งที่ส่งมาด้วย{% endif %}", {"bold": True}),
       "  {% if enclosures|length > 1 %}{{ e.number }}. {% endif %}{{ e.text }}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p for p in paragraphs %}")
    _p(doc, "{{ p }}", indent_first=BODY_INDENT, align="justify", space_before=Pt(6))
    _p(doc, "{%p endfor %}")
    _p(doc, "{{ closing }}", indent_first=BODY_INDENT, space_before=Pt(6))
    _p(doc, "")
    _p(doc, "")
    _p(doc, "{{ signer_name }}", indent_left=SIGN_INDENT, align="center")
    _lines(doc, "signer_lines", indent_left=SIGN_INDENT, align="center")
    return doc


def build_distribution():
    doc = _document()
    _p(doc, "บัญชีส่งหนังสือ ที่ {{ number }}{% if date %} ลงวันที่ {{ date }}{% endif %}", align="center", bold=True)
    _p(doc, ("เรื่อง", {"bold": True}), "  {{ subject }}", space_before=Pt(6))
    _p(doc, "")
    _loop_table(doc, "r in recipients", ["{{ r.number }}", "{{ r.name }}", "{{ r.address }}"],
                header=["ลำดับ", "ผู้รับ", "ที่อยู่ / หน่วยงาน"], widths=[Cm(1.5), Cm(8), Cm(6.5)])
    return doc


def _meeting_head(doc):
    for text in ("{{ heading }}", "{{ title }}"):
        _p(doc, text, align="center", bold=True)
    _p(doc, "{%p if meeting_number %}")
    _p(doc, "{{ meeting_number }}", align="center", bold=True)
    _p(doc, "{%p endif %}")
    _p(doc, "{{ meeting_when }}", align="center", bold=True)
    _p(doc, "ณ {{ meeting_place }}", align="center", bold=True)
    _p(doc, "*****", align="center")


def build_agenda():
    doc = _document()
    _meeting_head(doc)
    _p(doc, "{%p for s in sections %}")
    _p(doc, "ระเบียบวาระที่ {{ s.number }}\t{{ s.title }}", bold=True, space_before=Pt(10))
    _p(doc, "{%p if s.note %}")
    _p(doc, "{{ s.note }}", indent_left=BODY_INDENT)
    _p(doc, "{%p endif %}")
    _p(doc, "{%p if not s.topics and not s.note %}")
    _p(doc, "- ไม่มี -", align="center")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p for i in s.topics %}")
    _p(doc, "{{ i.number }} {{ i.title }}{% if i.presenter %} (ผู้เสนอ: {{ i.presenter }}){% endif %}",
       indent_left=BODY_INDENT)
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endfor %}")
    return doc


def _people(doc, title: str, name: str, cells: list[str], widths):
    _p(doc, "{%p if " + name + " %}")
    _p(doc, title, bold=True, space_before=Pt(6))
    _loop_table(doc, "r in " + name, cells, widths=widths, borders=False)
    _p(doc, "{%p endif %}")


def build_minutes():
    doc = _document()
    _meeting_head(doc)
    _people(doc, "ผู้มาประชุม", "present", ["{{ r.number }}.", "{{ r.name }}", "{{ r.position }}", "{{ r.role }}"],
            [Cm(1), Cm(5.5), Cm(5.5), Cm(4)])
    _people(doc, "ผู้ไม่มาประชุม", "absent",
            ["{{ r.number }}.", "{{ r.name }}", "{{ r.position }}", "{{ r.reason }}"], [Cm(1), Cm(5.5), Cm(5.5), Cm(4)])
    _people(doc, "ผู้เข้าร่วมประชุม", "attendees", ["{{ r.number }}.", "{{ r.name }}", "{{ r.position }}"],
            [Cm(1), Cm(6), Cm(9)])
    _p(doc, "{%p if started %}")
    _p(doc, "เริ่มประชุมเวลา {{ started }}", bold=True, space_before=Pt(8))
    _p(doc, "{%p endif %}")
    _p(doc, "{%p for s in sections %}")
    _p(doc, "ระเบียบวาระที่ {{ s.number }}\t{{ s.title }}", bold=True, space_before=Pt(10))
    _p(doc, "{%p if s.empty %}")
    _p(doc, "- ไม่มี -", align="center")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p for i in s.topics %}")
    _p(doc, "{%p if i.number or i.title %}")
    _p(doc, "{{ i.number }} {{ i.title }}", bold=True, space_before=Pt(6), align="justify")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p for p in i.paragraphs %}")
    _p(doc, "{{ p }}", indent_first=BODY_INDENT, align="justify")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p for a in i.attachments %}")
    _p(doc, "{{ a.qr }} สิ่งที่แนบ: {{ a.name }}", space_before=Pt(4))
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p if i.resolution %}")
    _p(doc, ("มติที่ประชุม", {"bold": True}), "\t{{ i.resolution }}", space_before=Pt(6))
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p if ended %}")
    _p(doc, "เลิกประชุมเวลา {{ ended }}", bold=True, space_before=Pt(8))
    _p(doc, "{%p endif %}")
    for lines, role in (("taker_lines", "ผู้จัดรายงานการประชุม"), ("checker_lines", "ผู้ตรวจรายงานการประชุม")):
        _p(doc, "{%p if " + lines + " %}")
        _p(doc, "")
        _p(doc, "")
        _lines(doc, lines, indent_left=SIGN_INDENT, align="center")
        _p(doc, role, indent_left=SIGN_INDENT, align="center")
        _p(doc, "{%p endif %}")
    return doc


BUILDERS = {"letter": build_letter, "memo": build_memo, "distribution": build_distribution, "invitation": build_invitation,
            "agenda": build_agenda, "minutes": build_minutes}


def build(kind: str) -> bytes:
    out = io.BytesIO()
    BUILDERS[kind]().save(out)
    return thai_fonts(out.getvalue(), font=DEFAULT_FONT)


def write_all(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in BUILDERS:
        path = out_dir / f"{kind}.docx"
        path.write_bytes(build(kind))
        paths.append(path)
    return paths


if __name__ == "__main__":  # pragma: no cover
    for p in write_all():
        print(p)
