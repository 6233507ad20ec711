"""A short path for the respondents' pages.

The public questionnaire pages take the load of a whole mock round and need none of the staff
pages' machinery: no session (on purpose: nothing may tie an answer to a visitor), no user, no
messages, no htmx. ``PublicPagesMiddleware`` sits right after SecurityMiddleware and WhiteNoise; for
``/q/<public id>/`` and ``/q/<public id>/thanks/`` it runs the view itself with only what those pages
need (Thai-first language, clickjacking protection, Content-Length; the views carry their own CSRF
protection and no-store headers); every other path goes down the usual stack untouched."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.exception import convert_exception_to_response
from django.http import QueryDict
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import get_script_prefix, reverse
from django.utils.datastructures import MultiValueDict

from itadesk.core.middleware import ThaiFirstLocaleMiddleware
from itadesk.questionnaires import public

_PATH = None


def _pattern() -> re.Pattern:
    """``^/q/(id)/(thanks/)?$`` with the prefix the URLconf gives the public pages."""
    global _PATH
    if _PATH is None:
        form = reverse("q:form", args=["ID"])
        prefix = "/" + form[len(get_script_prefix()):].removesuffix("ID/")
        _PATH = re.compile(rf"^{re.escape(prefix)}(?P<public_id>[A-Za-z0-9_-]{{1,32}})/(?P<thanks>thanks/)?$")
    return _PATH


def parse_form(body: bytes) -> QueryDict:
    """A urlencoded body as the immutable ``QueryDict`` Django would build (same decoding, same
    limit on the number of fields), filled in one step rather than field by field: a submission has
    over fifty fields and this is a fair share of its cost."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("iso-8859-1")
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    lists: dict[str, list[str]] = {}
    if "%" not in text and "+" not in text:
        # nothing escaped (a submission's names and values are plain ASCII): what parse_qsl does
        # with such a body, without its per-field unquoting
        pieces = text.split("&")
        if limit is not None and len(pieces) > limit:
            raise TooManyFieldsSent("The number of GET/POST parameters exceeded "
                                    "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS.")
        for piece in pieces:
            if piece:
                key, _eq, value = piece.partition("=")
                lists.setdefault(key, []).append(value)
    else:
        try:
            pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", max_num_fields=limit)
        except ValueError as exc:
            raise TooManyFieldsSent("The number of GET/POST parameters exceeded "
                                    "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS.") from exc
        for key, value in pairs:
            lists.setdefault(key, []).append(value)
    form = QueryDict(mutable=True, encoding="utf-8")
    dict.update(form, lists)  # a MultiValueDict is a dict of lists
    form._mutable = False
    return form


def _read_form(request) -> None:
    if (request.method == "POST" and request.content_type == "application/x-www-form-urlencoded"
            and (request.encoding or "utf-8").lower() == "utf-8"):
        request._post, request._files = parse_form(request.body), MultiValueDict()


def _view(request):
    _read_form(request)
    m = request.public_page
    view = public.thanks if m["thanks"] else public.form
    return view(request, m["public_id"])


def _finish(get_response):
    def handle(request):
        response = get_response(request)
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response

    return handle


class PublicPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.public = convert_exception_to_response(
            ThaiFirstLocaleMiddleware(XFrameOptionsMiddleware(convert_exception_to_response(_finish(_view)))))

    def __call__(self, request):
        m = _pattern().match(request.path_info)
        if m is None:
            return self.get_response(request)
        request.public_page = {"public_id": m["public_id"], "thanks": bool(m["thanks"])}
        request.user = AnonymousUser()  # nobody is signed in on these pages, whatever their cookies say
        return self.public(request)
