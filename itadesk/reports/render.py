"""The monitoring report's data (``build.monitoring``) as documents: PDF (Typst, official Thai style), DOCX
(docxtpl template ``itadesk/reports/docx/monitoring.docx``) and the XLSX annex (one sheet per table).

``tables(data)`` lays the report out once (sections, captions, Thai headers, rows of plain values); the
three formats print that layout, so they always say the same thing. In Thai whatever the UI language.
"""

from __future__ import annotations

import io
from pathlib import Path

from itadesk.core.tabular import append_text_safe
from itadesk.core.thai import thai_digits

DOCX_TEMPLATE = Path(__file__).resolve().parent / "docx" / "monitoring.docx"
THAI_FONT = "TH Sarabun New"
BODY_HALF_POINTS = 32  # 16 pt
TABLE_HALF_POINTS = 28  # 14 pt


def _count(n) -> str:
    return "—" if n is None else f"{n:,}"


def _office_name(data) -> str:
    if data["office"]:
        return data["office"]["name"]
    return "ภาพรวมจังหวัด{} (ฝ่ายเลขานุการคณะกรรมการ)".format(data["province"]["name"])


def tables(data: dict) -> list[dict]:
    """[{heading, note, tables: [{key, caption, headers, widths, rows, empty}]}] — values as numbers or text."""
    sections = []
    ms = data["milestones"]
    if data["kind"] == "province" and data.get("offices") is not None:
        headers = ["หน่วยงานกำกับติดตาม", "หน่วยงาน"]
        headers += ["ล่าช้า {}".format(m["name"]) for m in ms]
        headers += ["OIT ผ่าน", "OIT ส่งกลับ", "OIT รอตรวจ", "ต่ำกว่าขั้นต่ำ", "ข้อสั่งการค้าง", "ปัญหาอุปสรรค"]
        rows = [[o["name"], o["agencies"], *[c["late"] for c in o["milestones"]], o["oit_approved"],
                 o["oit_returned"], o["oit_submitted"], o["below_minimum"], o["action_items"], o["problems"]]
                for o in data["offices"]]
        rows.append(["รวมทั้งจังหวัด", data["agencies"], *[m["late_count"] for m in ms],
                     data["oit"]["totals"]["approved"], data["oit"]["totals"]["returned"],
                     data["oit"]["totals"]["submitted"], len({b["id"] for b in data["responses"]["below"]}),
                     len(data["action_items"]), len(data["problems"])])
        if "mismatches" in data:
            headers.append("ไม่ตรงกับ ITAS")
            for row, o in zip(rows, data["offices"], strict=False):
                row.append(o.get("mismatches", 0))
            rows[-1].append(len(data["mismatches"]))
        sections.append({"heading": "ภาพรวมรายหน่วยงานกำกับติดตาม", "note": "", "tables": [{
            "key": "offices", "caption": "", "headers": headers, "widths": [0] + [1.3] * (len(headers) - 1),
            "rows": rows, "empty": "—"}]})
    status_headers = ["ยังไม่เริ่ม", "กำลังดำเนินการ", "ดำเนินการแล้ว", "อนุมัติแล้ว"]
    prog_rows = [[m["name"], m["deadline_th"], m["total"], m["counts"]["not_started"], m["counts"]["in_progress"],
                  m["counts"]["done"], m["counts"]["approved"], m["late_count"]] for m in ms]
    late_rows = [[m["name"], a["name"], a["district"], a["status"]] for m in ms for a in m["late"]]
    sections.append({"heading": "๑. ความคืบหน้าตามขั้นตอนการประเมิน", "note": "", "tables": [
        {"key": "progress", "caption": "", "headers": ["ขั้นตอน", "กำหนดส่ง", "หน่วยงาน", *status_headers, "ล่าช้า"],
         "widths": [0, 3.2, 1.4, 1.5, 1.7, 1.7, 1.5, 1.2], "rows": prog_rows, "empty": "ไม่มีขั้นตอน"},
        {"key": "late", "caption": "หน่วยงานที่ล่าช้า", "headers": ["ขั้นตอน", "หน่วยงาน", "อำเภอ", "สถานะ"],
         "widths": [3.5, 0, 3, 3], "rows": late_rows, "empty": "ไม่มีหน่วยงานที่ล่าช้า"},
    ]})
    oit = data["oit"]
    t = oit["totals"]
    oit_rows = [[r["name"], r["approved"], r["returned"], r["submitted"], r["not_submitted"], r["findings"]]
                for r in oit["rows"]]
    if oit_rows:
        oit_rows.append(["รวม", t["approved"], t["returned"], t["submitted"], t["not_submitted"], t["findings"]])
    sections.append({"heading": "๒. การตรวจสอบข้อมูลหลักฐาน OIT เบื้องต้น",
                     "note": "จำนวนข้อตามเกณฑ์ {} ข้อต่อหน่วยงาน".format(_count(oit["items"])), "tables": [
        {"key": "oit", "caption": "", "headers": ["หน่วยงาน", "ผ่านการตรวจ", "ส่งกลับแก้ไข", "รอตรวจ",
                                                  "ยังไม่ส่งตรวจ", "ข้อสังเกตที่ยังไม่แก้ไข"],
         "widths": [0, 1.8, 1.8, 1.5, 1.8, 2.2], "rows": oit_rows, "empty": "ไม่มีข้อมูล"}]})
    resp = data["responses"]
    summary_rows = [[i["code"], resp["totals"][i["code"]]["count"], resp["totals"][i["code"]]["minimum"],
                     resp["totals"][i["code"]]["below"], resp["totals"][i["code"]]["gap"]] for i in resp["instruments"]]
    below_rows = [[b["name"], b["instrument"], b["count"], b["minimum"], b["gap"]] for b in resp["below"]]
    sections.append({"heading": "๓. การเก็บข้อมูลแบบวัด IIT และ EIT เทียบกับจำนวนขั้นต่ำ",
                     "note": "จำนวนผู้ตอบ ณ วันที่ {}".format(resp["day_th"]), "tables": [
        {"key": "responses", "caption": "", "headers": ["แบบวัด", "ผู้ตอบรวม", "ขั้นต่ำรวม",
                                                        "หน่วยงานที่ต่ำกว่าขั้นต่ำ", "ขาดอีกรวม"],
         "widths": [0, 2.5, 2.5, 3.5, 2.5], "rows": summary_rows, "empty": "ไม่มีแบบวัด"},
        {"key": "below", "caption": "หน่วยงานที่มีผู้ตอบต่ำกว่าจำนวนขั้นต่ำ",
         "headers": ["หน่วยงาน", "แบบวัด", "ตอบแล้ว", "ขั้นต่ำ", "ขาดอีก"],
         "widths": [0, 1.6, 1.8, 1.8, 1.8], "rows": below_rows, "empty": "ไม่มีหน่วยงานที่ต่ำกว่าขั้นต่ำ"},
    ]})
    if "mismatches" in data:  # reports issued before this table existed do not have it
        mismatch_rows = [[m["name"], m["milestone_name"], m["here"], m["declared"], m["kind_th"]] for m in data["mismatches"]]
        sections[-1]["tables"].append(
            {"key": "mismatches", "caption": "ข้อมูลใน ITA Desk ไม่ตรงกับที่หน่วยงานแจ้งเกี่ยวกับระบบ ITAS",
             "headers": ["หน่วยงาน", "ขั้นตอน", "ใน ITA Desk", "หน่วยงานแจ้ง", "ข้อที่ไม่ตรงกัน"],
             "widths": [0, 1.6, 3, 3, 3.5], "rows": mismatch_rows, "empty": "ไม่มีข้อมูลที่ไม่ตรงกัน"})
    action_rows = [[a.get("title", ""), a.get("meeting", ""), a.get("due_date_th", ""), a.get("status_label", ""),
                    "{}/{}".format(a.get("targets_done", 0), a.get("targets_total", 0)),
                    ", ".join(a.get("pending_agencies") or [])] for a in data["action_items"]]
    note = "" if data["committee_sections"].get("action_items") else "ยังไม่มีข้อมูลข้อสั่งการในระบบ"
    sections.append({"heading": "๔. ข้อสั่งการของคณะกรรมการที่ยังดำเนินการไม่แล้วเสร็จ", "note": note, "tables": [
        {"key": "action_items", "caption": "", "headers": ["เรื่อง", "การประชุม", "กำหนด", "สถานะ",
                                                           "ดำเนินการแล้ว", "หน่วยงานที่ยังไม่ดำเนินการ"],
         "widths": [0, 2.5, 2, 1.8, 1.6, 3.5], "rows": action_rows, "empty": "ไม่มีข้อสั่งการที่ค้างอยู่"}]})
    problem_rows = [[p.get("title", ""), ", ".join(p.get("agencies") or []), p.get("since_th", ""),
                     p.get("action_taken", ""), p.get("request_to_committee", "")] for p in data["problems"]]
    note = "" if data["committee_sections"].get("problems") else "ยังไม่มีข้อมูลปัญหาและอุปสรรคในระบบ"
    sections.append({"heading": "๕. ปัญหาและอุปสรรค", "note": note, "tables": [
        {"key": "problems", "caption": "", "headers": ["ปัญหา", "หน่วยงาน", "ตั้งแต่", "การดำเนินการ",
                                                       "ข้อเสนอต่อคณะกรรมการ"],
         "widths": [0, 3, 2, 3, 3], "rows": problem_rows, "empty": "ไม่มีปัญหาและอุปสรรค"}]})
    risk = data["at_risk"]
    risk_rows = [[r["name"], r["score"] if r["score"] is not None else "—", r["level"], "; ".join(r["reasons"])]
                 for r in risk["rows"]]
    sections.append({"heading": "๖. หน่วยงานที่มีความเสี่ยง (ผลคะแนนปีงบประมาณ พ.ศ. {})".format(thai_digits(risk["fiscal_year"])),
                     "note": "", "tables": [
        {"key": "at_risk", "caption": "", "headers": ["หน่วยงาน", "คะแนน", "ระดับ", "เหตุผล"],
         "widths": [0, 1.6, 2.2, 5.5], "rows": risk_rows, "empty": "ไม่มีหน่วยงานที่มีความเสี่ยง"}]})
    return sections


