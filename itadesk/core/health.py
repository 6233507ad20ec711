"""``GET /healthz``: is this installation able to serve? For load balancers, monitoring and
``deploy/install.sh``; public (no login), so it says only "ok" or "error" per check, never why (the reason
goes to the log).

- ``database``: a connection and ``SELECT 1``.
- ``jobs``: the job queue (Redis in production) answers; ``queued`` is the number of jobs waiting, which
  grows without bound when no worker is running.

200 with ``{"status": "ok", …}`` when every check passes, else 503 with ``"status": "error"``.
"""

from __future__ import annotations

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database does not answer")
        return False


def check_jobs() -> tuple[bool, int | None]:
    """(the queue answers, how many jobs wait in it)."""
    from huey.contrib.djhuey import HUEY

    try:
        return True, int(HUEY.pending_count())
    except Exception:
        logger.exception("Health check: the job queue does not answer")
        return False, None


@never_cache
@require_safe
def healthz(request):
    database = check_database()
    jobs, queued = check_jobs()
    ok = database and jobs
    body = {
        "status": "ok" if ok else "error",
        "checks": {"database": "ok" if database else "error", "jobs": "ok" if jobs else "error"},
        "queued": queued,
    }
    return JsonResponse(body, status=200 if ok else 503)
