"""Who may make, renew and revoke calendar feed addresses (registered by ``itadesk.accounts.access``; see
docs/calendars.md). Reading a feed needs no session: its secret address is the permission, and what it
holds is scoped by the same rules as the pages (``itadesk/calendars/feeds.py``).

  manage_own_calendar (None) — any user with a role (and superusers): their personal feed
  manage_office_calendar (SupervisingOffice) — the secretariat of its province; its officers
  manage_agency_calendar (Agency) — the secretariat of its province; the agency's admins
"""

from __future__ import annotations

from itadesk.accounts.access import predicates as p
from itadesk.accounts.access import rule
from itadesk.accounts.models import Role


@rule("manage_own_calendar")
def manage_own_calendar(scope, action, obj) -> bool:
    return scope.is_anyone


@rule("manage_office_calendar")
def manage_office_calendar(scope, action, obj) -> bool:
    return p.secretariat_of(scope, obj.province_id) or p.office_member(scope, obj.pk, [Role.OFFICER])


@rule("manage_agency_calendar")
def manage_agency_calendar(scope, action, obj) -> bool:
    return p.secretariat_of(scope, obj.province_id) or p.agency_role(scope, obj.pk, Role.AGENCY_ADMIN)
