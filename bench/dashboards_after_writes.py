#!/usr/bin/env python
"""CPU time of the dashboards and the review queue right after each write of the deadline-day mix that moves their
data, page cache on.

    DATABASE_URL=postgres://... .venv/bin/python bench/dashboards_after_writes.py [--repeat 7] [--warmups 2]

Not a test. bench/pages.py measures a page cold (no page cache) or warm (served from it); under the deadline-day
mix a dashboard is mostly neither: it was cached, then a write in its province moved some of its data versions.
This measures that case, as production runs (a throwaway redis-server, ``ITADESK_PAGE_CACHE``): for each write (the
agency admin's OIT item POST, the stakeholder POST, the executive's approval POST, the reviewer's review POST;
bench/pages.py's requests) and each dashboard (the officer's office dashboard and agency table, the secretariat's
province dashboard, the officer's pre-review queue, the executive's OIT workspace), the dashboard is loaded
(untimed, so it is in the cache), the write is made (untimed), and the dashboard loaded again: the CPU time of that
request (``time.process_time``, median of ``--repeat`` after ``--warmups``). Also "nothing" (served from the cache)
and "cold" (the whole cache emptied first). Reuses a database built by ``bench/pages.py --hold`` (``DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402 - bench/pages.py: the data, the people, the requests

WRITES = ["nothing", "POST item", "POST stakeholders", "POST approve", "POST review", "cold"]
DASHBOARDS = ["GET office dashboard", "GET agency table", "GET province dashboard", "GET queue", "GET workspace"]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--warmups", type=int, default=2)
    args = p.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("DATABASE_URL: a database built by bench/pages.py --hold")
    redis = pages.start_redis()
    try:
        pages.setup_django()
        from django.core.cache import cache

        people = pages.prepare(pages.parse_args([]))
        bench = pages.Pages(people)
        print(f"median of {args.repeat} after {args.warmups} warm-ups, CPU ms of the dashboard's request after the "
              f"write; load average {os.getloadavg()[0]:.2f}")
        print(f"{'write':<20}" + "".join(f"{d[4:]:>24}" for d in DASHBOARDS))
        for write in WRITES:
            cells = []
            for dashboard in DASHBOARDS:
                times = []
                for n in range(args.warmups + args.repeat):
                    call = bench.setup(dashboard)  # untimed: the dashboard in the cache
                    call()
                    if write == "cold":
                        cache.clear()
                    elif write != "nothing":
                        bench.setup(write)()
                    call = bench.setup(dashboard)
                    t = time.process_time()
                    call()
                    if n >= args.warmups:
                        times.append(time.process_time() - t)
                cells.append(statistics.median(times) * 1000)
            print(f"{write:<20}" + "".join(f"{c:>24.1f}" for c in cells))
        print(f"load average {os.getloadavg()[0]:.2f}")
    finally:
        redis.terminate()
        redis.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
