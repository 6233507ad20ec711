"""Who may use the API (registered by ``itadesk.accounts.access``; see docs/architecture.md). What a token
may read or change is decided by the other apps' actions, exactly as for the pages."""

from __future__ import annotations

from itadesk.accounts.access import rule


@rule("use_api")
def use_api(scope, action, obj) -> bool:
    # obj: None. Anyone with a role (secretariat, office member, agency admin or executive) and superusers:
    # they create, list and revoke their own personal tokens. Someone with no role could read nothing.
    return scope.is_anyone
