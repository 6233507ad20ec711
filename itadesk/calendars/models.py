"""Subscribable calendar feeds (iCalendar, RFC 5545): one secret address per user, supervising office or
agency. Only a hash of the address's token is stored; the token itself is shown once, when it is made."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from itadesk.registry.models import Agency, SupervisingOffice


def new_token() -> str:
    """A fresh secret for a feed address (192 random bits, URL-safe)."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256. The token is random, so a plain hash cannot be reversed
    and lets the feed be found by an indexed lookup."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A secret feed address. At most one live (not revoked) feed per owner; renewing revokes the old one."""

    class Kind(models.TextChoices):
        USER = "user", _("Personal")
        OFFICE = "office", _("Supervising office")
        AGENCY = "agency", _("Agency")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("user"))
    office = models.ForeignKey(SupervisingOffice, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("supervising office"))
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("agency"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="user", user__isnull=False, office__isnull=True, agency__isnull=True)
                           | Q(kind="office", user__isnull=True, office__isnull=False, agency__isnull=True)
                           | Q(kind="agency", user__isnull=True, office__isnull=True, agency__isnull=False)),
                name="calendar_feed_one_owner"),
            models.UniqueConstraint(fields=["user"], condition=Q(kind="user", revoked_at__isnull=True),
                                    name="calendar_feed_one_live_per_user"),
            models.UniqueConstraint(fields=["office"], condition=Q(kind="office", revoked_at__isnull=True),
                                    name="calendar_feed_one_live_per_office"),
            models.UniqueConstraint(fields=["agency"], condition=Q(kind="agency", revoked_at__isnull=True),
                                    name="calendar_feed_one_live_per_agency"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.owner}"

    @property
    def owner(self):
        return {"user": self.user, "office": self.office, "agency": self.agency}[self.kind]

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
