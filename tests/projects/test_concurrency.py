"""Registrations racing for the last seats: threads against the real database. On PostgreSQL the
event's row lock decides who gets a seat; SQLite's shared in-memory test database refuses parallel
writers, so the race itself is only run on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from itadesk.projects import services
from itadesk.projects.models import Registration
from tests.world import build_world

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="needs PostgreSQL: SQLite serialises writers, so nothing can race")


@pytest.fixture
def tworld(transactional_db):
    w = build_world()
    project = services.save_project(actor=w.secretariat, province=w.province,
                                    changes={"name": "โครงการ", "budget": Decimal("90000")})
    w.event = services.save_event(actor=w.secretariat, project=project, changes={
        "title": "ประชุมเชิงปฏิบัติการ", "date": dt.date(2025, 1, 21), "place": "ศาลากลาง", "capacity": 3})
    services.invite(actor=w.secretariat, event=w.event, agencies=w.agencies, quota=2)
    return w


def _race(jobs, workers=16):
    start = threading.Barrier(min(workers, len(jobs)))

    def run(job):
        try:
            try:
                start.wait(timeout=10)
            except threading.BrokenBarrierError:
                pass
            job()
            return "ok"
        except ValidationError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, jobs))


def test_many_racing_for_the_last_seats_never_overbook(tworld):
    w = tworld
    jobs = [lambda k=k: services.register(actor=w.secretariat, event=w.event, agency=w.agencies[k % 5],
                                          name=f"ผู้เข้าร่วม {k}") for k in range(16)]
    outcomes = _race(jobs)
    assert outcomes.count("ok") == 3 and outcomes.count("refused") == 13
    assert Registration.objects.filter(event=w.event).count() == 3


def test_one_agency_racing_for_its_quota(tworld):
    w = tworld
    services.save_event(actor=w.secretariat, project=w.event.project, event=w.event, changes={"capacity": 100})
    jobs = [lambda k=k: services.register(actor=w.admin_a, event=w.event, agency=w.sao1, name=f"คนที่ {k}")
            for k in range(12)]
    outcomes = _race(jobs, workers=12)
    assert outcomes.count("ok") == 2
    assert Registration.objects.filter(event=w.event, agency=w.sao1).count() == 2


def test_check_in_raced_is_recorded_once(tworld):
    from itadesk.core.models import AuditEvent

    w = tworld
    person = services.register(actor=w.secretariat, event=w.event, agency=w.sao1, name="นายสมชาย")
    results = []
    jobs = [lambda: results.append(services.check_in(actor=w.nacc_officer, registration=person)[1])
            for _ in range(8)]
    _race(jobs, workers=8)
    assert sorted(results) == [False] * 7 + [True]
    assert AuditEvent.objects.filter(action="projects.check_in", object_id=str(person.pk)).count() == 1