def summary_lines(data: dict) -> list[str]:
    lines = ["คำเตือน: " + w for w in data.get("warnings", [])]
    lines.append("หน่วยงานในความรับผิดชอบ {} แห่ง".format(_count(data["agencies"])))
    for m in data["milestones"]:
        lines.append("{}: ดำเนินการแล้ว {} จาก {} แห่ง (ร้อยละ {}) ล่าช้า {} แห่ง".format(
            m["name"], _count(m["done"]), _count(m["total"]), m["percent"], _count(m["late_count"])))
    return lines


def _cell_th(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return thai_digits(f"{value:,.2f}")
    if isinstance(value, int) and not isinstance(value, bool):
        return thai_digits(f"{value:,}")
    return thai_digits(str(value))


def _printable(data: dict) -> dict:
    """The layout with every cell as Thai text (Thai digits), shared by the PDF and the DOCX."""
    sections = []
    for s in tables(data):
        sections.append({"heading": s["heading"], "note": thai_digits(s["note"]), "tables": [
            {**t, "headers": t["headers"], "rows": [[_cell_th(c) for c in row] for row in t["rows"]]}
            for t in s["tables"]]})
    meeting = data.get("meeting")
    meeting_line = ""
    if meeting:
        meeting_line = "เสนอต่อที่ประชุม{} {} วันที่ {}".format(
            meeting.get("title") or "คณะกรรมการ", meeting.get("number_th") or "", meeting.get("date_th") or "")
    return {
        "title": data["title"],
        "heading": "รายงานผลการกำกับติดตามการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
                   "ประจำปีงบประมาณ พ.ศ. {}".format(data["round"]["fiscal_year_th"]),
        "office": _office_name(data),
        "meeting": " ".join(meeting_line.split()),
        "cut_off": "ข้อมูล ณ วันที่ {}".format(data["cut_off_th"]),
        "summary": [thai_digits(line) for line in summary_lines(data)],
        "sections": sections,
        "as_now": ["ข้อมูลต่อไปนี้เป็นข้อมูล ณ เวลาที่จัดทำรายงาน ไม่ใช่ ณ วันที่ตัดข้อมูล: " + ", ".join(data["as_now"])],
        "footer": "จัดทำโดยระบบ ITA Desk",
    }


def pdf(data: dict) -> bytes:
    from itadesk.documents.pdf import render

    return render("monitoring.typ", _printable(data))


# -------------------------------------------------------------------------------------------- DOCX

def _set_font(run, half_points: int, bold: bool = False) -> None:
    """The Thai font for every script (w:ascii, w:hAnsi, w:cs) and its size for complex script (w:szCs)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = run._r.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), THAI_FONT)
    if bold:
        for tag in ("w:b", "w:bCs"):
            rpr.append(OxmlElement(tag))
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(half_points))
        rpr.append(el)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:bidi"), "th-TH")
    rpr.append(lang)


def _para(container, text: str, *, half_points=BODY_HALF_POINTS, bold=False, align=None):
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    _set_font(p.add_run(text), half_points, bold)
    return p


# The body is written as WordprocessingML text and parsed once: building thousands of table cells through
# python-docx's objects takes seconds per hundred rows.
TEXT_WIDTH_TWIPS = 9071  # A4 (21 cm) less 3 cm and 2 cm margins


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    clean = "".join(ch for ch in str(text) if ch in "\t\n\r" or ord(ch) >= 0x20)
    return escape(clean)


def _run_xml(text: str, font: str, half_points: int, bold: bool) -> str:
    b = "<w:b/><w:bCs/>" if bold else ""
    return (f'<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>{b}'
            f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/><w:lang w:bidi="th-TH"/></w:rPr>'
            f'<w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r>')


def _p_xml(text: str, font: str, half_points: int = BODY_HALF_POINTS, bold: bool = False, after: int = 80) -> str:
    return f'<w:p><w:pPr><w:spacing w:after="{after}"/></w:pPr>{_run_xml(text, font, half_points, bold)}</w:p>'


def _table_xml(headers, rows, widths, font: str) -> str:
    fixed = sum(w for w in widths if w)
    flexible = max(1, sum(1 for w in widths if not w))
    cm = TEXT_WIDTH_TWIPS / 16.0
    rest = max(cm * 2, (TEXT_WIDTH_TWIPS - fixed * cm) / flexible)
    cols = [int(w * cm) if w else int(rest) for w in widths]
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}</w:tblBorders>'
           '<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>',
           "".join(f'<w:gridCol w:w="{c}"/>' for c in cols), "</w:tblGrid>"]
    for i, values in enumerate([headers, *rows]):
        header = i == 0
        out.append("<w:tr>" + ('<w:trPr><w:tblHeader/></w:trPr>' if header else ""))
        for width, value in zip(cols, values, strict=True):
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                       f'{_p_xml(value, font, TABLE_HALF_POINTS, header, after=0)}</w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _body_xml(printable: dict, font: str) -> str:
    """The report's sections and tables as WordprocessingML paragraphs and tables."""
    parts = [_p_xml(line, font) for line in printable["summary"]]
    for s in printable["sections"]:
        parts.append(_p_xml(s["heading"], font, bold=True))
        if s["note"]:
            parts.append(_p_xml(s["note"], font, TABLE_HALF_POINTS))
        for t in s["tables"]:
            if t["caption"]:
                parts.append(_p_xml(t["caption"], font, TABLE_HALF_POINTS, bold=True))
            if not t["rows"]:
                parts.append(_p_xml(t["empty"], font, TABLE_HALF_POINTS))
                continue
            parts.append(_table_xml(t["headers"], t["rows"], t["widths"], font))
            parts.append(_p_xml("", font, TABLE_HALF_POINTS, after=0))
    parts.append(_p_xml("หมายเหตุ", font, TABLE_HALF_POINTS, bold=True))
    parts.extend(_p_xml(line, font, TABLE_HALF_POINTS) for line in printable["as_now"])
    return "".join(parts)


BODY_MARKER = "[[body]]"


def _put_body(package: bytes, body_xml: str) -> bytes:
    """The package with the paragraph holding ``BODY_MARKER`` replaced by ``body_xml`` (at the end of the
    body when a restyled template lost the field). Done on the text of word/document.xml: moving a large
    parsed table into python-docx's tree costs time that grows with the square of its size."""
    import zipfile

    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(package))
    xml = source.read("word/document.xml").decode("utf-8")
    at = xml.find(BODY_MARKER)
    if at >= 0:
        start = max(xml.rfind("<w:p>", 0, at), xml.rfind("<w:p ", 0, at))
        end = xml.find("</w:p>", at) + len("</w:p>")
    else:
        start = end = xml.rfind("<w:sectPr")
    xml = xml[:start] + body_xml + xml[end:]
    etree.fromstring(xml.encode())  # well-formed, or fail here rather than in Word
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = xml.encode() if info.filename == "word/document.xml" else source.read(info.filename)
            target.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def docx(data: dict) -> bytes:
    """The template filled by the documents app's renderer (it declares the Thai font, w:cs and w:szCs, on
    every run and style), then the sections and tables put in place of its ``{{ body }}`` paragraph, their
    runs declaring the same font and sizes."""
    from itadesk.documents.docx import docx_font, render_docx

    printable = _printable(data)
    context = {k: printable[k] for k in ("title", "heading", "office", "meeting", "cut_off", "footer")}
    context["body"] = BODY_MARKER
    package = render_docx(DOCX_TEMPLATE, context, name="monitoring.docx")
    return _put_body(package, _body_xml(printable, docx_font()))


