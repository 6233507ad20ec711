"""Round pages: dashboards (province, office, agency, public, national), progress, milestones."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.core import audit, downloads, imports, once, versions
from itadesk.core.import_views import upload_preview_apply
from itadesk.core.models import AuditEvent
from itadesk.cycles import importing, rounds, selectors, services, sources
from itadesk.cycles.clock import clock, fill_countdowns
from itadesk.cycles.forms import MilestoneForm, ProgressForm
from itadesk.cycles.models import (
    APPROVED_ITEMS,
    PROGRESS,
    STAKEHOLDERS,
    Milestone,
    Progress,
    Round,
    round_scope,
)
from itadesk.cycles.rounds import office_or_404, participant_or_404, round_or_404
from itadesk.registry.models import Agency, AgencyKind, District, SupervisingOffice


def _filters(request, round):
    kind = request.GET.get("kind", "")
    if kind not in AgencyKind.values:
        kind = ""
    try:
        district_id = int(request.GET.get("district") or 0) or None
    except ValueError:
        district_id = None
    return {
        "kind": kind, "district_id": district_id, "kinds": AgencyKind.choices,
        "districts": District.objects.filter(province_id=round.province_id),
    }


@login_required
def home(request):
    """Send each user to the page of their role."""
    scope = access.scope_for(request.user)
    province_ids = access.province_ids_for(request.user)
    round = selectors.current_round(province_ids)
    if round is None:
        if scope.superuser:
            return redirect("national")
        return render(request, "cycles/no_round.html")
    landing = rounds.landing_url(request.user, round)
    if landing:
        return redirect(landing)
    if scope.agency_ids:  # the user's agency is not in the current round: say so, link to its rounds
        return rounds.not_in_round_response(request, round, status=200)
    raise PermissionDenied


def _agency_url(round) -> str:
    """The agency progress URL of the round without the agency id: templates append ``<id>/``,
    which is much cheaper than one ``{% url %}`` per row on pages listing hundreds of agencies."""
    return reverse("agency_progress", args=[round.pk, 0]).removesuffix("0/")


class _Followup:
    """The stakeholder and IIT/EIT block of a dashboard (agencies below the minimum per questionnaire, sorted by
    gap or by the days they still need, and the stakeholder data status) and the ITA Desk / ITAS checks: two
    pieces of the body (``PIECE_READS``) that share one follow-up when both are computed. ``rows``: a callable
    giving the participants."""

    def __init__(self, request, round, rows, *, page, export, may_see_page, now):
        self.request, self.round, self.rows, self.now = request, round, rows, now
        self.page, self.export, self.may_see_page = page, export, may_see_page
        self._follow = None

    def _get(self, trend: str):
        # The checks read no trend: computed for them alone (the follow-up piece kept), it is left out.
        if self._follow is None:
            sort = "days" if self.request.GET.get("sort") == "days" else "gap"
            self._follow = sources.source().followup(self.round, self.rows(), sort=sort, trend=trend, now=self.now)
        return self._follow

    def block(self) -> dict:
        """The follow-up's context (three queries)."""
        query = self.request.GET.copy()
        query.pop("sort", None)
        return {
            "followup": self._get("below"),
            "followup_page": self.page if self.may_see_page else "",
            "followup_export": self.export,
            "survey_url": reverse("surveys:agency", args=[self.round.pk, 0]).removesuffix("0/"),
            "sort_query": query.urlencode() + "&" if query else "",
            "below_slice": ":25",  # the first 25 per questionnaire; the follow-up page lists them all
        }

    def mismatches(self) -> dict:
        """The checks' context: ITA Desk beside ITAS."""
        return {"mismatches": sources.source().mismatches(self.round, self.rows(), follow=self._get("none"))}


