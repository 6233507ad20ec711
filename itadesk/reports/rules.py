"""Who may do what with monitoring reports (registered by ``itadesk.accounts.access``; see
docs/architecture.md).

An office's officers and reviewers build, issue and read their own office's reports only; the
secretariat of the province reads every report of the province, builds and issues the province-wide
summary and may build an office's report for it. Agency users see none.
"""

from __future__ import annotations

from itadesk.accounts.access import predicates as p
from itadesk.accounts.access import rule
from itadesk.registry.models import Province, SupervisingOffice


def _for_target(scope, office_id, province_id) -> bool:
    """Build or issue the report of ``office_id`` (None: the province summary) in ``province_id``."""
    if p.secretariat_of(scope, province_id):
        return True
    return office_id is not None and office_id in scope.office_ids


@rule("view_reports")
def view_reports(scope, action, obj) -> bool:
    # obj: Province (or None: any) — the secretariat; officers/reviewers of an office there
    province_id = None if obj is None else obj.pk
    return p.secretariat_of(scope, province_id) or p.office_member_in(scope, province_id)


@rule("build_report")
def build_report(scope, action, obj) -> bool:
    # obj: SupervisingOffice (office report: the secretariat, the office's members) or Province (summary:
    # the secretariat)
    if isinstance(obj, SupervisingOffice):
        return _for_target(scope, obj.pk, obj.province_id)
    if isinstance(obj, Province):
        return _for_target(scope, None, obj.pk)
    return False


@rule("view_report", "issue_report")
def report(scope, action, obj) -> bool:
    # obj: MonitoringReport — the secretariat of its province; its office's members
    return _for_target(scope, obj.office_id, obj.province_id)
