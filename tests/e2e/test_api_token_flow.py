"""Browser: an agency admin makes an API token on the tokens page, a program uses it over real HTTP to set the
agency's progress, the page shows the change, and once revoked the token is refused (Debian Chromium)."""

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.test_progress_flow import live_world, login  # noqa: F401 — fixture

pytestmark = pytest.mark.e2e


def _put(url, secret, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="PUT", headers={
        "Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_token_made_on_the_page_works_over_http_until_revoked(live_world, live_server, browser):  # noqa: F811
    w, base = live_world, live_server.url
    page = browser.new_context(locale="th-TH").new_page()
    login(page, base, "admin-a")
    page.get_by_test_id("whoami").click()  # the menu under the user's name
    page.get_by_test_id("nav-api-tokens").click()
    page.get_by_label("ชื่อโทเค็น").fill("ตารางคำนวณของ อบต.")
    page.get_by_test_id("create-token").click()
    secret = page.get_by_test_id("token-secret").inner_text().strip()
    assert secret.startswith("itd_")

    url = f"{base}/api/v1/rounds/{w.round.pk}/agencies/{w.sao1.pk}/progress/{w.m2.pk}"
    status, body = _put(url, secret, {"status": "done", "note": "ส่งผ่าน API"})
    assert status == 200 and body["status"] == "done"

    page.goto(f"{base}/rounds/{w.round.pk}/agencies/{w.sao1.pk}/")
    expect(page.get_by_test_id(f"timeline-{w.m2.code}").get_by_test_id("status")).to_have_text("ดำเนินการแล้ว")

    page.goto(f"{base}/api/tokens/")
    expect(page.get_by_test_id("token-secret")).to_have_count(0)  # shown once only
    row = page.get_by_test_id("token-row").filter(has_text="ตารางคำนวณของ อบต.")
    expect(row).not_to_contain_text("ยังไม่เคยใช้")  # "last used" is filled in
    row.get_by_role("button", name="เพิกถอน").click()
    expect(page.get_by_role("alert")).to_contain_text("ตารางคำนวณของ อบต.")
    status, body = _put(url, secret, {"status": "in_progress"})
    assert status == 401 and body["code"] == "not_authenticated"
