"""Fetch evidence URLs safely and politely (asyncio + aiohttp). No Django.

    async with Fetcher(config) as fetcher:
        result = await fetcher.fetch("https://www.loei.go.th/ita/o1")

    results = await fetch_many(urls, config, progress=lambda done, total, result: ...)

Safety (what a crawler run on a server inside a government network must never do):

* only ``http``/``https`` URLs, without user name or password in them;
* before connecting, the host is resolved (``getaddrinfo``) and every private, loopback, link-local,
  multicast, reserved, unspecified or otherwise non-global address (IPv4 and IPv6, IPv4-mapped IPv6
  included) is refused unless ``CheckerConfig.allow`` lists it; the same after every redirect;
* the connection goes to an address that was vetted: aiohttp's connector gets :class:`VettedResolver`,
  which hands out only vetted addresses (resolving again and vetting again if it has none), so a DNS
  answer that changes between the check and the connection (DNS rebinding) cannot reach an inner host;
* redirects are followed by hand, each hop vetted, up to ``max_redirects``;
* no cookies (``aiohttp.DummyCookieJar``: a cookie set by a site is never sent back), no
  ``Authorization`` header, no proxy settings from the environment (``trust_env=False``);
* at most ``max_bytes`` are read (the rest of the response is not downloaded);
* a User-Agent that names the product.

Politeness: at most ``per_host`` requests at a time to one host (host and port) and ``delay`` seconds
between the starts of two requests to it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import heapq
import ipaddress
import re
import socket
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from .config import CheckerConfig, IPAddress, normalise_host

__all__ = [
    "ERROR_CODES", "AddressRefused", "BadURL", "FetchResult", "Fetcher", "Hop", "VettedResolver",
    "address_problem", "fetch_many", "iter_fetch", "map_by_host", "map_unordered", "parse_url", "redact_url",
    "url_host_key",
]

ERROR_CODES = ("bad_url", "refused_address", "unreachable", "timeout", "not_checked", "too_many_redirects",
               "too_large", "http_error")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ERROR_BODY_BYTES = 256 * 1024  # of a 4xx/5xx page: enough to show, not worth more
CHUNK = 64 * 1024
VET_CACHE_SECONDS = 120.0  # a host's URLs are fetched close together (map_by_host)
META_REFRESH_SCAN = 8192
META_REFRESH_MAX_DELAY = 10  # seconds; a longer refresh is a page in its own right

ProgressCallback = Callable[[int, int | None, Any], None]


# --- URLs and addresses ----------------------------------------------------------------------------


class BadURL(ValueError):
    """A URL the checker will not fetch; ``reason`` is one of "scheme", "no_host", "userinfo",
    "malformed"."""

    def __init__(self, url: str, reason: str, message: str):
        super().__init__(message)
        self.url = url
        self.reason = reason


class AddressRefused(OSError):
    """Every address of the host is private/loopback/… and not allow-listed. ``refused`` lists
    ``(address, problem)`` pairs. An OSError, so that aiohttp reports it as a connection error if it
    is raised inside the connector (the fallback path of :class:`VettedResolver`)."""

    def __init__(self, host: str, refused: list[tuple[str, str]]):
        super().__init__(f"{host} resolves only to refused addresses: "
                         + ", ".join(f"{a} ({p})" for a, p in refused))
        self.host = host
        self.refused = refused


def parse_url(url: str) -> URL:
    """The URL as yarl parses it, or :class:`BadURL`. Accepts http and https with a host and no
    user name or password; a fragment is kept (it is never sent)."""
    text = (url or "").strip()
    try:
        parsed = URL(text)
    except (ValueError, TypeError) as exc:
        raise BadURL(text, "malformed", f"malformed URL: {exc}") from exc
    if parsed.scheme.lower() not in ("http", "https"):
        raise BadURL(text, "scheme", f"only http and https URLs are fetched, not {parsed.scheme or 'a relative URL'!r}")
    if parsed.user is not None or parsed.password is not None:
        raise BadURL(text, "userinfo", "URLs with a user name or password are never fetched")
    try:
        host = parsed.raw_host
        port = parsed.port
    except ValueError as exc:
        raise BadURL(text, "malformed", f"malformed URL: {exc}") from exc
    if not host:
        raise BadURL(text, "no_host", "the URL has no host name")
    if port is None or not 0 < port < 65536:
        raise BadURL(text, "malformed", "bad port")
    return parsed


_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*://)[^/?#@]*@")


def redact_url(url: str) -> str:
    """The URL with any ``user:password@`` replaced by ``***@`` (never shown or stored)."""
    return _USERINFO.sub(r"\1***@", url or "")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, NAT64 (64:ff9b::/96), 6to4 or Teredo IPv6 address."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    return None


@lru_cache(maxsize=4096)  # a pure function of the address; ipaddress's is_* properties are slow
def address_problem(ip: IPAddress) -> str | None:
    """Why the checker must not connect to ``ip`` ("loopback", "private", "link_local", "multicast",
    "reserved", "unspecified", "not_global"), or None for a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            problem = address_problem(inner)
            if problem:
                return problem
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "private"
    if not ip.is_global:
        return "not_global"
    return None


