"""Browser (Debian Chromium): the secretariat turns a resolution into a request to every agency the
local-government office follows; an agency admin finds it under "requests from the committee", attaches its
appointment order and reports it done; the office accepts it and the progress shows it."""

import re

import pytest
from playwright.sync_api import expect

from tests.committee.helpers import make_meeting
from tests.committee.test_browser import login
from tests.e2e.test_progress_flow import open_menu_entry
from tests.world import build_world

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = build_world()
    w.meeting = make_meeting(w)
    return w


def test_a_resolution_becomes_a_request_that_agencies_answer(live_world, live_server, browser):
    w, base = live_world, live_server.url
    page = browser.new_context(locale="th-TH").new_page()
    login(page, base, "secretariat")
    page.goto(f"{base}/committee/meetings/{w.meeting.pk}/")
    page.get_by_test_id("item-3.1").get_by_test_id("action-from-item").click()
    expect(page.locator("#id_title")).to_have_value("หลักเกณฑ์")
    page.locator("#id_title").fill("แต่งตั้งคณะทำงาน ITA โดยมีผู้บริหารสูงสุดเป็นประธาน")
    page.locator("input[name=kind][value=agencies]").check()
    page.locator("#id_office").select_option(str(w.local.pk))
    page.locator("#id_due_date").fill("2025-01-31")
    page.locator("input[name=ask-mode][value=office]").check()
    page.locator("#id_ask-office_choice").select_option(str(w.local.pk))
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(r"/committee/actions/\d+/$"))
    expect(page.get_by_test_id("action-title")).to_contain_text("แต่งตั้งคณะทำงาน ITA")
    expect(page.get_by_test_id("targets").locator("tbody tr")).to_have_count(3)
    action_url = page.url

    agency = browser.new_context(locale="th-TH").new_page()
    login(agency, base, "admin-a")
    open_menu_entry(agency, "nav-requests")
    expect(agency.get_by_test_id("request-row")).to_have_count(1)
    agency.get_by_test_id("request-row").locator("a").first.click()
    agency.locator("#id_text").fill("คำสั่งที่ ๑๒/๒๕๖๘")
    agency.locator("#id_file").set_input_files(files=[{"name": "คำสั่งแต่งตั้ง.pdf", "mimeType": "application/pdf",
                                                       "buffer": b"%PDF-1.4 test"}])
    agency.get_by_test_id("submit").click()
    expect(agency.get_by_test_id("document")).to_contain_text("คำสั่งแต่งตั้ง.pdf")
    expect(agency.locator("[data-testid=status-submitted]")).to_have_count(1)

    office = browser.new_context(locale="th-TH").new_page()
    login(office, base, "local")
    office.goto(action_url)
    office.get_by_test_id(f"target-{w.sao1.pk}").get_by_test_id("step-accept").click()
    expect(office.get_by_test_id(f"target-{w.sao1.pk}").locator("[data-testid=status-done]")).to_have_count(1)
    expect(office.get_by_test_id("target-progress")).to_contain_text("1")
    with office.expect_download() as download:
        office.get_by_test_id(f"target-{w.sao1.pk}").get_by_role("link", name="คำสั่งแต่งตั้ง.pdf").click()
    assert download.value.suggested_filename == "คำสั่งแต่งตั้ง.pdf"
