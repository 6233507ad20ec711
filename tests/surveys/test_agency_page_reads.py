"""The agency's stakeholder page reads its own data once (deadline day, docs/benchmarks.md "The OIT workspace and
the stakeholder page"): the follow-up built from the rows the page read (its counts, its stakeholder data) is the
follow-up built from queries; a save that changes nothing of the progress skips ``set_progress`` but keeps its
refusal in a closed round."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from itadesk.core.services import Refused
from itadesk.cycles.models import Milestone, Progress, Round, Status
from itadesk.cycles.selectors import participants
from itadesk.registry.models import Agency
from itadesk.surveys import selectors
from itadesk.surveys import services as surveys
from itadesk.surveys.models import StakeholderData


def comparable(fu):
    return [(r.id, r.name, r.district, r.kind_label, r.stake_status, r.stake_late, r.internal, r.external,
             r.stake_label, {code: (c.count, c.on_date, c.minimum, c.trend, c.pace, c.gap, c.below)
                             for code, c in r.cells.items()}) for r in fu.rows]


@pytest.mark.parametrize("with_data", [True, False])
def test_the_follow_up_from_the_rows_read_is_the_follow_up_from_queries(world, with_data):
    w = world
    today = selectors.today()
    if with_data:
        surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=40,
                                  external_people=1200)
    codes = [i.code for i in selectors.instruments(w.round)]
    # counts before the trend window, inside it, corrected on the same day, and of another agency
    for days_ago, n in [(60, 3), (20, 8), (9, 15), (3, 21), (1, 30)]:
        surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1,
                                 on_date=today - dt.timedelta(days=days_ago), counts={codes[0]: n})
    surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=today - dt.timedelta(days=3),
                             counts={codes[0]: 25, codes[-1]: 7})
    other = participants(w.round).pop()
    if other.id != w.sao1.pk:
        surveys.record_responses(actor=w.admin_a, round=w.round, agency=Agency.objects.get(pk=other.id),
                                 on_date=today, counts={codes[0]: 99})
    row = participants(w.round, Agency.objects.filter(pk=w.sao1.pk))
    queried = selectors.followup(w.round, row, trend_days=28)
    data = StakeholderData.objects.filter(round=w.round, agency=w.sao1).first()
    history = selectors.agency_history(w.round, w.sao1)
    given = selectors.followup(
        w.round, row, trend_days=28, count_rows=[c for cs in history.values() for c in cs],
        stakeholders={w.sao1.pk: {"agency_id": w.sao1.pk, "state": data.state, "internal_count": data.internal_count,
                                  "external_people": data.external_people,
                                  "external_organizations": data.external_organizations,
                                  "approved_late": data.approved_late}} if data else {})
    assert comparable(given) == comparable(queried)
    assert any(c.trend and c.count for c in queried.rows[0].cells.values())  # the window was not empty


def test_the_page_shows_the_agencys_counts(world, client):
    w = world
    code = selectors.instruments(w.round)[0].code
    surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=selectors.today(),
                             counts={code: 321})
    client.force_login(w.admin_a)
    html = client.get(reverse("surveys:agency", args=[w.round.pk, w.sao1.pk])).content.decode()
    assert "321" in html and w.sao1.name_th in html


def test_a_second_save_changes_no_progress_and_is_refused_in_a_closed_round(world):
    w = world
    assert Milestone.objects.filter(round=w.round, code=selectors.STAKEHOLDERS_MILESTONE).exists()
    surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=40, external_people=10)
    progress = Progress.objects.get(agency=w.sao1, milestone__code=selectors.STAKEHOLDERS_MILESTONE)
    assert progress.status == Status.IN_PROGRESS
    stamp = progress.updated_at
    surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=41, external_people=10)
    progress.refresh_from_db()
    assert (progress.status, progress.updated_at) == (Status.IN_PROGRESS, stamp)
    Round.objects.filter(pk=w.round.pk).update(state=Round.State.CLOSED)
    with pytest.raises(Refused):
        surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=42,
                                  external_people=10)
    assert StakeholderData.objects.get(round=w.round, agency=w.sao1).internal_count == 41
