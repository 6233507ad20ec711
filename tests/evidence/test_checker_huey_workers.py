"""The same check jobs give the same findings with one Huey worker and with two: real ``huey_consumer``
processes on a real redis-server on 127.0.0.1, checking the labelled set's pages served on loopback, split
into jobs two ways: two shares a site, and by host as the nightly check splits a province into parts
(``run.host_part``, ``tasks.nightly_check``)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from itadesk.evidence.checker.run import host_part
from tests.deploy.stack import free_port
from tests.evidence.accuracy import corpus
from tests.evidence.accuracy.measure import Server

ROOT = Path(__file__).resolve().parents[2]
CONSUMER = Path(sys.executable).parent / "huey_consumer"
SHARES = 8

pytestmark = [
    pytest.mark.skipif(shutil.which("redis-server") is None or not CONSUMER.exists(),
                       reason="needs redis-server and huey_consumer"),
    pytest.mark.one_database,  # no test database: Redis, the consumers and pages on loopback
]


@pytest.fixture()
def redis_url(tmp_path):
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path), "--loglevel", "warning"])
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(10)


def _jobs(port: int, split: str) -> list[list[dict]]:
    """The labelled set's URLs in SHARES jobs: "halves": two shares a site; "host": as the nightly check splits a
    province (``run.host_part``: a host's URLs all in one part)."""
    cases, _pages = corpus.build()
    shares: list[list[dict]] = [[] for _ in range(SHARES)]
    hosts = sorted({c.host for c in cases})
    for index, case in enumerate(cases):
        main_domain = case.host if case.host in corpus.AGENCIES else "www.bankhok.go.th"
        url = f"http://{case.host}:{port}{case.path}"
        if split == "halves":
            share = (hosts.index(case.host) * 2 + index % 2) % SHARES  # by site, two shares a site
        else:
            share = host_part(url, SHARES)
        shares[share].append({"key": index, "url": url, "item": case.item,
                              "main_domain": main_domain, "fiscal_year": corpus.FY})
    return [s for s in shares if s]


def _run(redis_url: str, consumers: int, jobs: list[list[dict]], host_map: dict, tmp_path: Path) -> tuple[dict, set]:
    env = {**os.environ, "ITADESK_TEST_CHECKER_REDIS": redis_url, "PYTHONPATH": str(ROOT), "PYTHAINLP_OFFLINE": "1"}
    from tests.evidence import huey_checks

    huey_checks.huey.storage.conn.flushdb()
    procs = [subprocess.Popen([str(CONSUMER), "tests.evidence.huey_checks.huey", "-w", "1", "-k", "process", "-n"],
                              cwd=ROOT, env=env, stdout=open(tmp_path / f"consumer{consumers}-{n}.log", "w"),
                              stderr=subprocess.STDOUT)
             for n in range(consumers)]
    try:
        logs = [tmp_path / f"consumer{consumers}-{n}.log" for n in range(consumers)]
        deadline = time.monotonic() + 60
        while not all("started" in log.read_text() for log in logs):  # every worker ready before the jobs
            assert time.monotonic() < deadline, "a Huey consumer did not start"
            time.sleep(0.1)
        results = [huey_checks.check_share(job, host_map) for job in jobs]
        answers = [r.get(blocking=True, timeout=300) for r in results]
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            proc.wait(30)
    findings: dict = {}
    for answer in answers:
        findings.update(answer["findings"])
    return findings, {answer["pid"] for answer in answers}


@pytest.mark.parametrize("split", ["halves", "host"])
def test_two_workers_give_the_findings_of_one(redis_url, tmp_path, monkeypatch, split):
    import importlib

    monkeypatch.setenv("ITADESK_TEST_CHECKER_REDIS", redis_url)
    from tests.evidence import huey_checks

    importlib.reload(huey_checks)  # the Huey app on this test's Redis
    cases, pages = corpus.build()
    hosts = {h for h, _ in pages} | {c.host for c in cases}
    with Server(pages) as server:
        jobs = _jobs(server.port, split)
        assert len(jobs) >= 2
        host_map = {h: "127.0.0.1" for h in hosts}
        one, one_pids = _run(redis_url, 1, jobs, host_map, tmp_path)
        two, two_pids = _run(redis_url, 2, jobs, host_map, tmp_path)
    assert len(one) == len(cases) and len(one_pids) == 1
    assert len(two_pids) == 2  # both workers took jobs
    assert two == one
    # the findings are real ones: defects caught, good pages passed
    failing = {key for key, found in one.items() if any(not passed and sev in ("warning", "error")
                                                         for _code, passed, sev, _el in found)}
    assert any(not cases[int(k)].good for k in failing) and any(cases[int(k)].good and k not in failing for k in one)
