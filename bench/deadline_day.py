#!/usr/bin/env python
"""Deadline-day load benchmark: the production stack on loopback under the last afternoon before the OIT deadline.

    .venv/bin/python bench/deadline_day.py [--provinces 77] [--agencies 8317] [--processes 1,2]
                                           [--step-seconds 15] [--start-rate 40] [--max-rate 800]

Not a test. It starts the production stack of deploy/ on loopback exactly as tests/deploy/test_stack.py does
(tests/deploy/stack.py ``start_stack``: a throwaway PostgreSQL, Redis, gunicorn and two Huey workers from the
generated systemd units, Caddy with its internal CA), builds the national data set of bench/dashboard.py
(77 provinces, 8,317 agencies, one FY2568 round each) with the OIT deadline moved to three hours from now,
adds OIT evidence (the NACC 2568 framework's items for every agency, in every workflow state), stakeholder
data and the people who work on the deadline's afternoon, then drives a mixed load through HTTPS:

* agency admins open an OIT item and save it through the item form, and save their stakeholder data;
* agency executives open the approval page and approve and send every drafted item;
* officers open their office dashboard (and its agency table, which the page's script loads when the officer
  scrolls to it: counted as if every officer did) and their office's pre-review queue; the secretariat its
  province page;
* reviewers open their queue, open a submitted item and pass it (or return it with a comment).

Every session is a real login (CSRF token from the login form, session cookie), and every write is a POST of
the page's own form (the fields as the page renders them, then the ones a person changes) followed by the
redirect a browser would follow. The load generator is an asyncio client (aiohttp) in a separate process
(``--client``), so it never competes for the server's GIL; arrivals are Poisson at an offered rate, and a
request's latency counts from when it was due (time waiting for a free session included), so a server that
falls behind shows it.

First ``--warm-up`` seconds of the mix (30; not counted) so that the first size meets as warm a database and
caches as the later ones. For each gunicorn size (``--processes``, gunicorn restarted between them: a number of processes, or processes x
threads such as ``2x4,4x2``; threads otherwise as ``--threads`` or deploy/render.py sizes them) the offered load steps up by ``--factor`` from ``--start-rate`` until a step fails (p95 >= 300 ms, an
error, or an action still unfinished 10 s after the step; latencies count from when a request was due, so a
server that falls behind fails on p95 — the rate reported is the one served, not the one offered, which a
short step's Poisson draw misses by 15 % at a few requests/s), then halfway back between the last step that
passed and the first that failed, and halfway again on the side that one fell (``--refine``, 2 by default). It
does this for each load:

* baseline (the ceiling): ``GET /healthz`` (database and queue checked, no session, no template) through the
  same Caddy and gunicorn;
* the floor of a logged-in page: ``GET /accounts/password/change/`` by the agency admins' sessions (session,
  person, two-step check, the site's layout and a small form; nothing of the round's data) — no page of the
  mix can be served faster than this;
* ours: the mixed load.

Each step also prints the CPU time per request of each part of the stack (gunicorn, PostgreSQL, the Huey
workers, Caddy, Redis, the load generator itself), read from /proc, and each run how often each cached page
was served from the cache.

It prints each step, then ``requests/s at p95 < 300 ms: ours X, baseline Y, ratio Z`` per size, errors, and
p50/p95 per page kind of the best passing mixed step, the load average beside the figures, and whether the
goal (>= 150 requests/s at p95 < 300 ms with 0 errors) is met. Exit status 1 if any error was seen (an HTTP
status >= 400, a connection error or a timeout), 2 if it refused to run.

``--smoke SECONDS`` runs only the mixed load at ``--start-rate`` for SECONDS, on a small data set if asked
(``--provinces 2 --agencies 60``), prints the same summary and exits 1 on any error (tests/deploy/
test_deadline_day.py). Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import html
import json
import math
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from procstat import cpu_by_part  # noqa: E402 - bench/procstat.py: CPU time of process trees from /proc
from selectolax.lexbor import LexborHTMLParser  # noqa: E402

GOAL_RATE = 150.0
# The compressions a browser of the people who use ITA Desk accepts (Chrome and Edge send these): Caddy answers
# with the first of its own list the browser accepts (deploy/templates/Caddyfile: zstd, then gzip). The client
# decodes zstd with backports.zstd (a test dependency), brotli never comes (Caddy does not make it).
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br, zstd"}
# The floor of a logged-in page: session, person, two-step check, the site's layout and a small form, nothing
# of the round's data (the most any page of the mix could reach).
FLOOR_PAGE = "/accounts/password/change/"
GOAL_P95 = 0.300
PASSWORD = "deadline-day-2568"
# Sessions per role (each logged in once; one session does one thing at a time).
SESSIONS = {"admin": 32, "executive": 12, "officer": 10, "reviewer": 8, "secretariat": 4}
# What happens on the afternoon, as a share of the actions started (an action is 1-4 requests).
MIX = {"admin_item": 40, "admin_stakeholders": 8, "executive_approve": 8, "officer_dashboard": 17,
       "secretariat_dashboard": 5, "reviewer_review": 22}
ACTION_ROLE = {"floor": "admin", "admin_item": "admin", "admin_stakeholders": "admin", "executive_approve": "executive",
               "officer_dashboard": "officer", "secretariat_dashboard": "secretariat", "reviewer_review": "reviewer"}
REQUESTS_PER_ACTION = {"admin_item": 3, "admin_stakeholders": 3, "executive_approve": 4, "officer_dashboard": 3,
                       "secretariat_dashboard": 1, "reviewer_review": 4}


def parse_sizes(text: str, threads: int | None) -> list[tuple[int, int | None]]:
    """``"1,2"`` or ``"2x4,4x2"``: (processes, threads) per size, in order; threads None where the text and
    ``--threads`` give none (deploy sizing)."""
    sizes = []
    for part in (x.strip() for x in text.split(",")):
        if not part:
            continue
        procs, sep, thr = part.lower().partition("x")
        try:
            size = (int(procs), int(thr) if sep else threads)
        except ValueError:
            raise ValueError(f"{part!r} is not a size: give processes or processes x threads, e.g. 2 or 2x4") from None
        if size[0] < 1 or (size[1] is not None and size[1] < 1):
            raise ValueError(f"{part!r}: processes and threads must be at least 1")
        sizes.append(size)
    if not sizes:
        raise ValueError("give at least one size, e.g. 1,2 or 2x4,4x2")
    return sizes


def refine_rates(best: float, failed: float, *, steps: int, closest: float = 1.05):
    """The rates to try between ``best`` (a step that passed) and ``failed`` (the next one, which failed), as a
    generator sent whether each passed: halfway, then halfway again on the side the last one fell, at most
    ``steps`` times and only while the two bounds are more than ``closest`` times apart."""
    for _ in range(steps):
        if failed / best <= closest:
            return
        rate = (best + failed) / 2
        if (yield rate):
            best = rate
        else:
            failed = rate


# What deploy/install.sh makes the server's virtualenv with (``python3 -m venv`` on Debian 12): Debian's CPython,
# built with profile-guided optimisation. An interpreter built without it (pyenv's default build, this machine's
# .venv) costs the same pages 10-20 % more CPU (docs/benchmarks.md), so the stack runs on the server's.
PRODUCTION_PYTHON = "/usr/bin/python3"


def stack_venv(python: str) -> str:
    """The virtualenv the stack runs from: this interpreter's for ``"current"``; otherwise one made from
    ``python`` with ITA Desk's dependencies (``pip install .``, as deploy/install.sh installs them), kept in
    ~/.cache/itadesk/ and made again when pyproject.toml or the interpreter changes. The stack runs this checkout's
    code whatever the virtualenv holds (``PYTHONPATH``, tests/deploy/stack.py)."""
    if python == "current":
        return sys.prefix
    import hashlib

    interpreter = subprocess.run([python, "-c", "import sys; print(sys.version)"], capture_output=True, text=True,
                                 check=True).stdout.strip()
    digest = hashlib.sha256(f"{python}\n{interpreter}\n{client_requirements()}\n".encode()
                            + (ROOT / "pyproject.toml").read_bytes())
    # outside the checkout: its own set of packages is no part of the project's tree
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    venv = cache / "itadesk" / f"bench-venv-{hashlib.sha256(python.encode()).hexdigest()[:8]}"
    stamp = venv / ".itadesk-stamp"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return str(venv)
    print(f"making the stack's virtualenv {venv} from {python} (Python {interpreter.split()[0]}) ...", flush=True)
    for command in ([python, "-m", "venv", "--clear", str(venv)],
                    [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                     str(ROOT), *client_requirements()]):
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"could not make the stack's virtualenv: {' '.join(command)} exited "
                             f"{done.returncode}:\n{(done.stdout + done.stderr)[-3000:]}")
    stamp.write_text(digest.hexdigest())
    return str(venv)


def client_requirements() -> list[str]:
    """What the load generator needs beyond ITA Desk's own dependencies (aiohttp, selectolax), pinned as the test
    dependencies pin them: the zstd decoder. The load generator runs on the stack's interpreter: it shares the
    machine's cores with the stack, and the server's interpreter costs it a fifth less."""
    import tomllib

    tests = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    return [r for r in tests if r.startswith("backports.zstd")]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--provinces", type=int, default=77, help="number of provinces (default 77)")
    p.add_argument("--agencies", type=int, default=8317, help="total number of agencies (default 8317)")
    p.add_argument("--seed", type=int, default=2568)
    p.add_argument("--processes", default="1,2",
                   help="gunicorn sizes to measure, in order: processes, or processes x threads "
                        "(e.g. 2x4,4x2; default 1,2)")
    p.add_argument("--threads", type=int, default=None,
                   help="gunicorn threads per process where --processes gives none (default: deploy sizing)")
    p.add_argument("--step-seconds", type=float, default=15.0, help="seconds per load step (default 15)")
    p.add_argument("--start-rate", type=float, default=40.0, help="first offered rate, requests/s (default 40)")
    p.add_argument("--max-rate", type=float, default=800.0, help="highest offered rate tried (default 800)")
    p.add_argument("--factor", type=float, default=1.25, help="each step offers this many times more (1.25)")
    p.add_argument("--refine", type=int, default=2, metavar="N",
                   help="after the first failing step, halve the gap to the last passing one N times (default 2)")
    p.add_argument("--warm-up", type=float, default=30.0, metavar="SECONDS",
                   help="seconds of the mix at the start rate before the first size, not counted (default 30; 0: none)")
    p.add_argument("--smoke", type=float, default=None, metavar="SECONDS",
                   help="only the mixed load at --start-rate for SECONDS; exit 1 on any error")
    p.add_argument("--people", type=int, default=None, metavar="N",
                   help="at most N logged-in people per role (default: " + ", ".join(f"{v} {k}s" for k, v in
                                                                          SESSIONS.items()) + ")")
    p.add_argument("--hold", action="store_true",
                   help="build and log in, print how to reach the stack, then wait (Ctrl-C stops it): for profiling")
    p.add_argument("--python", default=PRODUCTION_PYTHON if Path(PRODUCTION_PYTHON).exists() else "current",
                   metavar="PATH",
                   help=f"the interpreter the stack runs on: a virtualenv of it is made as deploy/install.sh makes "
                        f"the server's (default {PRODUCTION_PYTHON}, Debian's, when it exists; 'current': this one's)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (logs) at the end")
    p.add_argument("--client", default=None, help=argparse.SUPPRESS)  # internal: the load generator's plan file
    args = p.parse_args(argv)
    try:
        args.size_list = parse_sizes(args.processes, args.threads)
    except ValueError as exc:
        p.error(f"--processes: {exc}")
    if args.threads is not None and args.threads < 1:
        p.error("--threads must be at least 1")
    if args.people is not None and args.people < 1:
        p.error("--people must be at least 1")
    if args.python != "current" and not os.access(args.python, os.X_OK):
        p.error(f"--python: {args.python} is not an interpreter that can be run (or give 'current')")
    if args.factor <= 1.0:
        p.error("--factor must be above 1")
    if args.start_rate <= 0 or args.max_rate < args.start_rate:
        p.error("--start-rate must be positive and at most --max-rate")
    return args


# --- data (in the bench's own process, against the stack's PostgreSQL) ------------------------------

def setup_django(env: dict[str, str]):
    os.environ.update({k: v for k, v in env.items() if k.startswith(("ITADESK_", "DATABASE_URL"))})
    os.environ["DJANGO_SETTINGS_MODULE"] = "itadesk.settings"
    os.environ["PYTHAINLP_OFFLINE"] = "1"
    import django

    django.setup()


def build(args) -> dict:
    """bench/dashboard.py's national set, then the deadline's afternoon: the OIT deadline three hours from
    now, the NACC 2568 framework, OIT evidence and stakeholder data for every agency, and the people."""
    sys.path.insert(0, str(ROOT / "bench"))
    import dashboard  # bench/dashboard.py: the national data set
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from itadesk.accounts.models import Membership, Role
    from itadesk.cycles.models import Milestone, Round
    from itadesk.evidence import selectors as evidence_selectors
    from itadesk.evidence.models import Answer, EvidenceEvent, EvidenceItem, State
    from itadesk.methodology import services as methodology
    from itadesk.registry.models import Agency, AgencyKind, SupervisingOffice
    from itadesk.surveys.models import StakeholderData, StakeholderEvent

    sessions = {role: min(n, args.people or n) for role, n in SESSIONS.items()}
    if Agency.objects.exists():
        print("refusing: the database already has agencies", file=sys.stderr)
        raise SystemExit(2)
    now = timezone.now().replace(microsecond=0)
    t = time.perf_counter()
    info = dashboard.build(args, now)
    rng = random.Random(args.seed + 1)
    day = dt.timedelta(days=1)
    path = next(p for p in methodology.shipped_files() if p.name == "nacc-ita-2568.yaml")
    framework, _ = methodology.install_framework(actor=None, text=path.read_text(encoding="utf-8"), source=path.name)
    User = get_user_model()
    with transaction.atomic():
        # The last afternoon: stakeholder data was due three months ago, OIT is due at 17:00 today (three hours
        # from now), IIT/EIT in two months.
        Round.objects.update(framework=framework, starts_on=(now - 200 * day).date(), ends_on=(now + 160 * day).date())
        Milestone.objects.filter(code="stakeholders").update(deadline=now - 90 * day)
        Milestone.objects.filter(code="oit").update(deadline=now + dt.timedelta(hours=3))
        Milestone.objects.filter(code="iit-eit").update(deadline=now + 60 * day)
        any_round = Round.objects.first()
        codes = [ref.item["code"] for ref in evidence_selectors.oit_refs(any_round)]
        rounds = dict(Round.objects.values_list("province_id", "pk"))
        agencies = list(Agency.objects.order_by("pk").values_list("pk", "province_id"))

        # OIT evidence: most items worked on, in every state of the workflow, one event each.
        mix = [(None, 12), (State.DRAFT, 22), (State.SUBMITTED, 26), (State.APPROVED, 30), (State.RETURNED, 10)]
        states, weights = zip(*mix, strict=True)
        items = []
        for agency_id, province_id in agencies:
            for code in codes:
                state = rng.choices(states, weights)[0]
                if state is None:
                    continue
                answer = Answer.HAS if rng.random() < 0.93 else Answer.HAS_NOT
                urls = [f"https://127.0.0.1:9/a{agency_id}/{code}"] if answer == Answer.HAS else []
                at = now - rng.uniform(1, 60) * day
                items.append(EvidenceItem(round_id=rounds[province_id], agency_id=agency_id, item_code=code,
                                          answer=answer, urls=urls, explanation="เมนู ข้อมูลสาธารณะ" if urls else
                                          "ไม่มีภารกิจนี้", state=state, revision=1, created_at=at, updated_at=at,
                                          submitted_at=at if state != State.DRAFT else None,
                                          reviewed_at=at if state in (State.APPROVED, State.RETURNED) else None))
        EvidenceItem.objects.bulk_create(items, batch_size=5000)
        action_of = {State.DRAFT: "edit", State.SUBMITTED: "submit", State.APPROVED: "review_approve",
                     State.RETURNED: "review_return"}
        EvidenceEvent.objects.bulk_create([
            EvidenceEvent(item=i, action=action_of[i.state], from_state=State.DRAFT, to_state=i.state,
                          actor_label="bench", comment="แก้ไขลิงก์ให้ตรงหน้า" if i.state == State.RETURNED else "",
                          at=i.updated_at) for i in items], batch_size=5000)

        # Stakeholder data: most agencies entered it (some approved and locked), a few never did.
        data = []
        for agency_id, province_id in agencies:
            r = rng.random()
            if r < 0.15:
                continue
            approved = r > 0.6
            data.append(StakeholderData(round_id=rounds[province_id], agency_id=agency_id,
                                        internal_count=rng.randint(10, 300), external_people=rng.randint(50, 20000),
                                        state="approved" if approved else "draft", locked=approved,
                                        entered_at=now - 100 * day, approved_at=now - 95 * day if approved else None))
        data = StakeholderData.objects.bulk_create(data, batch_size=5000)
        StakeholderEvent.objects.bulk_create([
            StakeholderEvent(data=d, action="entered", actor_label="bench", at=now - 100 * day,
                             values={"internal_count": d.internal_count, "external_people": d.external_people})
            for d in data], batch_size=5000)

        # The people of the afternoon, each with one role, spread over the provinces.
        password = make_password(PASSWORD)
        provinces = sorted({p for _a, p in agencies})
        local = defaultdict(list)
        for agency_id, province_id, kind in Agency.objects.values_list("pk", "province_id", "kind"):
            if kind in (AgencyKind.SAO, AgencyKind.SUBDISTRICT_MUNICIPALITY):
                local[province_id].append(agency_id)
        offices = {(o.province_id, o.code): o.pk for o in SupervisingOffice.objects.all()}
        accounts = []

        def person(username, role, **where):
            user = User(username=username, password=password, email=f"{username}@example.test",
                        first_name=username)
            accounts.append({"username": username, "role": role, **where})
            return user

        users = []
        admin_agencies = []
        for n in range(sessions["admin"]):
            province = provinces[n % len(provinces)]
            agency_id = local[province][(n // len(provinces)) % len(local[province])]
            admin_agencies.append((agency_id, province))
            users.append((person(f"admin-{n:02d}", "admin", agency=agency_id, round=rounds[province]),
                          {"role": Role.AGENCY_ADMIN, "agency_id": agency_id}))
        for n in range(sessions["executive"]):
            agency_id, province = admin_agencies[n % len(admin_agencies)]
            users.append((person(f"executive-{n:02d}", "executive", agency=agency_id, round=rounds[province]),
                          {"role": Role.AGENCY_EXECUTIVE, "agency_id": agency_id}))
        for n in range(sessions["officer"]):
            province = provinces[n % len(provinces)]
            office = offices[province, "local-promotion"]
            users.append((person(f"officer-{n:02d}", "officer", office=office, round=rounds[province]),
                          {"role": Role.OFFICER, "office_id": office}))
        for n in range(sessions["reviewer"]):
            province = provinces[n % len(provinces)]
            office = offices[province, "nacc"]
            users.append((person(f"reviewer-{n:02d}", "reviewer", office=office, round=rounds[province]),
                          {"role": Role.REVIEWER, "office_id": office}))
        for n in range(sessions["secretariat"]):
            province = provinces[n % len(provinces)]
            users.append((person(f"secretary-{n:02d}", "secretariat", round=rounds[province]),
                          {"role": Role.SECRETARIAT, "province_id": province}))
        # The admins' stakeholder data is still open to changes (entered, not yet approved).
        StakeholderData.objects.filter(agency_id__in=[a for a, _p in admin_agencies]).update(
            state="draft", locked=False, approved_at=None)
        created = User.objects.bulk_create([u for u, _m in users])
        Membership.objects.bulk_create([Membership(user=u, **m) for u, (_x, m) in zip(created, users, strict=True)])
    from django.db import connection

    if connection.vendor == "postgresql":  # statistics as autovacuum keeps them on a database in use
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"built {len(agencies):,} agencies in {args.provinces} provinces: {info['progress_rows']:,} progress rows, "
          f"{len(items):,} OIT items of {len(codes)} ({len(items) / len(agencies):.1f} per agency), "
          f"{len(data):,} stakeholder records, {len(accounts)} people, in {time.perf_counter() - t:.1f} s")
    return {"accounts": accounts, "codes": codes}


# --- the load generator (its own process) ----------------------------------------------------------

class Page:
    """The forms of a page as a browser would send them: action, method, and each field's current value
    (text inputs, hidden inputs, checked boxes and radios, textareas, selected options — an option without a
    value sends its text); submit buttons are listed apart, as only the one clicked is sent; and the page's
    links. Read with Lexbor (selectolax, as the OIT checker reads pages): the load generator shares the
    machine's cores with the stack it measures, and Python's own HTML parser took several times the CPU."""

    __slots__ = ("forms", "links")

    def __init__(self, forms: list[dict], links: list[str]):
        self.forms = forms
        self.links = links


def _form(node) -> dict:
    a = node.attributes
    form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "fields": [],
            "buttons": []}
    for field in node.css("input, button, textarea, select"):
        a = field.attributes
        name = a.get("name")
        if not name or "disabled" in a:
            continue
        tag = field.tag
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image"):
                form["buttons"].append((name, a.get("value") or ""))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    value = a.get("value")
                    form["fields"].append((name, "on" if value is None else value))
            elif kind != "file":
                form["fields"].append((name, a.get("value") or ""))
        elif tag == "button":
            form["buttons"].append((name, a.get("value") or ""))
        elif tag == "textarea":
            form["fields"].append((name, field.text(deep=True)))
        else:  # select: the selected option, else the first
            options = field.css("option")
            chosen = next((o for o in options if "selected" in o.attributes), options[0] if options else None)
            if chosen is None:
                value = ""
            else:
                value = chosen.attributes.get("value")
                if value is None:
                    value = chosen.text(deep=True).strip()
            form["fields"].append((name, value))
    return form


def parse_page(text: str) -> Page:
    tree = LexborHTMLParser(text)
    links = [href for node in tree.css("a[href]") if (href := node.attributes.get("href"))]
    return Page([_form(node) for node in tree.css("form")], links)


_TABLE = re.compile(r'data-load="([^"]+)"')


def table_url(page: str) -> str | None:
    """The URL of the part a page loads when scrolled to (the office dashboard's agency table), or None."""
    found = _TABLE.search(page)
    return html.unescape(found[1]) if found else None


def form_with(page: Page, field: str) -> dict | None:
    """The first form with a field or button called ``field``."""
    for form in page.forms:
        if any(n == field for n, _v in form["fields"]) or any(n == field for n, _v in form["buttons"]):
            return form
    return None


class Failed(Exception):
    """A request of an action failed (already counted); the action stops there."""


class Stats:
    def __init__(self):
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.error_samples: list[str] = []
        self.not_accepted: dict[str, int] = defaultdict(int)
        self.encodings: dict[str, int] = defaultdict(int)  # responses by Content-Encoding
        self.done = 0

    def summary(self, seconds: float) -> dict:
        all_lat = sorted(x for v in self.latency.values() for x in v)
        pages = {kind: {"n": len(v), "p50": pct(sorted(v), 50), "p95": pct(sorted(v), 95)}
                 for kind, v in self.latency.items()}
        return {"requests": self.done, "rate": self.done / seconds if seconds else 0.0,
                "p50": pct(all_lat, 50), "p95": pct(all_lat, 95), "errors": sum(self.errors.values()),
                "errors_by_page": dict(self.errors), "error_samples": self.error_samples[:5],
                "not_accepted": dict(self.not_accepted), "pages": pages, "encodings": dict(self.encodings)}


def pct(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, math.ceil(q / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


class Session:
    def __init__(self, account: dict, http):
        self.account = account
        self.http = http
        self.n = 0


class Client:
    def __init__(self, plan: dict):
        self.plan = plan
        self.base = plan["base"]
        self.codes = plan["codes"]
        self.rng = random.Random(plan["seed"])
        self.stats = Stats()
        self.pools: dict[str, asyncio.Queue] = {}
        self.sessions: list[Session] = []

    async def open(self):
        import ssl

        import aiohttp

        context = ssl.create_default_context(cafile=self.plan["ca"])
        self.connector = aiohttp.TCPConnector(ssl=context, limit=0)
        self.timeout = aiohttp.ClientTimeout(total=30)
        saved = {}
        if os.path.exists(self.plan["cookies"]):
            with open(self.plan["cookies"]) as f:
                saved = json.load(f)
        from yarl import URL

        for account in self.plan["accounts"]:
            jar = aiohttp.CookieJar(unsafe=True)  # cookies of an IP-address host
            if account["username"] in saved:
                jar.update_cookies(saved[account["username"]], URL(self.base + "/"))
            http = aiohttp.ClientSession(connector=self.connector, connector_owner=False, cookie_jar=jar,
                                         timeout=self.timeout, headers=BROWSER_HEADERS)
            self.sessions.append(Session(account, http))
        self.anonymous = aiohttp.ClientSession(connector=self.connector, connector_owner=False, timeout=self.timeout,
                                               headers=BROWSER_HEADERS)
        missing = [s for s in self.sessions if s.account["username"] not in saved]
        if missing:
            t = time.perf_counter()
            sem = asyncio.Semaphore(4)

            async def one(s):
                async with sem:
                    await self.login(s)

            await asyncio.gather(*(one(s) for s in missing))
            cookies = {s.account["username"]: {c.key: c.value for c in s.http.cookie_jar} for s in self.sessions}
            with open(self.plan["cookies"], "w") as f:
                json.dump(cookies, f)
            print(json.dumps({"login": len(missing), "seconds": round(time.perf_counter() - t, 1)}), flush=True)
        for s in self.sessions:
            self.pools.setdefault(s.account["role"], asyncio.Queue()).put_nowait(s)

    async def close(self):
        for s in self.sessions:
            await s.http.close()
        await self.anonymous.close()
        await self.connector.close()

    async def login(self, s: Session):
        text = await self.fetch(s, "GET", "/accounts/login/", "login page")
        form = form_with(parse_page(text), "username")
        data = dict(form["fields"])
        data.update(username=s.account["username"], password=PASSWORD)
        await self.fetch(s, "POST", "/accounts/login/", "login", data=data, referer="/accounts/login/")
        if not any(c.key == "sessionid" for c in s.http.cookie_jar):
            raise SystemExit(f"login failed for {s.account['username']}")

    async def fetch(self, s: Session | None, method: str, path: str, kind: str, *, data=None, referer=None,
                    due: float | None = None, expect_redirect: bool = False, headers=None) -> str:
        """One request; its latency counts from ``due`` (when it was meant to start) if given."""
        loop = asyncio.get_running_loop()
        start = due if due is not None else loop.time()
        http = s.http if s is not None else self.anonymous
        headers = {**({"Referer": self.base + referer} if referer else {}), **(headers or {})}
        try:
            async with http.request(method, self.base + path, data=data, headers=headers,
                                    allow_redirects=False) as response:
                text = await response.text()
                status = response.status
                location = response.headers.get("Location", "")
                self.stats.encodings[response.headers.get("Content-Encoding", "none")] += 1
        except Exception as exc:  # connection error, timeout
            self.stats.errors[kind] += 1
            self.stats.error_samples.append(f"{method} {path}: {exc!r}")
            raise Failed from exc
        self.stats.latency[kind].append(loop.time() - start)
        self.stats.done += 1
        if status >= 400:
            self.stats.errors[kind] += 1
            self.stats.error_samples.append(f"{method} {path}: HTTP {status}")
            raise Failed
        if method == "POST":
            if status != 302:
                self.stats.not_accepted[kind] += 1  # the form came back (a refusal or a conflict): not an error
                return text
            return location
        return text

    # --- the actions of the afternoon ---

    def _item_url(self, a, code, tail=""):
        return f"/oit/rounds/{a['round']}/agencies/{a['agency']}/items/{code}/{tail}"

    async def follow(self, s, location, kind):
        path = location[len(self.base):] if location.startswith(self.base) else location
        return await self.fetch(s, "GET", path, kind)

    async def admin_item(self, s: Session, due: float, tries: int = 1):
        a = s.account
        for _ in range(tries):  # the tour looks for an item the agency can still change
            code = self.rng.choice(self.codes)
            url = self._item_url(a, code)
            page = parse_page(await self.fetch(s, "GET", url, "GET item", due=due))
            form = form_with(page, "urls")
            if form is not None:
                break
            due = None
        if form is None:  # submitted or passed: the agency cannot change it now
            return
        s.n += 1
        data = dict(form["fields"])
        data.update(answer="has", urls=f"https://127.0.0.1:9/a{a['agency']}/{code}\n"
                                        f"https://127.0.0.1:9/a{a['agency']}/{code}/v{s.n}",
                    explanation=f"เมนู ข้อมูลสาธารณะ หัวข้อ {code} (แก้ไขครั้งที่ {s.n})")
        location = await self.fetch(s, "POST", url, "POST item", data=data, referer=url)
        if location.startswith(("/", "http")):
            await self.follow(s, location, "GET item")

    async def admin_stakeholders(self, s: Session, due: float):
        a = s.account
        url = f"/surveys/rounds/{a['round']}/agencies/{a['agency']}/"
        page = parse_page(await self.fetch(s, "GET", url, "GET stakeholders", due=due))
        form = form_with(page, "internal_count")
        if form is None:  # approved and locked
            return
        data = {k: v for k, v in form["fields"] if not k.startswith("staff_")}
        data.update(internal_count=str(self.rng.randint(20, 400)), external_people=str(self.rng.randint(100, 30000)),
                    external_organizations=str(self.rng.randint(0, 80)))
        location = await self.fetch(s, "POST", url + "stakeholders/", "POST stakeholders", data=data, referer=url)
        if location.startswith(("/", "http")):
            await self.follow(s, location, "GET stakeholders")

    async def executive_approve(self, s: Session, due: float):
        a = s.account
        base = f"/oit/rounds/{a['round']}/agencies/{a['agency']}/"
        await self.fetch(s, "GET", base, "GET workspace", due=due)
        page = parse_page(await self.fetch(s, "GET", base + "approve/", "GET approve"))
        form = next((f for f in page.forms if any(n == "item" for n, _v in f["fields"])), None)
        if form is None:  # nothing drafted since the last approval
            return
        location = await self.fetch(s, "POST", base + "approve/", "POST approve", data=form["fields"],
                                    referer=base + "approve/")
        if location.startswith(("/", "http")):
            await self.follow(s, location, "GET workspace")

    async def officer_dashboard(self, s: Session, due: float):
        a = s.account
        page = await self.fetch(s, "GET", f"/rounds/{a['round']}/offices/{a['office']}/", "GET office dashboard",
                                due=due)
        url = table_url(page)
        if url is not None:  # as the page's script does when the officer scrolls to the table
            await self.fetch(s, "GET", url, "GET agency table", headers={"X-Requested-With": "fetch"})
        await self.fetch(s, "GET", f"/oit/rounds/{a['round']}/offices/{a['office']}/queue/", "GET queue")

    async def secretariat_dashboard(self, s: Session, due: float):
        await self.fetch(s, "GET", f"/rounds/{s.account['round']}/", "GET province dashboard", due=due)

    async def reviewer_review(self, s: Session, due: float):
        a = s.account
        queue = f"/oit/rounds/{a['round']}/offices/{a['office']}/queue/"
        page = parse_page(await self.fetch(s, "GET", queue, "GET queue", due=due))
        links = sorted({h for h in page.links if re.search(r"/items/[^/]+/review/$", h)})
        if not links:
            return
        url = self.rng.choice(links)
        url = url[len(self.base):] if url.startswith(self.base) else url
        page = parse_page(await self.fetch(s, "GET", url, "GET review"))
        form = form_with(page, "outcome")
        if form is None:
            return
        data = [(n, v) for n, v in form["fields"] if not n.startswith("decision-")]
        elements = sorted({n for n, _v in form["fields"] if n.startswith("comment-")})
        passing = self.rng.random() < 0.8 and any(n == "outcome" and v == "approve" for n, v in form["buttons"])
        for k, name in enumerate(elements):
            data.append((f"decision-{name[len('comment-'):]}", "not_met" if not passing and k == 0 else "met"))
        if passing:
            data.append(("outcome", "approve"))
        else:
            data = [(n, v) for n, v in data if n != "comment"]
            data += [("outcome", "return"), ("comment", "ลิงก์ไม่ตรงกับหน้าที่มีข้อมูล กรุณาแก้ไข")]
        location = await self.fetch(s, "POST", url, "POST review", data=data, referer=url)
        if location.startswith(("/", "http")):
            await self.follow(s, location, "GET queue")

    async def healthz(self, _s, due: float):
        await self.fetch(None, "GET", "/healthz", "GET /healthz", due=due)

    async def floor(self, s, due: float):
        await self.fetch(s, "GET", FLOOR_PAGE, "GET floor", due=due)

    async def action(self, name: str, due: float):
        role = ACTION_ROLE.get(name)
        s = None
        if role is not None:
            s = await self.pools[role].get()
        try:
            await getattr(self, name)(s, due)
        except Failed:
            pass
        finally:
            if s is not None:
                self.pools[role].put_nowait(s)

    async def tour(self) -> dict:
        """Every action once, one after the other (the smoke test's check that every form still posts)."""
        self.stats = Stats()
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        for name in MIX:
            s = await self.pools[ACTION_ROLE[name]].get()
            try:
                if name == "admin_item":
                    await self.admin_item(s, loop.time(), tries=20)
                else:
                    await getattr(self, name)(s, loop.time())
            except Failed:
                pass
            finally:
                self.pools[ACTION_ROLE[name]].put_nowait(s)
        result = self.stats.summary(loop.time() - t0)
        result.update(load="tour", offered=0.0, seconds=round(loop.time() - t0, 2), load_average=os.getloadavg())
        return result

    async def step(self, load: str, rate: float, seconds: float) -> dict:
        """Offer ``rate`` requests/s of ``load`` ("ceiling", "floor", or "mixed"; "warm-up" is the mix) for
        ``seconds``: actions start as a Poisson process; the result counts the requests of every action started
        in the window."""
        self.stats = Stats()
        if load == "ceiling":
            names, weights, per_action = ["healthz"], [1], 1.0
        elif load == "floor":
            names, weights, per_action = ["floor"], [1], 1.0
        else:
            names, weights = list(MIX), list(MIX.values())
            per_action = sum(MIX[n] * REQUESTS_PER_ACTION[n] for n in MIX) / sum(MIX.values())
        loop = asyncio.get_running_loop()
        roots = {**self.plan.get("parts", {}), "load generator": [os.getpid()]}
        cpu0 = cpu_by_part(roots)
        t0 = loop.time() + 0.05
        end = t0 + seconds
        due = t0
        tasks = []
        while True:
            due += self.rng.expovariate(rate / per_action)
            if due >= end:
                break
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.action(self.rng.choices(names, weights)[0], due)))
        # Actions still running this long after the window are a server that fell behind: cut off, and
        # the step fails (they are "unfinished", not errors: the server did not fail them).
        pending = set()
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=self.plan.get("drain") or max(10.0, seconds))
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        elapsed = max(loop.time() - t0, seconds)
        cpu1 = cpu_by_part(roots)
        result = self.stats.summary(elapsed)
        result.update(load=load, offered=rate, seconds=round(elapsed, 2), load_average=os.getloadavg(),
                      unfinished=len(pending), cpu={part: cpu1[part] - cpu0[part] for part in roots})
        return result

    async def run(self):
        await self.open()
        try:
            for load, rates in self.plan["steps"]:
                if load == "tour":
                    print(json.dumps(await self.tour()), flush=True)
                elif rates == "stepping":
                    await self.stepping(load)
                else:
                    for rate, seconds in rates:
                        print(json.dumps(await self.step(load, rate, seconds)), flush=True)
        finally:
            await self.close()

    async def settle(self):
        """After a failed step the stack still works through what was sent — gunicorn's queue, and the Huey
        workers' jobs the writes enqueued, which /healthz does not see: wait (at most a minute) until the whole
        stack but the load generator uses less than a tenth of a core over half a second, so that the next step
        starts from an idle stack. Without the stack's processes (no /proc), until /healthz answers quickly."""
        loop = asyncio.get_running_loop()
        end = loop.time() + 60
        roots = self.plan.get("parts") or {}
        while loop.time() < end:
            if roots:
                before = sum(cpu_by_part(roots).values())
                await asyncio.sleep(0.5)
                if sum(cpu_by_part(roots).values()) - before < 0.05:
                    return
                continue
            t = loop.time()
            try:
                async with self.anonymous.get(self.base + "/healthz") as response:
                    await response.read()
            except Exception:  # noqa: S110 - still busy; the next try tells
                pass
            else:
                if loop.time() - t < 0.05:
                    return
            await asyncio.sleep(1)

    async def measured(self, load: str, rate: float) -> dict:
        result = await self.step(load, rate, self.plan["step_seconds"])
        result["passed"] = passed(result)
        print(json.dumps(result), flush=True)
        if not result["passed"]:
            await self.settle()
        return result

    async def stepping(self, load: str):
        """Up by ``factor`` from the start rate until a step fails, then halfway back, ``refine`` times
        (``refine_rates``); if the very first step fails, down by ``factor`` squared until one passes (a slower
        machine still gets a figure)."""
        p = self.plan
        await self.step(load, p["start_rate"], min(5.0, p["step_seconds"]))  # warm-up, not reported
        await self.settle()
        rate, best, failed = p["start_rate"], None, None
        while rate <= p["max_rate"]:
            if (await self.measured(load, rate))["passed"]:
                best = rate
                rate *= p["factor"]
                continue
            failed = rate
            if best is not None:
                break
            rate /= p["factor"] ** 2
            if rate < 1.0:
                break
        if best is not None and failed is not None and failed > best:
            rates = refine_rates(best, failed, steps=p["refine"])
            try:
                rate = next(rates)
                while True:
                    rate = rates.send((await self.measured(load, rate))["passed"])
            except StopIteration:
                pass


