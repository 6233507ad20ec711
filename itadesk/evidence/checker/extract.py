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

import asyncio
import codecs
import re
import shutil
import subprocess
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

from .config import CheckerConfig

try:
    from selectolax.lexbor import LexborHTMLParser
except ImportError:  # pragma: no cover - a dependency; html.parser is the fallback
    LexborHTMLParser = None

try:
    import pypdfium2 as pdfium
except ImportError:  # pragma: no cover - a dependency; pdftotext is the fallback
    pdfium = None

__all__ = [
    "Extracted", "Link", "decode_text", "extract", "extract_async", "extract_bytes", "html_to_text",
    "normalise_thai", "pdf_to_text", "pdfium_text", "pdftotext_text", "sniff_kind",
]

PDFTOTEXT = "pdftotext"
MIN_PAGE_CHARS = 8  # a page with fewer non-space characters has no text layer worth the name


# --- Thai text normalisation ----------------------------------------------------------------------

_THAI_PUA = {  # positional glyph variants of Thai fonts (Microsoft/WTT private-use block)
    0xF700: 0x0E10, 0xF701: 0x0E34, 0xF702: 0x0E35, 0xF703: 0x0E36, 0xF704: 0x0E37,
    0xF705: 0x0E48, 0xF706: 0x0E49, 0xF707: 0x0E4A, 0xF708: 0x0E4B, 0xF709: 0x0E4C,
    0xF70A: 0x0E48, 0xF70B: 0x0E49, 0xF70C: 0x0E4A, 0xF70D: 0x0E4B, 0xF70E: 0x0E4C,
    0xF70F: 0x0E0D, 0xF710: 0x0E31, 0xF711: 0x0E4D, 0xF712: 0x0E47, 0xF713: 0x0E48,
    0xF714: 0x0E49, 0xF715: 0x0E4A, 0xF716: 0x0E4B, 0xF717: 0x0E4C, 0xF718: 0x0E38,
    0xF719: 0x0E39, 0xF71A: 0x0E3A,
}
_ZERO_WIDTH = dict.fromkeys([0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD])
_TRANSLATE = {**_THAI_PUA, **_ZERO_WIDTH, 0x00A0: 0x20}
_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")  # ํ(่)า -> (่)ำ


_NEEDS_TRANSLATE = re.compile("[\u00a0\u00ad\u200b-\u200d\u2060\ufeff\uf700-\uf71a]")


def normalise_thai(text: str) -> str:
    """NFC; zero-width characters and soft hyphens removed; no-break space as space; Thai PUA glyph
    variants mapped back; NIKHAHIT + (tone) + SARA AA -> (tone) + SARA AM."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _NEEDS_TRANSLATE.search(text):  # str.translate is slow on Thai text: only when there is work
        text = text.translate(_TRANSLATE)
    if "\u0e4d" in text:
        text = _SARA_AM.sub("\\1\u0e33", text)
    return text


_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


_EMPTY_LINES = re.compile(r" ?\n[\s]*")
# Whitespace other than space, \t, \n, \r, \f and \v (what str.isspace() also accepts): _tidy keeps it
# inside a line, str.split() would not.
_OTHER_SPACE = re.compile("[\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def _tidy_reference(text: str) -> str:
    """What :func:`_tidy` does, written as two regular expressions (the definition)."""
    return _EMPTY_LINES.sub("\n", _SPACES.sub(" ", text)).strip()


def collapse_lines(text: str) -> str:
    """Each line's runs of whitespace (str.isspace) as one space, no whitespace at either end of a line,
    no empty lines; lines are split at "\n" only. String methods instead of regular expressions, which are
    slow on Thai text with a space every few words."""
    return "\n".join(filter(None, [" ".join(line.split()) for line in text.split("\n")]))


def _tidy(text: str) -> str:
    """Runs of spaces as one space, no blank lines, no spaces at the ends of lines (as
    :func:`_tidy_reference`; by :func:`collapse_lines` when only ASCII whitespace occurs)."""
    if _OTHER_SPACE.search(text):
        return _tidy_reference(text)
    return collapse_lines(text)


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A link or embedded document on a page: absolute ``url``, its text (``a``), the tag, and whether
    it sits in the page's menus, header or footer (``boiler``) rather than its content."""

    url: str
    text: str = ""
    tag: str = "a"
    boiler: bool = False


