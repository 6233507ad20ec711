"""What an assessor would object to in one piece of OIT evidence, explained in Thai and English.
Pure functions over a :class:`~.fetch.FetchResult` (and its :class:`~.extract.Extracted` text); no
Django, no network.

    findings = check(result, item=item, main_domain="loei.go.th", fiscal_year=2568)

Each :class:`Finding` is one check: ``passed`` True when nothing is wrong. Findings are advice for the
reviewer, who decides; they are plain data (``to_dict``) and never a decision. The codes, in the
order they are returned (docs/evidence-checker.md explains each):

* fetching: ``reachable`` (passed) or one of ``bad_url``, ``refused_address``, ``unreachable``,
  ``timeout``, ``too_many_redirects``, ``http_error``; or ``not_checked`` alone (info: the checker
  itself is offline, see ``Fetcher.network_ok``, and nothing is said about the link); ``too_large`` (the first part is still
  checked); ``tls`` (the HTTPS certificate is broken, only when it is);
* the URL: ``off_domain`` (only with ``main_domain``), ``home_page``;
* the document: ``unreadable`` (an image, an Office file, …: its words cannot be read) or, for a PDF,
  ``no_text_layer``; then, when its words can be read: ``empty``, ``fiscal_year`` (only for an item
  whose time rule asks for a year: current, previous, covering the current or its first six months,
  with ``fiscal_year``; never for ``none``, ``current_holder`` or ``any_year``), ``topic`` (the item's hint
  keywords), ``elements`` (one per required element that has keywords or patterns) and
  ``off_domain_links`` (an HTML page on the main domain whose documents sit on a file-sharing site).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from itadesk.methodology.schema import item_time_rule

from .config import normalise_host
from .extract import Extracted, collapse_lines, extract, normalise_thai
from .fetch import redact_url
from .thaidate import YearMention, find_year_mentions
from .thaidate import _normalise as arabic_digits  # Thai digits to Arabic, skipped when there are none

__all__ = ["Finding", "KeywordHit", "SEVERITIES", "check", "find_keyword", "is_home_page", "known_site",
           "on_domain", "registered_domain"]

SEVERITIES = ("ok", "info", "warning", "error")
NOT_CHECKED_TH = "ระบบตรวจอัตโนมัติเชื่อมต่อไม่ได้ — ยังไม่ได้ตรวจ"
NOT_CHECKED_EN = "The automatic checker could not connect — not checked"
EMPTY_MIN_CHARS = 50          # non-space characters of content below which a page is empty
PLACEHOLDER_MAX_CHARS = 400   # a placeholder phrase counts only on a page with less content than this
SHORT_KEYWORD_CHARS = 4       # Thai keywords this short must match a whole word (ชื่อ is not in เชื่อ)
MAX_CANDIDATES = 200          # occurrences of one keyword examined
SNIPPET_CHARS = 40


@dataclass(frozen=True)
class Finding:
    """One check's outcome. ``severity``: "ok" when passed, else "info" (worth knowing), "warning"
    (check it) or "error" (an assessor would most likely score the item 0). ``detail`` is JSON-ready."""

    code: str
    passed: bool
    severity: str
    message_th: str
    message_en: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"code": self.code, "passed": self.passed, "severity": self.severity,
                "message_th": self.message_th, "message_en": self.message_en, "detail": dict(self.detail)}


def _ok(code: str, th: str, en: str, **detail) -> Finding:
    return Finding(code, True, "ok", th, en, detail)


def _fail(code: str, severity: str, th: str, en: str, **detail) -> Finding:
    return Finding(code, False, severity, th, en, detail)


# --- sites and domains ----------------------------------------------------------------------------

# host suffix -> (name, category); category "file" = a place to keep documents outside one's website
_SITES: dict[str, tuple[str, str]] = {
    "drive.google.com": ("Google Drive", "file"), "docs.google.com": ("Google Docs/Sheets/Slides", "file"),
    "sites.google.com": ("Google Sites", "file"), "storage.googleapis.com": ("Google Cloud Storage", "file"),
    "photos.google.com": ("Google Photos", "file"), "photos.app.goo.gl": ("Google Photos", "file"),
    "forms.gle": ("Google Forms", "file"), "onedrive.live.com": ("OneDrive", "file"),
    "1drv.ms": ("OneDrive", "file"), "sharepoint.com": ("SharePoint/OneDrive", "file"),
    "dropbox.com": ("Dropbox", "file"), "box.com": ("Box", "file"), "mega.nz": ("MEGA", "file"),
    "slideshare.net": ("SlideShare", "file"), "canva.com": ("Canva", "file"), "canva.site": ("Canva", "file"),
    "anyflip.com": ("AnyFlip", "file"), "fliphtml5.com": ("FlipHTML5", "file"), "pubhtml5.com": ("PubHTML5", "file"),
    "issuu.com": ("Issuu", "file"), "scribd.com": ("Scribd", "file"), "heyzine.com": ("Heyzine", "file"),
    "mediafire.com": ("MediaFire", "file"), "wetransfer.com": ("WeTransfer", "file"),
    "facebook.com": ("Facebook", "social"), "fb.com": ("Facebook", "social"), "fb.watch": ("Facebook", "social"),
    "instagram.com": ("Instagram", "social"), "x.com": ("X (Twitter)", "social"),
    "twitter.com": ("X (Twitter)", "social"), "tiktok.com": ("TikTok", "social"), "line.me": ("LINE", "social"),
    "youtube.com": ("YouTube", "social"), "youtu.be": ("YouTube", "social"),
    "bit.ly": ("Bitly", "shortener"), "tinyurl.com": ("TinyURL", "shortener"), "shorturl.at": ("ShortURL", "shortener"),
    "cutt.ly": ("Cutt.ly", "shortener"), "is.gd": ("is.gd", "shortener"), "rebrand.ly": ("Rebrandly", "shortener"),
    "goo.gl": ("goo.gl", "shortener"), "t.ly": ("t.ly", "shortener"), "s.id": ("s.id", "shortener"),
    "blogspot.com": ("Blogger", "hosting"), "wordpress.com": ("WordPress.com", "hosting"),
    "wixsite.com": ("Wix", "hosting"), "github.io": ("GitHub Pages", "hosting"),
}
_CATEGORY_TH = {"file": "ที่เก็บไฟล์/เอกสารออนไลน์", "social": "สื่อสังคมออนไลน์", "shortener": "บริการย่อลิงก์",
                "hosting": "บริการสร้างเว็บไซต์สำเร็จรูป"}
_CATEGORY_EN = {"file": "a file-sharing or document site", "social": "a social media site",
                "shortener": "a link shortener", "hosting": "a free website host"}


def known_site(host: str) -> tuple[str, str] | None:
    """``(name, category)`` of a well-known outside site (``drive.google.com`` -> Google Drive)."""
    host = normalise_host(host)
    parts = host.split(".")
    for i in range(len(parts) - 1):
        hit = _SITES.get(".".join(parts[i:]))
        if hit:
            return hit
    return None


def registered_domain(value: str) -> str:
    """The agency's main domain as given (``https://www.loei.go.th/``, ``www.loei.go.th`` or
    ``loei.go.th``) -> ``loei.go.th``: host only, lower case, IDNA, without a leading ``www.``."""
    value = value.strip()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    else:
        value = value.split("/", 1)[0].rsplit("@", 1)[-1]
        if value.count(":") == 1:
            value = value.split(":", 1)[0]
    host = normalise_host(value)
    return host[4:] if host.startswith("www.") else host


def on_domain(host: str, main_domain: str) -> bool:
    """``host`` is the main domain or one of its subdomains."""
    host, domain = normalise_host(host), registered_domain(main_domain)
    return bool(domain) and (host == domain or host.endswith("." + domain))


_HOME_PATH = re.compile(r"^/?(?:(?:index|default|home|main|hom)(?:\.(?:php|html?|aspx?|jsp|cfm|shtml))?/?)?$",
                        re.IGNORECASE)
_LANG_PATHS = re.compile(r"^/(?:th|en|thai|english)/?$", re.IGNORECASE)
_TRIVIAL_QUERY_KEYS = {"lang", "language", "l", "hl", "locale"}


def is_home_page(url: str) -> bool:
    """The site's home page: path ``/``, ``/index.php``, ``/home``, ``/th/`` … with no query other
    than a language (``?lang=th``); a fragment (``#ita``) does not make it a data page."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if not (_HOME_PATH.match(path) or _LANG_PATHS.match(path)):
        return False
    keys = {kv.split("=", 1)[0].lower() for kv in parts.query.split("&") if kv}
    return keys <= _TRIVIAL_QUERY_KEYS


def _host_of(url: str | None) -> str:
    if not url:
        return ""
    try:
        return normalise_host(urlsplit(url).hostname or "")
    except ValueError:
        return ""


def _site_label(host: str) -> tuple[str, str]:
    """(Thai, English) descriptions of an outside host: 'drive.google.com (Google Drive)'."""
    site = known_site(host)
    if site is None:
        return host, host
    name, _category = site
    return f"{host} ({name})", f"{host} ({name})"


# --- keyword matching -------------------------------------------------------------------------------

_THAI = "\u0e00-\u0e7f"
_SPACE_BETWEEN_THAI = re.compile(rf"(?<=[{_THAI}]) +(?=[{_THAI}])")
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_SPACES_ONLY = re.compile(r"[^\S\n]+")
_IS_THAI = re.compile(rf"[{_THAI}]")


def _match_form(text: str) -> str:
    """The form text and keywords are compared in: Thai-normalised, Arabic digits, case-folded, runs of
    spaces as one space, line breaks kept (a keyword never matches across lines)."""
    return collapse_lines(arabic_digits(normalise_thai(text)).casefold())


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


def _tight_form(form: str) -> str:
    """``form`` without the spaces between two Thai letters, which PDF layout often inserts inside words
    and phrases (แผนการ ดำเนินงาน): the second place a keyword is looked for. By string methods when
    spaces are single (as in a match form; the look-behind pattern is slow on Thai text)."""
    if "  " in form:
        return _tight_form_reference(form)
    parts = form.split(" ")
    pieces = [parts[0]]
    before = parts[0]
    for part in parts[1:]:
        if not (before and part and "\u0e00" <= before[-1] <= "\u0e7f" and "\u0e00" <= part[0] <= "\u0e7f"):
            pieces.append(" ")
        pieces.append(part)
        before = part
    return "".join(pieces)


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
        self.form = _match_form(text)
        self._tight: str | None = None
        self.original = normalise_thai(text)
        self.digits = arabic_digits(self.original)
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


# --- the checks ---------------------------------------------------------------------------------------


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} B"


