"""Permission rules of the notification pages (merged into tests/test_permissions.py RULES).

Everyone who is logged in has their own page (choices, LINE link, their messages); the province's outbox and
LINE settings are the secretariat's; an office's LINE group page is its members' and the secretariat's; a
message is retried by the person it is for or the secretariat. LINE's webhook is public but refuses any body
without a valid signature (400)."""

from tests.permission_kit import REDIRECT, expect, only

SECRETARIAT = ["secretariat", "superuser"]
LOCAL = ["secretariat", "superuser", "local_officer"]


def _message(w):
    """A queued message to sao1's admin (made once per world)."""
    from itadesk.notifications.models import Notification

    n = Notification.objects.filter(user=w.admin_a).first() or Notification.objects.create(
        province=w.province, kind="report_issued", channel="email", user=w.admin_a, address=w.admin_a.email,
        subject="x", body="x")
    return {"notification_id": n.pk}


RULES = {
    "notifications:mine": ("get", lambda w: {}, expect(200)),
    "notifications:line_code": ("post", lambda w: {}, expect(REDIRECT)),
    "notifications:line_unlink": ("post", lambda w: {}, expect(REDIRECT)),
    "notifications:outbox": ("get", lambda w: {}, only(SECRETARIAT)),
    "notifications:retry": ("post", _message, only([*SECRETARIAT, "admin_a"], ok=REDIRECT)),
    "notifications:line_settings": ("get", lambda w: {}, only(SECRETARIAT)),
    "notifications:office_line": ("get", lambda w: {"office_id": w.local.pk}, only(LOCAL)),
    "notifications:office_line_code": ("post", lambda w: {"office_id": w.local.pk}, only(LOCAL, ok=REDIRECT)),
    "notifications:office_line_unlink": ("post", lambda w: {"office_id": w.local.pk}, only(LOCAL, ok=REDIRECT)),
    "line:webhook": ("post", lambda w: {}, expect(400, anonymous=400)),
}
