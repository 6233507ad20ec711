"""Browser: an agency admin signs in, opens "My calendar" from their name in the top bar, makes a calendar
address, copies it with the button, and the page then fetches the address without cookies, as a calendar
application would: text/calendar with the agency's deadlines at 17:00 Bangkok time and the event it is
invited to — and nothing of another province."""

import datetime as dt

import pytest
from django.core.cache import cache
from icalendar import Calendar
from playwright.sync_api import expect

from tests.calendars import cworld
from tests.e2e.test_progress_flow import login
from tests.world import build_world

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_world(transactional_db):
    cache.clear()
    return cworld.build(build_world())


def test_admin_makes_copies_and_imports_the_calendar_feed(live_world, live_server, browser, settings):
    w = live_world
    settings.SITE_URL = live_server.url
    context = browser.new_context(locale="th-TH")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    login(page, live_server.url, "admin-a")
    page.get_by_test_id("whoami").click()  # the menu under one's own name
    page.get_by_test_id("my-calendar-link").click()
    expect(page.locator("h1")).to_have_text("ปฏิทินของฉัน")
    page.get_by_test_id("calendar-create").click()

    address = page.get_by_test_id("calendar-feed-url")
    expect(address).to_be_visible()
    url = address.input_value()
    assert url.startswith(f"{live_server.url}/calendar/") and url.endswith(".ics")
    page.get_by_test_id("calendar-copy").click()
    expect(page.get_by_test_id("calendar-copy")).to_have_text("คัดลอกแล้ว")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == url

    # "Import": fetch the copied address from the page without cookies, as a calendar application does.
    got = page.evaluate("""async (url) => {
        const r = await fetch(url, {credentials: "omit", cache: "no-store"});
        return {status: r.status, type: r.headers.get("content-type"), text: await r.text()};
    }""", copied)
    assert got["status"] == 200 and got["type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(got["text"])
    summaries = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert summaries == sorted(["กำหนดส่ง: ผู้มีส่วนได้ส่วนเสีย (ITA 2568)", "กำหนดส่ง: OIT (ITA 2568)",
                                "กำหนดส่ง: IIT/EIT (ITA 2568)", f"กิจกรรม: {w.event.title}"])
    deadline = next(e for e in calendar.walk("VEVENT") if "OIT" in str(e["SUMMARY"]))
    assert (deadline.start.hour, deadline.start.utcoffset()) == (17, dt.timedelta(hours=7))
    assert len(list(deadline.walk("VALARM"))) == 2
    assert "หนองคาย" not in got["text"]

    # Revoked from the same page: the copied address then answers 404.
    page.get_by_test_id("calendar-revoke").click()
    expect(page.get_by_test_id("calendar-create")).to_be_visible()
    status = page.evaluate("async (url) => (await fetch(url, {credentials: 'omit'})).status", copied)
    assert status == 404
    context.close()
