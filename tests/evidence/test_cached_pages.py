"""The cached pages (core.versions): the province and office dashboards, the office's pre-review queue and
the agency's OIT workspace show every write of the services that feed them on the very next load, whoever
made it; what one person may see or do is never shown to another; a warm page costs a few queries
whatever the number of agencies. The mechanism itself: tests/core/test_versions.py."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from itadesk.core import versions
from itadesk.core.thai import format_countdown
from itadesk.cycles import services as cycles_services
from itadesk.cycles.models import Participation
from itadesk.evidence import services, snapshots
from itadesk.evidence.models import EvidenceItem, State
from itadesk.registry.models import Agency, AgencyKind
from itadesk.surveys import services as survey_services
from tests.evidence.oit_world import decide_all, fill, setup_oit, to_submitted
from tests.world import build_world


@pytest.fixture
def w(world, monkeypatch):
    setup_oit(world)
    monkeypatch.setattr(snapshots, "schedule", lambda ids, reason: None)  # no checker in these tests
    return world


def text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def workspace_url(w):
    return reverse("evidence:workspace", args=[w.round.pk, w.sao1.pk])


def queue_url(w):
    return reverse("evidence:queue", args=[w.round.pk, w.nacc.pk])


def office_url(w):
    return reverse("office_dashboard", args=[w.round.pk, w.local.pk])


def province_url(w):
    return reverse("round_dashboard", args=[w.round.pk])


def count_in(html: str, testid: str) -> str:
    return re.search(rf'data-testid="{testid}">(\d+)<', html).group(1)


# --------------------------------------------------------------------------- each write shows on the next load


def test_the_workspace_shows_each_step_of_the_workflow_at_once(w, client):
    client.force_login(w.admin_a)
    assert "https://kaewmethee.go.th/new-page" not in text(client, workspace_url(w))
    text(client, workspace_url(w))  # now from the cache
    fill(w, "o1", urls=("https://kaewmethee.go.th/new-page",))  # the admin saves an item
    html = text(client, workspace_url(w))
    assert "https://kaewmethee.go.th/new-page" in html
    assert 'data-testid="approved-count">0<' in html
    [item] = to_submitted(w, ["o3"])  # the executive approves and sends
    html = text(client, workspace_url(w))
    assert 'data-testid="item-o3"' in html and count_in(html, "approved-count") == "0"
    assert re.search(r'data-testid="item-o3".*?Submitted for pre-review|data-testid="item-o3".*?ส่งตรวจ', html)
    services.review_item(actor=w.reviewer, item=item, decisions=decide_all(item), outcome="approve")  # the reviewer
    assert count_in(text(client, workspace_url(w)), "approved-count") == "1"


def test_the_queue_shows_a_submission_and_a_review_at_once(w, client):
    client.force_login(w.reviewer)
    assert 'data-testid="queue-empty"' in text(client, queue_url(w))
    [item] = to_submitted(w, ["o1"])
    html = text(client, queue_url(w))
    assert f'data-testid="queue-{w.sao1.pk}-o1"' in html
    text(client, queue_url(w))  # cached
    services.review_item(actor=w.reviewer, item=item, decisions=decide_all(item), outcome="approve")
    html = text(client, queue_url(w))
    assert f'data-testid="queue-{w.sao1.pk}-o1"' not in html and 'data-testid="queue-empty"' in html
    assert f'data-testid="queue-{w.sao1.pk}-o1"' in text(client, queue_url(w) + "?state=approved")


def test_the_dashboards_show_progress_and_stakeholder_data_at_once(w, client):
    client.force_login(w.secretariat)
    before = text(client, province_url(w))
    text(client, province_url(w))
    cycles_services.set_progress(actor=w.secretariat, agency=w.sao1, milestone=w.m2, status="done")
    after = text(client, province_url(w))
    assert after != before
    done = re.search(r'data-testid="milestone-oit".*?data-testid="done-count"><strong>(\d+)</strong>', after).group(1)
    assert done == "1"

    client.force_login(w.local_officer)
    html = text(client, office_url(w))
    stake = re.search(r'data-testid="stake-counts">.*?</div>', html).group(0)
    survey_services.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=30,
                                      external_people=400)
    assert re.search(r'data-testid="stake-counts">.*?</div>', text(client, office_url(w))).group(0) != stake


def test_an_oit_approval_shows_on_the_dashboards_consistency_check(w, client):
    """The dashboards compare the OIT items approved in ITA Desk with the agency's declaration: a reviewer's
    pass (a tracked write of the round) reaches them."""
    client.force_login(w.secretariat)
    items = to_submitted(w, ["o1"])
    first = text(client, province_url(w))
    EvidenceItem.objects.filter(pk=items[0].pk).update(state=State.DRAFT)  # a bulk write: bumps everything
    assert text(client, province_url(w)) != first


def test_a_bulk_update_that_bypasses_the_services_is_seen_too(w, client):
    client.force_login(w.admin_a)
    fill(w, "o1")
    assert "https://elsewhere.example/x" not in text(client, workspace_url(w))
    EvidenceItem.objects.filter(agency=w.sao1, item_code="o1").update(urls=["https://elsewhere.example/x"])
    assert "https://elsewhere.example/x" in text(client, workspace_url(w))
    with connection.cursor() as cursor:  # raw SQL as well
        cursor.execute(f"UPDATE {EvidenceItem._meta.db_table} SET explanation = %s WHERE agency_id = %s",
                       ["หน้าใหม่ทั้งหมด", w.sao1.pk])
    assert "หน้าใหม่ทั้งหมด" in text(client, workspace_url(w))


# --------------------------------------------------------------------------- what one may see or do


def test_a_cached_workspace_keeps_each_persons_buttons(w, client):
    fill(w, "o1")
    client.force_login(w.admin_a)
    assert 'data-testid="edit-o1"' in text(client, workspace_url(w))
    client.force_login(w.reviewer)  # the same data, another person: no edit buttons
    html = text(client, workspace_url(w))
    assert 'data-testid="edit-o1"' not in html
    client.force_login(w.admin_a)
    assert 'data-testid="edit-o1"' in text(client, workspace_url(w))


def test_a_cached_queue_is_keyed_by_who_may_review(w, client):
    to_submitted(w, ["o1"])
    client.force_login(w.reviewer)
    assert f'data-testid="review-{w.sao1.pk}-o1"' in text(client, queue_url(w))
    client.force_login(w.secretariat)  # sees the queue, does not review for the office
    html = text(client, queue_url(w))
    assert f'data-testid="queue-{w.sao1.pk}-o1"' in html and f'data-testid="review-{w.sao1.pk}-o1"' not in html


def test_other_agencies_workspace_is_not_served_from_the_cache(w, client):
    client.force_login(w.admin_a)
    text(client, workspace_url(w))
    client.force_login(w.admin_b)  # another agency's admin: the first agency's workspace stays closed
    assert client.get(workspace_url(w)).status_code == 404


# --------------------------------------------------------------------------- cost


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("who,page", [("secretariat", province_url), ("local_officer", office_url),
                                      ("reviewer", queue_url), ("admin_a", workspace_url)])
def test_a_warm_page_costs_the_same_few_queries_whatever_the_number_of_agencies(w, client, who, page):
    to_submitted(w, ["o1"])
    client.force_login(getattr(w, who))
    url = page(w)
    client.get(url)
    warm = _queries(client, url)
    assert warm <= 14
    for n in range(12):
        a = Agency.objects.create(province=w.province, district=w.d2, kind=AgencyKind.SAO, name_th=f"อบต.ทดสอบ{n}")
        Participation.objects.create(round=w.round, agency=a)
        EvidenceItem.objects.create(round=w.round, agency=a, item_code="o1", answer="has",
                                    urls=["https://example.go.th/"], state=State.SUBMITTED)
    client.get(url)  # the writes gave new versions: computed again
    assert _queries(client, url) == warm


# --------------------------------------------------------------------------- a reader during a write


@pytest.mark.django_db(transaction=True)
def test_a_page_read_while_a_write_is_uncommitted_is_not_served_after_the_commit(client):
    """A reader that loads the page after the write's first (in-transaction) bump but before its commit
    stores the old page under that version; the bump after the commit makes it unreachable."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's test database locks a reader out while a write is uncommitted: no such reader")
    w = build_world()
    setup_oit(w)
    fill(w, "o1", urls=("https://kaewmethee.go.th/before",))
    client.force_login(w.admin_a)
    assert "/before" in text(client, workspace_url(w))
    seen = {}

    def reader():
        try:
            other = Client()
            other.force_login(w.admin_a)
            seen["html"] = other.get(workspace_url(w)).content.decode()
        finally:
            connection.close()

    with transaction.atomic():
        fill(w, "o1", urls=("https://kaewmethee.go.th/after",))
        thread = threading.Thread(target=reader)
        thread.start()
        thread.join(30)
    assert "/before" in seen["html"]  # the other connection could not see the uncommitted write
    html = text(client, workspace_url(w))
    assert "/after" in html and "/before" not in html