def passed(result: dict) -> bool:
    return (result["errors"] == 0 and not result["unfinished"] and result["p95"] < GOAL_P95
            and result["requests"] > 0)


def client_main(plan_file: str) -> int:
    with open(plan_file) as f:
        plan = json.load(f)
    asyncio.run(Client(plan).run())
    return 0


# --- orchestration -------------------------------------------------------------------------------

def run_client(plan: dict, tmp: Path, python: str = sys.executable) -> list[dict]:
    """The load generator in its own process (on ``python``: the stack's interpreter); its results (one JSON line
    per step) as they come."""
    plan_file = tmp / "plan.json"
    plan_file.write_text(json.dumps(plan))
    proc = subprocess.Popen([python, str(Path(__file__).resolve()), "--client", str(plan_file)],
                            stdout=subprocess.PIPE, text=True)
    results = []
    for line in proc.stdout:
        r = json.loads(line)
        if "login" in r:
            print(f"  logged in {r['login']} people in {r['seconds']} s")
            continue
        results.append(r)
        if "passed" in r:
            print(f"  {r['load']:8} offered {r['offered']:6.1f}/s: {r['rate']:6.1f} requests/s, "
                  f"p50 {r['p50'] * 1000:5.0f} ms, p95 {r['p95'] * 1000:5.0f} ms, errors {r['errors']}, "
                  f"load average {r['load_average'][0]:.2f}"
                  + (f", {r['unfinished']} actions unfinished" if r["unfinished"] else "")
                  + f"  {'ok' if r['passed'] else 'FAILED'}", flush=True)
            print(f"      {cpu_line(r)}", flush=True)
            for sample in r["error_samples"]:  # every step's, a failing one's too (its errors are not the summary's)
                print(f"      error: {sample}", flush=True)
    if proc.wait() != 0:
        raise SystemExit(f"the load generator failed (exit {proc.returncode})")
    return results


