"""Thai text normalisation and what extraction gives (:class:`Extracted`, :class:`Link`). No Django.

Text is normalised for Thai: NFC, zero-width characters removed, the private-use "shifted" Thai marks of
old fonts (U+F700–U+F71A) mapped back, and NIKHAHIT + SARA AA written as SARA AM.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["Extracted", "Link", "collapse_lines", "normalise_thai"]

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


# Every character normalise_thai translates and every whitespace _tidy leaves to its regular expressions:
# a text without any (most pages) needs one scan for both instead of two.
_SPECIAL = re.compile("[" + _NEEDS_TRANSLATE.pattern[1:-1] + _OTHER_SPACE.pattern[1:-1] + "]")


def _tidy_thai(text: str) -> str:
    """``_tidy(normalise_thai(text))``, with one scan for what either would do by regular expressions."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _SPECIAL.search(text) is not None:
        return _tidy(normalise_thai(text))
    return _tidy_plain(text)


def _tidy_plain(text: str) -> str:
    """:func:`_tidy_thai` of a text without any character of ``_SPECIAL`` (NFC and SARA AM only)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\u0e4d" in text:  # nothing to translate, and SARA AM adds no whitespace
        text = _SARA_AM.sub("\\1\u0e33", text)
    return collapse_lines(text)


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A link or embedded document on a page: absolute ``url``, its text (``a``), the tag, and whether
    it sits in the page's menus, header or footer (``boiler``) rather than its content. ``context``: for an
    image in the content, the content text just before and after it (what a reader sees beside the picture:
    a caption, a name and a position)."""

    url: str
    text: str = ""
    tag: str = "a"
    boiler: bool = False
    context: str = ""

    def __reduce__(self):
        # Pickled as its five values (pages carry a hundred links or more and the pool process sends them
        # back): smaller, and read back a quarter faster, than the default class-and-state-dict form.
        return Link, (self.url, self.text, self.tag, self.boiler, self.context)


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

    def __reduce__(self):
        # Pickled (pool process -> event loop) with its links as five columns of plain values, made into
        # Link objects again only when something reads ``links`` (most reports never do: the snapshot keeps
        # the text): building a page's hundred-odd Link objects was most of the cost of reading it back.
        # The main text is most often a part of the whole text: then only where it lies travels.
        main: str | tuple[int, int] = self.main_text
        if main and main is not self.text:
            at = self.text.find(main)
            if at >= 0:
                main = (at, at + len(main))
        return _unpickle_extracted, (
            self.kind, self.format_name, self.text, main, self.title, _pack_links(self.links),
            self.encoding, self.encoding_source, self.pages, self.pages_with_text, self.text_layer, self.error,
            self.error_detail, self.truncated)

    def to_dict(self, *, text_chars: int | None = None) -> dict:
        text = self.text if text_chars is None else self.text[:text_chars]
        return {
            "kind": self.kind, "format_name": self.format_name, "title": self.title,
            "encoding": self.encoding, "encoding_source": self.encoding_source, "pages": self.pages,
            "pages_with_text": self.pages_with_text, "text_layer": self.text_layer, "error": self.error,
            "truncated": self.truncated, "text_chars": len(self.text), "text": text,
            "links": [{"url": lk.url, "text": lk.text, "tag": lk.tag, "boiler": lk.boiler} for lk in self.links],
        }


# --- links read back lazily ------------------------------------------------------------------------


def _pack_links(links: list[Link]) -> tuple | None:
    """A page's links as five columns (url, text, tag, boiler, context), or None without links."""
    if not links:
        return None
    return (tuple(lk.url for lk in links), tuple(lk.text for lk in links), tuple(lk.tag for lk in links),
            bytes(bool(lk.boiler) for lk in links), tuple(lk.context for lk in links))


def _unpack_links(packed: tuple) -> list[Link]:
    urls, texts, tags, boilers, contexts = packed
    return [Link(u, t, g, bool(b), c) for u, t, g, b, c in zip(urls, texts, tags, boilers, contexts, strict=True)]


def _get_links(self: Extracted) -> list[Link]:
    links = self.__dict__.get("_links")
    if links is None:
        packed = self.__dict__.pop("_packed_links", None)
        links = self.__dict__["_links"] = _unpack_links(packed) if packed is not None else []
    return links


def _set_links(self: Extracted, links: list[Link]) -> None:
    self.__dict__.pop("_packed_links", None)
    self.__dict__["_links"] = links


# ``links`` is a property over ``_links`` (a dataclass field by its name: __init__, ==, repr and replace
# read and write it as before), so that a pickled Extracted can keep its links packed until they are read.
Extracted.links = property(_get_links, _set_links, doc="The page's links and embedded documents (Link).")


def _unpickle_extracted(kind, format_name, text, main_text, title, packed, encoding, encoding_source, pages,
                        pages_with_text, text_layer, error, error_detail, truncated) -> Extracted:
    ex = Extracted.__new__(Extracted)
    if main_text.__class__ is tuple:  # where it lies in the text (see Extracted.__reduce__)
        main_text = text[main_text[0]:main_text[1]]
    ex.__dict__.update(kind=kind, format_name=format_name, text=text, main_text=main_text, title=title,
                       encoding=encoding, encoding_source=encoding_source, pages=pages,
                       pages_with_text=pages_with_text, text_layer=text_layer, error=error,
                       error_detail=error_detail, truncated=truncated)
    if packed is None:
        ex.__dict__["_links"] = []
    else:
        ex.__dict__["_packed_links"] = packed
    return ex
