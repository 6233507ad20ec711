"""The checker's own failures are its own: when it cannot resolve or reach anything (no internet, its
resolver down), a URL is reported "ระบบตรวจอัตโนมัติเชื่อมต่อไม่ได้ — ยังไม่ได้ตรวจ" (not_checked, info) and
nothing is said against the agency; when the internet works, a dead agency site is still the agency's.
Real servers on 127.0.0.1 stand in for the internet's reference pages; a failing getaddrinfo stands in
for a resolver that is down."""

from __future__ import annotations

import asyncio
import socket

from itadesk.evidence.checker import CheckerConfig, Fetcher, check
from itadesk.evidence.checker.rules import NOT_CHECKED_TH
from itadesk.evidence.checker.run import CheckRequest, iter_check
from itadesk.methodology import schema
from tests.evidence import servers

evidence_server = servers.evidence_server  # fixture
FW = schema.load_file(schema.FRAMEWORKS_DIR / "nacc-ita-2568.yaml")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config(probe: str, **kw) -> CheckerConfig:
    return CheckerConfig(allow=("127.0.0.1",), delay=0, timeout=2, probe_urls=(probe,), **kw)


def resolver(known: dict[str, str], calls: list | None = None):
    """A getaddrinfo that knows only ``known`` (host -> address); every other name fails. ``{}``: the
    resolver is down."""
    async def getaddrinfo(host, port, **kwargs):
        if calls is not None:
            calls.append(host)
        if host not in known:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (known[host], port))]
    return getaddrinfo


def fetch_all(urls, cfg, getaddrinfo=None):
    async def run():
        async with Fetcher(cfg, getaddrinfo=getaddrinfo) as fetcher:
            return [await fetcher.fetch(u) for u in urls], fetcher
    return asyncio.run(run())


def test_resolver_down_means_not_checked_never_a_finding_against_the_agency(evidence_server):
    calls: list = []
    probe = f"http://probe.test:{evidence_server.port}/th/utf8"
    urls = [f"http://www.agency{n}.go.th/ita/o1" for n in range(3)]
    results, _ = fetch_all(urls, config(probe), resolver({}, calls))
    assert [r.error for r in results] == ["not_checked"] * 3
    assert all(r.error_reason == "unreachable:dns" for r in results)
    assert calls.count("probe.test") == 1  # one probe for the run, not one per URL
    findings = check(results[0], item=schema.find_item(FW, "o1").item, main_domain="agency0.go.th",
                     fiscal_year=2568)
    assert [(f.code, f.passed, f.severity) for f in findings] == [("not_checked", False, "info")]
    assert findings[0].message_th.startswith(NOT_CHECKED_TH)
    assert "DNS" not in findings[0].message_th and "โดเมน" not in findings[0].message_th


def test_no_internet_every_host_refusing_connections_is_not_checked():
    dead = free_port()  # nothing listens there: every connection is refused, the probe's too
    urls = [f"http://127.0.0.1:{dead}/ita/o{n}" for n in range(1, 4)]
    results, _ = fetch_all(urls, config(f"http://127.0.0.1:{dead}/probe"))
    assert {r.error for r in results} == {"not_checked"}
    assert all(r.error_reason.startswith("unreachable") for r in results)


def test_with_the_internet_working_a_dead_agency_site_is_still_the_agencys(evidence_server):
    probe = f"http://probe.test:{evidence_server.port}/th/utf8"
    getaddrinfo = resolver({"probe.test": "127.0.0.1"})  # only the agency's name fails: its domain expired
    results, _ = fetch_all(["http://www.expired-agency.go.th/ita"], config(probe), getaddrinfo)
    assert results[0].error == "unreachable" and results[0].error_reason == "dns"
    findings = check(results[0])
    assert findings[0].code == "unreachable" and findings[0].severity == "error"


def test_a_probe_answering_404_still_proves_the_network(evidence_server):
    dead = free_port()
    results, _ = fetch_all([f"http://127.0.0.1:{dead}/x"], config(evidence_server.url("/missing")))
    assert results[0].error == "unreachable"


def test_without_probe_urls_nothing_changes():
    async def down(host, port, **kwargs):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    results, _ = fetch_all(["http://www.agency.go.th/"], CheckerConfig(delay=0, timeout=2), down)
    assert results[0].error == "unreachable"


def test_a_run_of_many_urls_offline_reports_every_one_not_checked(evidence_server):
    probe = f"http://probe.test:{evidence_server.port}/th/utf8"
    item = schema.find_item(FW, "o6").item
    requests = [CheckRequest(f"http://www.agency{n}.go.th/ita/o6", item=item, main_domain=f"agency{n}.go.th",
                             fiscal_year=2568, key=n) for n in range(25)]
    cfg = config(probe, workers=0)

    async def run():
        async with Fetcher(cfg, getaddrinfo=resolver({})) as fetcher:
            return [r async for r in iter_check(requests, cfg, fetcher=fetcher)]
    reports = asyncio.run(run())
    assert len(reports) == 25
    assert all([f.code for f in r.findings] == ["not_checked"] for r in reports)