PART_NAMES = {"web": "gunicorn", "postgresql": "PostgreSQL", "redis": "Redis", "caddy": "Caddy"}


def postmaster(database_url: str) -> int | None:
    """The pid of the PostgreSQL server listening on the port of ``database_url`` (pg_ctl detaches it from the
    process that started it), from its data folder's postmaster.pid."""
    port = database_url.rsplit(":", 1)[1].split("/", 1)[0]
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().decode(errors="replace").split("\0")
            if not entry.isdigit() or Path(argv[0]).name != "postgres" or "-D" not in argv:
                continue
            lines = (Path(argv[argv.index("-D") + 1]) / "postmaster.pid").read_text().splitlines()
        except (OSError, IndexError):
            continue
        if lines[0].strip() == entry and lines[3].strip() == port:
            return int(entry)
    return None


def stack_parts(stack, database_url: str) -> dict[str, list[int]]:
    """The stack's processes by part (the huey workers together), for the CPU each part uses per request."""
    parts = defaultdict(list)
    for name, proc, _sig in stack.procs:
        if proc.poll() is None:
            parts["Huey workers" if name.startswith("worker") else PART_NAMES.get(name, name)].append(proc.pid)
    pid = postmaster(database_url)
    if pid:
        parts["PostgreSQL"].append(pid)
    return dict(parts)


