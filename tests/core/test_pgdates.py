"""core.pgdates: on PostgreSQL the app's connections read timestamps with psycopg's C loader, giving exactly the
values Django's own loader gives (any instant from year 1 to 9999, any offset it was written with, NULL), and
keep Django's loader for a session that is not in UTC."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.adapt import Transformer
from psycopg.pq import Format

from itadesk.core import pgdates

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's timestamps: the PostgreSQL half"),
]

OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
INSTANTS = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=OFFSETS)
SQL = "SELECT v::timestamptz FROM unnest(%s::text[]) AS v"


def _loader(cursor):
    return Transformer(cursor).get_loader(pgdates.TIMESTAMPTZ, Format.TEXT)


def test_the_connections_load_timestamps_with_psycopgs_c_loader():
    with connection.cursor() as cursor:
        loader = _loader(cursor.cursor)
        assert isinstance(loader, pgdates.UTCLoader) and loader.timezone is dt.UTC
        assert type(loader.load.__self__) is pgdates.FAST and pgdates.FAST.__module__.startswith("psycopg_binary")
        cursor.execute("SELECT now()")
        assert cursor.fetchone()[0].tzinfo is dt.UTC


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.none() | INSTANTS, min_size=1, max_size=30))
def test_the_same_values_as_djangos_loader(values):
    texts = [None if v is None else v.isoformat() for v in values]
    with connection.cursor() as cursor:
        cursor.execute(SQL, [texts])
        ours = [row[0] for row in cursor.fetchall()]
    with connection.cursor() as cursor:
        register_tzloader(dt.UTC, cursor.cursor)  # Django's own loader, on this cursor only
        assert not hasattr(_loader(cursor.cursor).load, "__self__") or \
            type(_loader(cursor.cursor).load.__self__) is not pgdates.FAST
        cursor.execute(SQL, [texts])
        django = [row[0] for row in cursor.fetchall()]
    assert ours == django == values
    assert [v.tzinfo for v in ours if v is not None] == [dt.UTC for v in values if v is not None]
    assert all(v is None or v.utcoffset() == dt.timedelta(0) for v in ours)


def test_a_session_not_in_utc_keeps_djangos_loader():
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Asia/Bangkok'")
    try:
        with connection.cursor() as cursor:
            assert type(_loader(cursor.cursor).load.__self__) is not pgdates.FAST
            cursor.execute("SELECT '2026-12-08 10:00:00+07'::timestamptz")
            # Django's loader puts UTC on the session's local time (Django always sets the session to UTC)
            assert cursor.fetchone()[0] == dt.datetime(2026, 12, 8, 10, tzinfo=dt.UTC)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
