"""Keyword matching in Thai and English text: the match form (Thai-normalised, Arabic digits, case-folded),
whole Thai words by pythainlp's newmm tokenizer or Thai character clusters, whole Latin words. No Django."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .extract import collapse_lines, normalise_thai
from .thaidate import _normalise as arabic_digits  # Thai digits to Arabic, skipped when there are none

__all__ = ["KeywordHit", "find_keyword"]

SHORT_KEYWORD_CHARS = 4       # Thai keywords this short must match a whole word (ชื่อ is not in เชื่อ)
MAX_CANDIDATES = 200          # occurrences of one keyword examined
SNIPPET_CHARS = 40

_THAI = "\u0e00-\u0e7f"
_SPACE_BETWEEN_THAI = re.compile(rf"(?<=[{_THAI}]) +(?=[{_THAI}])")
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_SPACES_ONLY = re.compile(r"[^\S\n]+")
_IS_THAI = re.compile(rf"[{_THAI}]")


def _match_form(text: str) -> str:
    """The form text and keywords are compared in: Thai-normalised, Arabic digits, case-folded, runs of
    spaces as one space, line breaks kept (a keyword never matches across lines)."""
    return _form_of_digits(arabic_digits(normalise_thai(text)))


def _form_of_digits(digits: str) -> str:
    """:func:`_match_form` of a text already Thai-normalised and with Arabic digits."""
    return collapse_lines(digits.casefold())


def _match_form_reference(text: str) -> str:
    """What :func:`_match_form` does, written as regular expressions (the definition)."""
    text = arabic_digits(normalise_thai(text)).casefold()
    return _LINE_BREAKS.sub("\n", _SPACES_ONLY.sub(" ", text)).strip()


@lru_cache(maxsize=4096)
def _keyword_form(keyword: str) -> str:
    return _match_form(keyword).replace("\n", " ")


def _tight_form_reference(form: str) -> str:
    """What :func:`_tight_form` does, as a regular expression (the definition)."""
    return _SPACE_BETWEEN_THAI.sub("", form)


# A single space between two Thai letters. The pattern starts with the space itself, which the regex
# engine finds fast; the look-behind only runs at spaces (a look-behind first is tried at every letter).
_THAI_SPACE_THAI = re.compile(rf" (?<=[{_THAI}] )(?=[{_THAI}])")


def _tight_form(form: str) -> str:
    """``form`` without the spaces between two Thai letters, which PDF layout often inserts inside words
    and phrases (แผนการ ดำเนินงาน): the second place a keyword is looked for. When spaces are single
    (as in a match form), by a pattern that starts with the space (the definition's look-behind pattern
    is slow on Thai text)."""
    if "  " in form:
        return _tight_form_reference(form)
    return _THAI_SPACE_THAI.sub("", form)


@lru_cache(maxsize=1)
def _tokenizer():
    from pythainlp.tokenize import word_tokenize  # heavy import (dictionary); only when needed

    return word_tokenize


def _tcc_boundaries(text: str, start: int, end: int) -> set[int]:
    lo, hi = max(0, start - 12), min(len(text), end + 12)
    # Start the window at a character that begins a cluster: not a mark, not after a leading vowel.
    while lo > 0 and (text[lo] in _FOLLOWING or text[lo - 1] in _LEADING):
        lo -= 1
    return {lo} | {lo + p for p in _tcc_positions(text[lo:hi])}


@lru_cache(maxsize=8192)
def _tcc_positions(window: str) -> frozenset[int]:
    """Thai character-cluster ends in ``window`` (pythainlp's tcc_pos), remembered: the same windows
    come back on every page of a site (its menus, headings and standard phrases)."""
    from pythainlp.tokenize.tcc import tcc_pos

    return frozenset(tcc_pos(window))


_LEADING = set("เแโใไ")
_FOLLOWING = set("ะัาำิีึืฺุู็่้๊๋์ํ๎ๅ")


_PHRASE_END = re.compile(r"[ \n]")


def _word_boundaries(text: str, start: int, end: int) -> set[int]:
    """newmm word boundaries of the phrase around [start, end) (from the space or line break before
    it to the one after it, at most 80 characters either side): the phrase is tokenized alone, as
    Thai text is written with spaces between phrases."""
    lo = max(0, start - 80)
    cut = max(text.rfind(" ", lo, start), text.rfind("\n", lo, start))
    if cut != -1:
        lo = cut + 1
    limit = min(len(text), end + 80)
    after = _PHRASE_END.search(text, end, limit)
    hi = after.start() if after else limit
    return {lo} | {lo + e for e in _token_ends(text[lo:hi])}


@lru_cache(maxsize=8192)
def _token_ends(phrase: str) -> tuple[int, ...]:
    """Where each newmm token of ``phrase`` ends, remembered (a phrase's tokens depend on the phrase
    alone, and the same phrases come back on every page of a site)."""
    ends, pos = [], 0
    for token in _tokenizer()(phrase, engine="newmm", keep_whitespace=True):
        pos += len(token)
        ends.append(pos)
    return tuple(ends)


@dataclass(frozen=True)
class KeywordHit:
    keyword: str
    method: str      # "word" (whole words, pythainlp newmm) | "compound" (Thai character clusters) | "latin"
    snippet: str


class _Text:
    """A document's text in match form, with the keyword searches of one check run cached."""

    def __init__(self, text: str):
        self.original = normalise_thai(text)
        self.digits = arabic_digits(self.original)
        self.form = _form_of_digits(self.digits)  # _match_form(text), from the steps already taken
        self._tight: str | None = None
        self._cache: dict[str, KeywordHit | None] = {}

    @property
    def tight(self) -> str:
        if self._tight is None:
            self._tight = _tight_form(self.form)
        return self._tight

    def find(self, keyword: str) -> KeywordHit | None:
        if keyword not in self._cache:
            hit = find_keyword(self.form, keyword)
            if hit is None and _IS_THAI.search(keyword) and " " in self.form:
                hit = find_keyword(self.tight, keyword)
            self._cache[keyword] = hit
        return self._cache[keyword]


def _snippet(form: str, start: int, end: int) -> str:
    lo, hi = max(0, start - SNIPPET_CHARS), min(len(form), end + SNIPPET_CHARS)
    text = form[lo:hi].replace("\n", " / ").strip()
    return ("…" if lo else "") + text + ("…" if hi < len(form) else "")


def find_keyword(form: str, keyword: str) -> KeywordHit | None:
    """Where ``keyword`` occurs in ``form`` (text already in match form, see ``_match_form``).

    Latin keywords match whole words. A Thai keyword matches where it starts and ends on word
    boundaries of pythainlp's newmm tokenizer ("word"); failing that, a keyword of more than
    SHORT_KEYWORD_CHARS characters also matches inside a compound where it starts and ends on Thai
    character-cluster boundaries ("compound": อำนาจหน้าที่ in อำนาจหน้าที่ของเทศบาล) — never in the
    middle of a syllable (ชื่อ does not match เชื่อ)."""
    kw = _keyword_form(keyword)
    if not kw:
        return None
    thai = bool(_IS_THAI.search(kw))
    start = form.find(kw)
    seen = 0
    fallback: tuple[int, int] | None = None
    while start != -1 and seen < MAX_CANDIDATES:
        seen += 1
        end = start + len(kw)
        if not thai:
            before = form[start - 1] if start else " "
            after = form[end] if end < len(form) else " "
            if not (before.isalnum() and kw[0].isalnum()) and not (after.isalnum() and kw[-1].isalnum()):
                return KeywordHit(keyword, "latin", _snippet(form, start, end))
        else:
            clusters = _tcc_boundaries(form, start, end)
            if start in clusters and end in clusters:
                words = _word_boundaries(form, start, end)
                if start in words and end in words:
                    return KeywordHit(keyword, "word", _snippet(form, start, end))
                if fallback is None and len(kw) > SHORT_KEYWORD_CHARS:
                    fallback = (start, end)
        start = form.find(kw, start + 1)
    if fallback is not None:
        return KeywordHit(keyword, "compound", _snippet(form, *fallback))
    return None


def _pattern_label(pattern: str) -> str:
    """'(?:2568|๒๕๖๘)' -> '2568 / ๒๕๖๘' for people; other patterns as written."""
    simple = re.fullmatch(r"\(\?:([^()\\]*)\)|([^()\\]*)", pattern)
    if simple:
        return " / ".join((simple.group(1) or simple.group(2) or "").split("|"))
    return pattern


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern | None:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        return None
