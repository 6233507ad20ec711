"""Optional second factor at sign-in: a time-based one-time code (TOTP, RFC 6238) from an authenticator app,
with printed backup codes (django-otp's TOTP and static devices; docs/security.md).

Who: the secretariat, officers, reviewers and superusers may enrol (``may_enrol``);
``ITADESK_REQUIRE_2FA`` names the roles that must (``required_for``). A person with a confirmed device
signs in with the password and then the code; until the code is given the session reaches only the code
page (``SecondFactorMiddleware``, which also covers Django admin's own login page). A person who must
enrol and has not is sent to enrolment after signing in.

Code attempts are counted with the login throttle (``itadesk.core.throttle``): ``ITADESK_LOGIN_FAILURES``
wrong codes for one account within a day lock code entry for ``ITADESK_LOGIN_LOCK_MINUTES``, doubled for
each further failure, at most a day; a right code clears the count. django-otp's devices add their own
back-off on top.

Writes (enrol, new backup codes, turn off, reset by the secretariat) are services here: one transaction,
one history event on the person (``people.2fa_*``)."""

from __future__ import annotations

import datetime as dt
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from itadesk.accounts.access import scope_for
from itadesk.accounts.models import Membership, Role
from itadesk.core import audit, throttle, versions
from itadesk.core.language import page_lang
from itadesk.core.services import Refused
from itadesk.core.thai import format_date

ELIGIBLE_ROLES = (Role.SECRETARIAT, Role.OFFICER, Role.REVIEWER)
BACKUP_CODES = 10
TOTP_NAME = "authenticator"
BACKUP_NAME = "backup"


# --- who ---------------------------------------------------------------------------------------------

def _roles(user) -> set[str]:
    if user.is_active:  # the scope holds the roles (read once per request, or kept under the data versions)
        return set(scope_for(user).roles)
    return set(Membership.objects.filter(user=user).values_list("role", flat=True))


