"""``{% calendar_feed_box kind owner %}``: the box that makes, shows once, renews and revokes a calendar feed
address — on the personal feed page, the supervising office's page and the agency's page. Shown only to
whoever may manage that feed; one query."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse

from itadesk.accounts import access
from itadesk.calendars.models import CalendarFeed

register = template.Library()

ACTIONS = {"user": "manage_own_calendar", "office": "manage_office_calendar", "agency": "manage_agency_calendar"}


def new_token_key(kind: str, owner_id: int) -> str:
    """The session key under which a new address waits to be shown once."""
    return f"itadesk-calendar-new:{kind}:{owner_id}"


def _urls(kind: str, owner) -> dict:
    if kind == "user":
        return {"new": reverse("calendars:user_new"), "revoke": reverse("calendars:user_revoke")}
    return {"new": reverse(f"calendars:{kind}_new", args=[owner.pk]),
            "revoke": reverse(f"calendars:{kind}_revoke", args=[owner.pk])}


@register.inclusion_tag("calendars/partials/feed_box.html", takes_context=True)
def calendar_feed_box(context, kind: str, owner=None):
    request = context["request"]
    if kind == "user":
        owner = request.user
    user = request.user
    if owner is None or not user.is_authenticated or not access.can(
            user, ACTIONS[kind], None if kind == "user" else owner):
        return {"show": False}
    live = CalendarFeed.objects.filter(revoked_at__isnull=True, kind=kind, **{kind: owner}).first()
    token = request.session.pop(new_token_key(kind, owner.pk), None) if live else None
    url = settings.SITE_URL + reverse("calendars:feed", args=[token]) if token else ""
    return {"show": True, "kind": kind, "live": live, "url": url,
            "webcal": "webcal://" + url.split("://", 1)[1] if url else "", "urls": _urls(kind, owner),
            "csrf_token": context.get("csrf_token")}
