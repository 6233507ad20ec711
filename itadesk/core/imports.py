"""Large imports run as background jobs: the file is checked (and, once confirmed, applied) by a Huey worker,
while the page shows a progress bar and then the same preview as for a small file.

An import view names its importer with a module-level *factory* marked ``@importer``: ``factory(user, **params)``
returns ``(plan, apply)`` — ``plan(data, filename)`` checks the file and writes nothing, ``apply(plan)`` writes
it in one transaction and returns the success message. The view runs the two itself for a small file; for a
file above ``ITADESK_IMPORT_BACKGROUND_BYTES`` (an XLSX counts what it unpacks to) or
``ITADESK_IMPORT_BACKGROUND_ROWS`` lines, it creates an :class:`ImportJob` that names the factory and its
(JSON) params, and a worker calls the same factory. The checked plan is kept beside the upload, signed, for the
preview; applying checks the file again in the worker, as the request does for a small file, so data changed
meanwhile is caught the same way.

A running job beats a heartbeat from a thread of its own (its own database connection, so the beats are seen
while the import's transaction is open). ``sweep`` — every minute and whenever a worker starts — takes a job
whose heartbeat is older than ``ITADESK_JOB_LEASE_SECONDS`` as dead (its worker was killed; its transaction, if
any, was rolled back by the database): it is queued again, or marked failed with its progress once it was tried
``ITADESK_JOB_MAX_ATTEMPTS`` times. A job is never left "running" for ever."""

from __future__ import annotations

import hmac
import logging
import pickle
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from itadesk.core import jobs, tabular, uploads
from itadesk.core.models import ImportJob
from itadesk.core.tabular import ImportRefused

logger = logging.getLogger(__name__)

Factory = Callable[..., tuple[Callable[[bytes, str], object], Callable[[object], str]]]
_PLAN_SALT = "itadesk.core.imports.plan"
_ZIP_MAGIC = b"PK\x03\x04"


def importer(factory: Factory) -> Factory:
    """Mark a module-level function as an importer factory a worker may call (only those are called)."""
    factory.itadesk_importer = True
    return factory


def path_of(factory: Factory) -> str:
    path = f"{factory.__module__}.{factory.__qualname__}"
    if not getattr(factory, "itadesk_importer", False) or "<" in path:
        raise ImproperlyConfigured(f"{path} is not a module-level function marked @importer")
    return path


def factory_of(path: str) -> Factory:
    factory = import_string(path)
    if not getattr(factory, "itadesk_importer", False):
        raise ImproperlyConfigured(f"{path} is not marked @importer")
    return factory


def is_large(data: bytes, filename: str = "") -> bool:
    """Whether a file is checked in the background: its size, what an XLSX unpacks to (read from the zip's
    directory, nothing is unpacked), or the lines of a text file."""
    limit = settings.ITADESK_IMPORT_BACKGROUND_BYTES
    if len(data) > limit:
        return True
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                return sum(info.file_size for info in archive.infolist()) > limit
        except (zipfile.BadZipFile, OSError, ValueError):
            return False  # the check says the file is damaged, quickly
    return data.count(b"\n") > settings.ITADESK_IMPORT_BACKGROUND_ROWS


# ------------------------------------------------------------------------------------------- the kept plan


def _plan_path(job: ImportJob) -> Path:
    return uploads.folder(job.user) / f"{job.token}{uploads.PLAN_SUFFIX}"


def save_plan(job: ImportJob, plan) -> None:
    """Keep the checked plan for the preview, signed with the secret key: only what a worker wrote is read."""
    body = pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL)
    mac = salted_hmac(_PLAN_SALT, body, algorithm="sha256").digest()
    path = _plan_path(job)
    part = path.with_name(path.name + ".part")
    part.write_bytes(mac + body)
    part.replace(path)


def load_plan(job: ImportJob):
    """The plan a worker kept for this job, or None (expired, removed, or not written by us)."""
    try:
        raw = _plan_path(job).read_bytes()
    except FileNotFoundError:
        return None
    mac, body = raw[:32], raw[32:]
    if not hmac.compare_digest(mac, salted_hmac(_PLAN_SALT, body, algorithm="sha256").digest()):
        logger.warning("import job %s: kept plan has a bad signature; ignored", job.pk)
        return None
    return pickle.loads(body)  # noqa: S301 - signed above with the secret key; written by our own worker


# ------------------------------------------------------------------------------------------- starting


def start(*, user, factory: Factory, params: dict, token: str, filename: str, apply: bool) -> ImportJob:
    """Create the job and queue it once the request's transaction commits."""
    job = ImportJob.objects.create(
        user=user, token=token, filename=filename[:255], importer=path_of(factory), params=params,
        language=translation.get_language() or "", apply=apply, heartbeat_at=timezone.now())
    transaction.on_commit(lambda: run_import(job.pk))
    return job


def status(job: ImportJob) -> dict:
    """What the progress bar shows (the JSON of the status URL)."""
    percent = None
    if job.status == ImportJob.Status.DONE:
        percent = 100
    elif job.total and job.phase in ("read", "check"):
        # reading is the first half of the bar, checking the rows the second
        share = min(job.done / job.total, 1)
        percent = int(share * 50) + (50 if job.phase == "check" else 0)
    labels = {"read": _("Reading the file"), "check": _("Checking the rows"), "apply": _("Saving")}
    return {"status": job.status, "finished": job.is_finished, "phase": job.phase,
            "label": labels.get(job.phase, job.get_status_display()), "done": job.done, "total": job.total,
            "percent": percent, "attempts": job.attempts}


