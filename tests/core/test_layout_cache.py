"""base.html's menus kept rendered under the data versions (core.templatetags.layout.navigation,
core.versions.kept; docs/architecture.md "Cached pages"): the page is the same as without the cache, what the
menus show changes at the next request when a role, a name or the language changes, and what belongs to the
request (the CSRF token, the current path of the language switch, the messages, the round switcher) is never
kept. The tests run with the page cache on (tests/conftest.py)."""

from __future__ import annotations

import pickle
import re

import pytest
from csp.constants import NONCE
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.template import Context, Template
from django.templatetags.static import static
from django.test import Client
from django.urls import clear_script_prefix, reverse, set_script_prefix

from itadesk.accounts.models import Membership, Role
from itadesk.core import versions
from itadesk.core.csp import PolicyMiddleware
from itadesk.cycles.models import Round

FLOOR = "/accounts/password/change/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, url=FLOOR) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def menu(html: str) -> str:
    return html[html.index('<nav'):html.index('</nav>')]


def link(name: str) -> str:
    return f'href="{reverse(name)}"'


@pytest.mark.parametrize("who", ["admin_a", "exec_a", "secretariat", "nacc_officer", "reviewer", "superuser"])
def test_the_page_is_the_same_as_without_the_cache(world, settings, who):
    client = signed_in(getattr(world, who))
    cached = [TOKEN.sub("", page(client)) for _ in range(2)]  # computed, then kept
    settings.ITADESK_PAGE_CACHE = False
    assert cached[0] == cached[1] == TOKEN.sub("", page(client))


def test_a_role_removed_changes_the_menu_at_the_next_request(world):
    officer = Membership.objects.create(user=world.admin_a, role=Role.OFFICER, office=world.nacc)
    client = signed_in(world.admin_a)
    for _ in range(2):
        html = page(client)
    assert link("committee:members") in menu(html) and link("accounts:people") in menu(html)
    officer.delete()
    html = page(client)
    assert link("committee:members") not in menu(html) and link("accounts:people") not in menu(html)
    assert link("committee:requests") in menu(html)  # still the agency's admin


def test_a_role_given_changes_the_menu_at_the_next_request(world):
    client = signed_in(world.admin_a)
    for _ in range(2):
        assert link("national") not in menu(page(client))
    world.admin_a.is_superuser = True
    world.admin_a.save()
    assert link("national") in menu(page(client))


def test_a_name_changed_shows_at_the_next_request(world):
    client = signed_in(world.admin_a)
    page(client)
    world.admin_a.first_name, world.admin_a.last_name = "สมหญิง", "ใจดี"
    world.admin_a.save()
    assert 'data-testid="whoami" title="สมหญิง ใจดี"' in page(client)


def test_the_language_switched_changes_the_menu_at_the_next_request(world):
    client = signed_in(world.admin_a)
    for _ in range(2):
        html = page(client)
    assert "หน่วยงาน" in menu(html) and ">Agencies<" not in menu(html)
    assert client.post(reverse("set_language"), {"language": "en", "next": FLOOR}).status_code == 302
    html = page(client)
    assert ">Agencies<" in menu(html) and 'value="th" lang="th"' in html
    assert client.post(reverse("set_language"), {"language": "th", "next": FLOOR}).status_code == 302
    assert "หน่วยงาน" in menu(page(client))


def test_people_with_the_same_roles_see_their_own_names(world):
    a, b = signed_in(world.admin_a), signed_in(world.admin_b)
    for _ in range(2):
        html_a, html_b = page(a), page(b)
    assert f'title="{world.admin_a.username}"' in html_a and f'title="{world.admin_b.username}"' in html_b
    assert f'title="{world.admin_a.username}"' not in html_b


def test_what_belongs_to_the_request_is_never_kept(world):
    """The CSRF token of the forms is the session's own, the language switch returns to the page it is on."""
    a, b = signed_in(world.admin_a), signed_in(world.admin_a)
    page(a)
    html_a, html_b = page(a), page(b)
    secret = {name: client.cookies["csrftoken"].value for name, client in (("a", a), ("b", b))}
    assert secret["a"] != secret["b"]
    assert 'name="next" value="/accounts/password/change/"' in html_a
    html = page(a, reverse("notifications:mine") + "?page=1")
    assert f'name="next" value="{reverse("notifications:mine")}?page=1"' in html
    # Each session's token is accepted on its own form: the language switch posts with it.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html_b)[1]
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = b.cookies
    assert strict.post(reverse("set_language"), {"language": "en", "next": FLOOR,
                                                 "csrfmiddlewaretoken": token}).status_code == 302


def test_messages_and_the_round_switcher_are_the_requests_own(world):
    Round.objects.create(province=world.province, fiscal_year=2567, name="ITA 2567", starts_on="2023-10-01",
                         ends_on="2024-09-30")
    old = Round.objects.get(fiscal_year=2567)
    client = signed_in(world.secretariat)
    for _ in range(2):
        html = page(client, reverse("round_dashboard", args=[world.round.pk]))
    assert re.search(rf'class="dropdown-item active" href="[^"]*/rounds/{world.round.pk}/"', html)
    html = page(client, reverse("round_dashboard", args=[old.pk]))
    assert re.search(rf'class="dropdown-item active" href="[^"]*/rounds/{old.pk}/"', html)
    assert not page(client).count('role="alert"')


def test_a_message_shows_on_one_page_under_the_kept_menus(world, rf):
    client = signed_in(world.admin_a)
    page(client)
    storage = CookieStorage(rf.get(FLOOR))
    storage.add(messages.SUCCESS, "บันทึกแล้ว")
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    assert re.search(r'<div class="alert alert-success[^>]*>บันทึกแล้ว', page(client))
    assert "บันทึกแล้ว" not in page(client)


