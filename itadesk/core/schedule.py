"""Periodic jobs at Bangkok wall-clock times, whichever way Huey is configured.

Huey matches a periodic task's ``crontab`` against a *naive* timestamp: ``utcnow()`` when the Huey
instance has ``utc=True`` (the default, and what ``settings.HUEY`` leaves in place), otherwise
``datetime.now()`` in the consumer's local time. A plain ``crontab(hour="8")`` would therefore fire at
08:00 UTC = 15:00 in Bangkok. ``bangkok_crontab`` converts the timestamp to Asia/Bangkok first.
"""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import HUEY

from itadesk.core.thai import BANGKOK


def huey_timestamp_to_bangkok(timestamp: dt.datetime, *, utc: bool | None = None) -> dt.datetime:
    """The naive Bangkok wall-clock time of a timestamp as Huey hands it to ``validate_datetime``."""
    utc = HUEY.utc if utc is None else utc
    if timestamp.tzinfo is None:
        # Naive UTC when utc=True; naive local time otherwise (astimezone() reads it as local).
        timestamp = timestamp.replace(tzinfo=dt.UTC) if utc else timestamp.astimezone()
    return timestamp.astimezone(BANGKOK).replace(tzinfo=None)


def bangkok_crontab(*, utc: bool | None = None, **kwargs):
    """Like ``huey.crontab`` but matched against Bangkok local time."""
    matches = crontab(**kwargs)

    def validate_datetime(timestamp: dt.datetime) -> bool:
        return matches(huey_timestamp_to_bangkok(timestamp, utc=utc))

    return validate_datetime
