#!/usr/bin/env python
"""Questionnaire submission under load: the public IIT form run as in production (gunicorn,
PostgreSQL) against a baseline minimal WSGI app that inserts the same row into the same table.

    .venv/bin/python bench/questionnaire.py [--seconds 60] [--clients 100] [--workers 2] [--threads 4]
        [--rounds 3] [--settings itadesk.settings]

Without a PostgreSQL ``DATABASE_URL`` it runs itself again under scripts/pg-throwaway.sh (a throwaway
cluster on a free 127.0.0.1 port, removed afterwards). Steps: migrate; create a province, an agency, a
round with the shipped NACC 2568 framework, and a published mock IIT (30 items, 51 answers); start
gunicorn on 127.0.0.1 for ours and for the baseline app (same gunicorn settings, same table, a second
questionnaire) whose GET returns a tiny page and whose POST inserts the response row with psycopg;
drive each with --clients concurrent aiohttp clients for --seconds in total (env BENCH_SECONDS,
default 60), in --rounds slices alternating between the two (the machine's background load then
weighs on both alike), each client in a loop: GET the form (CSRF cookie and token, as a phone does),
POST a complete set of answers. Printed per app: requests/s, submissions/s, p50/p99 latency of the
POST, errors, the rows stored against the submissions accepted (302/303), and the CPU time per
accepted submission of the server (gunicorn's master and workers, from /proc) and of the load
generator; then ``name: ours X/s, baseline Y/s, ratio Z`` and the same ratio for server CPU per
submission (a figure that background load on the machine moves much less than the rate).

Gunicorn: gthread workers, one process per core (--workers, default the number of cores) × 4 threads
(--threads). Python holds a core per process, so more processes than cores only add switching and
memory, and more threads than it takes to cover each request's short waits on PostgreSQL only add
contention for the interpreter lock (on two cores, 2 × 4 measured faster than 5 × 4 and 2 × 8 for ours,
and the baseline was no slower with it). Both apps run with the same settings, and both servers stay
up during the run: keep 2 × workers × threads under the throwaway cluster's 50 connections. --settings
picks ours' Django settings module (default ``itadesk.settings``, the production one).

Goal: ours at least 0.5 × the baseline's submissions/s, no errors, rows stored == submissions accepted.
Exit status 1 if a submission is lost or an error occurs or the goal is missed. Everything listens on
127.0.0.1 only; the servers are stopped at the end (also on errors) and every phase is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from procstat import process_cpu  # noqa: E402 - bench/procstat.py: CPU time of a process tree from /proc

GOAL_RATIO = 0.5

# --- the baseline WSGI app (imported by gunicorn as ``questionnaire:baseline_app``) ------------------

_local = threading.local()
_FORM = (b'<!doctype html><html lang="th"><meta charset="utf-8"><form method="post">'
         b'<input type="hidden" name="csrfmiddlewaretoken" value="x"><button>ok</button></form></html>')


def _conn():
    conn = getattr(_local, "conn", None)
    if conn is None:
        import psycopg

        conn = _local.conn = psycopg.connect(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://"),
                                             autocommit=True)
    return conn


def baseline_app(environ, start_response):
    """GET: a tiny page; POST: insert the answers as one response row (same table as ours)."""
    if environ["REQUEST_METHOD"] != "POST":
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(_FORM)))])
        return [_FORM]
    size = int(environ.get("CONTENT_LENGTH") or 0)
    form = parse_qs(environ["wsgi.input"].read(size).decode())
    answers = {k[2:]: int(v[0]) if v[0].isdigit() else v[0] for k, v in form.items() if k.startswith("a-")}
    conn = _conn()
    conn.execute("INSERT INTO questionnaires_response (id, questionnaire_id, day, answers) "
                 "VALUES (%s, %s, CURRENT_DATE, %s)",
                 (uuid.uuid4(), int(os.environ["BENCH_BASELINE_QUESTIONNAIRE"]), json.dumps(answers)))
    start_response("303 See Other", [("Location", "/thanks/"), ("Content-Length", "0")])
    return [b""]


# --- setup ------------------------------------------------------------------------------------------


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 60)))
    p.add_argument("--clients", type=int, default=100)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--rounds", type=int, default=3, help="alternating slices per app (default 3)")
    p.add_argument("--settings", default="itadesk.settings", help="Django settings module of ours")
    p.add_argument("--app", default="itadesk.wsgi:application",
                   help="ours' WSGI application (default: production's, with the lean public path; "
                        "itadesk.wsgi:django_application is Django alone)")
    return p.parse_args(argv)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(var_dir: str) -> tuple[str, int, int]:
    """Migrate and create the questionnaires: (public id of ours, its pk, the baseline's pk)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itadesk.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from itadesk.cycles.models import Participation, Round
    from itadesk.methodology.services import install_framework, set_round_framework
    from itadesk.questionnaires import services
    from itadesk.registry.models import Agency, AgencyKind, District, Province

    call_command("migrate", verbosity=0, interactive=False)
    province = Province.objects.create(code="42", name_th="เลย", name_en="Loei")
    district = District.objects.create(province=province, geocode="4201", name_th="เมืองเลย")
    round_ = Round.objects.create(province=province, fiscal_year=2568, name="ITA 2568", is_current=True,
                                  starts_on="2024-10-01", ends_on="2025-09-30")
    fw, _ = install_framework(actor=None, text=(ROOT / "itadesk/methodology/frameworks/nacc-ita-2568.yaml")
                              .read_text(encoding="utf-8"))
    set_round_framework(actor=None, round=round_, framework=fw)
    round_.refresh_from_db()
    made = []
    for n in range(2):
        agency = Agency.objects.create(province=province, district=district, kind=AgencyKind.SAO,
                                       name_th=f"อบต.ทดสอบ {n}", dla_code=f"0642020{n}")
        Participation.objects.create(round=round_, agency=agency)
        q, _ = services.create_questionnaire(actor=None, round=round_, agency=agency, instrument="IIT")
        services.save_settings(actor=None, questionnaire=q, opens_at=None,
                               closes_at=timezone.now() + dt.timedelta(days=1))
        services.publish(actor=None, questionnaire=q)
        q.refresh_from_db()
        made.append(q)
    from django.db import connections

    connections.close_all()
    return made[0].public_id, made[0].pk, made[1].pk


def count_rows(qid: int) -> int:
    from django.db import connections

    from itadesk.questionnaires.models import Response

    n = Response.objects.filter(questionnaire_id=qid).count()
    connections.close_all()
    return n


def answers_form() -> dict:
    from itadesk.questionnaires.models import Questionnaire
    from itadesk.questionnaires.services import columns

    q = Questionnaire.objects.exclude(questions=[]).first()
    return {f"a-{c['code']}": str(c["options"][-1]["value"]) for c in columns(q.questions)}


# --- load ---------------------------------------------------------------------------------------------


async def drive(url: str, form: dict, seconds: float, clients: int) -> dict:
    import aiohttp

    token_re = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    stats = {"get": 0, "post": 0, "accepted": 0, "errors": 0, "latencies": [], "error_samples": []}
    deadline = time.monotonic() + seconds
    timeout = aiohttp.ClientTimeout(total=30)

    async def client():
        async with aiohttp.ClientSession(timeout=timeout, cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
            while time.monotonic() < deadline:
                try:
                    async with s.get(url) as r:
                        body = await r.text()
                        stats["get"] += 1
                        m = token_re.search(body)
                        if r.status != 200 or not m:
                            raise RuntimeError(f"GET {r.status}")
                    t0 = time.perf_counter()
                    async with s.post(url, data={**form, "csrfmiddlewaretoken": m.group(1)},
                                      headers={"Referer": url, "Origin": url.split("/q/")[0]},
                                      allow_redirects=False) as r:
                        await r.read()
                        stats["post"] += 1
                        stats["latencies"].append(time.perf_counter() - t0)
                        if r.status in (302, 303):
                            stats["accepted"] += 1
                        else:
                            raise RuntimeError(f"POST {r.status}")
                except Exception as exc:  # counted and shown, never hidden
                    stats["errors"] += 1
                    if len(stats["error_samples"]) < 5:
                        stats["error_samples"].append(repr(exc)[:200])

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    stats["elapsed"] = time.perf_counter() - t0
    return stats


def start_gunicorn(app: str, port: int, args, env: dict, chdir: Path) -> subprocess.Popen:
    cmd = [str(Path(sys.executable).parent / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--chdir", str(chdir),
           "--worker-class", "gthread", "--workers", str(args.workers), "--threads", str(args.threads),
           "--backlog", "2048", "--timeout", "60", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}") from None
            time.sleep(0.1)
    stop(proc)
    raise RuntimeError("gunicorn did not start within 30 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by gunicorn's master ``pid`` and its workers: a figure
    per submission that other work on the machine does not move much (unlike requests per second)."""
    return process_cpu(pid)


def client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def report(name, stats, stored) -> dict:
    lat = sorted(stats["latencies"]) or [float("nan")]
    out = {"name": name, "rps": (stats["get"] + stats["post"]) / stats["elapsed"],
           "sps": stats["accepted"] / stats["elapsed"], "p50": lat[len(lat) // 2] * 1000,
           "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000, "errors": stats["errors"],
           "accepted": stats["accepted"], "stored": stored, "samples": stats["error_samples"],
           "server_ms": stats["server_cpu"] * 1000 / max(stats["accepted"], 1),
           "client_ms": stats["client_cpu"] * 1000 / max(stats["accepted"], 1)}
    print(f"{name:>8}: {out['rps']:7.1f} requests/s, {out['sps']:7.1f} submissions/s, POST p50 {out['p50']:6.1f} ms, "
          f"p99 {out['p99']:6.1f} ms, errors {out['errors']}, stored {stored} / accepted {stats['accepted']}; "
          f"CPU per submission: server {out['server_ms']:.2f} ms, load generator {out['client_ms']:.2f} ms")
    for s in out["samples"]:
        print(f"          error: {s}")
    return out


def run(apps, args, env, form) -> list[dict]:
    """Both servers up at once (each idle while the other is driven); the load alternates between
    them in --rounds slices, so a change in the machine's background load hits both alike."""
    procs, totals = [], []
    try:
        for name, app, path, qid, chdir in apps:
            port = free_port()
            procs.append(start_gunicorn(app, port, args, env, chdir))
            url = f"http://127.0.0.1:{port}{path}"
            asyncio.run(drive(url, form, 2, 4))  # warm-up: workers import, connect
            totals.append({"name": name, "url": url, "qid": qid, "from": count_rows(qid), "pid": procs[-1].pid,
                           "stats": {"get": 0, "post": 0, "accepted": 0, "errors": 0, "latencies": [],
                                     "error_samples": [], "elapsed": 0.0, "server_cpu": 0.0, "client_cpu": 0.0}})
        for _ in range(args.rounds):
            for t in totals:
                server, client = server_cpu(t["pid"]), client_cpu()
                got = asyncio.run(drive(t["url"], form, args.seconds / args.rounds, args.clients))
                got["server_cpu"], got["client_cpu"] = server_cpu(t["pid"]) - server, client_cpu() - client
                for key in ("get", "post", "accepted", "errors", "elapsed", "server_cpu", "client_cpu"):
                    t["stats"][key] += got[key]
                t["stats"]["latencies"] += got["latencies"]
                t["stats"]["error_samples"] = (t["stats"]["error_samples"] + got["error_samples"])[:5]
    finally:
        for proc in procs:
            stop(proc)
    return [report(t["name"], t["stats"], count_rows(t["qid"]) - t["from"]) for t in totals]


def main(argv=None) -> int:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        script = ROOT / "scripts/pg-throwaway.sh"
        env = {**os.environ, "PYTHON": sys.executable}
        return subprocess.call([str(script), sys.executable, str(Path(__file__).resolve()), *(argv or sys.argv[1:])],
                               env=env)
    var_dir = tempfile.mkdtemp(prefix="itadesk-bench-q-")
    os.environ["ITADESK_VAR_DIR"] = var_dir
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    try:
        public_id, ours_id, base_id = setup(var_dir)
        form = answers_form()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": args.settings, "ITADESK_VAR_DIR": var_dir,
               "BENCH_BASELINE_QUESTIONNAIRE": str(base_id), "ITADESK_DEBUG": "false"}
        print(f"questionnaire: {len(form)} answers per submission; {args.clients} clients × {args.seconds:.0f} s "
              f"per app in {args.rounds} alternating slices; gunicorn gthread {args.workers} workers × "
              f"{args.threads} threads on {os.cpu_count()} cores; settings {args.settings}; app {args.app}")
        ours, base = run([("ours", args.app, f"/q/{public_id}/", ours_id, ROOT),
                          ("baseline", "questionnaire:baseline_app", f"/q/{public_id}/", base_id,
                           Path(__file__).resolve().parent)], args, env, form)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    ratio = ours["sps"] / base["sps"] if base["sps"] else 0.0
    print(f"questionnaire submission: ours {ours['sps']:.1f}/s, baseline {base['sps']:.1f}/s, ratio {ratio:.2f}")
    if ours["server_ms"]:
        print(f"server CPU per submission: ours {ours['server_ms']:.2f} ms, baseline {base['server_ms']:.2f} ms, "
              f"ratio {base['server_ms'] / ours['server_ms']:.2f}")
    lost = [r["name"] for r in (ours, base) if r["stored"] != r["accepted"]]
    errors = [r["name"] for r in (ours, base) if r["errors"]]
    if lost:
        print(f"LOST: stored rows differ from accepted submissions in {', '.join(lost)}")
    if errors:
        print(f"errors in {', '.join(errors)}")
    if ratio < GOAL_RATIO:
        print(f"goal missed: ratio {ratio:.2f} < {GOAL_RATIO}")
    ok = not lost and not errors and ratio >= GOAL_RATIO
    print("goal met" if ok else "goal NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
