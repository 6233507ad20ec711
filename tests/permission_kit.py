"""The cast and the outcome helpers of the permission matrix (tests/test_permissions.py), shared with
the per-domain rule files (tests/<app>/permission_rules.py)."""

from __future__ import annotations

LOGIN = "login"  # 302 to the login page
REDIRECT = "redirect"  # 302 anywhere else
CAST = ["anonymous", "secretariat", "nacc_officer", "prov_officer", "local_officer", "admin_officer",
        "reviewer", "admin_a", "admin_b", "exec_a", "superuser"]
OFFICERS = ["nacc_officer", "prov_officer", "local_officer", "admin_officer"]
AGENCY_USERS = ["admin_a", "admin_b", "exec_a"]


def expect(default, **overrides):
    table = {who: default for who in CAST}
    table["anonymous"] = LOGIN
    table.update(overrides)
    return table


def only(allowed: list[str], ok=200, denied=403, **overrides):
    table = expect(denied, **{who: ok for who in allowed})
    table.update(overrides)
    return table


SEE_SAO1 = ["secretariat", "nacc_officer", "local_officer", "admin_officer", "reviewer", "admin_a", "exec_a",
            "superuser"]
NOT_SEE_SAO1 = {"prov_officer": 404, "admin_b": 404}
