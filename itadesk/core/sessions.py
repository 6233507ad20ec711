"""The session engine with Redis (settings.SESSION_ENGINE): Django's ``cached_db`` (read from the shared cache,
written through to the database), with the session read from Redis in the same round trip as the data versions
the signed-in user is kept under (``versions.read_with``: "global" and ``user:<id>``), instead of one round trip
for the session and another for the versions, on every signed-in request.

The user id of a session (to name ``user:<id>``) is only known once the session is read; this process remembers
it from the session's previous request (a session key belongs to one person for its whole life: signing in gives
a new key). A session this process has not seen yet, or a wrong guess, only costs the second round trip, as
before. The session itself is read from Redis on every request exactly as ``cached_db`` reads it, so a log-out,
an expiry or a flush is seen at once by every process."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db
from django.core.cache import DEFAULT_CACHE_ALIAS

from itadesk.core import versions

#: session key -> the user id it was last read with (at most ``USERS`` sessions; forgotten all at once beyond).
_users: dict[str, str] = {}
USERS = 20_000


class SessionStore(cached_db.SessionStore):
    def load(self):
        key = self.session_key
        if key is None or settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS:  # the versions' cache
            return super().load()
        user_id = _users.get(key)
        try:
            cache_key = self.cache_key
            data = versions.read_with([cache_key], [f"user:{user_id}"] if user_id else []).get(cache_key)
        except Exception:  # as cached_db: a cache that fails is read around
            data = None
        if data is None:
            return super().load()  # not in the cache: cached_db reads the database and fills the cache
        user_id = data.get(SESSION_KEY)
        if user_id is not None and _users.get(key) != user_id:
            if len(_users) >= USERS:
                _users.clear()
            _users[key] = user_id
        return data
