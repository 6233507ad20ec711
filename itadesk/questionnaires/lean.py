"""The respondents' two busiest requests served in front of Django (see ``itadesk/wsgi.py``).

A mock round puts a whole agency's staff on ``/q/<public id>/`` within the same hour. Django's
request handling around these small views (request object and signals, the middleware chain, the
response object and its header helpers) costs about as much as the views themselves, so
``LeanPublicPages``, a WSGI callable placed in front of Django's, answers three well-formed requests
itself and hands everything else to Django unchanged:

- ``GET /q/<id>/`` of an open questionnaire: the kept blank form (``public.blank_page``) with the
  visitor's own masked CSRF token and the CSRF cookie, as the ``form`` view gives it;
- ``POST /q/<id>/`` with a complete set of answers and a valid CSRF token: stored by
  ``public.submit_directly`` (the same function the view calls first), then the redirect to the
  thanks page;
- ``GET /q/<id>/thanks/``: the kept thanks page (``public.thanks_page``).

Nothing is decided here that Django would decide differently. The CSRF check is Django's own
(``CsrfViewMiddleware``'s origin, referer and token checks, run on a real ``WSGIRequest``); when it
fails, or the answers are incomplete, the questionnaire is closed, not open yet, unknown, uses
one-time codes, or anything else is unusual (another method, a script prefix, a body that is not a
plain UTF-8 urlencoded form, sessions holding the CSRF secret, an HTTPS redirect due), the request
goes to Django with its body intact, which answers exactly as before (the 403 page with Django's
reason, the form with the Thai messages naming each question, the closed page, 404).

The headers are Django's: for each kind of page they are produced once per process by running the
same functions on an empty response (the view's ``no-store`` and ``Referrer-Policy``,
``never_cache``, the CSRF cookie's ``Vary``, ``XFrameOptionsMiddleware``, the Thai-first language
middleware, the Content-Security-Policy, ``SecurityMiddleware``); per request only ``Expires``, ``Content-Length``, ``Location``
and the CSRF cookie are filled in (``tests/questionnaires/test_lean.py`` compares them with Django's).

Database connections are handled as Django's handler does: the per-request housekeeping that
Django's ``request_started``/``request_finished`` signals trigger (``reset_queries``,
``close_old_connections``: CONN_MAX_AGE, connections left unusable by an error; ``caches.close_all``)
runs before and after each request here too, and all statements run in autocommit (the one-statement
insert is its own transaction), so no transaction is ever left open. An exception is answered by
Django's own ``response_for_exception`` (logged, ``got_request_exception`` sent, the 500 page)."""

from __future__ import annotations

import io
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.exception import response_for_exception
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections, reset_queries
from django.http import Http404, HttpResponse, HttpResponseRedirect, UnreadablePostError
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import (
    CsrfViewMiddleware,
    RejectRequest,
    _add_new_csrf_cookie,
)
from django.middleware.security import SecurityMiddleware
from django.urls import reverse, set_script_prefix
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.datastructures import MultiValueDict
from django.utils.http import http_date
from django.utils.translation import check_for_language

from itadesk.core.client_ip import client_ip
from itadesk.core.context_processors import mask as csrf_mask
from itadesk.core.csp import PolicyMiddleware
from itadesk.core.middleware import ThaiFirstLocaleMiddleware
from itadesk.questionnaires import public
from itadesk.questionnaires.middleware import _pattern, parse_form

FORM, THANKS, REDIRECT = "form", "thanks", "redirect"
_SLOT = "lean-slot-7d41"
#: Keys CsrfViewMiddleware.process_request writes into the environ; removed before handing a request
#: to Django so that Django starts from the environ the server gave.
_CSRF_KEYS = ("CSRF_COOKIE", "CSRF_COOKIE_NEEDS_UPDATE")


class _Fallback(Exception):
    """Not for the lean path: Django answers."""


def _unused(request):  # pragma: no cover - the middlewares below are only asked for their parts
    raise AssertionError("not called")


class _Shim:
    """What the response halves of the middlewares read from a request."""

    def __init__(self, language: str, secure: bool):
        self.COOKIES = {settings.LANGUAGE_COOKIE_NAME: language}
        self._secure = secure
        self.path_info = reverse("q:form", args=["x"])  # a /q/ page, for the policy's excluded prefixes

    def is_secure(self):
        return self._secure