# ------------------------------------------------------------------------------------------- running


class _Progress(jobs.Heartbeat):
    """The heartbeat of an import job, carrying how far it got (``report`` is what ``tabular.progress`` calls).
    Without a thread (Huey's immediate mode) the caller writes it, at most every interval, outside a transaction."""

    def __init__(self, job: ImportJob, *, threaded: bool):
        self.phase, self.done, self.total = "read", 0, 0
        self._last = 0.0
        super().__init__(ImportJob, job.pk, job.attempts, threaded=threaded,
                         fields=lambda: {"phase": self.phase, "done": self.done, "total": self.total})

    def report(self, phase: str, done: int, total: int) -> None:
        self.phase, self.done, self.total = phase, done, total
        if not self.threaded and not connection.in_atomic_block:
            now = timezone.now().timestamp()
            if now - self._last >= self.interval:
                self._last = now
                self.beat()


def _finish(job: ImportJob, **fields) -> bool:
    fields.setdefault("finished_at", timezone.now())
    return bool(ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, attempts=job.attempts)
                .update(heartbeat_at=timezone.now(), **fields))


def run(job_id: int) -> str:
    """Run a queued job to its end (the worker's side). A job already taken by another run is left alone."""
    if not jobs.claim(ImportJob, job_id, phase="read", done=0, total=0):
        return "taken"
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    language = job.language or settings.LANGUAGE_CODE
    with _Progress(job, threaded=not HUEY.immediate) as beat, translation.override(language):
        listening = tabular.progress.set(beat.report)
        try:
            return _run(job, beat)
        except Exception as exc:
            logger.exception("import job %s failed", job.pk)
            _finish(job, status=ImportJob.Status.FAILED, phase=beat.phase, done=beat.done, total=beat.total,
                    message=_("The check stopped with an error (%(error)s). Nothing was imported; please try "
                              "again, or ask the administrator.") % {"error": type(exc).__name__})
            return ImportJob.Status.FAILED
        finally:
            tabular.progress.reset(listening)


def _run(job: ImportJob, beat: _Progress) -> str:
    loaded = uploads.load(job.user, job.token)
    if loaded is None:
        _finish(job, status=ImportJob.Status.FAILED,
                message=_("The uploaded file has expired; please upload it again."))
        return ImportJob.Status.FAILED
    data, name = loaded
    plan_fn, apply_fn = factory_of(job.importer)(job.user, **job.params)
    plan = plan_fn(data, name)
    del data
    message, applied = "", False
    if job.apply and not plan.errors:
        beat.report("apply", 0, 0)
        try:
            message = apply_fn(plan)
            applied = True
        except ImportRefused as refused:  # the data changed since the check: nothing was written
            message = str(refused)
            again = uploads.load(job.user, job.token)
            if again is not None:  # show the file checked again, as the page does for a small file
                plan = plan_fn(*again)
    if applied:
        uploads.discard(job.user, job.token)
    else:
        save_plan(job, plan)
    _finish(job, status=ImportJob.Status.DONE, applied=applied, message=message, phase=beat.phase,
            done=beat.done, total=beat.total)
    return ImportJob.Status.DONE


@db_task(name="core.run_import")
def run_import(job_id: int) -> str:
    """Check (and apply, when confirmed) one import file; progress on the job row."""
    return run(job_id)


# ------------------------------------------------------------------------------------------- the sweeper


def sweep(now=None) -> dict:
    """Import jobs whose worker died: queued again, or failed with their progress (``core.jobs.sweep``)."""
    return jobs.sweep(ImportJob, requeue=run_import, now=now, failed=lambda job: {
        "status": ImportJob.Status.FAILED, "finished_at": timezone.now(), "message": _stopped_message(job.attempts)})


def remove_old_jobs(now=None) -> int:
    """Finished jobs older than the uploads they were about (``uploads.MAX_AGE``) are deleted."""
    cutoff = (now or timezone.now()) - uploads.MAX_AGE
    deleted, _kinds = ImportJob.objects.filter(
        status__in=(ImportJob.Status.DONE, ImportJob.Status.FAILED), created_at__lt=cutoff).delete()
    return deleted


def _stopped_message(attempts: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # stored: in the site's language (Thai)
        return _("The background worker stopped during the check %(n)d times (it was restarted or killed). "
                 "Nothing was imported; please try again.") % {"n": attempts}


@db_periodic_task(crontab(), name="core.sweep_jobs")
def sweep_jobs() -> dict:
    """Every minute: jobs whose worker died are queued again or marked failed."""
    return sweep()


@HUEY.on_startup(name="core.sweep_jobs_at_startup")
def sweep_at_startup() -> None:
    """A worker that starts (after a crash, a reboot) looks for jobs its predecessor left running."""
    try:
        sweep()
    except DatabaseError:
        logger.exception("job sweep at startup failed")
    finally:
        connection.close()
