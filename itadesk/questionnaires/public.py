"""The respondents' pages (/q/<public id>/): small, Thai, plain HTML forms that work without
JavaScript. Nothing here knows who answers: no login, no session, no logging of the address beyond
the salted network mark of ``services.submit_response``.

These pages take the load of a whole mock round (every official of an agency answering in the same
hour), so each visit does as little as it can: the questionnaire's state is one small query (kept for
at most a second per process for showing pages; saving it here forgets it at once, and a submission
always checks the database itself), the frozen questions and the blank page are kept per process
(they cannot change after publication) with only the CSRF token put in per visitor, and a complete
submission stored with one statement (see ``services.submit_response``). ``blank_page``,
``submit_directly`` and ``thanks_page`` are the busy cases; the views below call them first, and so
does the lean WSGI path in front of Django (``lean.py``), which hands everything else to these views."""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from itadesk.core.client_ip import client_ip
from itadesk.questionnaires import selectors, services
from itadesk.questionnaires.models import Questionnaire, State
from itadesk.registry.models import Agency

#: Per process: frozen questions by (questionnaire, publication time) and rendered pages by all
#: that goes into them. Both are bounded; a published questionnaire's questions never change.
_QUESTIONS: dict[tuple, list] = {}
_RENDERED: dict[tuple, str] = {}
_PAGES: dict[tuple, bytes] = {}
#: Per process, by public id, what a published questionnaire cannot change any more (questions,
#: salt, tokens or not): enough to check and store a submission without reading the row first.
_OPEN: dict[str, dict] = {}
#: Per process, by public id: the questionnaire's row as last read, for showing pages (not storing).
_ROWS: dict[str, tuple] = {}
ROW_SECONDS = 1.0
_LIMIT = 200
#: Stands for the CSRF token in a kept page (replaced by the request's own token on every visit).
_CSRF_SLOT = "csrf-slot-0f3c9a"
_CSRF_SLOT_BYTES = _CSRF_SLOT.encode()

_ROW_SQL = None
_ROW_FIELDS = ("id", "round_id", "agency_id", "state", "instrument", "respondents", "opens_at", "closes_at",
               "closed_at", "uses_tokens", "published_at", "salt")


def _keep(store: dict, key, value):
    if len(store) >= _LIMIT:
        store.clear()
    store[key] = value
    return value


def _aware(value):
    """A datetime from a raw row (SQLite gives text, PostgreSQL an aware datetime)."""
    if value is None or isinstance(value, dt.datetime):
        return value if value is None or timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)
    parsed = parse_datetime(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, dt.UTC)


def _row_sql() -> str:
    global _ROW_SQL
    if _ROW_SQL is None:
        qn = connection.ops.quote_name
        cols = ", ".join(f"q.{qn(f)}" for f in _ROW_FIELDS)
        _ROW_SQL = (f"SELECT {cols}, a.{qn('name_th')} FROM {qn(Questionnaire._meta.db_table)} q "
                    f"JOIN {qn(Agency._meta.db_table)} a ON a.{qn('id')} = q.{qn('agency_id')} "
                    f"WHERE q.{qn('public_id')} = %s")
    return _ROW_SQL


