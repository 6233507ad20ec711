"""The monitoring report as a Word document: the DOCX template (``itadesk/reports/docx/monitoring.docx``,
filled by the documents app's renderer) with the report's sections, tables, cover letter and charts put in place
of its ``{{ body }}`` paragraph as WordprocessingML, every run declaring the Thai font and sizes.

It prints the layout ``render._printable`` made (the same one the PDF prints), so both say the same thing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from itadesk.documents import pdf as typst
from itadesk.documents.docx import docx_font, render_docx
from itadesk.documents.emblem import png_of

DOCX_TEMPLATE = Path(__file__).resolve().parent / "docx" / "monitoring.docx"
THAI_FONT = "TH Sarabun New"
BODY_HALF_POINTS = 32  # 16 pt
TABLE_HALF_POINTS = 28  # 14 pt


def _thai_rpr(rpr, half_points: int) -> None:
    """Run properties in the Thai font for every script (w:ascii, w:hAnsi, w:cs, w:eastAsia) and its size for
    Latin and complex script (w:sz, w:szCs), set on the element whether or not it had them."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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
        el.set(qn("w:val"), str(half_points))


def _set_font(run, half_points: int, bold: bool = False) -> None:
    """The Thai font and size of one run, bold if asked, with the Thai language for line breaking."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = run._r.get_or_add_rPr()
    if bold:
        for tag in ("w:b", "w:bCs"):
            rpr.append(OxmlElement(tag))
    _thai_rpr(rpr, half_points)
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
        if isinstance(values, dict):  # a group's heading across the table (the milestone of late agencies)
            out.append(f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{sum(cols)}" w:type="dxa"/><w:gridSpan w:val="{len(cols)}"/>'
                       '<w:shd w:val="clear" w:color="auto" w:fill="EBEBEB"/></w:tcPr>'
                       f'{_p_xml(values["group"], font, TABLE_HALF_POINTS, True, after=0)}</w:tc></w:tr>')
            continue
        out.append("<w:tr>" + ('<w:trPr><w:tblHeader/></w:trPr>' if header else ""))
        for width, value in zip(cols, values, strict=True):
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                       f'{_p_xml(value, font, TABLE_HALF_POINTS, header, after=0)}</w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
EMU_PER_CM = 360000


def _image_xml(index: int, width_cm: float, height_cm: float) -> str:
    """An inline picture (relationship ``rIdReportImage{index}``) in its own run."""
    cx, cy = int(width_cm * EMU_PER_CM), int(height_cm * EMU_PER_CM)
    return (f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{900 + index}" name="report image {index}"/><a:graphic><a:graphicData '
            'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
            f'<pic:cNvPr id="{900 + index}" name="image{index}.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
            f'<a:blip r:embed="rIdReportImage{index}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect">'
            '<a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


def _png_size(png: bytes) -> tuple[int, int]:
    import struct

    return struct.unpack(">II", png[16:24])


def _sections_xml(sections: list[dict], font: str) -> list[str]:
    parts = []
    for s in sections:
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
            parts.extend(_p_xml(n, font, TABLE_HALF_POINTS) for n in t.get("notes", []))
            parts.append(_p_xml("", font, TABLE_HALF_POINTS, after=0))
    return parts


def _body_xml(printable: dict, font: str, images: list[bytes]) -> str:
    """The report's executive summary (with its charts as pictures: ``images`` gets their PNGs), sections,
    tables and annex as WordprocessingML."""
    parts = [_p_xml("บทสรุปผู้บริหาร", font, bold=True)]
    parts.extend(_p_xml("• " + line, font) for line in printable["summary"])
    for chart in printable["charts"]:
        png = typst.render_png("monitoring-chart.typ", chart, ppi=200)
        images.append(png)
        w, h = _png_size(png)
        parts.append(f'<w:p><w:pPr><w:spacing w:after="120"/></w:pPr>{_image_xml(len(images), 16, 16 * h / w)}</w:p>')
    parts.extend(_sections_xml(printable["sections"], font))
    parts.append(_p_xml("หมายเหตุ", font, TABLE_HALF_POINTS, bold=True))
    parts.extend(_p_xml(line, font, TABLE_HALF_POINTS) for line in printable["as_now"])
    if printable["annex"]:
        parts.append(PAGE_BREAK)
        parts.append(f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{_run_xml("ภาคผนวก", font, 36, True)}</w:p>')
        parts.extend(_sections_xml(printable["annex"], font))
    return "".join(parts)


def _cover_xml(cover: dict, font: str, images: list[bytes]) -> str:
    """The covering memo (บันทึกข้อความ, form 29) as WordprocessingML, then a page break."""
    head = ""
    if cover["emblem_svg"]:
        png = png_of("image/svg+xml", cover["emblem_svg"].encode("utf-8"), height_cm=1.5)
        images.append(png)
        w, h = _png_size(png)
        head = _image_xml(len(images), 1.5 * w / h, 1.5) + '<w:r><w:tab/></w:r>'
    label = lambda text: _run_xml(text, font, 40, True)  # noqa: E731  (20 pt)
    value = lambda text: _run_xml("  " + text, font, BODY_HALF_POINTS, False)  # noqa: E731
    para = lambda inner, after=60, extra="": f'<w:p><w:pPr><w:spacing w:after="{after}"/>{extra}</w:pPr>{inner}</w:p>'  # noqa: E731
    indent = '<w:ind w:firstLine="1418"/><w:jc w:val="thaiDistribute"/>'
    out = [para(head + _run_xml("บันทึกข้อความ", font, 58, True), 120, '<w:tabs><w:tab w:val="left" w:pos="3000"/></w:tabs>'),
           para(label("ส่วนราชการ") + value(" ".join(cover["office_lines"] + cover["contact_lines"]))),
           para(label("ที่") + value(cover["number"]) + '<w:r><w:tab/></w:r>' + label("วันที่") + value(cover["date"]),
                extra='<w:tabs><w:tab w:val="left" w:pos="4500"/></w:tabs>'),
           para(label("เรื่อง") + value(cover["subject"]), 160),
           para(_run_xml("เรียน", font, BODY_HALF_POINTS, True) + value(cover["addressee"]), 120)]
    out.extend(para(_run_xml(p, font, BODY_HALF_POINTS, False), 80, indent) for p in cover["paragraphs"])
    out.append(para(_run_xml(cover["closing"], font, BODY_HALF_POINTS, False), 480, '<w:ind w:firstLine="1418"/>'))
    for line in [cover["signer_name"], *cover["signer_lines"]]:
        out.append(para(_run_xml(line, font, BODY_HALF_POINTS, False), 0, '<w:ind w:left="4253"/><w:jc w:val="center"/>'))
    out.append(PAGE_BREAK)
    return "".join(out)


BODY_MARKER = "[[body]]"


def _put_body(package: bytes, body_xml: str, cover_xml: str = "", images: list[bytes] | None = None) -> bytes:
    """The package with the paragraph holding ``BODY_MARKER`` replaced by ``body_xml`` (at the end of the
    body when a restyled template lost the field). Done on the text of word/document.xml: moving a large
    parsed table into python-docx's tree costs time that grows with the square of its size."""

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
    if cover_xml:
        at = xml.find(">", xml.find("<w:body")) + 1
        xml = xml[:at] + cover_xml + xml[at:]
    for prefix, uri in (("wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
                        ("a", "http://schemas.openxmlformats.org/drawingml/2006/main"),
                        ("pic", "http://schemas.openxmlformats.org/drawingml/2006/picture"),
                        ("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships")):
        if f"xmlns:{prefix}=" not in xml[:xml.find(">", xml.find("<w:document"))]:
            xml = xml.replace("<w:document ", f'<w:document xmlns:{prefix}="{uri}" ', 1)
    etree.fromstring(xml.encode())  # well-formed, or fail here rather than in Word
    images = images or []
    rels = source.read("word/_rels/document.xml.rels").decode("utf-8")
    types = source.read("[Content_Types].xml").decode("utf-8")
    if images:
        image_type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
        rels = rels.replace("</Relationships>", "".join(
            f'<Relationship Id="rIdReportImage{i}" Type="{image_type}" Target="media/report{i}.png"/>'
            for i in range(1, len(images) + 1)) + "</Relationships>")
        if 'Extension="png"' not in types:
            types = types.replace("</Types>", '<Default Extension="png" ContentType="image/png"/></Types>')
    out = io.BytesIO()
    replaced = {"word/document.xml": xml.encode(), "word/_rels/document.xml.rels": rels.encode(),
                "[Content_Types].xml": types.encode()}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = replaced.get(info.filename) or source.read(info.filename)
            target.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
        for i, png in enumerate(images, start=1):
            target.writestr(f"word/media/report{i}.png", png)
    return out.getvalue()


def monitoring(printable: dict) -> bytes:
    """The template filled by the documents app's renderer (it declares the Thai font, w:cs and w:szCs, on
    every run and style), then the sections and tables put in place of its ``{{ body }}`` paragraph, their
    runs declaring the same font and sizes."""
    context = {k: printable[k] for k in ("title", "heading", "office", "meeting", "cut_off", "footer")}
    context["body"] = BODY_MARKER
    package = render_docx(DOCX_TEMPLATE, context, name="monitoring.docx")
    font, images = docx_font(), []
    cover = _cover_xml(printable["cover"], font, images)
    body = _body_xml(printable, font, images)
    return _put_body(package, body, cover, images)


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
    _thai_rpr(style.element.get_or_add_rPr(), BODY_HALF_POINTS)
