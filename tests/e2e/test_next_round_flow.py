"""Browser, the yearly cycle end to end: the secretariat starts FY2570 from FY2568 in the UI (a deadline typed
in the Buddhist era, agencies removed and added in bulk), imports two people from a file; the invited agency
admin sets a password from the e-mail's link, and lands on the agency's page of FY2570 (Debian Chromium)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from itadesk.cycles.models import Round
from tests.accounts.people_kit import csv_bytes
from tests.e2e.test_progress_flow import login
from tests.world import build_world

pytestmark = pytest.mark.e2e


def test_the_next_round_with_its_people(transactional_db, live_server, browser, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = live_server.url
    w = build_world()
    mail.outbox = []
    page = browser.new_context(locale="th-TH").new_page()
    login(page, live_server.url, "secretariat")

    # 1. start FY2570 from FY2568
    page.get_by_test_id("round-settings-link").click()
    page.get_by_role("link", name="เริ่มรอบการประเมินใหม่").click()
    page.get_by_label("ปีงบประมาณ (พ.ศ.)").fill("2570")
    page.get_by_test_id("round-preview").click()
    expect(page.get_by_test_id("participant-count")).to_have_text("5")
    page.get_by_label("ประเภท").select_option("sao")
    page.get_by_test_id("bulk-remove").click()
    expect(page.get_by_test_id("participant-count")).to_have_text("3")
    page.get_by_label("ประเภท").select_option("")
    page.get_by_label("รหัสหน่วยงาน (ITAS หรือ สถ.) บรรทัดละหนึ่งรหัส").fill("06420205")
    page.get_by_test_id("bulk-add").click()
    expect(page.get_by_test_id("participant-count")).to_have_text("4")
    page.locator('input[name="deadline-oit"]').fill("๓๐/๐๔/๒๕๗๐")  # Thai digits, Buddhist era
    page.get_by_test_id("round-create").click()
    fy2570 = Round.objects.get(province=w.province, fiscal_year=2570)
    expect(page).to_have_url(re.compile(rf"/rounds/{fy2570.pk}/$"))
    expect(page.get_by_test_id("milestone-oit")).to_contain_text("30 เม.ย. 2570 17:00 น.")
    assert fy2570.is_current

    # 2. import two people of the new round's agency
    rows = [["นายสมชาย ใจดี", "somchai@example.test", "somchai.k", "06420205", "", "ผู้ดูแลระบบของหน่วยงาน"],
            ["นางสมศรี ใจงาม", "somsri@example.test", "", "06420205", "", "ผู้บริหาร"]]
    page.get_by_test_id("people-link").click()
    page.get_by_test_id("people-import-link").click()
    page.set_input_files("#id_file", files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}])
    page.get_by_role("button", name="อัปโหลดและตรวจสอบ").click()
    expect(page.get_by_test_id("people-preview")).to_contain_text("นายสมชาย ใจดี")
    page.get_by_test_id("apply").click()
    expect(page.get_by_test_id("people-table")).to_contain_text("ส่งคำเชิญแล้ว")
    message = next(m for m in mail.outbox if m.to == ["somchai@example.test"])
    link = re.search(r"(http://\S+/accounts/invitation/\S+/)", message.body).group(1)

    # 3. the invited admin sets a password and lands on FY2570
    admin = browser.new_context(locale="th-TH").new_page()
    admin.goto(link)
    admin.get_by_label("รหัสผ่านใหม่", exact=True).fill("Loei-ITA-2570-secret")
    admin.get_by_label("ยืนยันการตั้งรหัสผ่านใหม่").fill("Loei-ITA-2570-secret")
    admin.get_by_test_id("set-password").click()
    expect(admin).to_have_url(re.compile(rf"/rounds/{fy2570.pk}/agencies/{w.sao1.pk}/$"))
    expect(admin.locator("body")).to_contain_text("2570")
    expect(admin.get_by_test_id("whoami")).to_contain_text("นายสมชาย ใจดี")
