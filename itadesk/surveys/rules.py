"""Who may do what with stakeholder data, minimum samples and IIT/EIT response follow-up (registered by
``itadesk.accounts.access``; see docs/architecture.md)."""

from __future__ import annotations

from itadesk.accounts.access import predicates as p
from itadesk.accounts.access import rule
from itadesk.accounts.models import OFFICE_ROLES, Role
from itadesk.registry.models import SupervisingOffice


def _secretariat(scope, obj) -> bool:
    return scope.superuser or (obj is not None and p.secretariat_of(scope, obj.province_id))


@rule("view_surveys")
def view_surveys(scope, action, obj) -> bool:
    # obj: Agency — whoever sees the agency
    return p.sees_agency(scope, obj)


@rule("edit_stakeholders")
def edit_stakeholders(scope, action, obj) -> bool:
    # obj: Agency — its admin; the secretariat of its province
    return _secretariat(scope, obj) or p.agency_role(scope, obj.pk, Role.AGENCY_ADMIN)


@rule("approve_stakeholders")
def approve_stakeholders(scope, action, obj) -> bool:
    # obj: Agency — only its executive: not the admin who entered it, not the secretariat, not a superuser
    return p.agency_role(scope, obj.pk, Role.AGENCY_EXECUTIVE)


@rule("unlock_stakeholders")
def unlock_stakeholders(scope, action, obj) -> bool:
    # obj: Agency — the secretariat of its province
    return _secretariat(scope, obj)


@rule("enter_responses")
def enter_responses(scope, action, obj) -> bool:
    # obj: Agency — its admin; officers of an office that follows it; the secretariat
    return (_secretariat(scope, obj) or p.agency_role(scope, obj.pk, Role.AGENCY_ADMIN)
            or p.office_follows(scope, obj, [Role.OFFICER]))


@rule("import_responses")
def import_responses(scope, action, obj) -> bool:
    # obj: Round — the secretariat; officers of an office in the round's province
    return _secretariat(scope, obj) or p.office_member_in(scope, obj.province_id, [Role.OFFICER])


@rule("view_followup", "export_followup")
def followup(scope, action, obj) -> bool:
    # view_followup: obj: Round — the secretariat; members of an office in the round's province
    # export_followup: obj: Round or SupervisingOffice — whoever sees it (rows: agencies_for(user))
    if action == "export_followup" and isinstance(obj, SupervisingOffice):
        return _secretariat(scope, obj) or obj.pk in scope.office_ids
    return _secretariat(scope, obj) or p.office_member_in(scope, obj.province_id, OFFICE_ROLES)
