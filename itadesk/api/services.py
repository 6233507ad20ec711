"""Writes of the API app: personal tokens (create, revoke) and how a presented token is checked.

A token's secret is shown once, when it is made; only its SHA-256 is kept (a stolen database holds no usable
token). Every write here is one transaction with one history event naming the token's user."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from itadesk.api.models import ApiToken
from itadesk.core import audit, throttle
from itadesk.core.services import Refused

PREFIX = "itd_"
TOKEN_FIELDS = ["name", "prefix", "expires_at", "revoked_at"]
MAX_TOKENS = 20  # usable tokens per person
LAST_USED_EVERY = dt.timedelta(minutes=1)  # "last used" is written at most this often per token


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(*, actor, name: str, expires_at: dt.datetime | None = None, now=None) -> tuple[ApiToken, str]:
    """A new personal token of ``actor``; returns (token, secret). The secret is not stored."""
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise Refused("กรุณาตั้งชื่อโทเค็น (เช่น ชื่อโปรแกรมที่จะใช้)", "Give the token a name (e.g. the program "
                      "that will use it).", field="name")
    if len(name) > 100:
        raise Refused("ชื่อโทเค็นยาวเกิน 100 ตัวอักษร", "The token's name is longer than 100 characters.",
                      field="name")
    if expires_at is not None and expires_at <= now:
        raise Refused("วันหมดอายุต้องอยู่ในอนาคต", "The expiry date must be in the future.", field="expires_at")
    usable = [t for t in ApiToken.objects.filter(user=actor, revoked_at__isnull=True) if t.is_usable(now)]
    if len(usable) >= MAX_TOKENS:
        raise Refused(f"มีโทเค็นที่ใช้ได้ครบ {MAX_TOKENS} รายการแล้ว กรุณาเพิกถอนรายการที่ไม่ใช้ก่อน",
                      f"You already have {MAX_TOKENS} usable tokens; revoke one you no longer use first.")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=secret[:12], digest=digest(secret),
                                    created_at=now, expires_at=expires_at)
    audit.record(actor=actor, action="api_token.create", obj=token, after=audit.snapshot(token, TOKEN_FIELDS))
    return token, secret


@transaction.atomic
def revoke_token(*, actor, token: ApiToken, now=None) -> ApiToken:
    """Stop ``token`` working from now on (its row stays, for the history)."""
    token = ApiToken.objects.select_for_update(of=("self",)).get(pk=token.pk)
    if token.revoked_at is not None:
        raise Refused("โทเค็นนี้ถูกเพิกถอนไปแล้ว", "This token was already revoked.")
    before = audit.snapshot(token, TOKEN_FIELDS)
    token.revoked_at = now or timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="api_token.revoke", obj=token, before=before,
                 after=audit.snapshot(token, TOKEN_FIELDS))
    return token


def token_for(secret: str, now=None) -> ApiToken | None:
    """The usable token whose secret this is (of an active user), or None. Notes when it was last used."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    now = now or timezone.now()
    token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # a note of use, not a change: no event
        token.last_used_at = now
    return token


def rate_limit(token: ApiToken, now=None):
    """Count one call of ``token``: None when within ``ITADESK_API_RATE_PER_MINUTE``, else the moment the
    next call will be allowed (shared by every app process: the counts are in the database)."""
    limit = settings.ITADESK_API_RATE_PER_MINUTE
    if not limit:
        return None
    return throttle.hit("api", f"token-{token.pk}", limit, dt.timedelta(minutes=1), now)
