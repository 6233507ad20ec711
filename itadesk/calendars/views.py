"""Calendar feed pages: the feed itself at its secret address (no session needed: calendar applications
fetch without cookies), the personal feed page, the how-to-subscribe page, and the make / renew / revoke
buttons of the personal, office and agency feeds."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from itadesk.accounts import access
from itadesk.calendars import feeds, services
from itadesk.calendars.models import CalendarFeed, token_hash
from itadesk.calendars.templatetags.calendar_feeds import new_token_key
from itadesk.core.views import run_service
from itadesk.registry.models import Agency, SupervisingOffice


def _too_many(hashed: str) -> bool:
    """At most ``ITADESK_CALENDAR_FEED_PER_MINUTE`` reads of one address a minute (calendar applications ask
    every few hours; anything faster is a loop or a leak)."""
    key = f"itadesk:calendar-rate:{hashed}:{int(time.time() // 60)}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 120)
        count = 1
    return count > settings.ITADESK_CALENDAR_FEED_PER_MINUTE


@require_safe
def feed(request, token):
    hashed = token_hash(token)
    if _too_many(hashed):
        response = HttpResponse(_("Too many requests for this calendar; try again in a minute."),
                                status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "60"
        return response
    # The address is looked up on every read (one indexed query), so a revoked one stops at once in every
    # process; only the built text is cached.
    item = (CalendarFeed.objects.select_related("user", "office", "agency")
            .filter(token_hash=hashed, revoked_at__isnull=True).first())
    if item is None or (item.kind == CalendarFeed.Kind.USER and not item.user.is_active):
        raise Http404
    key = services.cache_key(hashed)
    body = cache.get(key)
    if body is None:
        body = feeds.render(item)
        cache.set(key, body, settings.ITADESK_CALENDAR_CACHE_SECONDS)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Content-Disposition"] = f'inline; filename="itadesk-{item.kind}.ics"'
    response["Cache-Control"] = f"private, max-age={settings.ITADESK_CALENDAR_CACHE_SECONDS}"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def help_page(request):
    return render(request, "calendars/help.html", {"reminders": feeds.reminders_text()})


@login_required
def mine(request):
    access.require(request.user, "manage_own_calendar")
    return render(request, "calendars/mine.html", {"reminders": feeds.reminders_text()})


def _make(request, kind, owner, back):
    def make():
        _feed, token = services.create_feed(actor=request.user, kind=kind, owner=owner)
        request.session[new_token_key(kind, owner.pk)] = token  # shown once by the feed box, then forgotten
        return _feed

    return run_service(request, make, success=_("The calendar address is ready: copy it now, it is shown once."),
                       redirect_to=back)


def _revoke(request, kind, owner, back):
    return run_service(request, lambda: services.revoke_feed(actor=request.user, kind=kind, owner=owner),
                       success=_("The calendar address was revoked: calendars subscribed to it get nothing more."),
                       redirect_to=back)


@login_required
@require_POST
def user_new(request):
    access.require(request.user, "manage_own_calendar")
    return _make(request, "user", request.user, "calendars:mine")


@login_required
@require_POST
def user_revoke(request):
    access.require(request.user, "manage_own_calendar")
    return _revoke(request, "user", request.user, "calendars:mine")


def _office(request, office_id):
    office = get_object_or_404(SupervisingOffice, pk=office_id)
    access.require(request.user, "manage_office_calendar", office)
    return office


def _agency(request, agency_id):
    agency = get_object_or_404(Agency, pk=agency_id)
    if not access.predicates.sees_agency(access.scope_for(request.user), agency):
        raise Http404
    access.require(request.user, "manage_agency_calendar", agency)
    return agency


@login_required
@require_POST
def office_new(request, office_id):
    office = _office(request, office_id)
    return _make(request, "office", office, ("registry:office_detail", office.pk))


@login_required
@require_POST
def office_revoke(request, office_id):
    office = _office(request, office_id)
    return _revoke(request, "office", office, ("registry:office_detail", office.pk))


@login_required
@require_POST
def agency_new(request, agency_id):
    agency = _agency(request, agency_id)
    return _make(request, "agency", agency, ("registry:agency_detail", agency.pk))


@login_required
@require_POST
def agency_revoke(request, agency_id):
    agency = _agency(request, agency_id)
    return _revoke(request, "agency", agency, ("registry:agency_detail", agency.pk))
