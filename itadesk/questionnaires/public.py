"""The respondents' pages (/q/<public id>/): small, Thai, plain HTML forms that work without
JavaScript. Nothing here knows who answers: no login, no session, no logging of the address beyond
the salted network mark of ``services.submit_response``.

These pages take the load of a whole mock round (every official of an agency answering in the same
hour), so each visit does as little as it can: the questionnaire's state is one small query (kept for
at most a second per process for showing pages; saving it here forgets it at once, and a submission
always checks the database itself), the frozen questions and the blank page are kept per process
(they cannot change after publication) with only the CSRF token put in per visitor, and a complete
submission stored with one statement (see ``services.submit_response``)."""

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


def _current(public_id: str, *, fresh: bool = True) -> tuple[Questionnaire, str]:
    """The questionnaire as it is now, without its large columns, and its agency's name (one query);
    404 for an unknown id or a draft. ``questions`` is filled from the per-process copy. ``fresh=False``
    (showing a page, not storing): a published or closed row read less than ``ROW_SECONDS`` ago in
    this process will do (saving changes it here at once; submissions always check the database)."""
    kept = None if fresh else _ROWS.get(public_id)
    if kept is not None and kept[0] > time.monotonic():
        values, agency_name = kept[1], kept[2]
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
        if values["state"] != State.DRAFT:
            _keep(_ROWS, public_id, (time.monotonic() + ROW_SECONDS, values, agency_name))
    if values["state"] == State.DRAFT:
        raise Http404
    q = Questionnaire(public_id=public_id, **values)
    key = (q.pk, public_id, q.published_at)
    questions = _QUESTIONS.get(key)
    if questions is None:
        found = Questionnaire.objects.filter(pk=q.pk).values_list("questions", flat=True).first()
        questions = _keep(_QUESTIONS, key, found or [])
    q.questions = questions
    if q.state != State.PUBLISHED:
        _OPEN.pop(public_id, None)
    elif public_id not in _OPEN:
        _keep(_OPEN, public_id, {"pk": q.pk, "salt": q.salt, "uses_tokens": q.uses_tokens, "questions": questions,
                                 "thanks": reverse("q:thanks", args=[public_id])})
    return q, agency_name


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


def _blank_form(request, q: Questionnaire, agency_name: str):
    """The blank form: rendered once per process for everything that goes into it (the counter
    included, which changes every few seconds at most), then only the visitor's CSRF token put in."""
    count, minimum = selectors.response_count(q, cached=True), selectors.minimum_of(q, cached=True)
    key = (q.pk, q.public_id, q.published_at, q.closes_at, q.uses_tokens, get_language(), agency_name, count, minimum)
    html = _PAGES.get(key)
    if html is None:
        context = {"q": q, "agency_name": agency_name, "errors": [], "token": "", "count": count,
                   "minimum": minimum, "questions_html": _questions_html(q, None), "csrf_token": _CSRF_SLOT}
        html = _keep(_PAGES, key, render_to_string("questionnaires/public/form.html", context).encode())
    return _headers(HttpResponse(html.replace(_CSRF_SLOT_BYTES, get_token(request).encode(), 1)))


def _submit_directly(request, public_id):
    """A complete submission to a questionnaire this process has seen published, without tokens:
    checked against the kept questions and stored with one statement that itself checks the
    questionnaire is open (PostgreSQL). ``None`` when anything else applies (first visit, tokens,
    errors, no longer open): then the full path decides, with the row read afresh."""
    known = _OPEN.get(public_id)
    if known is None or known["uses_tokens"] or connection.vendor != "postgresql":
        return None
    answers, errors = services.parse_answers(known["questions"], request.POST)
    if errors:
        return None
    stored = services.store_if_open(questionnaire_id=known["pk"], salt=known["salt"], answers=answers,
                                    ip=request.META.get("REMOTE_ADDR", ""), now=timezone.now())
    if stored is None:
        return None
    return HttpResponseRedirect(known["thanks"])


@never_cache
@csrf_protect
def form(request, public_id):
    posted = request.method == "POST"
    if posted and (done := _submit_directly(request, public_id)) is not None:
        return done
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
        return _blank_form(request, q, agency_name)
    answers, errors = services.parse_answers(q.questions, request.POST)
    token = request.POST.get("token", "")
    if not errors:
        try:
            services.submit_response(questionnaire=q, answers=answers, ip=request.META.get("REMOTE_ADDR", ""),
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
    q, agency_name = _current(public_id, fresh=False)
    return _page(request, "thanks.html", {"q": q, "agency_name": agency_name})
