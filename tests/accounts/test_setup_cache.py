"""The set-up of a signed-in page kept under the data versions (core.versions.cached, docs/architecture.md
"Cached pages"): with the page cache on and warm, a round page reads no session, user, second-factor device,
scope, round, agency or round switcher from the database; and every kept answer changes at once when its data
changes (a membership removed, a device confirmed or removed, a password changed, a round renamed, a log-out,
an expired session). The tests run with the page cache on (tests/conftest.py) and, here, the sessions of
production with Redis (``cached_db``, on the test's local-memory cache)."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from itadesk.accounts.models import Membership
from itadesk.core import versions
from itadesk.cycles.models import Round
from itadesk.registry.models import OversightRule
from tests.evidence.oit_world import fill, setup_oit
from tests.world import PASSWORD

# The tables of the set-up: none of them is the main table of a query of a warm round page.
SETUP_TABLES = {"django_session", "auth_user", "otp_totp_totpdevice", "otp_static_staticdevice", "accounts_membership",
                "registry_oversightrule", "cycles_round", "cycles_participation", "registry_agency"}


@pytest.fixture(autouse=True)
def cached_sessions(settings):
    settings.SESSION_ENGINE = "itadesk.core.sessions"  # cached_db, read with the data versions


@pytest.fixture
def w(world):
    setup_oit(world)
    fill(world, "o1")
    return world


def item_url(w):
    return reverse("evidence:item", args=[w.round.pk, w.sao1.pk, "o1"])


def main_tables(fn) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    tables = [m[1] for q in ctx.captured_queries if (m := re.search(r'\bFROM "(\w+)"', q["sql"]))]
    return response.status_code, tables


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def verified_officer(w) -> tuple[Client, TOTPDevice]:
    """The NACC office's officer signed in with a code from a confirmed authenticator."""
    device = TOTPDevice.objects.create(user=w.nacc_officer, name="authenticator", confirmed=True)
    client = signed_in(w.nacc_officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client, device


@pytest.mark.parametrize(("page", "own"), [("evidence:workspace", set()),
                                            ("agency_progress", {"cycles_participation"}),
                                            ("surveys:agency", {"cycles_participation"})])
def test_a_warm_round_page_reads_none_of_its_set_up(w, page, own):
    """An agency admin's round pages: the page's own reads only (``own``: set-up tables a page reads for
    itself, e.g. the participations it lists)."""
    client = signed_in(w.admin_a)
    url = reverse(page, args=[w.round.pk, w.sao1.pk])
    client.get(url)  # cold: the set-up is read and kept
    status, tables = main_tables(lambda: client.get(url))
    assert status == 200
    assert tables, "the page still reads its own data"
    assert not (SETUP_TABLES - own) & set(tables), tables


def test_a_warm_item_page_reads_no_set_up_query(w):
    """The OIT item page (whose own template reads the person who last saved the item): none of the set-up
    queries — the session, the user, the device, the scope, the round, the agency, the switcher."""
    client = signed_in(w.admin_a)
    client.get(item_url(w))
    status, tables = main_tables(lambda: client.get(item_url(w)))
    assert status == 200
    assert not (SETUP_TABLES - {"auth_user"}) & set(tables), tables
    assert tables.count("auth_user") <= 1


def test_a_verified_officer_reads_no_device_and_no_oversight_rules(w):
    """An officer who signed in with a code: the device that verified the session and the office's oversight
    rules are kept too."""
    client, device = verified_officer(w)
    url = reverse("office_dashboard", args=[w.round.pk, w.nacc.pk])
    assert client.get(url).status_code == 200
    status, tables = main_tables(lambda: client.get(url))
    assert status == 200
    assert not SETUP_TABLES & set(tables), tables


def test_without_the_page_cache_the_set_up_is_read_every_time(w, settings):
    settings.ITADESK_PAGE_CACHE = False
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client = signed_in(w.admin_a)
    client.get(item_url(w))
    status, tables = main_tables(lambda: client.get(item_url(w)))
    assert status == 200
    assert {"django_session", "auth_user", "accounts_membership", "cycles_round", "cycles_participation"} <= set(tables)


def test_a_membership_removed_is_refused_at_the_next_request(w):
    client = signed_in(w.admin_a)
    for _ in range(2):
        assert client.get(item_url(w)).status_code == 200
    Membership.objects.filter(user=w.admin_a).delete()
    assert client.get(item_url(w)).status_code in (403, 404)


def test_an_oversight_rule_removed_is_seen_at_the_next_request(w):
    client = signed_in(w.local_officer)
    url = reverse("agency_progress", args=[w.round.pk, w.sao1.pk])
    for _ in range(2):
        assert client.get(url).status_code == 200
    OversightRule.objects.filter(office=w.local).delete()
    assert client.get(url).status_code in (403, 404)


def test_a_device_confirmed_asks_for_the_code_at_the_next_request(w):
    client = signed_in(w.nacc_officer)
    url = reverse("office_dashboard", args=[w.round.pk, w.nacc.pk])
    for _ in range(2):
        assert client.get(url).status_code == 200
    device = TOTPDevice.objects.create(user=w.nacc_officer, name="authenticator", confirmed=False)
    assert client.get(url).status_code == 200  # not confirmed yet
    device.confirmed = True
    device.save()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login_code"))


def test_a_device_removed_unverifies_the_session_at_the_next_request(w, settings):
    settings.ITADESK_REQUIRE_2FA = "officer"
    client, device = verified_officer(w)
    url = reverse("office_dashboard", args=[w.round.pk, w.nacc.pk])
    for _ in range(2):
        assert client.get(url).status_code == 200
    device.delete()  # reset by the secretariat, say
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_a_password_changed_logs_out_the_other_sessions_and_keeps_this_one(w):
    here, there = Client(), Client()
    for client in (here, there):
        assert client.post(reverse("accounts:login"), {"username": w.admin_a.username,
                                                        "password": PASSWORD}).status_code == 302
        for _ in range(2):
            assert client.get(item_url(w)).status_code == 200
    response = here.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "a-new-pass-2569!", "new_password2": "a-new-pass-2569!"})
    assert response.status_code == 302
    assert here.get(item_url(w)).status_code == 200
    response = there.get(item_url(w))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_person_deactivated_is_logged_out_at_the_next_request(w):
    client = signed_in(w.admin_a)
    for _ in range(2):
        assert client.get(item_url(w)).status_code == 200
    get_user_model().objects.filter(pk=w.admin_a.pk).update(is_active=False)
    response = client.get(item_url(w))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_round_renamed_shows_in_the_switcher_and_the_page_at_the_next_request(w):
    Round.objects.create(province=w.province, fiscal_year=2567, name="ITA 2567 เดิม", starts_on="2023-10-01",
                         ends_on="2024-09-30")
    client = signed_in(w.secretariat)
    url = reverse("round_dashboard", args=[w.round.pk])
    for _ in range(2):
        html = client.get(url).content.decode()
    assert "ITA 2567 เดิม" in html and "ITA 2568 ใหม่" not in html
    Round.objects.filter(fiscal_year=2567).update(name="ITA 2567 ใหม่")
    w.round.name = "ITA 2568 ใหม่"
    w.round.save()
    html = client.get(url).content.decode()
    assert "ITA 2567 ใหม่" in html and "ITA 2567 เดิม" not in html
    assert "ITA 2568 ใหม่" in html


