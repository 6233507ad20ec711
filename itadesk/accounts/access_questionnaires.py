"""Who may do what with hosted questionnaires for mock rounds.
Called from ``itadesk.accounts.access.can``; every action is listed in ``ACTIONS``.

* ``view_questionnaires`` (obj: an Agency): whoever sees the agency sees its questionnaires' links,
  QR codes, counters and mock scores.
* ``manage_questionnaire`` (obj: an Agency): create, set times, publish, close, issue tokens — the
  agency's admin, the secretariat of its province, an officer of an office that follows it.
* ``review_questionnaire`` (obj: an Agency): flags and the export of the anonymous responses — the
  organisers above and the reviewers of an office that follows it. Not the executive: in a small
  agency even anonymous raw IIT answers of its own staff are better kept from the person they judge.

Respondents need no action: the public pages are open to anyone with the link."""

from __future__ import annotations

from itadesk.accounts.models import Membership, Role

ACTIONS: set[str] = {"view_questionnaires", "manage_questionnaire", "review_questionnaire"}


def _follows(user, roles, agency) -> bool:
    from itadesk.accounts.access import _office_q
    from itadesk.registry.models import Agency

    offices = set(Membership.objects.filter(user=user, role__in=roles, office__isnull=False)
                  .values_list("office_id", flat=True))
    return bool(offices) and Agency.objects.filter(_office_q(offices), pk=agency.pk).exists()


def can(user, scope, action: str, obj) -> bool:
    from itadesk.accounts.access import can_see_agency

    if action == "view_questionnaires":
        return can_see_agency(user, obj)
    if action in {"manage_questionnaire", "review_questionnaire"}:
        if scope.superuser or obj.province_id in scope.province_ids:
            return True
        if Role.AGENCY_ADMIN in scope.agency_roles.get(obj.pk, set()):
            return True
        roles = [Role.OFFICER] if action == "manage_questionnaire" else [Role.OFFICER, Role.REVIEWER]
        return bool(scope.office_ids) and _follows(user, roles, obj)
    raise ValueError(f"unknown action {action!r}")
