"""Who may do what with printable documents: ITAS QR posters and cards; the official letters, their
registers, DOCX templates and share links (registered by ``itadesk.accounts.access``; see
docs/architecture.md)."""

from __future__ import annotations

from itadesk.accounts.access import predicates as p
from itadesk.accounts.access import rule


@rule("view_itas_qr")
def view_itas_qr(scope, action, obj) -> bool:
    # obj: Agency — whoever sees the agency (its links, QR codes, posters and cards)
    return p.sees_agency(scope, obj)


@rule("print_itas_qr_bulk")
def print_itas_qr_bulk(scope, action, obj) -> bool:
    # obj: Round — the secretariat; members of an office in the round's province (what they get is limited
    # to agencies_for(user))
    return p.secretariat_of(scope, obj.province_id) or p.office_member_in(scope, obj.province_id)


@rule("view_issued_documents", "manage_documents")
def documents(scope, action, obj) -> bool:
    # obj: Province (or None: any).
    # view_issued_documents — the secretariat; members of an office in the province (they read issued
    #   letters; agency users see none)
    # manage_documents — the secretariat: registers, letters and their numbers, templates, share links
    province_id = None if obj is None else (getattr(obj, "province_id", None) or obj.pk)
    if p.secretariat_of(scope, province_id):
        return True
    return action == "view_issued_documents" and p.office_member_in(scope, province_id)
