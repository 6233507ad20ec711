"""Shared pytest configuration and fixtures.

The first block (browser tests) belongs to the CI/tooling setup; add other fixtures below it.
"""

import os
import shutil
import tempfile
from pathlib import Path

# Sync Playwright runs an event loop in the test thread, and Django then refuses ORM calls from
# that thread (SynchronousOnlyOperation). Tests are single-threaded, so it's safe to allow them.
# Must be set before Django is used, hence at import time here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

import pytest  # noqa: E402
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# Property tests check behaviour, not speed: no per-example deadline and no "generation too slow" failure (on a
# loaded two-core machine the defaults made examples fail at random). A test that needs a bound says so itself.
hypothesis_settings.register_profile("itadesk", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("itadesk")

# --- Browser tests (pytest-playwright) -----------------------------------------------------------
# We use Debian's Chromium instead of Playwright's own download: never run `playwright install`.
# Point ITADESK_CHROMIUM elsewhere if your Chromium lives somewhere else.
CHROMIUM = os.environ.get("ITADESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in CI; Chromium's sandbox refuses root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, request):
    """pytest-playwright's launch options, plus our Chromium binary and flags; headless unless
    pytest is run with --headed. Indirect parametrisation (``request.param``) still wins."""
    args = {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }
    args.setdefault("headless", True)
    if hasattr(request, "param"):
        args.update(request.param)
    return args


# --- End of browser block. Other fixtures go below. ---------------------------------------------


def pytest_configure(config):
    # Fast password hashing: the cast of users is created for many tests.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Generated and uploaded files (issued reports, letters, attachments) go to a temporary folder, never into
    # the checkout's var/media, however pytest is started.
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="itadesk-test-media-"))
    # Notifications are delivered in the process right after the hand-off commits (no job worker in tests).
    settings.ITADESK_NOTIFY_INLINE = True
    # The busiest pages are cached (core.versions) as in production: jobs run in this one process here.
    settings.ITADESK_PAGE_CACHE = True


def pytest_unconfigure(config):
    from django.conf import settings

    if "itadesk-test-media-" in str(settings.MEDIA_ROOT):
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    if Path(settings.VAR_DIR).name.startswith("itadesk-test-var-"):  # chosen by itadesk/settings.py for this run
        shutil.rmtree(settings.VAR_DIR, ignore_errors=True)


@pytest.fixture
def world(db):
    """A small Loei-shaped province with one user per role (see tests/world.py)."""
    from tests.world import build_world

    return build_world()



@pytest.fixture
def page_cache_counts(settings):
    """``page_cache_counts(name)()``: the (hits, misses) of the cached page ``name`` since the first call."""
    from itadesk.core import versions

    settings.ITADESK_PAGE_CACHE_STATS = True

    def counted(name):
        hits, misses = versions.page_stats([name])[name]
        return lambda: tuple(n - m for n, m in zip(versions.page_stats([name])[name], (hits, misses), strict=True))
    return counted

def pytest_collection_modifyitems(session, config, items):
    """Browser tests last. Playwright's sync API keeps an event loop running in the main thread for
    the rest of the session (the browser fixture is session-scoped), after which ``asyncio.run()``
    in a test raises "cannot be called from a running event loop" (the evidence checker's tests).

    The production-stack tests first: they time real processes (a recycled gunicorn process against an import of
    the app), and at the start of their run they do not meet the other run's browser tests, which come last.

    Then the tests that belong to the other database's run are deselected (``tests/runs.py``)."""
    from tests import runs

    items.sort(key=lambda item: (item.get_closest_marker("e2e") is not None)
               - (item.get_closest_marker("stack") is not None))
    this_run = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    planned = os.environ.get("ITADESK_TEST_RUNS", "").split()
    if set(planned) >= set(runs.RUNS):
        # `make test` runs the suite on both databases: a test whose outcome cannot depend on the database runs in
        # one of them only.
        kept, elsewhere = [], []
        for item in items:
            (kept if this_run in runs.runs_of(runs.traits(item)) else elsewhere).append(item)
        if elsewhere:
            config.hook.pytest_deselected(items=elsewhere)
            items[:] = kept
    elif this_run == "postgres":
        # Only PostgreSQL asked for: the tests marked to run once still run in the SQLite run only.
        once = pytest.mark.skip(reason="runs once, in the SQLite run (its outcome does not depend on the database)")
        for item in items:
            if any(item.get_closest_marker(m) is not None for m in ("e2e", "one_database")):
                item.add_marker(once)
