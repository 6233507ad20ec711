"""The secretariat's round pages: start the next round (form → preview → confirm), the round's settings, and
its participants in bulk. Writes go through ``cycles/round_setup.py``; everything here is the secretariat's
(``manage_round`` on the round's province)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from itadesk.accounts import access
from itadesk.core import audit, once
from itadesk.core.thai import BANGKOK, fiscal_year_of, to_bangkok
from itadesk.cycles import round_admin, round_setup
from itadesk.cycles.models import Participation, PublicHoliday, Round
from itadesk.cycles.round_forms import AgencyPickForm, HolidayForm, NewRoundForm, RoundSettingsForm
from itadesk.cycles.rounds import round_or_404
from itadesk.methodology import services as methodology
from itadesk.methodology.models import FrameworkVersion, round_has_data
from itadesk.registry.models import Agency


def _refusal(exc: round_setup.RoundRefused) -> str:
    return exc.text(translation.get_language())


def _picked(form: AgencyPickForm, province) -> tuple[set[int], list[str]]:
    """Agency ids picked by the filter and by the codes, and an error per unknown code."""
    ids: set[int] = set()
    if form.has_filter():
        d = form.cleaned_data
        ids |= set(round_admin.select_agencies(province, kind=d.get("kind") or "", district_id=getattr(
            d.get("district"), "pk", None), office=d.get("office")).values_list("pk", flat=True))
    code_ids, errors = round_admin.agencies_from_codes(province, form.code_text())
    return ids | set(code_ids), errors


def _ids(request, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


@login_required
def round_new(request):
    """เริ่มรอบการประเมินใหม่: the first POST shows a preview; the preview's "create" writes it."""
    province = access.province_to_work_on(request, "manage_round")
    if request.POST.get("action") == "create" and (repeat := once.repeat_response(request)) is not None:
        return repeat  # the confirmed round sent again: its dashboard
    source_codes = []
    if request.method == "POST" and request.POST.get("source", "").isdigit():
        source = Round.objects.filter(pk=request.POST["source"], province=province).first()
    else:
        source = Round.objects.filter(province=province).order_by("-fiscal_year").first()
    if source is not None:
        source_codes = list(source.milestones.values_list("code", flat=True))
    initial = {"fiscal_year": fiscal_year_of(timezone.localdate(timezone=BANGKOK)),
               "source": source, "make_current": True, "participants": "province"}
    if request.method != "POST":
        return render(request, "cycles/round_new.html", {
            "form": NewRoundForm(initial=initial, province=province), "province": province, "plan": None})
    form = NewRoundForm(request.POST, province=province, milestone_codes=source_codes)
    pick = AgencyPickForm(request.POST, request.FILES, province=province, prefix="pick")
    plan = None
    if form.is_valid() and pick.is_valid():
        d = form.cleaned_data
        previewed = request.POST.get("previewed") == "1"
        only = set(_ids(request, "agencies")) if previewed else None
        add, remove = set(), set()
        action = request.POST.get("action", "preview")
        if action in ("add", "remove"):
            picked, errors = _picked(pick, province)
            for error in errors:
                pick.add_error("codes", error)
            (add if action == "add" else remove).update(picked)
        try:
            plan = round_setup.plan_next_round(
                province=province, fiscal_year=d["fiscal_year"], source=d["source"] or source,
                framework=d["framework"], participants=d["participants"], only=only, add=add, remove=remove,
                deadlines=form.deadlines() if previewed else None, adopt_coaching=d["adopt_coaching"],
                make_current=d["make_current"])
        except round_setup.RoundRefused as exc:
            form.add_error(None, _refusal(exc))
        if plan is not None and action == "create" and not pick.errors:
            try:
                new, url = once.create_once(request, lambda: round_setup.create_round(actor=request.user, plan=plan),
                                            lambda made: reverse("round_dashboard", args=[made.pk]))
            except round_setup.RoundRefused as exc:
                form.add_error(None, _refusal(exc))
            except DatabaseError:
                form.add_error(None, _("The round could not be created; nothing was saved. Check the preview "
                                       "and try again."))
            else:
                if new is None:  # a copy that arrived while the first was being created
                    return once.repeat_response(request) or redirect(url)
                messages.success(request, _("%(name)s was created: %(m)d milestones, %(a)d agencies.") % {
                    "name": new.name, "m": len(plan.milestones), "a": len(plan.agencies)})
                return redirect("round_dashboard", round_id=new.pk)
    if (repeat := once.repeat_after_invalid(request, form, request.POST.get("action") == "create")) is not None:
        return repeat  # a copy of this post created the round while this one was checked (its year now taken)
    chosen = {a.pk for a in plan.agencies} if plan else set()
    if plan is not None and not form.errors:
        # the form again, unbound, showing every deadline as planned (moved, or as typed on the preview)
        form = NewRoundForm(initial={**form.cleaned_data, **{
            f"deadline-{m.code}": to_bangkok(m.deadline).date() for m in plan.milestones}},
            province=province, milestone_codes=[m.code for m in plan.milestones])
    return render(request, "cycles/round_new.html", {
        "form": form, "pick": pick, "province": province, "plan": plan, "chosen": chosen,
        "all_agencies": Agency.objects.filter(province=province).select_related("district") if plan else [],
        "deadline_fields": [form[f"deadline-{m.code}"] for m in plan.milestones
                            if f"deadline-{m.code}" in form.fields] if plan else [],
    })


