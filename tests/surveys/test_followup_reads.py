"""The follow-up and the ITA Desk / ITAS checks read many agencies' rows by round and keep theirs in Python
(surveys.selectors.IN_LIMIT), a few by a list of ids: both ways give the same follow-up, for the whole province
and for one office's agencies."""

import dataclasses
import datetime as dt

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from itadesk.cycles.selectors import participants
from itadesk.registry.models import Agency
from itadesk.surveys import consistency, selectors
from tests.surveys.helpers import BEFORE_RESPONSES
from tests.surveys.test_followup import fw  # noqa: F401 - the fixture


def snapshot(round, rows):
    follow = selectors.followup(round, rows, trend="below")
    return ([dataclasses.asdict(r) for r in follow.rows],
            {a: {c: dataclasses.asdict(k) for c, k in checks.items()}
             for a, checks in consistency.checks(round, rows, follow=follow).items()})


@pytest.mark.parametrize("office", [None, "local"])
def test_reading_by_round_or_by_ids_gives_the_same_follow_up(fw, monkeypatch, office):  # noqa: F811
    w = fw
    agencies = None if office is None else Agency.objects.filter(getattr(w, office).agency_q())
    rows = participants(w.round, agencies)
    assert len(rows) == (5 if office is None else 3)
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        by_ids = snapshot(w.round, rows)
        monkeypatch.setattr(selectors, "IN_LIMIT", 0)  # every read by round (surveys.selectors.narrowed)
        by_round = snapshot(w.round, rows)
    assert by_round == by_ids
    assert any(r["cells"]["IIT"]["trend"] for r in by_ids[0]) and by_ids[1]  # not an empty comparison


def reference_daily(points, start, end, before):
    """The day-by-day walk, as plainly as it can be written."""
    by_day, value, series, d = dict(points), before, [], start
    while d <= end:
        value = by_day[d] if d in by_day else value
        series.append((d, value))
        d += dt.timedelta(days=1)
    return series


@given(start=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31)),
       length=st.integers(min_value=0, max_value=20), before=st.none() | st.integers(min_value=0, max_value=500),
       offsets=st.lists(st.tuples(st.integers(min_value=-3, max_value=24), st.integers(min_value=0, max_value=900)),
                        max_size=12))
def test_the_daily_trend_is_the_last_count_known_each_day(start, length, before, offsets):
    end = start + dt.timedelta(days=length)
    points = sorted((start + dt.timedelta(days=o), n) for o, n in offsets)
    assert selectors._daily(points, start, end, before=before) == reference_daily(points, start, end, before)
