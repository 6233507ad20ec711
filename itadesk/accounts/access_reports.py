"""Who may do what with monitoring reports. Called from ``itadesk.accounts.access.can``; every action is
listed in ``ACTIONS``.

An office's officers and reviewers build, issue and read their own office's reports only; the
secretariat of the province reads every report of the province, builds and issues the province-wide
summary and may build an office's report for it. Agency users see none.
"""

from __future__ import annotations

ACTIONS: set[str] = {
    "view_reports",  # obj: Province (or None: any) — the secretariat; officers/reviewers of an office there
    "view_report",  # obj: MonitoringReport — the secretariat of its province; its office's members
    "build_report",  # obj: SupervisingOffice (office report) or Province (summary) — see below
    "issue_report",  # obj: MonitoringReport — as build_report for its office (or the summary)
}


def _secretariat(scope, province_id) -> bool:
    return scope.superuser or (bool(scope.province_ids) if province_id is None else province_id in scope.province_ids)


def _for_target(scope, office_id, province_id) -> bool:
    """Build or issue the report of ``office_id`` (None: the province summary) in ``province_id``."""
    if _secretariat(scope, province_id):
        return True
    return office_id is not None and office_id in scope.office_ids


def can(user, scope, action: str, obj) -> bool:
    from itadesk.registry.models import Province, SupervisingOffice

    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action == "view_reports":
        province_id = None if obj is None else obj.pk
        if _secretariat(scope, province_id):
            return True
        offices = SupervisingOffice.objects.filter(pk__in=scope.office_ids)
        if province_id is not None:
            offices = offices.filter(province_id=province_id)
        return bool(scope.office_ids) and offices.exists()
    if action == "build_report":
        if isinstance(obj, SupervisingOffice):
            return _for_target(scope, obj.pk, obj.province_id)
        if isinstance(obj, Province):
            return _for_target(scope, None, obj.pk)
        return False
    # view_report, issue_report: obj is a MonitoringReport
    return _for_target(scope, obj.office_id, obj.province_id)
