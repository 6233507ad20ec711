"""The dashboards' body is put together from pieces, each kept under the versions of only the round's data it reads
(cycles.views ``PIECE_READS``; the office's agency table ``TABLE_READS``): a write recomputes only the pieces that
show what it changed, and every piece shows every write that changes it on the very next load — each page after
a write is byte for byte the page computed without any cache."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from itadesk.cycles import services as cycle_services
from itadesk.cycles.models import Status
from itadesk.evidence import services as evidence_services
from itadesk.evidence import snapshots
from itadesk.evidence.selectors import oit_refs
from itadesk.surveys import services as survey_services
from itadesk.surveys.models import StakeholderData
from tests.evidence.oit_world import fill, setup_oit

BKK = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2025, 1, 20, 10, 0, tzinfo=BKK)  # before every deadline of the world's round
PIECES = ("head", "progress", "followup", "mismatches")


@pytest.fixture
def w(world, monkeypatch):
    monkeypatch.setattr(snapshots, "schedule", lambda ids, reason: None)  # no checker in these tests
    with time_machine.travel(NOW, tick=False):
        yield world


def _pages(w):
    office = reverse("office_agencies", args=[w.round.pk, w.local.pk])
    return {
        "round_dashboard": (w.secretariat, reverse("round_dashboard", args=[w.round.pk])),
        "office_dashboard": (w.local_officer, reverse("office_dashboard", args=[w.round.pk, w.local.pk])),
        "office_agencies": (w.local_officer, office + "?part=table"),
    }


def _html(client, who, url) -> str:
    client.force_login(who)
    response = client.get(url)
    assert response.status_code == 200
    # what differs between two renderings of one page: the CSRF token's mask and the CSP nonce
    return re.sub(r'(value|nonce)="[A-Za-z0-9+/=_-]{20,}"', "", response.content.decode())


class Loads:
    """The three pages loaded through the page cache, each piece's hits and misses counted."""

    def __init__(self, w, client, settings, page_cache_counts):
        self.w, self.client, self.settings = w, client, settings
        self.pages = _pages(w)
        names = [*self.pages, *(f"{page}:{piece}" for page in ("round_dashboard", "office_dashboard")
                                for piece in PIECES), "office_dashboard:agencies"]
        self.count = {name: page_cache_counts(name) for name in names}
        self.html = {name: _html(client, *page) for name, page in self.pages.items()}
        self.seen = {name: counted() for name, counted in self.count.items()}

    def again(self) -> set[str]:
        """Load the pages again; the names (pages and pieces) computed afresh since the last call. Each page is
        checked against the same page computed without the cache."""
        before = dict(self.html)
        self.html = {name: _html(self.client, *page) for name, page in self.pages.items()}
        self.settings.ITADESK_PAGE_CACHE = False
        try:
            for name, page in self.pages.items():
                assert self.html[name] == _html(self.client, *page), f"{name}: not what it shows computed afresh"
        finally:
            self.settings.ITADESK_PAGE_CACHE = True
        missed = set()
        for name, counted in self.count.items():
            now = counted()
            if now[1] > self.seen[name][1]:
                missed.add(name)
            self.seen[name] = now
        self.changed = {name for name in self.pages if self.html[name] != before[name]}
        return missed


@pytest.fixture
def loads(w, client, settings, page_cache_counts):
    return lambda: Loads(w, client, settings, page_cache_counts)


def _recomputed(pieces, pages=("round_dashboard", "office_dashboard")) -> set[str]:
    return {*pages, *(f"{page}:{piece}" for page in pages for piece in pieces)}


def test_a_stakeholder_save_recomputes_the_follow_up_and_the_checks_only(w, loads):
    cycle_services.set_progress(actor=w.admin_a, agency=w.sao1, milestone=w.m1, status=Status.DONE)
    pages = loads()
    survey_services.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=12,
                                      external_people=30)  # progress marked done by hand: left as it is
    assert pages.again() == _recomputed(["followup", "mismatches"])
    assert pages.changed == {"round_dashboard", "office_dashboard"}  # one agency's data waiting for approval
    assert pages.again() == set()


def test_stakeholder_data_approved_reaches_the_follow_up_and_the_checks(w, loads):
    survey_services.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=12,
                                      external_people=30)  # progress: in progress
    pages = loads()
    data = StakeholderData.objects.get(round=w.round, agency=w.sao1)
    data.state = StakeholderData.State.APPROVED  # approved here, not declared done: a mismatch
    data.save()
    assert pages.again() == _recomputed(["followup", "mismatches"])
    assert pages.changed == {"round_dashboard", "office_dashboard"}
    assert 'data-testid="mismatch-count">1<' in pages.html["office_dashboard"]


def test_progress_recomputes_the_milestones_the_checks_and_the_agency_table(w, loads):
    survey_services.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=12,
                                      external_people=30)
    StakeholderData.objects.filter(round=w.round, agency=w.sao1).update(state=StakeholderData.State.APPROVED)
    pages = loads()
    assert 'data-testid="mismatch-count">1<' in pages.html["office_dashboard"]
    cycle_services.set_progress(actor=w.admin_a, agency=w.sao1, milestone=w.m1, status=Status.DONE)
    assert pages.again() == _recomputed(["progress", "mismatches"]) | {"office_agencies"}
    assert pages.changed == set(pages.pages)  # counts, the mismatch gone, the table's cell
    assert 'data-testid="mismatch-count">0<' in pages.html["office_dashboard"]


def test_items_leaving_their_draft_recompute_the_checks_only(w, loads):
    setup_oit(w)
    codes = [ref.item["code"] for ref in oit_refs(w.round)]
    for code in codes:
        fill(w, code, urls=(f"https://kaewmethee.go.th/{code}",))
    pages = loads()
    evidence_services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=codes)
    assert pages.again() == _recomputed(["mismatches"])
    assert pages.changed == {"round_dashboard", "office_dashboard"}  # every item approved, OIT not declared
    assert 'data-testid="mismatch-count">1<' in pages.html["round_dashboard"]


def test_a_write_outside_the_round_s_busy_tables_recomputes_every_piece(w, loads):
    pages = loads()
    w.sao2.name_th = "องค์การบริหารส่วนตำบลท่าสวรรค์ใหม่"
    w.sao2.save()
    everything = _recomputed(PIECES) | {"office_dashboard:agencies", "office_agencies"}
    assert pages.again() == everything
    assert "ท่าสวรรค์ใหม่" in pages.html["office_agencies"]
