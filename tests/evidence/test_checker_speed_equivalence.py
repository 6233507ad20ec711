"""The checker's fast paths give exactly what their definitions give: whitespace tidying by string
methods (text._tidy, keywords._match_form) against the regular expressions they replace, remembered
newmm / character-cluster boundaries against fresh ones, and the thaidate short cuts (patterns skipped
when the words they need are absent, the early decision on number windows) against running every
pattern; then whole pages, generated from Thai fragments, give the same findings both ways. Also the
choice of the extraction pool's size (none for a short run)."""

from __future__ import annotations

import contextlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itadesk.evidence.checker import CheckerConfig, check, extract
from itadesk.evidence.checker import config as config_module
from itadesk.evidence.checker.fetch import FetchResult
from itadesk.methodology import schema
from tests.evidence import servers

X = __import__("itadesk.evidence.checker.text", fromlist=["text"])
R = __import__("itadesk.evidence.checker.keywords", fromlist=["keywords"])
HTML = __import__("itadesk.evidence.checker.htmltext", fromlist=["htmltext"])
PDF = __import__("itadesk.evidence.checker.pdftext", fromlist=["pdftext"])
EXTRACT = __import__("itadesk.evidence.checker.extract", fromlist=["extract"])
T = __import__("itadesk.evidence.checker.thaidate", fromlist=["thaidate"])
evidence_server = servers.evidence_server  # fixture

FW = schema.load_file(schema.FRAMEWORKS_DIR / "nacc-ita-2568.yaml")
ITEMS = [schema.find_item(FW, f"o{n}").item for n in range(1, 27)]
WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
CHECKS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _segments_reference(norm: str) -> list[tuple[int, int]]:
    """thaidate._segments as first written: all windows, then the decision."""
    out: list[tuple[int, int]] = []
    size = len(norm)
    for m in re.finditer(r"\d{2,}", norm):
        if m.end() - m.start() not in (2, 4):
            continue
        lo, hi = max(0, m.start() - 64), min(size, m.end() + 32)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    if sum(hi - lo for lo, hi in out) > size // 2:
        return [(0, size)] if size else []
    return out


def _form_of_digits_reference(digits: str) -> str:
    """keywords._form_of_digits written as _match_form_reference writes its last steps."""
    return R._LINE_BREAKS.sub("\n", R._SPACES_ONLY.sub(" ", digits.casefold())).strip()


def _tidy_thai_reference(text: str) -> str:
    """text._tidy_thai by its definition."""
    return X._tidy_reference(X.normalise_thai(text))


@contextlib.contextmanager
def reference_path(monkeypatch):
    """Every fast path replaced by its definition, and nothing remembered from before."""
    with monkeypatch.context() as m:
        for module in (X, EXTRACT):  # each module that tidies text
            m.setattr(module, "_tidy", X._tidy_reference)
        for module in (HTML, PDF):  # and each that normalises and tidies in one go
            m.setattr(module, "_tidy_thai", _tidy_thai_reference)
        m.setattr(R, "_match_form", R._match_form_reference)
        m.setattr(R, "_form_of_digits", _form_of_digits_reference)
        m.setattr(R, "_tight_form", R._tight_form_reference)
        m.setattr(R, "_token_ends", R._token_ends.__wrapped__)
        m.setattr(R, "_tcc_positions", R._tcc_positions.__wrapped__)
        m.setattr(T, "_mentions_any", lambda text, words: True)
        m.setattr(T, "_may_match", lambda hint, text: True)
        m.setattr(T, "_segments", _segments_reference)
        m.setattr(T, "_MONTH_FIRST", {})  # every pattern run at every place
        R._keyword_form.cache_clear()
        try:
            yield
        finally:
            R._keyword_form.cache_clear()


# --- pure pieces ------------------------------------------------------------------------------------

THAI_WORDS = ["แผนการดำเนินงาน", "งบประมาณ", "ประจำปี", "ความก้าวหน้า", "ชื่อ", "เชื่อ", "อำนาจหน้าที่", "ของ",
              "เทศบาล", "รายงาน", "ผลการ", "ดำเนินงาน", "กำ", "ลัง", "น้ำ", "ข้อมูล", "ติดต่อ", "โทร"]
