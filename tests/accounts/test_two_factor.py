"""Two-step sign-in (itadesk/accounts/twofactor.py): enrolment with a code, sign-in with and without it,
wrong and throttled codes, backup codes, turning it off, the secretariat's reset, the setting that requires
it, and the Django admin's own login page. Codes are computed with django-otp's TOTP from the device's
secret, at times set with time_machine (a code is accepted once per 30-second step)."""

from __future__ import annotations

import datetime as dt
import re
from base64 import b32decode
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from itadesk.accounts import twofactor
from itadesk.core.models import AuditEvent
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
HOME = reverse("home")
CODE = reverse("accounts:login_code")
PAGE = reverse("registry:agency_list")  # a page every signed-in role may open


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code_for(device, at=None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = (at or timezone.now()).timestamp()
    return f"{totp.token():06d}"


def later(clock, seconds=60):
    clock.shift(dt.timedelta(seconds=seconds))


def sign_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


def enrol(client, user, clock) -> list[str]:
    sign_in(client, user)
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": code_for(device)})
    assert response.status_code == 200
    later(clock)
    return re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())


# --- enrolment ------------------------------------------------------------------------------------------

def test_enrolment_shows_a_qr_code_and_the_secret_and_needs_a_right_code(client, world, clock):
    sign_in(client, world.secretariat)
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    device = TOTPDevice.objects.get(user=world.secretariat)
    assert "<svg" in page and 'class="segno"' in page and " style=" not in page
    secret = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', page).group(1)
    assert b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8)) == device.bin_key
    assert "otpauth://totp/" in device.config_url and "issuer=ITA%20Desk" in device.config_url
    # the same pending device on a second visit
    client.get(reverse("accounts:two_factor_setup"))
    assert TOTPDevice.objects.filter(user=world.secretariat).count() == 1

    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "ไม่ถูกต้อง" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=world.secretariat).confirmed
    later(clock, 2)  # django-otp's own back-off after a wrong code: a second, doubling

    done = client.post(reverse("accounts:two_factor_setup"), {"code": code_for(device)})
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed and twofactor.backup_left(world.secretariat) == 10
    assert AuditEvent.objects.filter(action="people.2fa_on", actor=world.secretariat).count() == 1
    # this session has given its code: it goes on without being asked again
    assert client.get(PAGE).status_code == 200


def test_agency_users_cannot_enrol(client, world):
    sign_in(client, world.admin_a)
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 403
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert reverse("accounts:password_change") in page and reverse("accounts:two_factor_setup") not in page
    assert not TOTPDevice.objects.exists()


# --- signing in -----------------------------------------------------------------------------------------

def test_sign_in_without_a_device_needs_no_code(client, world):
    response = sign_in(client, world.nacc_officer)
    assert response.status_code == 302 and response.url == HOME
    assert client.get(PAGE).status_code == 200


def test_sign_in_asks_for_the_code_after_the_password(client, world, clock):
    enrol(client, world.reviewer, clock)
    device = TOTPDevice.objects.get(user=world.reviewer)
    other = Client()
    response = other.post(reverse("accounts:login") + "?next=/registry/agencies/",
                          {"username": world.reviewer.username, "password": PASSWORD, "next": "/registry/agencies/"})
    assert response.status_code == 302 and response.url.startswith(CODE)
    assert parse_qs(urlsplit(response.url).query)["next"] == ["/registry/agencies/"]
    # nothing else is reachable before the code, not even by typing the address
    blocked = other.get(PAGE)
    assert blocked.status_code == 302 and blocked.url.startswith(CODE)
    assert other.get(PAGE, headers={"HX-Request": "true"})["HX-Redirect"].startswith(CODE)
    page = other.get(CODE + "?next=/registry/agencies/")
    assert page.status_code == 200
    wrong = other.post(CODE, {"code": "12345", "next": "/registry/agencies/"})
    assert wrong.status_code == 200 and other.get(PAGE).status_code == 302
    later(clock, 2)
    right = other.post(CODE, {"code": code_for(device), "next": "/registry/agencies/"})
    assert right.status_code == 302 and right.url == "/registry/agencies/"
    assert other.get(PAGE).status_code == 200
    # a code is good once: the same code again in the same 30 seconds does not sign in a third browser
    third = Client()
    sign_in(third, world.reviewer)
    assert third.post(CODE, {"code": code_for(device)}).status_code == 200
    assert third.get(PAGE).status_code == 302


