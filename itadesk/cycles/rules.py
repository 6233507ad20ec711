"""Who may do what with rounds and the progress of agencies (registered by ``itadesk.accounts.access``;
see docs/architecture.md)."""

from __future__ import annotations

from itadesk.accounts.access import predicates as p
from itadesk.accounts.access import rule
from itadesk.accounts.models import OFFICE_ROLES, Role


@rule("manage_round")
def manage_round(scope, action, obj) -> bool:
    # obj: a Province or a Round (or None: anywhere) — the secretariat of the province
    return p.province_secretariat(scope, obj)


@rule("set_progress")
def set_progress(scope, action, obj) -> bool:
    # obj: an Agency. The secretariat of its province, an officer of an office that follows it, or the
    # agency's own admin. Executives approve (issue-specific flows), reviewers judge OIT.
    if p.secretariat_of(scope, obj.province_id):
        return True
    if p.agency_role(scope, obj.pk, Role.AGENCY_ADMIN):
        return True
    return p.office_follows(scope, obj, [Role.OFFICER])


@rule("import_progress", "export_progress")
def progress_files(scope, action, obj) -> bool:
    # obj: a Round. The secretariat; for import an officer, for export any office member, of an office in
    # the round's province (what they get is limited to agencies_for(user)).
    if p.secretariat_of(scope, obj.province_id):
        return True
    roles = [Role.OFFICER] if action == "import_progress" else OFFICE_ROLES
    return p.office_member_in(scope, obj.province_id, roles)
