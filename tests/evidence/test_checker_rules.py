"""Findings (itadesk.evidence.checker.rules), end to end against real HTTP servers on 127.0.0.1 and on
hand-made fetch results: each finding appears when it should, and not otherwise."""

from __future__ import annotations

import dataclasses
import json

import pytest

from itadesk.evidence.checker import CheckerConfig, check, check_url_sync, extract
from itadesk.evidence.checker.extract import (
    _pdf_result,
    decode_text,
    extract_bytes,
    html_to_text,
    html_to_text_stdlib,
)
from itadesk.evidence.checker.fetch import FetchResult, Hop
from itadesk.evidence.checker.rules import (
    find_keyword,
    is_home_page,
    known_site,
    on_domain,
    registered_domain,
)
from itadesk.methodology import schema
from tests.evidence import servers
from tests.evidence.servers import O6_BODY, page

evidence_server = servers.evidence_server  # fixture
FW = schema.load_file(schema.FRAMEWORKS_DIR / "nacc-ita-2568.yaml")
CONFIG = CheckerConfig(allow=("127.0.0.1",), delay=0, timeout=1.0, max_bytes=64 * 1024)


def item(code: str) -> dict:
    """A 2568 item; ``o1@current_year`` is o1 with another time rule (o1 itself needs no year: the
    cases below that test the year rules on the structure pages use it as if it needed one)."""
    code, _, rule = code.partition("@")
    found = schema.find_item(FW, code).item
    return {**found, "time_rule": {"rule": rule}} if rule else found


def run(server, path, code="o1@current_year", *, domain="127.0.0.1", fiscal_year=2568):
    return check_url_sync(server.url(path), item=item(code), main_domain=domain, fiscal_year=fiscal_year,
                          config=CONFIG)


def failed(findings) -> set[str]:
    return {f.code for f in findings if not f.passed}


def codes(findings) -> set[str]:
    return {f.code for f in findings}


CONTENT = {"empty", "fiscal_year", "topic", "elements"}
URL_CHECKS = {"reachable", "off_domain", "home_page"}


