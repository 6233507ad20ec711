"""From fetched bytes to text the rules can read. Lexbor (``selectolax``) parses HTML, poppler's
``pdftotext`` reads PDF. No Django.

* **Decoding** (HTML and plain text): a byte-order mark; else the charset of the HTTP
  ``Content-Type``; else ``<meta charset>`` / ``<meta http-equiv="Content-Type">`` / the XML
  declaration; else strict UTF-8; else Windows-874 (``cp874``, a superset of TIS-620). Thai pages
  served without any charset, or with a wrong Western one (Apache's old default ISO-8859-1 on a
  TIS-620 page), come out as Thai.
* **HTML**: the visible text (no script, style, template, form options), the title, image ``alt``
  texts, and the links (``a``, ``area``, ``iframe``, ``frame``, ``embed``, ``object``, ``img``: its text
  is the alt text), plus one ``Link`` with an empty URL and tag ``table`` per table. ``main_text``
  is the content part: inside ``<main>``/``<article>``/``role=main`` if the page has one, else the
  page without ``nav``, ``aside``, the page's own ``header``/``footer`` and blocks whose class or id
  says menu, navbar, sidebar, breadcrumb or footer (so that a site-wide menu item such as
  "โครงสร้างองค์กร" is not taken as the content of every page). Lexbor builds the tree as a browser
  does; one pass over it applies the rules of :class:`_TextParser`, the standard library's
  ``html.parser`` version (:func:`html_to_text_stdlib`, about twice as slow), which the tests hold it to.
* **PDF**: PDFium (``pypdfium2``) in the process, page by page up to a page limit and a time limit
  (``config.pdf_engine = "pdfium"``, the default); or ``pdftotext -layout -enc UTF-8 -l N - -`` in a
  subprocess (``"pdftotext"``, the reference: tests hold the two to the same findings on every test PDF;
  a subprocess costs ten times the CPU of reading a small PDF in-process). A PDF whose pages carry no text is a scan (its text cannot be read by the checker), and a
  text layer that is mostly private-use or control characters is "garbled" (fonts without a
  Unicode map: copying text from it gives nonsense too).
* **Other types** (images, Word/Excel/PowerPoint, archives, video): no text; ``format_name`` says what
  it is.

Text is normalised for Thai: NFC, zero-width characters removed, the private-use "shifted" Thai
marks of old fonts (U+F700–U+F71A) mapped back, and NIKHAHIT + SARA AA written as SARA AM.
"""

from __future__ import annotations

import codecs
import re

from .config import CheckerConfig
from .htmltext import _BOILER_CLASS, _TextParser, html_to_text, html_to_text_stdlib
from .pdftext import (
    MIN_PAGE_CHARS,
    PDFTOTEXT,
    _pdf_result,
    pdf_to_text,
    pdf_to_text_async,
    pdfium_text,
    pdftotext_text,
)
from .text import (
    _SPACES,
    Extracted,
    Link,
    _tidy,
    _tidy_reference,
    collapse_lines,
    normalise_thai,
)

__all__ = [
    "Extracted", "Link", "decode_text", "extract", "extract_async", "extract_bytes", "html_to_text",
    "normalise_thai", "pdf_to_text", "pdfium_text", "pdftotext_text", "sniff_kind",
]

# Names kept importable from here, where they lived before the split into text, htmltext and pdftext.
_REEXPORTED = (_BOILER_CLASS, _TextParser, html_to_text_stdlib, MIN_PAGE_CHARS, PDFTOTEXT, _pdf_result,
               _SPACES, _tidy_reference, collapse_lines)


# --- what kind of document ------------------------------------------------------------------------

_OFFICE_TYPES = {
    "application/msword": "Word (.doc)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.ms-excel": "Excel (.xls)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "application/vnd.ms-powerpoint": "PowerPoint (.ppt)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint (.pptx)",
    "application/vnd.oasis.opendocument.text": "OpenDocument text (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet (.ods)",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation (.odp)",
    "application/rtf": "Rich Text (.rtf)",
}
_OFFICE_EXTENSIONS = {
    ".doc": "Word (.doc)", ".docx": "Word (.docx)", ".xls": "Excel (.xls)", ".xlsx": "Excel (.xlsx)",
    ".ppt": "PowerPoint (.ppt)", ".pptx": "PowerPoint (.pptx)", ".odt": "OpenDocument text (.odt)",
    ".ods": "OpenDocument spreadsheet (.ods)", ".odp": "OpenDocument presentation (.odp)",
    ".rtf": "Rich Text (.rtf)",
}
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"), (b"BM", "BMP image"), (b"II*\x00", "TIFF image"), (b"MM\x00*", "TIFF image"),
)
_ARCHIVE_EXTENSIONS = {".zip": "ZIP archive", ".rar": "RAR archive", ".7z": "7-Zip archive"}


