"""The demo's FY2570 round in progress: made by the same code as "start a new round", deadlines relative to
the day the demo is loaded, late agencies and open work, current; idempotent."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from itadesk.core.models import AuditEvent
from itadesk.core.thai import BANGKOK, to_bangkok
from itadesk.cycles.models import Progress, Round, Status
from itadesk.demo.current_round import DEMO_MARKER
from itadesk.demo.loader import load_demo
from itadesk.surveys.models import ResponseCount, StakeholderData
from tests.module_data import module_data

pytestmark = pytest.mark.django_db
LOAD_DAY = dt.datetime(2027, 3, 10, 9, 0, tzinfo=BANGKOK)  # a Wednesday


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The demo loaded on LOAD_DAY once for the module (tests/module_data.py)."""
    with module_data(django_db_blocker):
        with time_machine.travel(LOAD_DAY, tick=False):
            load_demo()
        yield


@pytest.fixture
def loaded():
    return Round.objects.get(fiscal_year=2570)


def test_fy2570_is_current_copied_from_2568_with_deadlines_from_the_load_day(loaded):
    r = loaded
    history = Round.objects.get(fiscal_year=2568)
    assert r.is_current and not history.is_current and r.copied_from == history
    assert history.milestones.count() == 3 and history.participations.count() == 116  # history as it was
    deadlines = {m.code: to_bangkok(m.deadline) for m in r.milestones.all()}
    # 10 days before (28 Feb 2027 is a Sunday: moved to Monday 1 Mar), 21 and 63 days after, at 17:00
    assert {c: d.date() for c, d in deadlines.items()} == {
        "stakeholders": dt.date(2027, 3, 1), "oit": dt.date(2027, 3, 31), "iit-eit": dt.date(2027, 5, 12)}
    assert all((d.hour, d.minute) == (17, 0) and d.weekday() < 5 for d in deadlines.values())
    assert r.missions.count() == history.missions.count() and r.participations.count() == 116
    assert r.participations.filter(needs_coaching=True).count() == 21  # proposed by the FY2567 results
    assert r.framework.code.startswith("provisional-") or r.framework.fiscal_year == 2570
    # created through create_round: one history event per created object
    assert AuditEvent.objects.filter(action="milestone.create").count() == 3
    assert AuditEvent.objects.filter(action="participation.create").count() == 116


def test_stakeholder_data_follows_the_progress_and_responses_stop_at_the_load_day(loaded, client):
    r = loaded
    stake = {p.agency_id: p.status for p in Progress.objects.filter(milestone__round=r, milestone__code="stakeholders")}
    data = {d.agency_id: d for d in StakeholderData.objects.filter(round=r)}
    assert set(data) == set(stake)  # no data where the agency has not started
    assert all(data[a].locked == (s == Status.APPROVED) for a, s in stake.items())
    counts = ResponseCount.objects.filter(round=r)
    days = sorted(set(counts.values_list("on_date", flat=True)))
    assert days and days[0] == dt.date(2027, 2, 25) and days[-1] <= LOAD_DAY.date()  # 14 days to the load day
    collecting = set(Progress.objects.filter(milestone__round=r, milestone__code="iit-eit")
                     .values_list("agency_id", flat=True))
    assert set(counts.values_list("agency_id", flat=True)) <= collecting
    # the secretariat's follow-up page of the round shows them
    with time_machine.travel(LOAD_DAY, tick=False):
        client.force_login(get_user_model().objects.get(username="secretariat"))
        response = client.get(reverse("surveys:followup", args=[r.pk]))
    assert response.status_code == 200
    assert response.context["followup"].rows and any(
        c.count for row in response.context["followup"].rows for c in row.cells.values())


def test_late_agencies_and_open_work(loaded):
    r = loaded
    stake = r.milestones.get(code="stakeholders")
    done = Progress.objects.filter(milestone=stake, status=Status.APPROVED).count()
    assert 70 <= done <= 105  # most, not all: the others are late
    oit = r.milestones.get(code="oit")
    assert Progress.objects.filter(milestone=oit, status=Status.IN_PROGRESS).count() > 20
    rows = Progress.objects.filter(milestone__round=r)
    assert all(p.note.startswith(DEMO_MARKER) for p in rows)
    assert all(p.updated_at < min(LOAD_DAY, p.milestone.deadline) for p in rows)


def test_idempotent_even_on_a_later_day(loaded):
    r = loaded
    deadlines = list(r.milestones.values_list("deadline", flat=True))
    progress = Progress.objects.filter(milestone__round=r).count()
    with time_machine.travel(LOAD_DAY + dt.timedelta(days=40), tick=False):
        counts = load_demo()
    assert counts["current_rounds"]["created"] == 0 and counts["current_progress"]["created"] == 0
    assert list(r.milestones.values_list("deadline", flat=True)) == deadlines
    assert Progress.objects.filter(milestone__round=r).count() == progress


def test_secretariat_lands_on_fy2570(loaded, client):
    user = get_user_model().objects.get(username="secretariat")
    with time_machine.travel(LOAD_DAY, tick=False):
        client.force_login(user)
        response = client.get(reverse("home"))
        assert response["Location"] == reverse("round_dashboard", args=[loaded.pk])
        assert client.get(response["Location"]).status_code == 200
