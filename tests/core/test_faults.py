"""Faults survived, with the real processes: a Huey worker on a real Redis killed (SIGKILL) in the middle of an
import job. The job is not left "running": a worker that starts afterwards queues it again, and finishes it, or
marks it failed with its progress once it was tried ITADESK_JOB_MAX_ATTEMPTS times. A process killed while it
applies an import (its one transaction open) leaves nothing written; the import is then applied once, whole.

Everything runs on loopback in throwaway folders: redis-server on a free port, a SQLite database file migrated for
the test, workers started with ``manage.py run_huey`` (as the systemd unit does), each stopped by its own pid."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.deploy.stack import ROOT, free_port

pytestmark = pytest.mark.stack

LEASE = 1  # seconds without a heartbeat before a running job counts as dead (the shortest the setting takes)

CREATE_JOB = """
import sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from itadesk.core import imports, uploads
from tests.core.slow_importer import slow_importer

user, _ = get_user_model().objects.get_or_create(username="importer")
rows = int(sys.argv[1])
data = ("name\\n" + "".join(f"row {n}\\n" for n in range(rows))).encode()
token = uploads.keep(user, SimpleUploadedFile("big.csv", data))
job = imports.start(user=user, factory=slow_importer, params={"seconds_per_row": float(sys.argv[2])},
                    token=token, filename="big.csv", apply=False)
print(job.pk)
"""


CREATE_AGENCY_JOB = """
import sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from itadesk.core import imports, uploads
from itadesk.registry.models import District, Province
from itadesk.registry.views import agency_importer

user, _ = get_user_model().objects.get_or_create(username="importer")
province, _ = Province.objects.get_or_create(code="42", defaults={"name_th": "เลย"})
District.objects.get_or_create(geocode="4202", defaults={"province": province, "name_th": "นาด้วง"})
text = "รหัส ITAS,รหัส อปท.,ชื่อหน่วยงาน,ประเภท,อำเภอ,เว็บไซต์หลัก\\r\\n" + "".join(
    f",,องค์การบริหารส่วนตำบลทดสอบที่ {n},อบต.,นาด้วง,\\r\\n" for n in range(int(sys.argv[1])))
token = uploads.keep(user, SimpleUploadedFile("agencies.csv", text.encode("utf-8-sig")))
job = imports.start(user=user, factory=agency_importer, params={"province_id": province.pk}, token=token,
                    filename="agencies.csv", apply=True)
