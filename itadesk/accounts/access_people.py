"""Who may onboard and manage people (dispatched from ``access.can``).

* ``manage_people`` (obj: a Province, or None for "anywhere"): open the people page and import a people
  file. The secretariat of the province (any role on the province, its offices and agencies) and an
  **officer** of an office of the province (agency admins and executives only, of the agencies the office
  follows: the office chases its agencies, so it may bring their people in). Reviewers may not.
* ``manage_person`` (obj: a User): send the invitation again, deactivate, reactivate, read the history.
  The secretariat of a province in which the person holds a role; an officer when every role of the person
  is an agency role on an agency its office follows; superusers. Only a superuser manages a superuser.
* ``view_contacts`` (obj: a SupervisingOffice or a Province): the page of agencies without an admin or an
  executive with an e-mail. An office's officers and reviewers for the office; the secretariat of the
  province for every office and the whole province.
"""

from __future__ import annotations

from itadesk.accounts.models import AGENCY_ROLES, Membership, Role
from itadesk.registry.models import Agency, Province

ACTIONS = {"manage_people", "manage_person", "view_contacts"}


def officer_office_ids(user, province_id=None) -> set[int]:
    qs = Membership.objects.filter(user=user, role=Role.OFFICER, office__isnull=False)
    if province_id is not None:
        qs = qs.filter(office__province_id=province_id)
    return set(qs.values_list("office_id", flat=True))


def followed_agencies(user, province_id=None):
    """The agencies followed by the offices in which the user is an officer (of ``province_id``)."""
    from itadesk.accounts.access import _office_q

    offices = officer_office_ids(user, province_id)
    return Agency.objects.filter(_office_q(offices)) if offices else Agency.objects.none()


def can(user, scope, action: str, obj) -> bool:
    if action == "manage_people":
        if scope.superuser:
            return True
        if obj is None:
            return bool(scope.province_ids) or bool(officer_office_ids(user))
        return obj.pk in scope.province_ids or bool(officer_office_ids(user, obj.pk))
    if action == "view_contacts":
        if scope.superuser:
            return True
        if obj is None:  # the province's page: only the secretariat
            return bool(scope.province_ids)
        if isinstance(obj, Province):
            return obj.pk in scope.province_ids
        return obj.province_id in scope.province_ids or obj.pk in scope.office_ids
    if action == "manage_person":
        if scope.superuser:
            return True
        if obj.is_superuser:
            return False
        memberships = list(Membership.objects.filter(user=obj).select_related("office", "agency"))
        if not memberships:
            return False
        for m in memberships:
            province_id = m.province_id or (m.office.province_id if m.office_id else None) or (
                m.agency.province_id if m.agency_id else None)
            if province_id in scope.province_ids:
                return True
        agency_ids = {m.agency_id for m in memberships if m.role in AGENCY_ROLES and m.agency_id}
        if len(agency_ids) == 0 or any(m.role not in AGENCY_ROLES for m in memberships):
            return False
        return followed_agencies(user).filter(pk__in=agency_ids).count() == len(agency_ids)
    raise ValueError(f"unknown action {action!r}")

