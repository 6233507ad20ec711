"""Stakeholder data (ข้อมูลผู้มีส่วนได้ส่วนเสีย) of each agency in a round, its append-only event log, and
the IIT/EIT response counts by date (the daily trend)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itadesk.core.models import AppendOnlyLog
from itadesk.cycles.models import STAKEHOLDERS, Round, round_scope
from itadesk.registry.models import Agency

# Staff types of the optional internal breakdown: key -> label. The keys are stored; the labels are shown.
STAFF_TYPES = (
    ("officials", _("Civil servants / local officials")),
    ("permanent", _("Permanent employees")),
    ("employees", _("Government / contract employees")),
    ("other", _("Other staff")),
)


class StakeholderData(models.Model):
    """The internal and external stakeholders of one agency in one round: entered by the agency admin,
    approved (and then locked) by the agency executive; the secretariat may unlock it with a reason."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Waiting for approval")
        APPROVED = "approved", _("Approved")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="stakeholder_data")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="stakeholder_data")
    internal_count = models.PositiveIntegerField(_("staff with at least 1 year of service"))
    internal_breakdown = models.JSONField(_("staff by type"), default=dict, blank=True)
    external_people = models.PositiveIntegerField(_("people served (estimate)"), default=0)
    external_organizations = models.PositiveIntegerField(_("organizations served (estimate)"), default=0)
    external_groups = models.JSONField(_("external stakeholder groups"), default=list, blank=True)
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.DRAFT)
    locked = models.BooleanField(_("locked"), default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    entered_late = models.BooleanField(_("entered after the deadline"), default=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_late = models.BooleanField(_("approved after the deadline"), default=False)

    class Meta:
        verbose_name = _("stakeholder data")
        verbose_name_plural = _("stakeholder data")
        constraints = [models.UniqueConstraint(fields=["round", "agency"], name="stakeholder_data_unique")]

    def __str__(self):
        return f"{self.agency} · {self.round}"

    @property
    def internal_population(self) -> int:
        return self.internal_count

    @property
    def external_population(self) -> int:
        """People and organizations served: the population of the EIT sample."""
        return self.external_people + self.external_organizations

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED


class StakeholderEvent(AppendOnlyLog):
    """One step of an agency's stakeholder data (append-only: never updated or deleted)."""

    class Action(models.TextChoices):
        ENTERED = "entered", _("Entered")
        CHANGED = "changed", _("Changed")
        APPROVED = "approved", _("Approved")
        UNLOCKED = "unlocked", _("Unlocked")

    data = models.ForeignKey(StakeholderData, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("who"))
    actor_label = models.CharField(_("who (as recorded)"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    late = models.BooleanField(_("after the deadline"), default=False)
    values = models.JSONField(_("values"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    append_only_message = _("The stakeholder data log is append-only.")

    class Meta:
        verbose_name = _("stakeholder data event")
        verbose_name_plural = _("stakeholder data events")
        ordering = ["data", "at", "id"]

    def __str__(self):
        return f"{self.data_id} {self.action}"



def stakeholder_scopes(row) -> list[str]:
    """The data versions (core.versions) a row of stakeholder data or a response count belongs to: its round, its
    agency, and the round's stakeholder part, which the dashboards' follow-up and checks read
    (cycles.views.PIECE_READS)."""
    return [f"round:{row.round_id}", f"agency:{row.agency_id}", round_scope(row.round_id, STAKEHOLDERS)]


class ResponseCount(models.Model):
    """How many respondents had answered an instrument (IIT, EIT) of an agency by a date, as entered by a
    person or imported from an ITAS status export. One row per date: the rows make the daily trend."""

    class Source(models.TextChoices):
        ENTRY = "entry", _("Entered")
        IMPORT = "import", _("Imported")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="response_counts")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="response_counts")
    instrument = models.CharField(_("instrument"), max_length=20)
    on_date = models.DateField(_("date"))
    count = models.PositiveIntegerField(_("respondents"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ENTRY)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    # The row of the newest date of its agency and instrument, kept by the services: the dashboards read
    # the latest counts of a whole province without a per-row subquery.
    is_latest = models.BooleanField(_("latest count"), default=False)

    class Meta:
        verbose_name = _("response count")
        verbose_name_plural = _("response counts")
        ordering = ["round", "agency", "instrument", "on_date"]
        constraints = [models.UniqueConstraint(fields=["round", "agency", "instrument", "on_date"],
                                               name="response_count_unique")]
        indexes = [models.Index(fields=["round", "on_date"]), models.Index(fields=["round", "is_latest"])]

    def __str__(self):
        return f"{self.agency} {self.instrument} {self.on_date}: {self.count}"
