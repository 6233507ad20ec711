"""The cards of the agency's OIT workspace (``evidence_tags.workspace_cards``, built without a template loop):
an item in every state, with and without URLs, an explanation, a reviewer's comment, the offices' examples, the
reviewers' decisions and the checker's findings, shows all of it, in Thai and in English; whatever an agency, a
reviewer or the framework typed comes out escaped; the links go to the item's and review pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from selectolax.lexbor import LexborHTMLParser

from itadesk.core.thai import format_date
from itadesk.evidence import services
from itadesk.evidence.models import EvidenceItem, ItemExample, State
from itadesk.methodology.services import install_framework, set_round_framework
from tests.evidence.oit_world import FakeFetched, decide_all, fill, oit_framework_text

HOSTILE = "<script>alert('x')</script> \"q\" & 'a'"
# o4's title and a new indicator 11 with two items listed directly under it (no subindicator), o6's title hostile
FRAMEWORK = oit_framework_text(code="test-oit-cards").replace(
    "{code: o4, text_th: รายงานผล,", "{code: o4, text_th: 'รายงาน <b>\"ผล\"</b> & ''อื่น''',"
) + """
      - code: "11"
        name_th: ตัวชี้วัด <i>11</i>
        items:
          - {code: o5, text_th: คู่มือ, text_status: paraphrase, scale: evidence, data_year: current}
          - {code: o6, text_th: "<script>alert(1)</script>", text_status: paraphrase, scale: evidence, data_year: current}