@lru_cache(maxsize=4096)
def _as_ip(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def _allowed(config: CheckerConfig, ip: IPAddress) -> bool:
    if config.address_allowed(ip):
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return config.address_allowed(ip.ipv4_mapped)
    return False


GetAddrInfo = Callable[..., Awaitable[list]]


class VettedResolver(AbstractResolver):
    """Resolves a host and keeps only the addresses the checker may connect to.

    :meth:`vet` is called by the fetcher before each hop (to report a refusal clearly); the connector
    then calls :meth:`resolve`, which answers from the vetted addresses of that host or resolves and vets
    again: the connector never sees an address that was not vetted. A host's vetted addresses are
    remembered for ``ttl`` seconds (default ``VET_CACHE_SECONDS``), so an agency's 26 URLs cost one DNS
    lookup, not 26; only addresses that passed vetting are remembered (a refusal or a failed lookup is asked
    again next time), and within the ``ttl`` a new DNS answer cannot move the connection anywhere else:
    the remembered addresses are the only ones used. IP literals do not reach a resolver in aiohttp; the
    fetcher vets them itself.
    """

    def __init__(self, config: CheckerConfig, *, getaddrinfo: GetAddrInfo | None = None,
                 ttl: float = VET_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic):
        if ttl <= 0:
            raise ValueError("ttl must be > 0: the connector is handed the answer the fetcher just vetted")
        self.config = config
        self._getaddrinfo = getaddrinfo
        self._vetted: dict[tuple[str, int], tuple[float, list[IPAddress]]] = {}
        self.ttl = ttl
        self._clock = clock
        self._swept = clock()
        self.lookups = 0  # getaddrinfo calls made (tests)

    async def _lookup(self, host: str, port: int) -> list[IPAddress]:
        mapped = self.config.host_map.get(host)
        if mapped is not None:
            ip = _as_ip(mapped)
            if ip is None:
                raise OSError(f"host_map entry for {host} is not an IP address: {mapped!r}")
            return [ip]
        self.lookups += 1
        lookup = self._getaddrinfo or asyncio.get_running_loop().getaddrinfo
        infos = await lookup(host, port, type=socket.SOCK_STREAM)
        seen: list[IPAddress] = []
        for info in infos:
            ip = _as_ip(str(info[4][0]))
            if ip is not None and ip not in seen:
                seen.append(ip)
        if not seen:
            raise socket.gaierror(socket.EAI_NONAME, f"no address for {host}")
        return seen

    def _remembered(self, key: tuple[str, int]) -> list[IPAddress] | None:
        cached = self._vetted.get(key)
        if cached is None:
            return None
        now = self._clock()
        if cached[0] > now:
            return cached[1]
        del self._vetted[key]
        return None

    def _remember(self, key: tuple[str, int], addresses: list[IPAddress]) -> None:
        now = self._clock()
        if now - self._swept > self.ttl:  # forget expired answers now and then: memory stays flat
            self._vetted = {k: v for k, v in self._vetted.items() if v[0] > now}
            self._swept = now
        self._vetted[key] = (now + self.ttl, addresses)

    async def vet(self, host: str, port: int) -> list[IPAddress]:
        """The addresses of ``host`` that may be connected to, or :class:`AddressRefused`
        (``socket.gaierror`` if the name does not resolve)."""
        key_host = normalise_host(host)
        literal = _as_ip(key_host)
        if literal is None:
            remembered = self._remembered((key_host, port))
            if remembered is not None:
                return remembered
        addresses = [literal] if literal is not None else await self._lookup(key_host, port)
        by_name = literal is None and self.config.host_allowed(key_host)
        kept, refused = [], []
        for ip in addresses:
            problem = address_problem(ip)
            if problem is None or by_name or _allowed(self.config, ip):
                kept.append(ip)
            else:
                refused.append((str(ip), problem))
        if not kept:
            raise AddressRefused(key_host, refused)
        if literal is None:
            self._remember((key_host, port), kept)
        return kept

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[ResolveResult]:
        addresses = await self.vet(host, port)  # the remembered vetted answer, or vetted now
        results: list[ResolveResult] = []
        for ip in addresses:
            fam = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            if family not in (socket.AF_UNSPEC, fam):
                continue
            results.append({"hostname": host, "host": str(ip), "port": port, "family": fam, "proto": 0,
                            "flags": socket.AI_NUMERICHOST | socket.AI_NUMERICSERV})
        if not results:
            raise OSError(f"no vetted address of family {family} for {host}")
        return results

    async def close(self) -> None:
        self._vetted.clear()


# --- results -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    """One redirect followed: the URL that answered, its status, where it sent us and how
    (``"http"``: a 3xx with Location; ``"meta-refresh"``: ``<meta http-equiv="refresh">``)."""

    url: str
    status: int
    location: str
    kind: str = "http"


@dataclass
class FetchResult:
    """What one fetch gave. ``error`` is None for a complete 2xx response, else one of
    :data:`ERROR_CODES`; ``too_large`` still has ``status`` and the first ``max_bytes`` in ``body``
    (``truncated`` is then True). ``error_reason`` refines some errors: for ``bad_url`` "scheme",
    "userinfo", "no_host" or "malformed"; for ``refused_address`` the address problem ("loopback",
    "private", …); for ``unreachable`` "dns", "tls" or "connect". ``address`` is the IP address the
    response came from (or the refused one)."""

    url: str
    final_url: str | None = None
    redirects: tuple[Hop, ...] = ()
    status: int | None = None
    content_type: str | None = None
    last_modified: str | None = None
    content_length: int | None = None
    content_disposition: str | None = None
    body: bytes = b""
    truncated: bool = False
    error: str | None = None
    error_detail: str | None = None
    error_reason: str | None = None
    address: str | None = None
    tls_error: str | None = None
    elapsed: float = 0.0
    fetched_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def has_content(self) -> bool:
        """A 2xx response whose (possibly truncated) body can be checked."""
        return self.error in (None, "too_large") and self.status is not None and 200 <= self.status < 300

    @property
    def mime_type(self) -> str:
        return (self.content_type or "").split(";", 1)[0].strip().lower()

    @property
    def size(self) -> int:
        return len(self.body)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    def to_dict(self) -> dict:
        """JSON-ready, without the body (its size and SHA-256 instead)."""
        return {
            "url": self.url, "final_url": self.final_url,
            "redirects": [{"url": h.url, "status": h.status, "location": h.location, "kind": h.kind}
                          for h in self.redirects],
            "status": self.status, "content_type": self.content_type, "last_modified": self.last_modified,
            "content_length": self.content_length, "size": self.size, "sha256": self.sha256,
            "truncated": self.truncated, "error": self.error, "error_detail": self.error_detail,
            "error_reason": self.error_reason,
            "address": self.address, "tls_error": self.tls_error, "elapsed": round(self.elapsed, 3),
            "fetched_at": self.fetched_at.isoformat(),
        }


# --- politeness -----------------------------------------------------------------------------------


class _HostSlot:
    """At most ``per_host`` requests at once, starts at least ``delay`` seconds apart."""

    def __init__(self, per_host: int, delay: float):
        self.sem = asyncio.Semaphore(per_host)
        self.delay = delay
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def __aenter__(self):
        await self.sem.acquire()
        if self.delay > 0:
            try:
                loop = asyncio.get_running_loop()
                async with self.lock:
                    now = loop.time()
                    start = max(now, self.next_start)
                    self.next_start = start + self.delay
                if start > now:
                    await asyncio.sleep(start - now)
            except BaseException:
                self.sem.release()
                raise
        return self

    async def __aexit__(self, *exc):
        self.sem.release()


_META_REFRESH = re.compile(
    rb"""<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*>""", re.IGNORECASE)
_META_CONTENT = re.compile(rb"""content\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_REFRESH_VALUE = re.compile(rb"""^\s*(\d+)(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?["']?([^"']*)["']?\s*$""",
                            re.IGNORECASE)


def meta_refresh_target(body: bytes) -> str | None:
    """The URL of an immediate ``<meta http-equiv="refresh" content="0; url=…">`` near the top of an
    HTML page (delay up to META_REFRESH_MAX_DELAY seconds), else None."""
    head = body[:META_REFRESH_SCAN]
    tag = _META_REFRESH.search(head)
    if not tag:
        return None
    content = _META_CONTENT.search(tag.group(0))
    if not content:
        return None
    value = _REFRESH_VALUE.match(content.group(2))
    if not value or not value.group(2).strip() or int(value.group(1)) > META_REFRESH_MAX_DELAY:
        return None
    return value.group(2).strip().decode("utf-8", "replace")


# --- the fetcher ------------------------------------------------------------------------------------


class _Redirect(Exception):
    def __init__(self, hop: Hop, target: str):
        self.hop, self.target = hop, target


class Fetcher:
    """One aiohttp session with the safety rules above. Use as an async context manager; ``fetch``
    may be called concurrently (politeness is per host across all calls)."""

    def __init__(self, config: CheckerConfig | None = None, *, getaddrinfo: GetAddrInfo | None = None,
                 dns_ttl: float = VET_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.config = config or CheckerConfig()
        self.resolver = VettedResolver(self.config, getaddrinfo=getaddrinfo, ttl=dns_ttl, clock=clock)
        self._slots: dict[str, _HostSlot] = {}
        self._session: aiohttp.ClientSession | None = None
        self._probe_lock = asyncio.Lock()
        self._probe: tuple[float, bool] | None = None  # (when, the network answered)

    async def __aenter__(self) -> Fetcher:
        connector = aiohttp.TCPConnector(
            resolver=self.resolver, use_dns_cache=False, limit=self.config.max_connections,
            limit_per_host=self.config.per_host, enable_cleanup_closed=True,
        )
        self._session = aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.DummyCookieJar(), trust_env=False,
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.config.timeout),
            headers={
                "User-Agent": self.config.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8",
                "Accept-Language": "th,en;q=0.8",
                # Named, not aiohttp's default: that grows with the packages installed (zstd with backports.zstd,
                # which the tests' load generator has), and the checker must ask the same in every installation.
                "Accept-Encoding": "gzip, deflate",
            },
            auto_decompress=True, raise_for_status=False,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _slot(self, url: URL) -> _HostSlot:
        key = f"{normalise_host(url.raw_host or '')}:{url.port}"
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = _HostSlot(self.config.per_host, self.config.delay)
        return slot

    async def network_ok(self) -> bool:
        """Whether the checker can reach the internet at all: one of ``config.probe_urls`` answers with
        any HTTP status. Asked once per ``config.probe_ttl`` seconds whatever the number of failing URLs
        (concurrent callers wait for the same probe); True when there are no probe URLs."""
        if not self.config.probe_urls:
            return True
        async with self._probe_lock:
            now = time.monotonic()
            if self._probe is not None and now - self._probe[0] < self.config.probe_ttl:
                return self._probe[1]
            answered = False
            for url in self.config.probe_urls:
                result = await self._fetch(url)
                if result.status is not None:
                    answered = True
                    break
            self._probe = (time.monotonic(), answered)
            return answered

    async def fetch(self, url: str) -> FetchResult:
        """Fetch ``url`` (GET), following redirects by hand. Never raises for a network problem:
        the result's ``error`` says what went wrong. When the URL cannot be resolved, reached or
        answered in time and the probe (:meth:`network_ok`) finds the checker itself offline, the error
        is ``not_checked`` (the original error kept in ``error_reason``): the checker's failure, not
        the site's."""
        result = await self._fetch(url)
        if result.error in ("unreachable", "timeout") and not await self.network_ok():
            original = result.error
            result.error_reason = f"{original}:{result.error_reason}" if result.error_reason else original
            result.error = "not_checked"
        return result

    async def _fetch(self, url: str) -> FetchResult:
        if self._session is None:
            raise RuntimeError("use 'async with Fetcher(config) as fetcher:'")
        started = time.monotonic()
        result = FetchResult(url=url)
        hops: list[Hop] = []
        try:
            current = parse_url(url)
        except BadURL as exc:
            result.error_reason = exc.reason
            return self._done(result, started, hops, error="bad_url", detail=str(exc))
        for hop_index in range(self.config.max_redirects + 1):
            result.final_url = str(current)
            try:
                await self.resolver.vet(current.raw_host or "", current.port or 0)
            except AddressRefused as exc:
                if exc.refused:
                    result.address, result.error_reason = exc.refused[0]
                return self._done(result, started, hops, error="refused_address", detail=str(exc))
            except OSError as exc:
                result.error_reason = "dns"
                return self._done(result, started, hops, error="unreachable", detail=f"DNS: {exc}")
            try:
                await self._get(current, result, can_redirect=hop_index < self.config.max_redirects)
            except _Redirect as redirect:
                hops.append(redirect.hop)
                try:
                    current = parse_url(redirect.target)
                except BadURL as exc:
                    result.final_url = redact_url(redirect.target)
                    result.error_reason = exc.reason
                    return self._done(result, started, hops, error="bad_url",
                                      detail=f"redirect to a URL that is not fetched: {exc}")
                continue
            except _FetchError as exc:
                result.error_reason = result.error_reason or exc.reason
                return self._done(result, started, hops, error=exc.code, detail=exc.detail)
            return self._done(result, started, hops)
        return self._done(result, started, hops, error="too_many_redirects",
                          detail=f"more than {self.config.max_redirects} redirects")

    def _done(self, result: FetchResult, started: float, hops: list[Hop], *, error: str | None = None,
              detail: str | None = None) -> FetchResult:
        result.redirects = tuple(hops)
        result.elapsed = time.monotonic() - started
        if error is not None:
            result.error, result.error_detail = error, detail
        elif result.truncated:
            result.error = "too_large"
            result.error_detail = f"more than {self.config.max_bytes} bytes; only the first ones were read"
        elif result.status is not None and result.status >= 400:
            result.error, result.error_detail = "http_error", f"HTTP {result.status}"
        return result

    async def _get(self, url: URL, result: FetchResult, *, can_redirect: bool) -> None:
        """One hop. Fills ``result`` with the response, or raises _Redirect / _FetchError."""
        insecure = False
        while True:
            try:
                async with self._slot(url), asyncio.timeout(self.config.timeout):
                    await self._request(url, result, can_redirect=can_redirect, insecure=insecure)
                return
            except _Redirect:
                raise
            except TimeoutError as exc:
                raise _FetchError("timeout", f"no complete answer within {self.config.timeout:g} s") from exc
            except (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError) as exc:
                if insecure or url.scheme != "https":
                    raise _FetchError("unreachable", f"TLS: {exc}", "tls") from exc
                # A broken certificate chain is common on government sites: report it, and still read
                # the page (we send nothing secret) so that its content can be checked.
                result.tls_error = str(getattr(exc, "certificate_error", None) or exc)
                insecure = True
            except aiohttp.ClientConnectorDNSError as exc:
                cause = exc.__cause__
                if isinstance(cause, AddressRefused):
                    if cause.refused:
                        result.address = cause.refused[0][0]
                    raise _FetchError("refused_address", str(cause),
                                      cause.refused[0][1] if cause.refused else None) from exc
                raise _FetchError("unreachable", f"DNS: {exc}", "dns") from exc
            except aiohttp.InvalidURL as exc:
                raise _FetchError("bad_url", str(exc), "malformed") from exc
            except (aiohttp.ClientError, OSError) as exc:
                raise _FetchError("unreachable", f"{type(exc).__name__}: {exc}", "connect") from exc

    async def _request(self, url: URL, result: FetchResult, *, can_redirect: bool, insecure: bool) -> None:
        assert self._session is not None
        kwargs: dict[str, Any] = {"allow_redirects": False}
        if insecure:
            kwargs["ssl"] = False
        async with self._session.get(url.with_fragment(None), **kwargs) as resp:
            # The connection may already be back in the pool when the whole (small) body came with the
            # headers; its protocol still knows the socket.
            protocol = resp.connection.protocol if resp.connection is not None else getattr(resp, "_protocol", None)
            transport = getattr(protocol, "transport", None)
            peer = transport.get_extra_info("peername") if transport is not None else None
            if peer:
                result.address = str(peer[0])
            result.status = resp.status
            headers = resp.headers
            location = headers.get("Location")
            if resp.status in REDIRECT_STATUSES and location and can_redirect:
                target = str(resp.url.join(URL(location, encoded=False)))
                raise _Redirect(Hop(str(url), resp.status, target), target)
            if resp.status in REDIRECT_STATUSES and location:
                raise _FetchError("too_many_redirects", f"more than {self.config.max_redirects} redirects")
            result.content_type = headers.get("Content-Type")
            result.last_modified = headers.get("Last-Modified")
            result.content_disposition = headers.get("Content-Disposition")
            length = headers.get("Content-Length")
            result.content_length = int(length) if length and length.isdigit() else None
            limit = self.config.max_bytes if resp.status < 400 else min(self.config.max_bytes, ERROR_BODY_BYTES)
            body = bytearray()
            truncated = False
            async for chunk in resp.content.iter_chunked(CHUNK):
                body += chunk
                if len(body) > limit:
                    del body[limit:]
                    truncated = True
                    break
            if truncated:
                resp.close()  # stop downloading: drop the connection rather than drain it
            result.body = bytes(body)
            result.truncated = truncated and resp.status < 400
            if (can_redirect and 200 <= resp.status < 300 and not truncated
                    and "html" in (result.content_type or "text/html").lower()):
                target = meta_refresh_target(result.body)
                if target:
                    absolute = str(resp.url.join(URL(target, encoded=False)))
                    if absolute != str(resp.url):
                        raise _Redirect(Hop(str(url), resp.status, absolute, "meta-refresh"), absolute)


class _FetchError(Exception):
    def __init__(self, code: str, detail: str, reason: str | None = None):
        super().__init__(detail)
        self.code, self.detail, self.reason = code, detail, reason


# --- many URLs -----------------------------------------------------------------------------------

T = TypeVar("T")
R = TypeVar("R")


async def map_unordered(items: Iterable[T], fn: Callable[[T], Awaitable[R]], *, concurrency: int,
                        ) -> AsyncIterator[tuple[int, T, R]]:
    """``(index, item, await fn(item))`` as each finishes, with at most ``concurrency`` running and
    at most ``concurrency`` finished results waiting: memory stays flat however many items there are
    (``items`` may be a generator). Stopping the iteration early cancels the work in flight."""
    iterator = iter(enumerate(items))
    width = max(1, concurrency)
    room = asyncio.Semaphore(width)  # items being worked on + finished results not yet taken
    queue: asyncio.Queue = asyncio.Queue()  # unbounded: ``room`` bounds it, so puts never block
    done_marker = object()

    async def worker():
        try:
            for index, item in iterator:
                await room.acquire()
                value = await fn(item)
                queue.put_nowait((index, item, value))
        finally:
            queue.put_nowait(done_marker)

    workers = [asyncio.create_task(worker()) for _ in range(width)]
    running = len(workers)
    try:
        while running:
            entry = await queue.get()
            if entry is done_marker:
                running -= 1
                continue
            room.release()
            yield entry
        for task in workers:
            task.result()  # re-raise a worker's exception, if any
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)


