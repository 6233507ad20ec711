"""Registry pages: agencies (list, record, import, export) and supervising offices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from itadesk.accounts import access
from itadesk.core import audit, downloads, imports
from itadesk.core.forms import add_service_errors
from itadesk.core.import_views import upload_preview_apply
from itadesk.cycles.models import Round
from itadesk.cycles.selectors import current_round
from itadesk.registry import importing, services
from itadesk.registry.forms import AgencyContactForm, AgencyForm, ItasListForm
from itadesk.registry.models import Agency, AgencyKind, District, OversightRule, Province, SupervisingOffice

NO_ITAS_CODE = Q(itas_code__isnull=True) | Q(itas_code="")
# "missing" filter of the agency list -> the agencies it keeps
MISSING = {"itas": NO_ITAS_CODE, "website": Q(website=""), "email": Q(email="")}


def _province_for_secretariat(request) -> Province | None:
    scope = access.scope_for(request.user)
    ids = sorted(access.province_ids_for(request.user)) if scope.superuser else sorted(scope.province_ids)
    return Province.objects.filter(pk__in=ids).first()


@login_required
def agency_list(request):
    base = access.agencies_for(request.user)
    qs = base.select_related("district")
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    district = request.GET.get("district", "")
    missing = request.GET.get("missing", "")
    active = request.GET.get("active", "")
    if q:
        qs = qs.filter(Q(name_th__icontains=q) | Q(name_en__icontains=q) | Q(itas_code__iexact=q)
                       | Q(dla_code__iexact=q))
    if kind in AgencyKind.values:
        qs = qs.filter(kind=kind)
    if district.isdigit():
        qs = qs.filter(district_id=int(district))
    if missing in MISSING:
        qs = qs.filter(MISSING[missing])
    if active in ("1", "0"):
        qs = qs.filter(active=active == "1")
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    province = _province_for_secretariat(request)
    params = request.GET.copy()
    params.pop("page", None)
    missing_counts = base.filter(active=True).aggregate(
        **{name: Count("pk", filter=condition) for name, condition in MISSING.items()})
    return render(request, "registry/agency_list.html", {
        "page": page, "q": q, "kind": kind, "district": district, "missing": missing, "active": active,
        "kinds": AgencyKind.choices, "query": params.urlencode(), "missing_counts": missing_counts,
        "districts": District.objects.filter(province__in=access.province_ids_for(request.user)),
        "can_import": province is not None and access.can(request.user, "import_agencies", province),
        "can_edit": province is not None and access.can(request.user, "edit_agency", province),
    })


@login_required
def agency_detail(request, agency_id):
    agency = get_object_or_404(access.agencies_for(request.user).select_related("district", "province"),
                               pk=agency_id)
    offices = [(o, rule) for o in SupervisingOffice.objects.filter(province_id=agency.province_id)
               .prefetch_related("rules") for rule in o.rules.all()
               if rule.all_agencies or agency.kind in rule.kinds or rule.agencies.filter(pk=agency.pk).exists()]
    rounds = Round.objects.filter(participations__agency=agency)
    return render(request, "registry/agency_detail.html", {
        "agency": agency, "offices": offices, "rounds": rounds, "history": audit.history_for(agency)[:50],
        "can_edit": access.can(request.user, "edit_agency", agency),
        "can_edit_contacts": access.can(request.user, "edit_agency_contacts", agency),
    })


@login_required
def agency_edit(request, agency_id):
    """The secretariat of the agency's province edits every field; the agency's own admin its contact
    fields only (a field the form does not have is never read from the request)."""
    agency = get_object_or_404(access.agencies_for(request.user).select_related("district", "province"),
                               pk=agency_id)
    full = access.can(request.user, "edit_agency", agency)
    if not full and not access.can(request.user, "edit_agency_contacts", agency):
        raise PermissionDenied
    form = (AgencyForm if full else AgencyContactForm)(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        update = services.update_agency if full else services.update_agency_contacts
        try:
            result = update(actor=request.user, agency=agency, changes=form.changes())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Agency saved.") if result.changed else _("Nothing was changed."))
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("registry:agency_detail", agency_id=agency.pk)
    return render(request, "registry/agency_form.html", {
        "agency": agency, "form": form, "full": full, "history": audit.history_for(agency)[:50],
        "current_rounds": services.current_rounds_of(agency) if full and agency.active else [],
    })


@login_required
def itas_fill(request):
    """The agencies of the secretariat's province that have no ITAS code, as a form of text inputs (or
    filled from a pasted list); saved all together or not at all."""
    province = access.province_to_work_on(request, "edit_agency")
    agencies = list(Agency.objects.filter(NO_ITAS_CODE, province=province).select_related("district"))
    values = {a.pk: "" for a in agencies}
    errors: dict[int, str] = {}
    problems: list[str] = []
    list_form = ItasListForm(request.POST or None)
    if request.method == "POST":
        values.update({a.pk: request.POST.get(f"itas-{a.pk}", "").strip() for a in agencies})
        if "read_list" in request.POST:
            if list_form.is_valid():
                everyone = Agency.objects.filter(province=province)
                found, problems = services.parse_itas_list(list_form.cleaned_data["pasted"], everyone)
                names = dict(everyone.filter(pk__in=list(found)).values_list("pk", "name_th"))
                codes = dict(everyone.filter(pk__in=list(found)).values_list("pk", "itas_code"))
                for pk, code in found.items():
                    if pk in values:
                        values[pk] = code
                    else:
                        problems.append(_("%(agency)s already has ITAS code '%(code)s'; change it on the agency's "
                                          "page.") % {"agency": names[pk], "code": codes[pk]})
                taken = len([pk for pk in found if pk in values])
                messages.info(request, _("%(n)s codes read from the list. Check them, then save.") % {"n": taken})
        else:
            try:
                saved = services.fill_itas_codes(actor=request.user, province=province,
                                                 codes={pk: v for pk, v in values.items() if v})
            except services.ItasFillRefused as exc:
                for agency, message in exc.errors:
                    if agency is not None and agency.pk in values:
                        errors[agency.pk] = message
                    else:
                        problems.append(message)
                messages.error(request, _("Nothing was saved: %(n)s problems. Correct the rows marked below.")
                               % {"n": len(exc.errors)})
            else:
                messages.success(request, _("%(n)s ITAS codes saved.") % {"n": saved})
                return redirect(f"{reverse('registry:itas_fill')}?province={province.pk}")
    rows = [(a, values[a.pk], errors.get(a.pk)) for a in agencies]
    return render(request, "registry/itas_fill.html", {
        "province": province, "rows": rows, "problems": problems, "list_form": list_form,
    })


@imports.importer
def agency_importer(user, *, province_id):
    """Plan and apply of the agency import (run by the page, or by a background job for a large file)."""
    province = Province.objects.get(pk=province_id)

    def apply(plan):
        return _("Import applied: %(s)s") % {"s": importing.apply_agency_import(actor=user, plan=plan)}

    return (lambda data, name: importing.plan_agency_import(data=data, filename=name, province=province)), apply


@login_required
def agency_import(request):
    province = _province_for_secretariat(request)
    if province is None:
        access.require(request.user, "import_agencies", None)
    access.require(request.user, "import_agencies", province)
    return upload_preview_apply(
        request, importer=agency_importer, params={"province_id": province.pk},
        done=reverse("registry:agency_list"), restart=reverse("registry:agency_import"),
        template="registry/agency_import.html", context={"province": province})


@login_required
def agency_export(request, fmt):
    province = _province_for_secretariat(request)
    access.require(request.user, "export_agencies", province)
    content_type = ("text/csv; charset=utf-8" if fmt == "csv"
                    else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = HttpResponse(content_type=content_type)
    downloads.attach(response, downloads.download_name(f"agencies-{province.code}", fmt))
    importing.export_agencies(response, access.agencies_for(request.user).filter(province=province), fmt)
    return response


@login_required
def office_list(request):
    if not access.scope_for(request.user).is_anyone:
        access.require(request.user, "view_all_offices")
    offices = SupervisingOffice.objects.filter(province_id__in=access.province_ids_for(request.user))
    rows = [(o, access.can(request.user, "view_office", o)) for o in offices.prefetch_related("rules")]
    return render(request, "registry/office_list.html", {"rows": rows})


@login_required
def office_detail(request, office_id):
    office = get_object_or_404(SupervisingOffice.objects.select_related("province"), pk=office_id)
    access.require(request.user, "view_office", office)
    round = current_round([office.province_id])
    missions = office.missions.filter(round=round).select_related("milestone") if round else []
    counts = {role: Agency.objects.filter(office.agency_q(role=role)).count()
              for role in OversightRule.Role.values}
    return render(request, "registry/office_detail.html", {
        "office": office, "round": round, "missions": missions, "rules": office.rules.all(), "counts": counts,
    })