def test_the_admin_login_page_does_not_skip_the_code(client, world, clock):
    enrol(client, world.superuser, clock)
    admin = Client()
    response = admin.post(reverse("admin:login") + "?next=/admin/",
                          {"username": world.superuser.username, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert admin.get("/admin/").url.startswith(CODE)


def test_wrong_codes_are_throttled(client, world, clock, settings):
    settings.ITADESK_LOGIN_FAILURES, settings.ITADESK_LOGIN_LOCK_MINUTES = 3, 5
    enrol(client, world.secretariat, clock)
    device = TOTPDevice.objects.get(user=world.secretariat)
    other = Client()
    sign_in(other, world.secretariat)
    right = code_for(device)
    bad = "000000" if right != "000000" else "111111"
    for _i in range(3):
        later(clock, 10)
        other.post(CODE, {"code": bad})
    locked = other.post(CODE, {"code": code_for(device)})
    assert locked.status_code == 429 and "ลองใหม่" in locked.content.decode()
    assert other.get(PAGE).status_code == 302
    later(clock, 5 * 60 + 30)  # past the lock (django-otp's own back-off is shorter)
    assert other.post(CODE, {"code": code_for(device)}).status_code == 302
    assert other.get(PAGE).status_code == 200


def test_a_backup_code_works_once(client, world, clock):
    codes = enrol(client, world.nacc_officer, clock)
    first = Client()
    sign_in(first, world.nacc_officer)
    assert first.post(CODE, {"code": codes[0]}).status_code == 302
    assert first.get(PAGE).status_code == 200
    assert twofactor.backup_left(world.nacc_officer) == 9
    later(clock)
    second = Client()
    sign_in(second, world.nacc_officer)
    assert second.post(CODE, {"code": codes[0]}).status_code == 200
    assert second.get(PAGE).status_code == 302


# --- one's own page: new codes, turning off -------------------------------------------------------------

def test_new_backup_codes_and_turning_off_need_a_code(client, world, clock):
    old = enrol(client, world.secretariat, clock)
    device = TOTPDevice.objects.get(user=world.secretariat)
    refused = client.post(reverse("accounts:two_factor_codes"), {"code": "nope"})
    assert refused.status_code == 302 and set(StaticToken.objects.values_list("token", flat=True)) == set(old)
    later(clock, 2)
    renewed = client.post(reverse("accounts:two_factor_codes"), {"code": code_for(device)})
    new = re.findall(r"<li>([a-z0-9]{8})</li>", renewed.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    later(clock)
    client.post(reverse("accounts:two_factor_off"), {"code": "nope"})
    assert TOTPDevice.objects.filter(user=world.secretariat).exists()
    later(clock, 2)
    client.post(reverse("accounts:two_factor_off"), {"code": new[3].upper()})
    assert not TOTPDevice.objects.filter(user=world.secretariat).exists()
    assert not StaticDevice.objects.filter(user=world.secretariat).exists()
    actions = list(AuditEvent.objects.filter(action__startswith="people.2fa").order_by("pk").values_list("action", flat=True))
    assert actions == ["people.2fa_on", "people.2fa_codes", "people.2fa_off"]


# --- the secretariat's reset ----------------------------------------------------------------------------

def test_the_secretariat_resets_a_lost_device(client, world, clock):
    enrol(client, world.nacc_officer, clock)
    secretariat = Client()
    sign_in(secretariat, world.secretariat)
    person = reverse("accounts:person", args=[world.nacc_officer.pk])
    assert 'data-testid="two-step-reset"' in secretariat.get(person).content.decode()
    response = secretariat.post(reverse("accounts:person_2fa_reset", args=[world.nacc_officer.pk]))
    assert response.status_code == 302 and response.url == person
    assert not TOTPDevice.objects.filter(user=world.nacc_officer).exists()
    event = AuditEvent.objects.get(action="people.2fa_reset")
    assert event.actor == world.secretariat and event.object_id == str(world.nacc_officer.pk)
    # the person now signs in with the password alone
    again = Client()
    sign_in(again, world.nacc_officer)
    assert again.get(PAGE).status_code == 200


def test_officers_do_not_reset(client, world, clock):
    enrol(client, world.reviewer, clock)
    officer = Client()
    sign_in(officer, world.nacc_officer)
    assert officer.post(reverse("accounts:person_2fa_reset", args=[world.reviewer.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=world.reviewer).exists()


# --- required by the setting ----------------------------------------------------------------------------

def test_required_roles_are_sent_to_enrolment(client, world, clock, settings):
    settings.ITADESK_REQUIRE_2FA = ["officer"]
    response = sign_in(client, world.nacc_officer)
    home = client.get(response.url)
    assert home.status_code == 302 and home.url.startswith(reverse("accounts:two_factor_setup"))
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200
    assert "ต้องใช้" in client.get(reverse("accounts:two_factor_setup")).content.decode()
    device = TOTPDevice.objects.get(user=world.nacc_officer)
    client.post(reverse("accounts:two_factor_setup"), {"code": code_for(device)})
    assert client.get(PAGE).status_code == 200
    # other roles are not asked
    for user in (world.secretariat, world.admin_a):
        other = Client()
        sign_in(other, user)
        assert other.get(PAGE).status_code == 200


@pytest.mark.parametrize(("value", "roles"), [
    ([], set()), (["all"], {"secretariat", "officer", "reviewer", "superuser"}),
    (["officer", "reviewer", "agency_admin"], {"officer", "reviewer"}), ("secretariat, superuser", {"secretariat", "superuser"}),
])
def test_required_roles_setting(settings, value, roles):
    settings.ITADESK_REQUIRE_2FA = value
    assert twofactor.required_roles() == roles


# --- the secret as typed --------------------------------------------------------------------------------

@given(st.binary(min_size=10, max_size=40))
def test_the_secret_text_is_the_key_in_base32(key):
    device = TOTPDevice(key=key.hex())
    text = twofactor.secret_text(device)
    assert all(len(group) <= 4 for group in text.split(" "))
    plain = text.replace(" ", "")
    assert b32decode(plain + "=" * (-len(plain) % 8)) == key