_BAD_URL_TH = {
    "scheme": "ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https://",
    "userinfo": "ลิงก์มีชื่อผู้ใช้หรือรหัสผ่านอยู่ในตัว ระบบไม่เปิดลิงก์แบบนี้ และไม่ควรเผยแพร่",
    "no_host": "ลิงก์ไม่มีชื่อเว็บไซต์",
    "malformed": "รูปแบบลิงก์ไม่ถูกต้อง",
}
_ADDRESS_TH = {"loopback": "เครื่องของระบบเอง", "private": "เครือข่ายภายใน", "link_local": "เครือข่ายภายใน (link-local)",
               "multicast": "multicast", "reserved": "ที่อยู่สงวน", "unspecified": "ที่อยู่ว่าง",
               "not_global": "ที่อยู่ที่ไม่ใช่อินเทอร์เน็ตสาธารณะ"}


def _fetch_findings(result, config_timeout: float | None) -> list[Finding]:
    error = result.error
    host = _host_of(result.final_url or result.url)
    if error is None or error == "too_large":
        bits_th = [f"HTTP {result.status}"]
        bits_en = [f"HTTP {result.status}"]
        if result.mime_type:
            bits_th.append(result.mime_type)
            bits_en.append(result.mime_type)
        bits_th.append(_size(result.size))
        bits_en.append(_size(result.size))
        th = f"เปิดลิงก์ได้ ({', '.join(bits_th)}, {result.elapsed:.1f} วินาที)"
        en = f"The link opens ({', '.join(bits_en)}, {result.elapsed:.1f} s)"
        if result.redirects:
            th += f" หลังเปลี่ยนทาง {len(result.redirects)} ครั้ง ไปที่ {result.final_url}"
            en += f" after {len(result.redirects)} redirect(s), at {result.final_url}"
        out = [_ok("reachable", th, en, status=result.status, final_url=result.final_url,
                   redirects=len(result.redirects), content_type=result.content_type, size=result.size)]
        if error == "too_large":
            out.append(_fail(
                "too_large", "warning",
                f"ไฟล์ใหญ่เกินกว่าที่ระบบอ่าน ({_size(result.size)}) ระบบตรวจเฉพาะส่วนแรกของไฟล์ "
                "ไฟล์ขนาดใหญ่เปิดช้าและผู้ประเมินอาจเปิดไม่สำเร็จ ควรลดขนาดไฟล์หรือแยกเป็นหลายไฟล์",
                f"The file is larger than the checker reads ({_size(result.size)}); only its first part was "
                "checked. Large files open slowly and an assessor may give up: make it smaller or split it.",
                bytes_read=result.size, content_length=result.content_length))
        return out
    if error == "not_checked":
        return [_fail(
            "not_checked", "info",
            f"{NOT_CHECKED_TH} ระบบเปิดเว็บไซต์ใดไม่ได้เลยในขณะนี้ (รวมทั้งเว็บไซต์อ้างอิง) จึงเป็นปัญหาการเชื่อมต่อของ"
            "ระบบตรวจเอง ไม่ใช่ของหน่วยงาน ระบบจะตรวจใหม่ในรอบถัดไป",
            f"{NOT_CHECKED_EN}: the checker could not reach any website at this time (its reference sites "
            "included), so the failure is the checker's own connection, not the agency's. It will check again.",
            reason=result.error_reason, detail=result.error_detail)]
    if error == "bad_url":
        reason = result.error_reason if result.error_reason in _BAD_URL_TH else "malformed"
        redirected = bool(result.redirects)
        th = _BAD_URL_TH[reason]
        if redirected:
            th = f"ลิงก์เปลี่ยนทางไปยัง {result.final_url} ซึ่งระบบไม่เปิด: {th}"
        return [_fail("bad_url", "error", f"{th} ผู้ประเมินจะเปิดข้อมูลจากลิงก์นี้ไม่ได้",
                      f"Not a link the checker opens: {result.error_detail}", reason=reason,
                      url=redact_url(result.final_url or result.url))]
    if error == "refused_address":
        problem = result.error_reason if result.error_reason in _ADDRESS_TH else "private"
        where = host if host == result.address or not result.address else f"{host} → {result.address}"
        return [_fail(
            "refused_address", "error",
            f"ลิงก์นี้ชี้ไปยัง{_ADDRESS_TH[problem]} ({where}) ซึ่งบุคคลภายนอกรวมทั้งผู้ประเมินเปิดไม่ได้ "
            "ระบบจึงไม่เปิดลิงก์นี้ ให้ใช้ลิงก์ของเว็บไซต์หลักที่เปิดได้จากอินเทอร์เน็ต",
            f"The link points to a non-public address ({where}, {problem}) that outsiders, assessors "
            "included, cannot open; the checker does not connect to such addresses.",
            host=host, address=result.address, problem=problem)]
    if error == "timeout":
        secs = f"{config_timeout:g} " if config_timeout else ""
        return [_fail(
            "timeout", "error",
            f"เว็บไซต์ {host} ไม่ตอบภายใน {secs}วินาที ผู้ประเมินอาจเปิดไม่ได้เช่นกัน "
            "หากเว็บไซต์ล่มหรือช้าในช่วงที่ผู้ประเมินตรวจ ข้อนี้อาจได้ 0 คะแนน ให้แจ้งผู้ดูแลเว็บไซต์ตรวจสอบ",
            f"{host} did not answer within {secs}seconds. If the site is down or this slow while the assessors "
            "check, the item may score 0.", host=host)]
    if error == "too_many_redirects":
        return [_fail(
            "too_many_redirects", "error",
            f"ลิงก์เปลี่ยนทางต่อกันหลายครั้งเกินไป ({len(result.redirects)} ครั้ง อาจวนซ้ำไม่สิ้นสุด) "
            "เบราว์เซอร์ของผู้ประเมินอาจแสดงข้อผิดพลาดแทนข้อมูล",
            f"The link redirects too many times ({len(result.redirects)}, possibly in a loop); an assessor's "
            "browser may show an error instead of the data.",
            redirects=[h.url for h in result.redirects])]
    if error == "http_error":
        status = result.status or 0
        if status in (404, 410):
            th = (f"ไม่พบหน้าเว็บ (HTTP {status}) ลิงก์อาจพิมพ์ผิด หรือหน้า/ไฟล์ถูกย้ายหรือลบ "
                  "ผู้ประเมินจะเปิดไม่พบข้อมูลและไม่ให้คะแนนข้อนี้")
            en = (f"Page not found (HTTP {status}): the link is mistyped or the page or file was moved or "
                  "deleted. The assessor will find nothing and score the item 0.")
        elif status in (401, 403, 407):
            th = (f"เว็บไซต์ไม่อนุญาตให้เปิด (HTTP {status}) หน้านี้อาจต้องเข้าสู่ระบบหรือจำกัดสิทธิ์ "
                  "ผู้ประเมินซึ่งเป็นบุคคลภายนอกจะเปิดไม่ได้ (หรือระบบป้องกันของเว็บไซต์ปิดกั้นโปรแกรมตรวจ "
                  "ให้ลองเปิดจากเครื่องที่ไม่ได้เข้าสู่ระบบ)")
            en = (f"Access denied (HTTP {status}): the page may need a login or be restricted, so assessors "
                  "cannot open it (or the site's firewall blocks the checker: try it logged out).")
        elif status >= 500:
            th = (f"เว็บไซต์ขัดข้อง (HTTP {status}) ผู้ประเมินจะเปิดไม่ได้ในขณะนี้ "
                  "ให้แจ้งผู้ดูแลเว็บไซต์แก้ไขและตรวจอีกครั้ง")
            en = f"Server error (HTTP {status}): the page cannot be opened now. Ask the web administrator."
        else:
            th = f"เว็บไซต์ตอบกลับด้วยข้อผิดพลาด (HTTP {status}) ผู้ประเมินจะเปิดข้อมูลไม่ได้"
            en = f"The site answered with an error (HTTP {status}); the data cannot be opened."
        return [_fail("http_error", "error", th, en, status=status, final_url=result.final_url)]
    # unreachable
    detail = result.error_detail or ""
    if result.error_reason == "dns":
        th = (f"ไม่พบชื่อเว็บไซต์ {host} (DNS) ชื่ออาจพิมพ์ผิด หรือโดเมนหมดอายุ/ถูกยกเลิก "
              "ผู้ประเมินจะเปิดลิงก์นี้ไม่ได้")
        en = f"The name {host} does not resolve (DNS): mistyped, or the domain lapsed. Nobody can open it."
    elif result.error_reason == "tls":
        th = (f"เชื่อมต่อแบบปลอดภัย (HTTPS) กับ {host} ไม่สำเร็จ ผู้ประเมินอาจเปิดไม่ได้หรือเห็นคำเตือน "
              "ให้ผู้ดูแลเว็บไซต์ตรวจใบรับรอง SSL")
        en = f"The HTTPS connection to {host} failed; assessors may not get through. Check its certificate."
    else:
        th = (f"ติดต่อเว็บไซต์ {host} ไม่ได้ (เครื่องแม่ข่ายไม่ตอบหรือปฏิเสธการเชื่อมต่อ) "
              "ผู้ประเมินจะเปิดลิงก์นี้ไม่ได้ ให้แจ้งผู้ดูแลเว็บไซต์ตรวจสอบ")
        en = f"Cannot connect to {host} (the server is down or refuses connections); nobody can open the link."
    return [_fail("unreachable", "error", th, en, host=host, reason=result.error_reason, error_detail=detail)]


