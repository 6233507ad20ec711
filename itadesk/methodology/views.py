"""Last years' results: analysis pages, exports, target groups, results import, the score
calculator and the what-if planner. Every page is scoped by ``access.agencies_for(user)``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.core import audit, downloads, imports
from itadesk.core.import_views import upload_preview_apply
from itadesk.core.tabular import write_table
from itadesk.cycles.selectors import framework_round
from itadesk.evidence.selectors import ready_in_workspace
from itadesk.methodology import analysis, importing, planner, services
from itadesk.methodology.models import AssessmentResult, FrameworkVersion, TargetGroup
from itadesk.registry.models import Province

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _province(request) -> Province:
    """The province the page is about: ``?province=`` for users with several, else theirs."""
    ids = access.province_ids_for(request.user)
    if not ids:
        raise PermissionDenied
    wanted = request.GET.get("province") or request.POST.get("province")
    if wanted and wanted.isdigit() and int(wanted) in ids:
        return Province.objects.get(pk=int(wanted))
    return Province.objects.filter(pk__in=ids).order_by("code").first()


def _scope(request):
    province = _province(request)
    access.require(request.user, "view_results", province)
    return province, access.agencies_for(request.user).filter(province=province)


def _year(request, available: list[int]) -> int | None:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    if raw.isdigit() and int(raw) in available:
        return int(raw)
    return available[-1] if available else None


@login_required
def overview(request):
    province, agencies = _scope(request)
    years = analysis.years(agencies)
    year = _year(request, years)
    context = {"province": province, "years": years, "year": year, "shares": analysis.pass_share_by_year(agencies),
               "target": analysis.NATIONAL_TARGET_PERCENT,
               "can_import": access.can(request.user, "import_results", province),
               "demo": AssessmentResult.objects.filter(agency__in=agencies, source__startswith="demo:").exists()}
    if year:
        found = analysis.findings(agencies, year)
        context["failing"] = analysis.failing(agencies, year, found)
        context["oit_low"] = analysis.passed_but_oit_low(agencies, year, found)
        context["trend_years"], context["trend_rows"] = analysis.district_trend(agencies)
    return render(request, "methodology/overview.html", context)


@login_required
def heatmap(request):
    province, agencies = _scope(request)
    years = analysis.years(agencies)
    year = _year(request, years)
    by = "kind" if request.GET.get("by") == "kind" else "district"
    data = analysis.heatmap(agencies, year, by) if year else None
    return render(request, "methodology/heatmap.html", {"province": province, "years": years, "year": year,
                                                        "by": by, "by_param": [("by", by)], "map": data})


def _finding_rows(items):
    for f in items:
        yield [f.agency.itas_code or f.agency.dla_code or "", f.agency.name_th,
               f.agency.district.name_th if f.agency.district_id else "", f.agency.get_kind_display(),
               f.result.fiscal_year, "" if f.total is None else f"{f.total:.2f}",
               *(("" if f.result.instrument_scores.get(c) is None else f"{float(f.result.instrument_scores[c]):.2f}")
                 for c in ("IIT", "EIT", "OIT")),
               "" if f.change is None else f"{f.change:+.2f}", f.result.level_label, "; ".join(f.reasons)]


@login_required
def export_list(request, which, fmt):
    province, agencies = _scope(request)
    years = analysis.years(agencies)
    year = _year(request, years)
    if which not in {"failing", "oit-low", "needs-help"}:
        raise Http404
    items = {"failing": analysis.failing, "oit-low": analysis.passed_but_oit_low,
             "needs-help": analysis.needs_help}[which](agencies, year) if year else []
    headers = ["รหัส", "หน่วยงาน", "อำเภอ", "ประเภท", "ปีงบประมาณ", "คะแนนรวม", "IIT", "EIT", "OIT",
               "เปลี่ยนจากปีก่อน", "ผลการประเมิน", "เหตุผล"]
    response = HttpResponse(content_type="text/csv; charset=utf-8" if fmt == "csv" else XLSX)
    downloads.attach(response, downloads.download_name(f"{which}-{province.code}-{year or 'none'}", fmt))
    write_table(response, headers, list(_finding_rows(items)), fmt)
    return response


@login_required
def needs_help(request):
    province, agencies = _scope(request)
    years = analysis.years(agencies)
    year = _year(request, years)
    items = analysis.needs_help(agencies, year) if year else []
    can_save = access.can(request.user, "manage_target_groups", province)
    if request.method == "POST":
        if not can_save:
            raise PermissionDenied
        chosen = {int(x) for x in request.POST.getlist("agency") if x.isdigit()}
        members = [(f.agency, "; ".join(f.reasons)) for f in items if f.agency.pk in chosen]
        try:
            group = services.save_target_group(
                actor=request.user, province=province, name=request.POST.get("name", ""), members=members,
                fiscal_year=(year + 1) if year else None, description=request.POST.get("description", ""))
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Saved the target group “%(name)s” with %(n)d agencies.") % {
                "name": group.name, "n": len(members)})
            return redirect("methodology:target_group", group_id=group.pk)
    return render(request, "methodology/needs_help.html", {
        "province": province, "years": years, "year": year, "items": items, "can_save": can_save,
        "suggested_name": _("Coaching group FY%(y)s") % {"y": (year + 1) if year else ""}})


@login_required
def target_groups(request):
    province, _agencies = _scope(request)
    groups = TargetGroup.objects.filter(province=province).prefetch_related("members")
    return render(request, "methodology/target_groups.html", {
        "province": province, "groups": groups,
        "can_manage": access.can(request.user, "manage_target_groups", province)})


def _group(request, group_id) -> TargetGroup:
    group = get_object_or_404(TargetGroup.objects.select_related("province"), pk=group_id)
    access.require(request.user, "view_results", group.province)
    return group


@login_required
def target_group(request, group_id):
    group = _group(request, group_id)
    visible = set(access.agencies_for(request.user).filter(province=group.province).values_list("pk", flat=True))
    members = [m for m in group.members.select_related("agency", "agency__district") if m.agency_id in visible]
    if request.GET.get("format") in {"xlsx", "csv"}:
        fmt = request.GET["format"]
        response = HttpResponse(content_type="text/csv; charset=utf-8" if fmt == "csv" else XLSX)
        downloads.attach(response, downloads.download_name(f"target-group-{group.pk}", fmt))
        write_table(response, ["ลำดับ", "รหัส", "หน่วยงาน", "อำเภอ", "เหตุผล"],
                    [[m.rank, m.agency.itas_code or m.agency.dla_code or "", m.agency.name_th,
                      m.agency.district.name_th if m.agency.district_id else "", m.reason] for m in members], fmt)
        return response
    return render(request, "methodology/target_group.html", {
        "group": group, "members": members, "history": audit.history_for(group)[:50],
        "can_manage": access.can(request.user, "manage_target_groups", group.province)})


@login_required
@require_POST
def target_group_delete(request, group_id):
    group = _group(request, group_id)
    access.require(request.user, "manage_target_groups", group.province)
    services.delete_target_group(actor=request.user, group=group)
    messages.success(request, _("The target group was deleted."))
    return redirect("methodology:target_groups")


@imports.importer
def results_importer(user, *, province_id):
    """Plan and apply of the past-results import (run by the page, or by a background job for a large file)."""
    province = Province.objects.get(pk=province_id)

    def apply(plan):
        created, changed, unchanged = importing.apply_results_import(actor=user, plan=plan)
        return _("Results imported: %(c)d new, %(u)d changed, %(s)d unchanged.") % {
            "c": created, "u": changed, "s": unchanged}

    return (lambda data, name: importing.plan_results_import(data=data, filename=name, province=province)), apply


@login_required
def results_import(request):
    province = _province(request)
    access.require(request.user, "import_results", province)
    return upload_preview_apply(
        request, importer=results_importer, params={"province_id": province.pk},
        done=reverse("methodology:overview"), restart=reverse("methodology:results_import"),
        template="methodology/results_import.html", context={"province": province})


@login_required
def results_export(request, fmt):
    province, agencies = _scope(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8" if fmt == "csv" else XLSX)
    downloads.attach(response, downloads.download_name(f"results-{province.code}", fmt))
    importing.export_results(response, AssessmentResult.objects.filter(agency__in=agencies), fmt)
    return response


@login_required
def agency_results(request, agency_id):
    agency = get_object_or_404(access.agencies_for(request.user).select_related("district", "province"),
                               pk=agency_id)
    results = list(AssessmentResult.objects.filter(agency=agency).select_related("framework").order_by("fiscal_year"))
    codes: list[str] = []
    for r in results:
        for code, _name, _ins in analysis.indicator_names(r.framework.data):
            if code not in codes:
                codes.append(code)
    for r in results:
        r.indicator_list = [r.indicator_scores.get(code) for code in codes]
    context = {"agency": agency, "results": results, "indicator_codes": codes}
    round_ = framework_round(agency)  # the planner's page composes methodology with the OIT workspace
    context.update(planner.plan_for(results, request.GET, round=round_,
                                    ready_in_workspace=ready_in_workspace(agency, round_)))
    return render(request, "methodology/agency_results.html", context)


@login_required
def calculator(request):
    if not access.scope_for(request.user).is_anyone:
        raise PermissionDenied
    frameworks = list(FrameworkVersion.objects.all())
    chosen = None
    raw = request.GET.get("framework", "")
    if raw.isdigit():
        chosen = next((f for f in frameworks if f.pk == int(raw)), None)
    chosen = chosen or (frameworks[0] if frameworks else None)
    context = {"frameworks": frameworks, "framework": chosen}
    if chosen is not None:
        context.update(planner.calculate(chosen, request.GET))
    return render(request, "methodology/calculator.html", context)
