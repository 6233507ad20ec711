"""The politeness scheduler of many URLs (``fetch.map_by_host``): every item once, each host's items in their
order, never more than ``per_host`` of a host at once nor two starts of a host closer than ``delay``, and the
places in flight never held by items that wait for a busy host (a job lists an agency's 26 URLs together)."""

from __future__ import annotations

import asyncio
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itadesk.evidence.checker import fetch
from itadesk.evidence.checker.fetch import map_by_host, url_host_key

HOSTS = ["a.go.th", "b.go.th", "B.go.th:8080", "c.ac.th", "[::1]"]


def _real_starts(monkeypatch) -> dict[str, list[float]]:
    """The times the scheduler counts a host's delay from (``_HostTurns.started``), per host. Spacing is checked
    there, not from inside ``fn``: a pause of the process (a busy CI machine, a garbage collection) between that
    point and ``fn``'s first line makes the next request wait longer, but shortens the gap seen from ``fn``."""
    starts: dict[str, list[float]] = {}
    started = fetch._HostTurns.started

    def record(turns, host):
        starts.setdefault(host, []).append(asyncio.get_running_loop().time())  # before the scheduler's own
        started(turns, host)

    monkeypatch.setattr(fetch._HostTurns, "started", record)
    return starts


def _run(items, *, concurrency, per_host, delay, work=0.0, release_early=False, hosts_ahead=None):
    """Runs map_by_host over (host, n) items; returns (results in the order yielded, per-start log)."""
    in_flight: dict[str, int] = {}
    log: list[tuple[float, str, int, int]] = []  # (start time, host, n, in flight of that host at start)
    total = [0, 0]  # in flight overall, its maximum

    async def fn(item, release):
        host, n = item
        in_flight[host] = in_flight.get(host, 0) + 1
        total[0] += 1
        total[1] = max(total[1], total[0])
        log.append((time.monotonic(), host, n, in_flight[host]))
        try:
            if release_early:
                await asyncio.sleep(0)
                in_flight[host] -= 1
                release()
            await asyncio.sleep(work)
        finally:
            if not release_early:
                in_flight[host] -= 1
            total[0] -= 1
        return n

    async def main():
        return [(index, item, value) async for index, item, value in map_by_host(
            items, fn, host_of=lambda item: url_host_key(f"https://{item[0]}/"), concurrency=concurrency,
            per_host=per_host, delay=delay, hosts_ahead=hosts_ahead)]

    return asyncio.run(main()), log, total[1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(HOSTS), st.integers(0, 30)), max_size=40),
       st.integers(1, 6), st.integers(1, 3), st.integers(1, 4), st.booleans())
def test_every_item_once_each_host_in_its_order_and_within_its_limit(entries, concurrency, per_host, ahead,
                                                                    generator):
    items = (e for e in entries) if generator else entries
    results, log, widest = _run(items, concurrency=concurrency, per_host=per_host, delay=0, hosts_ahead=ahead)
    assert sorted(index for index, _item, _value in results) == list(range(len(entries)))
    assert all(entries[index] == item and value == item[1] for index, item, value in results)
    assert widest <= concurrency
    assert all(in_flight <= per_host for _t, _host, _n, in_flight in log)
    for host in {url_host_key(f"https://{h}/") for h in HOSTS}:
        started = [n for _t, h, n, _f in log if url_host_key(f"https://{h}/") == host]
        assert started == [n for h, n in entries if url_host_key(f"https://{h}/") == host]


def test_a_job_listed_agency_by_agency_keeps_every_host_busy(monkeypatch):
    """50 agencies' sites x 26 URLs in a job's order, one request at a time per host, 0.05 s apart: the first
    50 starts are the 50 sites, and the whole run takes about 26 delays, not 50 x 26."""
    items = [(f"agency{a}.go.th", n) for a in range(50) for n in range(26)]
    starts = _real_starts(monkeypatch)
    started = time.monotonic()
    results, log, widest = _run(items, concurrency=50, per_host=1, delay=0.05, work=0.005)
    elapsed = time.monotonic() - started
    assert len(results) == len(items)
    assert len({host for _t, host, _n, _f in log[:50]}) == 50
    assert elapsed < 26 * 0.05 * 3
    assert sorted(len(times) for times in starts.values()) == [26] * 50
    assert all(b - a >= 0.05 - 1e-9 for times in starts.values() for a, b in zip(times, times[1:], strict=False))


def test_a_host_released_early_takes_its_next_item_while_the_first_is_still_worked_on():
    """``release()`` after the fetch: the host's next URL starts although the first one's document is still
    being read (extraction in the pool), one request at a time still."""
    items = [("a.go.th", n) for n in range(4)]
    started = time.monotonic()
    results, log, widest = _run(items, concurrency=4, per_host=1, delay=0, work=0.3, release_early=True)
    assert len(results) == 4
    assert widest == 4  # all four worked on together
    assert time.monotonic() - started < 0.3 * 3


def test_an_error_stops_the_run_and_is_raised():
    async def fn(item, release):
        if item == 3:
            raise ValueError("boom")
        await asyncio.sleep(0.01)
        return item

    async def main():
        return [x async for x in map_by_host(range(10), fn, host_of=str, concurrency=3, per_host=1, delay=0)]

    try:
        asyncio.run(main())
    except ValueError as exc:
        assert str(exc) == "boom"
    else:
        raise AssertionError("the error was not raised")


def test_a_host_waits_the_delay_from_when_its_request_really_started(monkeypatch):
    """A task starts a little after it is handed out — later on a busy machine. Here the request of another host,
    handed out just before, holds the event loop for 30 ms before its first await, so x.go.th's first request
    starts 30 ms late: its second still starts a whole delay after the first really started."""
    starts = _real_starts(monkeypatch)

    async def fn(item, release):
        host, n = item
        if host == "y.go.th":
            time.sleep(0.03)  # the loop is held: the tasks after this one start late
        await asyncio.sleep(0.001)
        return n

    async def main():
        return [value async for _i, _item, value in map_by_host(
            [("y.go.th", 0), ("x.go.th", 0), ("x.go.th", 1)], fn, host_of=lambda item: item[0], concurrency=3,
            per_host=1, delay=0.05)]

    assert sorted(asyncio.run(main())) == [0, 0, 1]
    first, second = starts["x.go.th"]
    assert first - starts["y.go.th"][0] >= 0.03  # handed out together, x.go.th's first really started late
    assert second - first >= 0.05 - 1e-9