TEXT_PIECES = st.one_of(
    st.sampled_from(THAI_WORDS),
    st.sampled_from(list(WHITESPACE) + ["  ", " \n ", "\r\n", "\n\n", "\u200b", "\u0e4d\u0e32", "\uf70b"]),
    st.text(alphabet="abcAB 12๑๒๕๖๘-/.,:©()", max_size=6),
    st.sampled_from(["31 มี.ค. 2568", "ต.ค. 67", "March 31, 2025", "FY2025", "fiscal year 2568", "2025-03-31",
                     "31/3/68", "ปีงบประมาณ พ.ศ. ๒๕๖๘", "พ.ศ. 2566 - 2570", "© 2568", "สงวนลิขสิทธิ์ 2567",
                     "2550 บาท", "may 25", "Sept. 2024", "ปี 68", "ค.ศ. 2024", "0 4281 1234"]),
)
TEXTS = st.lists(TEXT_PIECES, max_size=40).map("".join)


@CHECKS
@given(TEXTS)
def test_tidy_is_its_definition(text):
    assert X._tidy(text) == X._tidy_reference(text)


@CHECKS
@given(st.text(alphabet=WHITESPACE + "ab\u0e01\u0e32", max_size=30))
def test_tidy_on_any_whitespace(text):
    assert X._tidy(text) == X._tidy_reference(text)
    assert R._match_form(text) == R._match_form_reference(text)
    assert X._tidy_thai(text) == _tidy_thai_reference(text)


NORMALISED_PIECES = st.one_of(TEXT_PIECES, st.sampled_from(
    ["\u00ad", "\u2060", "\ufeff", "\uf700", "\uf71a", "\u0e4d\u0e48\u0e32", "e\u0301", "\u2000", "\u2001", "\u3000",
     "\x1c", "\x85", "\u0e38\u0e48", "\u0e48\u0e38", "\uf718\uf70a"]))


@CHECKS
@given(st.lists(NORMALISED_PIECES, max_size=30).map("".join))
def test_tidy_thai_is_tidy_of_normalise_thai(text):
    assert X._tidy_thai(text) == _tidy_thai_reference(text) == X._tidy(X.normalise_thai(text))


@CHECKS
@given(TEXTS)
def test_match_form_is_its_definition(text):
    assert R._match_form(text) == R._match_form_reference(text)
    assert R._Text(text).form == R._match_form_reference(text)


@CHECKS
@given(st.one_of(TEXTS.map(lambda text: R._match_form(text)),
                 st.text(alphabet="\u0e01\u0e32\u0e48\u0e7f\u0e00\u0e80a1 \n", max_size=30)))
def test_tight_form_is_its_definition(form):
    assert R._tight_form(form) == R._tight_form_reference(form)


def test_other_space_is_every_whitespace_but_ascii():
    others = {c for c in WHITESPACE if c not in " \t\n\r\f\v"}
    assert others == {c for c in WHITESPACE if X._OTHER_SPACE.match(c)}


@CHECKS
@given(st.lists(st.one_of(st.text(alphabet="ab ", max_size=40), st.sampled_from(["12", "2568", "123", "68 ", "1"])),
                max_size=30).map("".join))
def test_number_windows_are_decided_as_before(norm):
    assert T._segments(norm) == _segments_reference(norm)


@CHECKS
@given(TEXTS)
def test_year_mentions_with_and_without_the_short_cuts(text):
    fast = T.find_year_mentions(text)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(T, "_mentions_any", lambda text, words: True)
        m.setattr(T, "_may_match", lambda hint, text: True)
        m.setattr(T, "_segments", _segments_reference)
        m.setattr(T, "_MONTH_FIRST", {})
        assert T.find_year_mentions(text) == fast
        assert T.find_dates(text) == T.find_dates(text)


NUMERIC_DATES = st.lists(st.one_of(
    st.text(alphabet="0123456789๐๑๒๕๘/.-: ", min_size=1, max_size=12),
    st.sampled_from(["2025-03-31", "31/03/2568", "31.3.68", "1-10-2567", "๓๑/๓/๖๘", "2568-", "-03-", "/12/",
                     " พ.ศ. ", "วันที่ ", "บาท", "ก.พ.", "\n"]),
), max_size=20).map("".join)


