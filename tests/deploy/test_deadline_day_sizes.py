"""bench/deadline_day.py's sizes: processes, or processes x threads, in the order given."""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.deploy.stack import ROOT

_spec = importlib.util.spec_from_file_location("deadline_day_sizes", ROOT / "bench" / "deadline_day.py")
deadline_day = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(deadline_day)


def test_processes_alone_take_the_threads_option_or_the_deploy_sizing():
    assert deadline_day.parse_sizes("1,2", None) == [(1, None), (2, None)]
    assert deadline_day.parse_sizes("1, 2", 3) == [(1, 3), (2, 3)]


def test_a_size_may_name_its_threads():
    assert deadline_day.parse_sizes("2x4,4X2,3", None) == [(2, 4), (4, 2), (3, None)]


@pytest.mark.parametrize("text", ["", ",", "two", "2x", "x4", "0", "2x0", "-1", "2x4x1"])
def test_a_bad_size_is_refused_with_the_part_named(text):
    with pytest.raises(ValueError) as caught:
        deadline_day.parse_sizes(text, None)
    part = text.strip(",").strip()
    if part:
        assert repr(part.split(",")[0]) in str(caught.value)


@given(st.lists(st.tuples(st.integers(1, 64), st.one_of(st.none(), st.integers(1, 64))), min_size=1, max_size=6))
def test_sizes_written_out_read_back_the_same(sizes):
    text = ",".join(f"{p}x{t}" if t else str(p) for p, t in sizes)
    assert deadline_day.parse_sizes(text, None) == sizes


@given(st.floats(10, 500), st.floats(1.1, 2.0), st.floats(0, 1), st.integers(0, 6))
def test_the_last_steps_close_in_on_the_rate_that_passes(best, factor, where, steps):
    """Between a step that passed and the next, which failed, each rate tried halves the gap on the side of the
    true limit (a machine passing every rate up to ``limit``): the bounds always hold it, ``steps`` at most, and
    none once they are within 5 %."""
    failed = best * factor
    limit = best + where * (failed - best)
    rates = deadline_day.refine_rates(best, failed, steps=steps)
    tried, lo, hi = [], best, failed
    try:
        rate = next(rates)
        while True:
            assert lo < rate < hi and rate == pytest.approx((lo + hi) / 2)
            tried.append(rate)
            ok = rate <= limit
            lo, hi = (rate, hi) if ok else (lo, rate)
            rate = rates.send(ok)
    except StopIteration:
        pass
    assert lo <= limit <= hi
    assert len(tried) <= steps
    assert len(tried) == steps or hi / lo <= 1.05


def test_the_stack_runs_on_debian_s_python_unless_told_otherwise(capsys):
    """deploy/install.sh makes the server's virtualenv with Debian's python3: the bench runs the stack on it when it
    exists; 'current' keeps this interpreter (its virtualenv, used as it is); an interpreter that cannot run is
    refused by name."""
    import os
    import sys

    default = deadline_day.parse_args([]).python
    expected = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else "current"
    assert default == expected
    assert deadline_day.parse_args(["--python", "current"]).python == "current"
    assert deadline_day.stack_venv("current") == sys.prefix
    with pytest.raises(SystemExit):
        deadline_day.parse_args(["--python", "/no/such/python3"])
    assert "--python: /no/such/python3" in capsys.readouterr().err


def test_the_load_generator_gets_its_zstd_decoder_as_the_tests_pin_it():
    """The stack's own virtualenv gets the load generator's one extra package, at the test dependencies' pin."""
    import tomllib

    tests = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    pinned = [r for r in tests if r.startswith("backports.zstd==")]
    assert len(pinned) == 1 and deadline_day.client_requirements() == pinned
