"""Who may do what with stakeholder data, minimum samples and IIT/EIT response follow-up.
Called from ``itadesk.accounts.access.can``; every action is listed in ``ACTIONS``."""

from __future__ import annotations

from itadesk.accounts.models import OFFICE_ROLES, Membership, Role

ACTIONS: set[str] = {
    "view_surveys",  # obj: Agency — whoever sees the agency
    "edit_stakeholders",  # obj: Agency — its admin; the secretariat of its province
    "approve_stakeholders",  # obj: Agency — only its executive
    "unlock_stakeholders",  # obj: Agency — the secretariat of its province
    "enter_responses",  # obj: Agency — its admin; officers of an office that follows it; the secretariat
    "import_responses",  # obj: Round — the secretariat; officers of an office in the round's province
    "view_followup",  # obj: Round — the secretariat; members of an office in the round's province
    "export_followup",  # obj: Round or SupervisingOffice — whoever sees it (rows: agencies_for(user))
}


def _officer_follows(user, scope, agency) -> bool:
    from itadesk.accounts.access import _office_q
    from itadesk.registry.models import Agency

    if Role.OFFICER not in scope.roles or not scope.office_ids:
        return False
    offices = set(Membership.objects.filter(user=user, role=Role.OFFICER, office__isnull=False)
                  .values_list("office_id", flat=True))
    return bool(offices) and Agency.objects.filter(_office_q(offices), pk=agency.pk).exists()


def _office_in_province(user, roles, province_id) -> bool:
    return Membership.objects.filter(user=user, role__in=roles, office__province_id=province_id).exists()


def can(user, scope, action: str, obj) -> bool:
    from itadesk.accounts.access import can_see_agency
    from itadesk.registry.models import SupervisingOffice

    secretariat = scope.superuser or (obj is not None and obj.province_id in scope.province_ids)
    if action == "view_surveys":
        return can_see_agency(user, obj)
    if action == "edit_stakeholders":
        return secretariat or Role.AGENCY_ADMIN in scope.agency_roles.get(obj.pk, set())
    if action == "approve_stakeholders":
        # Not the admin who entered it, not the secretariat, not a superuser: the executive signs.
        return Role.AGENCY_EXECUTIVE in scope.agency_roles.get(obj.pk, set())
    if action == "unlock_stakeholders":
        return secretariat
    if action == "enter_responses":
        return (secretariat or Role.AGENCY_ADMIN in scope.agency_roles.get(obj.pk, set())
                or _officer_follows(user, scope, obj))
    if action == "import_responses":
        return secretariat or _office_in_province(user, [Role.OFFICER], obj.province_id)
    if action == "view_followup":
        return secretariat or _office_in_province(user, OFFICE_ROLES, obj.province_id)
    if action == "export_followup":
        if isinstance(obj, SupervisingOffice):
            return secretariat or obj.pk in scope.office_ids
        return secretariat or _office_in_province(user, OFFICE_ROLES, obj.province_id)
    raise ValueError(f"unknown action {action!r}")