@CHECKS
@given(NUMERIC_DATES)
def test_numeric_dates_are_found_with_and_without_their_hints(text):
    fast = (T.find_dates(text), T.find_year_mentions(text))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(T, "_may_match", lambda hint, text: True)
        assert (T.find_dates(text), T.find_year_mentions(text)) == fast


@CHECKS
@given(TEXTS, st.sampled_from(THAI_WORDS + ["รอบ 6 เดือน", "no gift policy", "ita"]))
def test_keyword_hits_with_and_without_remembered_boundaries(text, keyword):
    form = R._match_form(text)
    fast = R.find_keyword(form, keyword)
    again = R.find_keyword(form, keyword)  # now from the remembered boundaries
    with pytest.MonkeyPatch.context() as m:
        m.setattr(R, "_token_ends", R._token_ends.__wrapped__)
        m.setattr(R, "_tcc_positions", R._tcc_positions.__wrapped__)
        assert R.find_keyword(form, keyword) == fast == again


# --- the HTML walk ------------------------------------------------------------------------------------

_BLOCK, _CELL, _VOID, _SKIP = HTML._BLOCK, HTML._CELL, HTML._VOID, HTML._SKIP
_LINK_ATTRS, _INLINE_SET, _BOILER_CLASS, _SPACES = HTML._LINK_ATTRS, HTML._INLINE_SET, HTML._BOILER_CLASS, HTML._SPACES
_origin, Link, urljoin = HTML._origin, HTML.Link, HTML.urljoin


def _walk_lexbor_reference(state, root) -> None:
    """htmltext._walk_lexbor before its tags were looked up in one table (the definition it is held to)."""
    all_parts, content_parts, main_parts = state.all_parts, state.content_parts, state.main_parts
    links, title_parts, image_marks = state.links, state.title_parts, state.image_marks
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
                        if tag == "img" and not boiler and not skip:
                            image_marks.append((len(links) - 1, len(content_parts)))
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


HTML_TAGS = sorted(HTML._BLOCK | HTML._CELL | HTML._VOID | HTML._SKIP | set(HTML._LINK_ATTRS) | HTML._INLINE_SET
                   | {"main", "article", "header", "footer", "section", "custom-x", "svg", "math"})
ATTRIBUTES = st.lists(st.tuples(
    st.sampled_from(["class", "id", "role", "href", "src", "data", "alt", "title"]),
    st.sampled_from(["", "menu", "x nav-y", "footer", "content", "main", "navigation", "banner", "contentinfo",
                     "/doc.pdf", "rel/x", "//cdn/x", "https://other.go.th/a", "javascript:x()", "#top", "  /sp  ",
                     "รูปผู้บริหาร", "Main"])), max_size=3)
HTML_TEXT = st.sampled_from(["ข้อมูล", "นายก อบต.", " ", "\n", "2568", "&amp;", "a&nbsp;b", "<!-- c -->", "x"])


@st.composite
def html_fragments(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        if draw(st.booleans()):
            parts.append(draw(HTML_TEXT))
            continue
        tag = draw(st.sampled_from(HTML_TAGS))
        attrs = "".join(f' {k}="{v}"' for k, v in draw(ATTRIBUTES))
        inner = draw(html_fragments(depth + 1))
        closing = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", ""]))  # sometimes left open
        parts.append(f"<{tag}{attrs}>{inner}{closing}")
    return "".join(parts)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_fragments(), st.booleans())
def test_the_html_walk_reads_as_its_definition(fragment, whole_page):
    html = f"<html><head><title>t</title></head><body>{fragment}</body></html>" if whole_page else fragment
    base = "https://www.loei.go.th/ita/index.php"
    fast = HTML.html_to_text(html, base)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(HTML, "_walk_lexbor", _walk_lexbor_reference)
        assert HTML.html_to_text(html, base) == fast


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(NORMALISED_PIECES, st.just("\n")), max_size=12),
       st.lists(st.one_of(NORMALISED_PIECES, st.just("\n")), max_size=12),
       st.lists(st.one_of(NORMALISED_PIECES, st.just("\n")), max_size=12), st.booleans(), st.booleans())