print(job.pk)
"""


class Processes:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.procs: list[subprocess.Popen] = []

    def start(self, name: str, argv: list[str], env=None) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 - closed when the test ends
        proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop_workers(self):
        """Workers left by an earlier test (each test starts with none, so it knows who takes its job)."""
        for proc in self.procs:
            if proc.poll() is None and "run_huey" in proc.args:
                proc.send_signal(signal.SIGINT)
                proc.wait(timeout=30)

    def stop(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("faults")
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (scripts/ensure-system.sh installs it)")
    procs = Processes(tmp_path)
    port = free_port()
    procs.start("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                          "--appendonly", "no", "--dir", str(tmp_path)])
    database = tmp_path / "itadesk.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ITADESK_", "DATABASE_URL", "DJANGO_"))}
    env.update({
        "DATABASE_URL": f"sqlite:///{database}", "ITADESK_REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "ITADESK_VAR_DIR": str(tmp_path / "var"), "ITADESK_SECRET_KEY": "fault-test-key-" + "x" * 40,
        "ITADESK_JOB_LEASE_SECONDS": str(LEASE), "ITADESK_JOB_MAX_ATTEMPTS": "2",
        "DJANGO_SETTINGS_MODULE": "itadesk.settings", "PYTHAINLP_OFFLINE": "1", "PYTHONPATH": str(ROOT),
    })
    (tmp_path / "var").mkdir()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    yield procs, env, database
    procs.stop()


def _job(database: Path, job_id: int) -> dict:
    with sqlite3.connect(database, timeout=10) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT status, phase, done, total, attempts, message FROM core_importjob WHERE id = ?",
                         (job_id,)).fetchone()
    return dict(row)


def _wait(what, check, procs: Processes, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    logs = "\n".join(f"--- {name}\n{procs.log(name)}" for name in (f"worker{n}" for n in range(1, 7)))
    pytest.fail(f"{what}: not after {timeout} s\n{logs}")


def _worker(procs: Processes, env, n: int) -> subprocess.Popen:
    return procs.start(f"worker{n}", [sys.executable, "manage.py", "run_huey", "--workers", "1",
                                      "--worker-type", "thread"], env=env)


def _create(env, rows: int, seconds_per_row: float | None = None) -> int:
    script, args = (CREATE_JOB, [str(rows), str(seconds_per_row)]) if seconds_per_row else (CREATE_AGENCY_JOB, [str(rows)])
    out = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return int(out.stdout.strip().splitlines()[-1])


def _kill_mid_job(procs, worker, database, job_id, attempt):
    state = _wait(f"job {job_id} running (attempt {attempt}) with progress",
                  lambda: (s := _job(database, job_id))["status"] == "running" and s["attempts"] == attempt
                  and s["phase"] == "check" and s["done"] > 0 and s, procs)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    time.sleep(LEASE + 1)
    after = _job(database, job_id)
    assert after["status"] == "running" and after["done"] >= state["done"]  # what a dead worker leaves behind
    return after


def test_a_worker_killed_mid_job_is_retried_then_failed_never_stuck_running(site):
    procs, env, database = site
    procs.stop_workers()
    worker = _worker(procs, env, 1)
    first = _create(env, rows=1500, seconds_per_row=0.004)  # about 6 s of work, progress every 500 rows

    _kill_mid_job(procs, worker, database, first, attempt=1)
    worker = _worker(procs, env, 2)  # at start, it finds the job its predecessor left: queued again, run again
    done = _wait("the job finished on the second worker",
                 lambda: (s := _job(database, first))["status"] == "done" and s, procs)
    assert (done["attempts"], done["done"], done["total"]) == (2, 1500, 1500)

    # A job whose every worker is killed ends "failed" with how far it got, after ITADESK_JOB_MAX_ATTEMPTS tries.
    second = _create(env, rows=1500, seconds_per_row=0.004)
    _kill_mid_job(procs, worker, database, second, attempt=1)
    worker = _worker(procs, env, 3)
    left = _kill_mid_job(procs, worker, database, second, attempt=2)
    _worker(procs, env, 4)
    failed = _wait("the job marked failed", lambda: (s := _job(database, second))["status"] == "failed" and s, procs)
    assert failed["attempts"] == 2 and failed["phase"] == "check" and failed["done"] >= left["done"] > 0
    assert "2 ครั้ง" in failed["message"]


def _writing(database: Path) -> bool:
    """Whether another connection holds SQLite's write lock (a write transaction is open)."""
    db = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        db.close()


def _count(database: Path, sql: str) -> int:
    with sqlite3.connect(database, timeout=10) as db:
        return db.execute(sql).fetchone()[0]


def test_a_process_killed_while_applying_leaves_nothing_then_the_import_is_applied_once(site):
    procs, env, database = site
    procs.stop_workers()
    rows = 4000
    worker = _worker(procs, env, 5)
    job = _create(env, rows=rows)  # checked, then applied in one transaction, by the worker
    # The import's transaction is open when the write lock stays held (a heartbeat holds it for milliseconds).
    _wait("the import applying", lambda: _job(database, job)["status"] == "running"
          and all(_writing(database) or time.sleep(0.1) for _ in range(3)), procs, timeout=120)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert _job(database, job)["status"] == "running"
    assert _count(database, "SELECT COUNT(*) FROM registry_agency") == 0  # nothing half-written
    assert _count(database, "SELECT COUNT(*) FROM core_auditevent WHERE action = 'agency.create'") == 0
    time.sleep(LEASE + 1)
    _worker(procs, env, 6)
    done = _wait("the import applied on the next worker", lambda: (s := _job(database, job))["status"] == "done" and s,
                 procs, timeout=180)
    assert done["attempts"] == 2
    assert _count(database, "SELECT COUNT(*) FROM registry_agency") == rows
    assert _count(database, "SELECT COUNT(*) FROM core_auditevent WHERE action = 'agency.create'") == rows
