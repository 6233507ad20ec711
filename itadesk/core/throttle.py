"""Slowing down password guessing and password-reset floods, shared by every app process (the counts
live in the database, not in one process's memory).

Logins: failures are counted per *user name + client address* (so a guesser cannot lock the real
person out from elsewhere) and per *client address* alone (many names tried from one place). At the
limit the pair is locked, and each further failure after a lock doubles the next one (back-off), up to
a day; a successful login clears the pair. The check runs in the authentication backend (Django's
ModelBackend with the check in front), so Django admin's login is covered too; the login form says in Thai until when.

Password reset: at most ``RESET_PER_EMAIL`` requests an hour for one e-mail address and
``RESET_PER_ADDRESS`` from one client address, whether or not the address belongs to anybody.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils import timezone

from itadesk.core.client_ip import client_ip
from itadesk.core.models import ThrottleEvent

MAX_LOCK = dt.timedelta(days=1)


@dataclass(frozen=True)
class Rule:
    scope: str
    limit: int  # failures within the window that start a lock
    window: dt.timedelta  # how far back failures are counted
    base_lock: dt.timedelta  # the first lock; doubled for every failure beyond the limit


def login_rules() -> tuple[Rule, Rule]:
    base = dt.timedelta(minutes=settings.ITADESK_LOGIN_LOCK_MINUTES)
    return (Rule("login", settings.ITADESK_LOGIN_FAILURES, dt.timedelta(days=1), base),
            Rule("login-ip", settings.ITADESK_LOGIN_FAILURES_PER_ADDRESS, dt.timedelta(hours=1), base))


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def lock_for(n_failures: int, rule: Rule) -> dt.timedelta | None:
    """How long a key with ``n_failures`` in the window stays locked after its last failure."""
    if n_failures < rule.limit:
        return None
    return min(rule.base_lock * 2 ** min(n_failures - rule.limit, 20), MAX_LOCK)


def _events(scope: str, key: str, since):
    return ThrottleEvent.objects.filter(scope=scope, key=key, at__gt=since)


def locked_until(scope: str, key: str, rule: Rule, now=None):
    """The moment the key is free again, or None when it is not locked."""
    now = now or timezone.now()
    times = list(_events(scope, key, now - rule.window).order_by("-at").values_list("at", flat=True)[:64])
    lock = lock_for(len(times), rule)
    if lock is None or times[0] + lock <= now:
        return None
    return times[0] + lock


def record(scope: str, key: str, now=None, keep: dt.timedelta = dt.timedelta(days=1)) -> None:
    now = now or timezone.now()
    ThrottleEvent.objects.filter(scope=scope, at__lt=now - keep).delete()
    ThrottleEvent.objects.create(scope=scope, key=key, at=now)


def clear(scope: str, key: str) -> None:
    ThrottleEvent.objects.filter(scope=scope, key=key).delete()


def hit(scope: str, key: str, limit: int, window: dt.timedelta, now=None):
    """Count one request under ``key`` when fewer than ``limit`` were counted in the last ``window``: None.
    Over the limit nothing is counted and the answer is the moment the oldest counted request leaves the
    window (when the next one will be allowed). Used for per-token API rate limits."""
    now = now or timezone.now()
    times = list(_events(scope, key, now - window).order_by("at").values_list("at", flat=True)[:limit])
    if len(times) >= limit:
        return times[0] + window
    record(scope, key, now, keep=window)
    return None


# --- logins ------------------------------------------------------------------------------------------

def _login_keys(request, username: str) -> list[tuple[Rule, str]]:
    address = client_ip(request.META)
    pair, by_address = login_rules()
    return [(pair, _key((username or "").strip().casefold(), address)), (by_address, _key(address))]


def login_locked_until(request, username: str, now=None):
    """When a login for ``username`` from this request's address is possible again (None: now)."""
    if not settings.ITADESK_LOGIN_THROTTLE:
        return None
    until = [locked_until(rule.scope, key, rule, now) for rule, key in _login_keys(request, username)]
    until = [u for u in until if u is not None]
    return max(until) if until else None


class LoginThrottleBackend(ModelBackend):
    """Django's ModelBackend that first refuses (PermissionDenied stops Django's authenticate, so no password
    is even checked) while the user name and address are locked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None:  # without a request (scripts, the test client's login()) nothing is counted
            until = login_locked_until(request, username or kwargs.get("email", ""))
            if until is not None:
                request.itadesk_login_locked_until = until
                raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="itadesk.throttle.login_failed")
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is None or not settings.ITADESK_LOGIN_THROTTLE or getattr(request, "itadesk_login_locked_until", None):
        return
    now = timezone.now()
    for rule, key in _login_keys(request, credentials.get("username", "")):
        record(rule.scope, key, now)


@receiver(user_logged_in, dispatch_uid="itadesk.throttle.logged_in")
def _clear_on_success(sender, request=None, user=None, **kwargs):
    if request is None or user is None:
        return
    rule, key = _login_keys(request, user.get_username())[0]
    clear(rule.scope, key)


# --- password reset -----------------------------------------------------------------------------------

def reset_allowed(request, email: str, now=None) -> bool:
    """Count one password-reset request; False (and nothing counted) when over either hourly limit."""
    now = now or timezone.now()
    hour = dt.timedelta(hours=1)
    keys = [("reset-email", _key(email.strip().casefold()), settings.ITADESK_RESET_PER_EMAIL),
            ("reset-ip", _key(client_ip(request.META)), settings.ITADESK_RESET_PER_ADDRESS)]
    if any(_events(scope, key, now - hour).count() >= limit for scope, key, limit in keys):
        return False
    for scope, key, _limit in keys:
        record(scope, key, now, keep=hour)
    return True