def test_the_whole_and_main_text_tidied_in_one_pass_are_each_tidied_alone(before, main, after, open_before, open_main):
    """When the main parts are one run of the parts that starts and ends a line, one pass gives both texts."""
    before = before + ([] if open_before else ["\n"])
    main = main + ([] if open_main else ["\n"])
    parser = HTML._TextParser(None)
    parser.all_parts, parser.main_parts, parser.main_start = before + main + after, main, len(before)
    text, main_text = HTML._tidy_with_main(parser)
    if text is not None:
        assert text == X._tidy_thai("".join(before + main + after))
        assert main_text == X._tidy_thai("".join(main))
    if not open_before and not open_main and not any(
            X._SPECIAL.search(piece) for piece in before + main + after):
        assert text is not None  # the fast path is taken where it can be
    parser.main_start = len(before) + 1  # not where the main parts are: the two passes
    assert HTML._tidy_with_main(parser) == (None, None) or parser.all_parts[len(before) + 1:][:len(main)] == main


def test_only_standard_tags_are_remembered_by_their_id():
    """Lexbor gives a tag it does not know an id of its own in each document: such ids are never remembered."""
    pages = ["<o:p>a</o:p><x-card><p>b</p></x-card><custom-menu class=menu>c</custom-menu>",
             "<custom-menu>d</custom-menu><x-card>e</x-card><o:p>f</o:p><svg><title>g</title></svg>"]
    for page in pages:
        HTML.html_to_text(f"<html><body><main>{page}</main></body></html>", "https://www.loei.go.th/")
    from selectolax.lexbor import LexborHTMLParser

    for page in pages:
        for node in LexborHTMLParser(page).root.traverse(include_text=True):
            kind = HTML._BY_TAG_ID.get(node.tag_id)
            if kind is not None and kind[0] == HTML._ELEMENT:
                assert kind[1] == node.tag and node.tag in HTML._STANDARD_TAGS
    assert all(kind[0] != HTML._ELEMENT or kind[1] in HTML._STANDARD_TAGS for kind in HTML._BY_TAG_ID.values())


# --- whole pages --------------------------------------------------------------------------------------

PARAGRAPHS = st.lists(st.one_of(
    TEXTS,
    st.sampled_from([kw for it in ITEMS for kw in (it.get("hints") or {}).get("keywords") or []]),
    st.sampled_from([kw for it in ITEMS for el in it.get("elements") or [] for kw in el.get("keywords") or []]),
), min_size=1, max_size=12)
TAGS = st.sampled_from(["p", "div", "td", "li", "span", "h2", "b"])


@st.composite
def pages(draw):
    """(body bytes, content type, item): a Thai page with a menu, paragraphs in various tags, maybe
    a <main>, in UTF-8 or TIS-620, or a plain-text document."""
    paragraphs = draw(PARAGRAPHS)
    tags = [draw(TAGS) for _ in paragraphs]
    body = "".join(f"<{t}>{p}</{t}>" for t, p in zip(tags, paragraphs, strict=True))
    if draw(st.booleans()):
        body = f"<main>{body}</main>"
    menu = '<nav class="menu"><a href="/o1">โครงสร้างองค์กร</a> <a href="/o6">แผนการดำเนินงาน</a></nav>'
    title = draw(st.sampled_from(["", "ข้อมูลสาธารณะ", "แผนการดำเนินงาน ประจำปี 2568"]))
    html = (f"<!doctype html><html lang=\"th\"><head><title>{title}</title></head><body>{menu}{body}"
            "<footer>สงวนลิขสิทธิ์ © 2568</footer></body></html>")
    kind = draw(st.sampled_from(["utf-8", "cp874", "text"]))
    item = draw(st.sampled_from(ITEMS))
    if kind == "text":
        return "\n".join(paragraphs).encode(), "text/plain; charset=utf-8", item
    data = html.encode(kind, "replace") if kind == "cp874" else html.encode()
    return data, ("text/html" if kind == "cp874" else "text/html; charset=utf-8"), item


def _report(body: bytes, content_type: str, item: dict):
    result = FetchResult("https://www.sao.go.th/ita/o.html", status=200, content_type=content_type, body=body)
    extracted = extract(result, CheckerConfig())
    findings = check(result, item=item, main_domain="sao.go.th", fiscal_year=2568, extracted=extracted)
    return extracted.to_dict(), [f.to_dict() for f in findings]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(pages())
def test_fast_and_reference_paths_give_the_same_findings(monkeypatch, page):
    fast = _report(*page)
    with reference_path(monkeypatch):
        reference = _report(*page)
    assert fast == reference


