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

Modules: ``finding`` (Finding), ``sites`` (domains and outside sites), ``keywords`` (keyword matching),
``link_checks`` (the findings about the link itself); here, the findings about the content and :func:`check`.
"""

from __future__ import annotations

import re

from itadesk.methodology.schema import item_time_rule

from .extract import Extracted, extract
from .fetch import redact_url
from .finding import NOT_CHECKED_EN, NOT_CHECKED_TH, SEVERITIES, Finding, _fail, _ok
from .keywords import (
    MAX_CANDIDATES,
    SHORT_KEYWORD_CHARS,
    SNIPPET_CHARS,
    KeywordHit,
    _compiled,
    _keyword_form,
    _match_form,
    _pattern_label,
    _Text,
    _tokenizer,
    find_keyword,
)
from .link_checks import _domain_finding, _fetch_findings, _home_finding, _tls_finding
from .sites import _host_of, _site_label, is_home_page, known_site, on_domain, registered_domain
from .thaidate import YearMention, find_year_mentions

__all__ = ["Finding", "KeywordHit", "SEVERITIES", "check", "find_keyword", "is_home_page", "known_site",
           "on_domain", "registered_domain"]

# Names kept importable from here, where they lived before the split.
_REEXPORTED = (NOT_CHECKED_EN, NOT_CHECKED_TH, MAX_CANDIDATES, SHORT_KEYWORD_CHARS, SNIPPET_CHARS, _match_form,
               _tokenizer, _site_label)

EMPTY_MIN_CHARS = 50          # non-space characters of content below which a page is empty
PLACEHOLDER_MAX_CHARS = 400   # a placeholder phrase counts only on a page with less content than this


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


def _year_finding(text: str, item: dict, fiscal_year: int, norm: str | None = None) -> list[Finding]:
    """``norm``: ``text`` with Thai digits as Arabic, if known (see :func:`_content_findings`)."""
    rule = item_time_rule(item)
    target = time_rule_target(rule, fiscal_year)
    if target is None:
        return []
    words_th, words_en = (w.format(year=target) for w in _TIME_RULE_WORDS[rule])
    mentions = find_year_mentions(text, norm=norm)
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
# A person's name as agencies write it under a photo: a title, a first name and a family name ("นายก" is a
# position, not a title and a name).
_PERSON_NAME = re.compile(
    r"(?:นางสาว|นาง|นาย(?!ก)|ว่าที่\s?ร\.?ต\.?|ดร\.|ผศ\.|รศ\.|ศ\.|พล\.[ตทอ]\.|พ\.[ตท]\.|พันเอก|แพทย์หญิง"
    # military and police ranks local executives often hold (ว่าที่ร้อยตรี, จ่าสิบเอก, ร.ต.อ., จ.ส.อ. …) and
    # academic titles written out (ผู้ช่วยศาสตราจารย์ …)
    r"|ว่าที่\s?(?:ร้อย|พัน)?(?:ตรี|โท|เอก)|(?:จ่า)?สิบ(?:ตรี|โท|เอก)|(?:ร้อย|พัน)(?:ตรี|โท|เอก)|[รพ]\.[ตทอ]\.[ตทอ]?\.?"
    r"|จ\.ส\.[ตทอ]\.|ส\.[ตทอ]\.|ด\.ต\.|(?:ผู้ช่วย|รอง)?ศาสตราจารย์)"
    r"\s?[\u0e01-\u0e4e]+\s+[\u0e01-\u0e4e]{2,}"
    r"|(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+[A-Z][a-z]+\s+[A-Z][a-z]+")
_PERSON_ROLE = re.compile(
    r"นายก|ปลัด|ผู้อำนวยการ|ผอ\.|หัวหน้า|ประธาน|ผู้บริหาร|ผู้ว่าราชการ|นายอำเภอ|อธิการบดี|คณบดี|กำนัน|"
    r"ผู้ใหญ่บ้าน|ผู้จัดการ|เลขาธิการ|ตำแหน่ง|\b(?:president|director|dean|mayor|chief|head|manager|governor|"
    r"secretary|chairman|chairperson)\b", re.IGNORECASE)
_NOT_A_PORTRAIT = re.compile(r"logo|banner|ตราสัญลักษณ์|โลโก้|แบนเนอร์|ตราประจำ", re.IGNORECASE)
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
    None: ``image`` an image in the content (not the menus, header or footer), ``person_photo`` such an image
    with a person's name (title, first and family name) and a position beside it (in its alt text or the
    content text just before or after it), ``table`` a table there,
    ``phone`` a Thai phone number, ``email`` an e-mail address, ``map`` an embedded or linked map,
    ``pdf_link`` a link to a PDF in the content."""
    if kind == "image":
        images = _content_links(ex, "img")
        if images:
            named = next((lk.text for lk in images if lk.text), "")
            return f"{len(images)} image(s)" + (f", e.g. \"{named[:40]}\"" if named else "")
    elif kind == "person_photo":
        for lk in _content_links(ex, "img"):
            if _NOT_A_PORTRAIT.search(f"{lk.text} {lk.url.rsplit('/', 1)[-1]}"):
                continue  # the agency's logo or a banner beside the names is not anyone's photo
            near = f"{lk.text}\n{lk.context}"
            name, role = _PERSON_NAME.search(near), _PERSON_ROLE.search(near)
            if name and role:
                return f"a photo beside \"{name.group(0).strip()}\", {role.group(0)}"
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