def _current(public_id: str, *, fresh: bool = True, shared: bool = False) -> tuple[Questionnaire, str]:
    """The questionnaire as it is now, without its large columns, and its agency's name (one query);
    404 for an unknown id or a draft. ``questions`` is filled from the per-process copy. ``fresh=False``
    (showing a page, not storing): a published or closed row read less than ``ROW_SECONDS`` ago in
    this process will do (saving changes it here at once; submissions always check the database).
    ``shared=True`` (with ``fresh=False``): the caller only reads the instance, which may then be the
    one kept with the row and handed to other threads too (saves building a model per visit)."""
    kept = None if fresh else _ROWS.get(public_id)
    if kept is not None and kept[0] > time.monotonic():
        values, agency_name = kept[1], kept[2]
        if shared and kept[3] is not None:
            q = kept[3]
            if q.state == State.PUBLISHED and public_id not in _OPEN:
                _remember_open(q)
            return q, agency_name
    else:
        with connection.cursor() as cur:
            cur.execute(_row_sql(), [public_id])
            row = cur.fetchone()
        if row is None:
            raise Http404
        values, agency_name = dict(zip(_ROW_FIELDS, row, strict=False)), row[-1]
        for name in ("opens_at", "closes_at", "closed_at", "published_at"):
            values[name] = _aware(values[name])
        values["uses_tokens"] = bool(values["uses_tokens"])
        kept = None
    if values["state"] == State.DRAFT:
        raise Http404
    q = Questionnaire(public_id=public_id, **values)
    key = (q.pk, public_id, q.published_at)
    questions = _QUESTIONS.get(key)
    if questions is None:
        found = Questionnaire.objects.filter(pk=q.pk).values_list("questions", flat=True).first()
        questions = _keep(_QUESTIONS, key, found or [])
    q.questions = questions
    if kept is None:
        # a second instance, kept with the row for readers (``shared``); this one is the caller's own
        instance = Questionnaire(public_id=public_id, **values)
        instance.questions = questions
        _keep(_ROWS, public_id, (time.monotonic() + ROW_SECONDS, values, agency_name, instance))
    if q.state != State.PUBLISHED:
        _OPEN.pop(public_id, None)
    elif public_id not in _OPEN:
        _remember_open(q)
    return q, agency_name


def _remember_open(q: Questionnaire) -> None:
    _keep(_OPEN, q.public_id, {"pk": q.pk, "salt": q.salt, "uses_tokens": q.uses_tokens, "questions": q.questions,
                               "thanks": reverse("q:thanks", args=[q.public_id])})


@receiver(post_save, sender=Questionnaire)
def _forget(sender, instance, **kwargs):
    """A saved questionnaire (new times, closed) is read afresh by this process's next visitor."""
    _ROWS.pop(instance.public_id, None)
    _OPEN.pop(instance.public_id, None)


def _headers(response):
    response["Cache-Control"] = "no-store"
    # "same-origin", not "no-referrer": with no-referrer browsers post "Origin: null" and CSRF fails
    response["Referrer-Policy"] = "same-origin"
    return response


def _page(request, template, context, status=200):
    html = render_to_string(f"questionnaires/public/{template}", {**context, "csrf_token": csrf(request)["csrf_token"]})
    return _headers(HttpResponse(html, status=status))


def _shown(questions, posted) -> list[dict]:
    """The frozen questions with what the respondent already chose (after an error) marked."""
    out = []
    for n, q in enumerate(questions, start=1):
        cols = []
        for col in q["columns"]:
            chosen = (posted.get(f"a-{col['code']}") or "").strip() if posted else ""
            cols.append({**col, "name": f"a-{col['code']}", "missing": bool(posted) and not chosen and not q["optional"],
                         "options": [{**o, "value": str(o["value"]), "checked": chosen == str(o["value"])}
                                     for o in col["options"]]})
        out.append({**q, "number": n, "columns": cols, "single": len(cols) == 1 and cols[0]["code"] == q["item"]})
    return out


def _questions_html(q: Questionnaire, posted) -> str:
    """The questions as HTML. Frozen at publication, so the blank form is rendered once per process
    and language (it is most of the page's cost); after an error it is rendered with the choices."""
    if posted is not None:
        return render_to_string("questionnaires/public/questions.html", {"questions": _shown(q.questions, posted)})
    key = (q.pk, q.public_id, q.published_at, get_language())
    html = _RENDERED.get(key)
    if html is None:
        html = _keep(_RENDERED, key, render_to_string("questionnaires/public/questions.html",
                                                      {"questions": _shown(q.questions, {})}))
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, which escaped every value


def _blank_bytes(q: Questionnaire, agency_name: str) -> bytes:
    """The blank form as bytes with a slot for the CSRF token: rendered once per process for everything
    that goes into it (the counter included, which changes every few seconds at most)."""
    count, minimum = selectors.response_count(q, cached=True), selectors.minimum_of(q, cached=True)
    key = (q.pk, q.public_id, q.published_at, q.closes_at, q.uses_tokens, get_language(), agency_name, count, minimum)
    html = _PAGES.get(key)
    if html is None:
        context = {"q": q, "agency_name": agency_name, "errors": [], "token": "", "count": count,
                   "minimum": minimum, "questions_html": _questions_html(q, None), "csrf_token": _CSRF_SLOT}
        html = _keep(_PAGES, key, render_to_string("questionnaires/public/form.html", context).encode())
    return html