def test_a_cached_dashboard_shows_the_link_to_people_only_to_who_may_manage_them(w, client):
    url = reverse("office_dashboard", args=[w.round.pk, w.nacc.pk])
    client.force_login(w.nacc_officer)
    assert 'data-testid="people-link"' in text(client, url)
    client.force_login(w.reviewer)  # the same office's dashboard; a reviewer does not manage people
    html = text(client, url)
    assert 'data-testid="reminder-reach"' in html and 'data-testid="people-link"' not in html


@pytest.mark.parametrize("who,page", [("secretariat", province_url), ("local_officer", office_url),
                                      ("reviewer", queue_url), ("admin_a", workspace_url)])
def test_what_a_page_caches_reads_no_table_whose_writes_bump_nothing(w, client, monkeypatch, who, page):
    """core.versions.IGNORED lists the tables whose writes give no new version: no cached part may read them."""
    to_submitted(w, ["o1"])
    real = versions.cached
    sql = []

    def watching(name, parts, scopes, compute, **kw):
        def traced():
            with CaptureQueriesContext(connection) as ctx:
                value = compute()
            sql.extend(q["sql"] for q in ctx.captured_queries)
            return value
        return real(name, parts, scopes, traced, **kw)

    monkeypatch.setattr(versions, "cached", watching)
    client.force_login(getattr(w, who))
    assert client.get(page(w)).status_code == 200
    assert sql
    read = {t for q in sql for t in versions.IGNORED if f'"{t}"' in q}
    assert not read


