"""Pages of the stakeholder data and the IIT/EIT response follow-up: the agency page (enter, approve,
unlock, counts, trend), the follow-up table of a province or an office, the import and the exports."""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import Context
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.core import downloads, imports, versions
from itadesk.core.import_views import upload_preview_apply
from itadesk.core.views import run_service
from itadesk.cycles import selectors as cycle_selectors
from itadesk.cycles.models import Milestone, Round
from itadesk.cycles.rounds import not_in_round_response, participant_or_404, round_or_404
from itadesk.registry.models import Agency, SupervisingOffice
from itadesk.surveys import importing, reads, selectors, services
from itadesk.surveys.forms import ResponseForm, StakeholderForm, UnlockForm
from itadesk.surveys.models import STAFF_TYPES
from itadesk.surveys.templatetags import followup as followup_tags

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def home(request):
    """The follow-up page of the user's role: the province's or office's table, or the agency's page."""
    scope = access.scope_for(request.user)
    round_ = cycle_selectors.current_round(access.province_ids_for(request.user))
    if round_ is None:
        return render(request, "cycles/no_round.html")
    if access.can(request.user, "view_followup", round_):
        return redirect("surveys:followup", round_id=round_.pk)
    agency = Agency.objects.filter(pk__in=scope.agency_ids, participations__round=round_).order_by("pk").first()
    if agency is not None:
        return redirect("surveys:agency", round_id=round_.pk, agency_id=agency.pk)
    if scope.agency_ids:  # not in the current round: say so, link to its rounds
        return not_in_round_response(request, round_, status=200)
    raise PermissionDenied


def _milestones(round) -> list[Milestone]:
    """The round's milestones in their order (the model's order within a round, without its joins to the round and
    province), kept under the data versions with the page cache on: milestones are under "global"."""
    return versions.kept("surveys-milestones", [round.pk], [], lambda: list(
        Milestone.objects.filter(round_id=round.pk).order_by("order", "deadline")))


def _history(round, agency) -> dict[str, list]:
    """``selectors.agency_history`` (every count of the agency, with who entered it), kept under the data versions
    with the page cache on: response counts are under their agency (surveys.apps), people under "global"."""
    return versions.kept("surveys-history", [round.pk, agency.pk], [f"agency:{agency.pk}"],
                         lambda: selectors.agency_history(round, agency))


def _names(user_ids) -> dict[int, str]:
    """The people of ``user_ids`` as the page names them (full name, else user name), kept under the data versions
    with the page cache on: people are under "global" (a login's time bumps its person's own scope only, and is not
    shown)."""
    ids = sorted({pk for pk in user_ids if pk is not None})
    if not ids:
        return {}
    return versions.kept("surveys-names", ids, [], lambda: {
        u.pk: u.get_full_name() or u.username for u in get_user_model().objects.filter(pk__in=ids)})


@lru_cache(maxsize=32)
def _response_fields(instruments: tuple, today, language: str) -> str:
    """The response form's fields as the agency page shows them before anything is sent: rendered once per process
    for each round's questionnaires, day and language (they depend on nothing else: the date is today's, the counts
    empty). A form sent back with errors is rendered afresh (``_agency_page``)."""
    return followup_tags.response_fields(Context(), ResponseForm(instruments=instruments, today=today))


