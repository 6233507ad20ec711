"""Fetch, extract and check in one go: one URL (:func:`check_url`) or a stream of many
(:func:`iter_check`), as a background job or the ``itadesk oit check`` command runs them. No Django.

:func:`iter_check` fetches in the event loop and hands each fetched document to a pool of
``config.workers`` processes (default: one per CPU) for text extraction (HTML parsing, pdftotext) and
the rules: that work is CPU-bound and would otherwise stall the event loop and use one core only.
The pool is started with the **"spawn"** method, never "fork": callers run us from a thread of a
multi-threaded process (Django's ``checking.iter_reports`` runs its own event loop in a thread inside
a Huey worker), and a forked child of such a process inherits locks held by other threads, open
database connections and Huey's state. A spawned worker is a fresh interpreter that imports only the
checker (no Django); its start-up (a fraction of a second) is paid once per :func:`iter_check` call.
"forkserver" would be as safe but leaves a server process behind for the caller's lifetime. The event loop
feeds the processes itself (:class:`~.pool.LoopPool`: one socket pair each, no threads in between), and a
page comes back with its links packed (:class:`~.text.Extracted` unpickles them only when read).
"""

from __future__ import annotations

import asyncio
import zlib
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .config import CheckerConfig
from .extract import Extracted, extract, extract_async
from .fetch import Fetcher, FetchResult, ProgressCallback, map_by_host, url_host_key
from .pool import LoopPool
from .rules import Finding, check, document_findings, linked_documents, merge_linked, needs_linked

__all__ = ["CheckReport", "CheckRequest", "by_host_turns", "check_url", "check_url_sync", "host_part",
           "iter_check"]


@dataclass(frozen=True)
class CheckRequest:
    """One URL to check, with what the rules need; ``key`` is the caller's (e.g. an evidence id)."""

    url: str
    item: dict | None = None
    main_domain: str | None = None
    fiscal_year: int | None = None
    key: Any = None


@dataclass
class CheckReport:
    """Everything one check produced. ``fetch.body`` and ``extracted.text`` are what a snapshot keeps."""

    request: CheckRequest
    fetch: FetchResult
    extracted: Extracted | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def key(self) -> Any:
        return self.request.key

    @property
    def passed(self) -> bool:
        return all(f.passed for f in self.findings)

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if not f.passed]

    def to_dict(self, *, text_chars: int | None = 2000) -> dict:
        item = self.request.item or {}
        return {
            "url": self.request.url, "item": item.get("code"), "main_domain": self.request.main_domain,
            "fiscal_year": self.request.fiscal_year, "passed": self.passed,
            "fetch": self.fetch.to_dict(),
            "document": self.extracted.to_dict(text_chars=text_chars) if self.extracted else None,
            "findings": [f.to_dict() for f in self.findings],
        }


async def _run(fetcher: Fetcher, request: CheckRequest) -> CheckReport:
    result = await fetcher.fetch(request.url)
    extracted = await extract_async(result, fetcher.config)
    findings = check(result, item=request.item, main_domain=request.main_domain,
                     fiscal_year=request.fiscal_year, extracted=extracted, timeout=fetcher.config.timeout)
    findings = await _follow(fetcher, request, result, extracted, findings, None)
    return CheckReport(request, result, extracted, findings)


async def _follow(fetcher: Fetcher, request: CheckRequest, result: FetchResult, extracted: Extracted | None,
                  findings: list[Finding], pool: LoopPool | None,
                  urls: list[str] | None = None) -> list[Finding]:
    """Open the PDFs on the same site that an HTML page links to (one level deep, at most
    ``rules.MAX_LINKED``) when the page itself leaves a content finding open, and let them settle it.
    ``urls``: those documents if already known (the pool process found them), else found here."""
    if not needs_linked(findings):
        return findings
    if urls is None:
        urls = _linked_urls(request, result, extracted)
    linked: list[tuple[str, list[Finding]]] = []
    for url in urls:
        doc = await fetcher.fetch(url)
        if not doc.ok or not doc.has_content:
            continue
        if pool is None:
            ex = await extract_async(doc, fetcher.config)
            found = document_findings(ex, item=request.item, fiscal_year=request.fiscal_year) if ex else []
        else:
            found = await pool.run(_linked_findings, doc, request.item, request.fiscal_year)
        linked.append((url, found))
    return merge_linked(findings, linked) if linked else findings


# --- the process pool ----------------------------------------------------------------------------

_worker_config: CheckerConfig | None = None


def _init_worker(config: CheckerConfig) -> None:
    global _worker_config
    _worker_config = config


def _linked_urls(request: CheckRequest, result: FetchResult, extracted: Extracted | None) -> list[str]:
    return linked_documents(extracted, result.final_url or result.url, request.main_domain)


def _extract_and_check(result: FetchResult, item: dict | None, main_domain: str | None,
                       fiscal_year: int | None) -> tuple[Extracted | None, list[Finding], list[str]]:
    """In a pool process: what :func:`_run` does after the fetch (pdftotext blocks this process only), and the
    documents :func:`_follow` opens, if any (so that the event loop does not read the page's links)."""
    config = _worker_config or CheckerConfig()
    extracted = extract(result, config)
    findings = check(result, item=item, main_domain=main_domain, fiscal_year=fiscal_year, extracted=extracted,
                     timeout=config.timeout)
    urls = _linked_urls(CheckRequest(result.url, item, main_domain, fiscal_year), result, extracted) \
        if needs_linked(findings) else []
    return extracted, findings, urls


