"""Create forms that create once: each "new …" form carries a one-time token (``{% once_field %}`` from the
``once`` template library); the first post that creates something stores the token with where it went, and
the same token posted again (a double click, a browser resending, three concurrent copies) goes there
instead of creating another. A post without a token (an old page, a script) behaves as before.

The token is stored in the same transaction as the object: a copy arriving while the first is still being
saved waits for the unique index and then finds the first one's answer; a post that fails validation stores
nothing, so the corrected form can be sent with the same token."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from itadesk.core.models import FormSubmission

FIELD = "once"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_of(request) -> str:
    """The form's token from the post, if it has a valid one."""
    token = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return token if _TOKEN.match(token) else ""


def already_done(request) -> str | None:
    """The URL of what this post's token created earlier (by this user), or None."""
    token = token_of(request)
    if not token:
        return None
    return FormSubmission.objects.filter(token=token, user=request.user).values_list("url", flat=True).first()


def create_once(request, create: Callable[[], object], url_of: Callable[[object], str]) -> tuple[object | None, str]:
    """Run ``create()`` unless this form's token was used: returns ``(created, url)`` the first time and
    ``(None, url of the first one)`` for a repeat. Errors from ``create`` pass through and store nothing."""
    token = token_of(request)
    if not token:
        created = create()
        return created, url_of(created)
    done = already_done(request)
    if done is not None:
        return None, done
    try:
        with transaction.atomic():
            claim = FormSubmission.objects.create(token=token, user=request.user)  # waits for a concurrent copy
            created = create()
            claim.url = url_of(created)
            claim.save(update_fields=["url"])
    except IntegrityError:
        done = already_done(request)
        if done is not None:
            return None, done
        if not FormSubmission.objects.filter(token=token).exists():
            raise  # not the token: another constraint of what was being created
        created = create()  # a token another user sent first (a copied form): no guard, as without a token
        return created, url_of(created)
    return created, claim.url


def repeat_response(request):
    """For a create view, before it validates anything: the redirect (with a note) to what this post's token
    created earlier, or None when it is the first time."""
    done = already_done(request)
    if done is None:
        return None
    messages.info(request, _("This form was already sent; here is what it created."))
    return redirect(done)


def repeat_after_invalid(request, form, creating: bool):
    """For a create view whose form failed validation: when a concurrent copy of the same post created the
    item meanwhile (its agenda number, attendance row, milestone code or round's fiscal year is now taken, so this
    copy's check fails), the redirect to what the copy created; else None (show the errors)."""
    if creating and request.method == "POST" and form.errors:
        return repeat_response(request)
    return None


# A form page left open and sent again after this long is not a double click: its token is forgotten.
KEEP = dt.timedelta(days=2)


def remove_old(now=None) -> int:
    """Forget form tokens older than :data:`KEEP` (run every hour by ``core.remove_old_form_tokens``)."""
    now = now or timezone.now()
    removed, _by_model = FormSubmission.objects.filter(at__lt=now - KEEP).delete()
    return removed
