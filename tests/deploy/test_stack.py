"""The production stack of deploy/ on loopback, end to end: PostgreSQL, Redis, gunicorn (two processes),
two Huey workers and Caddy with its internal CA, started with the very command lines of the generated
systemd units (systemd itself cannot run here) and the generated Caddyfile and settings file. A client
that trusts only Caddy's internal CA logs in as a demo user, opens a dashboard, sends a job through a
worker and reads /healthz; then everything is stopped. Nothing leaves 127.0.0.1 (``tls internal``,
no ACME, no admin API, no redirect listener)."""

from __future__ import annotations

import http.cookiejar
import json
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from tests.deploy.stack import Stack, exec_start, missing_tools, parse_unit, read_env_file, start_stack
from tests.deploy.stack import wait_for as _wait_for

pytestmark = pytest.mark.stack

DEMO_PASSWORD = "itadesk-demo"


@pytest.fixture
def stack(tmp_path):
    missing = missing_tools()
    if missing:
        pytest.skip("the production stack needs " + ", ".join(missing) + " (scripts/ensure-system.sh installs them)")
    s = Stack(tmp_path)
    yield s
    s.stop()


def test_production_stack_on_loopback(stack, tmp_path):
    started = time.monotonic()
    running = start_stack(stack, tmp_path, processes=2, threads=2, workers=2, huey_threads=2)
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
    assert time.monotonic() - started < 120


def test_a_recycled_web_process_is_back_at_once(stack, tmp_path):
    """gunicorn recycles a process after ``--max-requests`` (a guard against slow leaks). The unit loads the app
    once in gunicorn's master (``--preload``), so the new process is a fork ready at once: a one-process server
    keeps answering through each recycling, where a process importing the app afresh leaves it silent for the time
    of that import (measured here, on this machine under its present load) plus gunicorn's own turn-around."""
    running = start_stack(stack, tmp_path, processes=1, threads=2, workers=1, huey_threads=1)
    command = running.web_command(processes=1, threads=2)
    assert "--preload" in command
    at = command.index("--max-requests")
    command[at + 1] = "10"
    command[command.index("--max-requests-jitter") + 1] = "0"
    running.stack.stop("web")
    running.web = running.stack.start("web", command, env=running.env, cwd=running.cwd)
    running.wait_healthy(timeout=120)
    context = running.ssl_context()
    slowest = 0.0
    for _ in range(45):  # four recyclings at least
        t = time.monotonic()
        status, _headers, _body = running.get("/healthz", context)
        slowest = max(slowest, time.monotonic() - t)
        assert status == 200
    log = (tmp_path / "web.out").read_text(errors="replace")
    assert log.count("Autorestarting worker") >= 3, log[-3000:]
    t = time.monotonic()
    subprocess.run([sys.executable, "-c", "import itadesk.wsgi"], env=running.env, cwd=running.cwd, check=True,
                   timeout=300)
    importing = time.monotonic() - t
    assert slowest < importing, f"a request waited {slowest:.1f} s for a recycled process (an import: {importing:.1f} s)"