def test_logging_out_ends_the_session_kept_in_the_cache(w):
    client = signed_in(w.admin_a)
    assert client.get(item_url(w)).status_code == 200
    cookie = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies["sessionid"] = cookie
    response = replay.get(item_url(w))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_an_expired_session_is_not_served_from_the_cache(w):
    client = signed_in(w.admin_a)
    session = client.session
    session.set_expiry(1)
    session.save()
    assert client.get(item_url(w)).status_code == 200
    time.sleep(1.5)
    response = client.get(item_url(w))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_session_survives_the_cache_being_emptied(w):
    """Sessions are written through to the database (cached_db): a Redis restart logs nobody out."""
    client = signed_in(w.admin_a)
    assert client.get(item_url(w)).status_code == 200
    cache.clear()
    assert client.get(item_url(w)).status_code == 200


def test_a_login_moves_the_persons_own_version_only(w, client):
    before = versions.versions(f"user:{w.admin_a.pk}", f"user:{w.admin_b.pk}")
    assert client.post(reverse("accounts:login"), {"username": w.admin_a.username,
                                                   "password": PASSWORD}).status_code == 302
    after = versions.versions(f"user:{w.admin_a.pk}", f"user:{w.admin_b.pk}")
    assert after[f"user:{w.admin_a.pk}"] != before[f"user:{w.admin_a.pk}"]
    assert after[f"user:{w.admin_b.pk}"] == before[f"user:{w.admin_b.pk}"]
    assert after["global"] == before["global"]
