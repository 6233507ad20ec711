"""Making, renewing and revoking calendar feed addresses: one transaction and one history event each.

The token is returned once, to be shown once; only its hash is stored. Renewing revokes the live address
and makes a new one (calendars subscribed to the old address stop getting anything: it answers 404)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itadesk.calendars.models import CalendarFeed, new_token, token_hash
from itadesk.core import audit
from itadesk.core.services import Refused, actor_user

CACHE_PREFIX = "itadesk:calendar-feed:"


def cache_key(hashed: str) -> str:
    return CACHE_PREFIX + hashed


def _owner_filter(kind: str, owner) -> dict:
    return {"kind": kind, kind: owner}


def live_feed(kind: str, owner) -> CalendarFeed | None:
    """The owner's live feed, if any."""
    return CalendarFeed.objects.filter(revoked_at__isnull=True, **_owner_filter(kind, owner)).first()


def _revoke(feed: CalendarFeed, now) -> None:
    feed.revoked_at = now
    feed.save(update_fields=["revoked_at"])
    hashed = feed.token_hash
    transaction.on_commit(lambda: cache.delete(cache_key(hashed)))


def _facts(feed: CalendarFeed) -> dict:
    return {"kind": feed.kind, "owner": str(feed.owner), "feed": feed.pk}


def create_feed(*, actor, kind: str, owner) -> tuple[CalendarFeed, str]:
    """A new address for ``owner`` (a user, SupervisingOffice or Agency, by ``kind``); a live one is revoked
    first (a renewal). Returns the feed and its token, which is not stored and cannot be shown again."""
    token = new_token()
    now = timezone.now()
    try:
        with transaction.atomic():
            old = (CalendarFeed.objects.select_for_update(of=("self",))
                   .filter(revoked_at__isnull=True, **_owner_filter(kind, owner)).first())
            if old is not None:
                _revoke(old, now)
            feed = CalendarFeed.objects.create(token_hash=token_hash(token), created_by=actor_user(actor),
                                               **_owner_filter(kind, owner))
            audit.record(actor=actor, action="calendar.renew" if old else "calendar.create", obj=feed,
                         before=_facts(old) if old else None, after=_facts(feed))
    except IntegrityError as e:  # another request made one at the same moment
        raise Refused(_("The calendar address was changed at the same moment by someone else; try again.")) from e
    return feed, token


def revoke_feed(*, actor, kind: str, owner) -> CalendarFeed:
    """Revoke the owner's live address: calendar applications subscribed to it get nothing more (404)."""
    with transaction.atomic():
        feed = (CalendarFeed.objects.select_for_update(of=("self",))
                .filter(revoked_at__isnull=True, **_owner_filter(kind, owner)).first())
        if feed is None:
            raise Refused(_("There is no calendar address to revoke."))
        _revoke(feed, timezone.now())
        audit.record(actor=actor, action="calendar.revoke", obj=feed, before=_facts(feed))
    return feed