def url_host_key(url: str) -> str:
    """``host:port`` of a URL as the politeness rules count hosts ("" if it does not parse)."""
    try:
        parsed = URL(url)
        return f"{normalise_host(parsed.raw_host or '')}:{parsed.port}"
    except (ValueError, TypeError):
        return ""


class _HostTurns:
    """What :func:`map_by_host` hands out next: the requests grouped by host, each host at most ``per_host`` at
    a time and ``delay`` seconds between two starts, the ready host that came first in the input first (so a
    host's URLs are done close together: its connection is reused and its DNS answer still cached), never a
    request whose host must still wait. At most ``hosts_ahead`` hosts with requests are read from the input."""

    def __init__(self, items: Iterable, host_of: Callable[[Any], str], *, per_host: int, delay: float,
                 hosts_ahead: int):
        self._input = iter(enumerate(items))
        self._host_of, self._per_host, self._delay = host_of, per_host, delay
        self._ahead = max(1, hosts_ahead)
        self._exhausted = False
        self._pending: dict[str, deque] = {}  # host -> (index, item) not started yet
        self._order: dict[str, int] = {}  # host -> when it was first read (the ready host first read goes first)
        self._busy: dict[str, int] = {}  # host -> requests started and not released
        self._next: dict[str, float] = {}  # host -> earliest next start
        self._ready: list[tuple[int, str]] = []  # heap of (order, host): may start now
        self._later: list[tuple[float, int, str]] = []  # heap of (time, order, host): may start at time
        self._queued: set[str] = set()  # hosts in one of the two heaps
        self._counter = 0
        self._wake: asyncio.Future | None = None

    def _queue(self, host: str) -> None:
        if host in self._queued or host not in self._pending or self._busy.get(host, 0) >= self._per_host:
            return
        self._queued.add(host)
        at = self._next.get(host, 0.0)
        if at <= asyncio.get_running_loop().time():
            heapq.heappush(self._ready, (self._order[host], host))
        else:
            heapq.heappush(self._later, (at, self._order[host], host))

    def _fill(self) -> None:
        while not self._exhausted and len(self._pending) < self._ahead:
            try:
                index, item = next(self._input)
            except StopIteration:
                self._exhausted = True
                return
            host = self._host_of(item)
            queue = self._pending.get(host)
            if queue is None:
                queue = self._pending[host] = deque()
                if host not in self._order:
                    self._order[host] = self._counter
                    self._counter += 1
            queue.append((index, item))
            self._queue(host)

    def release(self, host: str) -> None:
        """A request of ``host`` is over (its fetch at least): the host may have its next one."""
        busy = self._busy.get(host, 0) - 1
        if busy > 0:
            self._busy[host] = busy
        else:
            self._busy.pop(host, None)
            if host not in self._pending:  # done with this host for now (its next start time stays)
                self._order.pop(host, None)
        self._queue(host)
        self._poke()

    def started(self, host: str) -> None:
        """A request of ``host`` handed out by :meth:`take` really starts now: its host's next start waits ``delay``
        from now. A task starts a little after it was handed out, later still on a busy machine, so the delay
        counted from the hand-out alone could put two real starts of a host closer than ``delay``."""
        at = asyncio.get_running_loop().time() + self._delay
        if at > self._next.get(host, 0.0):
            self._next[host] = at

    def _poke(self) -> None:
        if self._wake is not None and not self._wake.done():
            self._wake.set_result(None)

    async def take(self) -> tuple[int, Any, str] | None:
        """The next ``(index, item, host)`` whose host may start now (waiting if none may yet), or None when
        the input is done and every request was handed out."""
        loop = asyncio.get_running_loop()
        while True:
            self._fill()
            now = loop.time()
            while self._later and self._later[0][0] <= now:
                _at, order, host = heapq.heappop(self._later)
                at = self._next.get(host, 0.0)
                if at > now:  # its last request started later than it was handed out: wait from that start
                    heapq.heappush(self._later, (at, order, host))
                    continue
                heapq.heappush(self._ready, (order, host))
            if self._ready:
                _order, host = heapq.heappop(self._ready)
                self._queued.discard(host)
                queue = self._pending[host]
                index, item = queue.popleft()
                if not queue:
                    del self._pending[host]
                self._busy[host] = self._busy.get(host, 0) + 1
                self._next[host] = now + self._delay
                self._queue(host)  # per_host > 1: its next one may wait for the delay only
                return index, item, host
            if self._exhausted and not self._pending:
                return None
            self._wake = loop.create_future()
            timer = loop.call_at(self._later[0][0], self._poke) if self._later else None
            try:
                await self._wake
            finally:
                self._wake = None
                if timer is not None:
                    timer.cancel()


