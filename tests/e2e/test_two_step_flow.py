"""Browser: an officer sets up two-step sign-in from the menu (the secret read off the page into an
authenticator, here django-otp's TOTP), gets the backup codes, signs out, and signs in again with the
password and then the code; no Content-Security-Policy violation on the way (Debian Chromium)."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.e2e.test_csp_flow import WATCH, Watcher
from tests.world import PASSWORD, build_world

pytestmark = pytest.mark.e2e


def app_code(secret: str, at: float) -> str:
    plain = secret.replace(" ", "")
    totp = TOTP(b32decode(plain + "=" * (-len(plain) % 8)))
    totp.time = at
    return f"{totp.token():06d}"


def test_officer_sets_up_and_uses_two_step_sign_in(transactional_db, live_server, browser):
    w = build_world()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    context.add_init_script(WATCH)
    page = context.new_page()
    watcher = Watcher(page)
    base = live_server.url

    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", w.nacc_officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button")
    page.click("[data-testid=whoami]")
    page.click("[data-testid=my-security-link]")
    expect(page.locator("h1")).to_have_text("ความปลอดภัยในการเข้าสู่ระบบ")
    page.click("[data-testid=two-step-setup]")
    expect(page.locator("[data-testid=qr] svg")).to_be_visible()
    secret = page.locator("[data-testid=secret]").inner_text()
    page.fill("[data-testid=setup-form] input[name=code]", app_code(secret, time.time()))
    page.click("[data-testid=setup-form] button")
    codes = page.locator("[data-testid=backup-codes] li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
    page.click("text=เก็บรหัสไว้แล้ว")
    expect(page.locator("[data-testid=two-step-on]")).to_contain_text("เหลือรหัสสำรอง 10 รหัส")
    page.click("nav form[action$='/logout/'] button")

    page.goto(base + "/registry/agencies/")
    page.fill("input[name=username]", w.nacc_officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button")
    expect(page.locator("h1")).to_have_text("การเข้าสู่ระบบสองขั้นตอน")
    # the code of the next 30-second step (the one used at set-up cannot be used again)
    step_start = (int(time.time()) // 30 + 1) * 30
    page.fill("[data-testid=code-form] input[name=code]", app_code(secret, step_start))
    page.click("[data-testid=code-form] button")
    expect(page).to_have_url(re.compile(r"/registry/agencies/$"))
    assert watcher.take() == []
    context.close()
