"""Who may do what with printable documents: ITAS QR posters and cards; the official letters, their
registers, DOCX templates and share links.
Called from ``itadesk.accounts.access.can``; every action is listed in ``ACTIONS``."""

from __future__ import annotations

from itadesk.accounts.models import OFFICE_ROLES, Membership

ACTIONS: set[str] = {
    "view_itas_qr",  # obj: Agency — whoever sees the agency (its links, QR codes, posters and cards)
    "print_itas_qr_bulk",  # obj: Round — the secretariat; members of an office in the round's province
    #                        (what they get is limited to agencies_for(user))
    "view_issued_documents",  # obj: Province (or None: any) — the secretariat; members of an office in the
    #                           province (they read issued letters; agency users see none)
    "manage_documents",  # obj: Province (or None: any) — the secretariat: registers, letters and their numbers,
    #                      templates, share links
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
    if action in {"view_issued_documents", "manage_documents"}:
        province_id = None if obj is None else (getattr(obj, "province_id", None) or obj.pk)
        if scope.superuser or (bool(scope.province_ids) if province_id is None else province_id in scope.province_ids):
            return True
        if action == "manage_documents" or not scope.office_ids:
            return False
        offices = Membership.objects.filter(user=user, role__in=OFFICE_ROLES, office__isnull=False)
        return offices.exists() if province_id is None else offices.filter(office__province_id=province_id).exists()
    raise ValueError(f"unknown action {action!r}")
