"""CPU time of process trees, read from /proc (Linux): the benchmarks' figure that other work on a shared
machine moves much less than wall time. Not a benchmark itself."""

from __future__ import annotations

import os
from collections import defaultdict

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_by_part(roots: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds used so far by each part of the stack: every live process descended from the part's root
    processes (user + system time), plus what its exited and reaped children used (cutime + cstime), read from
    /proc. A part whose processes exit between two readings loses that time: the stack's processes live for the
    whole run (PostgreSQL backends are reaped by the postmaster, so they count)."""
    stats, children = {}, defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited while we read
        pid, ppid = int(entry), int(fields[1])
        stats[pid] = sum(int(x) for x in fields[11:15]) / CLOCK_TICKS  # utime stime cutime cstime
        children[ppid].append(pid)
    used = {}
    for part, pids in roots.items():
        total, waiting, seen = 0.0, list(pids), set()
        while waiting:
            pid = waiting.pop()
            if pid in seen or pid not in stats:
                continue
            seen.add(pid)
            total += stats[pid]
            waiting.extend(children.get(pid, ()))
        used[part] = total
    return used


def process_cpu(pid: int) -> float:
    """CPU seconds used so far by process ``pid`` and every process under it (``cpu_by_part`` of one part)."""
    return cpu_by_part({"process": [pid]})["process"]
