"""Reads of monitoring reports, scoped by ``itadesk.accounts.access``."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from itadesk.accounts import access
from itadesk.core.names import province_names
from itadesk.cycles.models import Round
from itadesk.registry.models import Province, SupervisingOffice
from itadesk.reports.models import MonitoringReport


def reports_for(user) -> QuerySet[MonitoringReport]:
    """Every report the user may read: the secretariat's province's, and an office's own."""
    scope = access.scope_for(user)
    qs = MonitoringReport.objects.select_related("province", "round", "office", "meeting", "created_by", "issued_by")
    if scope.superuser:
        return qs
    return qs.filter(Q(province_id__in=scope.province_ids) | Q(office_id__in=scope.office_ids))


def report_for(user, report_id) -> MonitoringReport:
    try:
        report = reports_for(user).get(pk=report_id)
    except MonitoringReport.DoesNotExist:
        raise Http404 from None
    access.require(user, "view_report", report)
    return report


def buildable_targets(user, province: Province) -> list[tuple[str, str]]:
    """(value, label) of what the user may build a report of in ``province``: "" is the province summary."""
    out = []
    if access.can(user, "build_report", province):
        out.append(("", province_names(province.name_th).summary))
    for office in SupervisingOffice.objects.filter(province=province).order_by("order", "id"):
        if access.can(user, "build_report", office):
            out.append((str(office.pk), office.name_th))
    return out


def current_round(province: Province) -> Round | None:
    return (Round.objects.filter(province=province).order_by("-is_current", "-fiscal_year")
            .select_related("province").first())
