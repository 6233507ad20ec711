"""Data made once for a whole test module, as Django's ``setUpTestData`` does for a class: made inside a
transaction that stays open while the module's tests run (each test in its own transaction inside it, rolled back
after the test) and is rolled back after the module's last test. For data that is slow to make and that the
module's tests only read (or change inside their own transaction)::

    @pytest.fixture(scope="module", autouse=True)
    def demo(django_db_setup, django_db_blocker):
        with module_data(django_db_blocker):
            load_demo()
            yield

Every test of such a module must use the test database with transactions rolled back (``django_db``, not
``transaction=True``), or it would see and commit the module's data."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def module_data(django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
