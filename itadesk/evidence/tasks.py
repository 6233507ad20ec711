"""Background jobs of the OIT evidence app (found by ``run_huey``'s autodiscovery of ``tasks`` modules)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from itadesk.core import jobs
from itadesk.core.schedule import bangkok_crontab
from itadesk.cycles.models import Round
from itadesk.evidence import jobs as check_jobs
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
    if not jobs.claim(CheckJob, job_id):  # gone, finished, or taken by another worker
        job = CheckJob.objects.filter(pk=job_id).first()
        return job.status if job is not None else "gone"
    job = CheckJob.objects.get(pk=job_id)
    with jobs.Heartbeat(CheckJob, job.pk, job.attempts, threaded=not HUEY.immediate):
        return run_check_job(job).status


def sweep_check_jobs() -> dict:
    """Check jobs whose worker died: queued again (the check starts over; what it stored stays), or failed with
    their progress after ITADESK_JOB_MAX_ATTEMPTS tries (``core.jobs.sweep``)."""
    return jobs.sweep(CheckJob, requeue=run_check, failed=lambda job: {
        "status": CheckJob.Status.FAILED, "finished_at": timezone.now(),
        "error": f"งานตรวจหยุดกลางคันเพราะระบบงานเบื้องหลังหยุดทำงาน {job.attempts} ครั้ง กรุณาสั่งตรวจใหม่ / "
                 f"the background worker stopped {job.attempts} times during this check; please run it again"})


@db_periodic_task(crontab(), name="evidence.sweep_check_jobs")
def sweep_check_jobs_task() -> dict:
    """Every minute: check jobs whose worker died are queued again or marked failed."""
    return sweep_check_jobs()


@HUEY.on_startup(name="evidence.sweep_check_jobs_at_startup")
def sweep_check_jobs_at_startup() -> None:
    try:
        sweep_check_jobs()
    except DatabaseError:
        logger.exception("check job sweep at startup failed")
    finally:
        connection.close()


MAX_PARTS = 500


def nightly_parts(urls: int) -> int:
    """Parts of a province's nightly check of ``urls`` URLs: about ITADESK_EVIDENCE_CHECK_PART_URLS each (each
    part is a job any worker can take, its URLs grouped by host: ``evidence.jobs.part_of``)."""
    per_part = max(1, settings.ITADESK_EVIDENCE_CHECK_PART_URLS)
    return max(1, min(MAX_PARTS, -(-urls // per_part)))


@db_periodic_task(bangkok_crontab(minute="0", hour=str(CHECK_HOUR)), name="evidence.nightly_check")
def nightly_check() -> list[int]:
    """Every night (ITADESK_EVIDENCE_CHECK_HOUR, Bangkok time): check every evidence URL of the current
    rounds, so "broken since approved" and "changed since approved" show up the next morning. Each round's
    URLs are split by host into parts of about ITADESK_EVIDENCE_CHECK_PART_URLS URLs, one job each, so that
    every worker on the queue takes a share of the night's work (a host is never in two parts)."""
    ids = []
    for round_ in Round.objects.filter(is_current=True):
        whole = CheckJob(round=round_, scope=CheckJob.Scope.PROVINCE)
        parts = nightly_parts(len(check_jobs.pairs_for(whole)))
        ids += [services.request_check(actor=None, round=round_, scope=CheckJob.Scope.PROVINCE, part=part,
                                       parts=parts)[0].pk for part in range(parts)]
    return ids
