"""Browser: the secretariat starts FY2570 from FY2568 (preview, agencies removed and added in bulk, a deadline
moved off a Sunday, typed in the Buddhist era) and lands on the new round's dashboard (Debian Chromium)."""

import re

import pytest
from playwright.sync_api import expect

from itadesk.cycles.models import Round
from tests.e2e.test_progress_flow import login
from tests.world import build_world

pytestmark = pytest.mark.e2e


def test_secretariat_starts_fy2570_from_fy2568(transactional_db, live_server, browser):
    w = build_world()
    base = live_server.url
    page = browser.new_context(locale="th-TH").new_page()
    login(page, base, "secretariat")
    page.get_by_test_id("round-settings-link").click()
    page.get_by_role("link", name="เริ่มรอบการประเมินใหม่").click()
    page.get_by_label("ปีงบประมาณ (พ.ศ.)").fill("2570")
    page.get_by_test_id("round-preview").click()

    expect(page.get_by_test_id("flag-stakeholders")).to_contain_text("วันอาทิตย์")  # 31 Jan 2027
    expect(page.get_by_test_id("participant-count")).to_have_text("5")
    # remove every SAO in bulk, then add one back by its DLA code
    page.get_by_label("ประเภท").select_option("sao")
    page.get_by_test_id("bulk-remove").click()
    expect(page.get_by_test_id("participant-count")).to_have_text("3")
    page.get_by_label("ประเภท").select_option("")
    page.get_by_label("รหัสหน่วยงาน (ITAS หรือ สถ.) บรรทัดละหนึ่งรหัส").fill("06420205")
    page.get_by_test_id("bulk-add").click()
    expect(page.get_by_test_id("participant-count")).to_have_text("4")
    page.locator('input[name="deadline-stakeholders"]').fill("01/02/2570")
    page.get_by_test_id("round-create").click()

    new = Round.objects.get(fiscal_year=2570)
    expect(page).to_have_url(re.compile(rf"/rounds/{new.pk}/$"))
    expect(page.locator("h1")).to_contain_text("2570")
    expect(page.get_by_test_id("milestone-stakeholders").get_by_test_id("done-count")).to_contain_text("0 / 4")
    assert new.is_current and set(new.participations.values_list("agency_id", flat=True)) == {
        w.provincial.pk, w.district_office.pk, w.pao.pk, w.sao1.pk}
    assert new.milestones.get(code="stakeholders").deadline.date().isoformat() == "2027-02-01"