def _tls_finding(result) -> list[Finding]:
    if not result.tls_error:
        return []
    return [_fail(
        "tls", "warning",
        f"ใบรับรองความปลอดภัย (HTTPS) ของ {_host_of(result.final_url or result.url)} ไม่ถูกต้อง "
        f"({result.tls_error}) เบราว์เซอร์ของผู้ประเมินอาจขึ้นคำเตือนว่าเว็บไซต์ไม่ปลอดภัย "
        "ให้ผู้ดูแลเว็บไซต์ติดตั้งใบรับรองให้ครบ (รวม intermediate certificate)",
        f"The site's HTTPS certificate is not valid ({result.tls_error}); browsers may warn assessors. "
        "The content was still read and checked.", tls_error=result.tls_error)]


def _domain_finding(result, main_domain: str) -> list[Finding]:
    domain = registered_domain(main_domain)
    submitted = _host_of(result.url)
    final = _host_of(result.final_url) if result.final_url else ""
    if not submitted:
        return []
    if not on_domain(submitted, domain):
        label_th, label_en = _site_label(submitted)
        site = known_site(submitted)
        extra_th = extra_en = ""
        if site and site[1] == "shortener":
            extra_th = " ลิงก์ย่อไม่ใช่ที่อยู่ของข้อมูลบนเว็บไซต์หลัก ให้ใช้ลิงก์เต็มของหน้าบนเว็บไซต์หลัก"
            extra_en = " A short link is not the address of the data on the main website: use the full link."
        elif site:
            extra_th = (f" ({_CATEGORY_TH[site[1]]}) ข้อมูล OIT ต้องเผยแพร่บนเว็บไซต์หลักของหน่วยงาน "
                        "ให้นำข้อมูลหรือไฟล์ขึ้นเว็บไซต์หลักแล้วใช้ลิงก์นั้นแทน")
            extra_en = (f" ({_CATEGORY_EN[site[1]]}). OIT data must be published on the agency's main website: "
                        "put it there and link to that page instead.")
        return [_fail(
            "off_domain", "error",
            f"ลิงก์นี้อยู่บน {label_th} ไม่ใช่เว็บไซต์หลักของหน่วยงาน ({domain}) ผู้ประเมินอาจไม่ให้คะแนน{extra_th}",
            f"The link is on {label_en}, not on the agency's main website ({domain}); the assessor may not "
            f"accept it.{extra_en}", host=submitted, main_domain=domain, which="submitted",
            site=site[0] if site else None)]
    if final and not on_domain(final, domain):
        label_th, label_en = _site_label(final)
        return [_fail(
            "off_domain", "error",
            f"ลิงก์นี้อยู่บนเว็บไซต์หลัก ({domain}) แต่เปลี่ยนทางไปยัง {label_th} ซึ่งไม่ใช่เว็บไซต์หลักของหน่วยงาน "
            "ผู้ประเมินอาจไม่ให้คะแนน ให้เก็บข้อมูลไว้บนเว็บไซต์หลักโดยตรง",
            f"The link is on the main website ({domain}) but redirects to {label_en}, which is not; "
            "the assessor may not accept it.", host=final, main_domain=domain, which="final",
            site=(known_site(final) or (None,))[0])]
    return [_ok("off_domain", f"ลิงก์อยู่บนเว็บไซต์หลักของหน่วยงาน ({domain})",
                f"The link is on the agency's main website ({domain})", host=final or submitted, main_domain=domain)]


