"""SQL queries per request of the deadline-day pages (docs/benchmarks.md "Deadline day"): the OIT item page
and its form, the executive's approval page and its form, the review page and its form. Each has an upper
bound, and the count must not grow with the number of agencies, offices or items in the province: a page
that starts reading per agency or per office (an N+1) fails here before it slows deadline day."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from itadesk.core import versions
from itadesk.cycles.models import Participation
from itadesk.evidence.models import EvidenceItem, ItemExample, State
from itadesk.notifications.models import Notification
from itadesk.registry.models import Agency, AgencyKind, OversightRule, SupervisingOffice
from tests.evidence.oit_world import decide_all, fill, setup_oit, to_submitted

# Upper bounds (the test world, SQLite and PostgreSQL alike): session, user, second-factor device, round, scope,
# agency, then the page's own reads and the round switcher. Measured in December 2026 after the deadline-day
# work (before it: 24 / 30 / 28 / 34 / 40 on the national bench data, bench/pages.py), tightened to the counts
# after the heavy writes were cut (7 December 2026; docs/benchmarks.md "The heavy writes"), and again after the
# item page family's cuts (docs/benchmarks.md "The OIT item page family": the examples and the following offices
# kept under the data versions, the item form's save without a read before it, the approval page without the
# workspace's reviews, examples and score). The approval form approves and sends three items, to the three
# offices that follow the agency (a few queries per office). Tightened again after the OIT item family's reads
# (docs/benchmarks.md "The OIT item family's pages": no findings read for an item without a snapshot), and after the
# workflow's writes were cut (docs/benchmarks.md "The evidence workflow's writes": approve and send in one UPDATE and
# one INSERT per table, the participation read with the locked items, the LINE accounts and groups in one query):
# item form 8 → 7, approval form 32 → 19.
BOUNDS = {"item": 7, "item_post": 7, "approve": 3, "review": 8, "review_post": 20, "approve_post": 19}


@pytest.fixture
def w(world):
    setup_oit(world)
    for code in ("o1", "o3"):  # examples of the office that follows every agency (so the offices are asked)
        ItemExample.objects.create(round=world.round, office=world.nacc, item_code=code, text="หน้าตัวอย่าง",
                                   url=f"https://example.test/{code}")
    return world


def grow(w, agencies=12, offices=3):
    """More of everything that should not matter to one agency's page: agencies with items (in every state),
    offices that follow them, with examples."""
    start = SupervisingOffice.objects.count()
    for n in range(start, start + offices):
        office = SupervisingOffice.objects.create(province=w.province, code=f"extra-{n}", name_th=f"สำนักงาน {n}",
                                                  order=10 + n, email=f"extra-{n}@example.test")
        OversightRule.objects.create(office=office, kinds=[AgencyKind.SAO])
        ItemExample.objects.create(round=w.round, office=office, item_code="o1", text=f"ตัวอย่าง {n}",
                                   url=f"https://example.test/{n}")
    start = Agency.objects.count()
    for n in range(start, start + agencies):
        agency = Agency.objects.create(province=w.province, district=w.d2, kind=AgencyKind.SAO,
                                       name_th=f"อบต.ทดสอบ {n}")
        Participation.objects.create(round=w.round, agency=agency)
        for code, state in [("o1", State.DRAFT), ("o2", State.SUBMITTED), ("o3", State.APPROVED)]:
            EvidenceItem.objects.create(round=w.round, agency=agency, item_code=code, answer="has",
                                        urls=[f"https://example.test/a{n}/{code}"], state=state)


def _queries(fn) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries]


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code in (200, 302), response.status_code
    return len(ctx.captured_queries)


def both(w, fn, setup=lambda: None, **growth) -> tuple[int, int]:
    """Queries of ``fn`` on the test world, then after ``grow``; ``setup`` runs (untimed) before each."""
    setup()
    fn()  # warm: content types and the framework cache, as in a running server
    setup()
    small = count(fn)
    grow(w, **growth)
    setup()
    fn()  # warm again: the growth changed the data, so the set-up kept under the data versions is read afresh
    setup()
    return small, count(fn)


def test_item_page(w, client):
    fill(w, "o1")
    client.force_login(w.admin_a)
    url = reverse("evidence:item", args=[w.round.pk, w.sao1.pk, "o1"])
    small, grown = both(w, lambda: client.get(url))
    assert small == grown <= BOUNDS["item"]


def test_item_form(w, client):
    item = fill(w, "o1")
    client.force_login(w.admin_a)
    url = reverse("evidence:item", args=[w.round.pk, w.sao1.pk, "o1"])
    sent = []

    def post():
        sent.append(1)
        revision = EvidenceItem.objects.get(pk=item.pk).revision
        return client.post(url, {"answer": "has", "urls": f"https://kaewmethee.go.th/s/{len(sent)}",
                                 "explanation": "เมนูเกี่ยวกับเรา", "revision": revision})

    # The revision read happens inside the timing: subtract it.
    small, grown = both(w, post)
    assert small == grown <= BOUNDS["item_post"] + 1
    assert EvidenceItem.objects.get(pk=item.pk).urls == [f"https://kaewmethee.go.th/s/{len(sent)}"]


def test_approval_page(w, client):
    for code in ("o1", "o2", "o3"):
        fill(w, code, urls=(f"https://kaewmethee.go.th/{code}",))
    client.force_login(w.exec_a)
    url = reverse("evidence:approve", args=[w.round.pk, w.sao1.pk])
    small, grown = both(w, lambda: client.get(url))
    assert small == grown <= BOUNDS["approve"]


def test_approval_form_does_not_read_per_agency_or_per_office(w, client):
    """Approving and sending reads and writes a fixed number of queries, whatever the number of agencies, of
    items and of the offices that follow the agency (the items change in one UPDATE a step, their log and audit
    in one INSERT each; every office's digest is addressed with one read of LINE links and one of choices, and
    all the outbox rows written in one INSERT)."""
    codes = ("o1", "o2", "o3")
    for code in codes:
        fill(w, code, urls=(f"https://kaewmethee.go.th/{code}",))
    client.force_login(w.exec_a)
    url = reverse("evidence:approve", args=[w.round.pk, w.sao1.pk])

    def back_to_draft():
        EvidenceItem.objects.filter(round=w.round, agency=w.sao1).update(state=State.DRAFT, submitted_at=None)

    def post():
        return client.post(url, {"item": list(codes), "submit": "1"})

    small, grown = both(w, post, back_to_draft, offices=3)
    assert small == grown
    assert Notification.objects.filter(kind="oit_submitted", office__code__startswith="extra-").exists()
    assert EvidenceItem.objects.filter(agency=w.sao1, state=State.SUBMITTED).count() == 3
    back_to_draft()
    one = count(lambda: client.post(url, {"item": ["o1"], "submit": "1"}))
    assert small == one <= BOUNDS["approve_post"]  # a further item costs no query


def test_review_page_and_form(w, client):
    to_submitted(w, ("o1",))
    item = EvidenceItem.objects.get(agency=w.sao1, item_code="o1")
    client.force_login(w.reviewer)
    url = reverse("evidence:review", args=[w.round.pk, w.sao1.pk, "o1"])
    small, grown = both(w, lambda: client.get(url))
    assert small == grown <= BOUNDS["review"]

    def resubmit():
        EvidenceItem.objects.filter(pk=item.pk).update(state=State.SUBMITTED, reviewed_at=None)

    data = {f"decision-{c}": d for c, (d, _n) in decide_all(item).items()} | {"outcome": "approve"}
    resubmit()
    client.post(url, data)  # warm
    resubmit()
    small = count(lambda: client.post(url, data))
    grow(w, agencies=6, offices=2)
    resubmit()
    grown = count(lambda: client.post(url, data))
    assert small == grown <= BOUNDS["review_post"]
    assert EvidenceItem.objects.get(pk=item.pk).state == State.APPROVED


def test_item_page_of_a_round_without_examples_does_not_ask_which_offices_follow(world, client):
    setup_oit(world)
    fill(world, "o1")
    client.force_login(world.admin_a)
    url = reverse("evidence:item", args=[world.round.pk, world.sao1.pk, "o1"])
    client.get(url)
    without = count(lambda: client.get(url))
    assert without <= BOUNDS["item"] - 2
    versions.bump("global")  # everything read afresh: still no question of which offices follow
    assert not [q for q in _queries(lambda: client.get(url)) if "oversight" in q]
    ItemExample.objects.create(round=world.round, office=world.nacc, item_code="o1", text="ตัวอย่าง")
    responses = []
    asked = [q for q in _queries(lambda: responses.append(client.get(url))) if "oversight" in q]
    assert "ตัวอย่าง" in responses[0].content.decode()  # the office follows the agency: its example is shown
    assert len(asked) == 2  # the offices are asked only now (the province's rules, two queries), then kept:
    assert count(lambda: client.get(url)) == without
    ItemExample.objects.create(round=world.round, office=world.prov_office, item_code="o1", text="ไม่เกี่ยวข้อง")
    assert "ไม่เกี่ยวข้อง" not in client.get(url).content.decode()  # an office that does not follow it: not shown