@pytest.mark.parametrize(("path", "code", "expect_failed", "expect_codes"), [
    # good pages: every check runs and passes
    ("/th/utf8", "o1@current_year", set(), URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/th/tis620", "o6", set(), URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/th/latin1-header", "o1@current_year", set(), URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/o6", "o6", set(), URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/r/1", "o1@current_year", set(), URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/meta-refresh", "o1@current_year", set(), URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/doc.pdf", "o6", set(), URL_CHECKS | CONTENT | {"no_text_layer"}),
    ("/download", "o6", set(), URL_CHECKS | CONTENT | {"no_text_layer"}),
    # fetching problems: only the URL checks besides
    ("/missing", "o1@current_year", {"http_error"}, {"http_error", "off_domain", "home_page"}),
    ("/error", "o1@current_year", {"http_error"}, {"http_error", "off_domain", "home_page"}),
    ("/slow?s=5", "o1@current_year", {"timeout"}, {"timeout", "off_domain", "home_page"}),
    ("/loop", "o1@current_year", {"too_many_redirects"}, {"too_many_redirects", "off_domain", "home_page"}),
    ("/to-private", "o1@current_year", {"refused_address", "off_domain"}, {"refused_address", "off_domain", "home_page"}),
    ("/to-ftp", "o1@current_year", {"bad_url", "off_domain"}, {"bad_url", "off_domain"}),
    # too large: reported, and the first 64 KB still checked
    ("/huge", "o6", {"too_large"}, URL_CHECKS | CONTENT | {"too_large", "off_domain_links"}),
    # content problems
    ("/th/no-year", "o1@current_year", {"fiscal_year"}, URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/o6/old", "o6", {"fiscal_year", "elements"}, URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/empty", "o1@current_year", {"empty"}, URL_CHECKS | {"empty"}),
    ("/blank", "o1@current_year", {"empty"}, URL_CHECKS | {"empty"}),
    ("/placeholder", "o6", {"empty", "fiscal_year", "elements"}, URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/soft404", "o1@current_year", {"empty", "fiscal_year", "topic", "elements"}, URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/links-only", "o6", {"empty", "fiscal_year", "elements"}, URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/o6", "o1@current_year", {"topic", "elements"}, URL_CHECKS | CONTENT | {"off_domain_links"}),  # the menu is no content
    ("/", "o1@current_year", {"home_page", "fiscal_year", "topic", "elements"}, URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/index.php", "o1@current_year", {"home_page", "fiscal_year", "topic", "elements"},
     URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/moved", "o1@current_year", {"home_page", "fiscal_year", "topic", "elements"}, URL_CHECKS | CONTENT | {"off_domain_links"}),
    ("/drive-page", "o6", {"off_domain_links"}, URL_CHECKS | CONTENT | {"off_domain_links"}),
    # what the checker cannot read
    ("/scan.pdf", "o6", {"no_text_layer"}, URL_CHECKS | {"no_text_layer"}),
    ("/chart.png", "o1@current_year", {"unreadable"}, URL_CHECKS | {"unreadable"}),
    ("/report.docx", "o1@current_year", {"unreadable"}, URL_CHECKS | {"unreadable"}),
    # the item's year rule: o7 and o13 want the previous fiscal year (2567)
    ("/doc.pdf", "o13", {"fiscal_year"}, URL_CHECKS | {"empty", "fiscal_year", "topic", "no_text_layer"}),
    ("/old.pdf", "o7", {"fiscal_year"}, URL_CHECKS | {"empty", "fiscal_year", "topic", "no_text_layer"}),  # o7: no elements
    # o1 (structure) and o2 (executives, the current holders) need no year: no year check at all
    ("/th/no-year", "o1", set(), URL_CHECKS | {"empty", "topic", "elements", "off_domain_links"}),
    ("/th/utf8", "o1", set(), URL_CHECKS | {"empty", "topic", "elements", "off_domain_links"}),
    # o22 accepts any year: no year check at all
    ("/o6", "o22", {"topic"}, URL_CHECKS | {"empty", "topic", "off_domain_links"}),
])
def test_findings_appear_when_they_should_and_not_otherwise(evidence_server, path, code, expect_failed,
                                                            expect_codes):
    report = run(evidence_server, path, code)
    assert failed(report.findings) == expect_failed, [f.message_en for f in report.findings if not f.passed]
    assert codes(report.findings) == expect_codes
    for finding in report.findings:
        assert finding.severity == "ok" if finding.passed else finding.severity in ("info", "warning", "error")
        assert finding.message_th and finding.message_en
    json.dumps([f.to_dict() for f in report.findings], ensure_ascii=False)  # plain data


def test_one_element_finding_per_element(evidence_server):
    report = run(evidence_server, "/o6/old", "o6")
    elements = [f for f in report.findings if f.code == "elements"]
    assert [f.detail["element"] for f in elements] == ["o6.1", "o6.2"]
    o61, o62 = elements
    assert not o61.passed and "2568" in o61.message_th and o61.detail["patterns_matched"] == []
    assert o62.passed and {h["keyword"] for h in o62.detail["found"]} >= {"ความก้าวหน้า", "รอบ 6 เดือน"}


def test_messages_name_the_problem(evidence_server):
    report = run(evidence_server, "/o6/old", "o6")
    year = next(f for f in report.findings if f.code == "fiscal_year")
    assert "2568" in year.message_th and "2566" in year.message_th and year.severity == "error"
    assert year.detail["expected"] == 2568 and "2566" in year.detail["found"]
    drive = next(f for f in run(evidence_server, "/drive-page", "o6").findings if f.code == "off_domain_links")
    assert "drive.google.com" in drive.message_th and "Google Drive" in drive.message_th
    assert drive.detail["hosts"] == ["drive.google.com"]
    scan = next(f for f in run(evidence_server, "/scan.pdf", "o6").findings if f.code == "no_text_layer")
    assert "สแกน" in scan.message_th and scan.detail["pages"] == 3
    missing = next(f for f in run(evidence_server, "/missing").findings if f.code == "http_error")
    assert "404" in missing.message_th and missing.detail["status"] == 404


def test_tis620_without_charset_decodes_to_thai(evidence_server):
    report = run(evidence_server, "/th/tis620", "o6")
    assert report.extracted.encoding == "cp874" and report.extracted.encoding_source == "sniff"
    assert "แผนการดำเนินงานและการใช้งบประมาณ" in report.extracted.text
    latin = run(evidence_server, "/th/latin1-header", "o1@current_year").extracted
    assert latin.encoding == "cp874" and "อำนาจหน้าที่" in latin.text


def test_thai_pdf_text_is_read(evidence_server):
    report = run(evidence_server, "/doc.pdf", "o6")
    assert report.extracted.kind == "pdf" and report.extracted.text_layer == "ok"
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘" in report.extracted.text
    assert report.extracted.pages == 2


def test_without_main_domain_or_fiscal_year_those_checks_are_left_out(evidence_server):
    report = check_url_sync(evidence_server.url("/o6"), item=item("o6"), config=CONFIG)
    assert "off_domain" not in codes(report.findings) and "off_domain_links" not in codes(report.findings)
    assert "fiscal_year" not in codes(report.findings)
    bare = check_url_sync(evidence_server.url("/o6"), config=CONFIG)
    assert codes(bare.findings) == {"reachable", "home_page", "empty"}


# --- hand-made fetch results (no network) -----------------------------------------------------------


def fetched(url, body=b"", *, final_url=None, status=200, content_type="text/html; charset=utf-8", **kw):
    return FetchResult(url=url, final_url=final_url or url, status=status, content_type=content_type, body=body, **kw)


HTML_O6 = page("แผน", O6_BODY).encode()


@pytest.mark.parametrize(("url", "site"), [
    ("https://drive.google.com/file/d/1AbC/view", "Google Drive"),
    ("https://docs.google.com/presentation/d/1x/edit", "Google Docs/Sheets/Slides"),
    ("https://www.facebook.com/loei/posts/1", "Facebook"),
    ("https://www.slideshare.net/loei/plan", "SlideShare"),
    ("https://anyflip.com/abc/def", "AnyFlip"),
    ("https://bit.ly/3xYz", "Bitly"),
])
def test_off_domain_names_the_site(url, site):
    findings = check(fetched(url, HTML_O6), item=item("o6"), main_domain="loei.go.th", fiscal_year=2568)
    off = next(f for f in findings if f.code == "off_domain")
    assert not off.passed and off.severity == "error"
    assert site in off.message_th and "loei.go.th" in off.message_th
    assert "ไม่ใช่เว็บไซต์หลักของหน่วยงาน (loei.go.th)" in off.message_th
    assert off.detail["site"] == site
    assert "off_domain_links" not in codes(findings)  # that check is for pages on the main domain


@pytest.mark.parametrize("url", ["https://www.loei.go.th/ita/o6", "https://loei.go.th/ita/o6",
                                 "https://ita.loei.go.th/o6", "http://WWW.LOEI.GO.TH./ita/o6"])
def test_on_domain(url):
    findings = check(fetched(url, HTML_O6), item=item("o6"), main_domain="https://www.loei.go.th/", fiscal_year=2568)
    assert next(f for f in findings if f.code == "off_domain").passed


@pytest.mark.parametrize("host", ["loei.go.th.example.com", "notloei.go.th", "loei.go.th.evil"])
def test_look_alike_domains_are_off_domain(host):
    assert not on_domain(host, "loei.go.th")


def test_a_redirect_off_the_main_domain_is_reported():
    result = fetched("https://www.loei.go.th/ita/o6", HTML_O6, final_url="https://drive.google.com/file/d/1/view",
                     redirects=(Hop("https://www.loei.go.th/ita/o6", 302, "https://drive.google.com/file/d/1/view"),))
    off = next(f for f in check(result, main_domain="loei.go.th") if f.code == "off_domain")
    assert not off.passed and off.detail["which"] == "final" and "Google Drive" in off.message_th


@pytest.mark.parametrize(("url", "home"), [
    ("https://www.loei.go.th/", True), ("https://www.loei.go.th", True), ("https://www.loei.go.th/index.php", True),
    ("https://www.loei.go.th/index.php?lang=th", True), ("https://www.loei.go.th/th/", True),
    ("https://www.loei.go.th/#ita", True), ("https://www.loei.go.th/home", True),
    ("https://www.loei.go.th/index.php?option=com_content&id=12", False), ("https://www.loei.go.th/ita/o1", False),
    ("https://www.loei.go.th/?page_id=27", False), ("https://www.loei.go.th/news/index.php", False),
])
def test_home_page(url, home):
    assert is_home_page(url) is home


def test_tls_problem_is_reported_only_when_there_is_one():
    broken = fetched("https://www.loei.go.th/ita/o6", HTML_O6, tls_error="unable to get local issuer certificate")
    tls = [f for f in check(broken) if f.code == "tls"]
    assert len(tls) == 1 and not tls[0].passed and "issuer" in tls[0].message_th
    assert "tls" not in codes(check(fetched("https://www.loei.go.th/ita/o6", HTML_O6)))


def test_year_rules_per_item():
    previous = page("รายงาน", "<h1>รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ ประจำปีงบประมาณ พ.ศ. 2567</h1>"
                              "<p>สรุปผลการจัดซื้อจัดจ้าง ประจำปี ตั้งแต่ 1 ต.ค. 2566 ถึง 30 ก.ย. 2567</p>").encode()
    result = fetched("https://www.loei.go.th/ita/o13", previous)
    o13 = next(f for f in check(result, item=item("o13"), fiscal_year=2568) if f.code == "fiscal_year")
    assert o13.passed and o13.detail["expected"] == 2567
    o12 = next(f for f in check(result, item=item("o12"), fiscal_year=2568) if f.code == "fiscal_year")
    assert not o12.passed and o12.detail["expected"] == 2568
    assert "fiscal_year" not in codes(check(result, item=item("o22"), fiscal_year=2568))  # data_year: any
    assert "fiscal_year" not in codes(check(result, item=item("o13")))  # no round year given


def test_a_copyright_year_is_not_evidence_of_the_year():
    body = page("โครงสร้าง", "<h1>โครงสร้างและอำนาจหน้าที่</h1><p>" + "แผนผังโครงสร้างองค์กร " * 10 + "</p>").encode()
    year = next(f for f in check(fetched("https://www.loei.go.th/o1", body), item=item("o1@current_year"),
                                 fiscal_year=2568) if f.code == "fiscal_year")
    assert not year.passed and year.severity == "warning"  # the footer's "© 2568" does not count


# --- keyword matching ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "keyword", "method"), [
    ("ชื่อ-นามสกุล นายสมชาย ใจดี", "ชื่อ", "word"),
    ("สร้างความเชื่อมั่นให้ประชาชน", "ชื่อ", None),            # not inside a syllable
    ("อำนาจหน้าที่ของเทศบาลตำบล", "อำนาจหน้าที่", "word"),
    ("ภารกิจและอำนาจหน้าที่ขององค์การบริหารส่วนตำบล", "หน้าที่และอำนาจ", None),
    ("แผนการ ดำเนินงาน ประจำปี", "แผนการดำเนินงาน", None),       # found only in the tight form (see _Text)
    ("ประกาศเจตนารมณ์ NO GIFT POLICY", "No Gift", "latin"),
    ("ติดต่อทาง e-mail: saraban@loei.go.th", "e-mail", "latin"),
    ("บริการ E-Services ออนไลน์", "E-Service", None),             # Latin keywords match whole words
    ("ความก้าวหน้า รอบ ๖ เดือน", "รอบ 6 เดือน", "word"),
])
def test_find_keyword(text, keyword, method):
    from itadesk.evidence.checker.rules import _match_form

    hit = find_keyword(_match_form(text), keyword)
    assert (hit.method if hit else None) == method


