"""The committee's improvement project (โครงการ) with its budget, budget lines and spending, and the
events it runs (workshops, coaching meetings) with their sessions, invitations per agency,
registrations and check-in by QR code.

Event dates and times are wall-clock times in Bangkok (the event's own day), as invitations print them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from itadesk.registry.models import Agency, Province, SupervisingOffice

MONEY = {"max_digits": 14, "decimal_places": 2}


class Project(models.Model):
    """An improvement project of the province (โครงการขับเคลื่อนเพื่อพัฒนาและยกระดับคะแนน ITA)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="projects")
    round = models.ForeignKey("cycles.Round", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="projects", verbose_name=_("round"))
    name = models.CharField(_("name"), max_length=400)
    owner_office = models.ForeignKey(SupervisingOffice, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="projects", verbose_name=_("owner office"))
    objective = models.TextField(_("objective"), blank=True)
    budget = models.DecimalField(_("budget (baht)"), **MONEY, default=Decimal("0"))
    budget_source = models.CharField(_("source of the budget"), max_length=400, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("improvement project")
        verbose_name_plural = _("improvement projects")
        ordering = ["province", "-created_at", "-id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:project", args=[self.pk])


class BudgetLine(models.Model):
    """One line of a project's budget (หมวดค่าใช้จ่าย), e.g. lunch and snacks for 160 people."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("budget line"), max_length=300)
    amount = models.DecimalField(_("amount (baht)"), **MONEY)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "order", "id"]

    def __str__(self):
        return self.name


def receipt_path(instance, filename):
    return f"projects/receipts/{instance.line.project_id}/{secrets.token_hex(8)}-{filename[-80:]}"


class Spending(models.Model):
    """Money spent against a budget line (การเบิกจ่าย), with an optional receipt."""

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="spendings")
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (baht)"), **MONEY)
    note = models.CharField(_("note"), max_length=400, blank=True)
    receipt = models.FileField(_("receipt"), upload_to=receipt_path, blank=True, max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        ordering = ["line", "date", "id"]

    def __str__(self):
        return f"{self.line}: {self.amount}"


class Event(models.Model):
    """An event of a project (กิจกรรม): a workshop, a coaching meeting."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=400)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"), default=dt.time(9, 0))
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300)
    capacity = models.PositiveIntegerField(_("capacity (seats)"))
    default_quota = models.PositiveSmallIntegerField(
        _("seats per agency"), default=2, help_text=_("e.g. 2: the executive and the ITAS admin"))
    target_group = models.ForeignKey("methodology.TargetGroup", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("target group"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["project", "date", "start_time", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:event", args=[self.pk])

    @property
    def is_targeted(self) -> bool:
        return self.target_group_id is not None


class Session(models.Model):
    """One session of an event's programme (หัวข้อ วิทยากร ระยะเวลา)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    topic = models.CharField(_("topic"), max_length=500)
    speaker = models.CharField(_("speaker"), max_length=300, blank=True)
    speaker_office = models.ForeignKey(SupervisingOffice, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("speaker's office"))
    speaker_office_name = models.CharField(_("speaker's office (other)"), max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    break_after_minutes = models.PositiveSmallIntegerField(_("break after (minutes)"), default=0)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["event", "order", "id"]

    def __str__(self):
        return self.topic

    @property
    def office_label(self) -> str:
        if self.speaker_office_id:
            return self.speaker_office.name_th
        return self.speaker_office_name


class Invitation(models.Model):
    """An agency invited to an event with its number of seats (quota)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    quota = models.PositiveSmallIntegerField(_("seats"))
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "agency__kind", "agency__name_th"]
        constraints = [models.UniqueConstraint(fields=["event", "agency"], name="invitation_unique")]

    def __str__(self):
        return f"{self.event}: {self.agency}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """A person registered for an event: for an invited agency, or by the secretariat (walk-ins too).
    The token is unguessable; the ticket's QR code opens the check-in page with it."""

    class Kind(models.TextChoices):
        EXECUTIVE = "executive", _("Executive")
        ADMIN = "admin", _("ITAS admin")
        STAFF = "staff", _("Staff")
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("agency"))
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    kind = models.CharField(_("attends as"), max_length=20, choices=Kind.choices, default=Kind.STAFF)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "agency__name_th", "id"]
        indexes = [models.Index(fields=["event", "agency"])]

    def __str__(self):
        return self.name