@dataclass
class Extracted:
    """``kind``: "html", "pdf", "text", "image", "office", "archive", "media", "empty" or "other".
    ``text`` is all readable text, ``main_text`` the content part (see the module docstring).
    ``text_layer`` (PDF): "ok", "none" (scanned pages only) or "garbled"; ``pages`` and
    ``pages_with_text`` count PDF pages read. ``error``: "pdf_failed", "pdf_timeout" (PDFium),
    "pdftotext_missing", "pdftotext_failed", "pdftotext_timeout" (pdftotext) or None."""

    kind: str
    format_name: str = ""
    text: str = ""
    main_text: str = ""
    title: str = ""
    links: list[Link] = field(default_factory=list)
    encoding: str | None = None
    encoding_source: str | None = None
    pages: int | None = None
    pages_with_text: int | None = None
    text_layer: str | None = None
    error: str | None = None
    error_detail: str | None = None
    truncated: bool = False

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip())

    @property
    def readable(self) -> bool:
        """The checker can read this document's words (HTML, text, or a PDF with a usable text layer)."""
        if self.kind in ("html", "text"):
            return True
        return self.kind == "pdf" and self.text_layer == "ok"

    def to_dict(self, *, text_chars: int | None = None) -> dict:
        text = self.text if text_chars is None else self.text[:text_chars]
        return {
            "kind": self.kind, "format_name": self.format_name, "title": self.title,
            "encoding": self.encoding, "encoding_source": self.encoding_source, "pages": self.pages,
            "pages_with_text": self.pages_with_text, "text_layer": self.text_layer, "error": self.error,
            "truncated": self.truncated, "text_chars": len(self.text), "text": text,
            "links": [{"url": lk.url, "text": lk.text, "tag": lk.tag, "boiler": lk.boiler} for lk in self.links],
        }


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
    high = sum(1 for b in body if b >= 0x80)
    if not high:
        return False
    consonants = sum(1 for b in body if 0xA1 <= b <= 0xCE)
    return consonants / high >= 0.3


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


# --- HTML ------------------------------------------------------------------------------------------

_SKIP = {"script", "style", "noscript", "template", "svg", "math", "select", "option", "datalist", "head",
         "textarea"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr", "frame"}
_BLOCK = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "fieldset",
          "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
          "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul", "title"}
_CELL = {"td", "th"}
_HEAD_CONTENT = {"meta", "link", "script", "style", "title", "base", "noscript", "template", "object"}
_BOILER_CLASS = re.compile(r"(?:^|[\s_\-])(?:nav|navbar|navigation|menu|menubar|mainmenu|topmenu|sidebar|"
                           r"breadcrumbs?|footer|site-footer|cookie)(?:$|[\s_\-])", re.IGNORECASE)
_LINK_ATTRS = {"a": "href", "area": "href", "iframe": "src", "frame": "src", "embed": "src", "object": "data",
               "img": "src"}


def _origin(url: str) -> str:
    m = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*://[^/?#]+)", url)
    return m.group(1) if m else ""


# Inline formatting tags change no text and no structure: removing them before html.parser (which
# spends most of its time per tag) makes Thai CMS pages, full of <span style=…> and <font>, faster.
_INLINE_TAGS = re.compile(r"</?(?:span|font|b|strong|i|em|u|small|big|sup|sub|mark|abbr|s|strike|tt|bdi|bdo|"
                          r"wbr|nobr|center|o:p)(?:\s[^<>]*)?/?>", re.IGNORECASE)


_INLINE_SET = frozenset({"span", "font", "b", "strong", "i", "em", "u", "small", "big", "sup", "sub", "mark", "abbr",
                         "s", "strike", "tt", "bdi", "bdo", "wbr", "nobr", "center", "o:p"})