def _participants(round, f, office=None, agencies=None) -> list:
    """The participants a dashboard or agency table lists (``selectors.participants``: the office's, or the
    province's without one, narrowed by the filters ``f``). They are read from tables under "global" only
    (participations, agencies, districts, the offices' rules), so they are kept in this process per version of it,
    language (the kinds' labels) and filters (``versions.kept``): a write of deadline day (an item, stakeholder
    data, progress) that makes the dashboard compute its pieces again does not read them again. Each request
    gets its own copy, which the pieces fill with progress."""
    return versions.kept(
        "dashboard_participants", (round.pk, office.pk if office else None, f["kind"], f["district_id"],
                                   get_language()), [],
        lambda: selectors.participants(round, agencies, kind=f["kind"], district_id=f["district_id"]))


def _once(compute):
    """``compute`` called on first use only (the participants, shared by the pieces computed in a request)."""
    value = []

    def get():
        if not value:
            value.append(compute())
        return value[0]
    return get


# What a dashboard's body reads of a round's own data: the milestones' progress, the stakeholder data and
# which items are past the agencies' drafts (ITA Desk beside ITAS: items approved by the executive). Not the
# drafts, nor the reviewers' decisions: an agency saving a draft or a reviewer passing an item, most writes
# of deadline day, leaves every dashboard cached.
DASHBOARD_READS = (PROGRESS, STAKEHOLDERS, APPROVED_ITEMS)

# The pieces of a dashboard's body and what each reads of the round's own data (besides "global": people,
# milestones, participants, response counts): each is kept under those versions only, so a write recomputes
# only the pieces that show what it changed — a stakeholder save the follow-up and the checks, an executive's
# approval the checks alone, a change of progress the milestones and the checks.
PIECE_READS = {
    "head": (),  # the reminder reach, the filters
    "progress": (PROGRESS,),  # the milestones' counts and late lists (the province's offices)
    "followup": (STAKEHOLDERS,),  # stakeholder data and IIT/EIT responses
    "mismatches": (PROGRESS, STAKEHOLDERS, APPROVED_ITEMS),  # ITA Desk beside ITAS
    "agencies": (),  # the office's count of agencies and its table's slot
}
# The office's agency table: each agency's progress per milestone.
TABLE_READS = (PROGRESS,)


def _scopes(round, reads) -> list[str]:
    return [round_scope(round.pk, part) for part in reads]


def _parts(request, round, scope_parts: tuple, now) -> tuple:
    """What a dashboard's cached HTML depends on besides the versions of its data: the round, what the user may
    see (``scope_parts``), language, filters, and deadlines passed and day (``clock.clock``)."""
    query = sorted((k, v) for k, v in request.GET.lists() if k != "part")
    return (round.pk, *scope_parts, get_language(), query, clock(round, now))


def _dashboard_body(request, name: str, round, scope_parts: tuple, template: str, pieces) -> str:
    """The part of a dashboard that reads the round's data, rendered once per version of that data
    (core.versions: ``DASHBOARD_READS``, and any write outside the round's busy tables) and ``_parts``; its
    countdowns set afresh on every request.

    ``pieces(now)`` gives ``{piece: (template, context)}`` at the ``now`` the key was made for; when the body
    is not in the cache, each piece is rendered with ``context()`` or taken from the cache, where it is kept
    under the versions of what it reads only (``PIECE_READS``), and ``template`` puts them together."""
    now = timezone.now()
    parts = _parts(request, round, scope_parts, now)

    def piece(key, piece_template, context):
        return mark_safe(versions.cached(f"{name}:{key}", parts, _scopes(round, PIECE_READS[key]),
                                         lambda: render_to_string(piece_template, context(), request=request)))

    def assemble():
        made = pieces(now)
        return render_to_string(template, {key: piece(key, *made[key]) for key in made})

    return fill_countdowns(versions.cached(name, parts, _scopes(round, DASHBOARD_READS), assemble), now)


def _reach_flags(request, round, office=None) -> tuple[bool, bool]:
    """What decides the reminder-reach box of a dashboard (accounts' ``reminder_reach`` tag) for this person."""
    return (access.can(request.user, "view_contacts", office or round.province),
            access.can(request.user, "manage_people", round.province))


