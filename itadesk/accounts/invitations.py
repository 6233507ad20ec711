"""Invitation links and e-mails for accounts created by a people import.

The link is ``/accounts/invitation/<uidb64>/<token>/``. The token is Django's password-reset token
(``PasswordResetTokenGenerator``: HMAC of the user's id, password hash, last login and e-mail with the
site's secret) with two changes: it also covers the invitation's ``sent_at``, so sending the invitation
again makes every earlier link invalid, and it expires after ``settings.ITADESK_INVITATION_DAYS`` days
instead of ``PASSWORD_RESET_TIMEOUT``. Setting the password changes the hash, so a link works once.

The e-mail is Thai with an English translation below, always (it goes out whatever language the person
who imported uses). ``send_invitation`` is called after the transaction that recorded the sending commits.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from itadesk.accounts.models import Invitation
from itadesk.core.thai import format_date

logger = logging.getLogger(__name__)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "itadesk.accounts.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        invitation = getattr(user, "invitation", None)
        sent = invitation.sent_at.replace(microsecond=0).isoformat() if invitation and invitation.sent_at else ""
        return f"{super()._make_hash_value(user, timestamp)}{sent}{int(user.is_active)}"

    def check_token(self, user, token):
        """Django's check with the invitation's own lifetime (``ITADESK_INVITATION_DAYS``)."""
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.ITADESK_INVITATION_DAYS * 86400


tokens = InvitationTokenGenerator()


def invitation_path(user) -> str:
    return reverse("accounts:invitation", args=[urlsafe_base64_encode(force_bytes(user.pk)), tokens.make_token(user)])


def user_from_link(uidb64: str, token: str):
    """The user a link is for when its token is valid now, else None."""
    User = get_user_model()
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = User.objects.select_related("invitation").get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    invitation = getattr(user, "invitation", None)
    if (invitation is None or invitation.sent_at is None or invitation.accepted_at or not user.is_active
            or user.has_usable_password()):
        return None
    return user if tokens.check_token(user, token) else None


def _targets(user) -> list[dict]:
    """The roles the person is invited to, Thai and English."""
    rows = []
    for m in user.memberships.select_related("province", "office", "agency").order_by("pk"):
        target = m.agency or m.office or m.province
        with translation.override("th"):
            role_th = str(m.get_role_display())
        with translation.override("en"):
            role_en = str(m.get_role_display())
        rows.append({"role_th": role_th, "role_en": role_en, "target": target.name_th if target else ""})
    return rows


def send_invitation(user_id: int) -> bool:
    """Send the invitation of one user (after commit). A failure is logged and kept on the invitation
    (``send_error``), never raised: the import or the resend that asked for it stays done."""
    User = get_user_model()
    user = User.objects.select_related("invitation").get(pk=user_id)
    invitation = user.invitation
    expires = invitation.expires_at()
    context = {
        "user": user, "name": user.get_full_name() or user.get_username(), "username": user.get_username(),
        "link": settings.SITE_URL.rstrip("/") + invitation_path(user), "roles": _targets(user),
        "expires_th": format_date(expires), "expires_en": format_date(expires, lang="en"),
        "days": settings.ITADESK_INVITATION_DAYS,
        "inviter": (invitation.invited_by.get_full_name() or invitation.invited_by.get_username())
        if invitation.invited_by else "ITA Desk",
    }
    with translation.override("th"):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        text = render_to_string("accounts/email/invitation.txt", context)
        html = render_to_string("accounts/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as exc:
        logger.exception("Invitation to %s failed", user.email)
        Invitation.objects.filter(pk=invitation.pk).update(send_error=str(exc)[:300] or exc.__class__.__name__)
        return False
    if invitation.send_error:
        Invitation.objects.filter(pk=invitation.pk).update(send_error="")
    return True