async def map_by_host(items: Iterable[T], fn: Callable[[T, Callable[[], None]], Awaitable[R]], *,
                      host_of: Callable[[T], str], concurrency: int, per_host: int, delay: float,
                      hosts_ahead: int | None = None) -> AsyncIterator[tuple[int, T, R]]:
    """Like :func:`map_unordered`, with the politeness rules applied *before* an item takes one of the
    ``concurrency`` places: an item is started only when its host (``host_of(item)``) has fewer than
    ``per_host`` items started and not released and its last start was ``delay`` seconds ago. ``fn(item,
    release)`` may call ``release()`` once it no longer needs the host (after the fetch, before slow work
    of its own); otherwise the host is released when ``fn`` returns. So the places never wait for a busy
    host while other hosts could be fetched, whatever the order of ``items`` (a job lists an agency's 26 URLs
    one after another). Items of up to ``hosts_ahead`` (default 2 × concurrency) hosts are read ahead."""
    width = max(1, concurrency)
    turns = _HostTurns(items, host_of, per_host=per_host, delay=delay, hosts_ahead=hosts_ahead or 2 * width)
    room = asyncio.Semaphore(width)  # items started + finished results not yet taken
    results: asyncio.Queue = asyncio.Queue()
    running: set[asyncio.Task] = set()
    end = object()
    started = received = 0

    async def one(index: int, item: T, host: str) -> None:
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                turns.release(host)

        turns.started(host)
        try:
            value = await fn(item, release)
        except Exception as exc:  # handed to the caller, who stops the run
            results.put_nowait((None, exc))
            return
        finally:
            release()
        results.put_nowait((index, (item, value)))

    async def dispatch() -> None:
        nonlocal started
        try:
            while True:
                await room.acquire()
                entry = await turns.take()
                if entry is None:
                    room.release()
                    return
                started += 1  # each started item puts exactly one entry in ``results``
                task = asyncio.create_task(one(*entry))
                running.add(task)
                task.add_done_callback(running.discard)
        finally:
            results.put_nowait((end, None))

    dispatcher = asyncio.create_task(dispatch())
    try:
        started_all = False
        while not started_all or received < started:
            index, payload = await results.get()
            if index is end:
                started_all = True
                dispatcher.result()  # re-raise its exception, if any
                continue
            received += 1
            if index is None:
                raise payload
            room.release()
            yield index, payload[0], payload[1]
    finally:
        dispatcher.cancel()
        for task in list(running):
            task.cancel()
        await asyncio.gather(dispatcher, *running, return_exceptions=True)


