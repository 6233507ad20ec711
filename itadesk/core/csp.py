"""The Content-Security-Policy header (django-csp; the policy is ``CONTENT_SECURITY_POLICY`` in settings).

``PolicyMiddleware`` is django-csp's middleware, except that PDF responses go without the header: a PDF
runs no page script of ours, and a policy on it only risks the browser's built-in viewer refusing to
show it inline (typeset reports, minutes and letters are opened in the browser)."""

from __future__ import annotations

from csp.middleware import CSPMiddleware

#: Content types the policy is not added to.
EXEMPT_TYPES = ("application/pdf",)


class PolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if response.get("Content-Type", "").split(";")[0].strip().lower() in EXEMPT_TYPES:
            return response
        return super().process_response(request, response)
