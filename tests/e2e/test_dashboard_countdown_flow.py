"""Browser: the office dashboard's countdowns are Thai words from the deadline, kept right by the browser as time
passes (the page itself is kept under the deadlines passed, not the minute); its agency table is loaded when
scrolled to, and reachable by a link without JavaScript (Debian Chromium)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_progress_flow import login
from tests.world import build_world, deadlines_from_now

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_world(transactional_db):
    w = build_world()
    deadlines_from_now(w, dt.timedelta(minutes=40, seconds=30), dt.timedelta(days=2, hours=3, minutes=30),
                       dt.timedelta(days=20))
    return w


def test_countdowns_are_thai_and_tick_in_the_browser(live_world, live_server, browser):
    w, base = live_world, live_server.url
    page = browser.new_context(locale="th-TH").new_page()
    login(page, base, "local")
    page.clock.install(time=timezone.now().timestamp())
    page.goto(f"{base}/rounds/{w.round.pk}/offices/{w.local.pk}/")
    first = page.get_by_test_id("milestone-stakeholders").locator(".countdown")
    second = page.get_by_test_id("milestone-oit").locator(".countdown")
    expect(first).to_have_text(re.compile(r"^อีก (40|39) นาที$"))
    expect(second).to_have_text("อีก 2 วัน 3 ชั่วโมง")
    expect(first).not_to_have_class(re.compile("overdue"))
    page.clock.fast_forward("40:05")  # under a minute left: said so, never "อีก 0 นาที"
    expect(first).to_have_text("อีกไม่ถึง 1 นาที")
    page.clock.fast_forward("01:55")  # the first deadline passes: the browser says so without a reload
    expect(first).to_have_text(re.compile(r"^เลยกำหนด (1|2) นาที$"))
    expect(first).to_have_class(re.compile("overdue"))
    expect(second).to_have_text("อีก 2 วัน 2 ชั่วโมง")
    # the agency table comes when scrolled to
    page.get_by_test_id("agency-table-slot").scroll_into_view_if_needed()
    expect(page.get_by_test_id("my-agencies").get_by_role("link", name="องค์การบริหารส่วนตำบลแก้วเมธี")).to_be_visible()


def test_without_javascript_the_agency_table_is_a_link(live_world, live_server, browser):
    w, base = live_world, live_server.url
    page = browser.new_context(locale="th-TH", java_script_enabled=False).new_page()
    login(page, base, "local")
    page.goto(f"{base}/rounds/{w.round.pk}/offices/{w.local.pk}/")
    expect(page.get_by_test_id("milestone-oit").locator(".countdown")).to_have_text("อีก 2 วัน 3 ชั่วโมง")  # the server's
    expect(page.get_by_test_id("my-agencies")).to_have_count(0)
    page.get_by_test_id("agency-table-link").click()
    expect(page.locator("h1")).to_have_text("หน่วยงานในความรับผิดชอบ")
    page.get_by_test_id("my-agencies").get_by_role("link", name="องค์การบริหารส่วนตำบลแก้วเมธี").click()
    expect(page).to_have_url(re.compile(rf"/rounds/{w.round.pk}/agencies/{w.sao1.pk}/$"))