def may_enrol(user) -> bool:
    """The secretariat, officers, reviewers and superusers may use a second factor."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(_roles(user) & {str(r) for r in ELIGIBLE_ROLES})


def required_roles() -> set[str]:
    """``ITADESK_REQUIRE_2FA``: role names (secretariat, officer, reviewer, superuser) or "1"/"all" for all four."""
    raw = settings.ITADESK_REQUIRE_2FA
    values = {v.strip().lower() for v in (raw.split(",") if isinstance(raw, str) else raw) if v.strip()}
    if values & {"1", "all", "yes", "true", "on"}:
        return {*(str(r) for r in ELIGIBLE_ROLES), "superuser"}
    return values & {*(str(r) for r in ELIGIBLE_ROLES), "superuser"}


def required_for(user) -> bool:
    roles = required_roles()
    if not roles or not user.is_authenticated:
        return False
    return ("superuser" in roles and user.is_superuser) or bool(_roles(user) & roles)


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_device(user) -> bool:
    """Whether the user has a confirmed authenticator (asked on every page of a session that gave no code:
    kept under the data versions, ``versions.kept``, so a device confirmed or removed counts at once)."""
    return versions.kept("2fa-device", [user.pk], [],
                           lambda: TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def backup_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- enrolment ---------------------------------------------------------------------------------------

def pending_device(user) -> TOTPDevice:
    """The device being set up (not confirmed yet): the same one on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as the authenticator apps take it typed in: base32 in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` address of the device as an inline SVG QR code (no inline style in it)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, title=_("QR code"))


# --- throttled code checks ---------------------------------------------------------------------------

def _rule() -> throttle.Rule:
    return throttle.Rule("otp", settings.ITADESK_LOGIN_FAILURES, dt.timedelta(days=1),
                         dt.timedelta(minutes=settings.ITADESK_LOGIN_LOCK_MINUTES))


def _key(user) -> str:
    return f"user:{user.pk}"


def locked_until(user, now=None):
    if not settings.ITADESK_LOGIN_THROTTLE:
        return None
    return throttle.locked_until("otp", _key(user), _rule(), now)


def locked_message(until) -> str:
    lang = page_lang()
    return _("Too many wrong codes. Try again after %(time)s.") % {"time": format_date(until, lang=lang)}


def check_code(user, code: str, *, devices=None, now=None):
    """The device (authenticator or backup codes) that accepts ``code``, or a ``Refused`` naming the
    field "code". A wrong code counts towards the lock; a right one clears the count. A backup code
    works once."""
    until = locked_until(user, now)
    if until is not None:
        raise Refused(locked_message(until), field="code")
    code = "".join((code or "").split()).lower()  # backup codes are stored in lower case
    if devices is None:
        devices = [*TOTPDevice.objects.filter(user=user, confirmed=True),
                   *StaticDevice.objects.filter(user=user, confirmed=True)]
    for device in devices:
        with transaction.atomic():
            if code and device.verify_token(code):
                throttle.clear("otp", _key(user))
                return device
    if settings.ITADESK_LOGIN_THROTTLE:
        throttle.record("otp", _key(user), now)
    raise Refused(_("The code is not right. Type the 6 digits your app shows now, or a backup code."), field="code")


# --- services ----------------------------------------------------------------------------------------

def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def enrol(*, user, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the device being set up with a code from the app: it becomes the person's only
    authenticator, and ten new backup codes are made. Returns the backup codes (shown once)."""
    if device.user_id != user.pk or device.confirmed:
        raise Refused(_("This set-up is no longer valid. Start again."))
    check_code(user, code, devices=[device])
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_backup_codes(user)
        audit.record(actor=user, action="people.2fa_on", obj=user, after={"second_factor": True})
    return codes


def renew_backup_codes(*, user, code: str) -> list[str]:
    """Ten new backup codes (the old ones stop working), after a code from the app or a backup code."""
    check_code(user, code)
    with transaction.atomic():
        codes = _new_backup_codes(user)
        audit.record(actor=user, action="people.2fa_codes", obj=user, after={"backup_codes": len(codes)})
    return codes


def turn_off(*, user, code: str) -> None:
    """The person turns the second factor off, after a code from the app or a backup code."""
    check_code(user, code)
    with transaction.atomic():
        _remove(user)
        audit.record(actor=user, action="people.2fa_off", obj=user, before=_ON, after=_OFF)


def reset(*, actor, user) -> None:
    """The secretariat removes a person's second factor (a lost phone); the person signs in with the
    password alone, or is asked to enrol again where it is required."""
    if not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists():
        raise Refused(_("This person has no second factor."))
    with transaction.atomic():
        _remove(user)
        audit.record(actor=actor, action="people.2fa_reset", obj=user, before=_ON, after=_OFF)


_ON, _OFF = {"second_factor": True}, {"second_factor": False}


def _remove(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    throttle.clear("otp", _key(user))


# --- the session -------------------------------------------------------------------------------------

class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware (``request.user.otp_device``, ``is_verified()``), with the device that verified
    the session read from the cache of set-up data under the data versions (``versions.cached``): every use
    of a device (its throttle, its last use) and every change to it is a write under "global", so a device
    removed or reset is seen by the next request."""

    def _device_from_persistent_id(self, persistent_id: str):
        read = super()._device_from_persistent_id
        return versions.kept("2fa-session-device", [persistent_id], [], lambda: read(persistent_id))


class SecondFactorMiddleware:
    """After ``django_otp.middleware.OTPMiddleware``: a signed-in session whose user has a confirmed
    device but has not given a code reaches only the code page (and sign-out, the language switch);
    a user who must enrol and has no device reaches only the enrolment pages."""

    CODE_PATHS = ("accounts:login_code", "accounts:logout", "set_language")
    ENROL_PATHS = ("accounts:two_factor", "accounts:two_factor_setup", "accounts:logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            if has_device(user):
                target = self._target(request, self.CODE_PATHS, "accounts:login_code")
            elif required_for(user):
                target = self._target(request, self.ENROL_PATHS, "accounts:two_factor_setup")
            else:
                target = None
            if target is not None:
                return self._redirect(request, target)
        return self.get_response(request)

    @staticmethod
    def _target(request, allowed, to):
        if request.path.startswith(settings.STATIC_URL) or request.path in {reverse(name) for name in allowed}:
            return None
        return reverse(to) + "?" + urlencode({"next": request.get_full_path()})

    @staticmethod
    def _redirect(request, url):
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)

