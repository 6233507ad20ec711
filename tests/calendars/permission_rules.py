"""Permission rules of the calendar feed URLs (merged into tests/test_permissions.py RULES).

Everyone with a role has a personal feed page and makes or revokes their own address (revoking when there
is none is refused with a message: a redirect too). The office feed is the secretariat's and the office's
officers' (local_officer for w.local); the agency feed the secretariat's and the agency's admins' (admin_a
for sao1), 404 for those who may not see the agency. The how-to page is public, and so is the feed itself:
its secret address is the permission (a calendar application sends no cookies)."""

from tests.permission_kit import CAST, NOT_SEE_SAO1, REDIRECT, expect, only


def _token(w):
    from itadesk.calendars import services

    return {"token": services.create_feed(actor=w.secretariat, kind="user", owner=w.secretariat)[1]}


RULES = {
    "calendars:mine": ("get", lambda w: {}, expect(200)),
    "calendars:help": ("get", lambda w: {}, expect(200, anonymous=200)),
    "calendars:feed": ("get", _token, {who: 200 for who in CAST}),
    "calendars:user_new": ("post", lambda w: {}, expect(REDIRECT)),
    "calendars:user_revoke": ("post", lambda w: {}, expect(REDIRECT)),
    "calendars:office_new": ("post", lambda w: {"office_id": w.local.pk},
                             only(["secretariat", "local_officer", "superuser"], ok=REDIRECT)),
    "calendars:office_revoke": ("post", lambda w: {"office_id": w.local.pk},
                                only(["secretariat", "local_officer", "superuser"], ok=REDIRECT)),
    "calendars:agency_new": ("post", lambda w: {"agency_id": w.sao1.pk},
                             only(["secretariat", "admin_a", "superuser"], ok=REDIRECT, **NOT_SEE_SAO1)),
    "calendars:agency_revoke": ("post", lambda w: {"agency_id": w.sao1.pk},
                                only(["secretariat", "admin_a", "superuser"], ok=REDIRECT, **NOT_SEE_SAO1)),
}
