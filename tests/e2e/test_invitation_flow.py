"""Browser: the secretariat imports two people from a file; the invited agency admin opens the link of the
invitation e-mail in Chromium, sets a password and lands logged in on their agency's page."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.accounts.people_kit import csv_bytes
from tests.e2e.test_progress_flow import login
from tests.world import build_world

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_world(transactional_db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    w = build_world()
    for i, m in enumerate([w.m1, w.m2, w.m3], start=1):
        m.deadline = timezone.now().replace(microsecond=0) + dt.timedelta(days=10 * i)
        m.save()
    return w


def test_secretariat_imports_two_people_and_the_admin_sets_a_password(live_world, live_server, browser,
                                                                     settings):
    w = live_world
    settings.SITE_URL = live_server.url
    mail.outbox = []
    rows = [["นายสมชาย ใจดี", "somchai@example.test", "somchai.k", "06420205", "", "ผู้ดูแลระบบของหน่วยงาน"],
            ["นางสมศรี ใจงาม", "somsri@example.test", "", "06420205", "", "ผู้บริหาร"]]
    secretariat = browser.new_context(locale="th-TH").new_page()
    login(secretariat, live_server.url, "secretariat")
    secretariat.get_by_test_id("people-link").click()
    secretariat.get_by_test_id("people-import-link").click()
    secretariat.set_input_files("#id_file", files=[{"name": "people.csv", "mimeType": "text/csv",
                                                    "buffer": csv_bytes(rows)}])
    secretariat.get_by_role("button", name="อัปโหลดและตรวจสอบ").click()
    expect(secretariat.get_by_test_id("people-preview")).to_contain_text("นางสมศรี ใจงาม")
    secretariat.get_by_test_id("apply").click()
    expect(secretariat.get_by_test_id("people-table")).to_contain_text("ส่งคำเชิญแล้ว")
    assert sorted(m.to[0] for m in mail.outbox) == ["somchai@example.test", "somsri@example.test"]
    message = next(m for m in mail.outbox if m.to == ["somchai@example.test"])
    link = re.search(r"(http://\S+/accounts/invitation/\S+/)", message.body).group(1)
    assert link.startswith(live_server.url)

    page = browser.new_context(locale="th-TH").new_page()
    page.goto(link)
    expect(page.locator("h1")).to_have_text("ตั้งรหัสผ่าน")
    page.get_by_label("รหัสผ่านใหม่", exact=True).fill("Loei-ITA-2570-secret")
    page.get_by_label("ยืนยันการตั้งรหัสผ่านใหม่").fill("Loei-ITA-2570-secret")
    page.get_by_test_id("set-password").click()
    expect(page).to_have_url(re.compile(rf"/rounds/{w.round.pk}/agencies/{w.sao1.pk}/$"))
    expect(page.get_by_test_id("whoami")).to_contain_text("นายสมชาย ใจดี")
    expect(page.get_by_role("alert").first).to_contain_text("ยินดีต้อนรับ")

    page.goto(link)  # the link works once
    expect(page.get_by_test_id("invitation-invalid")).to_contain_text("หมดอายุหรือถูกใช้ไปแล้ว")
    secretariat.reload()
    expect(secretariat.get_by_test_id("people-table")).to_contain_text("ตั้งรหัสผ่านแล้ว")
