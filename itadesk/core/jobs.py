"""Background jobs that are never left "running" by a worker that died: a heartbeat while a job runs, and a sweeper
that queues a job again — or marks it failed, keeping its progress — once its heartbeat is older than the lease.

A job model that uses this has ``status`` (queued / running / done / failed), ``attempts`` and ``heartbeat_at``.
The worker claims a queued job by raising ``attempts`` (:func:`claim`), beats while it runs (:class:`Heartbeat`,
from a thread of its own with its own database connection, so the beats are seen while the job's own transaction
is open) and finishes it only if the claim is still its own. ``sweep`` runs every minute and when a worker starts
(``core.imports`` and ``evidence.tasks`` register theirs)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


def claim(model, pk: int, **fields) -> bool:
    """Take a queued job for this worker: running, one more attempt, a fresh heartbeat. False if it is not queued
    (another worker took it, or it is finished)."""
    return bool(model.objects.filter(pk=pk, status=QUEUED).update(
        status=RUNNING, attempts=F("attempts") + 1, heartbeat_at=timezone.now(), **fields))


class Heartbeat:
    """Beats ``heartbeat_at`` (and whatever ``fields()`` returns) on a running job every ``interval`` seconds from
    a thread of its own, while the claim (``attempts``) is still this worker's. With ``threaded=False`` (Huey's
    immediate mode, tests) nothing runs in the background; ``beat()`` may be called by the caller."""

    def __init__(self, model, pk: int, attempt: int, *, fields: Callable[[], dict] = dict, threaded: bool = True):
        self.model, self.pk, self.attempt, self.fields = model, pk, attempt, fields
        self.interval = max(0.2, min(5.0, settings.ITADESK_JOB_LEASE_SECONDS / 4))
        self.threaded = threaded
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{model.__name__}-{pk}", daemon=True)

    def beat(self) -> None:
        self.model.objects.filter(pk=self.pk, status=RUNNING, attempts=self.attempt).update(
            heartbeat_at=timezone.now(), **self.fields())

    def _run(self):
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except DatabaseError:  # SQLite busy while the job writes: the next beat will do
                    logger.info("%s %s: heartbeat skipped", self.model.__name__, self.pk)
        finally:
            connection.close()

    def __enter__(self):
        if self.threaded:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self.threaded:
            self._thread.join(timeout=30)


def sweep(model, *, requeue: Callable[[int], None], failed: Callable[[object], dict], now=None) -> dict:
    """Jobs of ``model`` whose worker is gone. A running job without a heartbeat for ``ITADESK_JOB_LEASE_SECONDS``
    is queued again (``requeue(pk)`` after commit), or, once it was tried ``ITADESK_JOB_MAX_ATTEMPTS`` times,
    updated with ``failed(job)`` (status failed, a message; its progress stays). A queued job nobody took for the
    lease is queued again (its queue message was lost, e.g. Redis restarted without saving; a copy of a message
    finds the job taken and does nothing). Returns the counts."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.ITADESK_JOB_LEASE_SECONDS)
    counts = {"requeued": 0, "failed": 0}
    # a running job without any heartbeat was started before heartbeats existed: its worker is long gone
    gone = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, status=RUNNING)
    stale = model.objects.filter(gone, status__in=(RUNNING, QUEUED))
    for job in stale.only("pk", "status", "attempts"):
        same = model.objects.filter(gone, pk=job.pk, status=job.status, attempts=job.attempts)
        if job.status == RUNNING and job.attempts >= settings.ITADESK_JOB_MAX_ATTEMPTS:
            if same.update(heartbeat_at=now, **failed(job)):
                counts["failed"] += 1
                logger.warning("%s %s: worker gone after %s attempts; marked failed", model.__name__, job.pk,
                               job.attempts)
            continue
        if same.update(status=QUEUED, heartbeat_at=now):
            counts["requeued"] += 1
            logger.warning("%s %s: worker gone (or queue message lost); queued again", model.__name__, job.pk)
            transaction.on_commit(lambda pk=job.pk: requeue(pk))
    return counts