def test_spaced_pdf_text_still_matches_through_the_tight_form():
    body = page("แผน", "<p>แผนการ ดำเนินงาน และการใช้ งบประมาณ ประจำปีงบประมาณ พ.ศ. 2568</p>"
                       "<p>ความก้าว หน้า รอบ 6 เดือน ผลการ เบิกจ่าย ร้อยละ 40 " + "ข้อมูล " * 20 + "</p>").encode()
    findings = check(fetched("https://www.loei.go.th/o6", body), item=item("o6"), fiscal_year=2568)
    assert all(f.passed for f in findings if f.code == "elements")


def test_element_needs_keyword_and_pattern():
    element_item = {"code": "x1", "data_year": "any", "elements": [
        {"code": "x1.1", "text_th": "แผน ปี 2568", "keywords": ["แผนปฏิบัติ"], "patterns": [r"(?:2568|๒๕๖๘)"]},
        {"code": "x1.2", "text_th": "ตัวเลขโทรศัพท์", "patterns": [r"0\d{1,2}[- ]?\d{3}[- ]?\d{3,4}"]},
        {"code": "x1.3", "text_th": "ไม่มีคำให้ค้น"},
    ]}
    body = page("แผน", "<p>แผนปฏิบัติการ ปี ๒๕๖๘ " + "รายละเอียด " * 20 + "</p>").encode()
    findings = [f for f in check(fetched("https://a.go.th/x", body), item=element_item) if f.code == "elements"]
    assert [(f.detail["element"], f.passed) for f in findings] == [("x1.1", True), ("x1.2", False)]


