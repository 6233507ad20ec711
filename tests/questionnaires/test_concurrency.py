"""Concurrent submissions lose nothing: threads against the real database (PostgreSQL in the
second test run; SQLite serialises writers and its shared in-memory test database refuses parallel
writers, so there the same code runs with the threads taking turns)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from itadesk.questionnaires import services
from itadesk.questionnaires.models import Response, Token
from tests.questionnaires.qworld import full_answers, make
from tests.world import build_world

POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def tworld(transactional_db):
    return build_world()


def _run(jobs, workers):
    gate = threading.Lock() if not POSTGRES else None

    def run(job):
        try:
            if gate:
                with gate:
                    return job()
            return job()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda j: _safe(run, j), jobs))


def _safe(run, job):
    try:
        run(job)
        return "ok"
    except services.Refused:
        return "refused"


def test_parallel_submissions_are_all_stored(tworld):
    q = make(tworld, "EIT")
    n = 200 if POSTGRES else 40
    answers = full_answers(q)
    outcomes = _run([lambda k=k: services.submit_response(questionnaire=q, answers=answers, ip=f"10.0.{k % 7}.1")
                     for k in range(n)], workers=16)
    assert outcomes.count("ok") == n
    assert Response.objects.filter(questionnaire=q).count() == n


def test_a_token_raced_by_many_is_used_once(tworld):
    q = make(tworld, "IIT", tokens=True)
    codes = services.issue_tokens(actor=tworld.admin_a, questionnaire=q, count=20)
    answers = full_answers(q)
    jobs = [lambda c=c: services.submit_response(questionnaire=q, answers=answers, ip="10.1.1.1", token=c)
            for c in codes for _ in range(4)]  # every code sent four times at once
    outcomes = _run(jobs, workers=16)
    assert outcomes.count("ok") == 20 and outcomes.count("refused") == 60
    assert Response.objects.filter(questionnaire=q).count() == 20
    assert Token.objects.filter(questionnaire=q, used=True).count() == 20
