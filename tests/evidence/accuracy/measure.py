"""Serve the labelled pages on 127.0.0.1 (every host name of the set is mapped there, like
``curl --resolve``), check each case with the checker as production runs it, and count.

Counting: a defective case is **caught** when every code it expects fails with severity warning or
error. A good case raises a **false alarm** when any finding fails with severity warning or error (the
reviewer sees it); ``info`` findings are not alarms. Per code: defects of that code caught / expected,
and the good cases on which that code raised an alarm.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field

from aiohttp import web

from itadesk.evidence.checker import CheckerConfig
from itadesk.evidence.checker.run import CheckRequest, iter_check
from itadesk.methodology import schema

from . import corpus

ALARM = ("warning", "error")


@dataclass
class Outcome:
    case: corpus.Case
    alarms: dict[str, str]             # code -> severity of every failing warning/error finding
    messages: list[str] = field(default_factory=list)

    @property
    def caught(self) -> bool:
        return self.case.expect <= set(self.alarms)

    @property
    def false_alarm(self) -> bool:
        return self.case.good and bool(self.alarms)


@dataclass
class Figures:
    defects: int
    caught: int
    good: int
    false_alarms: int
    per_code: dict[str, dict[str, int]]
    outcomes: list[Outcome]

    @property
    def caught_rate(self) -> float:
        return self.caught / self.defects if self.defects else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.good if self.good else 0.0


class Server:
    """One aiohttp server on 127.0.0.1 answering for every host of the set (by the Host header)."""

    def __init__(self, pages: dict[tuple[str, str], corpus.Page]):
        self.pages = pages
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def handle(self, request: web.Request) -> web.StreamResponse:
        host = (request.host or "").rsplit(":", 1)[0].lower()
        page = self.pages.get((host, request.path_qs)) or self.pages.get((host, request.path))
        if page is None:
            if request.path.startswith(("/images/", "/img/")):
                return web.Response(body=corpus.png(), content_type="image/png")
            return web.Response(status=404, text="Not Found")
        if page.location:
            return web.Response(status=page.status, headers={"Location": page.location})
        return web.Response(status=page.status, body=page.body, headers={"Content-Type": page.content_type})

    def __enter__(self) -> Server:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self.thread.start()
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self.handle)

        async def boot():
            self.runner = web.AppRunner(app, access_log=None)
            await self.runner.setup()
            await web.SockSite(self.runner, sock).start()

        asyncio.run_coroutine_threadsafe(boot(), self.loop).result(10)
        return self

    def __exit__(self, *exc) -> None:
        async def shutdown():
            if self.runner is not None:
                await self.runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def measure(*, framework: str = "nacc-ita-2568", workers: int = 0) -> Figures:
    cases, pages = corpus.build()
    frameworks: dict[str, dict] = {}

    def item_of(case: corpus.Case) -> dict:
        # a case names its own framework (the executives' cases: the provisional 2570 one); the rest are
        # checked against ``framework``
        name = framework if case.framework == corpus.Case.framework else case.framework
        if name not in frameworks:
            frameworks[name] = schema.load_file(schema.FRAMEWORKS_DIR / f"{name}.yaml")
        return schema.find_item(frameworks[name], case.item).item

    hosts = {h for h, _ in pages} | {c.host for c in cases}
    with Server(pages) as server:
        config = CheckerConfig(allow=("127.0.0.1",), delay=0, per_host=8, timeout=10, workers=workers,
                               host_map={h: "127.0.0.1" for h in hosts})
        requests = []
        for index, case in enumerate(cases):
            main_domain = case.host if case.host in corpus.AGENCIES else "www.bankhok.go.th"
            requests.append(CheckRequest(url=f"http://{case.host}:{server.port}{case.path}",
                                         item=item_of(case), main_domain=main_domain,
                                         fiscal_year=case.fy, key=index))

        async def run():
            return [report async for report in iter_check(requests, config)]

        reports = asyncio.run(run())
    outcomes: list[Outcome | None] = [None] * len(cases)
    for report in reports:
        case = cases[report.key]
        alarms: dict[str, str] = {}
        messages = []
        for f in report.findings:
            if not f.passed and f.severity in ALARM:
                alarms.setdefault(f.code, f.severity)
                messages.append(f"{f.code}/{f.severity}: {f.message_en}")
        outcomes[report.key] = Outcome(case, alarms, messages)
    done = [o for o in outcomes if o is not None]
    per_code: dict[str, dict[str, int]] = {}
    counts: Counter = Counter()
    for o in done:
        if o.case.good:
            counts["good"] += 1
            counts["false_alarms"] += o.false_alarm
            for code in o.alarms:
                per_code.setdefault(code, Counter())["false_alarms"] += 1
        else:
            counts["defects"] += 1
            counts["caught"] += o.caught
            for code in o.case.expect:
                entry = per_code.setdefault(code, Counter())
                entry["defects"] += 1
                entry["caught"] += code in o.alarms
    return Figures(counts["defects"], counts["caught"], counts["good"], counts["false_alarms"],
                   {k: dict(v) for k, v in sorted(per_code.items())}, done)
