"""Browser: an agency admin enters the stakeholder data (Thai digits, one mistake first), the executive
approves it, the minimum sample shows as "— / 25" and the progress page says approved (Debian Chromium)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from itadesk.cycles.models import Progress
from itadesk.surveys.models import StakeholderData
from tests.e2e.test_progress_flow import login
from tests.surveys.helpers import with_framework
from tests.world import build_world

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_world(transactional_db):
    w = with_framework(build_world())
    for i, m in enumerate([w.m1, w.m2, w.m3], start=1):
        m.deadline = timezone.now().replace(microsecond=0) + dt.timedelta(days=10 * i)
        m.save()
    return w


def test_admin_enters_executive_approves(live_world, live_server, browser):
    w, base = live_world, live_server.url
    url = f"{base}/surveys/rounds/{w.round.pk}/agencies/{w.sao1.pk}/"
    admin = browser.new_context(locale="th-TH").new_page()
    login(admin, base, "admin-a")
    admin.goto(url)
    expect(admin.get_by_test_id("stake-status")).to_be_visible()
    admin.locator("#id_internal_count").fill("-๔๐")
    admin.locator("#id_external_people").fill("๑,๒๐๐")
    admin.get_by_test_id("save-stakeholders").click()
    expect(admin.get_by_test_id("error-internal_count")).to_be_visible()
    assert not StakeholderData.objects.exists()
    admin.locator("#id_internal_count").fill("๔๐")
    admin.get_by_test_id("save-stakeholders").click()
    expect(admin.get_by_test_id("internal-count")).to_have_text("40")
    expect(admin.get_by_test_id("approve-stakeholders")).to_have_count(0)
    expect(admin.get_by_test_id("ratio-IIT").get_by_test_id("ratio")).to_have_text("— / 25")
    expect(admin.get_by_test_id("ratio-EIT").get_by_test_id("ratio")).to_have_text("— / 120")

    executive = browser.new_context(locale="th-TH").new_page()
    login(executive, base, "exec-a")
    executive.goto(url)
    executive.get_by_test_id("approve-stakeholders").click()
    expect(executive.get_by_test_id("approve-stakeholders")).to_have_count(0)
    assert StakeholderData.objects.get().locked
    assert Progress.objects.get(milestone=w.m1, agency=w.sao1).status == "approved"

    admin.reload()
    expect(admin.get_by_test_id("stakeholder-form")).to_have_count(0)
    admin.locator("#id_on_date").fill("")
    admin.get_by_test_id("save-responses").click()
    expect(admin.get_by_test_id("error-on_date")).to_be_visible()
