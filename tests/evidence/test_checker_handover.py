"""What a pool process hands back to the event loop reads back as what it was: an extraction pickles with its
links packed in columns and made into Link objects only when read, and ``run._extract_and_check`` names the
linked documents ``run._follow`` would have found itself."""

from __future__ import annotations

import copy
import dataclasses
import pickle

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itadesk.evidence.checker import extract
from itadesk.evidence.checker import run as run_module
from itadesk.evidence.checker.fetch import FetchResult
from itadesk.evidence.checker.text import Extracted, Link
from itadesk.methodology import schema

CHECKS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT = st.text(max_size=30)
LINKS = st.lists(st.builds(Link, TEXT, TEXT, st.sampled_from(["a", "img", "table", "iframe", "embed"]),
                           st.booleans(), TEXT), max_size=12)
EXTRACTED = st.builds(
    Extracted, st.sampled_from(["html", "pdf", "text", "image", "empty"]), TEXT, TEXT, TEXT, TEXT, LINKS,
    st.none() | st.sampled_from(["utf-8", "cp874"]), st.none() | st.sampled_from(["http", "meta", "sniff"]),
    st.none() | st.integers(0, 50), st.none() | st.integers(0, 50), st.none() | st.sampled_from(["ok", "none"]),
    st.none() | st.sampled_from(["pdf_failed"]), st.none() | TEXT, st.booleans())


@CHECKS
@given(EXTRACTED)
def test_an_extraction_pickles_to_an_equal_one(ex):
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        again = pickle.loads(pickle.dumps(ex, protocol))
        assert type(again) is Extracted
        assert dataclasses.asdict(again) == dataclasses.asdict(ex)  # every field, the links read back
        assert again == ex and repr(again) == repr(ex)
        assert all(type(lk) is Link for lk in again.links)
        assert pickle.loads(pickle.dumps(again, protocol)) == ex  # read back, pickled again


@CHECKS
@given(EXTRACTED, st.integers(0, 40), st.integers(0, 40))
def test_a_main_text_inside_the_text_reads_back_as_it_was(ex, start, length):
    for main in (ex.text[start:start + length], ex.text, "", ex.main_text + "\u0e01"):
        ex.main_text = main
        again = pickle.loads(pickle.dumps(ex, pickle.HIGHEST_PROTOCOL))
        assert again.main_text == main and again.text == ex.text and type(again.main_text) is str


@CHECKS
@given(EXTRACTED, LINKS)
def test_links_of_a_read_back_extraction_behave_as_a_field(ex, other):
    again = pickle.loads(pickle.dumps(ex, pickle.HIGHEST_PROTOCOL))
    replaced = dataclasses.replace(again, links=other)
    assert replaced.links == other and again.links == ex.links
    again.links = list(other)
    assert again.links == other
    assert pickle.loads(pickle.dumps(again)).links == other  # the new links, not the packed ones
    assert copy.deepcopy(again) == again
    assert Extracted("html").links == [] and Extracted("html").links is not Extracted("html").links


def test_the_pool_names_the_linked_documents_the_loop_would_find():
    fw = schema.load_file(schema.FRAMEWORKS_DIR / "nacc-ita-2568.yaml")
    item = schema.find_item(fw, "o6").item
    page = ('<html><head><title>แผน</title></head><body><nav><a href="/menu.pdf">เมนู</a></nav><main>'
            '<p>ดูเอกสาร</p><a href="/docs/plan.pdf">แผน</a><a href="https://drive.example.com/x.pdf">x</a>'
            '<a href="/docs/plan.pdf">อีกครั้ง</a><a href="/docs/b.PDF?x=1">b</a></main></body></html>').encode()
    result = FetchResult(url="http://a.go.th/o6", final_url="http://a.go.th/o6", status=200,
                         content_type="text/html; charset=utf-8", body=page)
    for main_domain in ("a.go.th", None):
        ex, findings, urls = run_module._extract_and_check(result, item, main_domain, 2568)
        request = run_module.CheckRequest(result.url, item, main_domain, 2568)
        assert run_module.needs_linked(findings)
        assert urls == run_module._linked_urls(request, result, extract(result)) == [
            "http://a.go.th/docs/plan.pdf", "http://a.go.th/docs/b.PDF?x=1"]
