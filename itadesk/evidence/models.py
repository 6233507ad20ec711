"""OIT evidence (หลักฐานการเปิดเผยข้อมูลสาธารณะ): one row per (round, agency, OIT item), its append-only
event log, the reviewers' element decisions, the offices' examples, dated snapshots of the evidence
URLs, the automatic checker's findings and the check jobs.

Every write goes through ``services.py`` (and the state machine in ``workflow.py``); the Django admin
only reads these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itadesk.core.models import AppendOnlyLog
from itadesk.cycles.models import APPROVED_ITEMS, REVIEWED_ITEMS, Round, round_scope
from itadesk.registry.models import Agency, SupervisingOffice


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED_BY_EXECUTIVE = "approved_by_executive", _("Approved by the executive")
    SUBMITTED = "submitted", _("Submitted for pre-review")
    APPROVED = "approved", _("Passed pre-review")
    RETURNED = "returned", _("Returned for correction")


class Answer(models.TextChoices):
    NOT_ANSWERED = "", _("Not answered")
    HAS = "has", _("Has")
    HAS_NOT = "has_not", _("Has not")


class EvidenceItem(models.Model):
    """What one agency answers for one OIT item in one round (ข้อมูลหลักฐาน OIT รายข้อ): has / has not,
    the URLs on its website, where on the page the data sits, and where the item stands in the
    approval and pre-review workflow. A missing row means "not answered, draft"."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="evidence_items",
                              verbose_name=_("round"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="evidence_items",
                               verbose_name=_("agency"))
    item_code = models.CharField(_("item code"), max_length=40)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, default=Answer.NOT_ANSWERED,
                              blank=True)
    urls = models.JSONField(_("URLs"), default=list, blank=True)
    explanation = models.TextField(_("where the data is on the page"), blank=True)
    state = models.CharField(_("state"), max_length=30, choices=State.choices, default=State.DRAFT, db_index=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("updated by"))
    submitted_at = models.DateTimeField(_("submitted for pre-review at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("OIT evidence item")
        verbose_name_plural = _("OIT evidence items")
        ordering = ["round", "agency", "item_code"]
        constraints = [models.UniqueConstraint(fields=["round", "agency", "item_code"], name="evidence_item_unique")]
        indexes = [models.Index(fields=["round", "state"])]

    def __str__(self):
        return f"{self.agency} · {self.item_code} ({self.round.fiscal_year})"

    # The state the row had when this object was read (or last saved), so that a write can tell whether
    # anyone past the agency sees it: a draft saved as a draft changes no reviewer's queue and no dashboard
    # (evidence.apps ``_item_scopes``, core.versions).
    @classmethod
    def from_db(cls, db, field_names, values):
        item = super().from_db(db, field_names, values)
        if "state" in item.__dict__:
            item._loaded_state = item.state
        return item

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        if "state" in self.__dict__:
            self._loaded_state = self.state

    @property
    def is_ready(self) -> bool:
        """Complete enough for the executive to approve: answered, and with a URL when it says "has"."""
        return self.answer == Answer.HAS_NOT or (self.answer == Answer.HAS and bool(self.urls))


_UNKNOWN = "?"  # a state no row has: the object was not read from the database, or read without its state
# The states of the reviewers' queues (evidence.views.queue): submitted, returned, passed.
QUEUE_STATES = frozenset({State.SUBMITTED, State.RETURNED, State.APPROVED})


def review_scope(round_id) -> str:
    """The data version (core.versions) of a round's items in the reviewers' hands — what the review queues
    read of them: bumped by a write to an item that is or was submitted, returned or passed."""
    return round_scope(round_id, REVIEWED_ITEMS)


def approved_scope(round_id) -> str:
    """The data version of which items of a round are past their agency's draft (approved by the executive or
    later) — what the dashboards read of them: bumped by a write that takes an item into or out of its draft."""
    return round_scope(round_id, APPROVED_ITEMS)


def state_before_save(sender, instance, **kwargs):
    """pre_save: the state the row has before this save. A new row (no primary key yet) was a draft (a missing
    row means "not answered, draft"); an object not read from the database (built with the primary key of a
    row, which the save updates) or read without its state has an unknown one."""
    instance._state_before_save = (State.DRAFT if instance._state.adding and instance.pk is None
                                   else instance.__dict__.get("_loaded_state", _UNKNOWN))


def item_scopes(item) -> list[str]:
    """The data versions a save or delete of ``item`` bumps: its round and agency; the round's review scope
    when the row is or was in a reviewer's queue; the round's approved scope when the row goes into or out of
    its draft (a deleted row becomes what a missing row means: a draft). An unknown state before bumps both."""
    if "_state_before_save" in item.__dict__:  # a save (state_before_save ran)
        before, after = item.__dict__.pop("_state_before_save"), item.state
    else:  # a delete
        before, after = item.__dict__.get("_loaded_state", _UNKNOWN), State.DRAFT
    scopes = [f"round:{item.round_id}", f"agency:{item.agency_id}"]
    if before == _UNKNOWN or before in QUEUE_STATES or after in QUEUE_STATES:
        scopes.append(review_scope(item.round_id))
    if before == _UNKNOWN or (before == State.DRAFT) != (after == State.DRAFT):
        scopes.append(approved_scope(item.round_id))
    item._loaded_state = item.state  # what a later save of the same object starts from
    return scopes


class EvidenceEvent(AppendOnlyLog):
    """One step of an item through the workflow (append-only: never updated or deleted)."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="events", verbose_name=_("item"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("who"))
    actor_label = models.CharField(_("who (as recorded)"), max_length=200, blank=True)
    role = models.CharField(_("acting as"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from state"), max_length=30, choices=State.choices)
    to_state = models.CharField(_("to state"), max_length=30, choices=State.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    append_only_message = _("The evidence event log is append-only.")

    class Meta:
        verbose_name = _("evidence event")
        verbose_name_plural = _("evidence events")
        ordering = ["item", "at", "id"]

    def __str__(self):
        return f"{self.item_id} {self.action}: {self.from_state} → {self.to_state}"



class Decision(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    CANNOT_TELL = "cannot_tell", _("Cannot tell")


class ElementDecision(models.Model):
    """A reviewer's judgement of one required element of an item (a human decision: the automatic
    checker's findings are stored apart and never change it)."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="decisions",
                             verbose_name=_("item"))
    element_code = models.CharField(_("element code"), max_length=40)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("reviewer"))
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("element decision")
        verbose_name_plural = _("element decisions")
        ordering = ["item", "element_code"]
        constraints = [models.UniqueConstraint(fields=["item", "element_code"], name="element_decision_unique")]

    def __str__(self):
        return f"{self.item_id} {self.element_code}: {self.decision}"


