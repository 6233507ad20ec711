"""Browser: the Content-Security-Policy holds on real pages (Debian Chromium). With the demo province
loaded, each role walks from its dashboard through the links it is shown (two levels deep), the admin
site and the respondents' questionnaire page (served by the lean WSGI path) included; any violation the
browser reports (``securitypolicyviolation`` events, CSP console errors) or any script error fails the
test. A first check proves the watcher sees a violation when there is one. The behaviours that used to
be inline handlers (confirm before a destructive post, a select that sends its form, "all shown") are
exercised too.

The walk takes the first 30 pages of each role's breadth-first walk, as it always did, but loads each URL name
once per role: a further page of the same name (another agency's progress page, another office's dashboard) is
the same template and view with other rows, so it is counted in the 30 without being loaded again. The URL
names the walk checks are compared with those it checked when it loaded all 30 pages (``WALKED_BEFORE``)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from itadesk.cycles.models import Round
from itadesk.demo.loader import load_demo
from itadesk.questionnaires.models import Questionnaire
from tests.e2e.test_questionnaire_flow import lean_server  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber
  + ' ' + (e.sample || '')));
"""
ROLES = ["secretariat", "nacc", "reviewer", "admin-nadokkham", "exec-nadokkham", "superuser"]
PER_ROLE = 30
#: Links not walked: sign-out, files (exports, PDFs, Word, QR images), the language switch.
SKIP = re.compile(r"/logout/|/export|/download|\.(pdf|xlsx|docx|csv|svg|png|zip|typ)\b|/pdf/|/docx/|/xlsx/|/qr"
                  r"|/file/|/files/|/attachment|/static/|/media/|/i18n/|/admin/.+/delete/|/history/")
#: The URL names each role's walk checked (with the demo province) when it loaded every one of its 30 pages, pages
#: of a name it had already checked included: the walk must still check every one of them. A name dropped here
#: must be a page the product no longer links from these pages, not a page the walk stopped reaching.
WALKED_BEFORE = {
    "secretariat": {
        "accounts:people", "accounts:province_contacts", "accounts:two_factor", "agency_progress", "api:tokens",
        "calendars:mine", "committee:members", "evidence:home", "home", "methodology:calculator",
        "methodology:overview", "milestone_list", "notifications:mine", "office_dashboard", "progress_import",
        "projects:list", "questionnaires:home", "registry:agency_list", "registry:office_list", "round_dashboard",
        "round_settings", "surveys:home"},
    "nacc": {
        "accounts:office_contacts", "accounts:people", "accounts:two_factor", "agency_progress", "api:tokens",
        "calendars:mine", "committee:members", "evidence:home", "evidence:queue", "home", "methodology:overview",
        "notifications:mine", "office_dashboard", "progress_import", "projects:list", "questionnaires:home",
        "registry:agency_list", "registry:office_detail", "registry:office_list", "surveys:home"},
    "reviewer": {
        "accounts:office_contacts", "accounts:two_factor", "agency_progress", "api:tokens", "calendars:mine",
        "committee:members", "evidence:home", "evidence:queue", "home", "methodology:overview", "notifications:mine",
        "office_dashboard", "projects:list", "questionnaires:home", "registry:agency_list", "registry:office_detail",
        "registry:office_list", "surveys:home"},
    "admin-nadokkham": {
        "accounts:two_factor", "agency_progress", "api:tokens", "calendars:mine", "committee:requests",
        "evidence:home", "evidence:item", "evidence:print", "evidence:workspace", "home", "methodology:overview",
        "notifications:mine", "projects:list", "questionnaires:agency", "questionnaires:home",
        "registry:agency_detail", "registry:agency_list", "registry:office_list", "surveys:agency", "surveys:home"},
    "exec-nadokkham": {
        "accounts:two_factor", "agency_progress", "api:tokens", "calendars:mine", "committee:requests",
        "evidence:approve", "evidence:home", "evidence:item", "evidence:print", "evidence:workspace", "home",
        "methodology:overview", "notifications:mine", "questionnaires:agency", "questionnaires:home",
        "registry:agency_detail", "registry:agency_list", "registry:office_list", "surveys:agency", "surveys:home"},
    "superuser": {
        "accounts:people", "accounts:province_contacts", "accounts:two_factor", "admin:index", "agency_progress",
        "api:tokens", "calendars:mine", "committee:members", "evidence:home", "home", "methodology:calculator",
        "methodology:overview", "milestone_list", "national", "notifications:mine", "office_dashboard",
        "progress_import", "projects:list", "questionnaires:home", "registry:agency_list", "registry:office_list",
        "round_dashboard", "round_settings", "surveys:home"},
}


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()


