"""Background jobs of the notifications app (found by ``run_huey``'s autodiscovery of ``tasks`` modules)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from itadesk.notifications import delivery

logger = logging.getLogger(__name__)


@db_task(name="deliver_notifications")
def deliver(ids: list[int]) -> dict:
    """Deliver these outbox rows now (queued after the hand-off's commit)."""
    return delivery.deliver(ids=ids).as_dict()


@db_periodic_task(crontab(minute="*"), name="deliver_due_notifications")
def deliver_due() -> dict:
    """Every minute: retry failed deliveries whose time has come, push LINE digests whose window closed,
    and send anything a down queue left behind."""
    summary = delivery.deliver()
    if summary.attempted:
        logger.info("Notifications: %s", summary.as_dict())
    return summary.as_dict()
