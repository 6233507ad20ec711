"""Access in one place: *which agencies may this user see* and *may this user do this action on this
object*. Views, exports, reports and the CLI all ask here; nothing else decides.

Scoping follows the oversight tree: the secretariat sees its province; an office officer or reviewer
sees the agencies the office's oversight rules assign to it; an agency admin or executive sees only
its own agency. Superusers see everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from itadesk.accounts.models import AGENCY_ROLES, OFFICE_ROLES, Membership, Role
from itadesk.registry.models import Agency, SupervisingOffice


@dataclass
class Scope:
    """What one user's roles cover, computed once per request."""

    superuser: bool = False
    province_ids: set[int] = field(default_factory=set)
    office_ids: set[int] = field(default_factory=set)
    agency_ids: set[int] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    agency_roles: dict[int, set[str]] = field(default_factory=dict)

    @property
    def is_secretariat(self) -> bool:
        return self.superuser or Role.SECRETARIAT in self.roles

    @property
    def is_office(self) -> bool:
        return bool(self.office_ids)

    @property
    def is_anyone(self) -> bool:
        return self.superuser or bool(self.roles)


def scope_for(user) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_itadesk_scope", None)
    if cached is not None:
        return cached
    scope = Scope(superuser=user.is_superuser)
    for m in Membership.objects.filter(user=user).only("role", "province_id", "office_id", "agency_id"):
        scope.roles.add(m.role)
        if m.role == Role.SECRETARIAT and m.province_id:
            scope.province_ids.add(m.province_id)
        elif m.role in OFFICE_ROLES and m.office_id:
            scope.office_ids.add(m.office_id)
        elif m.role in AGENCY_ROLES and m.agency_id:
            scope.agency_ids.add(m.agency_id)
            scope.agency_roles.setdefault(m.agency_id, set()).add(m.role)
    user._itadesk_scope = scope
    return scope


def _office_q(office_ids) -> Q:
    q = Q(pk__in=[])
    for office in SupervisingOffice.objects.filter(pk__in=office_ids).prefetch_related("rules"):
        q |= office.agency_q()
    return q


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
        q |= _office_q(scope.office_ids)
    if scope.agency_ids:
        q |= Q(pk__in=scope.agency_ids)
    return qs.filter(q)


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
        from itadesk.registry.models import Province

        return set(Province.objects.values_list("pk", flat=True))
    ids = set(scope.province_ids)
    ids |= set(SupervisingOffice.objects.filter(pk__in=scope.office_ids).values_list("province_id", flat=True))
    ids |= set(Agency.objects.filter(pk__in=scope.agency_ids).values_list("province_id", flat=True))
    return ids


def can_see_agency(user, agency: Agency) -> bool:
    return agencies_for(user).filter(pk=agency.pk).exists()


# --- actions -------------------------------------------------------------------------------------
# Each action names who may do it. A new action must be added here (and to the permission test).

def can(user, action: str, obj=None) -> bool:
    scope = scope_for(user)
    if not scope.is_anyone:
        return False
    if action in {"view_province", "view_all_offices"}:
        # obj: a Province (or None for "any")
        return scope.superuser or (obj is None and bool(scope.province_ids)) or (
            obj is not None and obj.pk in scope.province_ids)
    if action == "view_results":
        # obj: a Province (or None). Anyone with a role there; what they see is agencies_for(user).
        return scope.superuser or obj is None or obj.pk in province_ids_for(user)
    if action in {"manage_round", "import_agencies", "export_agencies", "manage_registry", "import_results",
                  "manage_target_groups"}:
        if obj is None:
            return scope.is_secretariat
        province_id = getattr(obj, "province_id", getattr(obj, "pk", None))
        return scope.superuser or province_id in scope.province_ids
    if action == "view_office":
        # obj: a SupervisingOffice
        return scope.superuser or obj.province_id in scope.province_ids or obj.pk in scope.office_ids
    if action == "view_agency":
        return can_see_agency(user, obj)
    # --- editing agencies (registry) ---
    if action == "edit_agency":
        # obj: an Agency, or a Province (its agencies' ITAS codes in bulk), or None (anywhere). Every field,
        # ITAS code, kind, district and active included: the secretariat of its province; superusers.
        if obj is None:
            return scope.is_secretariat
        return scope.superuser or getattr(obj, "province_id", obj.pk) in scope.province_ids
    if action == "edit_agency_contacts":
        # obj: an Agency. Its contact person, phone, e-mail and website: whoever may edit_agency, and the
        # agency's own admin. Not its executive, not the offices (they read).
        return (scope.superuser or obj.province_id in scope.province_ids
                or Role.AGENCY_ADMIN in scope.agency_roles.get(obj.pk, set()))
    # --- end of editing agencies ---
    if action == "set_progress":
        # obj: an Agency. The secretariat of its province, an officer of an office that follows it,
        # or the agency's own admin. Executives approve (issue-specific flows), reviewers judge OIT.
        if scope.superuser or obj.province_id in scope.province_ids:
            return True
        if Role.AGENCY_ADMIN in scope.agency_roles.get(obj.pk, set()):
            return True
        if Role.OFFICER in scope.roles and scope.office_ids:
            officer_offices = set(
                Membership.objects.filter(user=user, role=Role.OFFICER).values_list("office_id", flat=True))
            return Agency.objects.filter(_office_q(officer_offices), pk=obj.pk).exists()
        return False
    if action in {"import_progress", "export_progress"}:
        # obj: a Round. The secretariat; for import an officer, for export any office member, of an
        # office in the round's province (what they get is limited to agencies_for(user)).
        if scope.superuser or obj.province_id in scope.province_ids:
            return True
        roles = {Role.OFFICER} if action == "import_progress" else set(OFFICE_ROLES)
        offices = Membership.objects.filter(user=user, role__in=roles, office__province_id=obj.province_id)
        return offices.exists()
    if action in EVIDENCE_ACTIONS:
        return _can_evidence(user, scope, action, obj)
    from itadesk.accounts import access_people  # people onboarding: who may import, invite, deactivate

    if action in access_people.ACTIONS:
        return access_people.can(user, scope, action, obj)
    for domain in (access_surveys, access_questionnaires, access_documents, access_committee, access_reports,
                   access_projects):
        if action in domain.ACTIONS:
            return domain.can(user, scope, action, obj)
    raise ValueError(f"unknown action {action!r}")


