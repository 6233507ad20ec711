#!/usr/bin/env python
"""CPU time and SQL queries per request, for every page kind of the deadline-day mix, inside Django.

    .venv/bin/python bench/pages.py [--provinces 77] [--agencies 8317] [--repeat 7] [--warmups 2]
                                    [--only KIND,...] [--profile KIND] [--queries KIND] [--redis] [--hold]

Not a test. Where bench/deadline_day.py measures the whole production stack under load, this measures one
request at a time inside Django (Django's test client, one process), so that a page's own cost can be seen
and cut: for each page kind of the deadline-day mix (the agency admin's OIT item GET and POST, the stakeholder
page and POST, the executive's workspace, approval page and POST, the officer's office dashboard and
pre-review queue, the secretariat's province dashboard, the reviewer's review page and POST) and for the
baseline ``GET /healthz`` and the floor ``GET floor`` (an agency admin's password-change page: a signed-in page
with nothing of its own, what every signed-in page pays before its own work; not part of the mix): the CPU time of the web process (``time.process_time``, median of ``--repeat``
runs after ``--warmups``; the database's own work is in another process and not counted), the SQL queries,
the size of the HTML, and the ratio to the baseline. Then the average per request weighted by the mix of
bench/deadline_day.py, and the load average (the machine may be shared: CPU time is less disturbed by
neighbours than wall time, but not immune).

Data: the same build as bench/deadline_day.py (bench/dashboard.py's national set, the NACC 2568 framework,
OIT evidence and stakeholder data, the people of the afternoon), in PostgreSQL as in production. Without
``DATABASE_URL`` the script runs itself under scripts/pg-throwaway.sh (a throwaway cluster, removed at the
end). With ``DATABASE_URL`` pointing at a database this script (or ``--hold``) already built, it reuses the
data (the OIT deadline is moved to three hours from now again), so that one build serves many runs:

    scripts/pg-throwaway.sh .venv/bin/python bench/pages.py --hold      # builds, prints DATABASE_URL, waits
    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py --only "GET item" --profile "GET item"

Every POST is the page's own form as rendered (bench/deadline_day.py's parser), with the fields a person
changes; the state a POST changes (items approved or passed) is put back between runs, outside the timing.
``--profile KIND`` prints cProfile's top functions (cumulative and own time) of one request of that kind.

Without ``--redis`` Django runs as it does without Redis: the local-memory cache, no page cache, sessions in the
database. ``--redis`` runs it as production does: a throwaway ``redis-server`` on a free loopback port (stopped at
the end) is the cache, pages and the set-up of signed-in pages are cached under the data versions
(``ITADESK_PAGE_CACHE``), sessions are read from it (``cached_db``); the Redis server's CPU per request is shown
beside the database's. Compare the two to see what the caches save.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import deadline_day  # noqa: E402 - bench/deadline_day.py: the data set, the form parser, the mix

HOST = "localhost"  # in the default ALLOWED_HOSTS (the test client's "testserver" is not)
KINDS = ["GET /healthz", "GET floor", "GET item", "POST item", "GET stakeholders", "POST stakeholders", "GET workspace",
         "GET approve", "POST approve", "GET office dashboard", "GET agency table", "GET queue",
         "GET province dashboard",
         "GET review", "POST review"]
# The floor: a signed-in page with no work of its own (a form, no query of its own), so what it costs is what every
# signed-in page pays before its own work — the middleware, the set-up, the base layout. Not in the mix.
FLOOR_URL = "/accounts/password/change/"
# Requests of each kind per action of the deadline-day mix (bench/deadline_day.py MIX / REQUESTS_PER_ACTION).
ACTION_REQUESTS = {
    "admin_item": {"GET item": 2, "POST item": 1},
    "admin_stakeholders": {"GET stakeholders": 2, "POST stakeholders": 1},
    "executive_approve": {"GET workspace": 2, "GET approve": 1, "POST approve": 1},
    "officer_dashboard": {"GET office dashboard": 1, "GET agency table": 1, "GET queue": 1},
    "secretariat_dashboard": {"GET province dashboard": 1},
    "reviewer_review": {"GET queue": 2, "GET review": 1, "POST review": 1},
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--provinces", type=int, default=77, help="number of provinces (default 77)")
    p.add_argument("--agencies", type=int, default=8317, help="total number of agencies (default 8317)")
    p.add_argument("--seed", type=int, default=2568)
    p.add_argument("--repeat", type=int, default=7, help="timed runs per page kind (median; default 7)")
    p.add_argument("--warmups", type=int, default=2, help="untimed runs first (default 2)")
    p.add_argument("--only", default="", help="comma-separated page kinds to measure (default: all)")
    p.add_argument("--profile", default="", metavar="KIND", help="print a cProfile of one request of KIND")
    p.add_argument("--profile-lines", type=int, default=35)
    p.add_argument("--queries", default="", metavar="KIND", help="print the SQL queries of one request of KIND")
    p.add_argument("--parts", default="", metavar="KIND",
                   help="print where the CPU time of a request of KIND goes: each middleware, URL resolving, the "
                        "view, each context processor, {%% url %%}, {%% translate %%}, the page's own block, the base "
                        "layout (medians over --repeat requests)")
    p.add_argument("--redis", action="store_true",
                   help="as production with Redis: a throwaway redis-server on loopback for the cache, the page "
                        "cache and the sessions (ITADESK_REDIS_URL, ITADESK_PAGE_CACHE=1); its CPU is shown too")
    p.add_argument("--hold", action="store_true",
                   help="build, print DATABASE_URL and wait (Ctrl-C stops): later runs reuse the data")
    args = p.parse_args(argv)
    args.people = 1
    args.kinds = [k.strip() for k in args.only.split(",") if k.strip()] or list(KINDS)
    unknown = [k for k in [*args.kinds, args.profile, args.queries, args.parts] if k and k not in KINDS]
    if unknown:
        p.error(f"unknown page kind(s) {unknown}; known: {', '.join(KINDS)}")
    if args.repeat < 1 or args.warmups < 0:
        p.error("--repeat must be at least 1, --warmups at least 0")
    return args


def start_redis():
    """A throwaway redis-server on a free loopback port (no persistence): returns the process; sets
    ITADESK_REDIS_URL and ITADESK_PAGE_CACHE for Django, which must not be set up yet."""
    import shutil
    import socket

    exe = shutil.which("redis-server")
    if exe is None:
        raise SystemExit("--redis: redis-server not found (scripts/ensure-system.sh installs it)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([exe, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            time.sleep(0.05)
    else:
        proc.terminate()
        raise SystemExit("--redis: redis-server did not answer")
    os.environ["ITADESK_REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    os.environ["ITADESK_PAGE_CACHE"] = "1"
    return proc


def process_cpu(pid):
    """A function giving the CPU time (s) process ``pid`` has used so far (/proc/PID/schedstat), or None."""
    path = f"/proc/{pid}/schedstat"
    try:
        open(path).close()
    except OSError:
        return None

    def used() -> float:
        with open(path) as f:
            return int(f.read().split()[0]) / 1e9
    return used


def setup_django():
    import atexit
    import shutil
    import tempfile

    if "ITADESK_VAR_DIR" not in os.environ:  # a folder of this run's own, removed when it ends
        var_dir = tempfile.mkdtemp(prefix="itadesk-pages-")
        atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
        os.environ["ITADESK_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "itadesk.settings"
    os.environ["PYTHAINLP_OFFLINE"] = "1"
    os.environ["ITADESK_DEBUG"] = "0"  # as production: no query log, cached template loader
    import django

    django.setup()


def prepare(args) -> dict:
    """Build the data (or reuse it) and return the people: {role: account dict with user}."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from itadesk.cycles.models import Milestone
    from itadesk.evidence import selectors as evidence_selectors
    from itadesk.registry.models import Agency

    call_command("migrate", verbosity=0, interactive=False)
    User = get_user_model()
    if Agency.objects.exists():
        if not User.objects.filter(username="admin-00").exists():
            print("refusing: the database has agencies but not this bench's people; give an empty database "
                  "or one built by bench/pages.py", file=sys.stderr)
            raise SystemExit(2)
        Milestone.objects.filter(code="oit").update(deadline=timezone.now() + dt.timedelta(hours=3))
        print("reusing the data already in the database (OIT deadline moved to three hours from now)")
    else:
        deadline_day.build(args)
    from itadesk.accounts.models import Membership
    from itadesk.cycles.models import Round

    people = {}
    for role, username in [("admin", "admin-00"), ("executive", "executive-00"), ("officer", "officer-00"),
                           ("reviewer", "reviewer-00"), ("secretariat", "secretary-00")]:
        user = User.objects.get(username=username)
        m = Membership.objects.filter(user=user).first()
        province = (m.agency.province_id if m.agency_id else m.office.province_id if m.office_id
                    else m.province_id)
        people[role] = {"user": user, "agency": m.agency_id, "office": m.office_id,
                        "round": Round.objects.get(province_id=province).pk}
    any_round = Round.objects.first()
    people["codes"] = [ref.item["code"] for ref in evidence_selectors.oit_refs(any_round)]
    return people


