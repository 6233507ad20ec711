"""The office's pre-review queue and the province's queues, row by row, against an order and contents computed
here from the items themselves: several agencies (a district missing, a name to escape, two submitted at the same
moment), the round's real framework (ITAS order is not the codes' order: o2, o9, o10, o11), every tab, several
pages. Then the rows' age: Bangkok calendar days, changing at midnight in Bangkok and only then — the cached page
is kept across the day and computed afresh exactly at midnight."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core.thai import format_date
from itadesk.cycles.models import Participation
from itadesk.evidence import selectors
from itadesk.evidence.models import EvidenceItem, State
from itadesk.methodology.schema import FRAMEWORKS_DIR
from itadesk.methodology.services import install_framework, set_round_framework
from itadesk.registry.models import Agency, AgencyKind

BKK = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2025, 4, 20, 23, 0, tzinfo=BKK)  # late in the day: whole days of 24 h and calendar days agree


def at(days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
    day = NOW.date() - dt.timedelta(days=days_ago)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BKK)


@pytest.fixture
def q(world, monkeypatch):
    """The world with the NACC 2568 framework, three more local agencies and items in every state."""
    w = world
    fw, _ = install_framework(actor=None, text=(FRAMEWORKS_DIR / "nacc-ita-2568.yaml").read_text(encoding="utf-8"))
    set_round_framework(actor=None, round=w.round, framework=fw)
    w.round.refresh_from_db()
    w.codes = [ref.item["code"] for ref in selectors.oit_refs(w.round)]
    w.titles = {ref.item["code"]: selectors.title_of(ref) for ref in selectors.oit_refs(w.round)}
    w.sao3 = Agency.objects.create(province=w.province, district=None, kind=AgencyKind.SAO,
                                   name_th="องค์การบริหารส่วนตำบล A <&> \"ทดสอบ\"")
    w.sao4 = Agency.objects.create(province=w.province, district=w.d1, kind=AgencyKind.SAO,
                                   name_th="องค์การบริหารส่วนตำบล B")
    w.mun = Agency.objects.create(province=w.province, district=w.d1, kind=AgencyKind.SUBDISTRICT_MUNICIPALITY,
                                  name_th="เทศบาลตำบลนาด้วง")
    for a in (w.sao3, w.sao4, w.mun):
        Participation.objects.create(round=w.round, agency=a)

    def item(agency, code, state, submitted, answer="has", updated=None):
        return EvidenceItem.objects.create(
            round=w.round, agency=agency, item_code=code, state=state, answer=answer,
            urls=[f"https://example.go.th/{code}"], submitted_at=submitted,
            created_at=updated or submitted or at(30, 9), updated_at=updated or submitted or at(30, 9))

    S, R, A = State.SUBMITTED, State.RETURNED, State.APPROVED
    for code in ("o10", "o2", "o11", "o9"):  # one batch: ITAS order, not the codes' order
        item(w.sao1, code, S, at(5, 10))
    for agency in (w.sao4, w.sao3):  # the same moment: the agency's name decides
        item(agency, "o4", S, at(2, 14, 30), answer="has_not")
    item(w.pao, "o1", S, at(8, 9))
    item(w.pao, "o3", S, None, answer="", updated=at(1, 8))  # never submitted: its last change counts
    item(w.mun, "o7", S, at(0, 7))
    item(w.provincial, "o1", S, at(3, 11))  # followed by the NACC office, not the local one
    item(w.district_office, "o5", S, at(6, 9))
    item(w.sao2, "o1", R, at(4, 9))
    item(w.sao2, "o6", R, at(9, 16))
    item(w.mun, "o1", R, at(1, 10))
    item(w.sao4, "o1", A, at(10, 9))
    item(w.sao3, "o1", A, at(12, 9))
    item(w.sao1, "o1", State.DRAFT, None)
    item(w.sao4, "o2", State.APPROVED_BY_EXECUTIVE, None)
    monkeypatch.setattr(selectors, "QUEUE_PAGE_SIZE", 3)
    return w


class _Rows(HTMLParser):
    """The rows of a queue table: per row its test id and, per cell, its class, text, and links
    (href, test id)."""

    def __init__(self, html):
        super().__init__()
        self.rows, self._cell = [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and (a.get("data-testid") or "").startswith("queue-"):
            self.rows.append({"testid": a["data-testid"], "cells": []})
        elif tag == "td" and self.rows and self._cell is None:
            self._cell = {"class": a.get("class", ""), "text": "", "links": []}
            self.rows[-1]["cells"].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell["links"].append((a.get("href"), a.get("data-testid")))

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


def _text(cell) -> str:
    return re.sub(r"\s+", " ", cell["text"]).strip()


def expected(w, agencies, state, *, today):
    """The rows a queue must show, computed here: oldest submission (else last change) first, then the agency's
    name, then ITAS order."""
    items = [i for i in EvidenceItem.objects.filter(round=w.round, state=state).select_related("agency__district")
             if i.agency in agencies]
    items.sort(key=lambda i: (i.submitted_at or i.updated_at, i.agency.name_th, w.codes.index(i.item_code), i.pk))
    return items


def check_rows(w, html, items, *, review: bool, today):
    answers = {"has": gettext("Has"), "has_not": gettext("Has not"), "": gettext("Not answered")}
    rows = _Rows(html).rows
    assert [r["testid"] for r in rows] == [f"queue-{i.agency_id}-{i.item_code}" for i in items]
    for row, i in zip(rows, items, strict=True):
        name, district, code, answer, submitted, age, link = row["cells"]
        assert _text(name) == i.agency.name_th
        assert name["links"] == [(reverse("evidence:workspace", args=[w.round.pk, i.agency_id]), None)]
        assert _text(district) == (i.agency.district.name_th if i.agency.district else "—")
        assert _text(code) == f"{i.item_code} {w.titles[i.item_code]}"
        assert _text(answer) == answers[i.answer]
        assert _text(submitted) == (format_date(i.submitted_at) if i.submitted_at else "")
        days = (today - (i.submitted_at or i.updated_at).astimezone(BKK).date()).days
        assert _text(age) == str(days)
        assert age["class"] == "text-end " + (
            "text-danger fw-semibold" if days >= 7 else "text-warning-emphasis" if days >= 3 else "")
        args = [w.round.pk, i.agency_id, i.item_code]
        assert link["links"] == ([(reverse("evidence:review", args=args), f"review-{i.agency_id}-{i.item_code}")]
                                 if review else [(reverse("evidence:item", args=args), None)])
    return rows


def get(client, url, when=NOW) -> str:
    with time_machine.travel(when, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def pages_of(w, client, url, items, *, review):
    """Every page of a queue's tab shows its slice of ``items``, with the pager's words and links."""
    n = max(1, -(-len(items) // 3))
    state = re.search(r"state=(\w+)", url)
    for number in range(1, n + 1):
        html = get(client, f"{url}{'&' if '?' in url else '?'}page={number}")
        check_rows(w, html, items[(number - 1) * 3:number * 3], review=review, today=NOW.date())
        if n > 1:
            query = f"?state={state[1]}&amp;" if state else "?"
            assert f'<span class="page-link">{number} / {n}</span>' in html
            assert (f'href="{query}page={number - 1}"' in html) == (number > 1)
            assert (f'href="{query}page={number + 1}"' in html) == (number < n)
        else:
            assert 'data-testid="queue-pages"' not in html
    # past the end: the last page; not a number: the first
    last = get(client, f"{url}{'&' if '?' in url else '?'}page=99")
    check_rows(w, last, items[(n - 1) * 3:n * 3], review=review, today=NOW.date())
    first = get(client, f"{url}{'&' if '?' in url else '?'}page=x")
    check_rows(w, first, items[:3], review=review, today=NOW.date())


@pytest.mark.parametrize("office,who,review", [("local", "local_officer", True), ("nacc", "reviewer", True),
                                               ("nacc", "secretariat", False)])
def test_every_tab_and_page_of_an_office_queue(q, client, office, who, review):
    translation.activate("th")
    office = getattr(q, office)
    followed = set(Agency.objects.filter(office.agency_q()))
    client.force_login(getattr(q, who))
    url = reverse("evidence:queue", args=[q.round.pk, office.pk])
    counts = {}
    for state in (State.SUBMITTED, State.RETURNED, State.APPROVED):
        items = expected(q, followed, state, today=NOW.date())
        counts[state] = len(items)
        pages_of(q, client, f"{url}?state={state}", items, review=review and state == State.SUBMITTED)
    assert counts[State.SUBMITTED] >= 7 and counts[State.RETURNED] >= 2 and counts[State.APPROVED] >= 2
    html = get(client, url)  # the first tab, without ?state
    check_rows(q, html, expected(q, followed, State.SUBMITTED, today=NOW.date())[:3], review=review,
               today=NOW.date())
    tabs = re.findall(r'href="\?state=(\w+)">[^<]*<span class="badge text-bg-secondary">(\d+)</span>', html)
    assert tabs == [(s, str(counts[s])) for s in (State.SUBMITTED, State.RETURNED, State.APPROVED)]
    assert 'data-testid="check-office"' in html


def test_the_agency_name_is_escaped(q, client):
    client.force_login(q.local_officer)
    html = get(client, reverse("evidence:queue", args=[q.round.pk, q.local.pk]) + "?page=2")
    assert f'data-testid="queue-{q.sao3.pk}-o4"' in html
    assert "องค์การบริหารส่วนตำบล A &lt;&amp;&gt; &quot;ทดสอบ&quot;" in html and "<&>" not in html


def test_the_province_queues_list_every_submitted_item_and_each_office(q, client):
    translation.activate("th")
    client.force_login(q.secretariat)
    url = reverse("evidence:queues", args=[q.round.pk])
    everyone = set(Agency.objects.filter(province=q.province))
    items = expected(q, everyone, State.SUBMITTED, today=NOW.date())
    pages_of(q, client, url, items, review=False)
    html = re.sub(r"\s+", " ", get(client, url))
    n = {s: EvidenceItem.objects.filter(round=q.round, state=s).count()
         for s in (State.SUBMITTED, State.RETURNED, State.APPROVED)}
    assert (f"ทั้งจังหวัด: รอตรวจ {n['submitted']} ข้อ ส่งกลับ {n['returned']} ข้อ ผ่านการตรวจ {n['approved']} ข้อ"
            in html)
    for office in (q.local, q.nacc, q.prov_office):
        followed = set(Agency.objects.filter(office.agency_q()))
        waiting = expected(q, followed, State.SUBMITTED, today=NOW.date())
        sent = [i.submitted_at for i in waiting if i.submitted_at]
        oldest = str((NOW.date() - min(sent).astimezone(BKK).date()).days) if sent else "—"
        row = html[html.index(f'data-testid="office-{office.code}"'):]
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", row[:row.index("</tr>")])
        assert cells == [str(len(waiting)), oldest, str(len(expected(q, followed, State.RETURNED, today=None))),
                         str(len(expected(q, followed, State.APPROVED, today=None)))], office.code


# ------------------------------------------------------------------------------------------ age and the clock


@given(st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1)),
       st.integers(min_value=0, max_value=2000 * 24 * 60))
def test_age_is_the_number_of_bangkok_midnights_passed(since, minutes):
    since = since.replace(tzinfo=dt.UTC)
    now = since + dt.timedelta(minutes=minutes)
    midnights = (now.astimezone(BKK).date() - since.astimezone(BKK).date()).days
    assert selectors.age_days(since, now.astimezone(BKK).date()) == midnights
    # never more than the whole days of 24 h plus one, never fewer
    assert (now - since) // dt.timedelta(days=1) <= midnights <= (now - since) // dt.timedelta(days=1) + 1


def ages(html) -> dict[str, str]:
    return {r["testid"]: _text(r["cells"][5]) for r in _Rows(html).rows}


def test_the_age_turns_at_bangkok_midnight_and_the_cached_page_with_it(q, client, page_cache_counts):
    """Sent at 07:00 today: 0 days until midnight, 1 day from 00:00 — however few hours have passed; the page is
    kept from the cache through the day and computed afresh exactly at midnight (not at the minute)."""
    counted = page_cache_counts("oit_queue")
    client.force_login(q.local_officer)
    url = reverse("evidence:queue", args=[q.round.pk, q.local.pk]) + "?page=3"
    row = f"queue-{q.mun.pk}-o7"
    evening = NOW.replace(hour=23, minute=57)  # kept 5 minutes at most (versions.TIMEOUT): still there at 00:00
    first = ages(get(client, url, evening))
    assert first[row] == "0" and counted() == (0, 1)
    assert ages(get(client, url, NOW.replace(hour=23, minute=59, second=59))) == first  # the same day: kept
    assert counted() == (1, 1)
    midnight = dt.datetime.combine(NOW.date() + dt.timedelta(days=1), dt.time(0, 0), tzinfo=BKK)
    after = ages(get(client, url, midnight))
    assert counted() == (1, 2)  # the day changed: computed afresh
    assert after[row] == "1" and all(int(after[k]) == int(v) + 1 for k, v in first.items())
    assert ages(get(client, url, midnight + dt.timedelta(minutes=3))) == after and counted() == (2, 2)


def test_midnight_in_utc_is_not_a_new_day(q, client, page_cache_counts):
    """07:00 in Bangkok is midnight UTC: the ages and the cached page stay as they were."""
    counted = page_cache_counts("oit_queue")
    client.force_login(q.local_officer)
    url = reverse("evidence:queue", args=[q.round.pk, q.local.pk]) + "?page=3"
    morning = dt.datetime.combine(NOW.date(), dt.time(6, 58), tzinfo=BKK)
    before = ages(get(client, url, morning))
    after = ages(get(client, url, morning + dt.timedelta(minutes=4)))  # 00:02 UTC
    assert before == after and counted() == (1, 1)


def test_everyone_who_may_open_a_queue_shares_its_cached_rows(q, client, page_cache_counts):
    """The rows are the office's whoever looks (access is checked before the cache): the office's officer and
    reviewer share one computation, the secretariat and a superuser another (no review buttons); someone who
    may not open it never reaches the cache."""
    counted = page_cache_counts("oit_queue")
    url = reverse("evidence:queue", args=[q.round.pk, q.nacc.pk])
    bodies = {}
    for who in ("reviewer", "nacc_officer", "secretariat", "superuser"):
        client.force_login(getattr(q, who))
        bodies[who] = _Rows(get(client, url)).rows
    assert counted() == (2, 2)
    assert bodies["reviewer"] == bodies["nacc_officer"] and bodies["secretariat"] == bodies["superuser"]
    assert bodies["reviewer"][0]["cells"][6]["links"][0][1].startswith("review-")
    assert bodies["secretariat"][0]["cells"][6]["links"][0][1] is None
    client.force_login(q.local_officer)  # another office's officer
    with time_machine.travel(NOW, tick=False):
        assert client.get(url).status_code == 403
    assert counted() == (2, 2)


# ------------------------------------------------------------------------------ the statements compiled once


def test_an_office_queue_sends_the_orms_own_statements_and_reads_its_rows(q):
    """``OfficeQueueItems`` and ``state_counts`` of an office: for every state and slice (an empty one too) the
    rows of the ORM's queryset, by its very statement, compiled the first time and only run afterwards."""
    for office in (q.local, q.nacc, q.prov_office):
        for state in (State.SUBMITTED, State.RETURNED, State.APPROVED, State.DRAFT):
            items = selectors.OfficeQueueItems(q.round, office, state)
            for part in (slice(0, 3), slice(3, 6), slice(0, 50), slice(6, 9)):
                queryset = selectors.queue_items(q.round, office.agency_q(), states=[state])[part]
                with CaptureQueriesContext(connection) as orm:
                    expected_rows = list(queryset)
                for _ in range(2):  # the first time the office's rules are read to build it
                    with CaptureQueriesContext(connection) as ours:
                        assert items[part] == expected_rows
                    assert ours.captured_queries[-1]["sql"] == orm.captured_queries[0]["sql"]
                assert len(ours.captured_queries) == len(orm.captured_queries) == 1
            assert items[0:0] == []
        counts = selectors.state_counts(q.round, office)
        assert counts == selectors.state_counts(q.round, office.agency_q())
        assert counts[State.SUBMITTED] == len(expected(q, set(Agency.objects.filter(office.agency_q())),
                                                       State.SUBMITTED, today=None))


