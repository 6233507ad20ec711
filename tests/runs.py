"""Which of `make test`'s two runs (SQLite, PostgreSQL) a test runs in.

`scripts/run-tests.sh` runs the suite on both databases side by side and tells each run so
(``ITADESK_TEST_RUNS``). A test whose outcome can depend on the database runs in both; a test whose outcome
cannot runs in one only, and the two runs are kept about the same length (the wall time of `make test` is the
longer of the two):

* ``stack``-marked tests (the production stack on loopback: they start their own PostgreSQL, Redis, gunicorn,
  Huey workers and Caddy) run in the PostgreSQL run;
* ``e2e`` (browser) and ``one_database``-marked tests run in the SQLite run: the browser tests drive views the
  rest of the suite checks on both databases; ``one_database`` says so of a test explicitly;
* a test that never touches the test database runs in one run, chosen by its file (a stable hash of the path:
  about half of these tests' time in each run): pytest-django refuses database access to a test that asks for
  none (no ``django_db`` mark, no ``db``-like fixture), so its outcome cannot depend on it — unless it carries a
  ``skipif`` mark, whose condition may name the database (e.g. "PostgreSQL only"): those run in both and their own
  condition decides.

Run alone (``pytest`` on one database, as a developer does), every test runs.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

RUNS = ("sqlite", "postgres")

# pytest-django's fixtures that open the test database (directly or for a live server).
DATABASE_FIXTURES = frozenset({
    "db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server",
    "admin_user", "admin_client", "django_user_model",
})


@dataclass(frozen=True)
class Traits:
    """What decides a test's runs; the same in both runs (collection does not depend on the database)."""

    uses_database: bool
    path: str = ""  # the test's file, relative to the repository (tests/...)
    stack: bool = False
    browser: bool = False
    one_database: bool = False
    has_skipif: bool = False


def traits(item) -> Traits:
    marked = lambda name: item.get_closest_marker(name) is not None  # noqa: E731
    return Traits(
        uses_database=marked("django_db") or bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))),
        path=item.nodeid.split("::", 1)[0], stack=marked("stack"), browser=marked("e2e"), one_database=marked("one_database"),
        has_skipif=marked("skipif"),
    )


def runs_of(t: Traits) -> frozenset[str]:
    """The runs a test with these traits runs in: never none."""
    if t.stack:
        return frozenset({"postgres"})
    if t.browser or t.one_database:
        return frozenset({"sqlite"})
    if not t.uses_database and not t.has_skipif:
        return frozenset({RUNS[zlib.crc32(t.path.encode()) % 2]})
    return frozenset(RUNS)