async def iter_fetch(urls: Iterable[str], config: CheckerConfig, *, progress: ProgressCallback | None = None,
                     concurrency: int | None = None, fetcher: Fetcher | None = None,
                     ) -> AsyncIterator[tuple[int, FetchResult]]:
    """Fetch many URLs, yielding ``(index, result)`` as they finish (not in input order), the hosts taking
    turns (:func:`map_by_host`). ``progress(done, total, result)`` is called after each one (``total`` is None
    for a generator)."""
    total = len(urls) if hasattr(urls, "__len__") else None  # type: ignore[arg-type]
    owned = fetcher is None
    active = fetcher or Fetcher(config)
    if owned:
        await active.__aenter__()

    def fetch(url: str, _release) -> Awaitable[FetchResult]:
        return active.fetch(url)

    try:
        done = 0
        async for index, _url, result in map_by_host(
                urls, fetch, host_of=url_host_key, concurrency=concurrency or config.max_connections,
                per_host=active.config.per_host, delay=active.config.delay):
            done += 1
            if progress is not None:
                progress(done, total, result)
            yield index, result
    finally:
        if owned:
            await active.__aexit__(None, None, None)


async def fetch_many(urls: Iterable[str], config: CheckerConfig, *, progress: ProgressCallback | None = None,
                     concurrency: int | None = None) -> list[FetchResult]:
    """Fetch many URLs; the results in the order of ``urls``. For very many URLs use
    :func:`iter_fetch`, which does not keep them all."""
    url_list = list(urls)
    results: list[FetchResult | None] = [None] * len(url_list)
    async for index, result in iter_fetch(url_list, config, progress=progress, concurrency=concurrency):
        results[index] = result
    return results  # type: ignore[return-value]
