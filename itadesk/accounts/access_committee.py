"""Who may do what with the committee's work: members, meetings, agendas, attendance, resolutions and
minutes. Called from ``itadesk.accounts.access.can``; every action is listed in ``ACTIONS``.

The secretariat of the province keeps the committee's records and alone writes and moves the minutes;
the supervising offices of the province (officers and reviewers) read them. Agency users do not see
the committee's pages.
"""

from __future__ import annotations

ACTIONS: set[str] = {
    "view_committee",  # obj: Province (or None: any) — the secretariat; members of an office in the province
    "manage_committee",  # obj: Province (or None: any) — the secretariat of the province (members list)
    "view_meeting",  # obj: Meeting — as view_committee for the meeting's province
    "edit_meeting",  # obj: Meeting or Province — the secretariat: details, agenda, attendance, resolutions
    "issue_minutes",  # obj: Meeting — the secretariat: review, return to draft, adopt the minutes
}


def _province_id(obj):
    if obj is None:
        return None
    return getattr(obj, "province_id", None) or obj.pk


def can(user, scope, action: str, obj) -> bool:
    from itadesk.registry.models import SupervisingOffice

    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    province_id = _province_id(obj)
    secretariat = scope.superuser or (
        bool(scope.province_ids) if province_id is None else province_id in scope.province_ids)
    if action in {"manage_committee", "edit_meeting", "issue_minutes"}:
        return secretariat
    # view_committee, view_meeting
    if secretariat:
        return True
    if not scope.office_ids:
        return False
    offices = SupervisingOffice.objects.filter(pk__in=scope.office_ids)
    return offices.exists() if province_id is None else offices.filter(province_id=province_id).exists()