def _home_finding(result) -> list[Finding]:
    try:
        submitted_home = is_home_page(result.url)
    except ValueError:
        return []
    final_home = bool(result.final_url) and result.final_url != result.url and is_home_page(result.final_url)
    if submitted_home:
        return [_fail(
            "home_page", "error",
            "ลิงก์นี้เป็นหน้าแรกของเว็บไซต์ ไม่ใช่หน้าที่มีข้อมูลของข้อนี้ ผู้ประเมินต้องการลิงก์ที่เปิดแล้วเห็นข้อมูลทันที "
            "ให้ใช้ลิงก์ของหน้าหรือไฟล์ที่มีข้อมูลโดยตรง",
            "The link is the site's home page, not the page with this item's data; assessors expect a link "
            "that shows the data directly.", url=result.url)]
    if final_home:
        return [_fail(
            "home_page", "error",
            f"ลิงก์นี้ถูกเปลี่ยนทางไปหน้าแรกของเว็บไซต์ ({result.final_url}) หน้าที่อ้างถึงอาจถูกย้ายหรือลบแล้ว "
            "ผู้ประเมินจะไม่เห็นข้อมูล ให้ตรวจและใช้ลิงก์ใหม่ที่ถูกต้อง",
            f"The link redirects to the site's home page ({result.final_url}): the page was probably moved "
            "or deleted, and the assessor will not see the data.", url=result.url, final_url=result.final_url)]
    return [_ok("home_page", "ลิงก์ชี้ไปยังหน้าข้อมูล ไม่ใช่หน้าแรกของเว็บไซต์",
                "The link points to a data page, not the home page", url=result.url)]


_OFFICE_TH = "ผู้ประเมินต้องดาวน์โหลดไฟล์จึงจะเห็นข้อมูล ควรแปลงเป็น PDF หรือแสดงบนหน้าเว็บ"


def _document_findings(ex: Extracted) -> list[Finding]:
    if ex.kind == "pdf":
        if ex.error:
            reason = {"pdftotext_missing": ("เครื่องแม่ข่ายนี้ไม่มีโปรแกรม pdftotext จึงอ่าน PDF ไม่ได้",
                                            "pdftotext (poppler-utils) is not installed on this server"),
                      "pdftotext_timeout": ("อ่านไฟล์ PDF ไม่เสร็จในเวลาที่กำหนด (ไฟล์ใหญ่หรือซับซ้อนมาก)",
                                            "reading the PDF took too long"),
                      "pdf_timeout": ("อ่านไฟล์ PDF ไม่เสร็จในเวลาที่กำหนด (ไฟล์ใหญ่หรือซับซ้อนมาก)",
                                      "reading the PDF took too long")}.get(
                ex.error, ("อ่านไฟล์ PDF ไม่ได้ ไฟล์อาจเสียหายหรือดาวน์โหลดมาไม่ครบ", "the PDF could not be read"))
            return [_fail("unreadable", "warning",
                          f"{reason[0]} ระบบจึงตรวจเนื้อหาไม่ได้ ผู้ตรวจต้องเปิดดูเอง",
                          f"{reason[1]}; its content was not checked: look at it yourself.",
                          kind="pdf", error=ex.error, error_detail=ex.error_detail)]
        if ex.text_layer == "none":
            return [_fail(
                "no_text_layer", "warning",
                f"ไฟล์ PDF นี้เป็นภาพสแกน ไม่มีชั้นข้อความ ({ex.pages} หน้า) ผู้ประเมินยังอ่านด้วยตาได้ "
                "แต่ระบบตรวจคำสำคัญและปีงบประมาณไม่ได้ ผู้ตรวจต้องเปิดดูเอง "
                "(หากทำได้ ควรใช้ PDF ที่บันทึกจากโปรแกรมพิมพ์เอกสารแทนไฟล์สแกน)",
                f"This PDF is a scanned image without a text layer ({ex.pages} page(s)). Assessors can still "
                "read it, but the checker cannot look for keywords or the year: check it by eye.",
                pages=ex.pages, pages_with_text=0, text_layer="none")]
        if ex.text_layer == "garbled":
            return [_fail(
                "no_text_layer", "warning",
                "ข้อความในไฟล์ PDF นี้อ่านออกมาเป็นอักขระที่ไม่มีความหมาย (ฟอนต์ไม่ได้ระบุรหัสตัวอักษร) "
                "ระบบตรวจคำสำคัญและปีงบประมาณไม่ได้ ผู้ตรวจต้องเปิดดูเอง",
                "The PDF's text layer is garbled (its fonts carry no Unicode map): the checker cannot read "
                "its words; check it by eye.", pages=ex.pages, pages_with_text=ex.pages_with_text,
                text_layer="garbled")]
        partial_th = partial_en = ""
        if ex.pages_with_text is not None and ex.pages and ex.pages_with_text < ex.pages:
            partial_th = (f" แต่ {ex.pages - ex.pages_with_text} จาก {ex.pages} หน้าเป็นภาพสแกน "
                          "ระบบตรวจได้เฉพาะหน้าที่มีข้อความ")
            partial_en = (f", but {ex.pages - ex.pages_with_text} of {ex.pages} pages are scanned images "
                          "that the checker cannot read")
        return [_ok("no_text_layer", f"ไฟล์ PDF มีชั้นข้อความ ระบบอ่านได้{partial_th}",
                    f"The PDF has a text layer{partial_en}", pages=ex.pages, pages_with_text=ex.pages_with_text,
                    text_layer="ok")]
    if ex.readable:
        return []
    if ex.kind == "image":
        th = (f"ลิงก์นี้เป็นไฟล์รูปภาพ ({ex.format_name}) ผู้ประเมินดูได้ แต่ระบบอ่านข้อความในภาพไม่ได้ "
              "จึงตรวจองค์ประกอบและปีงบประมาณไม่ได้ ผู้ตรวจต้องเปิดดูเอง")
        en = (f"The link is an image ({ex.format_name}): assessors can look at it, but the checker cannot read "
              "text in images, so elements and the year were not checked.")
        severity = "info"
    elif ex.kind == "office":
        th = f"ลิงก์นี้เป็นไฟล์ {ex.format_name} ระบบไม่ได้อ่านเนื้อหา {_OFFICE_TH} ผู้ตรวจต้องเปิดดูเอง"
        en = (f"The link is a {ex.format_name} file: the checker does not read it, and assessors must download "
              "it to see anything. A PDF or a web page is easier for them.")
        severity = "warning"
    elif ex.kind == "archive":
        th = (f"ลิงก์นี้เป็นไฟล์บีบอัด ({ex.format_name}) ผู้ประเมินต้องดาวน์โหลดและแตกไฟล์เอง "
              "ซึ่งอาจไม่ทำ ควรเผยแพร่เป็นหน้าเว็บหรือไฟล์ PDF")
        en = f"The link is an archive ({ex.format_name}); assessors would have to download and unpack it."
        severity = "warning"
    elif ex.kind == "empty":
        return []  # reported by the "empty" check
    else:
        th = f"ลิงก์นี้เป็นไฟล์ชนิด {ex.format_name} ซึ่งระบบอ่านเนื้อหาไม่ได้ ผู้ตรวจต้องเปิดดูเอง"
        en = f"The link is of type {ex.format_name}, which the checker cannot read."
        severity = "info"
    return [_fail("unreadable", severity, th, en, kind=ex.kind, format=ex.format_name)]


