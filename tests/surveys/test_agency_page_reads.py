"""The agency's stakeholder page reads its own data once (deadline day, docs/benchmarks.md "The OIT workspace and
the stakeholder page"): the follow-up built from the rows the page read (its counts, its stakeholder data) is the
follow-up built from queries; a save that changes nothing of the progress skips ``set_progress`` but keeps its
refusal in a closed round."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from django.urls import reverse

from itadesk.core.services import Refused
from itadesk.core.thai import format_date
from itadesk.cycles.models import Milestone, Participation, Progress, Round, Status
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



def test_the_kept_milestones_show_a_changed_deadline_on_the_next_load(world, client, page_cache_counts):
    """The page keeps its round's milestones under the data versions (second round of the deadline-day work): a
    deadline moved or a milestone removed shows on the very next load."""
    w = world
    client.force_login(w.admin_a)
    url = reverse("surveys:agency", args=[w.round.pk, w.sao1.pk])
    counts = page_cache_counts("surveys-milestones")
    first = client.get(url).content.decode()
    responses, stakeholders = format_date(w.m3.deadline), format_date(w.m1.deadline)
    assert responses in first and stakeholders in first
    client.get(url)
    assert counts() == (1, 1)  # the second load from the kept copy
    w.m3.deadline += dt.timedelta(days=40)
    w.m3.save()
    page = client.get(url).content.decode()
    assert format_date(w.m3.deadline) in page and responses not in page
    w.m1.delete()
    page = client.get(url).content.decode()
    assert stakeholders not in page and format_date(w.m3.deadline) in page
    assert counts() == (1, 3)


@pytest.mark.parametrize("entered_before", [False, True])
def test_a_save_for_an_agency_not_in_the_round_is_refused_first(world, entered_before):
    """The save reads its row and the participation in one query (when the row exists): an agency that does not take
    part is refused as before, before its values are looked at, and nothing is written."""
    w = world
    if entered_before:
        surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=40, external_people=1)
    Participation.objects.filter(round=w.round, agency=w.sao1).delete()
    for count in (41, 0):  # valid values, then values that would be refused for themselves
        with pytest.raises(Refused, match="does not take part|ไม่ได้อยู่ใน"):
            surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=count,
                                      external_people=1)
    assert list(StakeholderData.objects.filter(agency=w.sao1).values_list("internal_count", flat=True)) == (
        [40] if entered_before else [])


def test_the_kept_counts_and_names_show_a_change_on_the_next_load(world, client, page_cache_counts):
    """The page keeps the agency's counts (with who entered them) and the names of who entered and approved its data
    under the data versions: a count recorded or corrected and a person renamed show on the very next load."""
    w = world
    code = selectors.instruments(w.round)[0].code
    surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=40, external_people=9)
    surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=selectors.today(),
                             counts={code: 321})
    client.force_login(w.exec_a)
    url = reverse("surveys:agency", args=[w.round.pk, w.sao1.pk])
    history, names = page_cache_counts("surveys-history"), page_cache_counts("surveys-names")
    page = client.get(url).content.decode()
    assert '<td class="text-end">321</td>' in page
    client.get(url)
    assert history() == (1, 1) and names() == (1, 1)  # the second load from the kept copies
    surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=selectors.today(),
                             counts={code: 4321})
    page = client.get(url).content.decode()
    assert '<td class="text-end">4321</td>' in page and '<td class="text-end">321</td>' not in page
    w.admin_a.first_name, w.admin_a.last_name = "สมศรี", "ใจดี"
    w.admin_a.save()
    page = client.get(url).content.decode()
    assert page.count("สมศรี ใจดี") == 2  # who entered the data and the count (the log keeps the name recorded)
    surveys.approve_stakeholders(actor=w.exec_a, round=w.round, agency=w.sao1)
    w.exec_a.first_name = "ผู้บริหาร"
    w.exec_a.save()
    assert "ผู้บริหาร · " in client.get(url).content.decode()  # approved by


def test_the_kept_counts_hold_no_password_hash(world):
    """The page keeps the agency's counts in the cache (Redis in production) with who entered them: the person's
    name, never the password hash."""
    w = world
    codes = [i.code for i in selectors.instruments(w.round)]
    surveys.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=selectors.today(),
                             counts={codes[0]: 12})
    w.admin_a.refresh_from_db()
    assert w.admin_a.password
    history = selectors.agency_history(w.round, w.sao1)
    entered = history[codes[0]][0].entered_by
    assert (entered.get_full_name() or entered.username) == (w.admin_a.get_full_name() or w.admin_a.username)
    assert w.admin_a.password.encode() not in pickle.dumps(history)
