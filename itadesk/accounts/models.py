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

    def clean(self):
        if self.role == Role.SECRETARIAT and not self.province_id:
            raise ValidationError({"province": _("A secretariat role needs a province.")})
        if self.role in OFFICE_ROLES and not self.office_id:
            raise ValidationError({"office": _("An office role needs an office.")})
        if self.role in AGENCY_ROLES and not self.agency_id:
            raise ValidationError({"agency": _("An agency role needs an agency.")})