# --- OIT evidence ----------------------------------------------------------------------------------
EVIDENCE_ACTIONS = {"view_evidence", "edit_evidence", "approve_evidence", "review_evidence", "view_review_queue",
                    "manage_examples", "run_check"}


def _office_member_ids(user, roles) -> set[int]:
    return set(Membership.objects.filter(user=user, role__in=roles, office__isnull=False)
               .values_list("office_id", flat=True))


def _can_evidence(user, scope: Scope, action: str, obj) -> bool:
    if action == "view_evidence":
        # obj: an Agency. Whoever sees the agency sees its OIT workspace, exports and snapshots.
        return can_see_agency(user, obj)
    if action == "edit_evidence":
        # obj: an Agency. Its admin; the secretariat of its province (helping an agency); superusers.
        return (scope.superuser or obj.province_id in scope.province_ids
                or Role.AGENCY_ADMIN in scope.agency_roles.get(obj.pk, set()))
    if action == "approve_evidence":
        # obj: an Agency. Only its executive: not its admin, not the secretariat, not a superuser.
        return Role.AGENCY_EXECUTIVE in scope.agency_roles.get(obj.pk, set())
    if action == "review_evidence":
        # obj: an Agency. An officer or reviewer of an office whose oversight rules follow it; never a
        # user of the agency itself (an agency cannot pass its own evidence).
        if obj.pk in scope.agency_roles or not scope.office_ids:
            return False
        offices = _office_member_ids(user, OFFICE_ROLES)
        return bool(offices) and Agency.objects.filter(_office_q(offices), pk=obj.pk).exists()
    if action == "view_review_queue":
        # obj: a SupervisingOffice. Its officers and reviewers; the secretariat of its province.
        return scope.superuser or obj.province_id in scope.province_ids or obj.pk in scope.office_ids
    if action == "run_check":
        # obj: an Agency (its items), a SupervisingOffice (its review queue) or a Province (everything).
        # Whoever sees it may ask the checker to look again; the province only its secretariat.
        if isinstance(obj, Agency):
            return can_see_agency(user, obj)
        if isinstance(obj, SupervisingOffice):
            return scope.superuser or obj.province_id in scope.province_ids or obj.pk in scope.office_ids
        return scope.superuser or obj.pk in scope.province_ids
    if action == "manage_examples":
        # obj: a SupervisingOffice. Its officers (reviewers judge, officers advise); the secretariat.
        return (scope.superuser or obj.province_id in scope.province_ids
                or obj.pk in _office_member_ids(user, [Role.OFFICER]))
    raise ValueError(f"unknown action {action!r}")


# Actions of the newer domains live beside this file, one module each, and are dispatched above.
from itadesk.accounts import (  # noqa: E402
    access_committee,
    access_documents,
    access_projects,
    access_questionnaires,
    access_reports,
    access_surveys,
)


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def province_to_work_on(request, action: str):
    """The province whose records the user writes with ``action`` (the secretariat's own): the one asked for
    with ``?province=`` (or a form field) when the user may act there, else the first such province.
    PermissionDenied when the user may not act anywhere; Http404 when no province qualifies."""
    from django.http import Http404

    from itadesk.registry.models import Province

    require(request.user, action)
    ids = sorted(pid for pid in province_ids_for(request.user) if can(request.user, action, Province(pk=pid)))
    wanted = request.GET.get("province") or request.POST.get("province")
    if wanted and wanted.isdigit() and int(wanted) in ids:
        ids = [int(wanted)]
    if not ids:
        raise Http404
    return Province.objects.get(pk=ids[0])