def _extension(url: str | None, disposition: str | None) -> str:
    name = ""
    if disposition:
        m = re.search(r"""filename\*?=(?:UTF-8'')?["']?([^"';]+)""", disposition, re.IGNORECASE)
        if m:
            name = m.group(1)
    if not name and url:
        name = url.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1]
    m = re.search(r"(\.[A-Za-z0-9]{1,5})$", name)
    return m.group(1).lower() if m else ""


def sniff_kind(body: bytes, content_type: str | None = None, url: str | None = None,
               disposition: str | None = None) -> tuple[str, str]:
    """``(kind, format_name)`` from the bytes first (servers often say application/octet-stream),
    then the Content-Type, then the file name."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    ext = _extension(url, disposition)
    head = body[:1024].lstrip()
    if not body:
        return "empty", "empty response"
    if body[:1024].find(b"%PDF-") != -1:
        return "pdf", "PDF"
    for magic, name in _IMAGE_MAGIC:
        if body.startswith(magic):
            return "image", name
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "image", "WebP image"
    if mime in _OFFICE_TYPES:
        return "office", _OFFICE_TYPES[mime]
    if body.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: .doc/.xls/.ppt
        return "office", _OFFICE_EXTENSIONS.get(ext, "Microsoft Office (.doc/.xls/.ppt)")
    if body.startswith(b"PK\x03\x04"):
        if ext in _OFFICE_EXTENSIONS:
            return "office", _OFFICE_EXTENSIONS[ext]
        for marker, name in ((b"word/", "Word (.docx)"), (b"xl/", "Excel (.xlsx)"), (b"ppt/", "PowerPoint (.pptx)")):
            if marker in body[:4096]:
                return "office", name
        return "archive", "ZIP archive"
    if body.startswith(b"Rar!") or body.startswith(b"7z\xbc\xaf"):
        return "archive", "RAR archive" if body.startswith(b"Rar!") else "7-Zip archive"
    if mime.startswith("image/"):
        return "image", f"{mime.split('/', 1)[1].upper()} image"
    if mime.startswith(("video/", "audio/")):
        return "media", mime
    if mime in ("text/html", "application/xhtml+xml") or head[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html", "HTML"
    if mime.startswith("text/") or mime in ("application/json", "application/xml"):
        return ("html", "HTML") if b"<html" in body[:2048].lower() else ("text", mime or "text")
    if ext in _OFFICE_EXTENSIONS:
        return "office", _OFFICE_EXTENSIONS[ext]
    if ext in _ARCHIVE_EXTENSIONS:
        return "archive", _ARCHIVE_EXTENSIONS[ext]
    if not mime and b"<" in head[:1] and re.search(rb"<(head|body|div|p|table)\b", body[:4096], re.IGNORECASE):
        return "html", "HTML"
    return "other", mime or "unknown type"


# --- decoding ---------------------------------------------------------------------------------------

_THAI_LABELS = {"tis-620", "tis620", "tis_620", "iso-8859-11", "iso8859-11", "iso_8859-11", "windows-874",
                "x-windows-874", "cp874", "dos-874", "ibm874"}
_WEAK_LABELS = {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252",
                "us-ascii", "ascii", "ansi_x3.4-1968"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _charset_of(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"""charset\s*=\s*["']?([A-Za-z0-9_:.\-]+)""", content_type, re.IGNORECASE)
    return m.group(1).lower() if m else None


