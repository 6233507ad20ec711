"""Browser: the secretariat types a Buddhist-era deadline on the milestone form, then changes it with the
calendar (keyboard only), and sees the BE date shown back; the browser's month-first 05/15/2568 is refused
with a message instead of being stored as the year 3113; a deadline outside the fiscal year needs the
confirmation box (Debian Chromium)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from itadesk.core.thai import bangkok_datetime
from itadesk.cycles.models import Milestone
from tests.e2e.test_progress_flow import login
from tests.world import build_world

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_world(transactional_db):
    return build_world()


def test_milestone_deadline_in_buddhist_era_by_keyboard_and_calendar(live_world, live_server, browser):
    w, base = live_world, live_server.url
    page = browser.new_context(locale="th-TH").new_page()
    login(page, base, "secretariat")

    # 1. typed with the keyboard, Thai digits, no time: a deadline is 17:00
    page.goto(f"{base}/rounds/{w.round.pk}/milestones/new/")
    expect(page.locator("input[type=date], input[type=datetime-local]")).to_have_count(0)
    page.get_by_label("รหัส").fill("appeal")
    page.get_by_label("ชื่อ (ภาษาไทย)").fill("อุทธรณ์ผล OIT")
    page.locator("#id_deadline").fill("๓๐/๐๙/๒๕๖๘")
    page.get_by_role("button", name="บันทึก").click()
    row = page.get_by_test_id("milestone-table").locator("tr", has_text="appeal")
    expect(row).to_contain_text("30 ก.ย. 2568 17:00 น.")
    m = Milestone.objects.get(round=w.round, code="appeal")
    assert m.deadline == bangkok_datetime(2568, 9, 30, 17)

    # 2. with the calendar: it opens on the deadline's month in BE; arrows move, Enter picks
    row.get_by_role("link", name="แก้ไข").click()
    deadline = page.locator("#id_deadline")
    expect(deadline).to_have_value("30/09/2568 17:00")
    deadline.locator("xpath=..").get_by_test_id("thaidate-open").click()
    expect(page.get_by_test_id("thaidate-title").last).to_have_text("กันยายน พ.ศ. 2568")
    page.keyboard.press("ArrowUp")  # a week earlier: 23 Sep
    page.keyboard.press("ArrowLeft")  # 22 Sep
    expect(page.locator(":focus")).to_have_attribute("aria-label", "22 กันยายน 2568")
    page.keyboard.press("Enter")
    expect(deadline).to_have_value("22/09/2568 17:00")
    expect(deadline).to_be_focused()
    # the opening time with the mouse and the calendar's time box (Thai digits)
    opens = page.locator("#id_opens_at")
    opens.locator("xpath=..").get_by_test_id("thaidate-open").click()
    popup = opens.locator("xpath=..").locator("[role=dialog]")
    popup.get_by_test_id("thaidate-time").fill("๐๘.๓๐")
    today = timezone.localdate()  # an empty box opens on this month: walk to September 2568 (2025)
    months = (today.year * 12 + today.month) - (2025 * 12 + 9)
    for _ in range(abs(months)):
        popup.get_by_role("button", name="เดือนก่อน" if months > 0 else "เดือนถัดไป").click()
    expect(popup.get_by_test_id("thaidate-title")).to_have_text("กันยายน พ.ศ. 2568")
    popup.get_by_role("button", name="1 กันยายน 2568", exact=True).click()
    expect(opens).to_have_value("01/09/2568 08:30")
    page.get_by_role("button", name="บันทึก").click()
    row = page.get_by_test_id("milestone-table").locator("tr", has_text="appeal")
    expect(row).to_contain_text("22 ก.ย. 2568 17:00 น.")
    expect(row).to_contain_text("1 ก.ย. 2568 08:30 น.")
    m.refresh_from_db()
    assert m.deadline == bangkok_datetime(2568, 9, 22, 17)
    assert m.opens_at == bangkok_datetime(2568, 9, 1, 8, 30)

    # 3. the browser's month-first habit: refused, named, nothing stored
    page.goto(f"{base}/rounds/{w.round.pk}/milestones/new/")
    page.get_by_label("รหัส").fill("month-first")
    page.get_by_label("ชื่อ (ภาษาไทย)").fill("ผิดรูปแบบ")
    page.locator("#id_deadline").fill("05/15/2568 17:00")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_test_id("error-deadline")).to_contain_text("ไม่มีเดือนที่ 15")
    expect(page.locator("#id_deadline")).to_have_value("05/15/2568 17:00")
    assert not Milestone.objects.filter(code="month-first").exists()
    assert not Milestone.objects.filter(deadline__year__gt=2200).exists()

    # 4. outside the fiscal year (FY2568 ends 30 Sep 2568): only with the confirmation box
    page.locator("#id_deadline").fill("15/10/2568 17:00")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_test_id("error-deadline")).to_contain_text("อยู่นอกปีงบประมาณ 2568")
    page.get_by_test_id("confirm-confirm_outside_fiscal_year").get_by_role("checkbox").check()
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_test_id("milestone-table").locator("tr", has_text="month-first")).to_contain_text(
        "15 ต.ค. 2568 17:00 น.")
