"""Who may do what with improvement projects and their events (registered by ``itadesk.accounts.access``;
see docs/architecture.md).

The secretariat of the province manages projects, budgets, events and invitations, and may register
anyone (walk-ins too). The supervising offices of the province (officers and reviewers) read projects
and events and check people in. An agency admin sees the events its agency is invited to and registers
its own people within the quota. Nobody else sees anything of it.
"""

from __future__ import annotations

from itadesk.accounts.access import predicates as p
from itadesk.accounts.access import rule


def _province_id(obj):
    if obj is None:
        return None
    if getattr(obj, "province_id", None):
        return obj.province_id
    project = getattr(obj, "project", None)  # an Event
    if project is not None:
        return project.province_id
    event = getattr(obj, "event", None)  # an Invitation or a Registration
    if event is not None:
        return event.project.province_id
    return obj.pk  # a Province


@rule("manage_projects", "register_anyone")
def manage_projects(scope, action, obj) -> bool:
    # manage_projects — obj: Province/Project/Event (or None: any) — the secretariat of the province
    # register_anyone — obj: Event — the secretariat (any agency, over the quota, walk-ins)
    return p.secretariat_of(scope, _province_id(obj))


@rule("view_projects", "check_in")
def view_projects(scope, action, obj) -> bool:
    # view_projects — obj: Province/Project (or None: any) — the secretariat; members of an office there
    # check_in — obj: Event — the secretariat; members of an office in the event's province
    province_id = _province_id(obj)
    return p.secretariat_of(scope, province_id) or p.office_member_in(scope, province_id)


@rule("view_event_list")
def view_event_list(scope, action, obj) -> bool:
    # obj: None — anyone who may see a project, or an agency admin (their invitations)
    return (p.secretariat_of(scope, _province_id(obj)) or p.office_member_in(scope, None)
            or bool(p.admin_agencies(scope)))


@rule("view_event")
def view_event(scope, action, obj) -> bool:
    # obj: Event — as view_projects, or an admin of an agency invited to it
    if view_projects(scope, action, obj):
        return True
    agencies = p.admin_agencies(scope)
    return bool(agencies) and obj.invitations.filter(agency_id__in=agencies).exists()


@rule("register_agency")
def register_agency(scope, action, obj) -> bool:
    # obj: Invitation — the secretariat; the admin of the invited agency
    return p.secretariat_of(scope, _province_id(obj)) or obj.agency_id in p.admin_agencies(scope)
