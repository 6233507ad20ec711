"""Property: the state of an action item that the report reconstructs at any cut-off equals the state the
item really had at that moment (read from its rows right after each change), whatever the sequence of
answers, acceptances, returns and status changes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itadesk.committee import selectors, services
from itadesk.committee.models import ActionItem, ActionStatus

STEPS = ["submit", "accept", "return", "done", "not_applicable", "reopen"]
STATUSES = [s.value for s in ActionStatus]

op = st.one_of(
    st.tuples(st.just("target"), st.integers(0, 2), st.sampled_from(STEPS)),
    st.tuples(st.just("action"), st.just(0), st.sampled_from(STATUSES)),
)


def live_state(action) -> dict | None:
    action.refresh_from_db()
    if action.status in ("done", "cancelled"):
        return None
    counted = [t for t in action.targets.select_related("agency") if t.status != "not_applicable"]
    return {"status": action.status, "targets_total": len(counted),
            "targets_done": sum(t.status == "done" for t in counted),
            "pending_agencies": sorted(t.agency.name_th for t in counted if t.status != "done")}


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(op, max_size=14), gaps=st.lists(st.integers(1, 5000), min_size=15, max_size=15))
def test_state_at_a_cut_off_equals_the_state_then(world, ops, gaps):
    w = world
    start = dt.datetime(2025, 1, 1, 3, 0, tzinfo=dt.UTC) + dt.timedelta(days=ActionItem.objects.count() * 30)
    now = start
    with time_machine.travel(now, tick=False):
        action = services.create_action(actor=w.secretariat, province=w.province,
                                        agencies=[w.pao, w.sao1, w.sao2], changes={
                                            "kind": "agencies", "title": "ขอคำสั่ง", "office": w.local,
                                            "due_date": None})
    seen = [(now, live_state(action))]
    for (kind, index, step), gap in zip(ops, gaps, strict=False):
        now = now + dt.timedelta(minutes=gap)
        with time_machine.travel(now, tick=False):
            try:
                if kind == "target":
                    target = list(action.targets.order_by("agency__name_th"))[index]
                    services.move_target(actor=w.secretariat, target=target, step=step, text="เหตุผล")
                else:
                    services.set_action_status(actor=w.secretariat, action=action, status=step, text="เหตุผล")
            except ValidationError:
                pass
        seen.append((now, live_state(action)))
    for moment, expected in seen:
        rows = [r for r in selectors.action_items_for_report(province=w.province, at=moment)
                if r["id"] == action.pk]
        if expected is None:
            assert rows == []
        else:
            [row] = rows
            assert {k: row[k] for k in expected} == expected
