"""The round's "review" and "approved" data versions (evidence.models ``item_scopes``): an agency saving a
draft, most writes of deadline day, leaves the review queues and the dashboards cached, and a reviewer's
decision the dashboards; a write that any of them shows reaches it on the very next load."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core import versions
from itadesk.evidence import services, snapshots
from itadesk.evidence.models import (
    QUEUE_STATES,
    EvidenceItem,
    State,
    approved_scope,
    item_scopes,
    review_scope,
    state_before_save,
)
from tests.evidence.oit_world import decide_all, fill, setup_oit, to_submitted


@pytest.fixture
def w(world, monkeypatch):
    setup_oit(world)
    monkeypatch.setattr(snapshots, "schedule", lambda ids, reason: None)  # no checker in these tests
    return world


def _pages(w):
    return {
        "queue": (w.reviewer, reverse("evidence:queue", args=[w.round.pk, w.nacc.pk])),
        "returned tab": (w.reviewer, reverse("evidence:queue", args=[w.round.pk, w.nacc.pk]) + "?state=returned"),
        "province dashboard": (w.secretariat, reverse("round_dashboard", args=[w.round.pk])),
        "office dashboard": (w.local_officer, reverse("office_dashboard", args=[w.round.pk, w.local.pk])),
    }


def _load(client, who, url) -> tuple[str, int]:
    client.force_login(who)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode()), len(ctx)


def _warm(client, pages) -> dict[str, tuple[str, int]]:
    for who, url in pages.values():
        _load(client, who, url)
    return {name: _load(client, who, url) for name, (who, url) in pages.items()}


def test_a_draft_saved_as_a_draft_leaves_the_queues_and_dashboards_cached(w, client):
    to_submitted(w, ["o1"])
    fill(w, "o2")
    pages = _pages(w)
    warm = _warm(client, pages)
    fill(w, "o2", urls=("https://kaewmethee.go.th/another",))  # the agency's admin saves a draft again
    for name, (who, url) in pages.items():
        html, queries = _load(client, who, url)
        assert queries == warm[name][1], f"{name} was computed again after a draft's save"
    # the agency's own workspace is not one of them: it shows the draft at once
    client.force_login(w.admin_a)
    assert "/another" in client.get(reverse("evidence:workspace", args=[w.round.pk, w.sao1.pk])).content.decode()


def test_an_item_leaving_its_draft_reaches_them_at_once(w, client):
    fill(w, "o3", urls=("https://kaewmethee.go.th/o3",))
    pages = _pages(w)
    warm = _warm(client, pages)
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o3"])
    services.submit_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o3"])
    html, queries = _load(client, *pages["queue"])
    assert f'data-testid="queue-{w.sao1.pk}-o3"' in html and queries > warm["queue"][1]
    for name in ("province dashboard", "office dashboard"):
        assert _load(client, *pages[name])[1] > warm[name][1], f"{name} was served from the cache"


def test_a_reviewers_decision_leaves_the_dashboards_cached_and_reaches_the_queue(w, client):
    [item] = to_submitted(w, ["o1"])
    pages = _pages(w)
    warm = _warm(client, pages)
    services.review_item(actor=w.reviewer, item=item, decisions=decide_all(item), outcome="approve")
    for name in ("province dashboard", "office dashboard"):
        assert _load(client, *pages[name])[1] == warm[name][1], f"{name} was computed again after a review"
    html, queries = _load(client, *pages["queue"])
    assert f'data-testid="queue-{w.sao1.pk}-o1"' not in html and queries > warm["queue"][1]


def test_a_returned_item_edited_by_its_agency_leaves_the_returned_tab_at_once(w, client):
    [item] = to_submitted(w, ["o1"])
    services.review_item(actor=w.reviewer, item=item, decisions=decide_all(item, "not_met"), outcome="return",
                         comment="ลิงก์ไม่ตรงกับหน้าที่มีข้อมูล")
    pages = _pages(w)
    row = f'data-testid="queue-{w.sao1.pk}-o1"'
    assert row in _warm(client, pages)["returned tab"][0]
    warm = _warm(client, pages)
    fill(w, "o1", urls=("https://kaewmethee.go.th/fixed",))  # returned → draft: a write of a draft
    assert EvidenceItem.objects.get(pk=item.pk).state == State.DRAFT
    assert row not in _load(client, *pages["returned tab"])[0]
    for name in ("province dashboard", "office dashboard"):  # one item fewer past its draft
        assert _load(client, *pages[name])[1] > warm[name][1], f"{name} was served from the cache"


@pytest.mark.parametrize("read", ["whole", "without state", "built"])
def test_an_item_whose_state_before_is_not_known_bumps_both_scopes(w, read):
    fill(w, "o1")
    item = {"whole": lambda: EvidenceItem.objects.get(agency=w.sao1, item_code="o1"),
            "without state": lambda: EvidenceItem.objects.only("pk", "round", "agency").get(agency=w.sao1,
                                                                                            item_code="o1"),
            "built": lambda: EvidenceItem(pk=EvidenceItem.objects.get(agency=w.sao1, item_code="o1").pk,
                                          round=w.round, agency=w.sao1, item_code="o1")}[read]()
    scopes = [review_scope(w.round.pk), approved_scope(w.round.pk)]
    before = versions.versions(*scopes)
    item.explanation = "หน้าเดิม"
    item.save()
    after = versions.versions(*scopes)
    for scope in scopes:  # only a draft read as a draft is known to stay one
        assert (after[scope] != before[scope]) == (read != "whole"), scope


def test_deleting_an_item_bumps_what_it_was_part_of(w):
    item = EvidenceItem.objects.create(round=w.round, agency=w.sao1, item_code="o1", answer="has",
                                       urls=["https://kaewmethee.go.th/o1"], state=State.SUBMITTED)
    draft = EvidenceItem.objects.create(round=w.round, agency=w.sao1, item_code="o2")
    scopes = [review_scope(w.round.pk), approved_scope(w.round.pk)]
    before = versions.versions(*scopes)
    draft.delete()  # a draft gone: nothing a queue or a dashboard showed
    assert versions.versions(*scopes) == before
    EvidenceItem.objects.get(pk=item.pk).delete()  # a submitted item gone: both
    after = versions.versions(*scopes)
    assert all(after[s] != before[s] for s in scopes)


STATES = st.sampled_from(State.values)


@given(loaded=st.one_of(st.none(), STATES), new=STATES, adding=st.booleans(), pk=st.sampled_from([None, 12]),
       delete=st.booleans())
def test_each_scope_is_bumped_exactly_when_its_pages_could_change(loaded, new, adding, pk, delete):
    item = EvidenceItem(pk=pk, round_id=3, agency_id=7, item_code="o1", state=new)
    item._state.adding = adding
    if loaded is not None:
        item._loaded_state = loaded
    if delete:
        before, after = (loaded or "?"), State.DRAFT  # a deleted row: what a missing row means
    else:
        state_before_save(EvidenceItem, item)
        before, after = (State.DRAFT if adding and pk is None else (loaded or "?")), new
    scopes = item_scopes(item)
    assert scopes[:2] == ["round:3", "agency:7"]
    known = before != "?"
    assert (review_scope(3) in scopes) == (not known or before in QUEUE_STATES or after in QUEUE_STATES)
    assert (approved_scope(3) in scopes) == (not known or (before == State.DRAFT) != (after == State.DRAFT))
    assert item._loaded_state == new  # a later save of the same object starts from what was saved
