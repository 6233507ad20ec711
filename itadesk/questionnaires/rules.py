"""Who may do what with hosted questionnaires for mock rounds (registered by ``itadesk.accounts.access``;
see docs/architecture.md).

* ``view_questionnaires`` (obj: an Agency): whoever sees the agency sees its questionnaires' links,
  QR codes, counters and mock scores.
* ``manage_questionnaire`` (obj: an Agency): create, set times, publish, close, issue tokens — the
  agency's admin, the secretariat of its province, an officer of an office that follows it.
* ``review_questionnaire`` (obj: an Agency): flags and the export of the anonymous responses — the
  organisers above and the reviewers of an office that follows it. Not the executive: in a small
  agency even anonymous raw IIT answers of its own staff are better kept from the person they judge.

Respondents need no action: the public pages are open to anyone with the link."""

from __future__ import annotations

from itadesk.accounts.access import predicates as p
from itadesk.accounts.access import rule
from itadesk.accounts.models import Role


@rule("view_questionnaires")
def view_questionnaires(scope, action, obj) -> bool:
    return p.sees_agency(scope, obj)


@rule("manage_questionnaire", "review_questionnaire")
def organise(scope, action, obj) -> bool:
    if p.secretariat_of(scope, obj.province_id):
        return True
    if p.agency_role(scope, obj.pk, Role.AGENCY_ADMIN):
        return True
    roles = [Role.OFFICER] if action == "manage_questionnaire" else [Role.OFFICER, Role.REVIEWER]
    return p.office_follows(scope, obj, roles)
