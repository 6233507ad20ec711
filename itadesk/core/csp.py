"""The Content-Security-Policy header (django-csp; the policy is ``CONTENT_SECURITY_POLICY`` in settings).

``PolicyMiddleware`` is django-csp's middleware, except that

* PDF responses go without the header: a PDF runs no page script of ours, and a policy on it only risks the
  browser's built-in viewer refusing to show it inline (typeset reports, minutes and letters are opened in the
  browser);
* the header of a plain response — no per-view policy (``csp.decorators``), no nonce asked for: every page of
  ours — is built once per process and policy settings, not twice per response (the policy and the
  report-only policy: about 0.1 ms each); any other response is django-csp's own."""

from __future__ import annotations

import http.client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

#: Content types the policy is not added to.
EXEMPT_TYPES = ("application/pdf",)
#: What a view can set to change the policy of its response (django-csp's decorators).
PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


class PolicyMiddleware(CSPMiddleware):
    _built = None  # (the two policy settings, the header and the report-only header built from them)

    def process_response(self, request, response):
        if response.get("Content-Type", "").split(";")[0].strip().lower() in EXEMPT_TYPES:
            return response
        if (getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, a) for a in PER_RESPONSE)
                or settings.DEBUG and response.status_code in (http.client.INTERNAL_SERVER_ERROR,
                                                               http.client.NOT_FOUND)):
            return super().process_response(request, response)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        built = self._built
        if built is None or built[0] is not policy or built[1] is not report_only:
            # The settings objects are held, so that one of them changed (tests) is never mistaken for another.
            built = self._built = (policy, report_only, build_policy(), build_policy(report_only=True))
        for header, value, exempt, setting in ((HEADER, built[2], "_csp_exempt", policy),
                                               (HEADER_REPORT_ONLY, built[3], "_csp_exempt_ro", report_only)):
            prefixes = tuple((setting or {}).get("EXCLUDE_URL_PREFIXES", None) or ())
            if (value and header not in response and getattr(response, exempt, False) is False
                    and not request.path_info.startswith(prefixes)):
                response[header] = value
        # As django-csp: a nonce asked for after the header is written is an error, not a silent hole.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
