"""Background jobs of the core app (found by ``run_huey``'s autodiscovery of ``tasks`` modules)."""

from __future__ import annotations

import logging
import os
import socket

from django.conf import settings
from huey.contrib.djhuey import db_periodic_task, task

from itadesk.core import (
    backup,
    imports,  # noqa: F401 - registers core.run_import, core.sweep_jobs and the startup sweep
    once,
    uploads,
)
from itadesk.core.schedule import bangkok_crontab

logger = logging.getLogger(__name__)


@task(name="core.ping")
def ping() -> dict:
    """Touches nothing; says which worker ran it. Shows that a worker takes jobs from the queue
    (docs/deploy.md, troubleshooting; the stack test in tests/deploy/)."""
    return {"host": socket.gethostname(), "pid": os.getpid()}


def nightly_backup() -> dict:
    """One archive into ITADESK_BACKUP_DIR, then keep only the newest ITADESK_BACKUP_KEEP."""
    from django.db import connection
    from django.utils import timezone

    folder = settings.ITADESK_BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    path = folder / backup.backup_name(now)
    manifest = backup.create_backup(connection=connection, out=path, media_root=settings.MEDIA_ROOT,
                                    var_dir=settings.VAR_DIR, now=now)
    removed = backup.prune_backups(folder, max(settings.ITADESK_BACKUP_KEEP, 1))
    summary = {"archive": str(path), "rows": sum(manifest.row_counts.values()), "removed": len(removed)}
    logger.info("Nightly backup: %s", summary)
    return summary


@db_periodic_task(bangkok_crontab(minute="15"), name="core.remove_expired_uploads")
def remove_expired_uploads() -> int:
    """Every hour: import uploads kept longer than ``uploads.MAX_AGE`` are deleted."""
    removed = uploads.remove_expired()
    if removed:
        logger.info("Removed %s expired import uploads", removed)
    return removed


@db_periodic_task(bangkok_crontab(minute="20"), name="core.remove_old_import_jobs")
def remove_old_import_jobs() -> int:
    """Every hour: finished import jobs older than the uploads they were about are deleted."""
    return imports.remove_old_jobs()


@db_periodic_task(bangkok_crontab(minute="25"), name="core.remove_old_form_tokens")
def remove_old_form_tokens() -> int:
    """Every hour: one-time tokens of "new …" forms older than ``once.KEEP`` are forgotten."""
    return once.remove_old()


if settings.ITADESK_BACKUP_HOUR:
    db_periodic_task(bangkok_crontab(minute="30", hour=settings.ITADESK_BACKUP_HOUR),
                     name="core.nightly_backup")(nightly_backup)
