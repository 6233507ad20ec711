"""Who may read results and manage what scoring needs (registered by ``itadesk.accounts.access``;
see docs/architecture.md)."""

from __future__ import annotations

from itadesk.accounts.access import predicates as p
from itadesk.accounts.access import rule


@rule("view_results")
def view_results(scope, action, obj) -> bool:
    # obj: a Province (or None). Anyone with a role there; what they see is agencies_for(user).
    return scope.superuser or obj is None or obj.pk in scope.any_province_ids


@rule("import_results", "manage_target_groups")
def manage_results(scope, action, obj) -> bool:
    # obj: a Province (or None: anywhere) — the secretariat of the province
    return p.province_secretariat(scope, obj)
