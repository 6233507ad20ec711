"""Fetching (itadesk.evidence.checker.fetch) against real HTTP servers on 127.0.0.1: safety,
politeness, redirects, limits. No test reaches beyond this machine's loopback addresses."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time

import pytest

from itadesk.evidence.checker import CheckerConfig, Fetcher, fetch_many, iter_fetch
from itadesk.evidence.checker.fetch import VET_CACHE_SECONDS, address_problem, parse_url, redact_url
from tests.evidence import servers

evidence_server = servers.evidence_server  # fixtures
evidence_server_2 = servers.evidence_server_2
ALLOW = CheckerConfig(allow=("127.0.0.1",), delay=0, timeout=3)


def fetch(url: str, config: CheckerConfig = ALLOW, **kwargs):
    async def run():
        async with Fetcher(config, **kwargs) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(run())


def fetch_twice(urls, config=ALLOW, **kwargs):
    async def run():
        async with Fetcher(config, **kwargs) as fetcher:
            return [await fetcher.fetch(u) for u in urls]

    return asyncio.run(run())


# --- a plain fetch ---------------------------------------------------------------------------------


def test_fetches_a_thai_page(evidence_server):
    result = fetch(evidence_server.url("/th/utf8"))
    assert result.ok and result.error is None
    assert result.status == 200
    assert result.final_url == evidence_server.url("/th/utf8")
    assert result.redirects == ()
    assert result.mime_type == "text/html"
    assert "โครงสร้างและอำนาจหน้าที่".encode() in result.body
    assert result.address == "127.0.0.1"
    assert len(result.sha256) == 64 and result.size == len(result.body)
    logged = evidence_server.hits("/th/utf8")[-1]
    assert logged.headers["User-Agent"].startswith("ITA-Desk/")
    assert "evidence checker" in logged.headers["User-Agent"]
    assert "Cookie" not in logged.headers and "Authorization" not in logged.headers
    # the compressions it decodes in every installation, whatever aiohttp could offer with the packages here
    assert logged.headers["Accept-Encoding"] == "gzip, deflate"


def test_without_the_allow_list_loopback_is_refused_before_connecting(evidence_server):
    before = len(evidence_server.requests)
    for host in ("127.0.0.1", "localhost"):
        result = fetch(f"http://{host}:{evidence_server.port}/th/utf8?refused", CheckerConfig(delay=0))
        assert result.error == "refused_address"
        assert result.error_reason == "loopback"
        assert result.status is None and result.body == b""
    assert len(evidence_server.requests) == before  # nothing reached the server


def test_an_allow_listed_network_is_fetched(evidence_server):
    result = fetch(evidence_server.url("/th/utf8"), CheckerConfig(allow=("127.0.0.0/8",), delay=0))
    assert result.ok


def test_an_allow_listed_host_name_is_fetched(evidence_server):
    result = fetch(f"http://localhost:{evidence_server.port}/th/utf8", CheckerConfig(allow=("localhost",), delay=0))
    assert result.ok and result.address in ("127.0.0.1", "::1")


@pytest.mark.parametrize(("address", "problem"), [
    ("127.0.0.1", "loopback"), ("127.0.0.2", "loopback"), ("::1", "loopback"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("fc00::1", "private"),
    ("169.254.169.254", "link_local"), ("fe80::1", "link_local"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("240.0.0.1", "private"), ("100.64.0.1", "not_global"), ("192.0.2.1", "private"),
    ("::ffff:10.0.0.1", "private"), ("::ffff:127.0.0.1", "loopback"), ("64:ff9b::a00:1", "private"),
    ("2002:a00:1::", "private"),
    ("8.8.8.8", None), ("203.150.1.1", None), ("2001:4860:4860::8888", None),
])
def test_address_problems(address, problem):
    """Pure classification: no connection is made to any of these addresses."""
    assert address_problem(ipaddress.ip_address(address)) == problem


@pytest.mark.parametrize(("url", "reason"), [
    ("ftp://example.org/file.pdf", "scheme"),
    ("file:///etc/passwd", "scheme"),
    ("javascript:alert(1)", "scheme"),
    ("/relative/path", "scheme"),
    ("http://user:secret@127.0.0.1/o6", "userinfo"),
    ("http:///nohost", "no_host"),
    ("", "scheme"),
])
def test_bad_urls_are_refused(url, reason):
    result = fetch(url)
    assert result.error == "bad_url"
    assert result.error_reason == reason


def test_redact_url():
    assert redact_url("http://admin:secret@host/x") == "http://***@host/x"
    assert parse_url("https://www.loei.go.th/ita#o1").host == "www.loei.go.th"


# --- redirects -------------------------------------------------------------------------------------


def test_a_redirect_chain_is_followed_and_recorded(evidence_server):
    result = fetch(evidence_server.url("/r/1"))
    assert result.ok
    assert result.final_url == evidence_server.url("/th/utf8")
    assert [(h.url, h.status) for h in result.redirects] == [
        (evidence_server.url("/r/1"), 302), (evidence_server.url("/r/2"), 301), (evidence_server.url("/r/3"), 307)]


def test_too_many_redirects(evidence_server):
    result = fetch(evidence_server.url("/loop"), CheckerConfig(allow=("127.0.0.1",), delay=0, max_redirects=3))
    assert result.error == "too_many_redirects"
    assert len(result.redirects) == 3
    chain = fetch(evidence_server.url("/r/1"), CheckerConfig(allow=("127.0.0.1",), delay=0, max_redirects=2))
    assert chain.error == "too_many_redirects"


def test_a_meta_refresh_is_followed(evidence_server):
    result = fetch(evidence_server.url("/meta-refresh"))
    assert result.ok and result.final_url == evidence_server.url("/th/utf8")
    assert [h.kind for h in result.redirects] == ["meta-refresh"]


def test_a_redirect_to_a_loopback_address_not_allow_listed_is_refused(evidence_server, evidence_server_2):
    before = len(evidence_server_2.requests)
    result = fetch(evidence_server.url(f"/to-private?port={evidence_server_2.port}"))
    assert result.error == "refused_address"
    assert result.final_url == evidence_server_2.url("/th/utf8")
    assert result.address == "127.0.0.2"
    assert len(evidence_server_2.requests) == before
    # The same redirect is followed once 127.0.0.2 is allowed too: the refusal came from the rule.
    allowed = fetch(evidence_server.url(f"/to-private?port={evidence_server_2.port}"),
                    CheckerConfig(allow=("127.0.0.1", "127.0.0.2"), delay=0))
    assert allowed.ok and allowed.address == "127.0.0.2"
    assert len(evidence_server_2.requests) == before + 1


def test_a_redirect_to_another_scheme_or_to_credentials_is_refused(evidence_server):
    ftp = fetch(evidence_server.url("/to-ftp"))
    assert ftp.error == "bad_url" and ftp.error_reason == "scheme"
    before = len(evidence_server.hits("/o6"))
    creds = fetch(evidence_server.url("/to-userinfo"))
    assert creds.error == "bad_url" and creds.error_reason == "userinfo"
    assert "secret" not in (creds.final_url or "")
    assert len(evidence_server.hits("/o6")) == before


# --- DNS: the connection goes to the vetted address ----------------------------------------------------


def fake_dns(*answers):
    """A getaddrinfo that gives the next answer on each call (the last one again after that)."""
    calls = []

    async def getaddrinfo(host, port, **kwargs):
        answer = answers[min(len(calls), len(answers) - 1)]
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (addr, port)) for addr in answer]

    return getaddrinfo, calls


def test_dns_rebinding_cannot_redirect_the_connection(evidence_server, evidence_server_2):
    """The name first resolves to an allowed address, then to one that is not. The first fetch connects to
    the vetted address (the connector asks no DNS of its own: one lookup per fetch); the second fetch, after
    the vetted answer's time is up, sees the new answer at its vetting and is refused before any
    connection."""
    getaddrinfo, calls = fake_dns(["127.0.0.1"], ["127.0.0.2"])
    clock = FakeClock()
    before = len(evidence_server_2.requests)
    url = f"http://evidence.test:{evidence_server.port}/th/utf8"

    async def run():
        async with Fetcher(ALLOW, getaddrinfo=getaddrinfo, clock=clock) as fetcher:
            first = await fetcher.fetch(url)
            clock.now += VET_CACHE_SECONDS + 1
            return first, await fetcher.fetch(url + "?again")

    first, second = asyncio.run(run())
    assert first.ok and first.address == "127.0.0.1"
    assert second.error == "refused_address" and second.address == "127.0.0.2"
    assert calls == ["evidence.test", "evidence.test"]
    assert len(evidence_server_2.requests) == before


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_vetted_answer_is_remembered_and_never_replaced_by_an_unvetted_one(evidence_server, evidence_server_2):
    """An agency's URLs cost one DNS lookup: the vetted answer is remembered for the TTL. Meanwhile the DNS
    answer changes to a refused address (rebinding): the fetches within the TTL still go to the vetted
    address only, and the first fetch after the TTL vets the new answer and is refused before connecting."""
    getaddrinfo, calls = fake_dns(["127.0.0.1"], ["127.0.0.2"])
    clock = FakeClock()
    before = len(evidence_server_2.requests)
    url = f"http://evidence.test:{evidence_server.port}/th/utf8"

    async def run():
        async with Fetcher(ALLOW, getaddrinfo=getaddrinfo, dns_ttl=60, clock=clock) as fetcher:
            within = [await fetcher.fetch(f"{url}?n={n}") for n in range(3)]
            clock.now += 61
            after = await fetcher.fetch(url + "?late")
            return within, after, fetcher.resolver.lookups

    within, after, lookups = asyncio.run(run())
    assert all(r.ok and r.address == "127.0.0.1" for r in within)
    assert calls == ["evidence.test", "evidence.test"] and lookups == 2  # one lookup for three fetches, then one
    assert after.error == "refused_address" and after.address == "127.0.0.2"
    assert len(evidence_server_2.requests) == before


def test_a_refused_or_failed_answer_is_not_remembered(evidence_server):
    """Only vetted addresses are remembered: after a refusal the next fetch asks the DNS again."""
    getaddrinfo, calls = fake_dns(["127.0.0.2"], ["127.0.0.1"])
    url = f"http://evidence.test:{evidence_server.port}/th/utf8"
    first, second = fetch_twice([url, url + "?again"], getaddrinfo=getaddrinfo)
    assert first.error == "refused_address"
    assert second.ok and second.address == "127.0.0.1"
    assert calls == ["evidence.test", "evidence.test"]


def test_the_connector_uses_only_vetted_addresses(evidence_server):
    """Asked directly (as aiohttp's connector does), the resolver answers from the vetted addresses,
    and vets again when it has none: it never hands out an address that was not vetted."""
    from itadesk.evidence.checker.fetch import AddressRefused, VettedResolver

    getaddrinfo, calls = fake_dns(["127.0.0.1"], ["127.0.0.2"])
    resolver = VettedResolver(ALLOW, getaddrinfo=getaddrinfo)

    async def run():
        await resolver.vet("evidence.test", 80)
        answer = await resolver.resolve("evidence.test", 80, socket.AF_UNSPEC)
        with pytest.raises(AddressRefused):
            await resolver.resolve("other.test", 80, socket.AF_UNSPEC)  # not vetted yet: vetted now, refused
        return answer

    answer = asyncio.run(run())
    assert [a["host"] for a in answer] == ["127.0.0.1"]
    assert calls == ["evidence.test", "other.test"]


def test_a_name_that_resolves_to_a_refused_address_is_not_connected(evidence_server_2):
    getaddrinfo, _calls = fake_dns(["127.0.0.2"])
    before = len(evidence_server_2.requests)
    result = fetch(f"http://evil.test:{evidence_server_2.port}/th/utf8", getaddrinfo=getaddrinfo)
    assert result.error == "refused_address" and result.address == "127.0.0.2"
    assert len(evidence_server_2.requests) == before


def test_only_the_allowed_addresses_of_a_name_are_used(evidence_server, evidence_server_2):
    getaddrinfo, _calls = fake_dns(["127.0.0.2", "127.0.0.1"])
    before = len(evidence_server_2.requests)
    result = fetch(f"http://mixed.test:{evidence_server.port}/th/utf8", getaddrinfo=getaddrinfo)
    assert result.ok and result.address == "127.0.0.1"
    assert len(evidence_server_2.requests) == before


def test_an_unknown_name_is_unreachable():
    async def nxdomain(host, port, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    result = fetch("http://no-such-host.invalid/", getaddrinfo=nxdomain)
    assert result.error == "unreachable" and result.error_reason == "dns"


def test_host_map_addresses_are_vetted_too(evidence_server):
    mapped = CheckerConfig(allow=("127.0.0.1",), delay=0, host_map={"www.agency.test": "127.0.0.1"})
    assert fetch(f"http://www.agency.test:{evidence_server.port}/th/utf8", mapped).ok
    unlisted = CheckerConfig(delay=0, host_map={"www.agency.test": "127.0.0.1"})
    assert fetch(f"http://www.agency.test:{evidence_server.port}/th/utf8", unlisted).error == "refused_address"


# --- limits -------------------------------------------------------------------------------------------


def test_http_errors(evidence_server):
    missing = fetch(evidence_server.url("/missing"))
    assert missing.error == "http_error" and missing.status == 404 and b"404" in missing.body
    assert fetch(evidence_server.url("/error")).status == 500
    assert fetch(evidence_server.url("/forbidden")).error == "http_error"


def test_a_slow_server_times_out(evidence_server):
    started = time.monotonic()
    result = fetch(evidence_server.url("/slow?s=5"), CheckerConfig(allow=("127.0.0.1",), delay=0, timeout=0.5))
    assert result.error == "timeout"
    assert time.monotonic() - started < 3


def test_a_huge_response_is_cut_at_max_bytes(evidence_server):
    limit = 64 * 1024
    started = time.monotonic()
    result = fetch(evidence_server.url("/huge"), CheckerConfig(allow=("127.0.0.1",), delay=0, max_bytes=limit))
    assert result.error == "too_large" and result.truncated
    assert result.status == 200 and len(result.body) == limit
    assert result.has_content  # the first bytes are still checked
    assert "แผนการดำเนินงาน".encode() in result.body
    assert time.monotonic() - started < 3


def test_a_response_of_exactly_max_bytes_is_not_too_large(evidence_server):
    size = len(fetch(evidence_server.url("/o6")).body)
    exact = fetch(evidence_server.url("/o6"), CheckerConfig(allow=("127.0.0.1",), delay=0, max_bytes=size))
    assert exact.ok and not exact.truncated


def test_cookies_are_never_sent_back(evidence_server):
    first, second = fetch_twice([evidence_server.url("/cookie"), evidence_server.url("/echo")])
    assert first.ok and first.final_url == evidence_server.url("/echo")
    cookie_hit = evidence_server.hits("/cookie")[-1]
    echoes = evidence_server.hits("/echo")[-2:]
    assert all("Cookie" not in hit.headers for hit in [cookie_hit, *echoes])
    assert second.ok


# --- politeness and many URLs ------------------------------------------------------------------------


def test_per_host_concurrency_is_limited(evidence_server):
    evidence_server.max_in_flight = 0
    config = CheckerConfig(allow=("127.0.0.1",), per_host=2, delay=0)
    results = asyncio.run(fetch_many([evidence_server.url(f"/busy/{i}") for i in range(6)], config))
    assert all(r.ok for r in results)
    assert evidence_server.max_in_flight == 2


def test_politeness_delay_between_requests_to_one_host(evidence_server):
    config = CheckerConfig(allow=("127.0.0.1",), per_host=2, delay=0.3)
    urls = [evidence_server.url(f"/tick/{i}?delay-test") for i in range(3)]
    started = time.monotonic()
    asyncio.run(fetch_many(urls, config))
    assert time.monotonic() - started >= 0.6  # starts at 0, 0.3 and 0.6 s although 2 may run at once
    times = sorted(hit.time for hit in evidence_server.requests if hit.path.endswith("?delay-test"))
    assert len(times) == 3
    assert all(b - a >= 0.2 for a, b in zip(times, times[1:], strict=False))  # arrival times jitter


def test_fetch_many_keeps_order_and_reports_progress(evidence_server):
    urls = [evidence_server.url(p) for p in ("/o6", "/missing", "/th/utf8", "/r/1")]
    seen = []
    results = asyncio.run(fetch_many(urls, ALLOW, progress=lambda done, total, r: seen.append((done, total))))
    assert [r.url for r in results] == urls
    assert [r.status for r in results] == [200, 404, 200, 200]
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_iter_fetch_streams_a_generator(evidence_server):
    async def run():
        got = []
        async for index, result in iter_fetch((evidence_server.url(f"/tick/{i}") for i in range(10)), ALLOW,
                                              concurrency=3):
            got.append((index, result.status))
        return got

    got = asyncio.run(run())
    assert sorted(got) == [(i, 200) for i in range(10)]


def test_config_from_settings(settings):
    settings.ITADESK_CRAWLER_ALLOW = ["127.0.0.1", "intranet.example"]
    settings.ITADESK_CRAWLER_PER_HOST = 3
    settings.ITADESK_CRAWLER_DELAY = 1.5
    settings.ITADESK_CRAWLER_TIMEOUT = 7
    settings.ITADESK_CRAWLER_MAX_BYTES = 1000
    settings.ITADESK_CRAWLER_MAX_REDIRECTS = 4
    config = CheckerConfig.from_settings(delay=0)
    assert config.allow == ("127.0.0.1", "intranet.example")
    assert (config.per_host, config.delay, config.timeout, config.max_bytes, config.max_redirects) == (3, 0, 7, 1000, 4)
    assert config.host_allowed("INTRANET.example.") and not config.host_allowed("example")
    assert config.address_allowed(ipaddress.ip_address("127.0.0.1"))
    assert config.user_agent.startswith("ITA-Desk/")
    assert config.with_allow("10.1.0.0/16").address_allowed(ipaddress.ip_address("10.1.2.3"))
    with pytest.raises(ValueError):
        CheckerConfig(per_host=0)
