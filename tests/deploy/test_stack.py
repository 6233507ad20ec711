"""The production stack of deploy/ on loopback, end to end: PostgreSQL, Redis, gunicorn (two processes),
two Huey workers and Caddy with its internal CA, started with the very command lines of the generated
systemd units (systemd itself cannot run here) and the generated Caddyfile and settings file. A client
that trusts only Caddy's internal CA logs in as a demo user, opens a dashboard, sends a job through a
worker and reads /healthz; then everything is stopped. Nothing leaves 127.0.0.1 (``tls internal``,
no ACME, no admin API, no redirect listener).

The module's tests share one stack (starting one takes a PostgreSQL cluster, a migration and every process): the
recycling test runs first and only replaces gunicorn, putting the unit's own command line back when it ends; the
end-to-end test runs last and stops the whole stack, checking that every process exits cleanly."""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.stack import Stack, exec_start, missing_tools, parse_unit, read_env_file, start_stack
from tests.deploy.stack import wait_for as _wait_for

pytestmark = pytest.mark.stack

DEMO_PASSWORD = "itadesk-demo"


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """The stack, started once for the module, sized as the end-to-end test checks it (two gunicorn processes, two
    Huey workers of two threads). Sharing it is safe: the recycling test only sends /healthz requests and swaps
    gunicorn for a one-process server and back; the end-to-end test then finds the processes of the units, loads
    the demo itself and stops everything."""
    missing = missing_tools()
    if missing:
        pytest.skip("the production stack needs " + ", ".join(missing) + " (scripts/ensure-system.sh installs them)")
    tmp = tmp_path_factory.mktemp("stack")
    stack = Stack(tmp)
    started = time.monotonic()
    try:
        running = start_stack(stack, tmp, processes=2, threads=2, workers=2, huey_threads=2)
        running.start_seconds = time.monotonic() - started
        yield running
    finally:
        stack.stop()


def _import_seconds(running) -> float:
    """How long a fresh process takes to import the app (as a worker without ``--preload`` does), now."""
    t = time.monotonic()
    subprocess.run([sys.executable, "-c", "import itadesk.wsgi"], env=running.env, cwd=running.cwd, check=True,
                   timeout=300)
    return time.monotonic() - t


