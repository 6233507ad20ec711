"""The outbox of every hand-off message (e-mail and LINE), each user's choice of channel per kind, and the
province's LINE Official Account with the users and groups linked to it (docs/notifications.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itadesk.registry.models import Province, SupervisingOffice


class Kind(models.TextChoices):
    """What a message is about; each user chooses a channel per kind."""

    OIT_SUBMITTED = "oit_submitted", _("OIT items sent for pre-review")
    OIT_REVIEWED = "oit_reviewed", _("OIT item returned or passed")
    STAKEHOLDERS = "stakeholders", _("Stakeholder data to approve or approved")
    ACTION_ASKED = "action_asked", _("Action item asked of an agency")
    ACTION_ANSWERED = "action_answered", _("Action item answered by an agency")
    EVENT_INVITATION = "event_invitation", _("Event invitation")
    REPORT_ISSUED = "report_issued", _("Monitoring report issued")
    DEADLINE_DIGEST = "deadline_digest", _("Deadline reminders")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    LINE = "line", "LINE"


class Choice(models.TextChoices):
    """A user's choice for one kind."""

    EMAIL = "email", _("E-mail")
    LINE = "line", "LINE"
    BOTH = "both", _("E-mail and LINE")
    NONE = "none", _("Nothing")


class State(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class LinePush(models.Model):
    """One push to LINE (one message counted against the province's monthly quota), carrying one or more
    notifications as lines of a digest."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    to = models.CharField(_("LINE recipient"), max_length=64)
    sent_at = models.DateTimeField(_("sent at"), db_index=True)
    lines = models.PositiveIntegerField(_("lines"), default=1)

    class Meta:
        verbose_name = _("LINE push")
        verbose_name_plural = _("LINE pushes")

    def __str__(self):
        return f"LINE → {self.to} ({self.lines})"


class Notification(models.Model):
    """One message to one recipient on one channel, written in the transaction of the hand-off that causes
    it and delivered after the commit; a failed delivery is retried with back-off and stays visible."""

    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="notifications")
    office = models.ForeignKey(SupervisingOffice, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    address = models.CharField(_("address"), max_length=254)  # e-mail address, LINE user or group id
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    html = models.TextField(blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED,
                             db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    push = models.ForeignKey(LinePush, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address}: {self.subject}"


class Preference(models.Model):
    """A user's channel for one kind of message (none stored = e-mail)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    choice = models.CharField(_("channel"), max_length=10, choices=Choice.choices, default=Choice.EMAIL)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self):
        return f"{self.user} · {self.kind}: {self.choice}"


class LineAccount(models.Model):
    """The province's LINE Official Account (Messaging API channel) and its plan's monthly message quota."""

    province = models.OneToOneField(Province, on_delete=models.CASCADE, related_name="line_account")
    channel_secret = models.CharField(_("channel secret"), max_length=100, blank=True)
    access_token = models.CharField(_("channel access token"), max_length=500, blank=True)
    monthly_quota = models.PositiveIntegerField(_("messages a month"), default=300)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("LINE Official Account")
        verbose_name_plural = _("LINE Official Accounts")

    def __str__(self):
        return f"LINE · {self.province}"

    @property
    def ready(self) -> bool:
        return bool(self.channel_secret and self.access_token)


class LineLink(models.Model):
    """A user's LINE account, or a LINE group linked to a supervising office, in one province."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="line_links")
    office = models.ForeignKey(SupervisingOffice, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="line_links")
    line_id = models.CharField(_("LINE id"), max_length=64)
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("LINE link")
        verbose_name_plural = _("LINE links")
        constraints = [
            models.UniqueConstraint(fields=["province", "line_id"], name="line_link_once"),
            models.CheckConstraint(condition=models.Q(user__isnull=False, office__isnull=True)
                                   | models.Q(user__isnull=True, office__isnull=False), name="line_link_one_owner"),
        ]

    def __str__(self):
        return f"{self.user or self.office} · LINE"


class LinkCode(models.Model):
    """A one-time code shown in ITA Desk that a user (or a LINE group of an office) sends to the bot."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=20, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    office = models.ForeignKey(SupervisingOffice, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("LINE link code")
        verbose_name_plural = _("LINE link codes")

    def __str__(self):
        return self.code