class _TextParser(HTMLParser):
    def __init__(self, base_url: str | None):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url or ""
        self._origin = _origin(self.base_url)
        self.stack: list[tuple[str, bool, bool, bool]] = []  # tag, skip, boiler, main
        self.skip = self.boiler = self.main = 0
        self.in_main_or_article = 0
        self.in_title = False
        self.title_parts: list[str] = []
        self.all_parts: list[str] = []
        self.content_parts: list[str] = []
        self.main_parts: list[str] = []
        self.links: list[Link] = []
        self.link_text: list[str] | None = None
        self.link_href: str | None = None
        self.link_boiler = False
        self.has_main = False

    def _join(self, target: str) -> str:
        """urljoin, with the two common cases done cheaply (absolute URLs and /absolute/paths)."""
        if target.startswith(("http://", "https://")):
            return target
        if target.startswith("/") and not target.startswith("//") and self._origin:
            return self._origin + target
        return urljoin(self.base_url, target)

    # text sinks
    def _emit(self, text: str) -> None:
        if self.skip:
            return
        self.all_parts.append(text)
        if not self.boiler:
            self.content_parts.append(text)
        if self.main:
            self.main_parts.append(text)

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        attr = {k.lower(): (v or "") for k, v in attrs}
        if self.stack and self.stack[-1][0] == "head" and tag not in _HEAD_CONTENT:
            self.handle_endtag("head")  # a page without </head>: the body has begun
        if tag == "title" and not self.skip_body_only():
            self.in_title = True
            return
        if tag == "base" and attr.get("href"):
            self.base_url = urljoin(self.base_url, attr["href"].strip())
            self._origin = _origin(self.base_url)
        if tag in _LINK_ATTRS and attr.get(_LINK_ATTRS[tag]):
            target = attr[_LINK_ATTRS[tag]].strip()
            if not target.lower().startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
                url = self._join(target)
                if tag == "a":
                    self.link_href, self.link_text, self.link_boiler = url, [], bool(self.boiler)
                else:
                    self.links.append(Link(url, attr.get("title", "") or attr.get("alt", "").strip(), tag,
                                           bool(self.boiler)))
        if tag == "table":
            self.links.append(Link("", "", "table", bool(self.boiler)))
        if tag == "img" and attr.get("alt", "").strip():
            self._emit(" " + attr["alt"].strip() + " ")
        if tag in _BLOCK:
            self._emit("\n")
        elif tag in _CELL:
            self._emit(" \t ")
        if tag in _VOID:
            return
        skip = tag in _SKIP
        classes = f"{attr.get('class', '')} {attr.get('id', '')}".strip()
        role = attr.get("role", "").lower()
        is_main = tag in ("main", "article") or role == "main"
        boiler = (tag in ("nav", "aside") or role in ("navigation", "banner", "contentinfo")
                  or (tag in ("header", "footer") and not self.main)
                  or (bool(classes) and not is_main and bool(_BOILER_CLASS.search(classes))))
        if is_main:
            self.has_main = True
        self.stack.append((tag, skip, boiler, is_main))
        self.skip += skip
        self.boiler += boiler
        self.main += is_main

    def skip_body_only(self) -> bool:
        # <title> inside <svg> is not the page title
        return any(t in ("svg", "math") for t, *_ in self.stack)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag.lower() not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if tag == "title" and self.in_title:
            self.in_title = False
            return
        if tag == "a" and self.link_href is not None:
            text = _SPACES.sub(" ", "".join(self.link_text or [])).strip()
            self.links.append(Link(self.link_href, text, "a", self.link_boiler))
            self.link_href, self.link_text = None, None
        if tag in _BLOCK or tag in _CELL:
            self._emit("\n" if tag in _BLOCK else " \t ")
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _t, skip, boiler, main in self.stack[i:]:
                    self.skip -= skip
                    self.boiler -= boiler
                    self.main -= main
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.link_text is not None and not self.skip:
            self.link_text.append(data)
        self._emit(data)


