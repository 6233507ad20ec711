"""The production stack of deploy/ on loopback, end to end: PostgreSQL, Redis, gunicorn (two processes),
two Huey workers and Caddy with its internal CA, started with the very command lines of the generated
systemd units (systemd itself cannot run here) and the generated Caddyfile and settings file. A client
that trusts only Caddy's internal CA logs in as a demo user, opens a dashboard, sends a job through a
worker and reads /healthz; then everything is stopped. Nothing leaves 127.0.0.1 (``tls internal``,
no ACME, no admin API, no redirect listener)."""

from __future__ import annotations

import getpass
import grp
import http.cookiejar
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.stack import ROOT, exec_start, free_port, load_render, parse_unit, read_env_file

pytestmark = pytest.mark.stack

VENV_BIN = Path(sys.prefix) / "bin"
DEMO_PASSWORD = "itadesk-demo"


def _missing() -> list[str]:
    missing = [name for name in ("caddy", "redis-server") if shutil.which(name) is None]
    for tool in ("gunicorn", "itadesk"):
        if not (VENV_BIN / tool).exists():
            missing.append(f"{VENV_BIN / tool}")
    found = subprocess.run(["bash", "-c", f". {ROOT}/scripts/pg-bin.sh && pg_bindir"], capture_output=True)
    if found.returncode != 0:
        missing.append("PostgreSQL server (initdb, pg_ctl)")
    return missing