def test_the_benchmark_documents_give_the_same_findings_both_ways(monkeypatch):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    try:
        import evidence as bench
    finally:
        sys.path.pop(0)
    html_docs, _pdf_docs = bench.build_documents()
    cases = [(body, ctype, schema.find_item(FW, code).item)
             for n, (body, ctype) in enumerate(html_docs) for code in bench.ITEMS_HTML[n % 2::2]]
    fast = [_report(*case) for case in cases]
    with reference_path(monkeypatch):
        assert [_report(*case) for case in cases] == fast


# --- the pool's size ---------------------------------------------------------------------------------


def test_pool_size(monkeypatch):
    monkeypatch.setattr(config_module.os, "cpu_count", lambda: 4)
    auto = CheckerConfig()
    below = config_module.IN_PROCESS_BELOW
    assert auto.pool_size(1) == auto.pool_size(below - 1) == 0  # a few URLs: in the loop's process
    assert auto.pool_size(below) == 4 and auto.pool_size(20_000) == 4 and auto.pool_size(None) == 4
    monkeypatch.setattr(config_module.os, "cpu_count", lambda: 64)
    assert auto.pool_size(below) == below  # never more processes than URLs
    assert CheckerConfig(workers=0).pool_size(20_000) == 0
    assert CheckerConfig(workers=3).pool_size(2) == 3  # as configured


def test_a_short_run_starts_no_pool(monkeypatch, evidence_server):
    import asyncio

    from itadesk.evidence.checker import CheckRequest, iter_check
    from itadesk.evidence.checker import run as run_module

    sizes: list[int] = []
    real = run_module._make_pool

    def spy(workers, config):
        sizes.append(workers)
        return real(workers, config)

    monkeypatch.setattr(run_module, "_make_pool", spy)
    config = CheckerConfig(allow=("127.0.0.1",), delay=0, timeout=10.0)
    paths = ("/o6", "/th/utf8", "/doc.pdf")
    requests = [CheckRequest(evidence_server.url(path), ITEMS[5], "127.0.0.1", 2568, key=path) for path in paths]

    async def main():
        return [report async for report in iter_check(requests, config)]

    reports = asyncio.run(main())
    assert sizes == [0]  # no process pool for three URLs
    assert {r.key for r in reports} == set(paths)
    assert all(r.extracted is not None and r.extracted.has_text for r in reports)


# --- remembered address and host checks ----------------------------------------------------------------


@CHECKS
@given(st.one_of(st.ip_addresses(), st.sampled_from(["127.0.0.1", "10.1.2.3", "::ffff:192.168.1.1",
                                                     "64:ff9b::a00:1", "2002:c0a8:101::1", "8.8.8.8"])))
def test_remembered_address_checks_are_the_checks(address):
    from itadesk.evidence.checker import fetch

    text = str(address)
    ip = fetch._as_ip(text)
    assert ip == fetch._as_ip.__wrapped__(text)
    assert fetch.address_problem(ip) == fetch.address_problem.__wrapped__(ip)
    assert fetch.address_problem(ip) == fetch.address_problem(ip)  # asked twice: the same answer


@CHECKS
@given(st.one_of(st.sampled_from(["WWW.Loei.GO.th.", "[::1]", "ไทย.ไทย", " a.b ", "", "xn--o3cw4h.xn--o3cw4h"]),
                 st.text(max_size=12)))
def test_remembered_host_names_are_normalised_as_before(host):
    assert config_module.normalise_host(host) == config_module.normalise_host.__wrapped__(host)


# --- month names grouped by first letter -----------------------------------------------------------------

_MONTH_WORDS = [src.replace("\\.?", ".").replace("\\s?", "").replace("\\", "") for src, _ in T._THAI_MONTHS + T._EN_MONTHS]


@CHECKS
@given(st.lists(st.one_of(st.sampled_from(_MONTH_WORDS), st.sampled_from(["12", "๓๑", "2568", "68", " ", "-", "พ.ศ.",
                                                                          "ค.ศ.", "มี", "ก", "ม.", "ปี", "may"]),
                          st.text(alphabet="กขมคพยเ .0123456789", max_size=4)), max_size=14))
