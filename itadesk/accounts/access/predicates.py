"""The questions the rules ask, written once. Each takes the user's ``Scope`` and decides from memory (the first
``office_follows`` of a request whose scope was not kept reads the offices' oversight rules: two queries)."""

from __future__ import annotations

from itadesk.accounts.access.scope import Scope
from itadesk.accounts.models import OFFICE_ROLES, Role


def secretariat_of(scope: Scope, province_id) -> bool:
    """The secretariat of ``province_id`` (None: of any province); superusers."""
    if scope.superuser:
        return True
    return bool(scope.province_ids) if province_id is None else province_id in scope.province_ids


def province_secretariat(scope: Scope, obj) -> bool:
    """The secretariat of ``obj``'s province (a Province, or anything with ``province_id``; None: anyone
    holding the secretariat role); superusers."""
    if obj is None:
        return scope.is_secretariat
    return scope.superuser or getattr(obj, "province_id", getattr(obj, "pk", None)) in scope.province_ids


def office_member(scope: Scope, office_id, roles=OFFICE_ROLES) -> bool:
    """The user holds one of ``roles`` in the office ``office_id``."""
    return bool(scope.office_roles.get(office_id, set()) & set(roles))


def office_member_in(scope: Scope, province_id, roles=OFFICE_ROLES) -> bool:
    """The user holds one of ``roles`` in an office of ``province_id`` (None: in any office)."""
    return bool(scope.offices_with(roles, province_id))


def agency_role(scope: Scope, agency_id, role) -> bool:
    """The user holds ``role`` (an agency role) in the agency ``agency_id``."""
    return role in scope.agency_roles.get(agency_id, set())


def admin_agencies(scope: Scope) -> set[int]:
    """The agencies of which the user is an admin."""
    return {agency_id for agency_id, roles in scope.agency_roles.items() if Role.AGENCY_ADMIN in roles}


def office_follows(scope: Scope, agency, roles=OFFICE_ROLES) -> bool:
    """An office in which the user holds one of ``roles`` follows ``agency`` by its oversight rules."""
    offices = scope.offices_with(roles)
    return bool(offices) and agency.pk is not None and scope.follows(offices, agency)


def sees_agency(scope: Scope, agency) -> bool:
    """The agency is among ``agencies_for(user)``: the secretariat of its province, its own users, the
    members of an office that follows it; superusers."""

    if scope.superuser:
        return agency.pk is not None
    if agency.province_id in scope.province_ids or agency.pk in scope.agency_ids:
        return True
    return office_follows(scope, agency)
