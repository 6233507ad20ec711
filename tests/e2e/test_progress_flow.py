"""Browser: an office officer marks an agency's milestone done and the bars move (Debian Chromium)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from itadesk.core.thai import format_date
from tests.world import PASSWORD, build_world

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_world(transactional_db):
    w = build_world()
    # Real time runs in the browser (cookies, countdowns): put the deadlines ahead of now.
    for i, m in enumerate([w.m1, w.m2, w.m3], start=1):
        m.deadline = timezone.now().replace(microsecond=0) + dt.timedelta(days=10 * i)
        m.save()
    return w


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def open_menu_entry(page, test_id):
    """Click a top-menu entry as a person would: on the bar, or under "More" when it did not fit."""
    entry = page.get_by_test_id(test_id)
    if not entry.is_visible():
        page.locator("#nav-more > a").click()
    entry.click()


def test_officer_marks_done_and_the_bars_move(live_world, live_server, browser):
    w, base = live_world, live_server.url
    secretariat = browser.new_context(locale="th-TH").new_page()
    login(secretariat, base, "secretariat")
    expect(secretariat).to_have_url(re.compile(rf"/rounds/{w.round.pk}/$"))
    bar = secretariat.get_by_test_id("milestone-stakeholders").get_by_test_id("done-count")
    expect(bar).to_contain_text("0 / 5")

    officer = browser.new_context(locale="th-TH").new_page()
    login(officer, base, "local")
    # the officer lands on the office's dashboard: 3 local governments, none done
    expect(officer.get_by_test_id("milestone-stakeholders").get_by_test_id("done-count")).to_contain_text("0 / 3")
    expect(officer.locator("h1")).to_contain_text("สถ.จ.เลย")
    officer.get_by_test_id("my-agencies").get_by_role("link", name="องค์การบริหารส่วนตำบลแก้วเมธี").click()
    card = officer.get_by_test_id("timeline-stakeholders")
    card.get_by_label("สถานะ").select_option("done")
    card.get_by_label("หมายเหตุ").fill("อนุมัติข้อมูลในระบบ ITAS แล้ว")
    card.get_by_test_id("save-stakeholders").click()
    expect(officer.get_by_role("alert")).to_contain_text("บันทึกแล้ว")
    expect(officer.get_by_test_id("timeline-stakeholders").get_by_test_id("status")).to_have_text("ดำเนินการแล้ว")
    expect(officer.get_by_test_id("history")).to_contain_text("local")

    secretariat.reload()
    expect(bar).to_contain_text("1 / 5")
    body = secretariat.locator("body").inner_text()
    assert "กำหนดส่ง" in body and "อีก 9 วัน" in body  # Thai UI, live countdown
    assert format_date(w.m1.deadline) in body  # e.g. "5 ธ.ค. 2569 04:41 น."
    officer.goto(f"{base}/rounds/{w.round.pk}/offices/{w.local.pk}/")
    expect(officer.get_by_test_id("milestone-stakeholders").get_by_test_id("done-count")).to_contain_text("1 / 3")
