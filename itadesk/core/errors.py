"""The 403, 404 and 500 pages: in the user's language, with the site's navigation (``itadesk/urls.py`` names
them as Django's handlers; they are used when DEBUG is off).

The 500 page is rendered without the request's context processors: the failure may be the database itself,
so it reads neither the user nor any table, and if even that fails a plain page is sent.
"""

from __future__ import annotations

import logging

from django.http import HttpResponseServerError
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


def server_error(request=None):
    try:
        body = loader.get_template("errors/500.html").render({})  # no request: no user, no session, no database
    except Exception:  # noqa: BLE001 — the error page must not fail in turn
        log.exception("the 500 page could not be rendered")
        body = (f"<!doctype html><meta charset='utf-8'><title>ITA Desk</title><h1>{_('Something went wrong')}</h1>"
                f"<p><a href='/'>ITA Desk</a></p>")
    return HttpResponseServerError(body)