def test_an_office_queue_is_built_once_per_version_of_the_rules(q, monkeypatch):
    """Built and compiled once per process, round, office, state and slice while the data under "global" (the
    offices' rules, the framework) is unchanged; an item's review or submission does not change them. A change of
    the office's rules is followed by the next read."""
    built = []
    queue_items = selectors.queue_items
    monkeypatch.setattr(selectors, "queue_items", lambda *a, **k: built.append(a) or queue_items(*a, **k))
    items = selectors.OfficeQueueItems(q.round, q.local, State.SUBMITTED)
    assert items[0:50] == items[0:50] and len(built) == 1
    submitted = EvidenceItem.objects.get(agency=q.sao2, item_code="o1")
    submitted.state = State.SUBMITTED  # a save of an item: its own scopes, not "global"
    submitted.save()
    assert submitted.pk in [row[0] for row in items[0:50]] and len(built) == 1
    provincial = EvidenceItem.objects.get(agency=q.provincial, item_code="o1")
    assert provincial.pk not in [row[0] for row in items[0:50]]
    q.local.rules.first().agencies.add(q.provincial)  # the local office now follows the provincial agency too
    assert provincial.pk in [row[0] for row in items[0:50]] and len(built) == 2
    counts = selectors.state_counts(q.round, q.local)
    assert counts[State.SUBMITTED] == len([row for row in items[0:50]])


def test_without_the_data_versions_an_office_queue_is_built_every_time(q, settings, monkeypatch):
    settings.ITADESK_PAGE_CACHE = False
    built = []
    queue_items = selectors.queue_items
    monkeypatch.setattr(selectors, "queue_items", lambda *a, **k: built.append(a) or queue_items(*a, **k))
    items = selectors.OfficeQueueItems(q.round, q.nacc, State.SUBMITTED)
    assert items[0:50] == items[0:50] == list(queue_items(q.round, q.nacc.agency_q())[0:50])
    assert len(built) == 2
