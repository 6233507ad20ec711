"""Import uploads kept between preview and apply are removed by a periodic job once they are a day old."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from itadesk.core import tasks, uploads


class _User:
    def __init__(self, pk):
        self.pk = pk


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_expired_uploads_are_removed_and_fresh_ones_kept(media):
    alice, bob = _User(1), _User(2)
    start = dt.datetime(2026, 4, 29, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        old = uploads.keep(alice, SimpleUploadedFile("รายชื่อ.xlsx", b"old data"))
        os.utime(media / "imports" / "1" / f"{old}.xlsx", (time.time(), time.time()))
        os.utime(media / "imports" / "1" / f"{old}.name", (time.time(), time.time()))
    with time_machine.travel(start + dt.timedelta(hours=20), tick=False):
        fresh = uploads.keep(bob, SimpleUploadedFile("scores.csv", b"fresh"))
        for path in (media / "imports" / "2").iterdir():
            os.utime(path, (time.time(), time.time()))
        assert uploads.remove_expired() == 0  # nothing is a day old yet
        assert uploads.load(alice, old) == (b"old data", "รายชื่อ.xlsx")
    with time_machine.travel(start + dt.timedelta(hours=25), tick=False):
        assert tasks.remove_expired_uploads.call_local() == 1
        assert not (media / "imports" / "1").exists()  # an emptied user folder goes too
        assert uploads.load(alice, old) is None
        assert uploads.load(bob, fresh) == (b"fresh", "scores.csv")
    with time_machine.travel(start + dt.timedelta(hours=45), tick=False):
        assert uploads.remove_expired() == 1
        assert list((media / "imports").iterdir()) == []


def test_nothing_kept_is_nothing_to_do(media):
    assert uploads.remove_expired() == 0


def test_the_job_runs_every_hour():
    from huey.contrib.djhuey import HUEY

    validate = tasks.remove_expired_uploads.task_class().validate_datetime
    assert all(validate(dt.datetime(2026, 4, 29, hour, 15)) for hour in range(24))
    assert not validate(dt.datetime(2026, 4, 29, 3, 16))
    periodic = [t.name for t in HUEY.read_periodic(dt.datetime(2026, 4, 29, 3, 15))]
    assert "core.remove_expired_uploads" in periodic