class Pages:
    """One request of each kind: ``setup()`` (untimed: the state and the form the request needs), then
    ``request()`` (timed)."""

    def __init__(self, people: dict):
        from django.test import Client

        self.p = people
        self.clients = {}
        for role in ("admin", "executive", "officer", "reviewer", "secretariat"):
            c = Client(enforce_csrf_checks=True, HTTP_HOST=HOST)
            c.force_login(people[role]["user"])
            self.clients[role] = c
        self.anonymous = Client(HTTP_HOST=HOST)
        self.n = 0
        a = people["admin"]
        self.agency_base = f"/oit/rounds/{a['round']}/agencies/{a['agency']}/"
        r = people["reviewer"]
        self.queue_url = f"/oit/rounds/{r['round']}/offices/{r['office']}/queue/"
        o = people["officer"]
        self.office_url = f"/rounds/{o['round']}/offices/{o['office']}/"
        self.office_queue_url = f"/oit/rounds/{o['round']}/offices/{o['office']}/queue/"
        self.province_url = f"/rounds/{people['secretariat']['round']}/"
        from django.utils import timezone

        self.t0 = timezone.now()
        self.item_code = self._editable_code()
        # The OIT item page shown: not the one posted to, so that its history stays the same from run to run.
        self.shown_code = next(c for c in people["codes"] if c != self.item_code)
        self._drafts = self._draft_ids()
        self._review = None

    # --- state ---

    def _agency_items(self):
        from itadesk.evidence.models import EvidenceItem

        a = self.p["admin"]
        return EvidenceItem.objects.filter(round_id=a["round"], agency_id=a["agency"])

    def _editable_code(self) -> str:
        """An OIT item of the admin's agency in draft (made so if none is), so that its form shows."""
        from itadesk.evidence.models import State

        item = self._agency_items().filter(state=State.DRAFT).order_by("item_code").first()
        if item is None:
            item = self._agency_items().order_by("item_code").first()
            self._agency_items().filter(pk=item.pk).update(state=State.DRAFT)
        return item.item_code

    def _draft_ids(self) -> list[int]:
        """Some drafted items of the agency for the executive to approve (made drafts if fewer than 3)."""
        from itadesk.evidence.models import State

        ids = list(self._agency_items().filter(state=State.DRAFT).values_list("pk", flat=True))
        if len(ids) < 3:
            more = list(self._agency_items().exclude(pk__in=ids).order_by("item_code")
                        .values_list("pk", flat=True)[:3 - len(ids)])
            self._agency_items().filter(pk__in=more).update(state=State.DRAFT, submitted_at=None)
            ids += more
        return ids

    def _reset_drafts(self):
        from itadesk.evidence.models import State

        a = self.p["admin"]
        with self._as_item_writes(a["round"], a["agency"]):
            self._agency_items().filter(pk__in=self._drafts).update(state=State.DRAFT, submitted_at=None)

    def _review_url(self) -> str:
        """A submitted item in the reviewer's queue (its review page's link), put back to submitted."""
        from itadesk.evidence.models import EvidenceItem, State

        if self._review is None:
            html = self.get("reviewer", self.queue_url).content.decode()
            links = sorted(set(re.findall(r'href="([^"]*/items/[^/"]+/review/)"', html)))
            if not links:
                raise SystemExit("the reviewer's queue has no item to review")
            m = re.search(r"/agencies/(\d+)/items/([^/]+)/review/", links[0])
            item = EvidenceItem.objects.get(round_id=self.p["reviewer"]["round"], agency_id=int(m[1]),
                                            item_code=m[2])
            self._review = (links[0], item.pk, (item.round_id, item.agency_id))
        url, pk, (round_id, agency_id) = self._review
        with self._as_item_writes(round_id, agency_id):
            EvidenceItem.objects.filter(pk=pk).update(state=State.SUBMITTED, reviewed_at=None)
        return url

    # --- requests ---

    def check(self, response, what):
        if response.status_code != 200:
            raise SystemExit(f"{what}: HTTP {response.status_code}")
        return response

    def get(self, role, url):
        r = self.clients[role].get(url)
        if r.status_code != 200:
            raise SystemExit(f"GET {url} as {role}: HTTP {r.status_code}")
        return r

    def post(self, role, url, data):
        pairs = list(data.items()) if isinstance(data, dict) else data
        r = self.clients[role].post(url, urlencode(pairs), content_type="application/x-www-form-urlencoded",
                                    HTTP_REFERER=f"http://{HOST}{url}")  # as a browser posts a form
        if r.status_code != 302:
            raise SystemExit(f"POST {url} as {role}: HTTP {r.status_code} (the form came back: refused?)")
        return r

    def form(self, role, url, field):
        form = deadline_day.form_with(deadline_day.parse_page(self.get(role, url).content.decode()), field)
        if form is None:
            raise SystemExit(f"{url} as {role} has no form with {field!r}")
        return form

    def _trim(self):
        """Remove the history the bench's own POSTs wrote, so that every run shows the same page."""
        from django.db import connection

        from itadesk.core import versions
        from itadesk.evidence.models import EvidenceEvent
        from itadesk.surveys.models import StakeholderEvent

        # Append-only tables (the models refuse deletes): the bench's own rows, when there are any, attributed to
        # their rounds and agencies as the writes they undo were (a bare DELETE would bump every cached page).
        scopes = [f"{kind}:{pk}" for pair in EvidenceEvent.objects.filter(at__gte=self.t0)
                  .values_list("item__round_id", "item__agency_id").distinct()
                  for kind, pk in zip(("round", "agency"), pair, strict=True)]
        with connection.cursor() as cursor:
            if scopes:
                with versions.attributed("evidence.EvidenceEvent", scopes):
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(EvidenceEvent._meta.db_table)} "
                                   "WHERE at >= %s", [self.t0])
            if StakeholderEvent.objects.filter(at__gte=self.t0).exists():  # an ignored table (its name quoted, as
                # core.versions recognises it: unquoted, the delete would bump "global", every cached page)
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(StakeholderEvent._meta.db_table)} "
                               "WHERE at >= %s", [self.t0])

    def _as_item_writes(self, round_id, agency_id):
        """The bench's own resets of items, attributed to the item's round and agency as the app's writes are."""
        from itadesk.core import versions

        return versions.attributed("evidence.EvidenceItem", [f"round:{round_id}", f"agency:{agency_id}"])

    def setup(self, kind: str):
        """Untimed preparation for one request of ``kind``; returns the timed call."""
        self._trim()
        a = self.p["admin"]
        item_url = self.agency_base + f"items/{self.item_code}/"
        stakeholders_url = f"/surveys/rounds/{a['round']}/agencies/{a['agency']}/"
        if kind == "GET /healthz":
            return lambda: self.check(self.anonymous.get("/healthz"), "GET /healthz")
        if kind == "GET floor":
            return lambda: self.get("admin", FLOOR_URL)
        if kind == "GET item":
            return lambda: self.get("admin", self.agency_base + f"items/{self.shown_code}/")
        if kind == "POST item":
            form = self.form("admin", item_url, "urls")
            self.n += 1
            data = dict(form["fields"])
            data.update(answer="has", urls=f"https://127.0.0.1:9/a{a['agency']}/{self.item_code}\n"
                                           f"https://127.0.0.1:9/a{a['agency']}/{self.item_code}/v{self.n}",
                        explanation=f"เมนู ข้อมูลสาธารณะ (แก้ไขครั้งที่ {self.n})")
            return lambda: self.post("admin", item_url, data)
        if kind == "GET stakeholders":
            return lambda: self.get("admin", stakeholders_url)
        if kind == "POST stakeholders":
            form = self.form("admin", stakeholders_url, "internal_count")
            self.n += 1
            data = {k: v for k, v in form["fields"] if not k.startswith("staff_")}
            data.update(internal_count=str(20 + self.n), external_people=str(100 + self.n),
                        external_organizations=str(self.n % 80))
            return lambda: self.post("admin", stakeholders_url + "stakeholders/", data)
        if kind == "GET workspace":
            return lambda: self.get("executive", self.agency_base)
        if kind == "GET approve":
            self._reset_drafts()
            return lambda: self.get("executive", self.agency_base + "approve/")
        if kind == "POST approve":
            self._reset_drafts()
            page = deadline_day.parse_page(self.get("executive", self.agency_base + "approve/").content.decode())
            form = next((f for f in page.forms if any(n == "item" for n, _v in f["fields"])), None)
            if form is None:
                raise SystemExit("the approval page has no drafted item to approve")
            return lambda: self.post("executive", self.agency_base + "approve/", form["fields"])
        if kind == "GET office dashboard":
            return lambda: self.get("officer", self.office_url)
        if kind == "GET agency table":  # what the dashboard's script fetches when the officer scrolls to it
            url = deadline_day.table_url(self.get("officer", self.office_url).content.decode())
            if url is None:
                raise SystemExit("the office dashboard has no agency table to load")
            return lambda: self.get("officer", url)
        if kind == "GET queue":
            return lambda: self.get("officer", self.office_queue_url)
        if kind == "GET province dashboard":
            return lambda: self.get("secretariat", self.province_url)
        if kind == "GET review":
            url = self._review_url()
            return lambda: self.get("reviewer", url)
        if kind == "POST review":
            url = self._review_url()
            form = self.form("reviewer", url, "outcome")
            data = [(n, v) for n, v in form["fields"] if not n.startswith("decision-")]
            for name in sorted({n for n, _v in form["fields"] if n.startswith("comment-")}):
                data.append((f"decision-{name[len('comment-'):]}", "met"))
            data.append(("outcome", "approve"))
            return lambda: self.post("reviewer", url, data)
        raise ValueError(kind)