# --- extraction details ----------------------------------------------------------------------------------


def test_decoding_order():
    thai = "<html><body>ข้อมูลสาธารณะ ประจำปีงบประมาณ</body></html>"
    assert decode_text(thai.encode("utf-8"), "text/html")[1:] == ("utf-8", "sniff")
    assert decode_text(thai.encode("cp874"), "text/html")[1:] == ("cp874", "sniff")
    assert decode_text(b"\xef\xbb\xbf" + thai.encode(), "text/html; charset=tis-620")[1:] == ("utf-8", "bom")
    meta = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-874"></head>{thai}'
    assert decode_text(meta.encode("cp874"), None)[1:] == ("cp874", "meta")
    assert decode_text(thai.encode("utf-8"), "text/html; charset=UTF-8")[1:] == ("utf-8", "http")
    western = "<html><body>Café crème brûlée</body></html>".encode("latin-1")
    assert decode_text(western, "text/html; charset=iso-8859-1")[0].find("Café") != -1


@pytest.mark.parametrize("parse", [html_to_text, html_to_text_stdlib])
def test_a_lazy_loaded_image_is_the_image_its_script_will_show(parse):
    html = ('<p><img data-src="/a.jpg"> <img src="data:image/gif;base64,R0lGOD" data-lazy-src="b.jpg">'
            '<img src="" data-original="/c.jpg"><img src="/d.jpg" data-src="/e.jpg"><img src="data:x"></p>')
    images = [link.url for link in parse(html, "https://www.loei.go.th/ita/")[3] if link.tag == "img"]
    assert images == ["https://www.loei.go.th/a.jpg", "https://www.loei.go.th/ita/b.jpg",
                      "https://www.loei.go.th/c.jpg", "https://www.loei.go.th/d.jpg"]