def html_to_text_stdlib(html: str, base_url: str | None = None) -> tuple[str, str, str, list[Link]]:
    """As :func:`html_to_text`, with the standard library's ``html.parser`` (about 5 times slower; kept as
    the reference the Lexbor version is tested against, and as the fallback without selectolax)."""
    parser = _TextParser(base_url)
    try:
        parser.feed(_INLINE_TAGS.sub("", html))
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup: keep what it read
        pass
    return _finish(parser)


def _finish(parser: _TextParser) -> tuple[str, str, str, list[Link]]:
    if parser.link_href is not None:
        parser.links.append(Link(parser.link_href, _SPACES.sub(" ", "".join(parser.link_text or [])).strip(), "a",
                                 parser.link_boiler))
    text = _tidy(normalise_thai("".join(parser.all_parts)))
    main = _tidy(normalise_thai("".join(parser.main_parts))) if parser.has_main else ""
    if not main:
        main = _tidy(normalise_thai("".join(parser.content_parts)))
    if not main and text:
        main = text
    title = _SPACES.sub(" ", normalise_thai("".join(parser.title_parts))).strip()
    return text, main, title, parser.links


def _walk_lexbor(state: _TextParser, root) -> None:
    """Reads a Lexbor tree into ``state`` by the rules of :class:`_TextParser` (its start-tag, text and
    end-tag handlers, inlined here for speed: same flags, same text sinks, same links). Iterative:
    broken pages can nest thousands of unclosed elements."""
    all_parts, content_parts, main_parts = state.all_parts, state.content_parts, state.main_parts
    links, title_parts = state.links, state.title_parts
    skip = boiler = main = svg = 0
    link_href = link_text = None
    link_boiler = has_main = False
    base_url, origin = state.base_url, state._origin
    spaces = _SPACES.sub
    block, cell, void, skip_tags, link_attrs, inline = _BLOCK, _CELL, _VOID, _SKIP, _LINK_ATTRS, _INLINE_SET
    boiler_class = _BOILER_CLASS.search
    stack: list = [root]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        if node.__class__ is tuple:  # the end of an element: (tag, skip, boiler, main)
            tag, e_skip, e_boiler, e_main = node
            if tag == "a" and link_href is not None:
                links.append(Link(link_href, spaces(" ", "".join(link_text)).strip(), "a", link_boiler))
                link_href = link_text = None
            if not skip and (tag in block or tag in cell):
                text = "\n" if tag in block else " \t "
                all_parts.append(text)
                if not boiler:
                    content_parts.append(text)
                if main:
                    main_parts.append(text)
            skip -= e_skip
            boiler -= e_boiler
            main -= e_main
            if tag in ("svg", "math"):
                svg -= 1
            continue
        tag = node.tag
        if tag == "-text":
            if not skip:
                data = node.text_content
                if data:
                    if link_text is not None:
                        link_text.append(data)
                    all_parts.append(data)
                    if not boiler:
                        content_parts.append(data)
                    if main:
                        main_parts.append(data)
            continue
        if tag[0] in "-!#_":  # comments, doctype
            continue
        if tag in inline:  # formatting only (what _INLINE_TAGS strips for html.parser): its children
            child = node.last_child
            while child is not None:
                push(child)
                child = child.prev
            continue
        if tag == "title" and not svg:
            title_parts.append(node.text(deep=True))
            continue
        attrs = node.attributes
        if tag == "table":
            links.append(Link("", "", "table", bool(boiler)))
        if attrs:
            if tag == "base" and attrs.get("href"):
                base_url = urljoin(base_url, attrs["href"].strip())
                origin = _origin(base_url)
            name = link_attrs.get(tag)
            if name is not None and attrs.get(name):
                target = attrs[name].strip()
                if not target.lower().startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
                    if target.startswith(("http://", "https://")):
                        url = target
                    elif target.startswith("/") and not target.startswith("//") and origin:
                        url = origin + target
                    else:
                        url = urljoin(base_url, target)
                    if tag == "a":
                        link_href, link_text, link_boiler = url, [], bool(boiler)
                    else:
                        links.append(Link(url, attrs.get("title") or (attrs.get("alt") or "").strip(), tag,
                                          bool(boiler)))
            if tag == "img" and not skip:
                alt = (attrs.get("alt") or "").strip()
                if alt:
                    text = " " + alt + " "
                    all_parts.append(text)
                    if not boiler:
                        content_parts.append(text)
                    if main:
                        main_parts.append(text)
        if not skip and (tag in block or tag in cell):
            text = "\n" if tag in block else " \t "
            all_parts.append(text)
            if not boiler:
                content_parts.append(text)
            if main:
                main_parts.append(text)
        if tag in void:
            continue
        e_skip = tag in skip_tags
        if attrs:
            classes = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".strip()
            role = (attrs.get("role") or "").lower()
        else:
            classes = role = ""
        e_main = tag in ("main", "article") or role == "main"
        e_boiler = (tag in ("nav", "aside") or role in ("navigation", "banner", "contentinfo")
                    or (tag in ("header", "footer") and not main)
                    or (bool(classes) and not e_main and bool(boiler_class(classes))))
        if e_main:
            has_main = True
        if tag in ("svg", "math"):
            svg += 1
        skip += e_skip
        boiler += e_boiler
        main += e_main
        push((tag, e_skip, e_boiler, e_main))
        child = node.last_child
        while child is not None:
            push(child)
            child = child.prev
    state.link_href, state.link_text, state.link_boiler = link_href, link_text, link_boiler
    state.has_main = has_main