@login_required
def round_dashboard(request, round_id):
    round = round_or_404(round_id)
    access.require(request.user, "view_province", round.province)
    followup_page = access.can(request.user, "view_followup", round)

    def pieces(now):
        f = _filters(request, round)
        rows = _once(lambda: _participants(round, f))
        base = {"round": round, "office": None, "filters": f, "agency_url": _agency_url(round)}
        follow = _Followup(request, round, rows, page=reverse("surveys:followup", args=[round.pk]),
                           export=reverse("surveys:export_province", args=[round.pk]), may_see_page=followup_page,
                           now=now)
        return {
            "head": ("cycles/partials/dashboard_head.html", lambda: base),
            "progress": ("cycles/partials/round_progress.html", lambda: {
                **base, "offices": SupervisingOffice.objects.filter(province_id=round.province_id),
                "stats": selectors.round_dashboard(round, kind=f["kind"], district_id=f["district_id"], rows=rows(),
                                                   now=now)}),
            "followup": ("surveys/partials/dashboard.html", lambda: {**base, **follow.block()}),
            "mismatches": ("surveys/partials/mismatches.html", lambda: {**base, **follow.mismatches()}),
        }

    body = _dashboard_body(request, "round_dashboard", round, (followup_page, *_reach_flags(request, round)),
                           "cycles/partials/round_dashboard_body.html", pieces)
    return render(request, "cycles/round_dashboard.html", {
        "round": round, "body": body,
        "rounds": Round.objects.filter(province_id=round.province_id),
        "can_manage": access.can(request.user, "manage_round", round.province),
        "can_import": access.can(request.user, "import_progress", round),
    })


def _office(request, round_id, office_id):
    round = round_or_404(round_id)
    office = office_or_404(round, office_id)
    access.require(request.user, "view_office", office)
    return round, office


def _query(request) -> str:
    """The dashboard's filters (kind, district) as a query string for the agency table's URL and back, "?" first
    when there are any (not the follow-up's sort: the table does not depend on it)."""
    query = request.GET.copy()
    for name in list(query):
        if name not in ("kind", "district"):
            query.pop(name)
    return f"?{query.urlencode()}" if query else ""


@login_required
def office_dashboard(request, round_id, office_id):
    round, office = _office(request, round_id, office_id)
    followup_page = access.can(request.user, "view_followup", round)

    def pieces(now):
        f = _filters(request, round)
        agencies = Agency.objects.filter(office.agency_q())
        rows = _once(lambda: _participants(round, f, office, agencies))
        base = {"round": round, "office": office, "filters": f, "agency_url": _agency_url(round)}
        follow = _Followup(request, round, rows,
                           page=reverse("surveys:followup", args=[round.pk]) + f"?office={office.pk}",
                           export=reverse("surveys:export_office", args=[round.pk, office.pk]),
                           may_see_page=followup_page, now=now)
        return {
            "head": ("cycles/partials/dashboard_head.html", lambda: base),
            "progress": ("cycles/partials/office_progress.html", lambda: {
                **base, "stats": selectors.round_dashboard(round, agencies, kind=f["kind"], district_id=f["district_id"],
                                                           group_by_office=False, rows=rows(), now=now)}),
            "followup": ("surveys/partials/dashboard.html", lambda: {**base, **follow.block()}),
            "mismatches": ("surveys/partials/mismatches.html", lambda: {**base, **follow.mismatches()}),
            "agencies": ("cycles/partials/office_agencies_link.html", lambda: {
                "rows": rows(), "table_url": reverse("office_agencies", args=[round.pk, office.pk]) + _query(request)}),
        }

    body = _dashboard_body(request, "office_dashboard", round,
                           (office.pk, followup_page, *_reach_flags(request, round, office)),
                           "cycles/partials/office_dashboard_body.html", pieces)
    return render(request, "cycles/office_dashboard.html", {
        "round": round, "office": office, "body": body,
        "can_import": access.can(request.user, "import_progress", round),
    })


