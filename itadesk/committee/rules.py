"""Who may do what with the committee's work: members, meetings, agendas, attendance, resolutions and
minutes; action items and the agencies they ask; the problems-and-obstacles log (registered by
``itadesk.accounts.access``; see docs/architecture.md).

The secretariat of the province keeps the committee's records and alone writes and moves the minutes;
the supervising offices of the province (officers and reviewers) read them. Action items are the
committee's business: every office of the province reads them, the secretariat creates and edits them,
and the officers of the responsible office follow them up (status, updates, accepting or returning what an
agency reported). An agency's admin answers the requests addressed to the agency (uploads its document and
reports it done); its executive reads them. Problems and obstacles belong to one office: its officers
write them, its reviewers read them, the secretariat reads and may edit all of them; other offices see
none. Agency users see no other committee page.

Actions and their objects:
  view_committee (Province or None: any) — the secretariat; members of an office in the province
  manage_committee (Province or None) — the secretariat of the province (members list)
  view_meeting (Meeting) — as view_committee for the meeting's province
  edit_meeting (Meeting or Province) — the secretariat: details, agenda, attendance, resolutions
  issue_minutes (Meeting) — the secretariat: review, return to draft, adopt the minutes
  delete_meeting (Meeting) — the secretariat of its province (the service refuses adopted minutes)
  view_actions (Province, ActionItem or None) — as view_committee
  manage_actions (Province, ActionItem or None) — the secretariat: create, edit, add agencies
  follow_action (ActionItem) — the secretariat; officers of its responsible office: status, updates,
      accept / return / mark what the agencies asked reported
  respond_target (ActionTarget) — the admin of its agency (and the secretariat, helping): upload the
      document, report it done, add a note
  view_target (ActionTarget) — users of its agency; whoever may view the action item
  view_requests (None) — agency users: the page of requests from the committee to their agencies
  view_problems (SupervisingOffice or None) — the secretariat of its province; its officers and reviewers
  edit_problems (SupervisingOffice or None) — the secretariat of its province; its officers
"""

from __future__ import annotations

from itadesk.accounts.access import predicates as p
from itadesk.accounts.access import rule
from itadesk.accounts.models import Role
from itadesk.committee.models import ActionTarget


def _province_id(obj):
    if obj is None:
        return None
    if isinstance(obj, ActionTarget):
        return obj.action.province_id
    return getattr(obj, "province_id", None) or obj.pk


@rule("view_requests")
def view_requests(scope, action, obj) -> bool:
    return bool(scope.agency_ids)


@rule("view_problems", "edit_problems")
def problems(scope, action, obj) -> bool:
    roles = [Role.OFFICER] if action == "edit_problems" else [Role.OFFICER, Role.REVIEWER]
    if obj is None:
        return p.secretariat_of(scope, None) or p.office_member_in(scope, None, roles)
    return p.secretariat_of(scope, obj.province_id) or p.office_member(scope, obj.pk, roles)


@rule("manage_committee", "edit_meeting", "issue_minutes", "delete_meeting", "manage_actions")
def keep_records(scope, action, obj) -> bool:
    return p.secretariat_of(scope, _province_id(obj))


@rule("follow_action")
def follow_action(scope, action, obj) -> bool:
    return p.secretariat_of(scope, _province_id(obj)) or (
        obj.office_id is not None and p.office_member(scope, obj.office_id, [Role.OFFICER]))


@rule("respond_target")
def respond_target(scope, action, obj) -> bool:
    return p.secretariat_of(scope, _province_id(obj)) or p.agency_role(scope, obj.agency_id, Role.AGENCY_ADMIN)


@rule("view_committee", "view_meeting", "view_actions", "view_target")
def read_records(scope, action, obj) -> bool:
    if action == "view_target" and obj.agency_id in scope.agency_ids:
        return True
    province_id = _province_id(obj)
    return p.secretariat_of(scope, province_id) or p.office_member_in(scope, province_id)
