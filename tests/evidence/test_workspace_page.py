"""The agency's OIT workspace page as deadline day needs it (docs/benchmarks.md "The OIT workspace"): what it
keeps in the process (the framework's items per framework version and language, the elements of an item nobody
has decided or checked) is keyed by all it depends on, and its SQL queries have an upper bound that does not
grow with the province."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from itadesk.cycles.models import Participation
from itadesk.evidence import services
from itadesk.evidence.models import EvidenceItem, ItemExample, State
from itadesk.methodology.services import install_framework, set_round_framework
from itadesk.registry.models import Agency, AgencyKind, OversightRule, SupervisingOffice
from tests.evidence.oit_world import decide_all, fill, oit_framework_text, setup_oit, to_submitted

# Cold (nothing kept): session, user, second-factor device, round, scope, agency; the items, the examples and the
# offices that follow the agency, the items' decisions and findings, the milestone, the last check job; the round
# switcher. Measured 7 December 2026 on the test world: 16 before the deadline-day work on this page, 15 after
# (the last reviews are read only when an item is returned).
BOUND = 15


@pytest.fixture
def w(world):
    setup_oit(world)
    return world


def page(client, w, agency=None) -> str:
    response = client.get(reverse("evidence:workspace", args=[w.round.pk, (agency or w.sao1).pk]))
    assert response.status_code == 200
    return response.content.decode()


def card(html: str, code: str) -> str:
    """The card of item ``code`` on the workspace page."""
    start = html.index(f'data-testid="item-{code}"')
    end = html.find('data-testid="item-', start + 1)
    return html[start:end if end > 0 else len(html)]


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_queries_have_a_bound_and_do_not_grow_with_the_province(w, client, settings):
    settings.ITADESK_PAGE_CACHE = False  # cold, as the first request after a save: every part read
    for code in ("o1", "o3"):
        fill(w, code, urls=(f"https://kaewmethee.go.th/{code}",))
    ItemExample.objects.create(round=w.round, office=w.nacc, item_code="o1", text="หน้าตัวอย่าง")
    client.force_login(w.exec_a)
    page(client, w)  # warm: content types, the framework
    small = count(lambda: page(client, w))
    for n in range(3):
        office = SupervisingOffice.objects.create(province=w.province, code=f"extra-{n}", name_th=f"สำนักงาน {n}",
                                                  order=10 + n)
        OversightRule.objects.create(office=office, kinds=[AgencyKind.SAO])
        ItemExample.objects.create(round=w.round, office=office, item_code="o1", text=f"ตัวอย่าง {n}")
    for n in range(8):
        agency = Agency.objects.create(province=w.province, district=w.d2, kind=AgencyKind.SAO, name_th=f"อบต. {n}")
        Participation.objects.create(round=w.round, agency=agency)
        for code, state in [("o1", State.DRAFT), ("o3", State.RETURNED)]:
            EvidenceItem.objects.create(round=w.round, agency=agency, item_code=code, answer="has",
                                        urls=[f"https://example.test/{n}/{code}"], state=state)
    page(client, w)
    grown = count(lambda: page(client, w))
    assert small == grown <= BOUND


def test_a_decided_item_shows_its_decisions_beside_items_nobody_decided(w, client):
    to_submitted(w, ("o1", "o3"))
    o1 = EvidenceItem.objects.get(agency=w.sao1, item_code="o1")
    services.review_item(actor=w.reviewer, item=o1, decisions={"o1.1": ("met", ""), "o1.2": ("not_met", "ไม่พบ")},
                         outcome="return", comment="แก้ข้อ o1.2")
    client.force_login(w.admin_a)
    html = page(client, w)
    decided, plain = card(html, "o1"), card(html, "o3")
    assert 'data-testid="decision"' in decided and "ไม่พบ" in decided and "แก้ข้อ o1.2" in decided
    assert "bi-check-circle-fill" in decided and "bi-x-circle-fill" in decided
    assert 'data-testid="element-o3.1"' in plain and 'data-testid="decision"' not in plain
    assert "แผนปฏิบัติการป้องกันการทุจริตประจำปี" in plain and "bi-circle text-muted" in plain


def test_what_is_kept_follows_the_language(w, client):
    """The framework's labels and the undecided elements are kept per language: the Thai page first, then the
    English one shows English (fails if either is kept by framework alone)."""
    fill(w, "o1")
    client.force_login(w.admin_a)
    thai = card(page(client, w), "o1")
    assert 'title="ยังไม่พิจารณา"' in thai and "ข้อมูลปีงบประมาณ 2568" in thai
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = page(client, w)
    assert 'title="Not decided"' in card(english, "o1") and "Data of fiscal year 2568" in card(english, "o1")
    assert "(title not known)" in english
    assert "The framework lists no separate elements for this item." in card(english, "o2")
    client.post("/i18n/setlang/", {"language": "th", "next": "/"})
    assert card(page(client, w), "o1") == thai


def test_a_framework_replaced_is_seen(w, client):
    """The framework's items are kept per framework version: the round given another version shows its items."""
    client.force_login(w.admin_a)
    assert "แผนผังโครงสร้างองค์กร" in page(client, w)
    text = oit_framework_text(code="test-oit-2").replace("แผนผังโครงสร้างองค์กร", "แผนผังองค์กรฉบับใหม่")
    fw, _ = install_framework(actor=None, text=text)
    set_round_framework(actor=None, round=w.round, framework=fw)
    html = page(client, w)
    assert "แผนผังองค์กรฉบับใหม่" in html and "แผนผังโครงสร้างองค์กร" not in html


def test_the_undecided_elements_are_the_partial_itself(w):
    """The elements kept for an undecided item are exactly what the partial renders for it."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from itadesk.evidence import selectors, views

    for lang in ("th", "en"):
        with translation.override(lang):
            for row in selectors.workspace_page(w.round, w.sao1).rows:
                kept = views._plain_elements(tuple((e.code, e.text) for e in row.elements), lang)
                assert kept == render_to_string("evidence/partials/elements.html",
                                                {"row": row, "LANGUAGE_CODE": lang})


def test_the_check_findings_and_decisions_skip_what_is_kept(w, client):
    """An item with a finding or an alert is rendered in full (not from the undecided elements kept)."""
    item = fill(w, "o3", urls=("https://kaewmethee.go.th/plan",))
    to_submitted(w, ("o3",))
    decide = decide_all(EvidenceItem.objects.get(pk=item.pk))
    services.review_item(actor=w.reviewer, item=EvidenceItem.objects.get(pk=item.pk), decisions=decide,
                         outcome="approve")
    client.force_login(w.admin_a)
    assert 'data-testid="decision"' in card(page(client, w), "o3")