def with_token(page: bytes, csrf_token: str) -> bytes:
    """A kept page with the visitor's own (masked) CSRF token put in."""
    return page.replace(_CSRF_SLOT_BYTES, csrf_token.encode(), 1)


def blank_page(public_id: str) -> bytes | None:
    """The blank form of ``public_id`` when that is the page to show now (published, open, not due to
    close), with a slot for the visitor's CSRF token (``with_token``); ``None`` when another page is
    (closed, not open yet, closing due: ``form`` decides which). Http404 for an unknown id or a draft.
    Shared by the ``form`` view and the lean WSGI path (``lean.py``)."""
    q, agency_name = _current(public_id, fresh=False, shared=True)
    if q.state != State.PUBLISHED or not q.is_open(timezone.now()):
        return None
    return _blank_bytes(q, agency_name)


def thanks_page(public_id: str) -> bytes:
    """The thanks page (kept per process and language). Http404 for an unknown id or a draft."""
    q, agency_name = _current(public_id, fresh=False, shared=True)
    key = ("thanks", q.pk, public_id, q.instrument, get_language(), agency_name)
    html = _PAGES.get(key)
    if html is None:
        context = {"q": q, "agency_name": agency_name}
        html = _keep(_PAGES, key, render_to_string("questionnaires/public/thanks.html", context).encode())
    return html


def submit_directly(public_id: str, posted, ip: str) -> str | None:
    """A complete submission to a questionnaire this process has seen published, without tokens:
    checked against the kept questions and stored with one statement that itself checks the
    questionnaire is open (PostgreSQL). Returns the thanks page's address; ``None`` when anything
    else applies (first visit, tokens, errors, no longer open): then the full path of ``form``
    decides, with the row read afresh. Shared by the ``form`` view and the lean WSGI path."""
    known = _OPEN.get(public_id)
    if known is None or known["uses_tokens"] or connection.vendor != "postgresql":
        return None
    answers, errors = services.parse_answers(known["questions"], posted)
    if errors:
        return None
    stored = services.store_if_open(questionnaire_id=known["pk"], salt=known["salt"], answers=answers,
                                    ip=ip, now=timezone.now())
    if stored is None:
        return None
    return known["thanks"]


@never_cache
@csrf_protect
def form(request, public_id):
    posted = request.method == "POST"
    if posted and (thanks_url := submit_directly(public_id, request.POST, client_ip(request.META))):
        return HttpResponseRedirect(thanks_url)
    if not posted and (page := blank_page(public_id)) is not None:
        return _headers(HttpResponse(with_token(page, get_token(request))))
    q, agency_name = _current(public_id, fresh=posted)
    now = timezone.now()
    if services.close_if_due(q, now):
        q, agency_name = _current(public_id)
    context = {"q": q, "agency_name": agency_name, "now": now}
    if q.effective_state(now) == State.CLOSED:
        return _page(request, "closed.html", context)
    if q.opens_at is not None and now < q.opens_at:
        return _page(request, "not_open.html", context)
    if request.method != "POST":
        return _headers(HttpResponse(with_token(_blank_bytes(q, agency_name), get_token(request))))
    answers, errors = services.parse_answers(q.questions, request.POST)
    token = request.POST.get("token", "")
    if not errors:
        try:
            services.submit_response(questionnaire=q, answers=answers, ip=client_ip(request.META),
                                     token=token, now=now)
            return redirect(reverse("q:thanks", args=[q.public_id]))
        except services.Refused as exc:
            errors = [exc.message]
            q, agency_name = _current(public_id)
            context.update(q=q, agency_name=agency_name)
            if q.effective_state() == State.CLOSED:
                return _page(request, "closed.html", context)
            if q.opens_at is not None and timezone.now() < q.opens_at:
                return _page(request, "not_open.html", context)
    context.update({"errors": errors, "questions_html": _questions_html(q, request.POST), "token": token,
                    "count": selectors.response_count(q, cached=True), "minimum": selectors.minimum_of(q, cached=True)})
    return _page(request, "form.html", context, status=400)


@never_cache
def thanks(request, public_id):
    return _headers(HttpResponse(thanks_page(public_id)))