def _agency_page(request, round, agency, *, stake_form=None, response_form=None, unlock_form=None, status=200):
    user = request.user
    round_milestones = _milestones(round)  # read here and by the follow-up selector: once
    data, events = reads.data_with_log(round.pk, agency.pk)  # one query, built once per process
    names = _names([data.entered_by_id, data.approved_by_id]) if data else {}
    can_edit = access.can(user, "edit_stakeholders", agency)
    can_enter = access.can(user, "enter_responses", agency)
    insts = selectors.instruments(round)
    today = selectors.today()
    if stake_form is None and can_edit and not (data and data.locked):
        stake_form = StakeholderForm(initial=StakeholderForm.initial_from(data))
    if response_form is not None:  # sent back with errors
        response_fields = followup_tags.response_fields(Context(), response_form)
    else:
        response_fields = _response_fields(tuple(insts), today, get_language()) if can_enter else None
    # The agency's own row, counts and data, read here once for the follow-up and the page (it is a participant:
    # participant_or_404; its district is read with it).
    history = _history(round, agency)
    row = SimpleNamespace(id=agency.pk, name=agency.name_th, kind_label=agency.get_kind_display(),
                          district=agency.district.name_th if agency.district_id else "")
    fu = selectors.followup(round, [row], trend_days=28, milestones=round_milestones, count_rows=[c for cs in history.values() for c in cs],
                            stakeholders={agency.pk: {
                                "agency_id": agency.pk, "state": data.state, "internal_count": data.internal_count,
                                "external_people": data.external_people,
                                "external_organizations": data.external_organizations,
                                "approved_late": data.approved_late}} if data else {})
    milestones = {m.code: m for m in round_milestones}
    breakdown = [(label, (data.internal_breakdown or {}).get(key)) for key, label in STAFF_TYPES] if data else []
    return render(request, "surveys/agency.html", {
        "round": round, "agency": agency, "data": data, "stake_form": stake_form, "response_fields": response_fields,
        "unlock_form": unlock_form or UnlockForm(), "can_edit": can_edit, "can_enter": can_enter,
        "can_approve": access.can(user, "approve_stakeholders", agency),
        "can_unlock": access.can(user, "unlock_stakeholders", agency),
        "row": fu.rows[0] if fu.rows else None, "followup": fu, "breakdown": breakdown,
        "history": [(i, history.get(i.code, [])) for i in insts],
        "entered_by": names.get(data.entered_by_id) if data else None,
        "approved_by": names.get(data.approved_by_id) if data else None,
        "events": events,  # the log shows who as recorded
        "stake_milestone": milestones.get(selectors.STAKEHOLDERS_MILESTONE),
        "responses_milestone": milestones.get(selectors.RESPONSES_MILESTONE),
        "rules": selectors.sample_rules(round),
    }, status=status)


@login_required
def agency(request, round_id, agency_id):
    round_ = round_or_404(round_id)
    agency = participant_or_404(request.user, round_, agency_id)
    return _agency_page(request, round_, agency)


@login_required
@require_POST
def stakeholders_save(request, round_id, agency_id):
    round_ = round_or_404(round_id)
    agency = participant_or_404(request.user, round_, agency_id)
    access.require(request.user, "edit_stakeholders", agency)
    form = StakeholderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The stakeholder data was not saved: please correct the fields marked below."))
        return _agency_page(request, round_, agency, stake_form=form, status=400)
    c = form.cleaned_data

    def saved(data):
        msg = _("Stakeholder data saved; it now waits for the executive's approval.")
        return msg + " " + _("(recorded after the deadline: marked late)") if data.entered_late else msg

    return run_service(request, lambda: services.save_stakeholders(
        actor=request.user, round=round_, agency=agency, internal_count=c["internal_count"],
        internal_breakdown=c["internal_breakdown"], external_people=c["external_people"],
        external_organizations=c["external_organizations"], external_groups=c["groups"]),
        success=saved, redirect_to=reverse("surveys:agency", kwargs={"round_id": round_.pk, "agency_id": agency.pk}))


@login_required
@require_POST
def stakeholders_approve(request, round_id, agency_id):
    round_ = round_or_404(round_id)
    agency = participant_or_404(request.user, round_, agency_id)
    access.require(request.user, "approve_stakeholders", agency)

    def approved(data):
        msg = _("Stakeholder data approved and locked.")
        return msg + " " + _("(recorded after the deadline: marked late)") if data.approved_late else msg

    return run_service(request, lambda: services.approve_stakeholders(actor=request.user, round=round_, agency=agency),
                       success=approved,
                       redirect_to=reverse("surveys:agency", kwargs={"round_id": round_.pk, "agency_id": agency.pk}))


@login_required
@require_POST
def stakeholders_unlock(request, round_id, agency_id):
    round_ = round_or_404(round_id)
    agency = participant_or_404(request.user, round_, agency_id)
    access.require(request.user, "unlock_stakeholders", agency)
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reason for unlocking: required."))
        return redirect("surveys:agency", round_id=round_.pk, agency_id=agency.pk)
    return run_service(
        request, lambda: services.unlock_stakeholders(actor=request.user, round=round_, agency=agency,
                                                      reason=form.cleaned_data["reason"]),
        success=_("Stakeholder data unlocked; the agency can correct it and the executive " "approves it again."),
        redirect_to=reverse("surveys:agency", kwargs={"round_id": round_.pk, "agency_id": agency.pk}))


