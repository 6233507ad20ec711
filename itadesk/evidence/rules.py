"""Who may do what with OIT evidence (registered by ``itadesk.accounts.access``; see docs/architecture.md)."""

from __future__ import annotations

from itadesk.accounts.access import predicates as p
from itadesk.accounts.access import rule
from itadesk.accounts.models import OFFICE_ROLES, Role
from itadesk.registry.models import Agency, SupervisingOffice


@rule("view_evidence")
def view_evidence(scope, action, obj) -> bool:
    # obj: an Agency. Whoever sees the agency sees its OIT workspace, exports and snapshots.
    return p.sees_agency(scope, obj)


@rule("edit_evidence")
def edit_evidence(scope, action, obj) -> bool:
    # obj: an Agency. Its admin; the secretariat of its province (helping an agency); superusers.
    return (p.secretariat_of(scope, obj.province_id)
            or p.agency_role(scope, obj.pk, Role.AGENCY_ADMIN))


@rule("approve_evidence")
def approve_evidence(scope, action, obj) -> bool:
    # obj: an Agency. Only its executive: not its admin, not the secretariat, not a superuser.
    return p.agency_role(scope, obj.pk, Role.AGENCY_EXECUTIVE)


@rule("review_evidence")
def review_evidence(scope, action, obj) -> bool:
    # obj: an Agency. An officer or reviewer of an office whose oversight rules follow it; never a user of
    # the agency itself (an agency cannot pass its own evidence).
    if obj.pk in scope.agency_roles:
        return False
    return p.office_follows(scope, obj, OFFICE_ROLES)


@rule("view_review_queue")
def view_review_queue(scope, action, obj) -> bool:
    # obj: a SupervisingOffice. Its officers and reviewers; the secretariat of its province.
    return p.secretariat_of(scope, obj.province_id) or obj.pk in scope.office_ids


@rule("run_check")
def run_check(scope, action, obj) -> bool:
    # obj: an Agency (its items), a SupervisingOffice (its review queue) or a Province (everything).
    # Whoever sees it may ask the checker to look again; the province only its secretariat.
    if isinstance(obj, Agency):
        return p.sees_agency(scope, obj)
    if isinstance(obj, SupervisingOffice):
        return view_review_queue(scope, action, obj)
    return p.secretariat_of(scope, obj.pk)


@rule("manage_examples")
def manage_examples(scope, action, obj) -> bool:
    # obj: a SupervisingOffice. Its officers (reviewers judge, officers advise); the secretariat.
    return (p.secretariat_of(scope, obj.province_id)
            or p.office_member(scope, obj.pk, [Role.OFFICER]))