class ItemExample(models.Model):
    """An office's example for an OIT item in a round (a model page, or advice in words)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="evidence_examples",
                              verbose_name=_("round"))
    office = models.ForeignKey(SupervisingOffice, on_delete=models.CASCADE, related_name="evidence_examples",
                               verbose_name=_("supervising office"))
    item_code = models.CharField(_("item code"), max_length=40)
    text = models.TextField(_("example or advice"), blank=True)
    url = models.URLField(_("example URL"), max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("added by"))
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("OIT item example")
        verbose_name_plural = _("OIT item examples")
        ordering = ["round", "item_code", "office", "id"]
        indexes = [models.Index(fields=["round", "item_code"])]

    def __str__(self):
        return f"{self.office} · {self.item_code}"


class CheckJob(models.Model):
    """A run of the automatic checker that people can watch: what it covers, how far it got, its log."""

    class Scope(models.TextChoices):
        ITEM = "item", _("One item")
        AGENCY = "agency", _("One agency")
        OFFICE = "office", _("An office's queue")
        PROVINCE = "province", _("The whole province")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="check_jobs", verbose_name=_("round"))
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("agency"))
    office = models.ForeignKey(SupervisingOffice, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("supervising office"))
    item = models.ForeignKey(EvidenceItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("item"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("requested by"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    log = models.JSONField(_("log"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # a worker's claim and liveness (core.jobs): a job whose worker died is queued again or failed by the sweeper
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # part ``part`` (0-based) of ``parts``: the URLs whose host falls in that group (``jobs.part_of``), so that a
    # province's nightly check is shared among the workers; 0 of 1 = every URL of the scope
    part = models.PositiveSmallIntegerField(default=0)
    parts = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("evidence check job")
        verbose_name_plural = _("evidence check jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.scope_text} · {self.get_status_display()} {self.done}/{self.total}"

    @property
    def scope_text(self) -> str:
        """What the job checks, naming its part when a nightly check was split among the workers."""
        if self.parts > 1:
            return _("%(scope)s, part %(part)s of %(parts)s") % {
                "scope": self.get_scope_display(), "part": self.part + 1, "parts": self.parts}
        return self.get_scope_display()

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Snapshot(models.Model):
    """What an evidence URL returned at one moment: at submission, at the reviewer's approval, or at a
    check. Kept so that the agency can show what was published when (and "changed since approved")."""

    class Reason(models.TextChoices):
        SUBMISSION = "submission", _("At submission")
        APPROVAL = "approval", _("At approval")
        CHECK = "check", _("At a check")

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="snapshots",
                             verbose_name=_("item"))
    url = models.URLField(_("URL"), max_length=2000)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    job = models.ForeignKey(CheckJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="snapshots",
                            verbose_name=_("check job"))
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now, db_index=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.URLField(_("final URL"), max_length=2000, blank=True)
    sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    text = models.TextField(_("extracted text"), blank=True)
    file = models.FileField(_("stored file"), upload_to="evidence/snapshots/", max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("evidence snapshot")
        verbose_name_plural = _("evidence snapshots")
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["item", "url", "-taken_at"])]

    def __str__(self):
        return f"{self.url} @ {self.taken_at:%Y-%m-%d %H:%M} ({self.reason})"

    @property
    def ok(self) -> bool:
        return not self.error and self.status_code is not None and self.status_code < 400


class Finding(models.Model):
    """One result of the automatic checker for one URL of an item, explained in Thai and English."""

    class Severity(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")
        ERROR = "error", _("Problem")

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="findings", verbose_name=_("item"))
    url = models.URLField(_("URL"), max_length=2000)
    snapshot = models.ForeignKey(Snapshot, null=True, blank=True, on_delete=models.CASCADE, related_name="findings",
                                 verbose_name=_("snapshot"))
    code = models.CharField(_("finding code"), max_length=60)
    element_code = models.CharField(_("element code"), max_length=40, blank=True)
    passed = models.BooleanField(_("passed"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.ERROR)
    message_th = models.TextField(_("message (Thai)"))
    message_en = models.TextField(_("message (English)"), blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("checker finding")
        verbose_name_plural = _("checker findings")
        ordering = ["item", "url", "id"]

    def __str__(self):
        return f"{self.code} {'✓' if self.passed else '✗'} {self.url}"
