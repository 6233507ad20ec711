"""Hosted IIT/EIT questionnaires for mock rounds (แบบวัดจำลอง).

Anonymity by construction: a ``Response`` row holds a random id, its questionnaire, the day and the
answers, and nothing else. Tokens (``Token``) and abuse marks (``AbuseMark``) live in their own tables
with no reference to a response; see docs/questionnaires.md for the whole design."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itadesk.cycles.models import Round
from itadesk.registry.models import Agency


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Questionnaire(models.Model):
    """One agency's IIT or EIT questionnaire in a round. ``questions`` is frozen at publication:
    the list of answer columns (item or sub-question) with their wording and options, in order."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questionnaires")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="questionnaires")
    instrument = models.CharField(_("instrument"), max_length=20)
    respondents = models.CharField(_("respondents"), max_length=20, default="internal")  # internal | external
    public_id = models.CharField(_("public id"), max_length=32, unique=True, default=new_public_id)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    uses_tokens = models.BooleanField(_("one-time tokens"), default=False)
    custom_texts = models.JSONField(_("wording supplied by the organiser"), default=dict, blank=True)
    questions = models.JSONField(_("questions (frozen at publication)"), default=list, blank=True)
    framework_label = models.CharField(_("framework"), max_length=200, blank=True)
    salt = models.CharField(max_length=64, blank=True, default="")
    tokens_issued = models.PositiveIntegerField(default=0)
    tokens_used_at_close = models.PositiveIntegerField(default=0)
    #: The last release of an open questionnaire (see ``services.release_if_due``): the answers of the
    #: first ``released_count`` responses, sorted by their answers, shown by the results page and the
    #: export until at least k more have come in. A closed questionnaire shows all its responses.
    released_answers = models.JSONField(default=list, blank=True)
    released_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("hosted questionnaire")
        verbose_name_plural = _("hosted questionnaires")
        ordering = ["round", "agency", "instrument"]
        constraints = [models.UniqueConstraint(fields=["round", "agency", "instrument"],
                                               name="questionnaire_unique")]

    def __str__(self):
        return f"{self.instrument} · {self.agency}"

    def effective_state(self, now=None) -> str:
        """``published`` turns into ``closed`` at ``closes_at`` (the row follows on the next visit)."""
        now = now or timezone.now()
        if self.state == State.PUBLISHED and self.closes_at is not None and now >= self.closes_at:
            return State.CLOSED
        return self.state

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.effective_state(now) == State.PUBLISHED
                and (self.opens_at is None or now >= self.opens_at))


class Response(models.Model):
    """One anonymous response: a random id, the questionnaire, the day (no time), the answers
    (``{column code: scale value}``). Nothing else, on purpose: no user, token, address or time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="responses")
    day = models.DateField(_("day"))
    answers = models.JSONField(_("answers"))

    class Meta:
        verbose_name = _("anonymous response")
        verbose_name_plural = _("anonymous responses")

    def __str__(self):
        return str(self.pk)


class Token(models.Model):
    """A one-time IIT token, stored only as its hash, with a used flag. No time, no response."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("one-time token")
        verbose_name_plural = _("one-time tokens")

    def __str__(self):
        return self.token_hash[:8]


class AbuseMark(models.Model):
    """Abuse control, kept apart from responses: a counter of the responses sent from one network
    (salted hash) in one 10-minute bucket, updated in place, so no row is written per response.
    Deleted, with the questionnaire's salt, when the questionnaire closes."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    network_hash = models.CharField(max_length=64)
    bucket = models.PositiveIntegerField()  # minutes since the epoch // 10
    count = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["questionnaire", "bucket"], name="abusemark_bucket")]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "network_hash", "bucket"],
                                               name="abusemark_counter")]

    def __str__(self):
        return f"{self.network_hash[:8]} @ {self.bucket}"


class Flag(models.Model):
    """A signal for the organiser and reviewer that survives the close (no hashes, no response)."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("Many responses from one network within minutes")
        PATTERN = "pattern", _("Burst of identical answer patterns")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField()
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["starts_at"]

    def __str__(self):
        return f"{self.kind} {self.count}"