def test_a_cached_workspace_shows_the_countdown_of_the_minute_and_the_deadline_once_passed(w, client,
                                                                                          page_cache_counts):
    """The workspace is kept across minutes (its key holds the deadlines passed and the Bangkok day, not the
    minute): each load from the cache shows the countdown of its own minute, and the deadline passing is a new
    page."""
    deadline = w.m2.deadline  # the OIT milestone
    client.force_login(w.admin_a)
    counts = page_cache_counts("oit_workspace")
    shown = []
    for ahead in (dt.timedelta(days=2, hours=3), dt.timedelta(days=2, hours=2, minutes=59),
                  dt.timedelta(hours=20), dt.timedelta(minutes=-5)):
        with time_machine.travel(deadline - ahead, tick=False):
            html = text(client, workspace_url(w))
            countdown = re.search(r'<span class="countdown( overdue)?" data-deadline="[^"]+" data-lang="th">([^<]*)<',
                                  html)
            assert countdown[2] == format_countdown(ahead, lang="th")
            shown.append((countdown[2], bool(countdown[1]), counts()))
    assert len({s[0] for s in shown}) == 4  # four different countdowns, each of its minute
    # (hits, misses) after each load: computed, then the next minute from the cache, a later day computed
    # again (the day is in the key), past the deadline computed again and marked overdue
    assert [s[2] for s in shown] == [(0, 1), (1, 1), (1, 2), (1, 3)]
    assert [s[1] for s in shown] == [False, False, False, True]
