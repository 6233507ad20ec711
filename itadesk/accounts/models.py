from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from itadesk.registry.models import Agency, Province, SupervisingOffice


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Committee secretariat")
    OFFICER = "officer", _("Supervising office officer")
    REVIEWER = "reviewer", _("Reviewer")
    AGENCY_ADMIN = "agency_admin", _("Agency admin")
    AGENCY_EXECUTIVE = "agency_executive", _("Agency executive")


OFFICE_ROLES = (Role.OFFICER, Role.REVIEWER)
AGENCY_ROLES = (Role.AGENCY_ADMIN, Role.AGENCY_EXECUTIVE)


class Membership(models.Model):
    """A user's role, tied to what it applies to: a province (secretariat), an office (officer,
    reviewer) or an agency (admin, executive). A user may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey(SupervisingOffice, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="members")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="members")

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "province", "office", "agency"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.office or self.agency or self.province}"

    @property
    def target(self):
        """What the role applies to: the agency, the office or the province."""
        return self.agency or self.office or self.province

    def clean(self):
        if self.role == Role.SECRETARIAT and not self.province_id:
            raise ValidationError({"province": _("A secretariat role needs a province.")})
        if self.role in OFFICE_ROLES and not self.office_id:
            raise ValidationError({"office": _("An office role needs an office.")})
        if self.role in AGENCY_ROLES and not self.agency_id:
            raise ValidationError({"agency": _("An agency role needs an agency.")})


# --- people onboarding (invitations) ------------------------------------------------------------


class Profile(models.Model):
    """What ITA Desk keeps about a person beyond Django's user: the LINE ID (for later use)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="itadesk_profile")
    line_id = models.CharField(_("LINE ID"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return f"{self.user} · {self.line_id or '-'}"


class Invitation(models.Model):
    """The invitation of an account created by a people import: when its set-password link was last sent
    (each sending makes the earlier links invalid), how often, and when the person accepted it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitation")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    send_count = models.PositiveIntegerField(_("times sent"), default=0)
    send_error = models.CharField(_("sending error"), max_length=300, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.user} · {self.state}"

    def expires_at(self):
        import datetime as dt

        if self.sent_at is None:
            return None
        return self.sent_at + dt.timedelta(days=settings.ITADESK_INVITATION_DAYS)

    def state_at(self, now) -> str:
        """"accepted", "not_sent", "failed" (the last sending failed), "expired" or "sent"."""
        if self.accepted_at:
            return "accepted"
        if self.sent_at is None:
            return "not_sent"
        if self.send_error:
            return "failed"
        if self.expires_at() <= now:
            return "expired"
        return "sent"

    @property
    def state(self) -> str:
        from django.utils import timezone

        return self.state_at(timezone.now())
