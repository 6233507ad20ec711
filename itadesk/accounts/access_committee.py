"""Who may do what with the committee's work: members, meetings, agendas, attendance, resolutions and
minutes; action items and the agencies they ask; the problems-and-obstacles log. Called from
``itadesk.accounts.access.can``; every action is listed in ``ACTIONS``.

The secretariat of the province keeps the committee's records and alone writes and moves the minutes;
the supervising offices of the province (officers and reviewers) read them. Action items are the
committee's business: every office of the province reads them, the secretariat creates and edits them,
and the officers of the responsible office follow them up (status, updates, accepting or returning what an
agency reported). An agency's admin answers the requests addressed to the agency (uploads its document and
reports it done); its executive reads them. Problems and obstacles belong to one office: its officers
write them, its reviewers read them, the secretariat reads and may edit all of them; other offices see
none. Agency users see no other committee page.
"""

from __future__ import annotations

from itadesk.accounts.models import Membership, Role

ACTIONS: set[str] = {
    "view_committee",  # obj: Province (or None: any) — the secretariat; members of an office in the province
    "manage_committee",  # obj: Province (or None: any) — the secretariat of the province (members list)
    "view_meeting",  # obj: Meeting — as view_committee for the meeting's province
    "edit_meeting",  # obj: Meeting or Province — the secretariat: details, agenda, attendance, resolutions
    "issue_minutes",  # obj: Meeting — the secretariat: review, return to draft, adopt the minutes
    "delete_meeting",  # obj: Meeting — the secretariat of its province (the service refuses adopted minutes)
    "view_actions",  # obj: Province, ActionItem (or None: any) — as view_committee
    "manage_actions",  # obj: Province or ActionItem (or None: any) — the secretariat: create, edit, add agencies
    "follow_action",  # obj: ActionItem — the secretariat; officers of its responsible office: status, updates,
    #                   accept / return / mark what the agencies asked reported
    "respond_target",  # obj: ActionTarget — the admin of its agency (and the secretariat, helping): upload the
    #                   document, report it done, add a note
    "view_target",  # obj: ActionTarget — users of its agency; whoever may view the action item
    "view_requests",  # obj: None — agency users: the page of requests from the committee to their agencies
    "view_problems",  # obj: SupervisingOffice (or None: any) — the secretariat of its province; its officers
    #                   and reviewers
    "edit_problems",  # obj: SupervisingOffice (or None: any) — the secretariat of its province; its officers
}


def _province_id(obj):
    if obj is None:
        return None
    from itadesk.committee.models import ActionTarget

    if isinstance(obj, ActionTarget):
        return obj.action.province_id
    return getattr(obj, "province_id", None) or obj.pk


def _officer_of(user, office_id) -> bool:
    return Membership.objects.filter(user=user, role=Role.OFFICER, office_id=office_id).exists()


def can(user, scope, action: str, obj) -> bool:
    from itadesk.registry.models import SupervisingOffice

    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action == "view_requests":
        return bool(scope.agency_ids)
    if action in {"view_problems", "edit_problems"}:
        if obj is None:
            return scope.superuser or bool(scope.province_ids) or (
                bool(scope.office_ids) if action == "view_problems"
                else Membership.objects.filter(user=user, role=Role.OFFICER, office__isnull=False).exists())
        if scope.superuser or obj.province_id in scope.province_ids:
            return True
        return obj.pk in scope.office_ids if action == "view_problems" else _officer_of(user, obj.pk)
    province_id = _province_id(obj)
    secretariat = scope.superuser or (
        bool(scope.province_ids) if province_id is None else province_id in scope.province_ids)
    if action in {"manage_committee", "edit_meeting", "issue_minutes", "delete_meeting", "manage_actions"}:
        return secretariat
    if action == "follow_action":
        return secretariat or (obj.office_id is not None and obj.office_id in scope.office_ids
                               and _officer_of(user, obj.office_id))
    if action == "respond_target":
        return secretariat or Role.AGENCY_ADMIN in scope.agency_roles.get(obj.agency_id, set())
    if action == "view_target" and obj.agency_id in scope.agency_ids:
        return True
    # view_committee, view_meeting, view_actions, view_target (as a reader of the action item)
    if secretariat:
        return True
    if not scope.office_ids:
        return False
    offices = SupervisingOffice.objects.filter(pk__in=scope.office_ids)
    return offices.exists() if province_id is None else offices.filter(province_id=province_id).exists()
