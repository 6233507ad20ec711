"""Permission rules of the surveys URLs (merged into tests/test_permissions.py RULES)."""

from tests.permission_kit import CAST, LOGIN, NOT_SEE_SAO1, REDIRECT, SEE_SAO1, expect, only  # noqa: F401

# name -> (method, kwargs(world), expected per user)
RULES = {}
