"""The follow-up and the ITA Desk / ITAS checks read many agencies' rows by round and keep theirs in Python
(surveys.selectors.IN_LIMIT), a few by a list of ids: both ways give the same follow-up, for the whole province
and for one office's agencies."""

import dataclasses

import pytest
import time_machine

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
        for module in (selectors, consistency):
            monkeypatch.setattr(module, "IN_LIMIT", 0)  # every read by round
        by_round = snapshot(w.round, rows)
    assert by_round == by_ids
    assert any(r["cells"]["IIT"]["trend"] for r in by_ids[0]) and by_ids[1]  # not an empty comparison
