"""Helpers shared by the deploy tests and bench/deadline_day.py: load deploy/render.py (a standalone script,
not part of the ``itadesk`` package), read the generated units and settings file as systemd would, and
start the production stack on loopback (``start_stack``)."""

from __future__ import annotations

import configparser
import dataclasses
import getpass
import grp
import importlib.util
import json
import os
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def load_render():
    spec = importlib.util.spec_from_file_location("itadesk_deploy_render", DEPLOY / "render.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is created
    spec.loader.exec_module(module)
    return module


def parse_unit(text: str) -> configparser.ConfigParser:
    """A unit file as INI (systemd's syntax is a subset: sections, key=value, # comments)."""
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",),
                                       comment_prefixes=("#", ";"))
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(text)
    return parser


def exec_start(unit_text: str, instance: str = "") -> list[str]:
    """The ExecStart= command line of a unit, split as systemd splits it (%i: the instance name)."""
    line = parse_unit(unit_text)["Service"]["ExecStart"]
    return shlex.split(line.replace("%i", instance))


def unit_nice(unit_text: str) -> int | None:
    """The unit's Nice= (its processes' CPU priority, as systemd sets it), or None."""
    value = parse_unit(unit_text)["Service"].get("Nice")
    return int(value) if value is not None else None


def read_env_file(text: str) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile= reads our (unquoted) settings file."""
    env = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not KEY=value: {raw!r}"
        env[key.strip()] = value.strip()
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the production stack on loopback ------------------------------------------------------------
# Started with the very command lines of the generated systemd units (systemd itself cannot run here)
# and the generated Caddyfile, settings file and ``itadesk`` wrapper. Used by test_stack.py and by
# bench/deadline_day.py. Nothing leaves 127.0.0.1 (``tls internal``, no ACME, no admin API).

VENV_BIN = Path(sys.prefix) / "bin"


class StackNotReady(AssertionError):
    """A part of the stack did not come up in time (its log is in the message)."""


def missing_tools() -> list[str]:
    missing = [name for name in ("caddy", "redis-server") if shutil.which(name) is None]
    for tool in ("gunicorn", "itadesk"):
        if not (VENV_BIN / tool).exists():
            missing.append(f"{VENV_BIN / tool}")
    found = subprocess.run(["bash", "-c", f". {ROOT}/scripts/pg-bin.sh && pg_bindir"], capture_output=True)
    if found.returncode != 0:
        missing.append("PostgreSQL server (initdb, pg_ctl)")
    return missing


class Stack:
    """Processes started here, stopped in reverse order (each by its own pid)."""

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

    def stop_one(self, name: str, proc: subprocess.Popen, sig: int) -> int | None:
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
        return proc.returncode

    def stop(self, name: str | None = None) -> dict[str, int | None]:
        """Stop every process (or only the one called ``name``); their exit codes by name."""
        codes = {}
        for entry in reversed(list(self.procs)):
            if name is None or entry[0] == name:
                codes[entry[0]] = self.stop_one(*entry)
                if name is not None:
                    self.procs.remove(entry)
        return codes


def wait_for(what: str, check, timeout: float, stack: Stack, log: str):
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
    raise StackNotReady(f"{what} not ready after {timeout} s ({last!r}); {log} log:\n{stack.log(log)}")


@dataclass
class Running:
    """The started stack: its layout, generated files, the units' environment and how to reach it."""

    stack: Stack
    tmp: Path
    layout: object  # deploy/render.py Layout
    files: dict[str, str]
    env: dict[str, str]  # the units' environment (settings file + this checkout on PYTHONPATH)
    wrapper_env: dict[str, str]  # the environment the itadesk wrapper is called with
    upgrade_output: str
    web: subprocess.Popen
    workers: list[subprocess.Popen]

    @property
    def base(self) -> str:
        return self.layout.site_url

    @property
    def root_cert(self) -> Path:
        return self.tmp / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"

    @property
    def cwd(self) -> str:
        return self.layout.var_dir

    def itadesk(self, *args, timeout=120) -> str:
        """Run ``itadesk ARGS`` through the generated wrapper (which reads the settings file itself)."""
        result = subprocess.run([str(self.tmp / "itadesk"), *args], env=self.wrapper_env, capture_output=True,
                                text=True, timeout=timeout)
        assert result.returncode == 0, f"itadesk {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts only Caddy's internal CA (waits for Caddy to create it)."""
        wait_for("Caddy's internal CA", self.root_cert.exists, 20, self.stack, "caddy")
        return ssl.create_default_context(cafile=str(self.root_cert))

    def get(self, path: str, context: ssl.SSLContext | None = None):
        """GET through Caddy without cookies: (status, headers, body); HTTP errors are returned, not raised."""
        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context or self.ssl_context()))
        try:
            with opener.open(self.base + path, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode(errors="replace")

    def wait_healthy(self, timeout: float = 30, log: str = "web"):
        """/healthz through Caddy answers 200 (502 while gunicorn starts, 503 while a dependency does)."""
        context = self.ssl_context()

        def healthy():
            status, headers, body = self.get("/healthz", context)
            return (status, headers, json.loads(body)) if status == 200 else None

        return wait_for("/healthz through Caddy", healthy, timeout, self.stack, log)

    def web_command(self, **sizing) -> list[str]:
        """gunicorn's command line from the web unit, rendered again with other sizing (processes, threads)."""
        layout = dataclasses.replace(self.layout, **sizing)
        return exec_start(load_render().render(layout)["itadesk-web.service"])

    def restart_web(self, **sizing) -> subprocess.Popen:
        """Stop gunicorn and start it again with other sizing (the rest of the stack keeps running)."""
        self.stack.stop("web")
        self.web = self.stack.start("web", self.web_command(**sizing), env=self.env, cwd=self.cwd)
        return self.web


def start_stack(stack: Stack, tmp: Path, *, processes: int = 2, threads: int = 2, workers: int = 2,
                huey_threads: int = 2, env_extra: dict[str, str] | None = None, venv: str | None = None) -> Running:
    """PostgreSQL (a throwaway cluster), Redis, the database migrated by ``itadesk upgrade``, then Caddy,
    gunicorn and the Huey workers started (not yet waited for: see ``Running.wait_healthy``). ``venv``: the
    virtualenv the units run from (default: this interpreter's)."""
    render = load_render()
    redis_port = free_port()
    stack.start("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "",
                          "--appendonly", "no", "--dir", str(tmp), "--loglevel", "warning"])
    pg = stack.start("postgresql", ["bash", str(ROOT / "scripts/pg-throwaway.sh"), sys.executable, "-c",
                                    "import os, sys; print(os.environ['DATABASE_URL'], flush=True); sys.stdin.read()"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    database_url = None
    for line in pg.stdout:
        if line.startswith(b"postgres://"):
            database_url = line.decode().strip()
            break
    if not database_url:
        raise StackNotReady(f"the throwaway PostgreSQL did not start:\n{stack.log('postgresql')}")

    # The files install.sh would write, for loopback: same templates, other ports and folders.
    web_port, https_port, http_port = free_port(), free_port(), free_port()
    layout = render.Layout(
        domain="127.0.0.1", cores=2, user=getpass.getuser(), group=grp.getgrgid(os.getgid()).gr_name,
        app_dir=str(ROOT), venv=venv or sys.prefix, var_dir=str(tmp / "var"), log_dir=str(tmp / "log"),
        backup_dir=str(tmp / "backups"), env_file=str(tmp / "etc" / "itadesk.env"),
        wrapper=str(tmp / "itadesk"), web_bind=f"127.0.0.1:{web_port}", database_url=database_url,
        redis_url=f"redis://127.0.0.1:{redis_port}/0", caddy_log=str(tmp / "log" / "caddy-access.log"),
        https_port=https_port, http_port=http_port, processes=processes, threads=threads, workers=workers,
        huey_threads=huey_threads)
    files = render.render(layout)
    for folder in ("var", "log", "backups", "etc"):
        (tmp / folder).mkdir(exist_ok=True)
    (tmp / "etc" / "itadesk.env").write_text(files["itadesk.env"])
    (tmp / "Caddyfile").write_text(files["Caddyfile"])

    # The units' environment: the settings file and nothing of the caller's own settings.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ITADESK_", "DATABASE_URL", "PG", "DJANGO_"))}
    settings_env = read_env_file(files["itadesk.env"])
    env.update(settings_env)
    env["PYTHONPATH"] = str(ROOT)  # this checkout's code (a server has it installed in the virtualenv)
    # The first worker schedules the periodic jobs as installed; the checker must not probe outside addresses.
    env["ITADESK_CRAWLER_PROBE_URLS"] = "-"
    env.update(env_extra or {})

    wrapper = tmp / "itadesk"
    wrapper.write_text(files["itadesk"])
    wrapper.chmod(0o755)
    wrapper_env = {k: v for k, v in env.items() if k not in settings_env}
    running = Running(stack=stack, tmp=tmp, layout=layout, files=files, env=env, wrapper_env=wrapper_env,
                      upgrade_output="", web=None, workers=[])
    running.upgrade_output = running.itadesk("upgrade", "--no-restart", "-v", "0")

    cwd = parse_unit(files["itadesk-web.service"])["Service"]["WorkingDirectory"]
    caddy_env = {**env, "HOME": str(tmp), "XDG_DATA_HOME": str(tmp / "caddy-data"),
                 "XDG_CONFIG_HOME": str(tmp / "caddy-config")}
    stack.start("caddy", ["caddy", "run", "--adapter", "caddyfile", "--config", str(tmp / "Caddyfile")],
                env=caddy_env, cwd=str(tmp))
    running.web = stack.start("web", exec_start(files["itadesk-web.service"]), env=env, cwd=cwd)
    worker_cmds = [exec_start(files["itadesk-worker.service"])]
    worker_cmds += [exec_start(files["itadesk-worker@.service"], instance=str(n)) for n in range(2, workers + 1)]
    # each at its unit's Nice= (both units have the same), as systemd starts them
    nice = unit_nice(files["itadesk-worker.service"])
    priority = {} if nice is None else {"preexec_fn": lambda: os.setpriority(os.PRIO_PROCESS, 0, nice)}
    running.workers = [stack.start(f"worker{n}", cmd, env=env, cwd=cwd, stop_signal=signal.SIGINT, **priority)
                       for n, cmd in enumerate(worker_cmds, start=1)]
    return running
