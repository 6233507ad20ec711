"""Who may do what with the registry: provinces, supervising offices and agencies (registered by
``itadesk.accounts.access``; see docs/architecture.md)."""

from __future__ import annotations

from itadesk.accounts.access import predicates as p
from itadesk.accounts.access import rule
from itadesk.accounts.models import Role


@rule("view_province", "view_all_offices")
def view_province(scope, action, obj) -> bool:
    # obj: a Province (or None for "any") — its secretariat
    return p.secretariat_of(scope, None if obj is None else obj.pk)


@rule("view_office")
def view_office(scope, action, obj) -> bool:
    # obj: a SupervisingOffice — the secretariat of its province; its officers and reviewers
    return p.secretariat_of(scope, obj.province_id) or obj.pk in scope.office_ids


@rule("view_agency")
def view_agency(scope, action, obj) -> bool:
    # obj: an Agency — whoever sees it (agencies_for)
    return p.sees_agency(scope, obj)


@rule("import_agencies", "export_agencies", "manage_registry", "edit_agency")
def manage_registry(scope, action, obj) -> bool:
    # obj: a Province, an Agency (or None: anywhere). edit_agency: every field of an agency, ITAS code, kind,
    # district and active included, or a Province's ITAS codes in bulk. The secretariat of the province.
    return p.province_secretariat(scope, obj)


@rule("edit_agency_contacts")
def edit_agency_contacts(scope, action, obj) -> bool:
    # obj: an Agency. Its contact person, phone, e-mail and website: whoever may edit_agency, and the
    # agency's own admin. Not its executive, not the offices (they read).
    return (p.secretariat_of(scope, obj.province_id)
            or p.agency_role(scope, obj.pk, Role.AGENCY_ADMIN))