def cpu_line(result: dict) -> str:
    """CPU time of each part of the stack per request served in a step, in ms (largest first) and in all."""
    n = result["requests"] or 1
    cpu = sorted(result.get("cpu", {}).items(), key=lambda kv: -kv[1])
    total = sum(v for _k, v in cpu)
    return (f"CPU per request {total * 1000 / n:.1f} ms: "
            + ", ".join(f"{part} {v * 1000 / n:.1f}" for part, v in cpu))


CACHED_PAGES = ("round_dashboard", "office_dashboard", "oit_queue", "oit_workspace")
# What is kept under the version of "global" (core.versions.kept): every signed-in page's set-up and the reads a
# page of the mix shares with others. A low share means writes of the mix bump "global".
KEPT_READS = ("auth-user", "scope", "round", "office", "participant", "layout-nav", "oit_examples",
              "dashboard_participants")


def page_stats() -> dict[str, tuple[int, int]]:
    from itadesk.core import versions

    return versions.page_stats((*CACHED_PAGES, *KEPT_READS))


def print_page_stats(before: dict, after: dict):
    """How often each cached page, and each read kept under "global" (core.versions), was served from the cache
    during a run."""
    for title, names in (("cached pages served from the cache", CACHED_PAGES),
                         ('reads kept under "global" served from the cache', KEPT_READS)):
        shown = []
        for name in names:
            hits, misses = (after[name][k] - before[name][k] for k in (0, 1))
            if hits + misses:
                shown.append(f"{name} {hits}/{hits + misses} ({100 * hits / (hits + misses):.0f} %)")
        if shown:
            print(f"  {title}: " + ", ".join(shown))


