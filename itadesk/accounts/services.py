"""Writes about people: create an invited account, send (again) its invitation, accept it, deactivate and
reactivate. Each function is one transaction with one history event per object; invitation e-mails go out
after the commit (``invitations.send_invitation``)."""

from __future__ import annotations

from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from itadesk.accounts.invitations import send_invitation
from itadesk.accounts.models import Invitation, Membership, Profile
from itadesk.core import audit


def _on_commit_send(user_id: int) -> None:
    transaction.on_commit(partial(send_invitation, user_id))


def _target_ids(role, *, province=None, office=None, agency=None) -> dict:
    return {"role": str(role), "province": getattr(province, "pk", None), "office": getattr(office, "pk", None),
            "agency": getattr(agency, "pk", None)}


def invite_person(*, actor, email: str, first_name: str, last_name: str, line_id: str, role, province=None,
                  office=None, agency=None, user=None, send: bool = True, now=None):
    """Create an account with an unusable password (or take ``user``, an existing account without any
    role) and give it ``role`` on its target; record an invitation and, with ``send``, send it after commit.
    Returns the user. The caller (``importing.apply_people_import``) has checked the row."""
    User = get_user_model()
    now = now or timezone.now()
    with transaction.atomic():
        created = user is None
        if created:
            user = User(username=email.lower(), email=email, first_name=first_name, last_name=last_name)
            user.set_unusable_password()
            user.save()
        Membership.objects.create(user=user, role=role, province=province, office=office, agency=agency)
        if line_id:
            Profile.objects.update_or_create(user=user, defaults={"line_id": line_id})
        invitation = None
        if not user.has_usable_password():
            invitation, _ = Invitation.objects.get_or_create(user=user, defaults={"invited_by": actor})
            if send:
                invitation.sent_at, invitation.send_count = now, invitation.send_count + 1
                invitation.save(update_fields=["sent_at", "send_count"])
        audit.record(actor=actor, action="people.invite" if created else "people.add_role", obj=user,
                     after={"email": user.email, "name": user.get_full_name(), "line_id": line_id,
                            **_target_ids(role, province=province, office=office, agency=agency),
                            "invitation_sent": bool(invitation and send)})
        if invitation is not None and send:
            _on_commit_send(user.pk)
    return user


def resend_invitation(*, actor, user, now=None) -> Invitation:
    """Send the invitation again with a new link (earlier links stop working). Refused for a person who
    has already set a password or whose account is deactivated."""
    now = now or timezone.now()
    with transaction.atomic():
        user = get_user_model().objects.select_for_update(of=("self",)).get(pk=user.pk)
        if not user.is_active:
            raise ValidationError("บัญชีนี้ถูกระงับอยู่ กรุณาเปิดใช้งานก่อนส่งคำเชิญ / "
                                  "this account is deactivated; reactivate it before sending the invitation")
        invitation = Invitation.objects.filter(user=user).first()
        if user.has_usable_password() or (invitation and invitation.accepted_at):
            raise ValidationError("บุคคลนี้ตั้งรหัสผ่านแล้ว หากลืมรหัสผ่านให้ใช้ 'ลืมรหัสผ่าน' / "
                                  "this person has already set a password; use 'forgot password' instead")
        if invitation is None:
            invitation = Invitation(user=user, invited_by=actor)
        before = {"sent_at": audit._plain(invitation.sent_at), "send_count": invitation.send_count}
        invitation.sent_at, invitation.send_count = now, invitation.send_count + 1
        invitation.send_error = ""
        invitation.save()
        audit.record(actor=actor, action="people.invitation_sent", obj=user, before=before,
                     after={"sent_at": audit._plain(now), "send_count": invitation.send_count})
        _on_commit_send(user.pk)
    return invitation


def set_active(*, actor, user, active: bool, reason: str = ""):
    """Deactivate (the person can no longer log in, gets no e-mail and counts as no contact) or reactivate
    an account. Nobody deactivates their own account."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update(of=("self",)).get(pk=user.pk)
        if actor is not None and actor.pk == user.pk and not active:
            raise ValidationError("ระงับบัญชีของตนเองไม่ได้ / you cannot deactivate your own account")
        if user.is_active == active:
            return user
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record(actor=actor, action="people.reactivate" if active else "people.deactivate", obj=user,
                     before={"is_active": not active}, after={"is_active": active}, note=reason[:500])
    return user


def accept_invitation(*, user, password: str, now=None):
    """The invited person sets their password (already checked by Django's validators)."""
    now = now or timezone.now()
    with transaction.atomic():
        user = get_user_model().objects.select_for_update(of=("self",)).get(pk=user.pk)
        user.set_password(password)
        user.save(update_fields=["password"])
        Invitation.objects.filter(user=user).update(accepted_at=now, send_error="")
        audit.record(actor=user, action="people.accept", obj=user, after={"accepted_at": audit._plain(now)})
    return user