_SOFT_404 = re.compile(r"(?<!\d)404(?!\d)|not\s+found|ไม่พบหน้า|ไม่พบเพจ|หน้าที่คุณ(?:ต้องการ|ค้นหา)ไม่|"
                       r"หน้าที่ท่าน(?:ต้องการ|ค้นหา)ไม่|ไม่มีหน้าที่|page\s+(?:does\s+not|doesn't)\s+exist",
                       re.IGNORECASE)
_PLACEHOLDER = re.compile(
    r"อยู่ระหว่าง(?:การ)?(?:ปรับปรุง|จัดทำ|ดำเนินการจัดทำ|รวบรวม|อัปโหลด|อัพโหลด|พัฒนา)|กำลังปรับปรุง|ปิดปรับปรุง|"
    r"รอ(?:การ)?ปรับปรุง|ยังไม่มีข้อมูล|ไม่มีข้อมูล|ไม่พบข้อมูล|ยังไม่ได้เผยแพร่|coming\s+soon|under\s+construction|"
    r"under\s+maintenance|no\s+data|no\s+content|lorem\s+ipsum|เร็วๆ\s*นี้",
    re.IGNORECASE)
_DOC_LINK = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|jpe?g|png)(?:$|[?#])", re.IGNORECASE)


def _nonspace(text: str) -> int:
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t")


def _empty_finding(ex: Extracted) -> list[Finding]:
    main = ex.main_text
    chars = _nonspace(main)
    if ex.kind == "html" and ex.title and _SOFT_404.search(ex.title) or (
            chars < PLACEHOLDER_MAX_CHARS and _SOFT_404.search(main) and ex.kind == "html"):
        return [_fail(
            "empty", "error",
            f"หน้านี้แจ้งว่าไม่พบหน้าที่ต้องการ (\"{ex.title or main[:60]}\") แม้เว็บไซต์ตอบว่าเปิดได้ (HTTP 200) "
            "ลิงก์อาจผิดหรือหน้าถูกลบ ผู้ประเมินจะไม่เห็นข้อมูล",
            f"The page says it was not found (\"{ex.title or main[:60]}\") although the server answered "
            "HTTP 200 (a soft 404): the link is wrong or the page was deleted.", kind="soft_404", chars=chars)]
    placeholder = _PLACEHOLDER.search(main) if chars < PLACEHOLDER_MAX_CHARS else None
    if placeholder:
        return [_fail(
            "empty", "error",
            f"หน้านี้ยังไม่มีข้อมูลจริง พบข้อความ \"{placeholder.group(0)}\" ผู้ประเมินจะถือว่ายังไม่เปิดเผยข้อมูล "
            "ให้ใส่ข้อมูลให้ครบก่อนส่ง",
            f"The page has no real content yet (it says \"{placeholder.group(0)}\"); assessors will treat the "
            "data as not published.", kind="placeholder", phrase=placeholder.group(0), chars=chars)]
    if chars < EMPTY_MIN_CHARS:
        docs = [lk for lk in ex.links if not lk.boiler and lk.tag not in _NOT_DOCUMENTS and (
                lk.tag != "a" or _DOC_LINK.search(lk.url)
                                                           or (known_site(_host_of(lk.url)) or ("", ""))[1] == "file")]
        if docs:
            names = ", ".join(lk.url for lk in docs[:3])
            return [_fail(
                "empty", "warning",
                f"หน้านี้แทบไม่มีข้อความ ({chars} ตัวอักษร) ข้อมูลอยู่ในไฟล์ที่ลิงก์หรือฝังไว้ ({names}) "
                "ระบบตรวจเฉพาะหน้านี้ ไม่ได้เปิดไฟล์เหล่านั้น ควรส่งลิงก์ของไฟล์โดยตรง หรือให้ผู้ตรวจเปิดดู",
                f"The page has almost no text ({chars} characters); the data is in linked or embedded files "
                f"({names}), which were not checked from this link.", kind="links_only", chars=chars,
                documents=[lk.url for lk in docs[:10]])]
        return [_fail(
            "empty", "error",
            f"หน้านี้ว่างเปล่าหรือแทบไม่มีเนื้อหา ({chars} ตัวอักษร) ผู้ประเมินจะไม่พบข้อมูลของข้อนี้",
            f"The page is empty or nearly so ({chars} characters); the assessor will find no data.",
            kind="empty", chars=chars)]
    return [_ok("empty", f"หน้านี้มีเนื้อหา ({chars:,} ตัวอักษร)", f"The page has content ({chars:,} characters)",
                chars=chars)]


def _examples(mentions: list[YearMention], year: int, limit: int = 3) -> list[str]:
    out: list[str] = []
    for m in mentions:
        if m.fiscal_year == year and m.text.strip() not in out:
            out.append(m.text.strip())
        if len(out) >= limit:
            break
    return out


#: What each dated time rule asks (Thai, English), with {year} the fiscal year it is held against.
_TIME_RULE_WORDS = {
    "current_year": ("ข้อมูลปีงบประมาณ พ.ศ. {year} (ปีงบประมาณปัจจุบันของรอบประเมิน)",
                     "data of FY{year} BE (the round's current fiscal year)"),
    "previous_year": ("ข้อมูลปีงบประมาณ พ.ศ. {year} (ปีงบประมาณที่ผ่านมา)",
                      "data of FY{year} BE (the previous fiscal year)"),
    "covers_current_year": ("แผนที่ครอบคลุมปีงบประมาณ พ.ศ. {year} (ปีงบประมาณปัจจุบันของรอบประเมิน)",
                            "a plan that covers FY{year} BE (the round's current fiscal year)"),
    "first_half_current_year": ("ข้อมูลรอบ 6 เดือนแรกของปีงบประมาณ พ.ศ. {year} (ต.ค. – มี.ค.)",
                                "data of the first six months of FY{year} BE (October–March)"),
}


def time_rule_target(rule: str, fiscal_year: int) -> int | None:
    """The fiscal year a page must show under ``rule`` in a round of ``fiscal_year``; None when the
    rule asks for no particular year (none, current_holder, any_year): then no fiscal-year finding."""
    if rule not in _TIME_RULE_WORDS:
        return None
    return fiscal_year - 1 if rule == "previous_year" else fiscal_year


def _year_finding(text: str, item: dict, fiscal_year: int) -> list[Finding]:
    rule = item_time_rule(item)
    target = time_rule_target(rule, fiscal_year)
    if target is None:
        return []
    words_th, words_en = (w.format(year=target) for w in _TIME_RULE_WORDS[rule])
    mentions = find_year_mentions(text)
    counts: dict[int, int] = {}
    for m in mentions:
        counts[m.fiscal_year] = counts.get(m.fiscal_year, 0) + 1
    years = sorted(counts, reverse=True)
    detail = {"time_rule": rule, "expected": target, "found": {str(y): counts[y] for y in years}}
    if target in counts:
        examples = _examples(mentions, target)
        shown = ", ".join(f"\"{e}\"" for e in examples)
        return [_ok("fiscal_year",
                    f"พบปีงบประมาณ พ.ศ. {target} ในเอกสาร เช่น {shown} ตามที่ข้อนี้ต้องการ{words_th}",
                    f"FY{target} BE is evident, e.g. {shown}, as this item needs {words_en}",
                    examples=examples, **detail)]
    if not counts:
        return [_fail(
            "fiscal_year", "warning",
            f"ไม่พบปี พ.ศ. หรือปีงบประมาณในเอกสารนี้ ข้อนี้ต้องเป็น{words_th} "
            f"ผู้ประเมินอาจไม่แน่ใจว่าเป็นข้อมูลปีใด ควรระบุ \"ปีงบประมาณ พ.ศ. {target}\" ให้เห็นชัด",
            f"No year or fiscal year is evident. This item needs {words_en}; state "
            f"\"ปีงบประมาณ พ.ศ. {target}\" clearly.", **detail)]
    others = ", ".join(str(y) for y in years[:5])
    examples = _examples(mentions, years[0])
    return [_fail(
        "fiscal_year", "error",
        f"ข้อนี้ต้องเป็น{words_th} แต่ในเอกสารพบเฉพาะปี {others} "
        f"(เช่น {', '.join(repr(e) for e in examples)}) ผู้ประเมินอาจถือว่าเป็นข้อมูลผิดปี",
        f"This item needs {words_en}, but only {others} appear; the assessor may "
        "treat it as the wrong year.", examples=examples, **detail)]


def _element_label(element: dict) -> str:
    return f"{element['code']} \"{element.get('text_th') or element.get('text_en') or ''}\""


_NOT_DOCUMENTS = ("img", "table")  # links that are part of the page itself, not documents
_PHONE = re.compile(r"(?<![\d.,/])(?:\+66[\s-]?|0[\s-]?)(?:\d[\s-]?){7,9}\d(?![\d.,/])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MAP_URL = re.compile(r"^https?://(?:(?:www\.|maps\.)?google\.[a-z.]+/maps|maps\.google\.[a-z.]+/|goo\.gl/maps/|"
                      r"maps\.app\.goo\.gl/|(?:www\.)?openstreetmap\.org/|(?:www\.)?google\.com/maps)",
                      re.IGNORECASE)
_PDF_URL = re.compile(r"\.pdf(?:$|[?#])", re.IGNORECASE)
# an online form embedded or linked on the page (a channel to write in, e.g. a complaint form), not a document
_FORM_URL = re.compile(r"^https?://(?:docs\.google\.com/forms/|forms\.gle/|forms\.office\.com/|"
                       r"forms\.microsoft\.com/)", re.IGNORECASE)
_OFFICE_URL = re.compile(r"\.(?:docx?|xlsx?|pptx?|odt|ods)(?:$|[?#])", re.IGNORECASE)


def _content_links(ex: Extracted | None, tag: str | None = None) -> list:
    if ex is None:
        return []
    return [lk for lk in ex.links if not lk.boiler and (tag is None or lk.tag == tag)]


def detect(kind: str, text: _Text, ex: Extracted | None) -> str | None:
    """What the detector ``kind`` (schema.DETECTORS) found in a document, described in a few words, or
    None: ``image`` an image in the content (not the menus, header or footer), ``table`` a table there,
    ``phone`` a Thai phone number, ``email`` an e-mail address, ``map`` an embedded or linked map,
    ``pdf_link`` a link to a PDF in the content."""
    if kind == "image":
        images = _content_links(ex, "img")
        if images:
            named = next((lk.text for lk in images if lk.text), "")
            return f"{len(images)} image(s)" + (f", e.g. \"{named[:40]}\"" if named else "")
    elif kind == "table":
        tables = _content_links(ex, "table")
        if tables:
            return f"{len(tables)} table(s)"
    elif kind == "phone":
        hit = _PHONE.search(text.digits)
        if hit:
            return hit.group(0).strip()
    elif kind == "email":
        hit = _EMAIL.search(text.original)
        if hit:
            return hit.group(0)
    elif kind == "map":
        hit = next((lk.url for lk in _content_links(ex) if _MAP_URL.match(lk.url)), None)
        if hit:
            return hit[:80]
    elif kind in ("pdf_link", "office_link"):
        rx = _PDF_URL if kind == "pdf_link" else _OFFICE_URL
        hit = next((lk.url for lk in _content_links(ex, "a") if rx.search(lk.url)), None)
        if hit:
            return hit[:80]
    return None


def _count(text: _Text, keywords: list, patterns: list) -> int:
    """How many times an element's patterns match (distinct matches), or without patterns how many
    times its keywords occur (whole-text occurrences): what ``min_count`` is held against."""
    if patterns:
        found: set[str] = set()
        for pattern in patterns:
            rx = _compiled(str(pattern))
            if rx is not None:
                found.update(m.group(0).strip() for m in rx.finditer(text.digits))
        return len(found)
    return sum(text.form.count(_keyword_form(str(k))) for k in keywords)


_DETECTOR_TH = {"image": "รูปภาพในเนื้อหา", "table": "ตาราง", "phone": "หมายเลขโทรศัพท์", "email": "อีเมล",
                "map": "แผนที่", "pdf_link": "ลิงก์ไฟล์ PDF", "office_link": "ลิงก์ไฟล์ Word/Excel/PowerPoint"}


def _element_findings(text: _Text, item: dict, ex: Extracted | None = None) -> list[Finding]:
    out: list[Finding] = []
    for element in item.get("elements") or []:
        keywords = [k for k in element.get("keywords") or [] if str(k).strip()]
        patterns = [p for p in element.get("patterns") or [] if str(p).strip()]
        detectors = [d for d in element.get("detect") or [] if str(d).strip()]
        if not keywords and not patterns and not detectors:
            continue  # nothing to look for: the reviewer judges this element alone
        hits = [h for h in (text.find(str(k)) for k in keywords) if h is not None]
        keywords_ok = not keywords or bool(hits)
        matched, missing = [], []
        for pattern in patterns:
            rx = _compiled(str(pattern))
            if rx is not None and (rx.search(text.original) or rx.search(text.digits)):
                matched.append(pattern)
            else:
                missing.append(pattern)
        patterns_ok = not patterns or bool(matched)
        detected = {d: found for d in detectors if (found := detect(d, text, ex)) is not None}
        label = _element_label(element)
        detail = {"element": element["code"], "keywords": keywords, "patterns": patterns,
                  "found": [{"keyword": h.keyword, "method": h.method, "snippet": h.snippet} for h in hits],
                  "patterns_matched": matched}
        if detectors:
            detail["detect"] = detectors
            detail["detected"] = detected
        words_ok = bool(keywords or patterns) and keywords_ok and patterns_ok
        minimum = element.get("min_count")
        if minimum and words_ok:
            counted = _count(text, keywords, patterns)
            detail["count"], detail["min_count"] = counted, minimum
            if counted < minimum:
                out.append(_fail(
                    "elements", "warning",
                    f"องค์ประกอบ {label}: พบเพียง {counted} รายการ เกณฑ์กำหนดอย่างน้อย {minimum} รายการ",
                    f"Element {element['code']}: only {counted} found, at least {minimum} required.", **detail))
                continue
        if words_ok or detected:
            found = ", ".join(f"\"{h.keyword}\"" for h in hits[:3])
            th = f"พบองค์ประกอบ {label}" + (f": พบคำ {found}" if hits else "")
            if hits and hits[0].snippet:
                th += f" เช่น \"{hits[0].snippet}\""
            if matched:
                th += f" และพบ {', '.join(_pattern_label(p) for p in matched)}"
            if detected and not words_ok:
                th = f"พบองค์ประกอบ {label}: พบ" + ", ".join(
                    f"{_DETECTOR_TH[d]} ({v})" for d, v in detected.items())
            en = f"Element {element['code']} found" + (f": {found}" if hits else "")
            if matched:
                en += f"; pattern {', '.join(_pattern_label(p) for p in matched)} matched"
            if detected and not words_ok:
                en = f"Element {element['code']} found: " + ", ".join(f"{d} ({v})" for d, v in detected.items())
            out.append(_ok("elements", th, en, **detail))
            continue
        if not keywords_ok or not (keywords or patterns):
            listed = ", ".join(f"\"{k}\"" for k in keywords)
            looked = " ".join(_DETECTOR_TH[d] for d in detectors)
            th_what = (f"ไม่พบคำใดเลยจาก {listed}" if keywords else "") + (
                f"{' และ' if keywords else ''}ไม่พบ{looked}" if detectors else "")
            en_what = (f"none of {listed} appears" if keywords else "") + (
                f"{' and' if keywords else ''} no {', '.join(detectors)} was found" if detectors else "")
            th = (f"ไม่พบองค์ประกอบ {label}: {th_what} "
                  "ผู้ประเมินให้คะแนนข้อนี้เมื่อมีครบทุกองค์ประกอบ ให้ตรวจว่าข้อมูลนี้มีอยู่จริงและอ่านได้")
            en = (f"Element {element['code']} not found: {en_what}. The item scores only if "
                  "every element is there: check that this one is.")
        else:
            wanted = " หรือ ".join(_pattern_label(p) for p in missing)
            th = (f"องค์ประกอบ {label}: พบคำที่เกี่ยวข้อง แต่ไม่พบ {wanted} ตามที่เกณฑ์กำหนด "
                  "ข้อมูลอาจเป็นของปีอื่นหรือไม่ได้ระบุให้ชัด")
            en = (f"Element {element['code']}: related words appear, but not {wanted} as the rule requires "
                  "(another year, or not stated).")
        out.append(_fail("elements", "warning", th, en, **detail))
    return out


def _topic_finding(text: _Text, item: dict) -> list[Finding]:
    keywords = [str(k) for k in ((item.get("hints") or {}).get("keywords") or []) if str(k).strip()]
    if not keywords:
        return []
    title = item.get("text_th") or item.get("text_en") or ""
    label = f"{item.get('code', '')} \"{title}\"" if title else str(item.get("code", ""))
    hits = [h for h in (text.find(k) for k in keywords) if h is not None]
    detail = {"item": item.get("code"), "keywords": keywords, "found": [h.keyword for h in hits]}
    if hits:
        found = ", ".join(f"\"{h.keyword}\"" for h in hits[:4])
        return [_ok("topic", f"เนื้อหาเกี่ยวกับข้อ {label} (พบคำ {found})",
                    f"The content is about item {item.get('code')} ({found})", **detail)]
    listed = ", ".join(f"\"{k}\"" for k in keywords)
    return [_fail(
        "topic", "warning",
        f"ไม่พบคำที่เกี่ยวกับข้อ {label} ({listed}) ลิงก์นี้อาจไม่ใช่ข้อมูลของข้อนี้ (เช่น ใส่ลิงก์สลับข้อ) "
        "หรือข้อมูลอยู่ในรูปภาพหรือไฟล์แนบ ให้ตรวจอีกครั้ง",
        f"None of the words of item {item.get('code')} ({listed}) appears: the link may belong to another "
        "item, or the data is in an image or an attachment.", **detail)]


def _outside_documents_finding(ex: Extracted, main_domain: str) -> list[Finding]:
    outside: dict[str, list[str]] = {}
    for lk in ex.links:
        if lk.boiler or lk.tag in _NOT_DOCUMENTS or _MAP_URL.match(lk.url) or _FORM_URL.match(lk.url):
            continue
        host = _host_of(lk.url)
        if not host or on_domain(host, main_domain):
            continue
        site = known_site(host)
        if (site and site[1] == "file") or (lk.tag != "a" and not (site and site[1] == "social")):
            outside.setdefault(host, []).append(lk.url)
    if not outside:
        return [_ok("off_domain_links", "เอกสารในหน้านี้อยู่บนเว็บไซต์หลัก ไม่ได้ลิงก์ไปที่เก็บไฟล์ภายนอก",
                    "The documents of this page are on the main website (no file-sharing links)")]
    hosts = sorted(outside, key=lambda h: -len(outside[h]))
    count = sum(len(v) for v in outside.values())
    labels = ", ".join(_site_label(h)[0] for h in hosts[:3])
    return [_fail(
        "off_domain_links", "warning",
        f"หน้านี้อยู่บนเว็บไซต์หลัก แต่เอกสารอยู่บน {labels} ({count} ลิงก์) ผู้ประเมินต้องการข้อมูลบนเว็บไซต์หลัก "
        "และหากไฟล์ถูกลบหรือไม่ได้เปิดสิทธิ์ให้ทุกคนดู ผู้ประเมินจะเปิดไม่ได้ ควรอัปโหลดไฟล์ไว้บนเว็บไซต์ของหน่วยงาน",
        f"The page is on the main website, but its documents are on {labels} ({count} link(s)); if they are "
        "removed or not shared publicly, assessors cannot open them. Upload them to the agency's website.",
        hosts=hosts, links=[u for h in hosts for u in outside[h]][:20])]


# --- documents linked from a page (followed one level deep by run.py) ---------------------------------

#: Findings a document linked from the page can settle: the page only points at the evidence.
LINKED_CODES = ("empty", "fiscal_year", "topic", "elements")
MAX_LINKED = 3


def linked_documents(ex: Extracted | None, page_url: str, main_domain: str | None,
                     limit: int = MAX_LINKED) -> list[str]:
    """The PDF documents an HTML page links to in its content, on the same site (the main domain, or
    the page's own host without one): what the checker opens one level deep. At most ``limit``."""
    if ex is None or ex.kind != "html":
        return []
    page_host = _host_of(page_url)
    out: list[str] = []
    for lk in ex.links:
        if lk.boiler or lk.tag != "a" or not _PDF_URL.search(lk.url) or lk.url in out:
            continue
        host = _host_of(lk.url)
        if not host or not (on_domain(host, main_domain) if main_domain else host == page_host):
            continue
        out.append(lk.url)
        if len(out) >= limit:
            break
    return out


def needs_linked(findings: list[Finding]) -> bool:
    """Some content finding failed that a linked document could settle."""
    return any(not f.passed and f.code in LINKED_CODES for f in findings)


def document_findings(ex: Extracted, *, item: dict | None, fiscal_year: int | None) -> list[Finding]:
    """The content findings (empty, fiscal_year, topic, elements) of a document linked from a page."""
    if not ex.readable or not ex.has_text:
        return []
    findings = _empty_finding(ex)
    content = f"{ex.title}\n{ex.main_text}" if ex.title else ex.main_text
    if item is not None and fiscal_year is not None:
        findings += _year_finding(content, item, int(fiscal_year))
    if item is not None:
        text = _Text(content)
        findings += _topic_finding(text, item)
        findings += _element_findings(text, item, ex)
    return findings


def _key(finding: Finding) -> tuple[str, str]:
    return finding.code, str(finding.detail.get("element", ""))


def merge_linked(findings: list[Finding], linked: list[tuple[str, list[Finding]]]) -> list[Finding]:
    """The page's findings with each failed content finding that a linked document passes replaced by the
    document's, saying which document satisfied it (``detail["document"]``). The page's own findings keep
    their order; ``linked`` is ``[(url, findings of that document)]``."""
    passing: dict[tuple[str, str], tuple[str, Finding]] = {}
    read = [url for url, found in linked if found]
    for url, found in linked:
        for f in found:
            if f.passed and _key(f) not in passing:
                passing[_key(f)] = (url, f)
    out: list[Finding] = []
    for f in findings:
        if f.passed or f.code not in LINKED_CODES:
            out.append(f)
            continue
        if f.code == "empty" and f.detail.get("kind") == "links_only" and read:
            shown = ", ".join(redact_url(u) for u in read)
            out.append(_ok("empty", f"หน้านี้มีข้อความน้อย แต่ลิงก์ไปยังเอกสารบนเว็บไซต์เดียวกันซึ่งระบบเปิดอ่านแล้ว ({shown})",
                           f"The page has little text, but links to documents on the same site, which were read "
                           f"({shown})", chars=f.detail.get("chars"), documents=read))
            continue
        hit = passing.get(_key(f))
        if hit is None:
            out.append(f)
            continue
        url, doc = hit
        shown = redact_url(url)
        out.append(Finding(doc.code, True, "ok", f"{doc.message_th} — ในเอกสารที่ลิงก์จากหน้านี้ {shown}",
                           f"{doc.message_en} — in the document linked from this page, {shown}",
                           {**doc.detail, "document": url}))
    return out


def check(fetch_result, *, item: dict | None = None, main_domain: str | None = None,
          fiscal_year: int | None = None, extracted: Extracted | None = None,
          timeout: float | None = None) -> list[Finding]:
    """Every finding for one fetched URL (see the module docstring for the codes and their order).

    ``item`` is the framework item (a dict with ``code``, ``time_rule`` (or the older ``data_year``),
    ``elements``, ``hints``);
    ``main_domain`` the agency's registered website (``loei.go.th``); ``fiscal_year`` the round's
    BE fiscal year. Without them, the checks that need them are left out. ``extracted``: the text if
    already extracted (else :func:`~.extract.extract` runs here, blocking for a PDF). ``timeout`` only
    words the timeout message."""
    findings = _fetch_findings(fetch_result, timeout)
    if fetch_result.error == "not_checked":
        return findings  # the checker's own failure: nothing is said about the agency's link
    findings += _tls_finding(fetch_result)
    if main_domain:
        findings += _domain_finding(fetch_result, main_domain)
    if fetch_result.error != "bad_url":
        findings += _home_finding(fetch_result)
    if not fetch_result.has_content:
        return findings
    ex = extracted if extracted is not None else extract(fetch_result)
    if ex is None:
        return findings
    findings += _document_findings(ex)
    if not ex.readable and ex.kind != "empty":
        return findings
    findings += _empty_finding(ex)
    if ex.kind == "empty" or not ex.has_text:
        return findings
    content = f"{ex.title}\n{ex.main_text}" if ex.title else ex.main_text
    if item is not None and fiscal_year is not None:
        findings += _year_finding(content, item, int(fiscal_year))
    if item is not None:
        text = _Text(content)
        findings += _topic_finding(text, item)
        findings += _element_findings(text, item, ex)
    if main_domain and ex.kind == "html" and on_domain(_host_of(fetch_result.final_url or fetch_result.url),
                                                         main_domain):
        findings += _outside_documents_finding(ex, main_domain)
    return findings

