"""The OIT item, review and approval pages after their deadline-day cuts (docs/benchmarks.md "The OIT item page
family"): the item form's answer buttons and revision are the form's own widgets to the byte, though not
rendered on every request; what is kept under the data versions (a round's examples of an item, the offices
that follow an agency) shows every write on the very next load; a save tells what it did as before."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from itadesk.evidence import services, views
from itadesk.evidence.forms import ItemForm
from itadesk.evidence.models import Answer, EvidenceItem
from itadesk.registry.models import OversightRule, SupervisingOffice
from tests.evidence.oit_world import fill, setup_oit, to_submitted


@pytest.fixture
def w(world):
    setup_oit(world)
    return world


def widgets(form) -> tuple[str, str]:
    """The answer's radio buttons and the hidden revision as the form renders them itself."""
    radios = "".join(
        f'<div class="form-check form-check-inline">{c.tag()}<label class="form-check-label" '
        f'for="{c.id_for_label}">{c.choice_label}</label></div>' for c in form["answer"])
    return radios, str(form["revision"])


def shown(html: str) -> tuple[str, str]:
    radios = re.search(r'<legend class="form-label fs-6">[^<]*</legend>\s*(.*?)\s*</fieldset>', html, re.S).group(1)
    radios = re.sub(r"\s*<div class=\"(text-danger|invalid-feedback)[^\n]*$", "", radios, flags=re.S)
    revision = re.search(r'<input type="hidden" name="revision"[^>]*>', html).group(0)
    return radios, revision


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("answer", [Answer.HAS, Answer.HAS_NOT, Answer.NOT_ANSWERED, None])
def test_the_answer_buttons_and_revision_are_the_forms_own(w, client, language, answer):
    if answer is not None:
        fill(w, "o1", answer=answer, urls=("https://kaewmethee.go.th/o1",) if answer == Answer.HAS else ())
    client.force_login(w.admin_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("evidence:item", args=[w.round.pk, w.sao1.pk, "o1"])
    html = client.get(url).content.decode()
    item = EvidenceItem.objects.filter(agency=w.sao1, item_code="o1").first()
    with translation.override(language):
        expected = widgets(ItemForm(initial={"answer": item.answer if item else "", "revision": item.revision
                                             if item else 0}))
    assert shown(html) == expected
    assert shown(client.get(url).content.decode()) == expected  # the second time from the process's copy


@pytest.mark.parametrize("data", [
    {"answer": "has", "urls": "", "revision": "3"},            # refused: "has" without a URL
    {"answer": "nonsense", "urls": "", "revision": ""},        # not a choice, no revision
    {"urls": "not a url", "revision": "x"},                    # no answer at all, a revision that is no number
])
def test_a_form_shown_again_shows_what_was_sent_as_the_form_would(w, client, data):
    client.force_login(w.admin_a)
    url = reverse("evidence:item", args=[w.round.pk, w.sao1.pk, "o1"])
    response = client.post(url, data)
    assert response.status_code == 200  # shown again, nothing saved
    assert not EvidenceItem.objects.filter(agency=w.sao1, item_code="o1").exists()
    with translation.override("th"):
        assert shown(response.content.decode()) == widgets(ItemForm(data))


def test_the_answer_buttons_are_rendered_once_per_answer_and_language(w, client, monkeypatch):
    views._answer_choices.cache_clear()
    rendered = []
    real = views.render_to_string
    monkeypatch.setattr(views, "render_to_string", lambda name, *a, **k: (rendered.append(name), real(name, *a, **k))[1])
    client.force_login(w.admin_a)
    for code in ("o1", "o2", "o3", "o1"):
        client.get(reverse("evidence:item", args=[w.round.pk, w.sao1.pk, code]))
    assert rendered.count("evidence/partials/answer_choices.html") == 1  # all "not answered yet", in Thai


def test_a_save_after_the_review_still_says_it_is_a_draft_again(w, client):
    to_submitted(w, ("o1",))
    item = EvidenceItem.objects.get(agency=w.sao1, item_code="o1")
    services.withdraw_item(actor=w.admin_a, item=item)
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])
    item.refresh_from_db()
    client.force_login(w.admin_a)
    url = reverse("evidence:item", args=[w.round.pk, w.sao1.pk, "o1"])
    response = client.post(url, {"answer": "has", "urls": "https://kaewmethee.go.th/new", "explanation": "",
                                 "revision": item.revision})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(said) == 1 and "o1" in said[0]
    client.get(url)  # the messages are shown (and gone)
    with translation.override("th"):
        assert gettext("It is a draft again: the executive approves it again before it is sent.") in said[0]
    response = client.post(url, {"answer": "has", "urls": "https://kaewmethee.go.th/newer", "explanation": "",
                                 "revision": item.revision + 1})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    with translation.override("th"):
        assert gettext("It is a draft again: the executive approves it again before it is sent.") not in said[0]