_DETECTOR_TH = {"image": "รูปภาพในเนื้อหา", "person_photo": "รูปถ่ายที่มีชื่อและตำแหน่งกำกับ", "table": "ตาราง",
                "phone": "หมายเลขโทรศัพท์", "email": "อีเมล", "map": "แผนที่", "pdf_link": "ลิงก์ไฟล์ PDF",
                "office_link": "ลิงก์ไฟล์ Word/Excel/PowerPoint"}
# What a reviewer reads in English (the detectors' names are the framework file's, not the reviewer's words).
_DETECTOR_EN = {"image": "image in the content", "person_photo": "photo with a name and position beside it",
                "table": "table", "phone": "phone number", "email": "e-mail address", "map": "map",
                "pdf_link": "link to a PDF file", "office_link": "link to a Word/Excel/PowerPoint file"}


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
                en = f"Element {element['code']} found: " + ", ".join(f"{_DETECTOR_EN[d]} ({v})"
                                                                      for d, v in detected.items())
            out.append(_ok("elements", th, en, **detail))
            continue
        if not keywords_ok or not (keywords or patterns):
            listed = ", ".join(f"\"{k}\"" for k in keywords)
            looked = " ".join(_DETECTOR_TH[d] for d in detectors)
            th_what = (f"ไม่พบคำใดเลยจาก {listed}" if keywords else "") + (
                f"{' และ' if keywords else ''}ไม่พบ{looked}" if detectors else "")
            no_detected = "no " + " or ".join(_DETECTOR_EN[d] for d in detectors) + " was found" if detectors else ""
            en_what = " and ".join(part for part in (f"none of {listed} appears" if keywords else "", no_detected)
                                   if part)
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
    return findings + _content_findings(ex, item, fiscal_year)


def _content_findings(ex: Extracted, item: dict | None, fiscal_year: int | None) -> list[Finding]:
    """fiscal_year, topic and elements: what the words of the title and the content part say. The text in match
    form (:class:`_Text`) has the content with Thai digits as Arabic, which the year patterns read too: when
    normalising the content changes nothing (it is extracted text), they take it from there."""
    if item is None:
        return []
    content = f"{ex.title}\n{ex.main_text}" if ex.title else ex.main_text
    text = _Text(content)
    findings: list[Finding] = []
    if fiscal_year is not None:
        norm = text.digits if text.original == content else None
        findings += _year_finding(content, item, int(fiscal_year), norm)
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
    findings += _content_findings(ex, item, fiscal_year)
    if main_domain and ex.kind == "html" and on_domain(_host_of(fetch_result.final_url or fetch_result.url),
                                                         main_domain):
        findings += _outside_documents_finding(ex, main_domain)
    return findings
