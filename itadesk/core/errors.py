"""The 403, 404 and 500 pages: in the user's language, with the site's navigation (``itadesk/urls.py`` names
them as Django's handlers; they are used when DEBUG is off).

The 500 page is rendered without the request's context processors: the failure may be the database itself,
so it reads neither the user nor any table, and if even that fails a plain page is sent. When the failure is
the database being out of reach (restarting, a failover, a network cut), the page is a 503 that says so: nothing
was saved, send the same form again in a moment (with ``Retry-After``). Django's handler and the questionnaires'
lean path (``questionnaires/lean.py``) both come here from inside the ``except`` block, so the error is
``sys.exc_info()``.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

log = logging.getLogger(__name__)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", {"path": request.path}, status=404)


RETRY_AFTER_SECONDS = 30


def _database_unreachable() -> bool:
    exc = sys.exc_info()[1]
    while exc is not None:  # psycopg's own error may be wrapped
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request=None):
    if _database_unreachable():
        return database_unavailable()
    try:
        body = loader.get_template("errors/500.html").render({})  # no request: no user, no session, no database
    except Exception:  # noqa: BLE001 — the error page must not fail in turn
        log.exception("the 500 page could not be rendered")
        body = (f"<!doctype html><meta charset='utf-8'><title>ITA Desk</title><h1>{_('Something went wrong')}</h1>"
                f"<p><a href='/'>ITA Desk</a></p>")
    return HttpResponseServerError(body)


def database_unavailable():
    """503: the database cannot be reached just now; nothing of this request was saved."""
    try:
        body = loader.get_template("errors/503.html").render({})
    except Exception:  # noqa: BLE001 — the error page must not fail in turn
        log.exception("the 503 page could not be rendered")
        body = (f"<!doctype html><meta charset='utf-8'><title>ITA Desk</title>"
                f"<h1>{_('The system is briefly unavailable')}</h1>")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
