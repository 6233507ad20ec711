"""Permission rules of the core pages (merged into tests/test_permissions.py RULES).

/healthz is public: load balancers and monitoring ask it without logging in; it says only ok or error."""

from tests.permission_kit import expect

RULES = {
    "healthz": ("get", lambda w: {}, expect(200, anonymous=200)),
}
