"""Registry pages: agencies (list, record, import, export) and supervising offices."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from itadesk.accounts import access
from itadesk.core import audit, downloads
from itadesk.core.import_views import upload_preview_apply
from itadesk.cycles.models import Round
from itadesk.registry.models import AgencyKind, District, OversightRule, Province, SupervisingOffice


def _province_for_secretariat(request) -> Province | None:
    scope = access.scope_for(request.user)
    ids = sorted(access.province_ids_for(request.user)) if scope.superuser else sorted(scope.province_ids)
    return Province.objects.filter(pk__in=ids).first()


@login_required
def agency_list(request):
    qs = access.agencies_for(request.user).select_related("district")
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    district = request.GET.get("district", "")
    if q:
        qs = qs.filter(Q(name_th__icontains=q) | Q(name_en__icontains=q) | Q(itas_code__iexact=q)
                       | Q(dla_code__iexact=q))
    if kind in AgencyKind.values:
        qs = qs.filter(kind=kind)
    if district.isdigit():
        qs = qs.filter(district_id=int(district))
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    province = _province_for_secretariat(request)
    return render(request, "registry/agency_list.html", {
        "page": page, "q": q, "kind": kind, "district": district, "kinds": AgencyKind.choices,
        "districts": District.objects.filter(province__in=access.province_ids_for(request.user)),
        "can_import": province is not None and access.can(request.user, "import_agencies", province),
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
    })


@login_required
def agency_import(request):
    from itadesk.registry import importing

    province = _province_for_secretariat(request)
    if province is None:
        access.require(request.user, "import_agencies", None)
    access.require(request.user, "import_agencies", province)
    def apply(plan):
        return _("Import applied: %(s)s") % {"s": importing.apply_agency_import(actor=request.user, plan=plan)}

    return upload_preview_apply(
        request, plan=lambda data, name: importing.plan_agency_import(data=data, filename=name, province=province),
        apply=apply, done=reverse("registry:agency_list"), restart=reverse("registry:agency_import"),
        template="registry/agency_import.html", context={"province": province})


@login_required
def agency_export(request, fmt):
    from itadesk.registry import importing

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
    from itadesk.cycles.selectors import current_round
    from itadesk.registry.models import Agency

    round = current_round([office.province_id])
    missions = office.missions.filter(round=round).select_related("milestone") if round else []
    counts = {role: Agency.objects.filter(office.agency_q(role=role)).count()
              for role in OversightRule.Role.values}
    return render(request, "registry/office_detail.html", {
        "office": office, "round": round, "missions": missions, "rules": office.rules.all(), "counts": counts,
    })