def _round_for(request, round_id) -> Round:
    round = round_or_404(round_id)
    access.require(request.user, "manage_round", round.province)
    return round


@login_required
def round_settings(request, round_id):
    """Name, public page, framework (while the round has no data), current round, close or reopen."""
    round = _round_for(request, round_id)
    form = RoundSettingsForm(initial={"name": round.name, "public_dashboard": round.public_dashboard})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save":
                form = RoundSettingsForm(request.POST)
                if form.is_valid():
                    round_admin.update_round(actor=request.user, round=round, **form.cleaned_data)
                    messages.success(request, _("The round's settings were saved."))
                    return redirect("round_settings", round_id=round.pk)
            elif action == "framework":
                fw = FrameworkVersion.objects.filter(pk=request.POST.get("framework") or 0).first()
                methodology.set_round_framework(actor=request.user, round=round, framework=fw)
                messages.success(request, _("The round's framework was changed."))
                return redirect("round_settings", round_id=round.pk)
            elif action == "current":
                round_admin.make_current(actor=request.user, round=round)
                messages.success(request, _("%(name)s is now the current round.") % {"name": round.name})
                return redirect("round_settings", round_id=round.pk)
            elif action in ("close", "reopen"):
                round_admin.set_state(actor=request.user, round=round,
                                 state=Round.State.CLOSED if action == "close" else Round.State.OPEN)
                messages.success(request, _("The round was closed: its progress is frozen.") if action == "close"
                                 else _("The round was opened again."))
                return redirect("round_settings", round_id=round.pk)
        except round_setup.RoundRefused as exc:
            messages.error(request, _refusal(exc))
        except methodology.FrameworkLocked as exc:
            messages.error(request, exc.en if translation.get_language().startswith("en") else exc.th)

    return render(request, "cycles/round_settings.html", {
        "round": round, "form": form, "frameworks": FrameworkVersion.objects.all(),
        "framework_locked": bool(round.framework_id) and round_has_data(round),
        "rounds": Round.objects.filter(province_id=round.province_id),
        "participants": round.participations.count(),
        "history": audit.history_for(round)[:20],
    })


@login_required
def round_participants(request, round_id):
    """The round's agencies in bulk: a filtered checkbox list to remove, a filter or a list of codes to add,
    and the province's agencies that are in no round, each with "add"."""
    round = _round_for(request, round_id)
    province = round.province
    pick = AgencyPickForm(request.POST or None, request.FILES or None, province=province, prefix="pick")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "remove":
                n = round_admin.remove_participants(actor=request.user, round=round, agency_ids=_ids(request, "agencies"))
                messages.success(request, _("%(n)d agencies were removed from the round.") % {"n": n})
                return redirect("round_participants", round_id=round.pk)
            if action in ("add", "add_one") and (action == "add_one" or pick.is_valid()):
                ids, errors = (set(_ids(request, "agency")), []) if action == "add_one" else _picked(pick, province)
                for error in errors:
                    pick.add_error("codes", error)
                if not errors:
                    n = round_admin.add_participants(actor=request.user, round=round, agency_ids=ids)
                    messages.success(request, _("%(n)d agencies were added to the round.") % {"n": n})
                    return redirect("round_participants", round_id=round.pk)
        except round_setup.RoundRefused as exc:
            messages.error(request, _refusal(exc))
    filters = AgencyPickForm(request.GET or None, province=province, prefix="f")
    rows = Participation.objects.filter(round=round).select_related("agency", "agency__district")
    if filters.is_valid() and filters.has_filter():
        d = filters.cleaned_data
        rows = rows.filter(agency__in=round_admin.select_agencies(province, kind=d.get("kind") or "", district_id=getattr(
            d.get("district"), "pk", None), office=d.get("office")))
    return render(request, "cycles/round_participants.html", {
        "round": round, "pick": pick, "filters": filters, "rows": rows.order_by("agency__name_th"),
        "outside": round_admin.agencies_in_no_round(province).select_related("district"),
    })


@login_required
def holidays(request):
    """The public holidays deadlines are checked against (national data, with sources): any province's
    secretariat (and superusers) may add or remove one."""
    access.require(request.user, "manage_round")
    form = HolidayForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("delete", "").isdigit():
                holiday = get_object_or_404(PublicHoliday, pk=request.POST["delete"])
                round_admin.delete_holiday(actor=request.user, holiday=holiday)
                messages.success(request, _("The holiday was removed."))
                return redirect("holidays")
            if form.is_valid():
                d = form.cleaned_data
                round_admin.add_holiday(actor=request.user, year_ce=d["year"] - 543 if d["year"] else None,
                                   month=d["month"], day=d["day"], name_th=d["name_th"], name_en=d["name_en"],
                                   source=d["source"])
                messages.success(request, _("The holiday was added."))
                return redirect("holidays")
        except round_setup.RoundRefused as exc:
            form.add_error(None, _refusal(exc))
    return render(request, "cycles/holidays.html", {"form": form, "holidays": PublicHoliday.objects.all()})
