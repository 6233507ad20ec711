"""Browser: the secretariat imports last year's results, sees who needs help, saves the coaching
group; an agency admin uses the what-if planner (Debian Chromium)."""

import re

import pytest
from playwright.sync_api import expect

from itadesk.methodology import services
from tests.e2e.test_progress_flow import login
from tests.methodology.frameworks import nacc_shaped
from tests.world import build_world

pytestmark = pytest.mark.e2e

HEADER = "หน่วยงาน,ปีงบประมาณ," + ",".join(f"ตัวชี้วัดที่ {n}" for n in range(1, 11)) + ",คะแนนรวม"
ROWS = ["06420205,2567,90,92,94,96,98,90,90,93,60,80,83.50",  # did not pass
        "06420203,2567,90,92,94,96,98,90,90,93,80,82,87.91",  # passed, OIT 81; published total off by 0.01
        "02420101,2567,96,96,96,96,96,96,96,96,96,96,96.00"]


@pytest.fixture
def live_world(transactional_db):
    w = build_world()
    fw, _ = services.install_framework(actor=None, text=nacc_shaped())
    services.set_round_framework(actor=None, round=w.round, framework=fw)
    return w


def test_results_to_target_group_and_planner(live_world, live_server, browser, tmp_path):
    w, base = live_world, live_server.url
    results = tmp_path / "ผลคะแนน 2567.csv"
    results.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8-sig")

    page = browser.new_context(locale="th-TH").new_page()
    login(page, base, "secretariat")
    page.get_by_role("link", name="ผลคะแนนย้อนหลัง").click()
    page.get_by_role("link", name="นำเข้าผลคะแนน").click()
    page.set_input_files("#id_file", str(results))
    page.get_by_role("button", name="อัปโหลดและตรวจสอบ").click()
    expect(page.get_by_test_id("import-warnings")).to_contain_text("87.91")
    page.get_by_test_id("apply").click()
    expect(page.get_by_test_id("failing")).to_contain_text("องค์การบริหารส่วนตำบลแก้วเมธี")
    expect(page.get_by_test_id("oit-low")).to_contain_text("องค์การบริหารส่วนตำบลท่าสวรรค์")
    expect(page.get_by_test_id("pass-share")).to_contain_text("66.67")

    page.get_by_role("link", name="หน่วยงานที่ต้องช่วยเหลือ").click()
    table = page.get_by_test_id("needs-help")
    expect(table.locator("tbody tr")).to_have_count(2)
    table.get_by_label("องค์การบริหารส่วนตำบลท่าสวรรค์").uncheck()
    page.get_by_label("ชื่อ").fill("กลุ่มพี่เลี้ยง ปีงบประมาณ 2568")
    page.get_by_test_id("save-group").click()
    expect(page).to_have_url(re.compile(r"/analysis/groups/\d+/$"))
    expect(page.get_by_test_id("members")).to_contain_text("องค์การบริหารส่วนตำบลแก้วเมธี")
    expect(page.get_by_test_id("members").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("history")).to_contain_text("secretariat")

    admin = browser.new_context(locale="th-TH").new_page()
    login(admin, base, "admin-a")
    admin.goto(f"{base}/analysis/agencies/{w.sao1.pk}/")
    planner = admin.get_by_test_id("planner")
    expect(planner.get_by_label("IIT")).to_have_value("94.00")
    planner.get_by_label("o1 โครงสร้าง").check()
    planner.get_by_role("button", name="คาดการณ์คะแนน").click()
    expect(admin.get_by_test_id("total").first).to_have_text("65.50")
    expect(admin.get_by_test_id("plan-advice")).to_contain_text("ต้องทำข้อ OIT เพิ่มอีก 2 ข้อ")
