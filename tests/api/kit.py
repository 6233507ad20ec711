"""Tokens for the cast of tests/world.py and a JSON client for /api/v1/."""

from __future__ import annotations

import json

from itadesk.api import services

BASE = "/api/v1"


def token(user) -> str:
    return services.create_token(actor=user, name=f"test {user.username}")[1]


def call(client, method: str, path: str, secret: str | None = None, body=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    url = path if path.startswith("/") and path.startswith(BASE) else BASE + path
    if method in ("put", "post", "patch"):
        return getattr(client, method)(url, data=json.dumps(body if body is not None else {}),
                                       content_type="application/json", **headers)
    return getattr(client, method)(url, params, **headers)
