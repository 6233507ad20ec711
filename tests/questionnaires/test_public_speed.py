"""The respondents' pages under load keep every promise of the slow path: the kept page carries each
visitor's own CSRF token, a submission to a questionnaire closed meanwhile (by the organiser or by
its closing time) is refused and not stored, and the short middleware path serves the same pages
with the same protections while leaving every other URL to the usual stack."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as settings_hyp
from hypothesis import strategies as st

from itadesk.questionnaires import services
from itadesk.questionnaires.models import AbuseMark, Questionnaire, Response, State
from tests.questionnaires.qworld import full_answers, make, post_data

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FAST = "itadesk.questionnaires.middleware.PublicPagesMiddleware"


def _register(settings):
    """The short path registered as production registers it (right after WhiteNoise)."""
    middleware = list(settings.MIDDLEWARE)
    if FAST not in middleware:
        middleware.insert(middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, FAST)
    settings.MIDDLEWARE = middleware


@pytest.fixture
def fast(settings):
    _register(settings)
    return settings


def _form(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return TOKEN.search(page.content.decode()).group(1)


def _send(client, url, q, token):
    return client.post(url, {**post_data(full_answers(q)), "csrfmiddlewaretoken": token})


@pytest.mark.parametrize("short_path", [False, True])
def test_a_submission_after_the_organiser_closed_is_refused(world, settings, short_path):
    if short_path:
        _register(settings)
    q = make(world, "EIT")
    url = reverse("q:form", args=[q.public_id])
    browser = Client(enforce_csrf_checks=True)
    token = _form(browser, url)  # the page (and what this process keeps of it) is from before the close
    services.close(actor=world.admin_a, questionnaire=q)
    page = _send(browser, url, q, token)
    assert page.status_code == 200 and 'data-testid="closed"' in page.content.decode()
    assert Response.objects.count() == 0 and AbuseMark.objects.count() == 0


@pytest.mark.parametrize("short_path", [False, True])
def test_a_submission_after_the_closing_time_is_refused_and_closes_it(world, settings, short_path):
    if short_path:
        _register(settings)
    q = make(world, "EIT")
    url = reverse("q:form", args=[q.public_id])
    browser = Client(enforce_csrf_checks=True)
    assert _send(browser, url, q, _form(browser, url)).status_code == 302
    token = _form(browser, url)
    services.save_settings(actor=world.admin_a, questionnaire=q, opens_at=q.opens_at,
                           closes_at=timezone.now() - dt.timedelta(seconds=1))
    page = _send(browser, url, q, token)
    assert page.status_code == 200 and 'data-testid="closed"' in page.content.decode()
    q.refresh_from_db()
    assert q.state == State.CLOSED and Response.objects.filter(questionnaire=q).count() == 1


def test_kept_page_follows_new_times_and_the_counter(world, client):
    q = make(world, "IIT", closes_in=240)
    url = reverse("q:form", args=[q.public_id])
    first = client.get(url).content.decode()
    later = q.closes_at + dt.timedelta(days=3)
    services.save_settings(actor=world.admin_a, questionnaire=q, opens_at=q.opens_at, closes_at=later)
    second = client.get(url).content.decode()
    assert first != second and str(timezone.localtime(later).year + 543) in second


def test_short_path_serves_the_form_with_the_same_protections(world, fast):
    q = make(world, "IIT")
    url = reverse("q:form", args=[q.public_id])
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(url, post_data(full_answers(q))).status_code == 403  # no token, no cookie
    page = browser.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "ข้อความคำถาม i1" in html and "<script" not in html
    assert page["X-Frame-Options"] == "DENY" and "max-age=0" in page["Cache-Control"]
    assert "no-store" in page["Cache-Control"] and page["Referrer-Policy"] == "same-origin"
    assert int(page["Content-Length"]) == len(page.content) and page["Content-Language"] == "th"
    assert "sessionid" not in page.cookies  # no session on the public pages
    token = TOKEN.search(html).group(1)
    answers = full_answers(q)
    del answers["i3"]
    page = browser.post(url, {**post_data(answers), "csrfmiddlewaretoken": token})
    assert page.status_code == 400 and "i3" in page.content.decode()  # the question is named, in Thai
    page = _send(browser, url, q, token)
    assert page.status_code == 302 and page["Location"] == reverse("q:thanks", args=[q.public_id])
    assert 'data-testid="thanks"' in browser.get(page["Location"]).content.decode()
    assert Response.objects.get().answers == full_answers(q)


def test_short_path_keeps_tokens_single_use_and_drafts_hidden(world, fast):
    q = make(world, "IIT", tokens=True)
    code = services.issue_tokens(actor=world.admin_a, questionnaire=q, count=1)[0]
    url = reverse("q:form", args=[q.public_id])
    browser = Client(enforce_csrf_checks=True)
    token = _form(browser, url)
    data = {**post_data(full_answers(q)), "csrfmiddlewaretoken": token, "token": code}
    assert browser.post(url, data).status_code == 302
    again = browser.post(url, data)
    assert again.status_code == 400 and 'data-testid="errors"' in again.content.decode()
    assert Response.objects.count() == 1
    draft = make(world, "EIT", publish=False)
    assert browser.get(reverse("q:form", args=[draft.public_id])).status_code == 404
    assert browser.get("/q/no-such-questionnaire/").status_code == 404
    assert browser.get("/q/no/such/page/").status_code == 404


def test_short_path_leaves_other_pages_to_the_usual_stack(world, fast, client):
    client.force_login(world.admin_a)
    q = make(world, "IIT")
    page = client.get(reverse("questionnaires:detail", args=[q.pk]))
    assert page.status_code == 200 and page.wsgi_request.user == world.admin_a
    public = client.get(reverse("q:form", args=[q.public_id]))
    assert public.status_code == 200 and not public.wsgi_request.user.is_authenticated  # nobody is signed in


def test_many_visitors_each_get_their_own_token(world):
    q = make(world, "IIT")
    url = reverse("q:form", args=[q.public_id])
    tokens = {_form(Client(enforce_csrf_checks=True), url) for _ in range(5)}
    assert len(tokens) == 5
    assert Questionnaire.objects.get(pk=q.pk).state == State.PUBLISHED


form_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings_hyp(max_examples=200, deadline=None)
@given(st.lists(st.tuples(form_text, form_text), max_size=30))
def test_the_form_parser_reads_bodies_as_django_does(pairs):
    from urllib.parse import urlencode

    from django.http import QueryDict

    from itadesk.questionnaires.middleware import parse_form

    body = urlencode(pairs).encode()
    ours, django_s = parse_form(body), QueryDict(body, encoding="utf-8")
    assert sorted(ours.lists()) == sorted(django_s.lists()) and not ours._mutable
    raw = b"a=%ff%fe&b=1&&c&=d&e=%"  # broken escapes and empty pieces
    assert sorted(parse_form(raw).lists()) == sorted(QueryDict(raw, encoding="utf-8").lists())


def test_the_form_parser_keeps_the_field_limit(settings):
    from django.core.exceptions import TooManyFieldsSent

    from itadesk.questionnaires.middleware import parse_form

    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    with pytest.raises(TooManyFieldsSent):
        parse_form(b"&".join(b"a%d=1" % n for n in range(6)))


def test_a_close_seen_late_by_this_process_still_refuses_the_submission(world, monkeypatch):
    """Another process closed it (this one got no signal): the kept row may show the form for up to
    a second, but the submission is checked by the database and the next page is the closed one."""
    q = make(world, "EIT")
    url = reverse("q:form", args=[q.public_id])
    browser = Client(enforce_csrf_checks=True)
    token = _form(browser, url)
    Questionnaire.objects.filter(pk=q.pk).update(state=State.CLOSED, closed_at=timezone.now())
    page = _send(browser, url, q, token)
    assert page.status_code == 200 and 'data-testid="closed"' in page.content.decode()
    assert Response.objects.count() == 0 and AbuseMark.objects.count() == 0
    monkeypatch.setattr("itadesk.questionnaires.public.ROW_SECONDS", 0)
    assert 'data-testid="closed"' in browser.get(url).content.decode()


def test_a_submission_after_the_opening_moved_later_shows_the_not_open_page(world):
    q = make(world, "EIT")
    url = reverse("q:form", args=[q.public_id])
    browser = Client(enforce_csrf_checks=True)
    token = _form(browser, url)
    later = timezone.now() + dt.timedelta(days=2)
    Questionnaire.objects.filter(pk=q.pk).update(opens_at=later)  # as another process would
    page = _send(browser, url, q, token)
    assert page.status_code == 200 and 'data-testid="not-open"' in page.content.decode()
    assert Response.objects.count() == 0
