"""Background jobs of the OIT evidence app (found by ``run_huey``'s autodiscovery of ``tasks`` modules)."""

from __future__ import annotations

import logging

from django.conf import settings
from huey.contrib.djhuey import db_periodic_task, db_task

from itadesk.core.schedule import bangkok_crontab
from itadesk.cycles.models import Round
from itadesk.evidence import services, snapshots
from itadesk.evidence.jobs import run_check_job
from itadesk.evidence.models import CheckJob

logger = logging.getLogger(__name__)

CHECK_HOUR = settings.ITADESK_EVIDENCE_CHECK_HOUR


@db_task(retries=2, retry_delay=300, name="evidence.take_snapshots")
def take_snapshots(item_ids: list[int], reason: str) -> int:
    """Snapshot every URL of these items (at submission or at approval). Returns how many were kept."""
    taken = snapshots.take_many(item_ids, reason)
    logger.info("OIT snapshots (%s) of items %s: %d", reason, item_ids, len(taken))
    return len(taken)


@db_task(name="evidence.run_check")
def run_check(job_id: int) -> str:
    """Run one check job (its progress and log are on the job row)."""
    job = CheckJob.objects.filter(pk=job_id).first()
    if job is None:
        return "gone"
    return run_check_job(job).status


@db_periodic_task(bangkok_crontab(minute="0", hour=str(CHECK_HOUR)), name="evidence.nightly_check")
def nightly_check() -> list[int]:
    """Every night (ITADESK_EVIDENCE_CHECK_HOUR, Bangkok time): check every evidence URL of the current
    rounds, so "broken since approved" and "changed since approved" show up the next morning."""
    jobs = [services.request_check(actor=None, round=round_, scope=CheckJob.Scope.PROVINCE)[0]
            for round_ in Round.objects.filter(is_current=True)]
    return [job.pk for job in jobs]