def test_month_alternation_grouped_by_first_letter_matches_as_the_flat_one(parts):
    text = T._lower(T._normalise("".join(parts)))
    pairs = ((T._THAI_MONTH_ALT, T._THAI_MONTH_ALT_FLAT), (f"{T._THAI_MONTH_ALT}|{T._EN_MONTH_ALT}",
                                                           f"{T._THAI_MONTH_ALT_FLAT}|{T._EN_MONTH_ALT_FLAT}"))
    for grouped, flat in pairs:
        for before in ("", r"(?P<day>\d{1,2})\s*"):
            a = [(m.span(), m.group("month")) for m in re.finditer(f"{before}(?P<month>{grouped})\\s*" + T._YEAR, text)]
            b = [(m.span(), m.group("month")) for m in re.finditer(f"{before}(?P<month>{flat})\\s*" + T._YEAR, text)]
            assert a == b


_GAPS = st.sampled_from(["", " ", "  ", "-", " - ", "\n", "\xa0", " พ.ศ. ", " ค.ศ.", "b.e. ", ", "])
_DATES = st.builds("".join, st.tuples(st.sampled_from(["", "1", "31", "๓๑", "١٢", "123", "7 ", "x"]), _GAPS,
                                      st.sampled_from(_MONTH_WORDS), _GAPS,
                                      st.sampled_from(["", "2568", "68", "2025", "๒๕๖๘", "256", "25681", "6"])))
MONTH_TEXTS = st.lists(st.one_of(
    _DATES, _DATES, st.sampled_from(_MONTH_WORDS), st.sampled_from([w.upper() for w in _MONTH_WORDS if w.isascii()]),
    st.sampled_from(["12", "๓๑", "2568", "68", "1", "123", " ", "  ", "\n", "\xa0", "\u2003", "-", " - ", "พ.ศ.",
                     "ค.ศ.", "b.e.", "ad", "มี", "ก", "ม.", "ปี", "may", "sum", ",", "2025", "๒๕๖๘"]),
    st.text(alphabet="กขมคพยเส .0123456789-, \t", max_size=5)), max_size=24).map("".join)


@CHECKS
@given(MONTH_TEXTS)
def test_month_starts_are_every_place_a_month_name_starts(text):
    low = T._lower(T._normalise(text))
    every = [m.start() for m in re.finditer(f"(?=(?:{T._THAI_MONTH_ALT}|{T._EN_MONTH_ALT}))", low)]
    assert T._month_starts(low) == every


@CHECKS
@given(MONTH_TEXTS, st.lists(st.integers(0, 200), max_size=6))
def test_scanning_windows_is_each_window_in_turn(text, cuts):
    doc = T._Doc(text)
    size = len(doc.low)
    bounds = sorted({min(c, size) for c in cuts})
    windows = [(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=False) if a < b]
    for segments in (doc.segments, [(0, size)], windows, windows[:1]):
        for rx in (T._FISCAL, T._YEAR_PHRASE, T._BARE_BE, T._COPYRIGHT):
            every = [(m.span(), m.group(0)) for lo, hi in segments for m in rx.finditer(doc.low, lo, hi)]
            assert [(m.span(), m.group(0)) for m in T._scan(rx, doc.low, segments)] == every


@CHECKS
@given(st.one_of(TEXTS, MONTH_TEXTS))
def test_year_mentions_with_the_digits_given_are_those_found_alone(text):
    """What the rules give find_year_mentions (the content with Arabic digits, from its match form) changes nothing."""
    assert T.find_year_mentions(text, norm=T._normalise(text)) == T.find_year_mentions(text)


@CHECKS
@given(MONTH_TEXTS)
def test_month_numbers_are_remembered_as_read(text):
    low = T._lower(T._normalise(text))
    for m in T._MONTH_ANY.finditer(low):
        assert T._month_number(m.group(0)) == T._month_number_of(m.group(0))
        assert T._month_number(f" {m.group(0)} ") == T._month_number_of(m.group(0))