# --- versions.kept ---------------------------------------------------------------------------------------

def test_kept_gives_each_caller_its_own_copy(db):
    calls = []

    def compute():
        calls.append(1)
        return {"roles": {"agency_admin"}}
    first = versions.kept("t-copy", [1], [], compute)
    first["roles"].add("changed")
    second = versions.kept("t-copy", [1], [], compute)
    assert second == {"roles": {"agency_admin"}} and len(calls) == 1


def test_kept_computes_again_after_a_write(db):
    calls = []
    versions.kept("t-write", [1], ["agency:7"], lambda: calls.append(1) or len(calls))
    assert versions.kept("t-write", [1], ["agency:7"], lambda: calls.append(1) or len(calls)) == 1
    versions.bump("agency:7")
    assert versions.kept("t-write", [1], ["agency:7"], lambda: calls.append(1) or len(calls)) == 2
    versions.bump("agency:8")
    assert versions.kept("t-write", [1], ["agency:7"], lambda: calls.append(1) or len(calls)) == 2


def test_kept_is_shared_with_the_other_processes_cache(db):
    """A value computed by another process (in the shared cache) is taken, not computed again."""
    versions.cached("t-shared", [1], [], lambda: "from another process")
    assert versions.kept("t-shared", [1], [], lambda: "computed here") == "from another process"


def test_kept_without_the_page_cache_computes_every_time(db, settings):
    settings.ITADESK_PAGE_CACHE = False
    calls = []
    for _ in range(2):
        versions.kept("t-off", [1], [], lambda: calls.append(1) or "x")
    assert len(calls) == 2


def test_kept_keeps_no_none_and_stays_within_its_bytes(db, monkeypatch):
    calls = []
    for _ in range(2):
        versions.kept("t-none", [1], [], lambda: calls.append(1))
    assert len(calls) == 2
    monkeypatch.setattr(versions, "HERE_BYTES", 64 * 1024)
    for n in range(200):
        versions.kept("t-bytes", [n], [], lambda: "x" * 1000)
    assert versions._here_size[0] <= 64 * 1024
    assert versions._here_size[0] == sum(len(blob) for _expiry, blob in versions._here.values())
    assert pickle.loads(next(reversed(versions._here.values()))[1]) == "x" * 1000


def test_kept_entries_expire(db, monkeypatch):
    calls = []
    versions.kept("t-expiry", [1], [], lambda: calls.append(1) or "x", timeout=60)
    now = versions.time.monotonic()
    monkeypatch.setattr(versions.time, "monotonic", lambda: now + 61)
    versions.cache.clear()  # the shared copy has expired as well
    versions.kept("t-expiry", [1], [], lambda: calls.append(1) or "x", timeout=60)
    assert len(calls) == 2


# --- {% asset %}, {% fixed_url %} ------------------------------------------------------------------------

def test_asset_and_fixed_url_are_static_and_url(settings):
    rendered = Template("{% asset 'itadesk/itadesk.css' %} {% fixed_url 'home' %} {% fixed_url 'set_language' %}")
    assert rendered.render(Context()) == f"{static('itadesk/itadesk.css')} {reverse('home')} {reverse('set_language')}"
    settings.STATIC_URL = "/assets/"
    assert rendered.render(Context()).startswith("/assets/itadesk/itadesk.css ")


def test_fixed_url_follows_the_script_prefix():
    try:
        set_script_prefix("/ita/")
        assert Template("{% fixed_url 'home' %}").render(Context()) == "/ita/"
    finally:
        clear_script_prefix()
    assert Template("{% fixed_url 'home' %}").render(Context()) == "/"


# --- the Content-Security-Policy header, built once -----------------------------------------------------

def _headers(middleware, rf, response=None, path="/x/"):
    request = rf.get(path)
    middleware.process_request(request)
    response = middleware.process_response(request, response or HttpResponse(b"<p>x</p>"))
    return {h: response.get(h) for h in ("Content-Security-Policy", "Content-Security-Policy-Report-Only")}


def test_the_policy_header_is_django_csps_own(rf, settings):
    ours, theirs = PolicyMiddleware(lambda r: None), CSPMiddleware(lambda r: None)
    for _ in range(2):
        assert _headers(ours, rf) == _headers(theirs, rf)
        assert _headers(ours, rf)["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}  # a changed policy counts
    assert _headers(ours, rf) == _headers(theirs, rf) == {"Content-Security-Policy": "default-src 'none'",
                                                          "Content-Security-Policy-Report-Only": None}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}, "EXCLUDE_URL_PREFIXES": ["/x"]}
    assert _headers(ours, rf)["Content-Security-Policy"] is None


def test_a_views_own_policy_and_a_nonce_still_count(rf, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    ours, theirs = PolicyMiddleware(lambda r: None), CSPMiddleware(lambda r: None)
    for middleware in (ours, theirs):
        response = HttpResponse(b"")
        response._csp_update = {"img-src": ["https://example.test"]}
        assert "https://example.test" in _headers(middleware, rf, response)["Content-Security-Policy"]
    request = rf.get("/x/")
    ours.process_request(request)
    nonce = str(request.csp_nonce)
    assert f"'nonce-{nonce}'" in ours.process_response(request, HttpResponse(b""))["Content-Security-Policy"]
    request = rf.get("/x/")
    ours.process_request(request)
    ours.process_response(request, HttpResponse(b""))
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)  # asked for after the header was written
