"""Dated snapshots of evidence URLs, taken when items are submitted for pre-review and when a reviewer
passes them (the checker's own runs keep theirs through ``services.record_check``).

The workflow services call :func:`schedule` after their transaction commits; it hands the item ids
to a background job (``tasks.take_snapshots``, Huey), which calls :func:`take_many`.

By default every URL goes through the evidence checker (``itadesk.evidence.checker``: private
addresses refused, size cap, timeouts, politeness per host): the snapshot keeps what was fetched and
the extracted text, and the checker's findings for the item (required elements, fiscal year, main
domain …) are stored with it, so the reviewer sees them at once. ``fetch`` replaces that with any
``fetch(urls) -> results`` function (one result per URL, in order): results with the fields
``services.record_check`` reads, or checker reports. Tests pass a fake one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.utils import timezone

from itadesk.evidence import checking
from itadesk.evidence.models import EvidenceItem, Snapshot
from itadesk.evidence.recording import record_check

logger = logging.getLogger(__name__)

FetchFn = Callable[[list[str]], Sequence[Any]]


def take(item: EvidenceItem, reason: str, *, fetch: FetchFn | None = None, now=None) -> list[Snapshot]:
    """Fetch every URL of ``item`` now and keep what came back, one :class:`Snapshot` per URL."""
    return take_many([item], reason, fetch=fetch, now=now)


def take_many(items: Iterable[EvidenceItem | int], reason: str, *, fetch: FetchFn | None = None,
              now=None) -> list[Snapshot]:
    """Snapshots of the URLs of several items, fetched together (the checker spreads the requests
    over the hosts politely) and stored as they arrive. An item that no longer exists is skipped."""
    if reason not in Snapshot.Reason.values:
        raise ValueError(f"unknown snapshot reason {reason!r}")
    ids = [i.pk if isinstance(i, EvidenceItem) else int(i) for i in items]
    loaded = {i.pk: i for i in EvidenceItem.objects.filter(pk__in=ids).select_related("round", "agency")}
    pairs = [(loaded[i], url) for i in dict.fromkeys(ids) if i in loaded for url in loaded[i].urls]
    if not pairs:
        return []
    if fetch is None:
        outcomes = checking.check_pairs(pairs)
    else:
        urls = list(dict.fromkeys(url for _item, url in pairs))
        results = list(fetch(urls))
        if len(results) != len(urls):
            raise ValueError(f"the fetcher returned {len(results)} results for {len(urls)} URLs")
        by_url = dict(zip(urls, results, strict=True))
        outcomes = (((item.pk, url), by_url[url]) for item, url in pairs)
    taken_at = now or timezone.now()
    taken = [record_check(loaded[item_id], url, outcome, reason=reason, taken_at=taken_at)
             for (item_id, url), outcome in outcomes]
    order = {pair: n for n, pair in enumerate((item.pk, url) for item, url in pairs)}
    return sorted(taken, key=lambda s: order[(s.item_id, s.url)])


def schedule(item_ids: Iterable[int], reason: str) -> None:
    """Queue a background job that snapshots the items' URLs (call after the transaction commits)."""
    # Exception to imports at the top: tasks.py (the worker's entry points) imports this module.
    from itadesk.evidence.tasks import take_snapshots

    ids = [int(i) for i in item_ids]
    if not ids:
        return
    try:
        take_snapshots(ids, reason)
    except Exception:  # the queue being down must not break the workflow step that already happened
        logger.exception("could not queue the %s snapshots of items %s", reason, ids)
