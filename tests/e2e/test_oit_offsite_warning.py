"""Browser: a URL off the agency's main website is warned about while it is typed, before saving,
and can still be saved (Debian Chromium)."""

import pytest
from playwright.sync_api import expect

from itadesk.evidence.models import EvidenceItem
from tests.e2e.test_oit_review_flow import live_world  # noqa: F401  (fixture)
from tests.e2e.test_progress_flow import login

pytestmark = pytest.mark.e2e


def test_off_site_url_warned_as_typed(live_world, live_server, browser):  # noqa: F811
    w = live_world
    w.sao1.website = "kaewmethee.go.th"
    w.sao1.save()
    page = browser.new_context(locale="th-TH").new_page()
    login(page, live_server.url, "admin-a")
    page.goto(f"{live_server.url}/oit/rounds/{w.round.pk}/agencies/{w.sao1.pk}/items/o1/")
    box = page.get_by_label("URL (บรรทัดละหนึ่งรายการ)")
    warning = page.get_by_test_id("url-offsite")
    box.fill("https://www.kaewmethee.go.th/ita/o1")
    expect(warning).to_have_text("")
    box.fill("https://www.kaewmethee.go.th/ita/o1\nhttps://www.facebook.com/kaewmethee")
    expect(warning).to_contain_text("www.facebook.com")
    expect(warning).to_contain_text("ไม่อยู่บนเว็บไซต์หลักของหน่วยงาน (kaewmethee.go.th)")
    expect(warning).not_to_contain_text("ita/o1")
    page.get_by_label("มี", exact=True).check()
    page.get_by_test_id("save").click()
    expect(page.get_by_role("alert").first).to_contain_text("ไม่อยู่บนเว็บไซต์หลักของหน่วยงาน")
    assert EvidenceItem.objects.get(item_code="o1").urls[1] == "https://www.facebook.com/kaewmethee"