def html_to_text(html: str, base_url: str | None = None) -> tuple[str, str, str, list[Link]]:
    """``(text, main_text, title, links)`` of an HTML document (see the module docstring), parsed by
    Lexbor (selectolax) the way a browser parses it."""
    if LexborHTMLParser is None:  # pragma: no cover - selectolax is a dependency
        return html_to_text_stdlib(html, base_url)
    state = _TextParser(base_url)
    tree = LexborHTMLParser(html)
    root = tree.root
    if root is not None:
        _walk_lexbor(state, root)
    return _finish(state)


# --- PDF -------------------------------------------------------------------------------------------


def _pdf_command(config: CheckerConfig) -> list[str] | None:
    exe = shutil.which(PDFTOTEXT)
    if exe is None:
        return None
    return [exe, "-layout", "-enc", "UTF-8", "-l", str(config.pdf_max_pages), "-", "-"]


_WHITESPACE = re.compile(r"\s")
_UNREADABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")


def _letters_share(text: str) -> float:
    """Share of the non-space characters that are letters or digits of a real script (not private-use
    or control characters, not U+FFFD)."""
    total = len(text) - len(_WHITESPACE.findall(text))
    if total <= 0:
        return 0.0
    return 1 - len(_UNREADABLE.findall(text)) / total


def _pdf_result(stdout: bytes, returncode: int, stderr: bytes, config: CheckerConfig) -> Extracted:
    raw = stdout.decode("utf-8", "replace")
    pages = raw.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    with_text = sum(1 for page in pages if len(re.sub(r"\s+", "", page)) >= MIN_PAGE_CHARS)
    text = _tidy(normalise_thai(raw.replace("\f", "\n")))[: config.max_text_chars]
    if with_text == 0:
        layer = "none"
    elif _letters_share(text) < 0.6:
        layer = "garbled"
    else:
        layer = "ok"
    result = Extracted("pdf", "PDF", text=text, main_text=text, pages=len(pages), pages_with_text=with_text,
                       text_layer=layer)
    if returncode != 0 and not text.strip():
        result.error = "pdftotext_failed"
        result.error_detail = stderr.decode("utf-8", "replace").strip()[-500:] or f"exit status {returncode}"
        result.text_layer = None
    return result


def pdf_to_text(body: bytes, config: CheckerConfig | None = None) -> Extracted:
    """A PDF's text, by ``config.pdf_engine`` (blocking; see :func:`extract_async` for the async form)."""
    config = config or CheckerConfig()
    if config.pdf_engine == "pdfium" and pdfium is not None:
        return pdfium_text(body, config)
    return pdftotext_text(body, config)


# PDFium is not thread-safe: one document at a time per process (pool workers have one thread each).
_PDFIUM_LOCK = threading.Lock()