def _session(username) -> str:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class Watcher:
    """Violations and script errors seen by one page."""

    def __init__(self, page):
        self.page, self.console, self.errors = page, [], []
        page.on("console", lambda m: self.console.append(m.text)
                if m.type == "error" and "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def take(self) -> list[str]:
        seen = self.page.evaluate("(() => { const seen = window.__csp || []; window.__csp = []; return seen; })()")
        seen += self.console + self.errors
        self.console.clear()
        self.errors.clear()
        return seen


def _context(browser, base, username=None):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    if username:
        host = urlsplit(base).hostname
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": _session(username),
                              "domain": host, "path": "/"}])
    page = context.new_page()
    return context, page, Watcher(page)


def _visit(page, watcher, url, problems, who) -> bool:
    try:
        response = page.goto(url, wait_until="load")
    except Exception:  # a download or an aborted navigation: not a page
        return False
    if response is None or "text/html" not in (response.headers.get("content-type") or ""):
        return False
    if "content-security-policy" not in response.headers:
        problems.append(f"{who}: {url} has no Content-Security-Policy header")
    page.wait_for_timeout(50)
    problems.extend(f"{who}: {url}: {v}" for v in watcher.take())
    return True


def _url_name(url: str) -> str:
    """The URL name of a page of this site (its path when no name matches)."""
    path = urlsplit(url).path
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def _links(page, base) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    out = []
    for href in hrefs:
        href = href.split("#")[0]
        if href.startswith(base) and not SKIP.search(urlsplit(href).path) and href not in out:
            out.append(href)
    return out


def test_the_watcher_sees_a_violation(live_server, browser):  # the sign-in page: no data needed
    context, page, watcher = _context(browser, live_server.url)
    response = page.goto(live_server.url + "/accounts/login/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert watcher.take() == []
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<div style=\"color: red\">x</div>')")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.hit = 1\">')")
    page.wait_for_timeout(300)
    seen = watcher.take()
    assert any("style-src" in v for v in seen) and any("script-src" in v for v in seen), seen
    assert page.evaluate("window.hit") is None
    context.close()


def test_every_role_walks_its_pages_without_a_violation(demo, lean_server, browser):  # noqa: F811
    base = lean_server.url
    problems, checked = [], {}
    for username in ROLES:
        context, page, watcher = _context(browser, base, username)
        names, seen, queue, count = set(), set(), [base + "/"], 0
        if username == "superuser":
            queue.append(base + "/admin/")
        while queue and count < PER_ROLE:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            name = _url_name(url)
            if name in names:  # checked already for this role: the same page with other rows
                count += 1
                continue
            if not _visit(page, watcher, url, problems, username):
                continue
            names.add(name)
            count += 1
            if url.count("/") <= base.count("/") + 6:
                queue.extend(u for u in _links(page, base) if u not in seen)
        checked[username] = names
        context.close()
    # the respondents' page, through the lean path, and the public sign-in pages
    context, page, watcher = _context(browser, base)
    q = next(q for q in Questionnaire.objects.all() if q.is_open(timezone.now()))
    for path in ["/accounts/login/", "/accounts/password/reset/", f"/q/{q.public_id}/"]:
        assert _visit(page, watcher, base + path, problems, "anonymous"), path
    context.close()
    assert lean_server.app.served >= 1  # the questionnaire page came through the lean path
    assert all(len(names) >= 10 for names in checked.values()), checked
    missing = {username: sorted(WALKED_BEFORE[username] - checked[username]) for username in ROLES}
    assert not any(missing.values()), f"pages the walk no longer checks: {missing}"
    assert problems == [], "\n".join(problems[:40])


def test_former_inline_handlers_still_work(demo, live_server, browser):
    round_ = Round.objects.filter(is_current=True).first()
    context, page, watcher = _context(browser, live_server.url, "secretariat")
    # "all shown" ticks every agency of the participant list
    page.goto(f"{live_server.url}/rounds/{round_.pk}/participants/")
    page.check("#all")
    boxes = page.locator("input[name=agencies]")
    assert boxes.count() > 0 and boxes.evaluate_all("bs => bs.every(b => b.checked)")
    page.uncheck("#all")
    assert boxes.evaluate_all("bs => bs.every(b => !b.checked)")
    # closing the round asks first; "Cancel" leaves it open
    page.goto(f"{live_server.url}/rounds/{round_.pk}/settings/")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.click("[data-testid=close-round]")
    page.wait_for_timeout(300)
    round_.refresh_from_db()
    assert asked and not round_.is_closed
    assert watcher.take() == []
    context.close()