def test_html_text_title_links_and_main_part():
    html = ('<html><head><title>ข้อ o1</title><script>var x = "ไม่ใช่ข้อความ";</script></head><body>'
            '<div id="sidebar-menu"><a href="/o2">ผู้บริหาร</a></div><header>ชื่อเว็บไซต์</header>'
            '<article><h1>โครงสร้าง</h1><p>ข้อความ<span style="x">หลัก</span></p>'
            '<a href="plan.pdf">แผน</a><iframe src="https://drive.google.com/x"></iframe></article>'
            '<footer>© 2568</footer></body></html>')
    text, main, title, links = html_to_text(html, "https://www.loei.go.th/ita/index.php")
    assert title == "ข้อ o1"
    assert "ไม่ใช่ข้อความ" not in text and "ผู้บริหาร" in text
    assert main.split("\n") == ["โครงสร้าง", "ข้อความหลัก", "แผน"]
    assert [(lk.url, lk.tag, lk.boiler) for lk in links] == [
        ("https://www.loei.go.th/o2", "a", True), ("https://www.loei.go.th/ita/plan.pdf", "a", False),
        ("https://drive.google.com/x", "iframe", False)]


def test_garbled_pdf_text_layer():
    garbled = ("\ue000\ue001\ue002 " * 40 + "\f").encode()
    assert _pdf_result(garbled, 0, b"", CheckerConfig()).text_layer == "garbled"
    findings = check(fetched("https://a.go.th/x.pdf", b"%PDF-1.4", content_type="application/pdf"),
                     extracted=_pdf_result(garbled, 0, b"", CheckerConfig()))
    layer = next(f for f in findings if f.code == "no_text_layer")
    assert not layer.passed and layer.detail["text_layer"] == "garbled"


