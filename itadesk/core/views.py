"""The view side of the service kernel: run a service, say how it went, go on."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from itadesk.core import once as once_
from itadesk.core.forms import add_service_errors
from itadesk.core.services import refusal_text


def run_service(request, fn: Callable, *, success=None, redirect_to, form=None, sep: str = " ",
                refused_to=None, once: bool = False) -> HttpResponse | None:
    """Run ``fn()`` (a service call). When it is done: show ``success`` (a message, or a function of the result
    that gives one; None for no message) and redirect to ``redirect_to`` (whatever ``redirect`` takes, a tuple of
    its arguments, a response such as a redirect already made, or a function of the result that gives one).

    When the service refuses (a ``ValidationError``): with a ``form``, its errors go on the form's fields (or on
    top) and None is returned, so the view shows the form again; without one, the reason is shown as an error
    message and the view redirects to ``refused_to`` (by default ``redirect_to``; if that is a function of the
    result, ``refused_to`` must be given).

    With ``once`` (a create form carrying ``{% once_field %}``): the form's one-time token is stored with what
    ``fn`` creates, and a repeat of the same post redirects to it instead of creating another
    (``itadesk/core/once.py``)."""
    try:
        if once:
            result, url = once_.create_once(request, fn, lambda made: _redirect(redirect_to, made).url)
            if result is None:
                return once_.repeat_response(request) or redirect(url)
        else:
            result = fn()
    except ValidationError as e:
        if form is not None:
            add_service_errors(form, e)
            return None
        messages.error(request, refusal_text(e, sep))
        return _redirect(refused_to if refused_to is not None else redirect_to, None)
    message = success(result) if callable(success) else success
    if message:
        messages.success(request, message)
    return _redirect(redirect_to, result)


def _redirect(to, result):
    if callable(to):
        to = to(result)
    if isinstance(to, HttpResponse):
        return to
    return redirect(*to) if isinstance(to, tuple) else redirect(to)
