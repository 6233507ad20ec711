"""Organisers' pages (/mock/): an agency's questionnaires, settings, publication, link and QR code,
tokens, flags, the export and the mock scores. Objects are fetched through ``access.agencies_for``
(out of scope: 404); actions ask ``access.can`` (403)."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.core import downloads
from itadesk.core.tabular import write_table
from itadesk.core.views import run_service
from itadesk.cycles.rounds import participant_or_404, round_or_404
from itadesk.cycles.selectors import current_round
from itadesk.documents.qr import qr_png, qr_svg
from itadesk.questionnaires import selectors, services
from itadesk.questionnaires.forms import SettingsForm, TokensForm
from itadesk.questionnaires.models import Questionnaire, State

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _questionnaire_for(request, questionnaire_id, action: str = "view_questionnaires") -> Questionnaire:
    q = get_object_or_404(Questionnaire.objects.select_related("round__framework", "agency"), pk=questionnaire_id)
    if not access.agencies_for(request.user).filter(pk=q.agency_id).exists():
        raise Http404
    access.require(request.user, action, q.agency)
    services.close_if_due(q)
    return q


def public_url(request, q: Questionnaire) -> str:
    path = reverse("q:form", args=[q.public_id])
    base = getattr(settings, "SITE_URL", "") or request.build_absolute_uri("/").rstrip("/")
    return base + path


@login_required
def home(request):
    """The questionnaires of the agencies the user sees in the current round."""
    round_ = current_round(access.province_ids_for(request.user))
    if round_ is None:
        return render(request, "cycles/no_round.html")
    agencies = access.agencies_for(request.user).filter(participations__round=round_).order_by("name_th")
    existing = {}
    for q in Questionnaire.objects.filter(round=round_, agency__in=agencies):
        existing.setdefault(q.agency_id, []).append(q)
    rows = [(a, existing.get(a.pk, [])) for a in agencies]
    return render(request, "questionnaires/home.html", {"round": round_, "rows": rows})


@login_required
def agency(request, round_id, agency_id):
    round_ = round_or_404(round_id)
    agency_ = participant_or_404(request.user, round_, agency_id)
    access.require(request.user, "view_questionnaires", agency_)
    existing = {q.instrument: q for q in Questionnaire.objects.filter(round=round_, agency=agency_)}
    for q in existing.values():
        services.close_if_due(q)
    instruments = []
    if round_.framework_id:
        for ins in services.instruments_of(round_.framework.data):
            q = existing.get(ins["code"])
            instruments.append({"code": ins["code"], "name": ins.get("name_th") or ins["code"], "q": q,
                                "count": selectors.response_count(q) if q else 0,
                                "minimum": selectors.minimum_of(q) if q else None})
    return render(request, "questionnaires/agency.html", {
        "round": round_, "agency": agency_, "instruments": instruments,
        "can_manage": access.can(request.user, "manage_questionnaire", agency_)})


@login_required
@require_POST
def create(request, round_id, agency_id):
    round_ = round_or_404(round_id)
    agency_ = participant_or_404(request.user, round_, agency_id)
    access.require(request.user, "manage_questionnaire", agency_)
    instrument = request.POST.get("instrument", "")
    try:
        q, _created = services.create_questionnaire(actor=request.user, round=round_, agency=agency_,
                                                    instrument=instrument)
    except services.Refused as exc:
        messages.error(request, exc.message)
        return redirect("questionnaires:agency", round_id=round_.pk, agency_id=agency_.pk)
    return redirect("questionnaires:detail", questionnaire_id=q.pk)


def _wording_codes(q: Questionnaire) -> list[str]:
    if q.round.framework_id is None:
        return []
    return services.missing_wording(services.draft_questions(q.round.framework.data, q.instrument))


@login_required
def detail(request, questionnaire_id):
    q = _questionnaire_for(request, questionnaire_id)
    services.release_if_due(q)
    can_manage = access.can(request.user, "manage_questionnaire", q.agency)
    can_review = access.can(request.user, "review_questionnaire", q.agency)
    state = q.effective_state()
    codes = _wording_codes(q)
    kwargs = {"wording_codes": codes, "allow_tokens": _respondents(q) == "internal",
              "locked": state != State.DRAFT}
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = SettingsForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.save_settings(actor=request.user, questionnaire=q, opens_at=form.cleaned_data["opens_at"],
                                       closes_at=form.cleaned_data["closes_at"],
                                       uses_tokens=form.cleaned_data.get("uses_tokens"),
                                       custom_texts=form.custom_texts() if state == State.DRAFT else None)
                messages.success(request, _("Saved."))
                return redirect("questionnaires:detail", questionnaire_id=q.pk)
            except services.Refused as exc:
                messages.error(request, exc.message)
    else:
        initial = {"opens_at": q.opens_at and timezone.localtime(q.opens_at),
                   "closes_at": q.closes_at and timezone.localtime(q.closes_at), "uses_tokens": q.uses_tokens}
        initial.update({f"text-{c}": q.custom_texts.get(c, "") for c in codes})
        form = SettingsForm(initial=initial, **kwargs)
    questions = q.questions if state != State.DRAFT else (
        services.draft_questions(q.round.framework.data, q.instrument, q.custom_texts) if q.round.framework_id else [])
    return render(request, "questionnaires/detail.html", {
        "q": q, "state": state, "form": form, "can_manage": can_manage, "can_review": can_review,
        "url": public_url(request, q), "count": selectors.response_count(q), "minimum": selectors.minimum_of(q),
        "release_k": services.release_k(),
        "flags": selectors.flags(q) if can_review else None, "questions": questions,
        "missing": services.missing_wording(questions) if state == State.DRAFT else [],
        "n_columns": len(services.columns(questions)), "tokens_form": TokensForm(),
        "tokens_used": q.tokens.filter(used=True).count() if state != State.CLOSED else q.tokens_used_at_close,
    })


def _respondents(q: Questionnaire) -> str:
    return q.respondents


@login_required
@require_POST
def publish(request, questionnaire_id):
    q = _questionnaire_for(request, questionnaire_id, "manage_questionnaire")
    return run_service(request, lambda: services.publish(actor=request.user, questionnaire=q),
                       success=_("Published. Share the link or the QR code."),
                       redirect_to=reverse("questionnaires:detail", kwargs={"questionnaire_id": q.pk}))


@login_required
@require_POST
def close(request, questionnaire_id):
    q = _questionnaire_for(request, questionnaire_id, "manage_questionnaire")
    return run_service(request, lambda: services.close(actor=request.user, questionnaire=q),
                       success=lambda closed: _("Closed. The network marks and the salt have been deleted.")
                       if closed else None,
                       redirect_to=reverse("questionnaires:detail", kwargs={"questionnaire_id": q.pk}))


@login_required
@require_POST
def tokens(request, questionnaire_id):
    q = _questionnaire_for(request, questionnaire_id, "manage_questionnaire")
    form = TokensForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Number of tokens: from 1 to %(max)s.") % {"max": services.MAX_TOKENS})
        return redirect("questionnaires:detail", questionnaire_id=q.pk)
    try:
        issued = services.issue_tokens(actor=request.user, questionnaire=q, count=form.cleaned_data["count"])
    except services.Refused as exc:
        messages.error(request, exc.message)
        return redirect("questionnaires:detail", questionnaire_id=q.pk)
    response = render(request, "questionnaires/tokens.html", {"q": q, "tokens": issued, "url": public_url(request, q)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def qr(request, questionnaire_id, fmt):
    q = _questionnaire_for(request, questionnaire_id)
    url = public_url(request, q)
    if fmt == "svg":
        return HttpResponse(qr_svg(url), content_type="image/svg+xml")
    if fmt == "png":
        response = HttpResponse(qr_png(url), content_type="image/png")
        downloads.attach(response, downloads.download_name(f"qr-{q.instrument.lower()}-{q.agency_id}", "png"))
        return response
    raise Http404


@login_required
def export(request, questionnaire_id, fmt):
    q = _questionnaire_for(request, questionnaire_id, "review_questionnaire")
    if fmt not in {"xlsx", "csv"}:
        raise Http404
    if q.state == State.DRAFT:
        raise Http404
    services.release_if_due(q)
    headers, rows = selectors.anonymised_rows(q)
    buffer = io.BytesIO()
    write_table(buffer, headers, rows, fmt)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    downloads.attach(response, downloads.download_name(f"mock-{q.instrument.lower()}-{q.agency_id}", fmt))
    return response


@login_required
def results(request, round_id, agency_id):
    round_ = round_or_404(round_id)
    agency_ = participant_or_404(request.user, round_, agency_id)
    access.require(request.user, "view_questionnaires", agency_)
    for q in Questionnaire.objects.filter(round=round_, agency=agency_, state=State.PUBLISHED):
        services.close_if_due(q) or services.release_if_due(q)
    context = selectors.results(round_, agency_)
    context.update({"round": round_, "agency": agency_,
                    "can_review": access.can(request.user, "review_questionnaire", agency_)})
    return render(request, "questionnaires/results.html", context)
