"""Hosted questionnaires: publication, the public form, tokens, closing, flags, exports, scores."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from itadesk.core.models import AuditEvent
from itadesk.core.thai import format_date
from itadesk.questionnaires import selectors, services
from itadesk.questionnaires.models import AbuseMark, Flag, Questionnaire, Response, State, Token
from itadesk.scoring import engine
from tests.questionnaires.qworld import full_answers, make, post_data, use_framework, wording


def submit(q, answers, ip="203.0.113.7", token="", now=None):
    return services.submit_response(questionnaire=q, answers=answers, ip=ip, token=token, now=now)


# --- publication -----------------------------------------------------------------------------------


def test_publish_refuses_items_without_wording_and_names_them(world):
    use_framework(world, "2568")
    q, created = services.create_questionnaire(actor=world.admin_a, round=world.round, agency=world.sao1,
                                               instrument="EIT")
    assert created and q.state == State.DRAFT
    services.save_settings(actor=world.admin_a, questionnaire=q, opens_at=None,
                           closes_at=timezone.now() + dt.timedelta(days=3))
    with pytest.raises(services.Refused) as exc:
        services.publish(actor=world.admin_a, questionnaire=q)
    assert "e1, e2, e3" in exc.value.message and "e15" in exc.value.message
    q.refresh_from_db()
    assert q.state == State.DRAFT and q.questions == []
    # the organiser supplies the wording: then it publishes
    draft = services.draft_questions(world.round.framework.data, "EIT")
    services.save_settings(actor=world.admin_a, questionnaire=q, opens_at=None, closes_at=q.closes_at,
                           custom_texts=wording(draft))
    services.publish(actor=world.admin_a, questionnaire=q)
    q.refresh_from_db()
    assert q.state == State.PUBLISHED and [x["item"] for x in q.questions][:3] == ["e1", "e2", "e3"]
    assert q.questions[0]["text"] == "ข้อความคำถาม e1"
    assert AuditEvent.objects.filter(action="questionnaire.publish").count() == 1


def test_iit_2568_has_the_51_sub_questions_in_order(world):
    use_framework(world, "2568")
    q = make(world, "IIT")
    cols = [c["code"] for c in services.columns(q.questions)]
    assert len(q.questions) == 30 and len(cols) == 51
    assert cols[:3] == ["i1.1", "i1.2", "i2"] and cols[-1] == "i30.4"


def test_questions_are_frozen_at_publication(world):
    q = make(world, "IIT")
    frozen = list(q.questions)
    with pytest.raises(services.Refused):
        services.publish(actor=world.admin_a, questionnaire=q)
    services.save_settings(actor=world.admin_a, questionnaire=q, opens_at=q.opens_at, closes_at=q.closes_at,
                           custom_texts={"i1": "อื่น"})
    q.refresh_from_db()
    assert q.questions == frozen and q.custom_texts["i1"] != "อื่น"


def test_publish_needs_a_future_closing_time(world):
    q = make(world, "IIT", publish=False, closes_in=-1, opens_in=-2)
    with translation.override("en"), pytest.raises(services.Refused, match="closing time"):
        services.publish(actor=world.admin_a, questionnaire=q)


# --- the public form --------------------------------------------------------------------------------


def test_public_form_in_thai_and_a_missing_answer_names_the_question(world, client):
    q = make(world, "IIT")
    url = reverse("q:form", args=[q.public_id])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "ข้อความคำถาม i1" in html and "<script" not in html and "csrfmiddlewaretoken" in html
    answers = full_answers(q)
    del answers["i3"]
    page = client.post(url, post_data(answers))
    assert page.status_code == 400
    html = page.content.decode()
    assert "i3" in html and 'data-testid="errors"' in html
    assert html.count("checked") == len(answers)  # what was chosen stays chosen
    assert Response.objects.count() == 0
    page = client.post(url, post_data(full_answers(q)))
    assert page.status_code == 302 and page["Location"] == reverse("q:thanks", args=[q.public_id])
    assert Response.objects.get().answers == full_answers(q)


def test_a_value_outside_the_scale_is_refused(world, client):
    q = make(world, "IIT")
    data = post_data(full_answers(q))
    data["a-i2"] = "7"
    page = client.post(reverse("q:form", args=[q.public_id]), data)
    assert page.status_code == 400 and "i2" in page.content.decode()


def test_csrf_is_enforced_and_works_without_javascript(world):
    from django.test import Client

    q = make(world, "IIT")
    strict = Client(enforce_csrf_checks=True)
    url = reverse("q:form", args=[q.public_id])
    assert strict.post(url, post_data(full_answers(q))).status_code == 403
    page = strict.get(url)
    # the hidden field of the page itself, as a browser without JavaScript sends it
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    data = {**post_data(full_answers(q)), "csrfmiddlewaretoken": token}
    assert strict.post(url, data).status_code == 302
    assert Response.objects.count() == 1
    # the page is kept per process, the token is not: another visitor gets a token of their own
    other = Client(enforce_csrf_checks=True)
    html = other.get(url).content.decode()
    assert token not in html and html.count("csrfmiddlewaretoken") == 1
    assert other.post(url, data).status_code == 403  # someone else's token without their cookie
    assert Response.objects.count() == 1


def test_not_open_yet_and_closed_pages_show_buddhist_era_times(world, client):
    q = make(world, "IIT", opens_in=48, closes_in=96)
    page = client.get(reverse("q:form", args=[q.public_id]))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="not-open"' in html
    assert format_date(q.opens_at) in html and str(timezone.localtime(q.opens_at).year + 543) in html
    with pytest.raises(services.Refused):
        submit(q, full_answers(q))
    q2 = make(world, "EIT")
    services.close(actor=world.admin_a, questionnaire=q2)
    assert 'data-testid="closed"' in client.get(reverse("q:form", args=[q2.public_id])).content.decode()


def test_draft_is_not_public(world, client):
    q = make(world, "IIT", publish=False)
    assert client.get(reverse("q:form", args=[q.public_id])).status_code == 404


def test_progress_counter_against_the_minimum(world, client, monkeypatch):
    q = make(world, "IIT")
    submit(q, full_answers(q))
    monkeypatch.setattr("itadesk.surveys.selectors.minimum_for", lambda r, a: {"internal": 25, "external": None})
    html = client.get(reverse("q:form", args=[q.public_id])).content.decode()
    assert "1" in html and "25" in html
    monkeypatch.setattr("itadesk.surveys.selectors.minimum_for", lambda r, a: {"internal": None, "external": None})
    assert selectors.minimum_of(q) is None


# --- closing ------------------------------------------------------------------------------------------


def test_closing_time_closes_on_the_next_visit_and_forgets_the_marks(world, client):
    q = make(world, "IIT", tokens=True)
    codes = services.issue_tokens(actor=world.admin_a, questionnaire=q, count=3)
    submit(q, full_answers(q), token=codes[0])
    assert AbuseMark.objects.count() == 1 and q.salt
    later = q.closes_at + dt.timedelta(seconds=1)
    assert services.close_if_due(q, now=later)
    q.refresh_from_db()
    assert q.state == State.CLOSED and q.salt == "" and q.tokens_used_at_close == 1
    assert not AbuseMark.objects.exists() and not Token.objects.exists()
    assert Response.objects.filter(questionnaire=q).count() == 1
    assert not services.close_if_due(q, now=later)


# --- tokens ---------------------------------------------------------------------------------------------


def test_one_time_tokens(world):
    q = make(world, "IIT", tokens=True)
    codes = services.issue_tokens(actor=world.admin_a, questionnaire=q, count=2)
    assert len(set(codes)) == 2 and all(len(c) == 11 for c in codes)
    assert not Token.objects.filter(token_hash__in=codes).exists()  # only hashes are stored
    with pytest.raises(services.Refused):
        submit(q, full_answers(q))  # no code
    with pytest.raises(services.Refused):
        submit(q, full_answers(q), token="WRONG-CODE1")
    submit(q, full_answers(q), token=codes[0].lower().replace("-", " "))  # typed as read from paper
    with pytest.raises(services.Refused):
        submit(q, full_answers(q), token=codes[0])  # used
    assert Response.objects.count() == 1
    assert Token.objects.filter(used=True).count() == 1


def test_tokens_only_for_a_questionnaire_that_uses_them(world):
    q = make(world, "IIT")
    with pytest.raises(services.Refused):
        services.issue_tokens(actor=world.admin_a, questionnaire=q, count=2)


def test_tokens_page_shows_them_once(world, client):
    q = make(world, "IIT", tokens=True)
    client.force_login(world.admin_a)
    page = client.post(reverse("questionnaires:tokens", args=[q.pk]), {"count": 4})
    assert page.status_code == 200 and page.content.decode().count('data-testid="token"') == 4
    assert page["Cache-Control"] == "no-store"


# --- flags ----------------------------------------------------------------------------------------------


def test_network_and_pattern_flags_never_drop_responses(world):
    q = make(world, "IIT")
    now = timezone.now()
    same = full_answers(q)
    for n in range(services.NETWORK_FLAG):
        submit(q, same, ip=f"198.51.100.{n + 1}", now=now)  # one /24
    varied = full_answers(q, pick=lambda col, i: col["options"][i % len(col["options"])]["value"])
    submit(q, varied, ip="192.0.2.1", now=now)
    assert Response.objects.count() == services.NETWORK_FLAG + 1
    flags = selectors.flags(q)
    assert [f["count"] for f in flags["network"]] == [services.NETWORK_FLAG]
    assert [f["count"] for f in flags["pattern"]] == [services.NETWORK_FLAG]
    services.close(actor=world.admin_a, questionnaire=q)
    assert Flag.objects.get(questionnaire=q).count == services.NETWORK_FLAG  # kept after the marks are gone
    assert selectors.flags(q)["network"][0]["count"] == services.NETWORK_FLAG


def test_flags_are_shown_to_the_reviewer_not_to_the_executive(world, client):
    q = make(world, "IIT")
    for _ in range(services.PATTERN_FLAG):
        submit(q, full_answers(q))
    client.force_login(world.reviewer)
    assert 'data-testid="flag-pattern"' in client.get(reverse("questionnaires:detail", args=[q.pk])).content.decode()
    client.force_login(world.exec_a)
    assert 'data-testid="flags"' not in client.get(reverse("questionnaires:detail", args=[q.pk])).content.decode()


# --- export ---------------------------------------------------------------------------------------------


def test_export_columns_in_the_frozen_order_rows_sorted_by_answers(world, client, settings):
    from itadesk.core.tabular import read_table

    settings.ITADESK_QUESTIONNAIRE_RELEASE_K = 4  # the four responses are one release
    q = make(world, "IIT")
    for value in (4, 1, 3, 2):
        submit(q, full_answers(q, pick=lambda col, i, v=value: v))
    client.force_login(world.reviewer)
    for fmt in ("csv", "xlsx"):
        page = client.get(reverse("questionnaires:export", args=[q.pk, fmt]))
        table = read_table(page.content, f"x.{fmt}", max_bytes=None)
        assert table.headers == [c["code"] for c in services.columns(q.questions)]
        assert [r[0] for r in table.rows] == ["1", "2", "3", "4"]


# --- scores ---------------------------------------------------------------------------------------------


def test_mock_scores_are_the_engine_scores_of_the_raw_answers(world, client, settings):
    settings.ITADESK_QUESTIONNAIRE_RELEASE_K = 7  # the seven responses of each are one release
    use_framework(world, "2568")
    iit, eit = make(world, "IIT"), make(world, "EIT")
    plan = engine.compile_framework(world.round.framework.data)
    raw = {}
    for n in range(7):
        a = full_answers(iit, pick=lambda col, i, n=n: col["options"][(i + n) % len(col["options"])]["value"])
        submit(iit, a)
        b = full_answers(eit, pick=lambda col, i, n=n: col["options"][(i * n) % len(col["options"])]["value"])
        submit(eit, b)
        for q, ans in ((iit, a), (eit, b)):
            for item in q.questions:
                cols = item["columns"]
                v = ans[item["item"]] if cols[0]["code"] == item["item"] else {c["code"]: ans[c["code"]] for c in cols}
                raw.setdefault(item["item"], []).append(v)
    expected = engine.score_agency(plan, raw)
    assert services.release_if_due(iit) and services.release_if_due(eit)
    got = selectors.results(world.round, world.sao1)
    by = {r.code: r for r in got["instruments"]}
    assert by["IIT"].score == expected.instruments["IIT"] and by["EIT"].score == expected.instruments["EIT"]
    assert dict((c, s) for c, _n, s in by["IIT"].indicators) == {c: expected.indicators[c] for c in "12345"}
    outcome = got["projection"]["outcome"]
    assert outcome is not None and outcome.projected.instruments["IIT"] == expected.instruments["IIT"]
    assert outcome.projected.instruments["OIT"] == 0  # nothing ready in the OIT workspace
    client.force_login(world.exec_a)
    html = client.get(reverse("questionnaires:results", args=[world.round.pk, world.sao1.pk])).content.decode()
    assert f"{expected.instruments['IIT']:.2f}" in html and 'data-testid="projected-total"' in html


def test_projection_uses_the_oit_workspace(world, settings):
    from itadesk.evidence.models import EvidenceItem

    settings.ITADESK_QUESTIONNAIRE_RELEASE_K = 2
    use_framework(world)
    iit, eit = make(world, "IIT"), make(world, "EIT")
    for q in (iit, eit):
        submit(q, full_answers(q))
        submit(q, full_answers(q))
        assert services.release_if_due(q)
    EvidenceItem.objects.create(round=world.round, agency=world.sao1, item_code="o1", answer="has",
                                urls=["https://x.go.th/"])
    p = selectors.results(world.round, world.sao1)["projection"]
    assert p["ready"] == 1 and p["outcome"].projected.instruments["OIT"] == 25.0
    assert p["outcome"].projected.total == 30 + 30 + 10


def test_projection_explains_a_missing_instrument(world):
    make(world, "IIT")
    p = selectors.results(world.round, world.sao1)["projection"]
    assert p["outcome"] is None and set(p["lacking"]) == {"IIT", "EIT"}


# --- organiser pages ------------------------------------------------------------------------------------


def test_organiser_creates_sets_times_and_publishes_through_the_pages(world, client):
    use_framework(world)
    client.force_login(world.admin_a)
    page = client.post(reverse("questionnaires:create", args=[world.round.pk, world.sao1.pk]), {"instrument": "IIT"})
    q = Questionnaire.objects.get()
    assert page["Location"] == reverse("questionnaires:detail", args=[q.pk])
    html = client.get(page["Location"]).content.decode()
    assert 'data-testid="missing"' in html and "i1" in html
    data = {"opens_at": "2030-01-01T08:00", "closes_at": "2030-01-31T17:00"}
    data.update({f"text-i{n}": f"คำถาม {n}" for n in range(1, 6)})
    client.post(reverse("questionnaires:detail", args=[q.pk]), data)
    q.refresh_from_db()
    assert timezone.localtime(q.closes_at).hour == 17 and q.custom_texts["i5"] == "คำถาม 5"
    client.post(reverse("questionnaires:publish", args=[q.pk]))
    q.refresh_from_db()
    assert q.state == State.PUBLISHED
    html = client.get(reverse("questionnaires:detail", args=[q.pk])).content.decode()
    assert f"/q/{q.public_id}/" in html
    svg = client.get(reverse("questionnaires:qr", args=[q.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_closing_before_opening_is_refused_with_a_message(world, client):
    q = make(world, "IIT", publish=False)
    client.force_login(world.admin_a)
    page = client.post(reverse("questionnaires:detail", args=[q.pk]),
                       {"opens_at": "2030-01-31T08:00", "closes_at": "2030-01-01T17:00"})
    assert page.status_code == 200 and "closes_at" in page.content.decode()
