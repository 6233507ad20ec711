"""The Garuda emblem (ตราครุฑ) of a province's letters: checking an upload, and handing it to the PDF and DOCX
engines.

Sizes (ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ, forms 28 and 29, and the government's typing guide): 3 cm high on
an external letter (หนังสือภายนอก), 1.5 cm on a memo (บันทึกข้อความ), about 1.5 cm from the top edge.
"""

from __future__ import annotations

import base64
import struct

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from itadesk.documents import pdf

MAX_BYTES = 2 * 1024 * 1024
MIN_PIXELS = 120  # 3 cm at about 100 dpi: a smaller image prints blurred
MAX_PIXELS = 6000
LETTER_HEIGHT_CM = 3.0
MEMO_HEIGHT_CM = 1.5
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"


def _png_size(content: bytes) -> tuple[int, int]:
    if len(content) < 33 or content[12:16] != b"IHDR":
        raise ValidationError(_("%(name)s is not a readable PNG image."))
    return struct.unpack(">II", content[16:24])


def _svg_check(content: bytes) -> None:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise ValidationError(_("%(name)s is not a readable SVG image: ") + str(exc)) from exc
    if root.tag not in (f"{{{SVG_NS}}}svg", "svg"):
        raise ValidationError(_("%(name)s is not an SVG image (its root element is not <svg>)."))
    for element in root.iter():
        tag = element.tag.split("}")[-1] if isinstance(element.tag, str) else ""
        if tag in ("script", "foreignObject"):
            raise ValidationError(_("%(name)s contains <%(tag)s>: upload a plain drawing.") % {"name": "%(name)s",
                                                                                               "tag": tag})
        for attr, value in element.attrib.items():
            if attr.split("}")[-1].startswith("on"):
                raise ValidationError(_("%(name)s contains a script attribute: upload a plain drawing."))
            if attr.split("}")[-1] == "href" and not value.startswith(("#", "data:image/")):
                raise ValidationError(_("%(name)s refers to another file (%(href)s): upload a self-contained image.")
                                      % {"name": "%(name)s", "href": value[:80]})


def check(name: str, content: bytes) -> tuple[str, int, int]:
    """(content type, width px, height px) of an emblem upload, or a ValidationError naming the file and the
    fault. PNG: at least 120 pixels high; SVG: a self-contained drawing (no script, no links to other files).
    Either must be one the document engine can draw."""
    label = name or "?"
    try:
        if not content:
            raise ValidationError(_("%(name)s is empty."))
        if len(content) > MAX_BYTES:
            raise ValidationError(_("%(name)s is larger than 2 MB."))
        lower = label.lower()
        if content.startswith(PNG_MAGIC):
            if not lower.endswith(".png"):
                raise ValidationError(_("%(name)s is a PNG image: its name should end in .png."))
            width, height = _png_size(content)
            if not (MIN_PIXELS <= height <= MAX_PIXELS and MIN_PIXELS // 2 <= width <= MAX_PIXELS):
                raise ValidationError(_("%(name)s is %(w)s × %(h)s pixels: the emblem needs 120 to 6,000 pixels "
                                        "of height to print sharply at 3 cm.") % {"name": "%(name)s", "w": width,
                                                                                  "h": height})
            kind = "image/png"
        elif lower.endswith(".svg"):
            _svg_check(content)
            kind, width, height = "image/svg+xml", 0, 0
        else:
            raise ValidationError(_("%(name)s is not a PNG or SVG image."))
        _check_draws(kind, content, width, height)
    except ValidationError as exc:
        raise ValidationError(" ".join(m % {"name": label} if "%(name)s" in m else m for m in exc.messages)) from exc
    return kind, width, height


def svg_of(content_type: str, content: bytes, width: int = 0, height: int = 0) -> str:
    """The emblem as SVG text for Typst (a PNG is wrapped, unchanged, as an embedded image)."""
    content = bytes(content)
    if content_type == "image/svg+xml":
        return content.decode("utf-8")
    data = base64.b64encode(content).decode("ascii")
    return (f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><image width="{width}" height="{height}" '
            f'xlink:href="data:image/png;base64,{data}"/></svg>')


def _check_draws(kind: str, content: bytes, width: int, height: int) -> None:
    try:
        png_of(kind, content, width, height)
    except pdf.PdfError as exc:
        raise ValidationError(_("%(name)s cannot be drawn: ") + str(exc)) from exc


def png_of(content_type: str, content: bytes, width: int = 0, height: int = 0, *, height_cm: float = 3.0) -> bytes:
    """A PNG of the emblem for Word (python-docx places PNG, not SVG): the upload itself, or the SVG drawn at
    600 dpi by the PDF engine."""
    if content_type == "image/png":
        return bytes(content)
    return pdf.render_png("emblem.typ", {"emblem_svg": svg_of(content_type, content), "height_cm": height_cm}, ppi=600)


def for_documents(province) -> dict:
    """What the letter and memo layouts need: ``emblem_svg`` (Typst) and ``emblem_png`` (DOCX); empty strings
    while the province has no emblem."""
    emblem = getattr(province, "emblem", None) if province is not None else None
    if emblem is None:
        return {"emblem_svg": "", "emblem_png": b""}
    return {"emblem_svg": svg_of(emblem.content_type, emblem.content, emblem.width, emblem.height),
            "emblem_png": png_of(emblem.content_type, emblem.content, emblem.width, emblem.height)}
