"""Who may do what with improvement projects and their events. Called from ``itadesk.accounts.access.can``; every action is
listed in ``ACTIONS``.

The secretariat of the province manages projects, budgets, events and invitations, and may register
anyone (walk-ins too). The supervising offices of the province (officers and reviewers) read projects
and events and check people in. An agency admin sees the events its agency is invited to and registers
its own people within the quota. Nobody else sees anything of it.
"""

from __future__ import annotations

ACTIONS: set[str] = {
    "view_projects",  # obj: Province/Project (or None: any) — the secretariat; members of an office in the province
    "manage_projects",  # obj: Province/Project/Event (or None: any) — the secretariat of the province
    "view_event",  # obj: Event — as view_projects, or an admin of an agency invited to it
    "register_agency",  # obj: Invitation — the secretariat; the admin of the invited agency
    "register_anyone",  # obj: Event — the secretariat (any agency, over the quota, walk-ins)
    "check_in",  # obj: Event — the secretariat; members of an office in the event's province
    "view_event_list",  # obj: None — anyone who may see a project, or an agency admin (their invitations)
}


def _province_id(obj):
    if obj is None:
        return None
    for attr in ("province_id",):
        if getattr(obj, attr, None):
            return getattr(obj, attr)
    project = getattr(obj, "project", None)  # an Event
    if project is not None:
        return project.province_id
    event = getattr(obj, "event", None)  # an Invitation or a Registration
    if event is not None:
        return event.project.province_id
    return obj.pk  # a Province


def _secretariat(scope, province_id) -> bool:
    return scope.superuser or (bool(scope.province_ids) if province_id is None else province_id in scope.province_ids)


def _office_member(scope, province_id) -> bool:
    from itadesk.registry.models import SupervisingOffice

    if not scope.office_ids:
        return False
    offices = SupervisingOffice.objects.filter(pk__in=scope.office_ids)
    return offices.exists() if province_id is None else offices.filter(province_id=province_id).exists()


def _admin_agencies(scope) -> set[int]:
    from itadesk.accounts.models import Role

    return {agency_id for agency_id, roles in scope.agency_roles.items() if Role.AGENCY_ADMIN in roles}


def can(user, scope, action: str, obj) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    province_id = _province_id(obj)
    secretariat = _secretariat(scope, province_id)
    if action in {"manage_projects", "register_anyone"}:
        return secretariat
    if action in {"view_projects", "check_in"}:
        return secretariat or _office_member(scope, province_id)
    if action == "view_event_list":
        return secretariat or _office_member(scope, None) or bool(_admin_agencies(scope))
    if action == "view_event":
        if secretariat or _office_member(scope, province_id):
            return True
        agencies = _admin_agencies(scope)
        return bool(agencies) and obj.invitations.filter(agency_id__in=agencies).exists()
    # register_agency: obj is an Invitation
    return secretariat or obj.agency_id in _admin_agencies(scope)