def make_template(path: Path = DOCX_TEMPLATE) -> None:
    """Write the default DOCX template (the secretariat may edit it in Word: keep the ``{{ }}`` fields)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = doc.styles["Normal"]
    _set_font_style(style)
    _para(doc, "{{ heading }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, half_points=36)
    _para(doc, "{{ office }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "{{ meeting }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "{{ cut_off }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "{{ body }}")
    _para(doc, "{{ footer }}", half_points=TABLE_HALF_POINTS)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


def _set_font_style(style) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), THAI_FONT)
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(BODY_HALF_POINTS))


# -------------------------------------------------------------------------------------------- XLSX

def xlsx(data: dict) -> bytes:
    """The annex: one sheet per table, Thai headers, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    info = wb.create_sheet("รายงาน")
    for row in [["เรื่อง", data["title"]], ["หน่วยงานกำกับติดตาม", _office_name(data)],
                ["ข้อมูล ณ วันที่", data["cut_off_th"]], ["ข้อมูล ณ เวลา (ISO)", data["cut_off"]]]:
        append_text_safe(info, row)
    for line in data.get("warnings", []):
        append_text_safe(info, ["คำเตือน", line])
    for line in data["as_now"]:
        append_text_safe(info, ["ข้อมูล ณ เวลาที่จัดทำรายงาน", line])
    names = {"offices": "หน่วยงานกำกับติดตาม", "progress": "ความคืบหน้า", "late": "หน่วยงานที่ล่าช้า", "oit": "OIT",
             "responses": "IIT-EIT", "below": "ต่ำกว่าขั้นต่ำ",
             "mismatches": "ไม่ตรงกับ ITAS", "action_items": "ข้อสั่งการ", "problems": "ปัญหาอุปสรรค",
             "at_risk": "หน่วยงานที่มีความเสี่ยง"}
    for s in tables(data):
        for t in s["tables"]:
            ws = wb.create_sheet(names.get(t["key"], t["key"])[:31])
            ws.append(t["headers"])
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for row in t["rows"]:
                append_text_safe(ws, row)
            for i, header in enumerate(t["headers"], start=1):
                width = max([len(str(header))] + [len(str(r[i - 1])) for r in t["rows"][:200]])
                ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
            ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render(data: dict, fmt: str) -> bytes:
    return {"pdf": pdf, "docx": docx, "xlsx": xlsx}[fmt](data)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
