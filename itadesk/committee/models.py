from django.db import models
from django.utils.translation import gettext_lazy as _

from itadesk.registry.models import Province


class CommitteeMember(models.Model):
    """A member of the province's ITA supervising committee (คณะกรรมการกำกับการประเมิน ITA)."""

    class CommitteeRole(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Member and secretary")
        CO_SECRETARY = "co_secretary", _("Member and co-secretary")
        ASSISTANT_SECRETARY = "assistant_secretary", _("Assistant secretary")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="committee_members")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=300)
    committee_role = models.CharField(_("committee role"), max_length=30, choices=CommitteeRole.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["province", "order", "id"]

    def __str__(self):
        return self.name
