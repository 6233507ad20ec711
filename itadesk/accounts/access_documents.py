"""Who may do what with printable documents: ITAS QR posters and cards.
Called from ``itadesk.accounts.access.can``; every action is listed in ``ACTIONS``."""

from __future__ import annotations

from itadesk.accounts.models import OFFICE_ROLES, Membership

ACTIONS: set[str] = {
    "view_itas_qr",  # obj: Agency — whoever sees the agency (its links, QR codes, posters and cards)
    "print_itas_qr_bulk",  # obj: Round — the secretariat; members of an office in the round's province
    #                        (what they get is limited to agencies_for(user))
}


def can(user, scope, action: str, obj) -> bool:
    from itadesk.accounts.access import can_see_agency

    if action == "view_itas_qr":
        return can_see_agency(user, obj)
    if action == "print_itas_qr_bulk":
        if scope.superuser or obj.province_id in scope.province_ids:
            return True
        return Membership.objects.filter(user=user, role__in=OFFICE_ROLES,
                                         office__province_id=obj.province_id).exists()
    raise ValueError(f"unknown action {action!r}")
