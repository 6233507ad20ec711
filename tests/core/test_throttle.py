"""Password guessing and password-reset floods are slowed down (itadesk/core/throttle.py), and the client
address behind a trusted reverse proxy is the one the proxy saw (itadesk/core/client_ip.py)."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core import throttle
from itadesk.core.client_ip import client_ip

PASSWORD = "correct horse battery staple"
START = dt.datetime(2026, 12, 6, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("somchai", "somchai@example.go.th", PASSWORD)


def _login(client, password, *, username="somchai", address="203.0.113.5"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_name_from_that_address_then_it_opens_again(client, user):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            assert _login(client, "wrong").status_code == 200
        locked = _login(client, PASSWORD)  # even the right password is refused while locked
        assert locked.status_code == 429
        text = locked.content.decode()
        assert "เข้าสู่ระบบไม่สำเร็จหลายครั้ง" in text and "6 ธ.ค. 2569 10:05 น." in text
        assert "_auth_user_id" not in client.session

        # another address is not locked (a guesser cannot lock the real person out from elsewhere)
        assert _login(client, PASSWORD, address="198.51.100.7").status_code == 302
        client.logout()

        clock.move_to(START + dt.timedelta(minutes=5, seconds=1))
        assert _login(client, PASSWORD).status_code == 302


def test_each_failure_after_a_lock_doubles_the_next_one(client, user):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            _login(client, "wrong")
        clock.move_to(START + dt.timedelta(minutes=6))
        assert _login(client, "wrong again").status_code == 200  # the lock had ended; this counts
        until = throttle.login_locked_until(_request("203.0.113.5"), "somchai")
        assert until == START + dt.timedelta(minutes=6) + dt.timedelta(minutes=10)
        assert _login(client, PASSWORD).status_code == 429
        # attempts while locked do not lengthen the lock
        clock.move_to(START + dt.timedelta(minutes=15))
        assert _login(client, "wrong").status_code == 429
        clock.move_to(START + dt.timedelta(minutes=16, seconds=1))
        assert _login(client, PASSWORD).status_code == 302


def test_a_successful_login_clears_the_count(client, user):
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            _login(client, "wrong")
        assert _login(client, PASSWORD).status_code == 302
        client.logout()
        for _ in range(4):
            assert _login(client, "wrong").status_code == 200
        assert _login(client, PASSWORD).status_code == 302


def test_many_names_from_one_address_lock_that_address(client, user, settings):
    settings.ITADESK_LOGIN_FAILURES_PER_ADDRESS = 8
    with time_machine.travel(START, tick=False):
        for n in range(8):
            _login(client, "x", username=f"guess{n}")
        assert _login(client, PASSWORD).status_code == 429
        assert _login(client, PASSWORD, address="198.51.100.7").status_code == 302


def test_the_admin_login_is_throttled_too(client, db):
    get_user_model().objects.create_superuser("root", "root@example.go.th", PASSWORD)
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            client.post("/admin/login/", {"username": "root", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
        client.post("/admin/login/", {"username": "root", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
        assert "_auth_user_id" not in client.session


def test_the_lock_can_be_turned_off(client, user, settings):
    settings.ITADESK_LOGIN_THROTTLE = False
    for _ in range(8):
        _login(client, "wrong")
    assert _login(client, PASSWORD).status_code == 302


@given(st.integers(min_value=0, max_value=200))
def test_locks_grow_and_never_pass_a_day(n):
    rule = throttle.Rule("login", 5, dt.timedelta(days=1), dt.timedelta(minutes=5))
    lock = throttle.lock_for(n, rule)
    if n < 5:
        assert lock is None
    else:
        assert dt.timedelta(minutes=5) <= lock <= dt.timedelta(days=1)
        assert throttle.lock_for(n + 1, rule) >= lock


# --- password reset ------------------------------------------------------------------------------------

def test_password_reset_is_limited_per_e_mail_and_per_address(client, user):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            r = client.post("/accounts/password/reset/", {"email": "somchai@example.go.th"}, REMOTE_ADDR="203.0.113.5")
            assert r.status_code == 302
        assert len(mail.outbox) == 3
        r = client.post("/accounts/password/reset/", {"email": "somchai@example.go.th"}, REMOTE_ADDR="198.51.100.1")
        assert r.status_code == 429 and "ขอตั้งรหัสผ่านใหม่บ่อยเกินไป" in r.content.decode()
        assert len(mail.outbox) == 3
        # an address nobody has is counted the same way (nothing tells whether an account exists)
        for n in range(7):
            client.post("/accounts/password/reset/", {"email": f"nobody{n}@example.go.th"}, REMOTE_ADDR="203.0.113.5")
        r = client.post("/accounts/password/reset/", {"email": "other@example.go.th"}, REMOTE_ADDR="203.0.113.5")
        assert r.status_code == 429
        clock.move_to(START + dt.timedelta(hours=1, seconds=1))
        r = client.post("/accounts/password/reset/", {"email": "somchai@example.go.th"}, REMOTE_ADDR="203.0.113.5")
        assert r.status_code == 302 and len(mail.outbox) == 4


# --- the client address ---------------------------------------------------------------------------------

def _request(address, forwarded=None):
    from django.test import RequestFactory

    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored():
    meta = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "10.1.1.1"}
    assert client_ip(meta, trusted_proxies=[]) == "203.0.113.5"
    assert client_ip(meta, trusted_proxies=["127.0.0.1"]) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_address_it_saw_is_used():
    proxies = ["127.0.0.1", "::1"]
    assert client_ip({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}, proxies) == "203.0.113.5"
    # what the client wrote itself stands to the left and is not believed
    spoofed = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5"}
    assert client_ip(spoofed, proxies) == "203.0.113.5"
    chain = {"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "203.0.113.5, 10.0.0.2"}
    assert client_ip(chain, ["::1", "10.0.0.0/8"]) == "203.0.113.5"
    assert client_ip({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "garbage"}, proxies) == "127.0.0.1"
    assert client_ip({"REMOTE_ADDR": "127.0.0.1"}, proxies) == "127.0.0.1"


@given(peer=st.ip_addresses(v=4).map(str), header=st.text(max_size=60))
def test_an_untrusted_peer_is_always_the_answer(peer, header):
    trusted = ["127.0.0.0/8"]
    answer = client_ip({"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": header}, trusted)
    if ipaddress.ip_address(peer) not in ipaddress.ip_network("127.0.0.0/8"):
        assert answer == peer
    else:
        assert answer == peer or answer in [h.strip() for h in header.split(",")]


def test_a_client_behind_the_proxy_is_throttled_by_its_own_address(client, user, settings):
    settings.ITADESK_TRUSTED_PROXIES = ["127.0.0.1"]
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            client.post("/accounts/login/", {"username": "somchai", "password": "x"},
                        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
        blocked = client.post("/accounts/login/", {"username": "somchai", "password": PASSWORD},
                              REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
        assert blocked.status_code == 429
        other = client.post("/accounts/login/", {"username": "somchai", "password": PASSWORD},
                            REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
        assert other.status_code == 302
