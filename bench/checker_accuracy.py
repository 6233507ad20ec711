#!/usr/bin/env python
"""OIT evidence checker accuracy on a labelled set of pages (tests/evidence/accuracy/):

    .venv/bin/python bench/checker_accuracy.py [--framework nacc-ita-2568] [--show-misses]

Serves the set on 127.0.0.1 (real HTTP), checks every case as production does, and prints per finding
code and overall: defects caught (a defective page counts as caught when every finding it should get
fails with severity warning or error) and false alarms (a good page with any warning or error: the
reviewer sees it). Goal: at least 95 % caught and at most 5 % false alarms; exit status 1 if missed.
No Django; nothing leaves the machine's loopback address.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

GOAL_CAUGHT = 0.95
GOAL_FALSE_ALARMS = 0.05


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", default="nacc-ita-2568",
                        help="the framework of the FY2568 pages (the executives' pages are always checked as FY2570 "
                             "pages against nacc-ita-2570)")
    parser.add_argument("--show-misses", action="store_true", help="list every missed defect and false alarm")
    args = parser.parse_args(argv)
    from tests.evidence.accuracy.measure import measure

    started = time.monotonic()
    figures = measure(framework=args.framework)
    print(f"labelled pages: {figures.defects + figures.good} ({figures.good} good, {figures.defects} defective), "
          f"checked in {time.monotonic() - started:.1f} s")
    print(f"{'code':<18} {'defects':>8} {'caught':>7} {'rate':>7} {'false alarms':>13}")
    for code, entry in figures.per_code.items():
        defects, caught = entry.get("defects", 0), entry.get("caught", 0)
        rate = f"{100 * caught / defects:.1f}%" if defects else "-"
        print(f"{code:<18} {defects:>8} {caught:>7} {rate:>7} {entry.get('false_alarms', 0):>13}")
    print(f"overall: caught {figures.caught}/{figures.defects} = {100 * figures.caught_rate:.1f}% "
          f"(goal >= {100 * GOAL_CAUGHT:.0f}%); false alarms {figures.false_alarms}/{figures.good} = "
          f"{100 * figures.false_alarm_rate:.1f}% (goal <= {100 * GOAL_FALSE_ALARMS:.0f}%)")
    if args.show_misses:
        for o in figures.outcomes:
            if (not o.case.good and not o.caught) or o.false_alarm:
                kind = "MISSED" if not o.case.good else "FALSE ALARM"
                print(f"\n{kind} {o.case.id} [{o.case.item}] {o.case.label}: expected {sorted(o.case.expect)}")
                for message in o.messages:
                    print(f"    {message}")
    ok = figures.caught_rate >= GOAL_CAUGHT and figures.false_alarm_rate <= GOAL_FALSE_ALARMS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
