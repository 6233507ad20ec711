"""Where the checker's results enter the database: ``record_check`` stores what fetching one evidence URL
gave (a ``Snapshot``, its body under its hash) and the checker's ``Finding``s; ``job_progress`` moves a
``CheckJob`` along. Called by the check jobs (``jobs``), the snapshots at submission and approval
(``snapshots``) and, through ``services`` which re-exports both, by whoever runs a check by hand."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from itadesk.core import versions
from itadesk.evidence.models import CheckJob, EvidenceItem, Finding, Snapshot

SNAPSHOT_DIR = "evidence/snapshots"
MAX_LOG_LINES = 500


@dataclass
class FetchedLike:
    """The fields :func:`record_check` reads from a fetch result (any object or dict with these names)."""

    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    body: bytes | None = None
    text: str = ""
    error: str = ""


def _get(obj: Any, name: str, default=None):
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


SEVERITIES = {"info": "info", "pass": "info", "ok": "info", "warning": "warning", "warn": "warning",
              "error": "error", "fail": "error", "critical": "error"}


def _normalise(result: Any, findings) -> tuple[dict, list]:
    """(fetch fields, findings) from what a caller hands :func:`record_check`: a plain result (object
    or dict), the checker's ``FetchResult`` (no text of its own), or the checker's ``CheckReport``
    (``.fetch``, ``.extracted``, ``.findings``)."""
    if not isinstance(result, Mapping) and hasattr(result, "fetch") and hasattr(result, "findings"):
        extracted = getattr(result, "extracted", None)
        findings = list(findings) or list(result.findings)
        text = getattr(extracted, "text", "") if extracted is not None else ""
        result = result.fetch
    else:
        text = _get(result, "text")
        findings = list(findings) or list(_get(result, "findings") or ())
    error = _get(result, "error") or ""
    detail = _get(result, "error_detail")
    if error and detail and detail not in str(error):
        error = f"{error}: {detail}"
    body = _get(result, "body")
    if body is not None and not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError("result.body must be bytes or None")
    body = bytes(body) if body is not None else None
    status = _get(result, "status", _get(result, "status_code"))
    if body == b"" and status is None:
        body = None  # nothing came back (unreachable, refused …): no content to hash
    return {
        "final_url": _get(result, "final_url") or _get(result, "url") or "", "status": status,
        "content_type": _get(result, "content_type") or "", "body": body, "text": text or "",
        "error": str(error), "size": _get(result, "size"), "sha256": _get(result, "sha256"),
    }, findings


@transaction.atomic
def record_check(item: EvidenceItem, url: str, result: Any, findings: Iterable[Any] = (), *,
                 reason: str = Snapshot.Reason.CHECK, job: CheckJob | None = None, taken_at=None) -> Snapshot:
    """Store what fetching one evidence URL gave (a :class:`Snapshot`) and the checker's findings for it.

    ``result``: an object or dict with ``final_url``, ``status``, ``content_type``, ``body`` (bytes or
    None), ``text`` (the extracted text) and ``error`` (empty when the fetch worked) — or the checker's
    ``FetchResult``, or its ``CheckReport`` (whose ``fetch``, ``extracted.text`` and ``findings`` are
    used). The body's SHA-256 and size are kept, and the body itself when it is at most
    ``ITADESK_SNAPSHOT_MAX_FILE_BYTES`` (stored once per distinct content).
    ``findings``: objects or dicts with ``code``, ``passed``, ``severity``, ``message_th``, ``message_en``,
    ``detail`` (a dict; ``element`` or ``element_code`` there, or as a field, ties the finding to a
    required element); when not given, those of the report (or a ``findings`` entry of a dict result).
    The reviewers' element decisions are never touched."""
    if reason not in Snapshot.Reason.values:
        raise ValueError(f"unknown snapshot reason {reason!r}")
    fetched, findings = _normalise(result, findings)
    body = fetched["body"]
    status = fetched["status"]
    snapshot = Snapshot(
        item=item, url=url, reason=reason, job=job, taken_at=taken_at or timezone.now(),
        status_code=int(status) if status is not None else None, final_url=fetched["final_url"][:2000],
        sha256=hashlib.sha256(body).hexdigest() if body is not None else (fetched["sha256"] or ""),
        size=len(body) if body is not None else fetched["size"], content_type=fetched["content_type"][:200],
        text=fetched["text"].replace("\x00", ""), error=fetched["error"],
    )
    if body and len(body) <= settings.ITADESK_SNAPSHOT_MAX_FILE_BYTES:
        snapshot.file.name = _store_body(body, snapshot.sha256, snapshot.content_type)
    snapshot.save()
    rows = []
    for f in findings:
        detail = _get(f, "detail") or {}
        if not isinstance(detail, Mapping):
            detail = {"value": detail}
        element = _get(f, "element_code") or _get(f, "element") or detail.get("element_code") or detail.get("element")
        severity = str(_get(f, "severity") or ("info" if _get(f, "passed") else "error")).lower()
        rows.append(Finding(
            item=item, url=url, snapshot=snapshot, code=str(_get(f, "code"))[:60], element_code=str(element or "")[:40],
            passed=bool(_get(f, "passed")), severity=SEVERITIES.get(severity, "warning"),
            message_th=_get(f, "message_th") or "", message_en=_get(f, "message_en") or "",
            detail=_plain(dict(detail)), created_at=snapshot.taken_at))
    with versions.attributed("evidence.Finding", [f"round:{item.round_id}", f"agency:{item.agency_id}"]):
        Finding.objects.bulk_create(rows)
    return snapshot


def _plain(value):
    """JSON-ready copy of a finding's detail (tuples and sets as lists, other objects as text)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _suffix(content_type: str) -> str:
    ct = content_type.split(";")[0].strip().lower()
    return {"text/html": ".html", "application/pdf": ".pdf", "text/plain": ".txt", "image/png": ".png",
            "image/jpeg": ".jpg"}.get(ct, ".bin")


def _store_body(body: bytes, sha256: str, content_type: str) -> str:
    """Store a fetched body under its hash (``evidence/snapshots/ab/abcd….html``) and return its name.
    Identical content is stored once, however many snapshots share it; a file left by a rolled-back
    transaction is only an unreferenced copy that a later identical snapshot reuses."""
    from django.core.files.storage import default_storage

    name = f"{SNAPSHOT_DIR}/{sha256[:2]}/{sha256}{_suffix(content_type)}"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(body))
    return name


# ------------------------------------------------------------------------------------------ check jobs


def job_progress(job: CheckJob, *, done: int | None = None, total: int | None = None, line: str = "",
                 status: str | None = None, error: str = "") -> CheckJob:
    """Move a job along (its own short transaction, so that a page polling it sees the progress)."""
    with transaction.atomic():
        job = CheckJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
        now = timezone.now()
        if status == CheckJob.Status.RUNNING and job.started_at is None:
            job.started_at = now
        if status in (CheckJob.Status.DONE, CheckJob.Status.FAILED):
            job.finished_at = now
        if status:
            job.status = status
        if done is not None:
            job.done = done
        if total is not None:
            job.total = total
        if line:
            job.log = [*job.log, f"{timezone.localtime(now):%H:%M:%S} {line}"][-MAX_LOG_LINES:]
        if error:
            job.error = error
        job.save()
    return job