@login_required
@require_POST
def responses_save(request, round_id, agency_id):
    round_ = round_or_404(round_id)
    agency = participant_or_404(request.user, round_, agency_id)
    access.require(request.user, "enter_responses", agency)
    form = ResponseForm(request.POST, instruments=selectors.instruments(round_), today=selectors.today())
    if not form.is_valid():
        messages.error(request, _("The response counts were not saved: please correct the fields marked below."))
        return _agency_page(request, round_, agency, response_form=form, status=400)
    return run_service(
        request, lambda: services.record_responses(actor=request.user, round=round_, agency=agency,
                                                   on_date=form.cleaned_data["on_date"],
                                                   counts=form.cleaned_data["counts"]),
        success=lambda changed: _("Response counts saved (%(n)s changed).") % {"n": len(changed)},
        redirect_to=reverse("surveys:agency", kwargs={"round_id": round_.pk, "agency_id": agency.pk}))


# ----------------------------------------------------------------------------- province / office table


def _sort(request) -> str:
    return "days" if request.GET.get("sort") == "days" else "gap"


@login_required
def followup(request, round_id):
    round_ = round_or_404(round_id)
    access.require(request.user, "view_followup", round_)
    offices = access.offices_for(request.user).filter(province_id=round_.province_id)
    agencies = access.agencies_for(request.user)
    office = None
    if request.GET.get("office", "").isdigit():
        office = offices.filter(pk=int(request.GET["office"])).first()
        if office is not None:
            agencies = agencies.filter(office.agency_q())
    rows = cycle_selectors.participants(round_, agencies)
    fu = selectors.followup(round_, rows, sort=_sort(request))
    return render(request, "surveys/followup.html", {
        "round": round_, "followup": fu, "office": office, "offices": offices, "sort": fu.sort,
        "sort_query": f"office={office.pk}&" if office else "",
        "agency_url": reverse("surveys:agency", args=[round_.pk, 0]).removesuffix("0/"),
        "can_import": access.can(request.user, "import_responses", round_),
    })


@imports.importer
def response_importer(user, *, round_id, allowed_agency_ids=None):
    """Plan and apply of the response-count import (run by the page, or by a background job for a large file)."""
    round = Round.objects.get(pk=round_id)
    allowed = None if allowed_agency_ids is None else set(allowed_agency_ids)

    def apply(plan):
        return _("Import applied: %(s)s") % {"s": importing.apply_response_import(actor=user, plan=plan)}

    return (lambda data, name: importing.plan_response_import(
        data=data, filename=name, round=round, allowed_agency_ids=allowed)), apply


@login_required
def responses_import(request, round_id):
    round_ = round_or_404(round_id)
    access.require(request.user, "import_responses", round_)
    allowed = None if access.predicates.secretariat_of(access.scope_for(request.user), round_.province_id) else sorted(
        access.agencies_for(request.user).values_list("pk", flat=True))
    return upload_preview_apply(
        request, importer=response_importer, params={"round_id": round_.pk, "allowed_agency_ids": allowed},
        done=reverse("surveys:followup", args=[round_.pk]),
        restart=reverse("surveys:import", args=[round_.pk]), template="surveys/import.html",
        context={"round": round_, "instruments": selectors.instruments(round_)})


def _xlsx(rows, round, name):
    response = HttpResponse(content_type=XLSX)
    downloads.attach(response, name)
    importing.export_followup(response, round, rows)
    return response


@login_required
def export_province(request, round_id):
    round_ = round_or_404(round_id)
    access.require(request.user, "export_followup", round_)
    rows = cycle_selectors.participants(round_, access.agencies_for(request.user))
    return _xlsx(rows, round_, downloads.download_name(f"followup-{round_.fiscal_year}", "xlsx"))


@login_required
def export_office(request, round_id, office_id):
    round_ = round_or_404(round_id)
    office = get_object_or_404(SupervisingOffice, pk=office_id, province_id=round_.province_id)
    access.require(request.user, "export_followup", office)
    agencies = access.agencies_for(request.user).filter(office.agency_q())
    rows = cycle_selectors.participants(round_, agencies)
    return _xlsx(rows, round_, downloads.download_name(f"followup-{round_.fiscal_year}-{office.code}", "xlsx"))