def _pdfium_page_text(text: str) -> str:
    """What PDFium writes that pdftotext does not, as pdftotext writes it: CR LF (or CR) between lines,
    U+0002 for a hyphen at a line end, U+FFFE for a soft hyphen. String replacements, each only when
    needed (str.translate is slow on Thai text)."""
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        text = text.replace("\r", "\n")
    if "\x02" in text:
        text = text.replace("\x02", "-")
    if "\ufffe" in text:
        text = text.replace("\ufffe", "")
    return text


def pdfium_text(body: bytes, config: CheckerConfig | None = None) -> Extracted:
    """A PDF's text read in-process by PDFium, page by page (at most ``config.pdf_max_pages`` pages;
    reading stops with ``pdf_timeout`` once ``config.pdf_timeout`` seconds have passed), given to the
    same text-layer judgement as pdftotext's output."""
    config = config or CheckerConfig()
    started = time.monotonic()
    pages: list[str] = []
    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(body)
        except pdfium.PdfiumError as exc:
            return Extracted("pdf", "PDF", error="pdf_failed", error_detail=str(exc)[:500])
        try:
            for index in range(min(len(doc), config.pdf_max_pages)):
                if time.monotonic() - started > config.pdf_timeout:
                    if not pages:
                        return Extracted("pdf", "PDF", error="pdf_timeout",
                                         error_detail=f"reading the PDF took more than {config.pdf_timeout:g} s")
                    break
                page = doc[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        pages.append(_pdfium_page_text(textpage.get_text_bounded()))
                    finally:
                        textpage.close()
                finally:
                    page.close()
        except pdfium.PdfiumError as exc:
            if not pages:
                return Extracted("pdf", "PDF", error="pdf_failed", error_detail=str(exc)[:500])
        finally:
            doc.close()
    raw = "".join(page + "\n\f" for page in pages)
    return _pdf_result(raw.encode("utf-8", "surrogatepass"), 0, b"", config)


def pdftotext_text(body: bytes, config: CheckerConfig | None = None) -> Extracted:
    """A PDF's text with poppler's ``pdftotext -layout`` in a subprocess (blocking)."""
    config = config or CheckerConfig()
    cmd = _pdf_command(config)
    if cmd is None:
        return Extracted("pdf", "PDF", error="pdftotext_missing", error_detail="poppler-utils is not installed")
    try:
        proc = subprocess.run(cmd, input=body, capture_output=True, timeout=config.pdf_timeout, check=False)
    except subprocess.TimeoutExpired:
        return Extracted("pdf", "PDF", error="pdftotext_timeout",
                         error_detail=f"pdftotext took more than {config.pdf_timeout:g} s")
    return _pdf_result(proc.stdout, proc.returncode, proc.stderr, config)


async def pdf_to_text_async(body: bytes, config: CheckerConfig | None = None) -> Extracted:
    """As :func:`pdf_to_text` without blocking the event loop (PDFium in a thread, pdftotext as an
    asynchronous subprocess)."""
    config = config or CheckerConfig()
    if config.pdf_engine == "pdfium" and pdfium is not None:
        return await asyncio.to_thread(pdfium_text, body, config)
    cmd = _pdf_command(config)
    if cmd is None:
        return Extracted("pdf", "PDF", error="pdftotext_missing", error_detail="poppler-utils is not installed")
    # close_fds=False lets subprocess use posix_spawn (much cheaper than fork for a big process); our
    # file descriptors are non-inheritable (PEP 446), so the child still gets none of them.
    proc = await asyncio.create_subprocess_exec(*cmd, stdin=asyncio.subprocess.PIPE,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                                                close_fds=False)
    try:
        async with asyncio.timeout(config.pdf_timeout):
            stdout, stderr = await proc.communicate(body)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        return Extracted("pdf", "PDF", error="pdftotext_timeout",
                         error_detail=f"pdftotext took more than {config.pdf_timeout:g} s")
    except BaseException:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        raise
    return _pdf_result(stdout, proc.returncode or 0, stderr, config)


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
