"""Browser (Debian Chromium): the secretariat sets up a project with its budget and an event, invites
the SAOs; the SAO's admin registers a person; an officer opens the ticket's link, confirms the check-in,
and confirming again says when the first was."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_progress_flow import open_menu_entry
from tests.world import PASSWORD, build_world

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_world(transactional_db):
    return build_world()




def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_project_event_registration_and_check_in(live_world, live_server, browser):
    from itadesk.projects.models import Registration

    w, base = live_world, live_server.url
    page = browser.new_context(locale="th-TH").new_page()
    login(page, base, "secretariat")
    open_menu_entry(page, "nav-projects")
    page.get_by_test_id("project-new").click()
    page.locator("#id_name").fill("โครงการขับเคลื่อนเพื่อพัฒนาและยกระดับคะแนน ITA ๒๕๖๘")
    page.locator("#id_owner_office").select_option(str(w.prov_office.pk))
    page.locator("#id_budget").fill("90000")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(r"/projects/\d+/$"))
    expect(page.get_by_test_id("budget")).to_contain_text("90,000.00")
    expect(page.get_by_test_id("budget")).to_contain_text("เก้าหมื่นบาทถ้วน")

    page.get_by_test_id("line-new").click()
    page.locator("#id_name").fill("ค่าอาหารกลางวัน")
    page.locator("#id_amount").fill("100000")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("error-amount")).to_contain_text("ค่าอาหารกลางวัน")
    page.locator("#id_amount").fill("24000")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("budget-lines")).to_contain_text("24,000.00")

    page.get_by_test_id("event-new").click()
    page.locator("#id_title").fill("ประชุมเชิงปฏิบัติการ ITA")
    page.locator("#id_date").fill("2025-01-21")
    page.locator("#id_start_time").fill("09:00")
    page.locator("#id_place").fill("ห้องประชุมภูสวนทราย")
    page.locator("#id_capacity").fill("160")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("event-title")).to_contain_text("ประชุมเชิงปฏิบัติการ ITA")
    page.get_by_test_id("session-new").click()
    page.locator("#id_topic").fill("หลักเกณฑ์และปฏิทินการประเมิน")
    page.locator("#id_duration_minutes").fill("90")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("session-1")).to_contain_text("09.00–10.30")
    page.get_by_test_id("invite").click()
    page.locator("#id_who").select_option("kind")
    page.locator("#id_kind").select_option("sao")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("invitations")).to_contain_text(w.sao1.name_th)
    event_url = page.url

    admin = browser.new_context(locale="th-TH").new_page()
    login(admin, base, "admin-a")
    admin.goto(event_url)
    admin.get_by_test_id("register").click()
    admin.locator("#id_name").fill("นายสมชาย ใจดี")
    admin.locator("#id_position").fill("ปลัดองค์การบริหารส่วนตำบล")
    admin.get_by_test_id("save").click()
    expect(admin.get_by_test_id("registrations")).to_contain_text("นายสมชาย ใจดี")
    expect(admin.get_by_test_id("invitations")).not_to_contain_text(w.sao2.name_th)

    token = Registration.objects.get(name="นายสมชาย ใจดี").token
    officer = browser.new_context(locale="th-TH").new_page()
    login(officer, base, "local")
    officer.goto(f"{base}/projects/checkin/{token}/")
    expect(officer.get_by_test_id("person")).to_contain_text("นายสมชาย ใจดี")
    officer.get_by_test_id("confirm").click()
    expect(officer.get_by_test_id("checked-in")).to_be_visible()
    officer.get_by_test_id("confirm").click()
    expect(officer.locator(".alert").first).to_contain_text("นายสมชาย ใจดี")
    assert Registration.objects.get(token=token).checked_in_at is not None
