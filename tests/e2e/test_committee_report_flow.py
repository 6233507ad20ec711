"""Browser: the secretariat creates a meeting, adds agenda items and a resolution with an action item for a
set of agencies; the local-government promotion office then builds its monitoring report for that meeting,
issues it and downloads the PDF (Debian Chromium)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from itadesk.core.thaiparse import format_date_input
from itadesk.reports.models import MonitoringReport
from tests.documents.imaging import pdf_text, squeeze
from tests.world import build_world, deadlines_from_now

from .test_progress_flow import login

pytestmark = pytest.mark.e2e

ACTION = "ให้องค์กรปกครองส่วนท้องถิ่นแต่งตั้งคณะทำงาน ITA โดยมีผู้บริหารสูงสุดเป็นประธาน"


@pytest.fixture
def live_world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    w = build_world()
    # the first deadline has passed (the report shows the late agencies); the others are ahead
    deadlines_from_now(w, dt.timedelta(days=-2), dt.timedelta(days=10), dt.timedelta(days=20))
    return w


def test_meeting_resolution_action_item_and_monitoring_report(live_world, live_server, browser):
    w, base = live_world, live_server.url
    page = browser.new_context(locale="th-TH").new_page()
    login(page, base, "secretariat")

    # a meeting of the round
    page.goto(f"{base}/committee/meetings/new/")
    page.locator("#id_number").fill("ครั้งที่ 2/2568")
    page.locator("#id_title").fill("การประชุมคณะกรรมการกำกับการประเมิน ITA จังหวัดเลย")
    page.locator("#id_round").select_option(str(w.round.pk))
    page.locator("#id_date").fill(format_date_input(timezone.localdate()))  # 06/12/2569
    page.locator("#id_place").fill("ห้องประชุมศาลากลางจังหวัดเลย")
    page.get_by_test_id("committee-form").get_by_role("button", name="บันทึก").click()
    expect(page).to_have_url(re.compile(r"/committee/meetings/\d+/$"))
    meeting_id = int(re.search(r"/meetings/(\d+)/", page.url).group(1))
    expect(page.get_by_test_id("meeting-title")).to_contain_text("ครั้งที่")

    # two agenda items; the second with a resolution
    for section, number, title, resolution in [
            ("3", "3.1", "ผลการประเมิน ITA ปีงบประมาณ พ.ศ. 2567", "acknowledged"),
            ("4", "4.1", "การแต่งตั้งคณะทำงาน ITA ของ อปท.", "approved")]:
        page.goto(f"{base}/committee/meetings/{meeting_id}/items/new/?section={section}")
        page.locator("#id_section").select_option(section)
        page.locator("#id_number").fill(number)
        page.locator("#id_title").fill(title)
        page.locator("#id_resolution_kind").select_option(resolution)
        if number == "4.1":
            page.locator("#id_resolution_text").fill("เห็นชอบ และมอบ สถ.จ.เลย ติดตาม")
        page.get_by_test_id("committee-form").get_by_role("button", name="บันทึก").click()
        expect(page).to_have_url(re.compile(rf"/committee/meetings/{meeting_id}/"))
    expect(page.get_by_test_id("item-4.1").get_by_test_id("resolution")).to_contain_text("เห็นชอบ")

    # the resolution's action item, asked of two SAOs, followed by the local-government promotion office
    page.get_by_test_id("item-4.1").get_by_test_id("action-from-item").click()
    form = page.get_by_test_id("action-form")
    form.locator("input[name=kind][value=agencies]").check()
    page.locator("#id_title").fill(ACTION)
    page.locator("#id_office").select_option(str(w.local.pk))
    page.locator("#id_due_date").fill(format_date_input(timezone.localdate() + dt.timedelta(days=14)))
    form.locator("input[name=ask-mode][value=pick]").check()
    page.locator("#id_ask-agencies").select_option([str(w.sao1.pk), str(w.sao2.pk)])
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(r"/committee/actions/\d+/$"))
    page.goto(f"{base}/committee/meetings/{meeting_id}/")
    expect(page.get_by_test_id("meeting-actions")).to_contain_text("แต่งตั้งคณะทำงาน ITA")

    # the office builds its report for the meeting from the meeting page, issues it, downloads the PDF
    officer = browser.new_context(locale="th-TH").new_page()
    login(officer, base, "local")
    officer.goto(f"{base}/committee/meetings/{meeting_id}/")
    officer.get_by_test_id("meeting-reports").click()
    new = officer.get_by_test_id("new-report")
    expect(new.get_by_test_id("report-meeting")).to_have_value(str(meeting_id))
    expect(new.get_by_test_id("report-office").locator("option")).to_have_count(1)  # its own office only
    new.get_by_test_id("report-create").click()
    expect(officer.get_by_test_id("report-status")).to_have_attribute("data-status", "draft")
    expect(officer.get_by_test_id("table-action_items")).to_contain_text("แต่งตั้งคณะทำงาน ITA")
    expect(officer.get_by_test_id("table-late")).to_contain_text("องค์การบริหารส่วนตำบลแก้วเมธี")
    officer.get_by_test_id("issue-report").click()
    expect(officer.get_by_test_id("report-status")).to_have_attribute("data-status", "issued")
    expect(officer.get_by_test_id("issue-report")).to_have_count(0)

    href = officer.get_by_test_id("download-pdf").get_attribute("href")
    response = officer.context.request.get(base + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    text = squeeze(pdf_text(body))
    assert squeeze("สถ.จ.เลย") in text and squeeze(ACTION) in text
    report = MonitoringReport.objects.get()
    assert report.is_issued and report.meeting_id == meeting_id and report.office_id == w.local.pk
    assert report.pdf.open("rb").read() == body  # the stored file, as issued
