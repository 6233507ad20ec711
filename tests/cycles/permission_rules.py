"""Permission rules of the round pages (merged into tests/test_permissions.py RULES).

Starting a round, its settings and its participants belong to the secretariat of the round's province (and
superusers); everybody else gets 403, anonymous visitors the login page."""

from tests.permission_kit import CAST, LOGIN, only  # noqa: F401

SECRETARIAT = ["secretariat", "superuser"]

RULES = {
    "round_new": ("get", lambda w: {}, only(SECRETARIAT)),
    "round_settings": ("get", lambda w: {"round_id": w.round.pk}, only(SECRETARIAT)),
    "round_participants": ("get", lambda w: {"round_id": w.round.pk}, only(SECRETARIAT)),
    # national data: any province's secretariat
    "holidays": ("get", lambda w: {}, only(SECRETARIAT)),
    # an office's agency table: the office dashboard's access (its secretariat, its officers, superusers)
    "office_agencies": ("get", lambda w: {"round_id": w.round.pk, "office_id": w.local.pk},
                        only(["secretariat", "local_officer", "superuser"])),
}