def _children(pid: int) -> set[str]:
    try:
        return set(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
    except OSError:
        return set()


class ForkWatch(threading.Thread):
    """When each new child of a process appears (polled every few milliseconds)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.forks, self.done = pid, [], threading.Event()

    def run(self):
        known = _children(self.pid)
        while not self.done.is_set():
            now = _children(self.pid)
            self.forks.extend(time.monotonic() for _ in now - known)
            known = now
            time.sleep(0.005)


def test_a_recycled_web_process_is_back_at_once(running):
    """gunicorn recycles a process after ``--max-requests`` (a guard against slow leaks). The unit loads the app
    once in gunicorn's master (``--preload``), so the new process is a fork ready at once, where a process importing
    the app afresh answers nothing for the time of that import. A one-process server is sent requests one after the
    other through four recyclings; all are answered, and the time from each new process's fork to the first answer
    after it (the typical one of them: the median) stays well below an import of the app (measured here, on this
    machine under its present load: right before the recyclings and right after, the larger taken). Without
    ``--preload`` that time is the import and more. The wait of gunicorn's own turn-around (the old process's
    last connections closed, the master noticing it gone: a second or two) comes before the fork, not counted."""
    unit_command = running.web.args
    command = running.web_command(processes=1, threads=2)
    assert "--preload" in command
    at = command.index("--max-requests")
    command[at + 1] = "10"
    command[command.index("--max-requests-jitter") + 1] = "0"
    watch = ForkWatch(running.web.pid)
    try:
        running.stack.stop("web")
        running.web = running.stack.start("web", command, env=running.env, cwd=running.cwd)
        running.wait_healthy(timeout=120)
        log_start = len((running.tmp / "web.out").read_bytes())
        context = running.ssl_context()
        importing = _import_seconds(running)
        watch.pid = running.web.pid
        watch.start()
        answered = []
        for _ in range(45):  # four recyclings
            status, _headers, _body = running.get("/healthz", context)
            answered.append(time.monotonic())
            assert status == 200
        watch.done.set()
        watch.join()
        importing = max(importing, _import_seconds(running))
        log = (running.tmp / "web.out").read_bytes()[log_start:].decode(errors="replace")
        assert log.count("Autorestarting worker") >= 3, log[-3000:]
        ready = [min(t for t in answered if t > fork) - fork for fork in watch.forks if fork < answered[-1]]
        assert len(ready) >= 3, (watch.forks, log[-3000:])
        assert statistics.median(ready) < 0.6 * importing, (
            f"a recycled process first answered {', '.join(f'{s:.2f}' for s in ready)} s after its fork "
            f"(an import of the app: {importing:.2f} s)")
    finally:  # the unit's own gunicorn back, for the end-to-end test (which waits for it to answer)
        watch.done.set()
        running.stack.stop("web")
        running.web = running.stack.start("web", unit_command, env=running.env, cwd=running.cwd)


def test_gunicorn_keeps_an_idle_connection_from_caddy_past_its_old_timeout(running):
    """Caddy keeps idle connections to gunicorn for its next requests (keepalive 2s in the Caddyfile); gunicorn
    must not close one first (--keep-alive 5), or a request Caddy writes to it as it closes fails with 502
    ("broken pipe"; Caddy retries only GET requests). With gunicorn's default keep-alive of 2 s and Caddy's of
    2 min that happened under load: a whole burst of forms once. Here a connection straight to gunicorn, idle
    for 3.5 s, still takes the next request (test_files.py checks gunicorn's keep-alive outlasts Caddy's)."""
    running.wait_healthy(60)
    host, port = running.layout.web_bind.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        statuses, sockets = [], []
        for _ in range(2):
            connection.request("GET", "/healthz", headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
            sockets.append(connection.sock)
            time.sleep(3.5)
    finally:
        connection.close()
    assert statuses == [200, 200] and sockets[0] is sockets[1] is not None


def test_production_stack_on_loopback(running):
    """Runs last: it stops the stack."""
    started = time.monotonic()
    stack = running.stack
    layout, files, env = running.layout, running.files, running.env
    assert "Restart skipped" in running.upgrade_output

    units = {name: parse_unit(files[name]) for name in
             ("itadesk-web.service", "itadesk-worker.service", "itadesk-worker@.service")}
    for unit in units.values():
        assert unit["Service"]["EnvironmentFile"] == layout.env_file
        assert unit["Service"]["User"] == layout.user
    web_cmd = exec_start(files["itadesk-web.service"])
    worker_cmds = [exec_start(files["itadesk-worker.service"]),
                   exec_start(files["itadesk-worker@.service"], instance="2")]
    assert web_cmd[:2] == [f"{sys.prefix}/bin/gunicorn", "itadesk.wsgi:application"]
    assert "--no-periodic" not in worker_cmds[0] and "--no-periodic" in worker_cmds[1]
    assert running.web.args == web_cmd and [w.args for w in running.workers] == worker_cmds
    # the job workers at their units' lower CPU priority, the web process at this process's own
    assert [os.getpriority(os.PRIO_PROCESS, w.pid) for w in running.workers] == [10, 10]
    assert os.getpriority(os.PRIO_PROCESS, running.web.pid) == os.getpriority(os.PRIO_PROCESS, 0) < 10
    # The units' environment: the settings file and nothing of this test's own settings.
    assert {k: env[k] for k in read_env_file(files["itadesk.env"])} == read_env_file(files["itadesk.env"])
    assert env["ITADESK_SITE_URL"] == f"https://127.0.0.1:{layout.https_port}"
    assert units["itadesk-web.service"]["Service"]["WorkingDirectory"] == layout.var_dir
    workers = running.workers
    itadesk = running.itadesk
    itadesk("demo", timeout=180)  # while the servers start

    context = running.ssl_context()  # the only CA this client trusts
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                         urllib.request.HTTPCookieProcessor(jar))
    base = running.base

    def get(path, data=None, headers=None):
        request = urllib.request.Request(base + path, data=data, headers=headers or {})
        with opener.open(request, timeout=30) as response:
            return response.status, response.geturl(), dict(response.headers), response.read().decode()

    def healthy():
        status, headers, body = running.get("/healthz", context)
        return (status, headers, json.loads(body)) if status == 200 else None

    status, headers, health = _wait_for("/healthz through Caddy", healthy, 30, stack, "web")
    assert status == 200 and health["status"] == "ok", health
    assert health["checks"] == {"database": "ok", "jobs": "ok"}
    assert headers["Content-Type"] == "application/json"

    # The login page over HTTPS: Django sees the request as secure (X-Forwarded-Proto from Caddy).
    status, _, headers, page = get("/accounts/login/")
    assert status == 200
    assert headers.get("Strict-Transport-Security", "").startswith("max-age=")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert all(cookie.secure for cookie in jar), "cookies over HTTPS are Secure"
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "username": "secretariat",
                                   "password": DEMO_PASSWORD}).encode()
    status, url, _, page = get("/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"})
    assert status == 200 and "/accounts/login/" not in url, "the demo secretariat is logged in"
    assert any(cookie.name == "sessionid" and cookie.secure for cookie in jar)
    # The secretariat lands on the current round's dashboard.
    status, url, _, page = get("/")
    assert status == 200 and re.search(r"/rounds/\d+/$", urllib.parse.urlsplit(url).path), url
    assert "เลย" in page  # the Loei demo round

    # Jobs go through Redis to the two worker processes, never run in the caller.
    out = itadesk("shell", "-c", "import json; from itadesk.core.tasks import ping; "
                  "results = [ping() for _ in range(6)]; "
                  "print(json.dumps([r.get(blocking=True, timeout=30) for r in results]))")
    ran_in = {result["pid"] for result in json.loads(out.strip().splitlines()[-1])}
    assert ran_in <= {w.pid for w in workers}, (ran_in, [w.pid for w in workers])

    # Nothing left waiting in the queue.
    status, _, health = _wait_for("an empty queue", lambda: (h := healthy()) and h[2]["queued"] == 0 and h,
                                  10, stack, "worker1")
    assert status == 200 and health == {"status": "ok", "checks": {"database": "ok", "jobs": "ok"}, "queued": 0}

    codes = stack.stop()
    for name in ("web", "worker1", "worker2"):
        assert codes[name] == 0, f"{name} stopped with {codes[name]}:\n{stack.log(name)}"
    for name in ("web", "worker1", "worker2"):
        assert "Traceback" not in stack.log(name), stack.log(name)
    assert running.start_seconds + (time.monotonic() - started) < 120
