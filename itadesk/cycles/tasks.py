"""Background jobs of the cycles app (found by ``run_huey``'s autodiscovery of ``tasks`` modules).

Huey matches a periodic task's ``crontab`` against a *naive* timestamp: ``utcnow()`` when the Huey
instance has ``utc=True`` (the default, and what ``settings.HUEY`` leaves in place), otherwise
``datetime.now()`` in the consumer's local time. A plain ``crontab(hour="8")`` would therefore fire at
08:00 UTC = 15:00 in Bangkok. ``bangkok_crontab`` converts the timestamp to Asia/Bangkok first, so the
reminders go out at ``ITADESK_REMINDER_HOUR``:00 Bangkok time whichever way Huey is configured.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from itadesk.core.thai import BANGKOK

logger = logging.getLogger(__name__)


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


@db_periodic_task(bangkok_crontab(minute="0", hour=str(settings.ITADESK_REMINDER_HOUR)),
                  name="cycles.send_due_reminders")
def send_reminders():
    """Daily at ITADESK_REMINDER_HOUR:00 Bangkok time: send the deadline reminder digests due today."""
    from itadesk.cycles.reminders import send_due_reminders

    summary = send_due_reminders()
    logger.info("Deadline reminders: %s", summary.as_dict())
    return summary.as_dict()