"""
COMMENT = "แก้ข้อ o1.2 <script>x</script>\nบรรทัด \"สอง\""
EXPLANATION = "เมนู <b>เกี่ยวกับเรา</b> > โครงสร้าง\n'หน้า' \"สอง\""


@pytest.fixture
def w(world):
    """sao1's items: o1 returned with a comment, decisions, a finding on an element and two examples; o2 submitted
    with two URLs and an explanation; o3 approved with a finding of no element; o4 not started; o5 a draft answered
    "has not" (no URL, no explanation); o6 approved by the executive."""
    fw, _ = install_framework(actor=None, text=FRAMEWORK)
    set_round_framework(actor=None, round=world.round, framework=fw)
    world.round.refresh_from_db()
    w = world
    fill(w, "o1", urls=("https://kaewmethee.go.th/o1?a=1&b=2",), explanation="")
    fill(w, "o2", urls=("https://kaewmethee.go.th/o2", 'https://kaewmethee.go.th/"x"<y>'), explanation=EXPLANATION)
    fill(w, "o3", urls=("https://kaewmethee.go.th/o3",))
    fill(w, "o5", urls=(), answer="has_not", explanation="")
    fill(w, "o6")
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1", "o2", "o3", "o6"])
    services.submit_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1", "o2", "o3"])
    o1, o3 = (EvidenceItem.objects.get(agency=w.sao1, item_code=c) for c in ("o1", "o3"))
    services.record_check(o1, o1.urls[0], FakeFetched(final_url=o1.urls[0]), [
        {"code": "topic", "passed": False, "severity": "error", "element_code": "o1.2",
         "message_th": "ไม่พบ <อำนาจหน้าที่>", "message_en": "No <powers> found", "detail": {}}])
    services.record_check(o3, o3.urls[0], FakeFetched(final_url=o3.urls[0]), [
        {"code": "reachable", "passed": True, "severity": "info", "message_th": "เปิดลิงก์ได้",
         "message_en": "The link opens", "detail": {}}])
    services.review_item(actor=w.reviewer, item=o1, decisions={"o1.1": ("met", ""), "o1.2": ("not_met", HOSTILE)},
                         outcome="return", comment=COMMENT)
    services.review_item(actor=w.reviewer, item=o3, decisions=decide_all(o3), outcome="approve")
    ItemExample.objects.create(round=w.round, office=w.nacc, item_code="o1", text="ตัวอย่าง <b>ดี</b>\nบรรทัดสอง",
                               url="https://example.test/good?x=1&y=2")
    ItemExample.objects.create(round=w.round, office=w.nacc, item_code="o1", url="https://example.test/only-url")
    assert dict(EvidenceItem.objects.filter(agency=w.sao1).values_list("item_code", "state")) == {
        "o1": State.RETURNED, "o2": State.SUBMITTED, "o3": State.APPROVED, "o5": State.DRAFT,
        "o6": State.APPROVED_BY_EXECUTIVE}
    return w


def page(client, w, user, lang="th") -> LexborHTMLParser:
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": lang, "next": "/"})
    response = client.get(reverse("evidence:workspace", args=[w.round.pk, w.sao1.pk]))
    assert response.status_code == 200
    return LexborHTMLParser(response.content.decode())


def card(tree, code):
    node = tree.css_first(f'[data-testid="item-{code}"]')
    assert node is not None, code
    return node


def texts(node, selector) -> list[str]:
    return [n.text(deep=True).strip() for n in node.css(selector)]


def item_url(w, code, name="item") -> str:
    return reverse(f"evidence:{name}", args=[w.round.pk, w.sao1.pk, code])


def test_every_state_its_border_badge_and_links(w, client):
    tree = page(client, w, w.admin_a)
    border = {"o1": "border-danger", "o2": None, "o3": "border-success", "o4": None, "o5": None, "o6": None}
    for code, expected in border.items():
        node = card(tree, code)
        classes = node.attributes["class"].split()
        assert classes[:2] == ["card", "mb-2"]
        assert [c for c in classes if c.startswith("border-")] == ([expected] if expected else []), code
        title = node.css_first("a.fw-semibold")
        assert title.attributes["href"] == item_url(w, code) and title.text().startswith(f"{code} ")
        edit = node.css_first(f'[data-testid="edit-{code}"]')
        assert edit is not None and edit.attributes["href"] == item_url(w, code)
        assert node.css_first('[data-testid="answer"]') is not None
        assert node.css_first('[data-testid="state"]') is not None
    states = {code: card(tree, code).css_first('[data-testid="state"]').text() for code in border}
    assert states == {"o1": "ส่งกลับให้แก้ไข", "o2": "ส่งตรวจแล้ว รอผลการตรวจ", "o3": "ผ่านการตรวจ",
                      "o4": "ยังไม่เริ่ม", "o5": "ร่าง", "o6": "ผู้บริหารอนุมัติแล้ว"}
    assert texts(card(tree, "o5"), '[data-testid="answer"]') == ["ไม่มี"]
    assert texts(card(tree, "o4"), '[data-testid="answer"]') == ["ยังไม่ตอบ"]
    # the date sent, on the submitted item only
    o2 = EvidenceItem.objects.get(agency=w.sao1, item_code="o2")
    sent = [t for t in texts(card(tree, "o2"), ".text-end .small.text-muted") if t.startswith("ส่งตรวจ")]
    assert sent == [f"ส่งตรวจเมื่อ {format_date(o2.submitted_at, lang='th')}"]
    for code in ("o1", "o3", "o4", "o5", "o6"):
        assert not card(tree, code).css(".text-end .small.text-muted"), code
    # the agency admin may not review: no review button
    assert not tree.css('a[href*="/review/"]')


def test_groups_with_and_without_a_subindicator(w, client):
    tree = page(client, w, w.admin_a)
    groups = [n.attributes["data-testid"] for n in tree.css("section[data-testid^='group-']")]
    assert groups == ["group-9-9.1", "group-10-10.1", "group-11"]
    nine, _ten, eleven = tree.css("section[data-testid^='group-']")
    assert texts(nine, "h2") == ["ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล"] and texts(nine, "h3") == ["9.1 ข้อมูลพื้นฐาน"]
    assert [n.attributes["data-testid"] for n in nine.css("[data-testid^='item-']")] == ["item-o1", "item-o2"]
    assert texts(eleven, "h2") == ["ตัวชี้วัดที่ 11 ตัวชี้วัด <i>11</i>"] and not eleven.css("h3")
    assert [n.attributes["data-testid"] for n in eleven.css("[data-testid^='item-']")] == ["item-o5", "item-o6"]


def test_urls_explanation_and_the_returned_comment(w, client):
    tree = page(client, w, w.admin_a)
    links = card(tree, "o2").css('[data-testid="urls"] a')
    assert [(a.attributes["href"], a.text()) for a in links] == [
        ("https://kaewmethee.go.th/o2", "https://kaewmethee.go.th/o2"),
        ('https://kaewmethee.go.th/"x"<y>', 'https://kaewmethee.go.th/"x"<y>')]
    assert all(a.attributes["target"] == "_blank" and a.attributes["rel"] == "noopener noreferrer" for a in links)
    assert [a.attributes["href"] for a in card(tree, "o1").css('[data-testid="urls"] a')] == [
        "https://kaewmethee.go.th/o1?a=1&b=2"]
    for code in ("o4", "o5"):
        assert card(tree, code).css_first('[data-testid="urls"]') is None
    # the explanation: its lines as <br>, its markup as text
    explanation = card(tree, "o2").css_first(".col-lg-6 > div.small.text-muted")
    assert [n.tag for n in explanation.iter()] == ["br"]
    assert explanation.text() == EXPLANATION.replace("\n", "")
    assert card(tree, "o5").css_first(".col-lg-6 > div.small.text-muted") is None
    # the reviewer's comment: on the returned item only
    comment = card(tree, "o1").css_first('[data-testid="return-comment"]')
    assert comment.css_first("strong").text() == "ส่งกลับ:"
    assert comment.text() == "ส่งกลับ: " + COMMENT.replace("\n", "") and comment.css("br")
    assert not comment.css("script")
    for code in ("o2", "o3", "o4", "o5", "o6"):
        assert card(tree, code).css_first('[data-testid="return-comment"]') is None


def test_examples_elements_decisions_and_findings(w, client):
    tree = page(client, w, w.admin_a)
    examples = card(tree, "o1").css_first('[data-testid="examples"]')
    assert examples is not None and not any(card(tree, c).css('[data-testid="examples"]') for c in ("o2", "o3"))
    items = examples.css("li")
    assert items[0].text().startswith("ตัวอย่าง <b>ดี</b>บรรทัดสอง") and items[0].css("br")
    assert [a.attributes["href"] for a in examples.css("a")] == ["https://example.test/good?x=1&y=2",
                                                                 "https://example.test/only-url"]
    o1 = card(tree, "o1")
    assert [n.attributes["data-testid"] for n in o1.css("[data-testid^='element-']")] == ["element-o1.1",
                                                                                          "element-o1.2"]
    assert texts(o1, '[data-testid="decision"]') == ["ครบถ้วน", "ไม่ครบถ้วน"]
    assert HOSTILE in o1.css_first('[data-testid="element-o1.2"]').text()
    assert texts(o1, '[data-testid="finding"]') == ["ไม่พบ <อำนาจหน้าที่>"]
    o3 = card(tree, "o3")
    assert texts(o3, '[data-testid="decision"]') == ["ครบถ้วน"]
    assert texts(o3, '[data-testid="finding"]') == ["เปิดลิงก์ได้"]
    plain = card(tree, "o6")  # nobody decided or checked it: the framework's elements alone (none for o6)
    assert texts(plain, ".col-lg-6 > p") == ["เกณฑ์ไม่ได้แยกองค์ประกอบของข้อนี้ไว้"]


def test_hostile_values_come_out_escaped(w, client):
    tree = page(client, w, w.admin_a)
    assert not tree.css("section script") and not tree.css("section b") and not tree.css("section i:not(.bi)")
    title = card(tree, "o6").css_first("a.fw-semibold")
    assert title.text() == "o6 <script>alert(1)</script>"
    assert card(tree, "o4").css_first("a.fw-semibold").text() == "o4 รายงาน <b>\"ผล\"</b> & 'อื่น'"
    client.force_login(w.admin_a)
    raw = client.get(reverse("evidence:workspace", args=[w.round.pk, w.sao1.pk])).content.decode()
    section = raw[raw.index('data-testid="group-9-9.1"'):]
    assert "<script>" not in section and "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert "เมนู &lt;b&gt;เกี่ยวกับเรา&lt;/b&gt; &gt; โครงสร้าง<br>&#x27;หน้า&#x27; &quot;สอง&quot;" in section
    assert 'href="https://kaewmethee.go.th/&quot;x&quot;&lt;y&gt;"' in section
    assert 'href="https://kaewmethee.go.th/o1?a=1&amp;b=2"' in section


def test_english_labels(w, client):
    tree = page(client, w, w.admin_a, lang="en")
    assert texts(tree, "section[data-testid='group-9-9.1'] h2") == ["Indicator 9 การเปิดเผยข้อมูล"]
    o1, o2 = card(tree, "o1"), card(tree, "o2")
    assert o1.css_first('[data-testid="return-comment"] strong').text() == "Returned:"
    assert texts(o1, '[data-testid="finding"]') == ["No <powers> found"]
    assert texts(o1, '[data-testid="examples"] .fw-semibold') == ["Examples from the supervising office"]
    assert texts(o1, '[data-testid="decision"]') == ["Met", "Not met"]
    assert texts(o1, '[data-testid="edit-o1"]') == ["Edit"]
    o2_item = EvidenceItem.objects.get(agency=w.sao1, item_code="o2")
    with translation.override("en"):
        sent = f"submitted {format_date(o2_item.submitted_at, lang='en')}"
    assert sent in texts(o2, ".text-end .small.text-muted")
    assert texts(card(tree, "o6"), ".col-lg-6 > p") == ["The framework lists no separate elements for this item."]


def test_a_reviewer_sees_a_review_button_on_saved_items_only_and_no_edit(w, client):
    tree = page(client, w, w.reviewer)
    for code in ("o1", "o2", "o3", "o5", "o6"):
        buttons = card(tree, code).css(".no-print a")
        assert [(b.attributes["href"], b.text().strip()) for b in buttons] == [
            (item_url(w, code, "review"), "ตรวจ")], code
    assert not card(tree, "o4").css(".no-print a")
    assert not tree.css("[data-testid^='edit-']")


def test_the_executive_may_edit_nothing_and_review_nothing(w, client):
    tree = page(client, w, w.exec_a)
    assert len(tree.css("[data-testid^='item-']")) == 6
    assert not tree.css(".no-print a.btn-sm")
