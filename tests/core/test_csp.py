"""Content-Security-Policy: the header and what it says, PDFs without it, no template that the policy
would break (inline script, handler attributes, inline styles), and the ``bar`` filter that replaced the
progress bars' inline widths. The browser check is tests/e2e/test_csp_flow.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core.csp import PolicyMiddleware
from itadesk.core.templatetags.layout import bar

ROOT = Path(__file__).resolve().parents[2] / "itadesk"
CSS = (ROOT / "core/static/itadesk/itadesk.css").read_text()


def directives(header: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


@pytest.mark.django_db
def test_pages_carry_the_policy(client):
    response = client.get("/accounts/login/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert not any("unsafe" in v for values in policy.values() for v in values)


def test_pdf_responses_go_without_it():
    middleware = PolicyMiddleware(lambda r: None)
    request = RequestFactory().get("/x/")
    middleware.process_request(request)
    pdf = middleware.process_response(request, HttpResponse(b"%PDF-1.7", content_type="application/pdf"))
    html = middleware.process_response(request, HttpResponse(b"<p>x</p>"))
    assert "Content-Security-Policy" not in pdf and "Content-Security-Policy" in html


def test_off_and_report_only_by_setting(settings, rf):
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    middleware = PolicyMiddleware(lambda r: None)
    request = rf.get("/")
    middleware.process_request(request)
    response = middleware.process_response(request, HttpResponse(b""))
    assert "Content-Security-Policy" not in response
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'self'"


# --- templates the policy would break --------------------------------------------------------------------

# E-mails are read in mail programs, not under the site's policy, and need inline styles there.
TEMPLATES = [p for p in ROOT.glob("*/templates/**/*.html") if "/email/" not in str(p)]
FORBIDDEN = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"""href\s*=\s*["']?\s*javascript:""", re.I), "javascript: link"),
]


def test_no_template_needs_unsafe_inline():
    assert len(TEMPLATES) > 100
    found = [f"{p.relative_to(ROOT)}:{text[:m.start()].count(chr(10)) + 1}: {what}"
             for p in TEMPLATES for text in [p.read_text()] for pattern, what in FORBIDDEN
             for m in pattern.finditer(text)]
    assert found == [], "move these to static JavaScript (data- attributes) or CSS classes:\n" + "\n".join(found)


def test_the_scan_finds_what_it_looks_for():
    sample = '<div style="x"></div><a href="javascript:go()" onclick="go()"></a><script>go()</script><style>'
    assert [what for pattern, what in FORBIDDEN if pattern.search(sample)] == [w for _p, w in FORBIDDEN]
    assert not any(p.search('<script src="/static/x.js"></script><p class="stylish" data-on="1">')
                   for p, _w in FORBIDDEN)


# --- progress bars --------------------------------------------------------------------------------------

@given(st.one_of(st.floats(allow_nan=True), st.integers(), st.text(max_size=5), st.none()))
def test_bar_names_a_class_that_exists(value):
    name = bar(value)
    assert re.fullmatch(r"w-pct-(\d+)", name) and 0 <= int(name[6:]) <= 100
    assert f".{name} {{ width: {name[6:]}%; }}" in CSS


def test_bar_rounds_and_clamps():
    assert [bar(v) for v in (37.4, 37.6, "50", -3, 140, "x", None, float("inf"), float("-inf"))] == [
        "w-pct-37", "w-pct-38", "w-pct-50", "w-pct-0", "w-pct-100", "w-pct-0", "w-pct-0", "w-pct-100", "w-pct-0"]
