"""PostgreSQL timestamps read by psycopg's C loader.

Django 5.2 reads every ``timestamptz`` through its own loader (``psycopg_any.BaseTzLoader``): a subclass of
psycopg's pure-Python ``TimestamptzLoader`` that puts the connection's time zone on each value. psycopg's C
loader cannot be subclassed, so with the C implementation installed each timestamp is still parsed in Python
(Django ticket #36960): about 4 µs a value against under 1 µs, and a page of a review queue reads a hundred
(two-hundredths of the web processes' CPU under the deadline-day load).

:class:`UTCLoader` is Django's loader (its ``timezone`` attribute, which Django's ``create_cursor`` compares,
included), whose instances load with psycopg's C loader when the connection's session runs in UTC, which Django
sets on every connection when ``USE_TZ`` is on and the database has no ``TIME_ZONE`` of its own: the C loader
then gives exactly what Django's gives (the same instant, ``datetime.timezone.utc``). In any other session it
is Django's loader unchanged. :func:`install` registers it in the adapters Django copies into each new
connection (``core.apps``); tests/core/test_pgdates.py compares the two over any timestamp."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.backends.postgresql.psycopg_any import BaseTzLoader, get_adapters_template
from psycopg import adapters
from psycopg.adapt import Loader
from psycopg.pq import Format

TIMESTAMPTZ = adapters.types["timestamptz"].oid
# psycopg's own text loader of timestamptz: the C one when psycopg's C implementation (psycopg[binary]) is there
FAST = adapters.get_loader(TIMESTAMPTZ, Format.TEXT)


class UTCLoader(BaseTzLoader):
    """Django's timestamptz loader for UTC (``datetime.timezone.utc``), loading with psycopg's C loader where that
    gives the same values."""

    timezone = dt.UTC

    def __init__(self, oid, context=None):
        # A loader is made for every cursor: the Python loader's own set-up (its date style) only when it loads.
        connection = context.connection if context else None
        # psycopg names a session in "UTC" datetime.timezone.utc, as Django's values are; any other zone: Django's
        if connection is not None and connection.info.timezone is dt.UTC:
            Loader.__init__(self, oid, context)
            self.load = FAST(oid, context).load
        else:
            super().__init__(oid, context)


def install() -> None:
    """Register :class:`UTCLoader` for the connections Django makes from now on, where Django's own loader would
    be Django's for UTC (``USE_TZ`` on, no ``TIME_ZONE`` of the database). Nothing when psycopg has no C loader
    or when a PostgreSQL database has a time zone of its own."""
    if FAST.__module__.startswith("psycopg.") or not settings.USE_TZ:  # the pure-Python loader: nothing to gain
        return
    from django.db import connections

    if any(db["ENGINE"] == "django.db.backends.postgresql" and db.get("TIME_ZONE")
           for db in connections.settings.values()):
        return  # a database with a time zone of its own: Django's loader for it
    get_adapters_template(True, dt.UTC).register_loader("timestamptz", UTCLoader)
