"""A check job whose worker died (killed, machine restarted) is never left "running" — which would also block every
later check of the same evidence: the sweeper queues it again, or marks it failed with its progress after
ITADESK_JOB_MAX_ATTEMPTS tries. (Import jobs, and real workers killed on a real Redis: tests/core/test_faults.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from itadesk.evidence import services, tasks
from itadesk.evidence.models import CheckJob
from tests.evidence.oit_world import setup_oit


@pytest.fixture
def w(world):
    setup_oit(world)
    return world


def _long_ago(settings):
    return timezone.now() - timedelta(seconds=settings.ITADESK_JOB_LEASE_SECONDS + 1)


def test_a_dead_check_job_is_queued_again_then_failed_with_its_progress(w, settings, monkeypatch,
                                                                        django_capture_on_commit_callbacks):
    settings.ITADESK_JOB_MAX_ATTEMPTS = 2
    job = services.create_check_job(actor=w.reviewer, round=w.round, scope="province")
    queued = []
    monkeypatch.setattr(tasks, "run_check", lambda job_id: queued.append(job_id))
    CheckJob.objects.filter(pk=job.pk).update(status="running", attempts=1, heartbeat_at=_long_ago(settings),
                                              done=3, total=7)
    # while it is stuck, a new check of the same evidence gets the stuck job back
    assert services.request_check(actor=w.reviewer, round=w.round, scope="province") == (job, False)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_check_jobs() == {"requeued": 1, "failed": 0}
    assert queued == [job.pk]
    job.refresh_from_db()
    assert job.status == "queued"
    assert tasks.sweep_check_jobs() == {"requeued": 0, "failed": 0}  # queued again just now: left alone

    CheckJob.objects.filter(pk=job.pk).update(status="running", attempts=2, heartbeat_at=_long_ago(settings))
    assert tasks.sweep_check_jobs() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("failed", 3, 7) and job.finished_at
    assert "หยุดทำงาน 2 ครั้ง" in job.error
    assert services.request_check(actor=w.reviewer, round=w.round, scope="province")[1]  # no longer blocked


def test_a_running_job_from_before_heartbeats_is_swept_and_a_live_one_is_not(w, settings, monkeypatch):
    monkeypatch.setattr(tasks, "run_check", lambda job_id: None)
    old = services.create_check_job(actor=None, round=w.round, scope="province")
    live = services.create_check_job(actor=None, round=w.round, scope="agency", agency=w.sao1)
    waiting = services.create_check_job(actor=None, round=w.round, scope="agency", agency=w.sao2)
    CheckJob.objects.filter(pk=old.pk).update(status="running", attempts=0, heartbeat_at=None)
    CheckJob.objects.filter(pk=live.pk).update(status="running", attempts=1, heartbeat_at=timezone.now())
    assert tasks.sweep_check_jobs() == {"requeued": 1, "failed": 0}
    assert dict(CheckJob.objects.values_list("pk", "status")) == {old.pk: "queued", live.pk: "running",
                                                                  waiting.pk: "queued"}


def test_a_job_is_run_by_one_worker_only(w, monkeypatch):
    monkeypatch.setattr(HUEY, "immediate", True)
    job = services.create_check_job(actor=None, round=w.round, scope="province")
    assert tasks.run_check.call_local(job.pk) == "done"
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 1) and job.heartbeat_at
    assert tasks.run_check.call_local(job.pk) == "done"  # a copy of the queue message finds it finished
    job.refresh_from_db()
    assert job.attempts == 1
