"""Keep an uploaded file between 'preview' and 'apply' of an import, private to the user who sent it.

An upload nobody applies or discards is removed after ``MAX_AGE`` by ``remove_expired`` (the periodic job
``core.remove_expired_uploads``); the import page then says the file has expired and asks for it again."""

from __future__ import annotations

import re
import secrets
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAX_AGE = timedelta(hours=24)  # a preview left longer than a working day is uploaded again
NAME_SUFFIX = ".name"  # the file's own name
PLAN_SUFFIX = ".plan"  # the checked plan a background job keeps for the preview (core.imports)
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,7}$")


def folder(user) -> Path:
    return _dir(user)


def _dir(user) -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports" / str(user.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep(user, uploaded) -> str:
    token = secrets.token_urlsafe(24)
    suffix = Path(uploaded.name).suffix.lower()[:8]
    if not _SUFFIX.match(suffix) or suffix in (NAME_SUFFIX, PLAN_SUFFIX):
        suffix = ".upload"  # only the name file says what the file is; a sent name never picks our suffixes
    with open(_dir(user) / f"{token}{suffix}", "wb") as fh:
        for chunk in uploaded.chunks():
            fh.write(chunk)
    (_dir(user) / f"{token}.name").write_text(uploaded.name, encoding="utf-8")
    return token


def load(user, token: str) -> tuple[bytes, str] | None:
    if not token or not _TOKEN.match(token):
        return None
    for path in _dir(user).glob(f"{token}.*"):
        if path.suffix not in (NAME_SUFFIX, PLAN_SUFFIX) and not path.name.endswith(".part"):
            name_file = path.with_suffix(NAME_SUFFIX)
            name = name_file.read_text(encoding="utf-8") if name_file.exists() else path.name
            return path.read_bytes(), name
    return None


def discard(user, token: str) -> None:
    if token and _TOKEN.match(token):
        for path in _dir(user).glob(f"{token}.*"):
            path.unlink(missing_ok=True)


def remove_expired(max_age: timedelta = MAX_AGE) -> int:
    """Delete every kept upload (file and name) last written more than ``max_age`` ago, and the folders of
    users left empty. Returns how many uploads (tokens) were removed."""
    root = Path(settings.MEDIA_ROOT) / "imports"
    if not root.is_dir():
        return 0
    cutoff = time.time() - max_age.total_seconds()
    tokens = set()
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
                    tokens.add((folder.name, path.stem))
            except FileNotFoundError:  # removed meanwhile (applied or discarded)
                continue
        try:
            folder.rmdir()  # only when empty
        except OSError:
            pass
    return len(tokens)
