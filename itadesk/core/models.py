from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One append-only history row per write: who did what to which object, with before/after."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("who (as recorded)"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("history event")
        verbose_name_plural = _("history")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def changes(self):
        """[(field, before, after)] for the fields that differ."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class ThrottleEvent(models.Model):
    """One counted attempt (a failed login, a password-reset request) under a hashed key, so that repeated
    attempts can be slowed down across every app process. Old rows are removed as new ones come."""

    scope = models.CharField(max_length=20)
    key = models.CharField(max_length=64)  # SHA-256 of what is counted (user name + address, e-mail …)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self):
        return f"{self.scope} {self.key[:8]} {self.at:%Y-%m-%d %H:%M}"


class FormSubmission(models.Model):
    """A one-time token of a "new …" form, stored when the form first creates something: the same form sent
    again (a double click, a resent request) goes to what was created then instead of creating another
    (``itadesk/core/once.py``). The unique token decides between concurrent copies."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.token[:8]} → {self.url}"


class AppendOnly(ValidationError, ValueError):  # noqa: N818 — named for what it says, as Django's own errors are
    """Raised on an attempt to change or delete a row of an append-only log. A ``ValidationError`` (so a view shows
    it as a refusal) and a ``ValueError`` (a programming mistake, for code that is not a view)."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly(self.model.append_only_message)

    def delete(self):
        raise AppendOnly(self.model.append_only_message)


class AppendOnlyLog(models.Model):
    """A log whose rows are only ever added: saving a stored row or deleting one, alone or in bulk, fails with
    :class:`AppendOnly` carrying ``append_only_message``."""

    append_only_message = "log rows are append-only"
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(self.append_only_message)


class ImportJob(models.Model):
    """A large import file checked (and, when confirmed, applied) by a background worker instead of in the
    request (``itadesk/core/imports.py``): the page shows its progress and then the same preview.

    A worker that dies mid-job (killed, machine restarted) stops its heartbeat; the sweeper then queues the job
    again, or marks it failed with its progress once it has been tried ``ITADESK_JOB_MAX_ATTEMPTS`` times, so a
    job is never left "running" for ever."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("requested by"))
    token = models.CharField(max_length=64)  # the kept upload (``core.uploads``)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    importer = models.CharField(max_length=200)  # dotted path of the view's importer factory
    params = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10, blank=True)
    apply = models.BooleanField(default=False)  # check, then apply in one transaction if the file has no errors
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=20, blank=True)  # read, check, apply
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    applied = models.BooleanField(default=False)
    message = models.TextField(blank=True)  # the import's own success message, or why it failed
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self):
        return f"{self.filename} · {self.status} {self.done}/{self.total}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
