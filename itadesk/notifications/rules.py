"""Who may do what with notifications (registered by ``itadesk.accounts.access``; see docs/architecture.md).

* ``manage_notifications`` (obj: a Province, or None for "anywhere"): the province's outbox page (every
  message queued, failed or sent to its people) and its LINE Official Account settings. The secretariat of
  the province; superusers.
* ``retry_notification`` (obj: a Notification): put a failed message back at the head of the queue. The
  secretariat of the message's province; superusers. (The person a message is for may retry it too: the
  view lets a user act on their own messages, as on their own preferences.)
* ``link_office_line`` (obj: a SupervisingOffice): show the one-time code that links the office's LINE group,
  and unlink it. The office's officers and reviewers and the secretariat of its province; superusers.

Every user manages their own preferences and their own LINE link (no rule: their own account only).
"""

from __future__ import annotations

from itadesk.accounts.access import predicates as p
from itadesk.accounts.access import rule


@rule("manage_notifications")
def manage_notifications(scope, action, obj) -> bool:
    return p.secretariat_of(scope, None if obj is None else obj.pk)


@rule("retry_notification")
def retry_notification(scope, action, obj) -> bool:
    return obj.province_id is not None and p.secretariat_of(scope, obj.province_id)


@rule("link_office_line")
def link_office_line(scope, action, obj) -> bool:
    return p.secretariat_of(scope, obj.province_id) or p.office_member(scope, obj.pk)
