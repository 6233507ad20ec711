"""``itadesk serve`` stops its job worker with itself, on Ctrl+C and on SIGTERM (systemd, docker, kill)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """One migrated installation for both runs."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ITADESK_VAR_DIR=str(tmp_path_factory.mktemp("serve")), PYTHAINLP_OFFLINE="1",
               DJANGO_SETTINGS_MODULE="itadesk.settings")
    subprocess.run([sys.executable, "-m", "itadesk.cli", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True, timeout=300)
    return env


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_serve_stops_its_worker(env, sig):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "itadesk.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        workers = _children(server.pid)
        assert workers, "the job worker was not started"
        server.send_signal(sig)
        assert server.wait(timeout=30) == 0 if sig == signal.SIGTERM else server.wait(timeout=30) is not None
        deadline = time.monotonic() + 15
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(w) for w in workers), "the job worker outlived the server"
    finally:
        if server.poll() is None:
            server.kill()