class LeanPublicPages:
    """WSGI application: the lean path for the public questionnaire pages, Django for the rest."""

    def __init__(self, django_app):
        self.django = django_app
        self.csrf = CsrfViewMiddleware(_unused)
        self._headers: dict[tuple, list] = {}
        self._cookie: str | None = None
        self._dates: tuple[int, str, str] = (-1, "", "")
        #: Requests answered here since start (per process; the tests read it).
        self.served = 0
        self._count = threading.Lock()

    # --- dispatch -----------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "POST") or not self._plain(environ):
            return self.django(environ, start_response)
        m = _pattern().match(environ.get("PATH_INFO", ""))
        if m is None or (m["thanks"] and method != "GET"):
            return self.django(environ, start_response)
        reset_queries()
        close_old_connections()
        request, answer = None, None
        try:
            set_script_prefix("/")
            request = WSGIRequest(environ)
            if settings.SECURE_SSL_REDIRECT and not request.is_secure():
                raise _Fallback
            language = self._language(request)
            if m["thanks"]:
                answer = self._thanks(request, m["public_id"], language)
            elif method == "GET":
                answer = self._form(request, m["public_id"], language)
            else:
                answer = self._submit(request, m["public_id"], language)
        except (_Fallback, Http404):
            for key in _CSRF_KEYS:
                environ.pop(key, None)
        except Exception as exc:
            request = request or WSGIRequest(environ)
            response = response_for_exception(request, exc)  # logged, got_request_exception, the 500 page
            XFrameOptionsMiddleware(_unused).process_response(request, response)
            PolicyMiddleware(_unused).process_response(request, response)
            SecurityMiddleware(_unused).process_response(request, response)
            answer = (f"{response.status_code} {response.reason_phrase}",
                      [*response.items(), *(("Set-Cookie", c.output(header="")) for c in response.cookies.values())],
                      response.content)
        finally:
            close_old_connections()
            caches.close_all()
        if answer is None:
            return self.django(environ, start_response)
        status, headers, body = answer
        with self._count:
            self.served += 1
        start_response(status, headers)
        return [body]

    @staticmethod
    def _plain(environ) -> bool:
        """No script prefix of any kind and the CSRF secret in a cookie: the cases Django handles
        with no more than what is repeated here."""
        return not (environ.get("SCRIPT_NAME") or environ.get("SCRIPT_URL") or environ.get("REDIRECT_URL")
                    or settings.FORCE_SCRIPT_NAME is not None or settings.CSRF_USE_SESSIONS)

    @staticmethod
    def _language(request) -> str:
        """As ``ThaiFirstLocaleMiddleware``: the language cookie if it names a language, else Thai."""
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        return language

    # --- the three pages ----------------------------------------------------------------------------

    def _form(self, request, public_id, language):
        page = public.blank_page(public_id)
        if page is None:
            raise _Fallback
        self.csrf.process_request(request)
        # as get_token: the visitor's secret (a new one for a new visitor), the cookie renewed
        meta = request.META
        secret = meta["CSRF_COOKIE"] if "CSRF_COOKIE" in meta else _add_new_csrf_cookie(request)
        body = public.with_token(page, csrf_mask(secret))
        headers = self._fill(FORM, language, request.is_secure(), len(body))
        headers.append(("Set-Cookie", self._cookie_header(secret)))
        return "200 OK", headers, body

    def _thanks(self, request, public_id, language):
        body = public.thanks_page(public_id)
        return "200 OK", self._fill(THANKS, language, request.is_secure(), len(body)), body

    def _submit(self, request, public_id, language):
        self._read_form(request)
        self._check_csrf(request)
        location = public.submit_directly(public_id, request.POST, client_ip(request.META))
        if location is None:
            raise _Fallback
        return "302 Found", self._fill(REDIRECT, language, request.is_secure(), 0, location), b""

    # --- request ------------------------------------------------------------------------------------

    @staticmethod
    def _read_form(request) -> None:
        """The body as ``request.POST`` (``parse_form``, as the public pages' middleware reads it); the
        environ's input is replaced by the bytes read, so that Django can read them again."""
        if request.content_type != "application/x-www-form-urlencoded" or (
                request.encoding or "utf-8").lower() != "utf-8":
            raise _Fallback
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise _Fallback from None
        if limit is not None and length > limit:
            raise _Fallback
        try:
            body = request.body
        except UnreadablePostError:
            raise _Fallback from None
        request.environ["wsgi.input"] = io.BytesIO(body)
        try:
            request._post, request._files = parse_form(body), MultiValueDict()
        except TooManyFieldsSent:
            raise _Fallback from None

    def _check_csrf(self, request) -> None:
        """Django's CSRF check (``CsrfViewMiddleware.process_view`` for a POST, without its rejection
        page): a failure goes to Django, which refuses with its own page and reason."""
        self.csrf.process_request(request)
        if "HTTP_ORIGIN" in request.META:
            if not self.csrf._origin_verified(request):
                raise _Fallback
        elif request.is_secure():
            try:
                self.csrf._check_referer(request)
            except RejectRequest:
                raise _Fallback from None
        try:
            self.csrf._check_token(request)
        except RejectRequest:
            raise _Fallback from None

    # --- response headers ---------------------------------------------------------------------------

    def _fill(self, kind, language, secure, length, location="") -> list[tuple[str, str]]:
        template = self._headers.get((kind, language, secure))
        if template is None:
            template = self._headers[(kind, language, secure)] = self.header_template(kind, language, secure)
        expires = self._now()[1]
        values = {"Expires": expires, "Content-Length": str(length), "Location": location}
        return [(name, values[name] if value is _SLOT else value) for name, value in template]

    @staticmethod
    def header_template(kind, language, secure) -> list[tuple[str, object]]:
        """The headers Django's stack gives a page of this kind, produced by Django's own functions on
        an empty response in the order they run there; per-request values are left as slots."""
        response = HttpResponseRedirect("/") if kind == REDIRECT else HttpResponse(b"")
        if kind != REDIRECT:
            public._headers(response)  # the view's own: no-store, Referrer-Policy
        if kind == FORM:
            patch_vary_headers(response, ("Cookie",))  # csrf_protect, as it sets the CSRF cookie
        add_never_cache_headers(response)  # @never_cache
        response.headers["Content-Length"] = "0"  # PublicPagesMiddleware's _finish
        shim = _Shim(language, secure)
        XFrameOptionsMiddleware(_unused).process_response(shim, response)
        with translation.override(None):
            ThaiFirstLocaleMiddleware(lambda request: response)(shim)
        PolicyMiddleware(_unused).process_response(shim, response)
        SecurityMiddleware(_unused).process_response(shim, response)
        slots = {"Expires", "Content-Length", "Location"}
        return [(name, _SLOT if name in slots else value) for name, value in response.items()]

    def _now(self) -> tuple[int, str, str]:
        """(second, ``Expires`` of ``never_cache``, the CSRF cookie's expiry), formatted once a second."""
        now = time.time()
        if int(now) != self._dates[0]:
            age = settings.CSRF_COOKIE_AGE
            self._dates = (int(now), http_date(now), http_date(now + age) if age is not None else "")
        return self._dates

    def _cookie_header(self, secret: str) -> str:
        """The CSRF cookie as ``CsrfViewMiddleware`` sets it (``response.set_cookie`` with the CSRF
        settings) and Django's WSGI handler writes it."""
        if self._cookie is None:
            response = HttpResponse()
            response.set_cookie(settings.CSRF_COOKIE_NAME, _SLOT, max_age=settings.CSRF_COOKIE_AGE,
                                domain=settings.CSRF_COOKIE_DOMAIN, path=settings.CSRF_COOKIE_PATH,
                                secure=settings.CSRF_COOKIE_SECURE, httponly=settings.CSRF_COOKIE_HTTPONLY,
                                samesite=settings.CSRF_COOKIE_SAMESITE)
            morsel = response.cookies[settings.CSRF_COOKIE_NAME]
            text = morsel.output(header="")
            if morsel["expires"]:
                text = text.replace(morsel["expires"], "EXPIRES-" + _SLOT)
            self._cookie = text
        header = self._cookie.replace("EXPIRES-" + _SLOT, self._now()[2])
        return header.replace(_SLOT, secret, 1)
