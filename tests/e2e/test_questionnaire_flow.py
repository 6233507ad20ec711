"""Browser: a respondent answers a mock IIT on a small phone screen, without JavaScript and with it
(Debian Chromium); the organiser sees the counter move. The server runs the production WSGI
application (``itadesk.wsgi``: the lean path for the public pages in front of Django), so the
respondent's pages go through the lean path and the organiser's through Django."""

import threading
import time

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connection
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from itadesk.questionnaires.lean import LeanPublicPages
from itadesk.questionnaires.models import Response
from tests.questionnaires.qworld import make
from tests.world import PASSWORD, build_world

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 360, "height": 640}, "locale": "th-TH"}


@pytest.fixture
def lean_server(transactional_db):
    """A live server whose application is built as ``itadesk/wsgi.py`` builds it (the lean path in
    front of Django; static files served for the organiser's pages as the usual live server does)."""
    from django.test.testcases import LiveServerThread

    server = LiveServer("localhost", start=False)
    made = []

    def handler(django_app):
        made.append(LeanPublicPages(StaticFilesHandler(django_app)))
        return made[-1]

    server.thread = LiveServerThread("localhost", static_handler=handler,
                                     connections_override=server.thread.connections_override)
    server.thread.daemon = True
    server._live_server_modified_settings.enable()
    server.start()
    server.app = made[0]
    yield server
    # let the request threads of closed browser connections finish while they may still use the
    # shared in-memory SQLite connection (stop() withdraws that permission)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(
            t.is_alive() and "process_request_thread" in t.name for t in threading.enumerate()):
        time.sleep(0.05)
    server.stop()
    server._live_server_modified_settings.disable()


@pytest.fixture
def live_world(transactional_db):
    w = build_world()
    w.q = make(w, "IIT")
    return w


def answer_all_but(page, skip=None):
    for card in page.locator("[data-testid^='q-i']").all():
        if card.get_attribute("data-testid") == f"q-{skip}":
            continue
        card.locator("label.opt").last.click()


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_respondent_answers_on_a_phone(live_world, lean_server, browser, javascript):
    w, base = live_world, lean_server.url
    context = browser.new_context(java_script_enabled=javascript, **PHONE)
    page = context.new_page()
    page.goto(f"{base}/q/{w.q.public_id}/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_test_id("progress")).to_contain_text("0")
    expect(page.get_by_text("ข้อความคำถาม i1")).to_be_visible()
    if javascript:
        assert page.evaluate("document.scripts.length") == 0  # the page itself needs no script
        # switch the browser's own check off to see the server's message naming the question left out
        answer_all_but(page, skip="i3")
        page.locator("form").evaluate("f => f.noValidate = true")
        page.get_by_test_id("submit").click()
        expect(page.get_by_test_id("errors")).to_contain_text("i3")
        assert Response.objects.count() == 0
    else:
        # without JavaScript the browser's "required" check keeps a form with a question left out
        answer_all_but(page, skip="i3")
        page.get_by_test_id("submit").click()
        expect(page.get_by_test_id("thanks")).to_have_count(0)
    answer_all_but(page)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("thanks")).to_be_visible()
    assert Response.objects.filter(questionnaire=w.q).count() == 1
    # the form and thanks pages and (on PostgreSQL, where it is one statement) the complete submission
    # took the lean path
    assert lean_server.app.served == (3 if connection.vendor == "postgresql" else 2)
    context.close()

    organiser = browser.new_context(locale="th-TH").new_page()
    organiser.goto(f"{base}/accounts/login/")
    organiser.get_by_label("ชื่อผู้ใช้").fill("admin-a")
    organiser.get_by_label("รหัสผ่าน").fill(PASSWORD)
    organiser.get_by_role("button", name="เข้าสู่ระบบ").click()
    organiser.goto(f"{base}/mock/{w.q.pk}/")
    expect(organiser.get_by_test_id("count")).to_have_text("1")
    expect(organiser.get_by_test_id("public-link")).to_contain_text(f"/q/{w.q.public_id}/")
    organiser.context.close()
