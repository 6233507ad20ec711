"""Keep an uploaded file between 'preview' and 'apply' of an import, private to the user who sent it."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from django.conf import settings

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _dir(user) -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports" / str(user.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep(user, uploaded) -> str:
    token = secrets.token_urlsafe(24)
    suffix = Path(uploaded.name).suffix.lower()[:8]
    with open(_dir(user) / f"{token}{suffix}", "wb") as fh:
        for chunk in uploaded.chunks():
            fh.write(chunk)
    (_dir(user) / f"{token}.name").write_text(uploaded.name, encoding="utf-8")
    return token


def load(user, token: str) -> tuple[bytes, str] | None:
    if not token or not _TOKEN.match(token):
        return None
    for path in _dir(user).glob(f"{token}.*"):
        if path.suffix != ".name":
            name_file = path.with_suffix(".name")
            name = name_file.read_text(encoding="utf-8") if name_file.exists() else path.name
            return path.read_bytes(), name
    return None


def discard(user, token: str) -> None:
    if token and _TOKEN.match(token):
        for path in _dir(user).glob(f"{token}.*"):
            path.unlink(missing_ok=True)