def test_a_month_name_starts_with_one_of_the_letters_looked_for():
    """_month_starts tries a place inside a month name only at these letters: each form starts with a plain letter."""
    for src, _month in T._THAI_MONTHS + T._EN_MONTHS:
        assert src[0] not in "\\([.?*+|" and re.match(src, src.replace("\\.?", ".").replace("\\s?", "")) is not None
        assert src[0] in T._MONTH_FIRST_LETTERS


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MONTH_TEXTS, st.lists(st.integers(0, 200), max_size=6))
def test_patterns_tried_at_month_names_match_as_at_every_place(text, cuts):
    doc = T._Doc(text)
    size = len(doc.low)
    bounds = sorted({min(c, size) for c in cuts})  # any windows, not only those of _segments
    windows = [(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=False) if a < b]
    for segments in (doc.segments, [(0, size)], windows):
        doc.segments = segments
        for rx in T._MONTH_FIRST:
            source = doc.low if rx in (T._DMY_TEXT, T._MDY_EN, T._MONTH_YEAR_TH, T._MONTH_YEAR_EN) else doc.norm
            fast = [(m.span(), m.groupdict()) for m in doc.scan(rx, source)]
            assert fast == [(m.span(), m.groupdict()) for m in T._scan(rx, source, segments)]


# --- hosts take turns ---------------------------------------------------------------------------------------


@CHECKS
@given(st.lists(st.tuples(st.sampled_from(["a.go.th", "b.go.th", "B.go.th:8080", "c.ac.th", "[::1]"]),
                          st.integers(0, 30)), max_size=60))
def test_hosts_take_turns_and_keep_their_own_order(entries):
    from itadesk.evidence.checker import CheckRequest
    from itadesk.evidence.checker.run import _host_key, by_host_turns

    requests = [CheckRequest(f"https://{host}/ita/o{n}", key=i) for i, (host, n) in enumerate(entries)]
    turned = by_host_turns(requests)
    assert sorted(r.key for r in turned) == list(range(len(requests)))  # the same requests
    hosts = [_host_key(r.url) for r in turned]
    for host in set(hosts):
        assert [r.key for r in turned if _host_key(r.url) == host] == [
            r.key for r in requests if _host_key(r.url) == host]  # each host's own order
    # in turns: the first round has every host once, and a host's k-th request never comes before another
    # host's (k-1)-th
    assert len(set(hosts[:len(set(hosts))])) == len(set(hosts))
    rank = {}
    ranks = []
    for host in hosts:
        rank[host] = rank.get(host, 0) + 1
        ranks.append(rank[host])
    assert ranks == sorted(ranks)


def test_a_job_listed_agency_by_agency_keeps_every_host_busy():
    from itadesk.evidence.checker import CheckRequest
    from itadesk.evidence.checker.run import by_host_turns

    requests = [CheckRequest(f"https://agency{a}.go.th/ita/o{n}") for a in range(50) for n in range(1, 27)]
    first = by_host_turns(requests)[:50]
    assert len({r.url.split("/")[2] for r in first}) == 50


@CHECKS
@given(st.text(max_size=20), st.text(max_size=20), st.sampled_from(["a", "img", "table", "iframe"]), st.booleans(),
       st.text(max_size=20))
def test_a_link_pickles_to_an_equal_link(url, text, tag, boiler, context):
    import pickle

    link = HTML.Link(url, text, tag, boiler, context)
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        again = pickle.loads(pickle.dumps(link, protocol))
        assert again == link and type(again) is HTML.Link


@CHECKS
@given(st.one_of(TEXTS, st.text(alphabet=WHITESPACE + "ab\u0e01\ufffd\uf700\x00\x85", max_size=40)))
def test_non_space_characters_are_counted_as_the_patterns_count_them(text):
    assert PDF._nonspace_chars(text) == len(text) - len(PDF._WHITESPACE.findall(text)) == len(re.sub(r"\s+", "", text))


def test_str_split_and_the_whitespace_pattern_agree_on_every_character():
    assert {c for c in WHITESPACE if PDF._WHITESPACE.match(c)} == set(WHITESPACE)
    assert all(PDF._WHITESPACE.match(c) is None for c in map(chr, range(0x110000)) if not c.isspace())


@CHECKS
@given(st.binary(max_size=200))
def test_the_thai_byte_sniff_counts_as_a_byte_loop(body):
    high = sum(1 for b in body if b >= 0x80)
    consonants = sum(1 for b in body if 0xA1 <= b <= 0xCE)
    assert EXTRACT._looks_thai_cp874(body) == (bool(high) and consonants / high >= 0.3)