def print_pages(result: dict):
    print(f"    {'page':24} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7}")
    for kind, v in sorted(result["pages"].items(), key=lambda kv: -kv[1]["p95"]):
        errors = result["errors_by_page"].get(kind, 0)
        refused = result["not_accepted"].get(kind, 0)
        extra = (f"  errors {errors}" if errors else "") + (f"  form shown again {refused}" if refused else "")
        print(f"    {kind:24} {v['n']:8} {v['p50'] * 1000:7.0f} {v['p95'] * 1000:7.0f}{extra}")
    for sample in result["error_samples"]:
        print(f"    error: {sample}")


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.client:
        return client_main(args.client)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, also into a file
    from tests.deploy.stack import Stack, StackNotReady, missing_tools, start_stack

    missing = missing_tools()
    if missing:
        print("refusing: the production stack needs " + ", ".join(missing), file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="itadesk-deadline-"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # `kill PID` stops the stack and removes the folder
    stack = Stack(tmp)
    total_errors = 0
    try:
        sizes = args.size_list
        venv = stack_venv(args.python)
        running = start_stack(stack, tmp, processes=sizes[0][0], threads=sizes[0][1], workers=2,
                              env_extra={"ITADESK_PAGE_CACHE_STATS": "1"}, venv=venv)
        version = subprocess.run([f"{venv}/bin/python", "-c", "import platform; print(platform.python_version())"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        print(f"the stack and the load generator run on Python {version} ({venv}/bin/python)")
        default_threads = running.layout.threads
        setup_django(running.env)
        data = build(args)
        try:
            running.wait_healthy(60)
        except StackNotReady as exc:
            print(exc, file=sys.stderr)
            return 2
        plan = {"base": running.base, "ca": str(running.root_cert), "codes": data["codes"], "seed": args.seed,
                "accounts": data["accounts"], "cookies": str(tmp / "cookies.json"), "step_seconds": args.step_seconds,
                "start_rate": args.start_rate, "max_rate": args.max_rate, "factor": args.factor,
                "refine": args.refine}
        if args.hold:
            print(f"stack at {running.base} (CA {running.root_cert}); settings {running.layout.env_file}; "
                  f"people {', '.join(a['username'] for a in data['accounts'][:3])}, ... password {PASSWORD}; "
                  f"itadesk wrapper {tmp / 'itadesk'}. Ctrl-C stops it.")
            while True:
                time.sleep(3600)
        summary = []
        for k, (processes, threads) in enumerate(sizes):
            threads = threads or default_threads
            if k:
                running.restart_web(processes=processes, threads=threads)
                running.wait_healthy(60)
            print(f"gunicorn {processes} process(es) x {threads} threads behind Caddy, "
                  f"load average {os.getloadavg()[0]:.2f} before the run:")
            plan["parts"] = stack_parts(stack, running.env["DATABASE_URL"])
            if args.smoke:
                steps = [["tour", None], ["mixed", [[args.start_rate, args.smoke]]]]
                plan["drain"] = 120.0  # a smoke run checks that nothing fails, not how fast: let every action end
            else:
                steps = [["ceiling", "stepping"], ["floor", "stepping"], ["mixed", "stepping"]]
                if k == 0 and args.warm_up > 0:
                    # The first size would otherwise meet a database and caches colder than the later sizes do
                    # (the mix's pages and tables are not what /healthz and the floor read): in one run, 2 x 4
                    # served the mix at 26 requests/s first and 33 second. Not counted, its errors are.
                    steps.insert(0, ["warm-up", [[args.start_rate, args.warm_up]]])
            hits0 = page_stats()
            results = run_client({**plan, "steps": steps}, tmp, python=f"{venv}/bin/python")
            print_page_stats(hits0, page_stats())
            encodings = defaultdict(int)
            for r in results:
                for encoding, n in r.get("encodings", {}).items():
                    encodings[encoding] += n
            print("  responses by compression: " + ", ".join(
                f"{encoding} {n:,}" for encoding, n in sorted(encodings.items(), key=lambda kv: -kv[1])))
            for r in (r for r in results if r["load"] == "warm-up"):
                print(f"  (warm-up before it: the mix offered at {r['offered']:.0f}/s for {r['seconds']:.0f} s, "
                      f"{r['requests']} requests, errors {r['errors']}; not counted)")
            total_errors += sum(r["errors"] for r in results)
            if args.smoke:
                tour, r = results
                print(f"  tour (every action once): {tour['requests']} requests, errors {tour['errors']}")
                print_pages(tour)
                total_errors += r["unfinished"]
                print(f"  smoke: {r['requests']} requests at {r['rate']:.1f}/s (offered {r['offered']:.0f}/s), "
                      f"p50 {r['p50'] * 1000:.0f} ms, p95 {r['p95'] * 1000:.0f} ms, {r['unfinished']} actions "
                      f"unfinished, errors {r['errors']}")
                print(f"  {cpu_line(r)}")
                print_pages(r)
                continue
            best = {}
            for load in ("ceiling", "floor", "mixed"):
                ok = [r for r in results if r["load"] == load and r["passed"]]
                best[load] = max(ok, key=lambda r: r["rate"]) if ok else None
            ours = best["mixed"]["rate"] if best["mixed"] else 0.0
            ceiling = best["ceiling"]["rate"] if best["ceiling"] else 0.0
            floor = best["floor"]["rate"] if best["floor"] else 0.0
            errors = sum(r["errors"] for r in results if r["load"] == "mixed")
            la = best["mixed"]["load_average"][0] if best["mixed"] else os.getloadavg()[0]
            print(f"{processes} process(es): requests/s at p95 < {GOAL_P95 * 1000:.0f} ms: ours {ours:.0f}, "
                  f"baseline {ceiling:.0f} (GET /healthz), ratio {ours / ceiling if ceiling else 0:.2f}; "
                  f"errors {errors}; load average {la:.2f}")
            print(f"  a logged-in page with nothing of its own (GET {FLOOR_PAGE}): {floor:.0f} requests/s"
                  + (f"; {cpu_line(best['floor'])}" if best["floor"] else ""))
            if best["ceiling"]:
                print(f"  GET /healthz: {cpu_line(best['ceiling'])}")
            shown = best["mixed"] or min((r for r in results if r["load"] == "mixed"), key=lambda r: r["p95"],
                                         default=None)  # none passed: the least loaded step shows the pages
            if shown:
                print(f"  {cpu_line(shown)}")
                print(f"  pages at {shown['rate']:.0f} requests/s (slowest first):")
                print_pages(shown)
            summary.append((processes, threads, ours, ceiling, errors))
        if not args.smoke:
            for processes, threads, ours, _ceiling, errors in summary:
                met = ours >= GOAL_RATE and errors == 0
                print(f"goal >= {GOAL_RATE:.0f} requests/s at p95 < {GOAL_P95 * 1000:.0f} ms, 0 errors, "
                      f"{processes} process(es) x {threads} threads: {'met' if met else 'NOT met'} "
                      f"({ours:.0f} requests/s, {errors} errors)")
        for name in [n for n, _p, _s in stack.procs if n == "web" or n.startswith("worker")]:
            if "Traceback" in stack.log(name):
                print(f"{name} log has a traceback:\n{stack.log(name)}", file=sys.stderr)
                total_errors += 1
        return 1 if total_errors else 0
    finally:
        stack.stop()
        if args.keep:
            print(f"logs kept in {tmp}")
        else:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
