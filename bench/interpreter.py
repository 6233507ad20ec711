#!/usr/bin/env python
"""The same Python work on the server's interpreter and on this one, side by side.

    .venv/bin/python bench/interpreter.py [--python /usr/bin/python3] [--rounds 3] [--iterations 300]

Not a test. deploy/install.sh makes the server's virtualenv with Debian's python3 (built with profile-guided
optimisation); a checkout's ``.venv`` may run on another build of the same version (pyenv builds without
``--enable-optimizations`` by default). This runs one piece of the work every page does — Django's template
engine rendering a table of 300 rows with filters and escaping, ITA Desk's Thai dates (``core.thai``) and dictionary
work — ``--iterations`` times in a process of each interpreter, alternating ``--rounds`` times (the machine's
speed drifts: the fastest and the tenth-fastest of many iterations are what each interpreter can do), and prints
the CPU time per iteration of each and the ratio. The other interpreter runs from the virtualenv
bench/deadline_day.py makes for it (``stack_venv``: made once in ~/.cache/itadesk/). Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def work_loop(iterations: int) -> dict:
    """The work, ``iterations`` times after a warm-up, in this process: CPU seconds of each iteration."""
    sys.path.insert(0, str(ROOT))
    import datetime as dt

    import django
    from django.conf import settings

    settings.configure(TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}],
                       USE_I18N=False, USE_TZ=True, TIME_ZONE="Asia/Bangkok")
    django.setup()
    from django.template import Context, Template

    from itadesk.core.thai import format_date

    template = Template(
        "{% for r in rows %}<tr><td>{{ r.name }}</td><td>{{ r.district|default:'—' }}</td>"
        "<td class=\"text-end\">{{ r.n|floatformat:2 }}</td>{% if r.late %}<td class=\"text-danger\">"
        "{{ r.when }}</td>{% else %}<td>{{ r.when }}</td>{% endif %}</tr>{% endfor %}")
    start = dt.datetime(2026, 12, 8, 9, 30, tzinfo=dt.UTC)
    rows = [{"name": f"องค์การบริหารส่วนตำบล {i} <&>", "district": "" if i % 7 else f"อำเภอ {i}", "n": i * 1.5,
             "late": i % 3 == 0, "when": start + dt.timedelta(hours=i)} for i in range(300)]

    def once():
        for r in rows:
            r["when_th"] = format_date(r["when"])
        template.render(Context({"rows": rows}))
        counts: dict[int, int] = {}
        for i in range(20000):
            counts[i % 97] = counts.get(i % 97, 0) + i
        json.dumps(rows, default=str)

    for _ in range(5):
        once()
    times = []
    for _ in range(iterations):
        t = time.process_time()
        once()
        times.append(time.process_time() - t)
    return {"version": sys.version.split()[0], "executable": sys.executable, "times": times}


def summary(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    return ordered[0], ordered[len(ordered) // 10], statistics.median(ordered)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--python", default="/usr/bin/python3", help="the other interpreter (default Debian's)")
    p.add_argument("--rounds", type=int, default=3, help="times each interpreter runs, alternating (default 3)")
    p.add_argument("--iterations", type=int, default=300, help="iterations of the work per run (default 300)")
    p.add_argument("--work", type=int, default=None, help=argparse.SUPPRESS)  # internal: run the work, print JSON
    args = p.parse_args(argv)
    if args.work:
        print(json.dumps(work_loop(args.work)))
        return 0
    if args.rounds < 1 or args.iterations < 10:
        p.error("--rounds must be at least 1 and --iterations at least 10")
    sys.path.insert(0, str(ROOT / "bench"))
    from deadline_day import stack_venv

    other = str(Path(stack_venv(args.python)) / "bin" / "python")
    runs: dict[str, list[float]] = {"this": [], "other": []}
    versions = {}
    for n in range(args.rounds):
        for name, python in (("this", sys.executable), ("other", other)):
            done = subprocess.run([python, __file__, "--work", str(args.iterations)], capture_output=True,
                                  text=True, check=True)
            result = json.loads(done.stdout)
            versions[name] = f"Python {result['version']} ({result['executable']})"
            fastest, tenth, median = summary(result["times"])
            runs[name].append(tenth)
            print(f"round {n + 1} {name:5}: fastest {fastest * 1000:.2f} ms, tenth-fastest {tenth * 1000:.2f} ms, "
                  f"median {median * 1000:.2f} ms  [{versions[name]}]")
    ours, baseline = statistics.median(runs["other"]), statistics.median(runs["this"])
    print(f"the work's tenth-fastest iteration, median of {args.rounds} runs: ours (the server's interpreter, "
          f"{versions['other']}) {ours * 1000:.2f} ms, baseline (this one, {versions['this']}) "
          f"{baseline * 1000:.2f} ms, ratio {ours / baseline:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
