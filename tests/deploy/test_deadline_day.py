"""bench/deadline_day.py cannot rot: the whole benchmark (production stack on loopback, data set, logins,
every page's form posted) runs for a few seconds at a low rate on a small data set, with no error."""

from __future__ import annotations

import platform
import re
import subprocess
import sys

import pytest

from tests.deploy.stack import ROOT, missing_tools

pytestmark = pytest.mark.stack


def test_deadline_day_bench_runs_without_errors():
    missing = missing_tools()
    if missing:
        pytest.skip("the production stack needs " + ", ".join(missing) + " (scripts/ensure-system.sh installs them)")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "deadline_day.py"), "--provinces", "2", "--agencies", "60",
         "--people", "1", "--processes", "1", "--smoke", "3", "--start-rate", "8",
         "--python", "current"],  # the test's virtualenv (the bench's own makes one as install.sh does)
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    out = result.stdout
    assert result.returncode == 0, f"exit {result.returncode}:\n{out}\n{result.stderr[-3000:]}"
    python = f"Python {platform.python_version()} ({sys.prefix}/bin/python)"
    assert f"the stack and the load generator run on {python}" in out
    # the pages came compressed as a browser asks for them (zstd, Caddy's first choice)
    assert re.search(r"responses by compression: zstd [\d,]+", out), out
    tour = out.split("tour (every action once):", 1)[1].split("smoke:", 1)[0]
    assert re.search(r"^.*errors 0$", out.split("tour (every action once):", 1)[1].splitlines()[0])
    # Every form of the afternoon was posted and accepted (a redirect, not the form shown again).
    for page in ("POST item", "POST stakeholders", "POST approve", "POST review"):
        assert re.search(rf"^\s+{page}\s+1\s", tour, re.M), f"{page} missing from the tour:\n{out}"
    assert "form shown again" not in tour, out
    smoke = re.search(r"smoke: (\d+) requests at [\d.]+/s .* (\d+) actions unfinished, errors (\d+)", out)
    assert smoke and int(smoke.group(1)) > 0 and smoke.group(2) == "0" and smoke.group(3) == "0", out