def test_an_example_saved_or_removed_shows_on_the_next_item_and_review_page(w, client):
    """The round's examples of an item are kept under the data versions: a write shows at once."""
    [item] = to_submitted(w, ("o1",))
    item_url = reverse("evidence:item", args=[w.round.pk, w.sao1.pk, "o1"])
    review_url = reverse("evidence:review", args=[w.round.pk, w.sao1.pk, "o1"])
    admin, reviewer = client, client.__class__()
    admin.force_login(w.admin_a)
    reviewer.force_login(w.reviewer)
    for c, url in ((admin, item_url), (reviewer, review_url)):
        assert "หน้าตัวอย่างใหม่" not in c.get(url).content.decode()
    example = services.save_example(actor=w.nacc_officer, round=w.round, office=w.nacc, item_code="o1",
                                    text="หน้าตัวอย่างใหม่")
    services.save_example(actor=w.nacc_officer, round=w.round, office=w.nacc, item_code="o2", text="ตัวอย่างข้ออื่น")
    for c, url in ((admin, item_url), (reviewer, review_url)):
        page = c.get(url).content.decode()
        assert "หน้าตัวอย่างใหม่" in page and "ตัวอย่างข้ออื่น" not in page  # the round's examples, this item's shown
    services.save_example(actor=w.nacc_officer, round=w.round, office=w.nacc, item_code="o1",
                          text="หน้าตัวอย่างแก้แล้ว", example=example)
    assert "หน้าตัวอย่างแก้แล้ว" in admin.get(item_url).content.decode()
    services.delete_example(actor=w.nacc_officer, example=example)
    for c, url in ((admin, item_url), (reviewer, review_url)):
        assert "หน้าตัวอย่าง" not in c.get(url).content.decode()


def test_the_offices_that_follow_an_agency_follow_their_rules_at_once(w, client):
    """The approval page's offices are kept under the data versions: a new office or rule shows at once."""
    fill(w, "o1")
    client.force_login(w.exec_a)
    url = reverse("evidence:approve", args=[w.round.pk, w.sao1.pk])
    assert "สำนักงานใหม่" not in client.get(url).content.decode()
    office = SupervisingOffice.objects.create(province=w.province, code="new-office", name_th="สำนักงานใหม่", order=9)
    assert "สำนักงานใหม่" not in client.get(url).content.decode()  # no rule yet: it follows nobody
    rule = OversightRule.objects.create(office=office, all_agencies=True)
    assert "สำนักงานใหม่" in client.get(url).content.decode()
    rule.delete()
    assert "สำนักงานใหม่" not in client.get(url).content.decode()


def _page(client, url) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=")[^"]+', r"\1X", client.get(url).content.decode())


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_item_pages_plain_elements_are_the_partials_own(w, client, monkeypatch, language):
    """An item without decisions, findings or alerts shows its elements from the process's copy
    (``views._plain_elements``): the page is byte for byte the page the partial renders for it."""
    to_submitted(w, ("o1", "o3"))
    client.force_login(w.admin_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for code in ("o1", "o2", "o3"):
        url = reverse("evidence:item", args=[w.round.pk, w.sao1.pk, code])
        kept = _page(client, url)
        with monkeypatch.context() as m:
            m.setattr(views, "_plain_elements", lambda *args: "")  # falls back to the include
            assert _page(client, url) == kept
    assert 'data-testid="element-o1.1"' in _page(client, reverse("evidence:item", args=[w.round.pk, w.sao1.pk, "o1"]))


def test_the_approval_pages_links_and_answers_are_what_the_template_made(w, client):
    """The approval table's item links (made once per page) are ``reverse``'s and its answer badges the partial's."""
    for code, answer in (("o1", Answer.HAS), ("o2", Answer.HAS_NOT), ("o3", Answer.NOT_ANSWERED)):
        fill(w, code, answer=answer, urls=("https://kaewmethee.go.th/x",) if answer == Answer.HAS else ())
    client.force_login(w.exec_a)
    html = client.get(reverse("evidence:approve", args=[w.round.pk, w.sao1.pk])).content.decode()
    for code in ("o1", "o2", "o3"):
        row = re.search(rf'<tr data-testid="draft-{code}">(.*?)</tr>', html, re.S).group(1)
        assert f'<a href="{reverse("evidence:item", args=[w.round.pk, w.sao1.pk, code])}">{code}</a>' in row
        item = EvidenceItem.objects.get(agency=w.sao1, item_code=code)
        with translation.override("th"):
            badge = views.render_to_string("evidence/partials/answer.html", {"item": item})
        assert f"<td>{badge}</td>" in row
