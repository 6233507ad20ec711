"""``itadesk serve`` stops its job worker with itself: on Ctrl+C and on SIGTERM (systemd, docker, kill), when
started with SIGINT ignored (``cmd &`` in a script), and when the server is killed outright (the worker
notices its parent is gone). Real processes; a server that does not stop in time is made to dump every
thread's stack (faulthandler, SIGABRT) into the failure message."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

# The servers here run on their own SQLite installation (DATABASE_URL removed): once, in the SQLite run.
pytestmark = pytest.mark.one_database

ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"ITA Desk: http://127\.0\.0\.1:(\d+)/")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _threads(pid: int) -> int:
    try:
        return len(list(Path(f"/proc/{pid}/task").iterdir()))
    except FileNotFoundError:
        return 0


def _gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(_alive(p) for p in pids)


def _kill_left(pids: list[int]) -> None:
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """One migrated installation for every run."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ITADESK_VAR_DIR=str(tmp_path_factory.mktemp("serve")), PYTHAINLP_OFFLINE="1",
               DJANGO_SETTINGS_MODULE="itadesk.settings", PYTHONFAULTHANDLER="1", PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "-m", "itadesk.cli", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True, timeout=300)
    return env


class Server:
    """``itadesk serve --port 0``, ready once it has printed the port it bound and answered /healthz there."""

    def __init__(self, env: dict, tmp_path: Path, *, sigint_ignored: bool = False, **more_env: str):
        self.err = tmp_path / "serve.stderr"
        command = [sys.executable, "-m", "itadesk.cli", "serve", "--port", "0"]
        if sigint_ignored:  # as a script's `itadesk serve &` starts it
            command = [sys.executable, "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
                       "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])", *command[1:]]
        with self.err.open("wb") as err:
            self.process = subprocess.Popen(command, cwd=ROOT, env={**env, **more_env}, stdout=subprocess.PIPE, stderr=err,
                                            text=True)
        self.workers: list[int] = []
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in self.process.stdout], daemon=True).start()
        deadline = time.monotonic() + 120
        while True:
            try:
                line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                self.fail_with_stacks("did not say it was serving within 120 s")
            if found := READY.search(line):
                self.port = int(found[1])
                break
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=30) as answer:
            assert answer.status == 200 and json.loads(answer.read())["checks"]["database"] == "ok"
        self.workers = _children(self.process.pid)

    def fail_with_stacks(self, what: str):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGABRT)  # PYTHONFAULTHANDLER: every thread's stack to stderr
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        pytest.fail(f"itadesk serve {what}; its stderr:\n{self.err.read_text(errors='replace')[-8000:]}")

    def wait(self, seconds: float) -> int:
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.fail_with_stacks(f"did not exit within {seconds} s")

    def cleanup(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        _kill_left(self.workers)


@pytest.fixture
def start(env, tmp_path):
    started = []

    def start(**kw) -> Server:
        started.append(Server(env, tmp_path, **kw))
        return started[-1]

    yield start
    for server in started:
        server.cleanup()


@pytest.mark.parametrize("sig, sigint_ignored", [(signal.SIGTERM, False), (signal.SIGINT, False),
                                                 (signal.SIGINT, True)],
                         ids=["SIGTERM", "SIGINT", "SIGINT-ignored-by-launcher"])
def test_stopping_serve_stops_its_worker(start, sig, sigint_ignored):
    server = start(sigint_ignored=sigint_ignored)
    assert server.workers, "the job worker was not started"
    server.process.send_signal(sig)
    assert server.wait(30) == 0
    assert _gone_within(server.workers, 15), "the job worker outlived the server"


@pytest.mark.parametrize("by", ["prctl", "poll"])
def test_a_killed_server_leaves_no_worker(start, by):
    """SIGKILL (the OOM killer, a hung server killed by systemd) gives the server no chance to stop its worker:
    the worker notices its parent is gone, by the kernel's parent-death signal or, where that is missing,
    by checking its parent every second ("poll", forced here through the environment)."""
    server = start(ITADESK_STOP_WITH_PARENT_BY=by)
    assert server.workers, "the job worker was not started"
    deadline = time.monotonic() + 60
    while not all(_threads(w) > 1 for w in server.workers):  # running (Huey's threads, or the poll's)
        assert time.monotonic() < deadline, "the job worker did not start"
        time.sleep(0.1)
    server.process.kill()
    server.process.wait()
    assert _gone_within(server.workers, 10), f"the job worker outlived a killed server ({by})"


WORKER_FROM_A_THREAD = """
import os, subprocess, sys, threading, time
from pathlib import Path
started = []
def start():
    env = {**os.environ, "ITADESK_STOP_WITH_PARENT": str(os.getpid())}
    worker = subprocess.Popen([sys.executable, "-m", "itadesk.cli", "run_huey", "--quiet"], env=env)
    started.append(worker)
    while len(list(Path(f"/proc/{worker.pid}/task").iterdir())) < 2:  # the poll's thread: started
        time.sleep(0.05)
thread = threading.Thread(target=start)
thread.start()
thread.join()
print(started[0].pid, flush=True)
sys.stdin.read()
"""


def test_the_fallback_watch_is_what_stops_the_worker(env):
    """The forced fallback really is the fallback: the kernel's parent-death signal comes when the *thread*
    that started the child ends (so serve starts its worker from its main thread), a parent check only when
    the process ends. Here the starting thread ends first: the polled worker lives on, then stops when its
    parent process is killed."""
    launcher = subprocess.Popen([sys.executable, "-c", WORKER_FROM_A_THREAD], cwd=ROOT, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True,
                                env={**env, "ITADESK_STOP_WITH_PARENT_BY": "poll"})
    worker = None
    try:
        worker = int(launcher.stdout.readline())
        time.sleep(3)
        assert _alive(worker), "the polled worker stopped though its parent process is alive"
        launcher.kill()
        launcher.wait()
        assert _gone_within([worker], 10), "the job worker outlived its killed parent (poll)"
    finally:
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()
        if worker:
            _kill_left([worker])