@login_required
def office_agencies(request, round_id, office_id):
    """The office's agency table (each agency's progress per milestone): loaded by the office dashboard when
    the person scrolls to it (``?part=table``: the table alone), or a page of its own (the dashboard's link,
    without JavaScript). Kept as the dashboard is, under the versions of the progress only (``TABLE_READS``);
    the same access."""
    round, office = _office(request, round_id, office_id)

    now = timezone.now()

    def context():
        f = _filters(request, round)
        agencies = Agency.objects.filter(office.agency_q())
        rows = _participants(round, f, office, agencies)
        return {"milestones": selectors.progress_cells(round, rows, now=now, agencies=agencies, kind=f["kind"],
                                                       district_id=f["district_id"]),
                "rows": rows, "agency_url": _agency_url(round)}

    table = fill_countdowns(versions.cached(
        "office_agencies", _parts(request, round, (office.pk,), now), _scopes(round, TABLE_READS),
        lambda: render_to_string("cycles/partials/office_agencies.html", context(), request=request)), now)
    if request.GET.get("part") == "table":
        return HttpResponse(table)
    return render(request, "cycles/office_agencies.html", {
        "round": round, "office": office, "table": table,
        "dashboard_url": reverse("office_dashboard", args=[round.pk, office.pk]) + _query(request),
    })


@login_required
def agency_progress(request, round_id, agency_id):
    round = round_or_404(round_id)
    agency = participant_or_404(request.user, round, agency_id)
    timeline = selectors.agency_timeline(round, agency)
    can_edit = access.can(request.user, "set_progress", agency)
    items = [{"milestone": m, "progress": p, "late": late,
              "form": ProgressForm(initial={"status": p.status if p else "not_started",
                                            "note": p.note if p else ""}, prefix=f"m{m.pk}")}
             for m, p, late in timeline]
    progress_ids = [p.pk for _m, p, _l in timeline if p]
    from django.contrib.contenttypes.models import ContentType

    history = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Progress), object_id__in=[str(i) for i in progress_ids]
    ).select_related("actor")[:100]
    participation = round.participations.get(agency=agency)

    checks = sources.source().checks(round, selectors.participants(round, Agency.objects.filter(pk=agency.pk)))
    for it in items:
        it["check"] = checks.get(agency.pk, {}).get(it["milestone"].code)
    return render(request, "cycles/agency_progress.html", {
        "round": round, "agency": agency, "items": items, "can_edit": can_edit, "history": history,
        "participation": participation, "milestones": {m.pk: m for m, _p, _l in timeline},
    })


@login_required
@require_POST
def set_progress(request, round_id, agency_id, milestone_id):
    round = round_or_404(round_id)
    agency = participant_or_404(request.user, round, agency_id)
    access.require(request.user, "set_progress", agency)
    milestone = get_object_or_404(Milestone, pk=milestone_id, round=round)
    form = ProgressForm(request.POST, prefix=f"m{milestone.pk}")
    if form.is_valid():
        try:
            p = services.set_progress(actor=request.user, agency=agency, milestone=milestone,
                                      status=form.cleaned_data["status"], note=form.cleaned_data["note"])
        except ValidationError as e:
            messages.error(request, "; ".join(e.messages))
        else:
            msg = _("Saved: %(m)s — %(s)s") % {"m": milestone.name_th, "s": p.get_status_display()}
            if p.changed_late:
                msg += " " + _("(recorded after the deadline: marked late)")
            messages.success(request, msg)
    else:
        messages.error(request, _("Please check the form: %(e)s") % {"e": form.errors.as_text()})
    return redirect("agency_progress", round_id=round.pk, agency_id=agency.pk)


@login_required
def milestone_list(request, round_id):
    round = round_or_404(round_id)
    access.require(request.user, "manage_round", round.province)
    return render(request, "cycles/milestone_list.html", {
        "round": round, "milestones": round.milestones.all(),
        "history": audit.history_for(round)[:30],
    })