def _linked_findings(result: FetchResult, item: dict | None, fiscal_year: int | None) -> list[Finding]:
    """In a pool process: the content findings of a document linked from a page."""
    extracted = extract(result, _worker_config or CheckerConfig())
    return document_findings(extracted, item=item, fiscal_year=fiscal_year) if extracted else []


def _make_pool(workers: int, config: CheckerConfig) -> LoopPool | None:
    """``workers`` spawned processes that extract and check with ``config`` (None if ``workers`` is 0)."""
    if workers <= 0:
        return None
    return LoopPool(workers, _init_worker, (config,))


async def _run_pooled(fetcher: Fetcher, request: CheckRequest, pool: LoopPool,
                      release: Callable[[], None] = lambda: None) -> CheckReport:
    result = await fetcher.fetch(request.url)
    release()  # the host may have its next URL while this document is read
    if not result.has_content:  # nothing to read: the rules on the fetch alone are cheap
        findings = check(result, item=request.item, main_domain=request.main_domain,
                         fiscal_year=request.fiscal_year, extracted=None, timeout=fetcher.config.timeout)
        return CheckReport(request, result, None, findings)
    extracted, findings, urls = await pool.run(_extract_and_check, result, request.item, request.main_domain,
                                               request.fiscal_year)
    findings = await _follow(fetcher, request, result, extracted, findings, pool, urls)
    return CheckReport(request, result, extracted, findings)


async def check_url(url: str, *, item: dict | None = None, main_domain: str | None = None,
                    fiscal_year: int | None = None, config: CheckerConfig | None = None,
                    fetcher: Fetcher | None = None) -> CheckReport:
    """Fetch one URL and check it (with a fetcher of its own unless one is given)."""
    request = CheckRequest(url, item, main_domain, fiscal_year)
    if fetcher is not None:
        return await _run(fetcher, request)
    async with Fetcher(config or CheckerConfig()) as own:
        return await _run(own, request)


def check_url_sync(url: str, **kwargs) -> CheckReport:
    """:func:`check_url` from synchronous code (the command line, a worker thread)."""
    return asyncio.run(check_url(url, **kwargs))


def _host_key(url: str) -> str:
    try:
        parts = urlsplit(url)
        return f"{(parts.hostname or '').lower()}:{parts.port or ''}"
    except ValueError:
        return ""


def host_part(url: str, parts: int) -> int:
    """The part (0 … parts - 1) of a check split in ``parts`` that checks ``url``: a stable function of the URL's
    host and port (CRC-32), so that every URL of a host is in the same part (one worker keeps the politeness to
    that host) and the parts cover the URLs exactly once, whatever changed since the split."""
    return zlib.crc32(url_host_key(url).encode()) % parts if parts > 1 else 0


def by_host_turns(requests: list[CheckRequest]) -> list[CheckRequest]:
    """The same requests with the hosts taking turns (one of each host, then the next of each, …), each
    host's own requests in their order. :func:`iter_check` no longer needs it (``map_by_host`` schedules the
    hosts whatever the order); kept for callers that want a list in that order."""
    queues: dict[str, deque] = {}
    for request in requests:
        queues.setdefault(_host_key(request.url), deque()).append(request)
    out: list[CheckRequest] = []
    while queues:
        for key in list(queues):
            queue = queues[key]
            out.append(queue.popleft())
            if not queue:
                del queues[key]
    return out


async def iter_check(requests: Iterable[CheckRequest], config: CheckerConfig, *,
                     progress: ProgressCallback | None = None, concurrency: int | None = None,
                     fetcher: Fetcher | None = None) -> AsyncIterator[CheckReport]:
    """Check many URLs, yielding each report as it is ready (not in input order: use
    ``report.key``). At most ``concurrency`` (default ``config.max_connections``) are in flight and
    no report is kept after it is yielded, so memory does not grow with the number of URLs.
    ``progress(done, total, report)`` after each (``total`` is None for a generator).
    Extraction and rules run in ``config.pool_size(total)`` processes (see the module docstring; none
    for a short list of URLs); at most ``concurrency`` documents are in flight there too. The hosts take
    turns whatever the order of ``requests`` (:func:`~.fetch.map_by_host`): a URL takes a place only when
    its host may be asked (one request at a time per host, ``config.delay`` apart), so a job that lists an
    agency's 26 URLs together keeps the other agencies' sites busy, and a host's URLs are fetched close
    together (its connection and vetted DNS answer reused)."""
    total = len(requests) if hasattr(requests, "__len__") else None  # type: ignore[arg-type]
    owned = fetcher is None
    active = fetcher or Fetcher(config)
    pool = _make_pool(config.pool_size(total), active.config)  # the fetcher's config, as in-process
    if pool is None:
        def run(request, release):
            return _run(active, request)
    else:
        def run(request, release):
            return _run_pooled(active, request, pool, release)
    if owned:
        await active.__aenter__()
    try:
        done = 0
        async for _index, _request, report in map_by_host(
                requests, run, host_of=lambda request: url_host_key(request.url),
                concurrency=concurrency or config.max_connections, per_host=active.config.per_host,
                delay=active.config.delay):
            done += 1
            if progress is not None:
                progress(done, total, report)
            yield report
    finally:
        try:
            if owned:
                await active.__aexit__(None, None, None)
        finally:
            if pool is not None:
                pool.shutdown()
