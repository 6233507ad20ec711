"""Browser (Debian Chromium): the secretariat records a meeting, its agenda and attendance, marks the
minutes reviewed; an office officer reads and prints them but cannot issue them."""

import re

import pytest
from playwright.sync_api import expect

from tests.world import PASSWORD, build_world

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_world(transactional_db):
    from itadesk.committee.models import CommitteeMember

    w = build_world()
    CommitteeMember.objects.create(province=w.province, name="นายประยูร อรัญรุท", position="รองผู้ว่าราชการจังหวัดเลย",
                                   committee_role="chair", order=1)
    CommitteeMember.objects.create(province=w.province, name="นายดิษพล บุตรดีวงศ์", position="ท้องถิ่นจังหวัดเลย",
                                   committee_role="member", order=2)
    return w


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_secretariat_records_a_meeting_and_an_officer_reads_it(live_world, live_server, browser):
    w, base = live_world, live_server.url
    page = browser.new_context(locale="th-TH").new_page()
    login(page, base, "secretariat")
    page.goto(f"{base}/committee/meetings/")
    page.get_by_test_id("meeting-new").click()
    page.locator("#id_number").fill("ครั้งที่ ๑/๒๕๖๘")
    page.locator("#id_date").fill("2024-12-24")
    page.locator("#id_scheduled_time").fill("14:30")
    page.locator("#id_place").fill("ห้องประชุมภูสวนทราย ชั้น ๒ ศาลากลางจังหวัดเลย")
    page.locator("#id_chair").select_option(label="นายประยูร อรัญรุท")
    page.get_by_test_id("committee-form").locator("button.btn-primary").click()
    expect(page).to_have_url(re.compile(r"/committee/meetings/\d+/$"))
    expect(page.get_by_test_id("meeting-title")).to_contain_text("ครั้งที่ ๑/๒๕๖๘")

    page.get_by_test_id("attendance").locator("form button").first.click()  # all members present
    expect(page.get_by_test_id("attendance-present").locator("li")).to_have_count(2)

    page.get_by_test_id("section-3").locator("a[href*='section=3']").click()
    page.locator("#id_number").fill("๓.๑")
    page.locator("#id_title").fill("หลักเกณฑ์และปฏิทินการประเมิน ITA 2568")
    page.locator("#id_presenter_office").select_option(str(w.nacc.pk))
    page.locator("#id_resolution_kind").select_option("acknowledged")
    page.get_by_test_id("committee-form").locator("button.btn-primary").click()
    item = page.get_by_test_id("item-3.1")
    expect(item).to_contain_text("๓.๑ หลักเกณฑ์และปฏิทินการประเมิน ITA 2568")
    expect(item.get_by_test_id("resolution")).to_contain_text("รับทราบ")

    page.get_by_test_id("review").click()
    expect(page.get_by_test_id("minutes-status")).not_to_contain_text("Draft")
    meeting_url = page.url

    officer = browser.new_context(locale="th-TH").new_page()
    login(officer, base, "nacc")
    officer.goto(meeting_url)
    expect(officer.get_by_test_id("item-3.1")).to_contain_text("รับทราบ")
    expect(officer.get_by_test_id("minutes-actions")).to_have_count(0)
    officer.get_by_test_id("print-minutes").click()
    minutes = officer.get_by_test_id("minutes")
    expect(minutes).to_contain_text("วันอังคารที่ ๒๔ ธันวาคม ๒๕๖๗ เวลา ๑๔.๓๐ น.")
    expect(minutes).to_contain_text("ระเบียบวาระที่ ๓")
    expect(minutes.get_by_test_id("minutes-present")).to_contain_text("นายดิษพล บุตรดีวงศ์")
