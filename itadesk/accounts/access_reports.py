"""Who may do what with monitoring reports. Called from ``itadesk.accounts.access.can``; every action is
listed in ``ACTIONS``."""

from __future__ import annotations

ACTIONS: set[str] = set()


def can(user, scope, action: str, obj) -> bool:
    raise ValueError(f"unknown action {action!r}")