def test_nothing_to_extract_from_a_failed_fetch():
    assert extract(FetchResult(url="http://x/", error="timeout")) is None
    assert extract_bytes(b"\x89PNG\r\n\x1a\n....", "application/octet-stream").kind == "image"
    assert known_site("photos.app.goo.gl") == ("Google Photos", "file")
    assert registered_domain("https://WWW.Loei.go.th:443/ita") == "loei.go.th"


POOL_PATHS = ["/th/utf8", "/th/tis620", "/o6", "/o6/old", "/r/1", "/doc.pdf", "/download", "/scan.pdf", "/missing",
              "/empty", "/soft404", "/drive-page", "/chart.png", "/huge", "/", "/old.pdf"]


def _iter_check_in_a_thread(server, workers: int) -> dict:
    """iter_check as ``checking.iter_reports`` runs it: in a thread with its own event loop."""
    import asyncio
    import re
    import threading

    from itadesk.evidence.checker import CheckRequest, iter_check

    config = dataclasses.replace(CONFIG, workers=workers, timeout=30.0)  # in-process, a dictionary load stalls the loop
    requests = [CheckRequest(server.url(path), item(code), "127.0.0.1", 2568, key=(path, code))
                for path in POOL_PATHS for code in ("o1", "o6", "o7")]
    out: dict = {}

    async def main():
        async for report in iter_check(requests, config, concurrency=8):
            out[report.key] = (report.extracted.to_dict() if report.extracted else None,
                               [(f.code, f.passed, f.severity, re.sub(r"[\d.]+ s\b", "N s", f.message_en),
                                 f.detail) for f in report.findings])  # the fetch's elapsed time varies

    thread = threading.Thread(target=asyncio.run, args=(main(),))
    thread.start()
    thread.join(timeout=120)
    assert len(out) == len(requests)
    return out


def test_the_process_pool_gives_the_same_reports_as_in_process(evidence_server):
    assert _iter_check_in_a_thread(evidence_server, 2) == _iter_check_in_a_thread(evidence_server, 0)


def test_workers_default_to_the_cpus():
    import os

    assert CheckerConfig().worker_count == (os.cpu_count() or 1)
    assert CheckerConfig(workers=0).worker_count == 0
    with pytest.raises(ValueError):
        CheckerConfig(workers=-1)


@pytest.mark.parametrize("html", [
    page("โครงสร้างและอำนาจหน้าที่", servers.O1_BODY),
    page("แผนการดำเนินงาน", O6_BODY),
    '<p>a<p>b<li>c<li>d<table><tr><td>x<td>y</table><br>e<hr>f<img alt="รูป" src=x.png> g <a href="/x">l<b>in</b>k</a>'
    ' <base href="http://other/dir/"><a href=rel>r</a>',
    '<html><head><title>A</title><meta charset=utf-8></head><body><nav class="navbar"><a href=/1>1</a></nav>'
    '<main role=main><div class="menu-x">m</div><header>h</header>body<footer>f</footer></main><aside>s</aside>'
    '<svg><title>no</title><text>t</text></svg><select><option>o</select>tail&nbsp;&amp;<textarea>ta</textarea>'
    '<noscript>ns <a href=/ns>n</a></noscript><object data=/o.pdf></object><embed src=/e.pdf><area href=/ar title=T>',
    '<div class=footer>f<div class=content>c</div></div><div id=main-menu>mm</div><div class="x nav-y">ny</div><p>p',
    '<a href="/a">unclosed link <p>para</p>',
    '<h1>x</h1><a href="javascript:void(0)">js</a><a href="mailto:a@b">m</a><a href="#top">t</a>'
    '<a href="//cdn/x">c</a><a href="  /sp  ">sp</a><a>no href</a><font color=red><span>ข้อ</span>ความ</font>',
    '<p>นายก <img data-src="/a.jpg" alt="นายสมชาย"> <img src="data:image/gif;base64,R0l" data-lazy-src="/b.jpg">'
    '<img src=" " data-original="/c.jpg"><img src="/d.jpg" data-src="/not-this.jpg"><img src="data:x"></p>',
])
def test_lexbor_extraction_matches_the_html_parser_reference(html):
    base = "https://www.loei.go.th/ita/index.php"
    assert html_to_text(html, base) == html_to_text_stdlib(html, base)
