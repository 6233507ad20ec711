"""``csrf_token``: Django's CSRF token (``django.template.context_processors.csrf``, which it replaces in the
templates: listed after it in settings.TEMPLATES), masked with one read of the system's random source instead
of 33.

Django masks the CSRF secret afresh for every page (``middleware.csrf.get_token``, against BREACH): a mask of 32
characters drawn one by one with ``secrets.choice``, each its own ``os.urandom`` call — about 0.1 ms, and every
signed-in page renders a token (the language switch and the log-out form). The same mask is drawn here from one
``secrets.token_bytes`` read, each character equally likely as with ``secrets.choice`` (bytes 248–255 are
dropped, 248 being a multiple of the 62 characters); the token is Django's format, unmasked and checked by
Django's own ``CsrfViewMiddleware``, and the cookie is set or renewed exactly as ``get_token`` does."""

from __future__ import annotations

import secrets

from django.middleware import csrf as django_csrf
from django.utils.functional import SimpleLazyObject

CHARS = django_csrf.CSRF_ALLOWED_CHARS
_LIMIT = 256 - 256 % len(CHARS)  # bytes below it fall evenly on the characters
_INDEX = {c: i for i, c in enumerate(CHARS)}


def csrf(request):
    return {"csrf_token": SimpleLazyObject(lambda: get_token(request))}


def get_token(request) -> str:
    """``django.middleware.csrf.get_token``: the request's secret (made, and its cookie set, if it has none), masked."""
    if "CSRF_COOKIE" in request.META:
        secret = request.META["CSRF_COOKIE"]
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # renew the cookie's expiry, as get_token does
    else:
        secret = django_csrf._add_new_csrf_cookie(request)
    return mask(secret)


def mask(secret: str) -> str:
    """``django.middleware.csrf._mask_cipher_secret``: a random mask of ``CSRF_SECRET_LENGTH`` characters, then the
    secret shifted character by character by the mask (also the hosted questionnaires' lean path's token)."""
    n = len(CHARS)
    length = django_csrf.CSRF_SECRET_LENGTH
    picks: list[int] = []
    while len(picks) < length:
        picks.extend(b % n for b in secrets.token_bytes(length + 8) if b < _LIMIT)
    shifts = picks[:length]
    cipher = "".join(CHARS[(_INDEX[x] + y) % n] for x, y in zip(secret, shifts, strict=True))
    return "".join(CHARS[y] for y in shifts) + cipher
