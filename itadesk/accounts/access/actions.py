"""The register of actions: each app declares who may do what in its own ``rules.py`` with ``@rule``;
``can`` looks the action up and raises ``UnknownAction`` for one nobody registered.

Registration happens when ``AccountsConfig.ready`` imports every installed app's ``rules`` module
(``autodiscover_modules("rules")``, as the admin finds ``admin.py``): all models are loaded by then, and a
``rules.py`` imports only ``itadesk.accounts.access`` and models, so no import cycle can form.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from itadesk.accounts.access.scope import Scope, scope_for

Rule = Callable[[Scope, str, object], bool]
_RULES: dict[str, Rule] = {}


class UnknownAction(ValueError):
    """``can`` was asked about an action that no app registered."""


def rule(*actions: str):
    """Register the decorated ``fn(scope, action, obj) -> bool`` as the rule of ``actions``."""
    def register(fn: Rule) -> Rule:
        for action in actions:
            known = _RULES.get(action)
            if known is not None and known is not fn:
                raise ImproperlyConfigured(f"access action {action!r} registered twice "
                                           f"({known.__module__} and {fn.__module__})")
            _RULES[action] = fn
        return fn
    return register


def registered_actions() -> frozenset[str]:
    return frozenset(_RULES)


def can(user, action: str, obj=None) -> bool:
    """May ``user`` do ``action`` on ``obj``? Users without any role may do nothing."""
    try:
        fn = _RULES[action]
    except KeyError:
        raise UnknownAction(f"unknown action {action!r}") from None
    scope = scope_for(user)
    if not scope.is_anyone:
        return False
    return fn(scope, action, obj)


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied
