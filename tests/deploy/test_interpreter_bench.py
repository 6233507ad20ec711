"""bench/interpreter.py cannot rot: a short run against this same interpreter prints both sides and a ratio near 1."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.deploy.stack import ROOT


def test_the_interpreter_bench_runs_both_sides_and_prints_the_ratio():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "interpreter.py"), "--python", "current",
                           "--rounds", "1", "--iterations", "10"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "round 1 this" in done.stdout and "round 1 other" in done.stdout
    ratio = float(re.search(r"ratio (\d+\.\d+)", done.stdout).group(1))
    assert 0.3 < ratio < 3.0  # the same interpreter on both sides