def database_cpu():
    """A function giving the CPU time (s) the database server's process of this connection has used so far, from
    /proc/PID/schedstat (nanoseconds); None for SQLite (the database is this process) or when it cannot be read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        path = f"/proc/{cursor.fetchone()[0]}/schedstat"
    return process_cpu(path.split("/")[2])


def measure(pages: Pages, kind: str, repeat: int, warmups: int, redis=None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmups):
        pages.setup(kind)()
    db = database_cpu()
    times, db_times, redis_times = [], [], []
    for _ in range(repeat):
        call = pages.setup(kind)
        d = db() if db else 0.0
        r = redis() if redis else 0.0
        t = time.process_time()
        call()
        times.append(time.process_time() - t)
        db_times.append((db() - d) if db else 0.0)
        redis_times.append((redis() - r) if redis else 0.0)
    call = pages.setup(kind)
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    return {"cpu": statistics.median(times), "fastest": min(times), "queries": len(ctx.captured_queries),
            "bytes": len(response.content), "db": statistics.median(db_times),
            "redis": statistics.median(redis_times)}


def profile(pages: Pages, kind: str, lines: int):
    for _ in range(2):
        pages.setup(kind)()
    call = pages.setup(kind)
    prof = cProfile.Profile(time.process_time)  # CPU time, as the table: waiting for the database is not counted
    prof.enable()
    call()
    prof.disable()
    for order, only in (("cumulative", "itadesk"), ("cumulative", ""), ("tottime", "")):
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out).sort_stats(order)
        stats.print_stats(only, lines) if only else stats.print_stats(lines)
        text = out.getvalue().replace(str(ROOT) + "/", "").replace(sys.prefix + "/", "")
        print(f"--- cProfile of one {kind!r}, by {order}{', ITA Desk code only' if only else ''} ---")
        print(text)


class Parts:
    """Exclusive CPU time (``time.process_time``) of named parts of a request: a part's own time, without the
    parts called inside it (a middleware without the ones after it and the view, the layout without its
    ``{% url %}`` tags...)."""

    def __init__(self):
        self.stack = []  # [name, start, time of the parts inside]
        self.now = {}  # name -> exclusive seconds in the current request

    def timed(self, name, fn):
        def wrapper(*a, **kw):
            self.stack.append([name, time.process_time(), 0.0])
            try:
                return fn(*a, **kw)
            finally:
                part, start, inner = self.stack.pop()
                spent = time.process_time() - start
                self.now[part] = self.now.get(part, 0.0) + spent - inner
                if self.stack:
                    self.stack[-1][2] += spent
        return wrapper


def instrument(parts: Parts):
    """Wrap the parts of Django's request handling that every page goes through in ``parts.timed``: each
    middleware, URL resolving, the view, the response's rendering (the base layout: what is left once the
    page's own ``content`` block, the context processors and the tags below are taken out), each context
    processor, every ``{% url %}`` and ``{% translate %}``, and reading the signed-in user from the cache."""
    from django.contrib.sessions.backends.base import SessionBase
    from django.core.handlers import base as handlers
    from django.template import engines, loader_tags
    from django.template.defaulttags import CsrfTokenNode, URLNode
    from django.template.response import SimpleTemplateResponse
    from django.templatetags.i18n import TranslateNode
    from django.templatetags.static import StaticNode

    from itadesk.core import middleware as core_middleware
    from itadesk.core import versions

    convert = handlers.convert_exception_to_response

    def converting(get_response):
        name = getattr(get_response, "__name__", None) or type(get_response).__module__ + "." + \
            type(get_response).__name__
        return parts.timed("middleware " + name if name != "_get_response" else "handler: view middleware hooks",
                           convert(get_response))
    handlers.convert_exception_to_response = converting
    resolve = handlers.BaseHandler.resolve_request
    handlers.BaseHandler.resolve_request = parts.timed("URL resolving", resolve)
    atomic = handlers.BaseHandler.make_view_atomic
    handlers.BaseHandler.make_view_atomic = lambda self, view: parts.timed("the view", atomic(self, view))
    SimpleTemplateResponse.render = parts.timed("render: base layout (the rest)", SimpleTemplateResponse.render)
    block = loader_tags.BlockNode.render

    def block_render(node, context):
        if node.name == "content":
            return parts.timed("render: the page's own block", block)(node, context)
        return block(node, context)
    loader_tags.BlockNode.render = block_render
    URLNode.render = parts.timed("render: {% url %}", URLNode.render)
    StaticNode.render = parts.timed("render: {% static %}", StaticNode.render)
    CsrfTokenNode.render = parts.timed("render: {% csrf_token %}", CsrfTokenNode.render)
    loader_tags.ExtendsNode.render = parts.timed("render: {% extends %} (finding the blocks)",
                                                 loader_tags.ExtendsNode.render)
    SessionBase._get_session = parts.timed("the session (read)", SessionBase._get_session)
    versions.versions = parts.timed("the data versions (read)", versions.versions)
    TranslateNode.render = parts.timed("render: {% translate %}", TranslateNode.render)
    core_middleware.cached_user = parts.timed("the signed-in user (cached_user)", core_middleware.cached_user)
    engine = engines["django"].engine
    engine.__dict__["template_context_processors"] = tuple(
        parts.timed(f"context processor {p.__module__}.{p.__name__}", p) for p in engine.template_context_processors)


def show_parts(pages: Pages, kind: str, repeat: int, warmups: int):
    parts = Parts()
    instrument(parts)
    for _ in range(warmups):
        pages.setup(kind)()
    runs, totals = [], []
    for _ in range(repeat):
        call = pages.setup(kind)
        parts.now = {}
        t = time.process_time()
        call()
        totals.append(time.process_time() - t)
        runs.append(parts.now)
    total = statistics.median(totals)
    names = sorted({n for r in runs for n in r}, key=lambda n: -statistics.median(r.get(n, 0.0) for r in runs))
    print(f"--- where the CPU time of one {kind!r} goes (exclusive, median of {repeat}; load average "
          f"{os.getloadavg()[0]:.2f}) ---")
    accounted = 0.0
    for n in names:
        ms = statistics.median(r.get(n, 0.0) for r in runs)
        accounted += ms
        print(f"{ms * 1000:7.3f} ms  {n}")
    print(f"{(total - accounted) * 1000:7.3f} ms  the rest (test client, handler, signals; timing itself)")
    print(f"{total * 1000:7.3f} ms  the request (median; instrumented)")


def show_queries(pages: Pages, kind: str):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    pages.setup(kind)()  # warm (content types, caches), as a running server is
    call = pages.setup(kind)
    with CaptureQueriesContext(connection) as ctx:
        call()
    print(f"--- the {len(ctx.captured_queries)} SQL queries of one {kind!r} (wall time of each, ms) ---")
    for n, q in enumerate(ctx.captured_queries, 1):
        print(f"{n:3}. {float(q['time']) * 1000:6.1f}  {q['sql'][:400]}")
    # The plans of the dear ones, as the database ran them: only statements EXPLAIN takes (not COMMIT or
    # SAVEPOINT), each in a transaction rolled back, as EXPLAIN ANALYZE runs a write for real.
    slow = [q for q in ctx.captured_queries if float(q["time"]) >= 0.002
            and q["sql"].lstrip().split(None, 1)[0].upper() in ("SELECT", "WITH", "INSERT", "UPDATE", "DELETE")]
    if slow and connection.vendor == "postgresql":
        for q in slow:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                plan = "\n      ".join(row[0] for row in cursor.fetchall())
                transaction.set_rollback(True)
            print(f"--- {float(q['time']) * 1000:.1f} ms: {q['sql']}\n      {plan}")


def weighted(results: dict, key: str = "cpu") -> float | None:
    """CPU per request (``key``: "cpu" of the web process, "db" of the database's) averaged over the deadline-day
    mix (None if a kind of the mix was not measured)."""
    total_cpu = total_requests = 0.0
    for action, share in deadline_day.MIX.items():
        for kind, n in ACTION_REQUESTS[action].items():
            if kind not in results:
                return None
            total_cpu += share * n * results[kind][key]
            total_requests += share * n
    return total_cpu / total_requests


def run(args, redis=None) -> int:
    from django.conf import settings
    from django.db import connection

    t = time.perf_counter()
    people = prepare(args)
    print(f"data ready in {time.perf_counter() - t:.0f} s; database {connection.vendor}; "
          f"median of {args.repeat} after {args.warmups} warm-ups; "
          + (f"Redis (page cache {'on' if settings.ITADESK_PAGE_CACHE else 'off'}, sessions "
             f"{settings.SESSION_ENGINE.rsplit('.', 1)[-1]})" if redis else "no Redis (no page cache)"))
    pages = Pages(people)
    if args.hold:
        print(f"holding: DATABASE_URL={os.environ.get('DATABASE_URL', '(SQLite)')}  (Ctrl-C stops)", flush=True)
        while True:
            time.sleep(3600)
    if args.profile:
        profile(pages, args.profile, args.profile_lines)
    if args.queries:
        show_queries(pages, args.queries)
    if args.parts:
        show_parts(pages, args.parts, args.repeat, args.warmups)
        return 0
    results = {}
    kinds = args.kinds if "GET /healthz" in args.kinds else ["GET /healthz", *args.kinds]
    redis_cpu = process_cpu(redis.pid) if redis else None
    print(f"{'page':24} {'queries':>7} {'KiB':>6} {'CPU ms':>7} {'fastest':>7} {'× healthz':>9} {'DB ms':>6} "
          f"{'Redis ms':>8}  load average")
    for kind in kinds:
        r = measure(pages, kind, args.repeat, args.warmups, redis_cpu)
        results[kind] = r
        base = results["GET /healthz"]["cpu"]
        print(f"{kind:24} {r['queries']:7} {r['bytes'] / 1024:6.1f} {r['cpu'] * 1000:7.1f} "
              f"{r['fastest'] * 1000:7.1f} {r['cpu'] / base:9.0f} {r['db'] * 1000:6.1f} "
              f"{r['redis'] * 1000:8.2f}  {os.getloadavg()[0]:.2f}", flush=True)
    mix = weighted(results)
    if mix is not None:
        base = results["GET /healthz"]["cpu"]
        print(f"weighted by the deadline-day mix: {mix * 1000:.1f} ms of CPU per request "
              f"({mix / base:.0f}× GET /healthz at {base * 1000:.2f} ms), {weighted(results, 'db') * 1000:.1f} ms "
              f"of the database's and {weighted(results, 'redis') * 1000:.2f} ms of Redis's; load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def main(argv=None) -> int:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL"):  # PostgreSQL as in production: a throwaway cluster
        return subprocess.call(["bash", str(ROOT / "scripts/pg-throwaway.sh"), sys.executable,
                                str(Path(__file__).resolve()), *(argv if argv is not None else sys.argv[1:])])
    sys.stdout.reconfigure(line_buffering=True)
    redis = start_redis() if args.redis else None
    try:
        setup_django()
        return run(args, redis)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
