"""Fetch, extract and check in one go: one URL (:func:`check_url`) or a stream of many
(:func:`iter_check`), as a background job or the ``itadesk oit check`` command runs them. No Django."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

from .config import CheckerConfig
from .extract import Extracted, extract_async
from .fetch import Fetcher, FetchResult, ProgressCallback, map_unordered
from .rules import Finding, check

__all__ = ["CheckReport", "CheckRequest", "check_url", "check_url_sync", "iter_check"]


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


async def iter_check(requests: Iterable[CheckRequest], config: CheckerConfig, *,
                     progress: ProgressCallback | None = None, concurrency: int | None = None,
                     fetcher: Fetcher | None = None) -> AsyncIterator[CheckReport]:
    """Check many URLs, yielding each report as it is ready (not in input order: use
    ``report.key``). At most ``concurrency`` (default ``config.max_connections``) are in flight and
    no report is kept after it is yielded, so memory does not grow with the number of URLs.
    ``progress(done, total, report)`` after each (``total`` is None for a generator)."""
    total = len(requests) if hasattr(requests, "__len__") else None  # type: ignore[arg-type]
    owned = fetcher is None
    active = fetcher or Fetcher(config)
    if owned:
        await active.__aenter__()
    try:
        done = 0
        async for _index, _request, report in map_unordered(
                requests, lambda request: _run(active, request), concurrency=concurrency or config.max_connections):
            done += 1
            if progress is not None:
                progress(done, total, report)
            yield report
    finally:
        if owned:
            await active.__aexit__(None, None, None)
