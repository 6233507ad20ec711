"""After the IIT/EIT deadline the follow-up shows the final shortfall, not a pace still to reach."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from itadesk.cycles.selectors import participants
from itadesk.surveys import selectors
from tests.surveys.test_followup import fw  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_after_the_deadline_the_gap_is_final(fw):  # noqa: F811
    w = fw
    after = w.m3.deadline + dt.timedelta(days=3)
    fu = selectors.followup(w.round, participants(w.round), now=after)
    sao1 = {r.id: r for r in fu.rows}[w.sao1.pk].cells["IIT"]
    assert fu.deadline_passed and sao1.past
    assert sao1.final_shortfall == 15 and sao1.per_day_needed is None and not sao1.behind_schedule
    before = selectors.followup(w.round, participants(w.round), now=w.m3.deadline - dt.timedelta(days=3))
    cell = {r.id: r for r in before.rows}[w.sao1.pk].cells["IIT"]
    assert not before.deadline_passed and cell.final_shortfall is None and cell.per_day_needed == 5


def test_dashboard_after_the_deadline(fw, client):  # noqa: F811
    w = fw
    client.force_login(w.secretariat)
    with time_machine.travel(w.m3.deadline + dt.timedelta(days=1), tick=False):
        html = client.get(reverse("round_dashboard", args=[w.round.pk])).content.decode()
    section = html.split('data-testid="below-IIT"')[1].split("</table>")[0]
    assert "ขาด 15 คนเมื่อสิ้นกำหนด" in section and "ต่อวัน" not in section
