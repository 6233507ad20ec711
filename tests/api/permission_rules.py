"""Permission rules of the API (merged into tests/test_permissions.py RULES).

The pages (token list, revoke, docs) are walked like every page, logged in with a session. The endpoints
under /api/v1/ are walked with a personal token per member of the cast (``api_call``): no token is 401, an
object outside the user's scope 404, a forbidden action 403 — the same rules as the pages that show or change
the same thing (set_progress, edit_evidence, enter_responses …). The schema is public."""

from __future__ import annotations

import json

from tests.permission_kit import CAST, LOGIN, NOT_SEE_SAO1, REDIRECT, SEE_SAO1, expect, only

EVERYONE = {who: 200 for who in CAST} | {"anonymous": 401}
SET_PROGRESS = ["secretariat", "nacc_officer", "local_officer", "admin_officer", "admin_a", "superuser"]
EDIT_EVIDENCE = ["secretariat", "admin_a", "superuser"]


def _oit(w):
    from tests.evidence.oit_world import setup_oit

    if w.round.framework_id is None:
        setup_oit(w)
    return w.round.pk


def _sao1(w, **extra):
    return {"round_id": _oit(w), "agency_id": w.sao1.pk, **extra}


def _own_token(w):
    """A token of admin_a's (made once per world): only admin_a may revoke it."""
    from itadesk.api.models import ApiToken
    from itadesk.api.services import create_token

    token = ApiToken.objects.filter(user=w.admin_a, name="matrix").first() or create_token(
        actor=w.admin_a, name="matrix")[0]
    return {"token_id": token.pk}


def _counts(w):
    from itadesk.surveys.selectors import instruments, today

    return {"on_date": today().isoformat(), "counts": {instruments(w.round)[0].code: 7}}


def _refuse_others(allowed, ok=200):
    """Allowed users get ``ok``; those who see sao1 but may not do it 403; the others 404; no token 401."""
    table = only(allowed, ok=ok, **NOT_SEE_SAO1)
    table["anonymous"] = 401
    return table


SEES_SAO1 = _refuse_others(SEE_SAO1)

# name -> (method, kwargs(world), expected per user); bodies of the API writes are in BODIES.
RULES = {
    "api:tokens": ("get", lambda w: {}, expect(200)),
    "api:revoke": ("post", _own_token, only(["admin_a"], ok=REDIRECT, denied=404)),
    "api:docs": ("get", lambda w: {}, expect(200, anonymous=200)),
    "api:v1:openapi-json": ("get", lambda w: {}, expect(200, anonymous=200)),
    "api:v1:api-root": ("get", lambda w: {}, expect(200, anonymous=200)),  # answered by api:root
    "api:root": ("get", lambda w: {}, expect(200, anonymous=200)),
    "api:not_found": ("get", lambda w: {"rest": "no/such/thing"}, {who: 404 for who in CAST}),
    "api:v1:me": ("get", lambda w: {}, EVERYONE),
    "api:v1:rounds": ("get", lambda w: {}, EVERYONE),
    "api:v1:round": ("get", lambda w: {"round_id": w.round.pk}, EVERYONE),
    "api:v1:agencies": ("get", lambda w: {"round_id": w.round.pk}, EVERYONE),
    "api:v1:round_progress": ("get", lambda w: {"round_id": w.round.pk}, EVERYONE),
    "api:v1:progress": ("get", lambda w: {"round_id": w.round.pk, "agency_id": w.sao1.pk}, SEES_SAO1),
    "api:v1:set_progress": ("put", lambda w: {"round_id": w.round.pk, "agency_id": w.sao1.pk,
                                              "milestone_id": w.m1.pk}, _refuse_others(SET_PROGRESS)),
    "api:v1:oit_items": ("get", _sao1, SEES_SAO1),
    "api:v1:oit_item": ("get", lambda w: _sao1(w, code="o1"), SEES_SAO1),
    "api:v1:save_oit_item": ("put", lambda w: _sao1(w, code="o1"), _refuse_others(EDIT_EVIDENCE)),
    "api:v1:responses": ("get", lambda w: {"round_id": w.round.pk, "agency_id": w.sao1.pk}, SEES_SAO1),
    "api:v1:record_responses": ("post", lambda w: {"round_id": w.round.pk, "agency_id": w.sao1.pk},
                                _refuse_others(SET_PROGRESS)),
    "api:v1:action_items": ("get", lambda w: {}, EVERYONE),
    "api:v1:results": ("get", lambda w: {}, EVERYONE),
}

BODIES = {
    "api:v1:set_progress": lambda w: {"status": "done"},
    "api:v1:save_oit_item": lambda w: {"answer": "has", "urls": ["https://kaewmethee.go.th/structure"],
                                       "explanation": "เมนูเกี่ยวกับเรา"},
    "api:v1:record_responses": _counts,
}


def is_api(name: str) -> bool:
    return name.startswith("api:v1:") and name not in ("api:v1:openapi-json", "api:v1:api-root")


def api_call(client, name: str, method: str, url: str, world, who: str):
    """Call an endpoint as ``who`` with that user's token (none for the anonymous visitor)."""
    from itadesk.api.services import create_token

    tokens = world.__dict__.setdefault("api_tokens", {})
    headers = {}
    if who != "anonymous":
        if who not in tokens:
            tokens[who] = create_token(actor=getattr(world, who), name="permission matrix")[1]
        headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[who]}"
    if method == "get":
        return client.get(url, **headers)
    return getattr(client, method)(url, data=json.dumps(BODIES[name](world)), content_type="application/json",
                                   **headers)


__all__ = ["LOGIN", "RULES", "api_call", "is_api"]
