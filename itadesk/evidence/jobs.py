"""Check jobs: the automatic checker run over one item, one agency, an office's queue or a whole
province, as a background job whose progress (done / total) and log people can watch.

``services.request_check`` creates the job and queues ``tasks.run_check``, which calls
:func:`run_check_job` here. Each URL's result is stored with ``services.record_check`` as it arrives
(a snapshot with reason "check" and the findings), so a job that stops half-way keeps what it did.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Q

from itadesk.evidence import checking
from itadesk.evidence.checker.run import host_part
from itadesk.evidence.models import CheckJob, EvidenceItem, State
from itadesk.evidence.recording import job_progress, record_check
from itadesk.registry.models import Agency

logger = logging.getLogger(__name__)

CheckFn = Callable[[list[tuple[EvidenceItem, str]]], Iterable[tuple[tuple[int, str], Any]]]


def items_for(job: CheckJob):
    """The items a job covers (only those with URLs are checked)."""
    qs = EvidenceItem.objects.filter(round=job.round, agency__participations__round=job.round)
    if job.scope == CheckJob.Scope.ITEM:
        qs = qs.filter(pk=job.item_id)
    elif job.scope == CheckJob.Scope.AGENCY:
        qs = qs.filter(agency=job.agency)
    elif job.scope == CheckJob.Scope.OFFICE:
        followed = Agency.objects.filter(job.office.agency_q()).values("pk")
        qs = qs.filter(agency__in=followed, state=State.SUBMITTED)  # the office's review queue
    else:
        qs = qs.filter(agency__province_id=job.round.province_id)
    return qs.exclude(Q(urls=[]) | Q(urls__isnull=True)).select_related("round", "agency").order_by(
        "agency__name_th", "item_code")


def pairs_for(job: CheckJob) -> list[tuple[EvidenceItem, str]]:
    pairs = [(item, url) for item in items_for(job) for url in item.urls]
    if job.parts > 1:
        pairs = [(item, url) for item, url in pairs if host_part(url, job.parts) == job.part]
    return pairs


def _failing_codes(outcome) -> list[str]:
    findings = getattr(outcome, "findings", None)
    if findings is None and isinstance(outcome, dict):
        findings = outcome.get("findings")
    return [(f.get("code") if isinstance(f, dict) else f.code) for f in findings or ()
            if not (f.get("passed") if isinstance(f, dict) else f.passed)]


def _problems(outcome) -> int:
    """Failing findings about the agency's link ("not_checked" is the checker's own failure)."""
    return sum(1 for code in _failing_codes(outcome) if code != "not_checked")


def run_check_job(job: CheckJob, *, check: CheckFn | None = None) -> CheckJob:
    """Run a queued job to its end. ``check(pairs)`` yields ((item id, URL), checker report) as the
    checker finishes each URL; by default the real checker (``checking.check_pairs``)."""
    if job.is_finished:
        return job
    check = check or checking.check_pairs
    pairs = pairs_for(job)
    items = {item.pk: item for item, _url in pairs}
    share = f" (ส่วนที่ {job.part + 1} จาก {job.parts} แบ่งตามเว็บไซต์)" if job.parts > 1 else ""
    job = job_progress(job, status=CheckJob.Status.RUNNING, done=0, total=len(pairs),
                       line=f"เริ่มตรวจ {len(pairs)} URL จาก {len(items)} ข้อ{share}")
    done = failing = unchecked = 0
    try:
        for (item_id, url), outcome in check(pairs):
            item = items[item_id]
            record_check(item, url, outcome, job=job)
            done += 1
            problems = _problems(outcome)
            failing += bool(problems)
            offline = "not_checked" in _failing_codes(outcome)
            unchecked += offline
            verdict = ("ระบบตรวจอัตโนมัติเชื่อมต่อไม่ได้ — ยังไม่ได้ตรวจ" if offline
                       else f"พบประเด็น {problems} รายการ" if problems else "ไม่พบประเด็น")
            job = job_progress(job, done=done, line=f"{item.agency.name_th} ข้อ {item.item_code}: {url} — {verdict}")
    except Exception as exc:
        logger.exception("check job %s failed", job.pk)
        return job_progress(job, status=CheckJob.Status.FAILED, error=str(exc)[:2000],
                            line=f"หยุดทำงานเพราะเกิดข้อผิดพลาด: {exc}")
    line = f"ตรวจเสร็จ {done} URL มีประเด็นที่ควรตรวจสอบ {failing} URL"
    if unchecked:
        line += f" ยังไม่ได้ตรวจ {unchecked} URL เพราะระบบตรวจอัตโนมัติเชื่อมต่อไม่ได้ (ไม่ใช่ปัญหาของหน่วยงาน)"
    return job_progress(job, status=CheckJob.Status.DONE, line=line)
