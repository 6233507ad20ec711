"""Permission rules of the people pages (merged into tests/test_permissions.py RULES).

The secretariat (and superusers) manage everyone in the province; an office officer manages the agency
admins and executives of the agencies its office follows (sao1: nacc, local and the administration office,
which assists with local governments; not the provincial office); reviewers and agency users manage nobody.
The invitation link is public: a bad token shows the Thai "expired or used" page to anyone."""

from tests.permission_kit import OFFICERS, REDIRECT, expect, only

FOLLOW_SAO1 = ["secretariat", "superuser", "nacc_officer", "local_officer", "admin_officer"]
MANAGERS = ["secretariat", "superuser", *OFFICERS]
# Two-step sign-in: the secretariat, officers, reviewers and superusers set up their own; everyone signed in
# has the sign-in security page; the code step sends anyone without an authenticator on; the secretariat
# resets a person's (the invitee has none: refused with a message, a redirect either way).
TWO_STEP = ["secretariat", "superuser", *OFFICERS, "reviewer"]


def _invitee(w):
    """An invited agency admin of sao1 (made once per world)."""
    from django.contrib.auth import get_user_model

    from itadesk.accounts.models import Invitation, Membership, Role

    User = get_user_model()
    user = User.objects.filter(username="invitee@example.test").first()
    if user is None:
        user = User(username="invitee@example.test", email="invitee@example.test", first_name="Invitee")
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, role=Role.AGENCY_ADMIN, agency=w.sao1)
        Invitation.objects.create(user=user)
    return {"user_id": user.pk}


RULES = {
    "accounts:people": ("get", lambda w: {}, only(MANAGERS)),
    "accounts:people_import": ("get", lambda w: {}, only(MANAGERS)),
    "accounts:person": ("get", _invitee, only(FOLLOW_SAO1)),
    "accounts:person_resend": ("post", _invitee, only(FOLLOW_SAO1, ok=REDIRECT)),
    "accounts:person_active": ("post", _invitee, only(FOLLOW_SAO1, ok=REDIRECT)),
    "accounts:province_contacts": ("get", lambda w: {}, only(["secretariat", "superuser"])),
    "accounts:office_contacts": ("get", lambda w: {"office_id": w.local.pk},
                                 only(["secretariat", "superuser", "local_officer"])),
    "accounts:login_code": ("get", lambda w: {}, expect(REDIRECT)),
    "accounts:two_factor": ("get", lambda w: {}, expect(200)),
    "accounts:two_factor_setup": ("get", lambda w: {}, only(TWO_STEP)),
    "accounts:two_factor_codes": ("post", lambda w: {}, only(TWO_STEP, ok=REDIRECT)),
    "accounts:two_factor_off": ("post", lambda w: {}, only(TWO_STEP, ok=REDIRECT)),
    "accounts:person_2fa_reset": ("post", _invitee, only(["secretariat", "superuser"], ok=REDIRECT)),
    "accounts:invitation": ("get", lambda w: {"uidb64": "MQ", "token": "bad-token"},
                            expect(200, anonymous=200)),
}
