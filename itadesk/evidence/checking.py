"""Running the evidence checker (``itadesk.evidence.checker``, asyncio) from Django's synchronous code.

The checker runs in a thread of its own with its own event loop; its reports come back to the
calling thread one by one through a small bounded queue, so the database work (``record_check``)
happens in the caller's thread and memory stays bounded whatever the number of URLs.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Iterator
from typing import Any

from itadesk.evidence.checker import CheckerConfig, CheckRequest, iter_check
from itadesk.evidence.models import EvidenceItem
from itadesk.evidence.selectors import oit_refs

logger = logging.getLogger(__name__)

WINDOW = 8  # reports waiting for the database at most


class _Failure:
    def __init__(self, exc: BaseException):
        self.exc = exc


_END = object()


def requests_for(pairs: list[tuple[EvidenceItem, str]]) -> list:
    """Checker requests for (item, URL) pairs: each URL with its item's rules (elements, fiscal-year
    rule, hints), the agency's main website and the round's fiscal year; key (item id, URL)."""
    refs: dict[int, dict[str, dict]] = {}
    requests = []
    for item, url in pairs:
        if item.round_id not in refs:
            refs[item.round_id] = {ref.item["code"]: ref.item for ref in oit_refs(item.round)}
        requests.append(CheckRequest(url, item=refs[item.round_id].get(item.item_code),
                                     main_domain=item.agency.website or None,
                                     fiscal_year=item.round.fiscal_year, key=(item.pk, url)))
    return requests


def iter_reports(requests: list, config=None) -> Iterator[Any]:
    """The checker's reports for ``requests``, as they are ready (not in input order: use
    ``report.key``). Stops the checker if the caller stops early or fails."""
    config = config or CheckerConfig.from_settings()
    out: queue.Queue = queue.Queue(maxsize=WINDOW)
    stop = threading.Event()

    def put(value) -> bool:
        while not stop.is_set():
            try:
                out.put(value, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def worker() -> None:
        async def main():
            async for report in iter_check(requests, config):
                if not await asyncio.to_thread(put, report):
                    return

        try:
            asyncio.run(main())
        except BaseException as exc:  # handed to the caller's thread
            put(_Failure(exc))
        finally:
            put(_END)

    thread = threading.Thread(target=worker, name="evidence-checker", daemon=True)
    thread.start()
    try:
        while True:
            value = out.get()
            if value is _END:
                return
            if isinstance(value, _Failure):
                raise value.exc
            yield value
    finally:
        stop.set()
        thread.join(timeout=60)


def check_pairs(pairs: list[tuple[EvidenceItem, str]]) -> Iterator[tuple[tuple[int, str], Any]]:
    """((item id, URL), CheckReport) for every pair, as the checker finishes them."""
    if not pairs:
        return
    for report in iter_reports(requests_for(pairs)):
        yield report.key, report