def _codec(label: str | None) -> str | None:
    """A Python codec for a charset label; Thai labels all become cp874. None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _THAI_LABELS:
        return "cp874"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _looks_thai_cp874(body: bytes) -> bool:
    """Non-UTF-8 bytes that read as Thai in cp874: Thai consonants (0xA1–0xCE) make up a good share
    of the high bytes (Western text would give mostly 0xE0–0xFC, accented lower-case letters)."""
    high = len(body.translate(None, _ASCII_BYTES))  # bytes counted in C, not one by one in Python
    if not high:
        return False
    consonants = len(body.translate(None, _NOT_CP874_CONSONANTS))
    return consonants / high >= 0.3


_ASCII_BYTES = bytes(range(0x80))
_NOT_CP874_CONSONANTS = bytes(b for b in range(256) if not 0xA1 <= b <= 0xCE)


def _meta_label(body: bytes) -> str | None:
    head = body[:4096]
    m = _XML_ENCODING.match(head.lstrip()) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace").lower() if m else None


def decode_text(body: bytes, content_type: str | None = None, *, html: bool = True) -> tuple[str, str, str]:
    """``(text, codec, source)``; ``source`` is "bom", "http", "meta" or "sniff"."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace"), codec, "bom"
    declared: list[tuple[str, str]] = []
    http_label = _charset_of(content_type)
    if http_label:
        declared.append((http_label, "http"))
    if html:
        meta = _meta_label(body)
        if meta:
            declared.append((meta, "meta"))
    weak: tuple[str, str] | None = None
    for label, source in declared:
        codec = _codec(label)
        if codec is None:
            continue
        if label in _WEAK_LABELS:
            weak = weak or (codec, source)  # a Western default: believe it only if nothing better shows
            continue
        if codec == "utf-8":
            try:
                return body.decode("utf-8"), "utf-8", source
            except UnicodeDecodeError:
                if _looks_thai_cp874(body):
                    return body.decode("cp874", "replace"), "cp874", "sniff"
                return body.decode("utf-8", "replace"), "utf-8", source
        return body.decode(codec, "replace"), codec, source
    try:
        return body.decode("utf-8"), "utf-8", "sniff"
    except UnicodeDecodeError:
        pass
    if weak is not None and not _looks_thai_cp874(body):
        return body.decode(weak[0], "replace"), weak[0], weak[1]
    return body.decode("cp874", "replace"), "cp874", "sniff"


# --- entry points ----------------------------------------------------------------------------------


def _markup(body: bytes, kind: str, content_type: str | None, url: str | None, config: CheckerConfig) -> Extracted:
    text, codec, source = decode_text(body, content_type, html=(kind == "html"))
    if kind == "html":
        full, main, title, links = html_to_text(text, url)
        return Extracted("html", "HTML", text=full[: config.max_text_chars], main_text=main[: config.max_text_chars],
                         title=title, links=links, encoding=codec, encoding_source=source)
    plain = _tidy(normalise_thai(text))[: config.max_text_chars]
    return Extracted("text", "text", text=plain, main_text=plain, encoding=codec, encoding_source=source)


def extract_bytes(body: bytes, content_type: str | None = None, url: str | None = None, *,
                  disposition: str | None = None, config: CheckerConfig | None = None) -> Extracted:
    """Text of a document given as bytes (blocking: runs pdftotext for a PDF)."""
    config = config or CheckerConfig()
    kind, name = sniff_kind(body, content_type, url, disposition)
    if kind == "pdf":
        return pdf_to_text(body, config)
    if kind in ("html", "text"):
        return _markup(body, kind, content_type, url, config)
    return Extracted(kind, name)


def extract(result, config: CheckerConfig | None = None) -> Extracted | None:
    """Text of a fetched document (a :class:`~.fetch.FetchResult`), or None if there is nothing to
    read (an error, a redirect or an HTTP error status). Blocking."""
    if not result.has_content:
        return None
    extracted = extract_bytes(result.body, result.content_type, result.final_url or result.url,
                              disposition=result.content_disposition, config=config)
    extracted.truncated = result.truncated
    return extracted


async def extract_async(result, config: CheckerConfig | None = None) -> Extracted | None:
    """As :func:`extract`, with pdftotext run without blocking the event loop."""
    if not result.has_content:
        return None
    config = config or CheckerConfig()
    kind, name = sniff_kind(result.body, result.content_type, result.final_url or result.url,
                            result.content_disposition)
    if kind == "pdf":
        extracted = await pdf_to_text_async(result.body, config)
    elif kind in ("html", "text"):
        extracted = _markup(result.body, kind, result.content_type, result.final_url or result.url, config)
    else:
        extracted = Extracted(kind, name)
    extracted.truncated = result.truncated
    return extracted

