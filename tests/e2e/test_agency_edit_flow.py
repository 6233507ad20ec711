"""Browser: the secretariat finds agencies without an ITAS code, fills two from a pasted list, and the agency's
admin corrects its phone; both changes are in the agency's history (Debian Chromium)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_progress_flow import login
from tests.world import build_world

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_world(transactional_db):
    return build_world()


def test_secretariat_fills_itas_codes_and_the_admin_edits_contacts(live_world, live_server, browser):
    w, base = live_world, live_server.url
    page = browser.new_context(locale="th-TH", viewport={"width": 1280, "height": 900}).new_page()
    login(page, base, "secretariat")
    page.goto(f"{base}/registry/agencies/")
    expect(page.get_by_test_id("missing-counts")).to_contain_text("รหัส ITAS 5")
    page.get_by_test_id("itas-fill-link").click()
    page.locator("summary").click()
    page.get_by_label("วางรายการ").fill("06420205\tu4gpi2\n06420203\tk7tq9z\n")
    page.get_by_test_id("read-list").click()
    box = page.get_by_label("รหัส ITAS องค์การบริหารส่วนตำบลแก้วเมธี")
    expect(box).to_have_value("u4gpi2")
    box.press("Enter")  # Enter in a code box saves (it does not read the list again)
    expect(page.get_by_role("alert").first).to_contain_text("บันทึกรหัส ITAS แล้ว 2 รหัส")
    expect(page.get_by_test_id("itas-table")).not_to_contain_text("แก้วเมธี")

    admin = browser.new_context(locale="th-TH").new_page()
    login(admin, base, "admin-a")
    admin.goto(f"{base}/registry/agencies/{w.sao1.pk}/")
    admin.get_by_test_id("edit-agency").click()
    expect(admin.get_by_test_id("contact-only")).to_be_visible()
    expect(admin.get_by_label("รหัส ITAS")).to_have_count(0)
    admin.get_by_label("โทรศัพท์").fill("๐๔๒-๘๑๑-๒๓๔")
    admin.get_by_role("button", name="บันทึก").click()
    expect(admin.get_by_role("alert").first).to_contain_text("บันทึกข้อมูลหน่วยงานแล้ว")
    history = admin.get_by_test_id("history")
    expect(history).to_contain_text("042 811 234")
    expect(history).to_contain_text("u4gpi2")
