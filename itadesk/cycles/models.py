from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itadesk.registry.models import Agency, Province, SupervisingOffice

# Parts of a round's data with a data version of their own (core.versions), so that a cached page is computed
# again only when what it reads changes: the OIT items in the reviewers' hands (submitted, returned, passed),
# which items are past the agencies' drafts (approved by the executive or later), the milestones' progress,
# the stakeholder data. Every write in a round also bumps "round:<id>" and "agency:<id>".
REVIEWED_ITEMS, APPROVED_ITEMS, PROGRESS, STAKEHOLDERS = "review", "approved", "progress", "stakeholders"


def round_scope(round_id, part: str) -> str:
    """The data version name of one part of a round's data: ``round_scope(3, PROGRESS)`` → "round:3:progress"."""
    return f"round:{round_id}:{part}"


class Round(models.Model):
    """A fiscal-year ITA round of one province (รอบการประเมินประจำปีงบประมาณ)."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="rounds")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_current = models.BooleanField(_("current round"), default=False)
    public_dashboard = models.BooleanField(
        _("public dashboard"), default=False,
        help_text=_("Anyone may read the round's progress dashboard without logging in."))
    framework = models.ForeignKey(
        "methodology.FrameworkVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="rounds",
        verbose_name=_("framework"), help_text=_("The methodology this round is assessed with."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN,
                             help_text=_("A closed round keeps its progress as it was: nobody can change it."))
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("copied from"))

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["province", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["province", "fiscal_year"], name="round_year_unique")]

    def __str__(self):
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class Milestone(models.Model):
    """A step of the round with its deadline (local Bangkok time, stored in UTC)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="milestones")
    code = models.SlugField(_("code"), max_length=40)
    name_th = models.CharField(_("name (Thai)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["round", "order", "deadline"]
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="milestone_code_unique")]

    def __str__(self):
        return self.name_th

    def is_past(self, now=None) -> bool:
        return (now or timezone.now()) >= self.deadline


class Participation(models.Model):
    """An agency taking part in a round; flags the agencies the committee picked for coaching."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participations")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="participations")
    needs_coaching = models.BooleanField(_("needs coaching"), default=False)
    coaching_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("participating agency")
        verbose_name_plural = _("participating agencies")
        constraints = [models.UniqueConstraint(fields=["round", "agency"], name="participation_unique")]

    def __str__(self):
        return f"{self.agency} ({self.round.fiscal_year})"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    APPROVED = "approved", _("Approved")


DONE_STATUSES = (Status.DONE, Status.APPROVED)


class Progress(models.Model):
    """Where one agency stands on one milestone. A missing row means 'not started'."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="progress")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("updated by"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    changed_late = models.BooleanField(_("changed after the deadline"), default=False)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        constraints = [models.UniqueConstraint(fields=["milestone", "agency"], name="progress_unique")]
        indexes = [models.Index(fields=["milestone", "status"])]

    def __str__(self):
        return f"{self.agency} · {self.milestone}: {self.get_status_display()}"

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    @property
    def done_late(self) -> bool:
        return self.is_done and self.done_at is not None and self.done_at >= self.milestone.deadline

    def is_late(self, now=None) -> bool:
        return not self.is_done and self.milestone.is_past(now)


class Mission(models.Model):
    """One assigned mission (ภารกิจ) of a supervising office in a round, as in the assignment list."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="missions")
    office = models.ForeignKey(SupervisingOffice, on_delete=models.CASCADE, related_name="missions")
    text = models.TextField(_("mission"))
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="missions", verbose_name=_("deadline it refers to"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["round", "office", "order", "id"]

    def __str__(self):
        return self.text[:80]


class ReminderLog(models.Model):
    """A reminder digest that went out, so that a re-run never sends it twice."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    recipient = models.CharField(max_length=254)
    scope = models.CharField(max_length=80)  # "office:<id>" or "agency:<id>"
    sent_at = models.DateTimeField(auto_now_add=True)
    open_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["milestone", "days_before", "recipient", "scope"],
                                               name="reminder_once")]

    def __str__(self):
        return f"{self.milestone_id} -{self.days_before}d → {self.recipient}"


class PublicHoliday(models.Model):
    """A public holiday (วันหยุดราชการ) as data, with where it comes from. ``year`` empty: the same day
    every year (e.g. 5 December); a year (CE) for a holiday that moves (the lunar ones)."""

    year = models.PositiveSmallIntegerField(_("year (CE), empty for every year"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(_("day"))
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=500)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["month", "day", "year"]
        constraints = [models.UniqueConstraint(fields=["year", "month", "day", "name_th"], name="holiday_unique")]

    def __str__(self):
        return f"{self.day}/{self.month}{'/' + str(self.year) if self.year else ''} {self.name_th}"
