"""Scoped reads: what a user may see, as querysets and sets of ids, and the lookups views share."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from itadesk.accounts.access import predicates
from itadesk.accounts.access.actions import can, require
from itadesk.accounts.access.scope import scope_for
from itadesk.accounts.models import Role
from itadesk.registry.models import Agency, Province, SupervisingOffice


def agencies_for(user) -> QuerySet[Agency]:
    """Every agency this user may see."""
    scope = scope_for(user)
    qs = Agency.objects.all()
    if scope.superuser:
        return qs
    q = Q(pk__in=[])
    if scope.province_ids:
        q |= Q(province_id__in=scope.province_ids)
    if scope.office_ids:
        q |= scope.followed_q(scope.office_ids)
    if scope.agency_ids:
        q |= Q(pk__in=scope.agency_ids)
    return qs.filter(q)


def followed_agencies(user, province_id=None) -> QuerySet[Agency]:
    """The agencies followed by the offices in which the user is an officer (of ``province_id``)."""
    scope = scope_for(user)
    offices = scope.offices_with([Role.OFFICER], province_id)
    return Agency.objects.filter(scope.followed_q(offices)) if offices else Agency.objects.none()


def offices_for(user) -> QuerySet[SupervisingOffice]:
    scope = scope_for(user)
    qs = SupervisingOffice.objects.all()
    if scope.superuser:
        return qs
    return qs.filter(Q(province_id__in=scope.province_ids) | Q(pk__in=scope.office_ids))


def province_ids_for(user) -> set[int]:
    """Provinces in which the user has any role (for choosing the round to show)."""
    scope = scope_for(user)
    if scope.superuser:
        return set(Province.objects.values_list("pk", flat=True))
    return scope.any_province_ids


def provinces_for(user, action: str) -> set[int] | None:
    """The provinces in which ``user`` may do ``action`` (a rule taking a Province); None: every province
    (superusers)."""
    if scope_for(user).superuser:
        return None
    return {pid for pid in province_ids_for(user) if can(user, action, Province(pk=pid))}


def can_see_agency(user, agency: Agency) -> bool:
    return predicates.sees_agency(scope_for(user), agency) if scope_for(user).is_anyone else False


def province_to_work_on(request, action: str):
    """The province whose records the user writes with ``action`` (the secretariat's own): the one asked for
    with ``?province=`` (or a form field) when the user may act there, else the first such province.
    PermissionDenied when the user may not act anywhere; Http404 when no province qualifies."""
    require(request.user, action)
    ids = sorted(pid for pid in province_ids_for(request.user) if can(request.user, action, Province(pk=pid)))
    wanted = request.GET.get("province") or request.POST.get("province")
    if wanted and wanted.isdigit() and int(wanted) in ids:
        ids = [int(wanted)]
    if not ids:
        raise Http404
    return Province.objects.get(pk=ids[0])
