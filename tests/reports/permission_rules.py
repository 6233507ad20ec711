"""Permission rules of the reports URLs (merged into tests/test_permissions.py RULES)."""

from tests.permission_kit import CAST, LOGIN, NOT_SEE_SAO1, OFFICERS, REDIRECT, SEE_SAO1, expect, only  # noqa: F401

RULES: dict = {}