class Stack:
    """Processes started by this test, stopped in reverse order (each by its own pid)."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.procs: list[tuple[str, subprocess.Popen, int]] = []

    def start(self, name: str, argv: list[str], *, env=None, cwd=None, stop_signal=signal.SIGTERM, **kw):
        log = open(self.tmp / f"{name}.out", "ab")  # noqa: SIM115 - closed with the process
        kw.setdefault("stdout", log)
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stderr=subprocess.STDOUT if kw["stdout"] is log else log,
                                **kw)
        self.procs.append((name, proc, stop_signal))
        return proc

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.out"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> dict[str, int | None]:
        codes = {}
        for name, proc, sig in reversed(self.procs):
            if proc.poll() is None:
                if name == "postgresql":
                    proc.stdin.close()  # the throwaway cluster's script stops it when its command ends
                else:
                    proc.send_signal(sig)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
            codes[name] = proc.returncode
        return codes


def _wait_for(what: str, check, timeout: float, stack: Stack, log: str):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as exc:  # not up yet
            last = exc
        time.sleep(0.25)
    pytest.fail(f"{what} not ready after {timeout} s ({last!r}); {log} log:\n{stack.log(log)}")


@pytest.fixture
def stack(tmp_path):
    missing = _missing()
    if missing:
        pytest.skip("the production stack needs " + ", ".join(missing) + " (scripts/ensure-system.sh installs them)")
    s = Stack(tmp_path)
    yield s
    s.stop()


def test_production_stack_on_loopback(stack, tmp_path):
    started = time.monotonic()
    render = load_render()

    # PostgreSQL (a throwaway cluster, as the rest of the suite uses) and Redis, on free loopback ports.
    redis_port = free_port()
    stack.start("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "",
                          "--appendonly", "no", "--dir", str(tmp_path), "--loglevel", "warning"])
    pg = stack.start("postgresql", ["bash", str(ROOT / "scripts/pg-throwaway.sh"), sys.executable, "-c",
                                    "import os, sys; print(os.environ['DATABASE_URL'], flush=True); sys.stdin.read()"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    database_url = None
    for line in pg.stdout:
        if line.startswith(b"postgres://"):
            database_url = line.decode().strip()
            break
    assert database_url, f"the throwaway PostgreSQL did not start:\n{stack.log('postgresql')}"

    # The files install.sh would write, for loopback: same templates, other ports and folders.
    web_port, https_port, http_port = free_port(), free_port(), free_port()
    layout = render.Layout(
        domain="127.0.0.1", cores=2, user=getpass.getuser(), group=grp.getgrgid(os.getgid()).gr_name,
        app_dir=str(ROOT), venv=sys.prefix, var_dir=str(tmp_path / "var"), log_dir=str(tmp_path / "log"),
        backup_dir=str(tmp_path / "backups"), env_file=str(tmp_path / "etc" / "itadesk.env"),
        wrapper=str(tmp_path / "itadesk"), web_bind=f"127.0.0.1:{web_port}", database_url=database_url,
        redis_url=f"redis://127.0.0.1:{redis_port}/0", caddy_log=str(tmp_path / "log" / "caddy-access.log"),
        https_port=https_port, http_port=http_port, processes=2, threads=2, workers=2, huey_threads=2)
    files = render.render(layout)
    for folder in ("var", "log", "backups", "etc"):
        (tmp_path / folder).mkdir()
    (tmp_path / "etc" / "itadesk.env").write_text(files["itadesk.env"])
    (tmp_path / "Caddyfile").write_text(files["Caddyfile"])

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

    # The units' environment: the settings file and nothing of this test's own settings.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ITADESK_", "DATABASE_URL", "PG", "DJANGO_"))}
    env.update(read_env_file(files["itadesk.env"]))
    env["PYTHONPATH"] = str(ROOT)  # this checkout's code (a server has it installed in the virtualenv)
    # The first worker schedules the periodic jobs as installed. The demo has no evidence URLs, so a nightly
    # check falling inside this test fetches nothing; and the checker must not probe outside addresses.
    env["ITADESK_CRAWLER_PROBE_URLS"] = "-"
    assert env["ITADESK_SITE_URL"] == f"https://127.0.0.1:{https_port}"
    cwd = units["itadesk-web.service"]["Service"]["WorkingDirectory"]
    assert cwd == layout.var_dir

    # Commands go through the generated /usr/local/bin/itadesk wrapper, which reads the settings file itself.
    wrapper = tmp_path / "itadesk"
    wrapper.write_text(files["itadesk"])
    wrapper.chmod(0o755)
    wrapper_env = {k: v for k, v in env.items() if k not in read_env_file(files["itadesk.env"])}

    def itadesk(*args, timeout=120):
        result = subprocess.run([str(wrapper), *args], env=wrapper_env, capture_output=True,
                                text=True, timeout=timeout)
        assert result.returncode == 0, f"itadesk {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    out = itadesk("upgrade", "--no-restart", "-v", "0")
    assert "Restart skipped" in out

    caddy_env = {**env, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "caddy-data"),
                 "XDG_CONFIG_HOME": str(tmp_path / "caddy-config")}
    stack.start("caddy", ["caddy", "run", "--adapter", "caddyfile", "--config", str(tmp_path / "Caddyfile")],
                env=caddy_env, cwd=str(tmp_path))
    stack.start("web", web_cmd, env=env, cwd=cwd)
    workers = [stack.start(f"worker{n}", cmd, env=env, cwd=cwd, stop_signal=signal.SIGINT)
               for n, cmd in enumerate(worker_cmds, start=1)]
    itadesk("demo", timeout=180)  # while the servers start

    root_cert = tmp_path / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    _wait_for("Caddy's internal CA", root_cert.exists, 20, stack, "caddy")
    context = ssl.create_default_context(cafile=str(root_cert))  # the only CA this client trusts
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                         urllib.request.HTTPCookieProcessor(jar))
    base = f"https://127.0.0.1:{https_port}"

    def get(path, data=None, headers=None):
        request = urllib.request.Request(base + path, data=data, headers=headers or {})
        with opener.open(request, timeout=30) as response:
            return response.status, response.geturl(), dict(response.headers), response.read().decode()

    def healthy():
        try:
            status, _, headers, body = get("/healthz")
        except urllib.error.HTTPError as exc:  # 503 while a dependency starts, 502 while gunicorn does
            if exc.code in (502, 503):
                return None
            raise
        return status, headers, json.loads(body)

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
