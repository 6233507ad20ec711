"""Who may onboard and manage people (registered by ``itadesk.accounts.access``; see docs/architecture.md).

* ``manage_people`` (obj: a Province, or None for "anywhere"): open the people page and import a people
  file. The secretariat of the province (any role on the province, its offices and agencies) and an
  **officer** of an office of the province (agency admins and executives only, of the agencies the office
  follows: the office chases its agencies, so it may bring their people in). Reviewers may not.
* ``manage_person`` (obj: a User): send the invitation again, deactivate, reactivate, read the history.
  The secretariat of a province in which the person holds a role; an officer when every role of the person
  is an agency role on an agency its office follows; superusers. Only a superuser manages a superuser.
* ``reset_second_factor`` (obj: a User): remove a person's two-step sign-in (a lost phone; audited). The
  secretariat of a province in which the person holds a role, and superusers; only a superuser resets a
  superuser. Officers may not (the people who use a second factor are the secretariat's, officers and
  reviewers). Enrolling, new backup codes and turning it off are one's own (``twofactor.may_enrol``).
* ``view_contacts`` (obj: a SupervisingOffice or a Province): the page of agencies without an admin or an
  executive with an e-mail. An office's officers and reviewers for the office; the secretariat of the
  province for every office and the whole province.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from itadesk.accounts.access import predicates as p
from itadesk.accounts.access import rule
from itadesk.accounts.models import AGENCY_ROLES, Membership, Role
from itadesk.registry.models import Agency, Province


@rule("manage_people")
def manage_people(scope, action, obj) -> bool:
    if scope.superuser:
        return True
    if obj is None:
        return bool(scope.province_ids) or bool(scope.offices_with([Role.OFFICER]))
    return p.secretariat_of(scope, obj.pk) or bool(scope.offices_with([Role.OFFICER], obj.pk))


@rule("view_contacts")
def view_contacts(scope, action, obj) -> bool:
    if scope.superuser:
        return True
    if obj is None:  # the province's page: only the secretariat
        return bool(scope.province_ids)
    if isinstance(obj, Province):
        return p.secretariat_of(scope, obj.pk)
    return p.secretariat_of(scope, obj.province_id) or obj.pk in scope.office_ids


@rule("manage_person")
def manage_person(scope, action, obj) -> bool:
    if scope.superuser:
        return True
    if obj.is_superuser:
        return False
    memberships = Membership.objects.filter(user=obj).select_related("office", "agency")
    offices = scope.offices_with([Role.OFFICER])
    if offices:  # in the same query: is the membership's agency one that the user's offices follow?
        memberships = memberships.annotate(
            followed=Exists(Agency.objects.filter(scope.followed_q(offices), pk=OuterRef("agency_id"))))
    memberships = list(memberships)
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
    return bool(offices) and all(m.followed for m in memberships if m.agency_id)


@rule("reset_second_factor")
def reset_second_factor(scope, action, obj) -> bool:
    if scope.superuser:
        return True
    if obj.is_superuser or not scope.province_ids:
        return False
    for m in Membership.objects.filter(user=obj).select_related("office", "agency"):
        province_id = m.province_id or (m.office.province_id if m.office_id else None) or (
            m.agency.province_id if m.agency_id else None)
        if province_id in scope.province_ids:
            return True
    return False
