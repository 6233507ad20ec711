"""Background jobs of the cycles app (found by ``run_huey``'s autodiscovery of ``tasks`` modules).

The daily reminders go out at ``ITADESK_REMINDER_HOUR``:00 Bangkok time, matched by
``bangkok_crontab`` (``itadesk/core/schedule.py``, re-exported here), which explains why a plain
``crontab(hour="8")`` would fire at 15:00 in Bangkok.
"""

from __future__ import annotations

import logging

from django.conf import settings
from huey.contrib.djhuey import db_periodic_task

from itadesk.core.schedule import bangkok_crontab, huey_timestamp_to_bangkok  # noqa: F401
from itadesk.cycles.reminders import send_due_reminders

logger = logging.getLogger(__name__)


@db_periodic_task(bangkok_crontab(minute="0", hour=str(settings.ITADESK_REMINDER_HOUR)),
                  name="cycles.send_due_reminders")
def send_reminders():
    """Daily at ITADESK_REMINDER_HOUR:00 Bangkok time: send the deadline reminder digests due today."""
    summary = send_due_reminders()
    logger.info("Deadline reminders: %s", summary.as_dict())
    return summary.as_dict()