@login_required
def milestone_edit(request, round_id, milestone_id=None):
    round = round_or_404(round_id)
    access.require(request.user, "manage_round", round.province)
    milestone = get_object_or_404(Milestone, pk=milestone_id, round=round) if milestone_id else Milestone(round=round)
    creating = milestone.pk is None
    if creating and (repeat := once.repeat_response(request)) is not None:  # the same new form sent again
        return repeat
    form = MilestoneForm(request.POST or None, instance=milestone, round=round)
    if request.method == "POST" and form.is_valid():
        def save():
            services.save_milestone(actor=request.user, milestone=milestone, changes={
                k: form.cleaned_data[k] for k in form.Meta.fields})
            return milestone

        list_url = reverse("milestone_list", args=[round.pk])
        if creating:
            made, _url = once.create_once(request, save, lambda _made: list_url)
            if made is None:  # a copy that arrived while the first was being saved
                return once.repeat_response(request) or redirect(list_url)
        else:
            save()
        messages.success(request, _("Milestone saved."))
        return redirect(list_url)
    if (repeat := once.repeat_after_invalid(request, form, creating)) is not None:
        return repeat
    history = audit.history_for(milestone)[:30] if milestone.pk else []
    return render(request, "cycles/milestone_form.html", {"round": round, "form": form, "milestone": milestone,
                                                          "history": history})


@login_required
@require_POST
def milestone_delete(request, round_id, milestone_id):
    round = round_or_404(round_id)
    access.require(request.user, "manage_round", round.province)
    milestone = get_object_or_404(Milestone, pk=milestone_id, round=round)
    services.delete_milestone(actor=request.user, milestone=milestone)
    messages.success(request, _("Milestone deleted."))
    return redirect("milestone_list", round_id=round.pk)


@login_required
@require_POST
def toggle_public(request, round_id):
    round = round_or_404(round_id)
    access.require(request.user, "manage_round", round.province)
    services.set_public_dashboard(actor=request.user, round=round, public=request.POST.get("public") == "1")
    messages.success(request, _("The public dashboard is now on.") if round.public_dashboard
                     else _("The public dashboard is now off."))
    return redirect("round_dashboard", round_id=round.pk)


def public_dashboard(request, round_id):
    round = round_or_404(round_id)
    if not round.public_dashboard:
        raise Http404
    stats = selectors.round_dashboard(round, group_by_office=False)
    return render(request, "cycles/public_dashboard.html", {"round": round, "stats": stats})


@login_required
def national(request):
    if not access.scope_for(request.user).superuser:
        raise PermissionDenied
    return render(request, "cycles/national.html", {"rows": selectors.national_rollup()})


# --- progress import / export -------------------------------------------------------------------

@imports.importer
def progress_importer(user, *, round_id, allowed_agency_ids=None):
    """Plan and apply of the progress import (run by the page, or by a background job for a large file)."""
    round = Round.objects.get(pk=round_id)
    allowed = None if allowed_agency_ids is None else set(allowed_agency_ids)

    def apply(plan):
        return _("Import applied: %(s)s") % {"s": importing.apply_progress_import(actor=user, plan=plan)}

    return (lambda data, name: importing.plan_progress_import(
        data=data, filename=name, round=round, allowed_agency_ids=allowed)), apply


@login_required
def progress_import(request, round_id):
    round = round_or_404(round_id)
    access.require(request.user, "import_progress", round)
    allowed = None if access.predicates.secretariat_of(access.scope_for(request.user), round.province_id) else sorted(
        access.agencies_for(request.user).values_list("pk", flat=True))
    return upload_preview_apply(
        request, importer=progress_importer, params={"round_id": round.pk, "allowed_agency_ids": allowed},
        done=reverse("round_dashboard", args=[round.pk]),
        restart=reverse("progress_import", args=[round.pk]), template="cycles/progress_import.html",
        context={"round": round})


@login_required
def progress_export(request, round_id):
    round = round_or_404(round_id)
    access.require(request.user, "export_progress", round)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    downloads.attach(response, downloads.download_name(f"progress-{round.fiscal_year}", "xlsx"))
    importing.export_progress(response, round, "xlsx", agencies=access.agencies_for(request.user))
    return response


