"""Writing a calendar feed (RFC 5545) from plain entries, with the ``icalendar`` library: pure Python, no
Django, so it is property-tested on its own (tests/calendars/test_ical.py).

Times are written in Asia/Bangkok with its VTIMEZONE; an entry without a time of day is an all-day event.
The library escapes text (commas, semicolons, new lines) and folds long lines at 75 octets without
splitting a UTF-8 character, so Thai text survives any calendar application's parser."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

BANGKOK = ZoneInfo("Asia/Bangkok")
PRODID = "-//ITA Desk//Calendar feed//TH"


@dataclass(frozen=True)
class Entry:
    """One VEVENT. ``start``/``end`` are aware datetimes (shown in Bangkok time) or dates (all day)."""

    uid: str
    summary: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    alarms: tuple[dt.timedelta, ...] = ()  # how long before the start each reminder rings
    last_modified: dt.datetime | None = None
    sequence: int | None = None  # how many times the entry changed since it was made, where known
    categories: tuple[str, ...] = field(default_factory=tuple)


def _local(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("calendar times must be timezone-aware")
        return value.astimezone(BANGKOK)
    return value


def build(*, name: str, uid: str, entries, now: dt.datetime, refresh: dt.timedelta = dt.timedelta(hours=1),
          description: str = "") -> bytes:
    """The feed as bytes (``text/calendar``). ``uid`` names the calendar itself (stable per feed); ``now`` is
    every event's DTSTAMP (when the feed was made)."""
    calendar = Calendar.new(prodid=PRODID, name=name, uid=uid, refresh_interval=refresh,
                            description=description or None)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", "Asia/Bangkok")
    calendar.add("x-published-ttl", refresh)
    stamp = now.astimezone(dt.UTC)
    for entry in entries:
        start = _local(entry.start)
        end = _local(entry.end) if entry.end is not None else None
        if end is None and not isinstance(start, dt.datetime):
            end = start + dt.timedelta(days=1)
        event = Event.new(uid=entry.uid, summary=entry.summary, start=start, end=end, stamp=stamp,
                          description=entry.description or None, location=entry.location or None,
                          url=entry.url or None, categories=entry.categories, sequence=entry.sequence,
                          last_modified=entry.last_modified.astimezone(dt.UTC) if entry.last_modified else None)
        event.add("transp", "TRANSPARENT" if end is None or end == start else "OPAQUE")
        for before in entry.alarms:
            alarm = Alarm.new(description=entry.summary)
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -before)
            event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    if not calendar.timezones:  # no timed entry yet: still say which zone the feed lives in
        calendar.add_component(Timezone.from_tzid("Asia/Bangkok"))
    return calendar.to_ical()


def programme_times(start: dt.datetime, sessions) -> list[tuple[dt.datetime, dt.datetime]]:
    """Each session's (start, end): it starts when the one before ends plus that one's break
    (``sessions``: (duration_minutes, break_after_minutes) pairs in order) — the rule of the event page."""
    at, times = start, []
    for duration, break_after in sessions:
        end = at + dt.timedelta(minutes=duration)
        times.append((at, end))
        at = end + dt.timedelta(minutes=break_after)
    return times
