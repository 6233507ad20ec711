import hashlib

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import check_for_language

from itadesk.core import versions


class ThaiFirstLocaleMiddleware:
    """Thai unless the user chose another language (the set_language cookie). Unlike Django's
    LocaleMiddleware, the browser's Accept-Language is not consulted: an office PC set up in English
    still gets the Thai UI, as Thai civil servants expect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "Cookie"]))
        return response


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware``, with the signed-in user read from the cache of set-up data
    (``versions.cached``) when the page cache is on: the answer of Django's ``auth.get_user`` (the user row,
    checked against the session's password hash) is kept under the data versions ("global": any change to the
    user, its password included; ``user:<id>``: its last login), the session's user id, backend and hash,
    and the secret keys. A session whose hash no longer matches the user's is never answered from the cache:
    nothing is stored for it, and a stored answer belongs to the hash it was checked against."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = cached_user(request)
    return request._cached_user


_digested: list = [None, ""]  # the secret keys last digested, and their digest


def _secrets_digest() -> str:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if keys != _digested[0]:
        _digested[:] = [keys, hashlib.sha256(repr(keys).encode()).hexdigest()]
    return _digested[1]


def cached_user(request):
    """``auth.get_user(request)``, from the cache when the same session, user and secrets were checked at the
    current data versions (``versions.kept``: this process's copy first, then the shared cache)."""
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    backend = session.get(auth.BACKEND_SESSION_KEY)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if user_id is None or not backend or not session_hash:
        return auth.get_user(request)
    answer = {}

    def compute():
        user = answer["user"] = auth.get_user(request)
        # Only a user whose session checked with the current secret (nothing flushed, nothing re-keyed).
        if user.is_authenticated and session.get(auth.HASH_SESSION_KEY) == session_hash:
            return user
        return None

    user = versions.kept("auth-user", [str(user_id), backend, session_hash, _secrets_digest(),
                                         tuple(settings.AUTHENTICATION_BACKENDS)],
                           [f"user:{user_id}"], compute)
    return user if user is not None else answer["user"]
