"""Settings of the evidence checker, as one immutable value. No Django here except inside
:meth:`CheckerConfig.from_settings`."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

PDF_ENGINES = ("pdfium", "pdftotext")
IN_PROCESS_BELOW = 20  # runs of fewer URLs check in the event loop's process (see CheckerConfig.pool_size)


@lru_cache(maxsize=1)  # importlib.metadata reads and parses the package's metadata file: ~10 ms a call
def product_version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("itadesk")
    except (ImportError, PackageNotFoundError):
        return "0"


def default_user_agent(contact: str | None = None) -> str:
    """``ITA-Desk/0.1.0 (OIT evidence checker; +https://…)``: names the product and what it does, so a
    site's administrator can tell our requests apart (and, with ``contact``, reach whoever runs it)."""
    details = "ITA Desk OIT evidence checker"
    if contact:
        details += f"; +{contact}"
    return f"ITA-Desk/{product_version()} ({details})"


@lru_cache(maxsize=4096)  # every fetch and finding asks; IDNA encoding is not free
def normalise_host(host: str) -> str:
    """Lower case, no trailing dot, IDNA (``ไทย.ไทย`` -> ``xn--…``); IPv6 without brackets."""
    host = host.strip().strip("[]").rstrip(".").lower()
    if not host:
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


@dataclass(frozen=True)
class CheckerConfig:
    """How the checker fetches. The defaults are the production ones (settings.py may override them).

    ``allow``: host names, IP addresses or networks (CIDR) that may be fetched although they are
    private, loopback, link-local, … (tests allow ``127.0.0.1``); public addresses need no entry.
    ``per_host``: concurrent requests to one host (host and port); ``delay``: seconds between the starts
    of two requests to one host; ``timeout``: seconds for one request (each redirect hop: connect,
    headers and body); ``max_bytes``: bytes read from a response (the rest is not downloaded; the
    first ``max_bytes`` are still checked); ``max_redirects``: redirects followed (HTTP and
    ``<meta http-equiv=refresh>``); ``max_connections``: open connections in all; ``pdf_timeout``
    and ``pdf_max_pages``: limits of reading one PDF; ``pdf_engine``: "pdfium" (in-process, pypdfium2; the
    default) or "pdftotext" (poppler's ``pdftotext -layout`` in a subprocess, the reference the pdfium
    reading is tested against); ``verify_tls``: check HTTPS certificates
    (a failure is reported, then the page is read anyway to check its content);
    ``host_map``: fixed addresses for host names, like ``curl --resolve`` (tests and the benchmark; the
    addresses are vetted like any other). Cookies and credentials are never sent, whatever the config.
    ``workers``: processes that extract text and run the rules for :func:`~.run.iter_check` (CPU work
    that would otherwise stall the event loop); None (default) = one per CPU (none for a run of fewer
    than IN_PROCESS_BELOW URLs, see :meth:`pool_size`), 0 = in the event loop's own process (no pool).
    ``probe_urls``: well-known pages fetched when a URL cannot be resolved or reached: if none of them
    answers either, the checker itself is cut off (no internet, resolver down) and the URL is reported
    ``not_checked`` instead of being blamed on the agency; ``()`` = no probe (every failure is the
    site's). ``probe_ttl``: seconds a probe's answer is trusted. Production: ``ITADESK_CRAWLER_PROBE_URLS``.
    """

    allow: tuple[str, ...] = ()
    per_host: int = 2
    delay: float = 0.5
    timeout: float = 20.0
    max_bytes: int = 25 * 1024 * 1024
    max_redirects: int = 5
    max_connections: int = 100
    user_agent: str = field(default_factory=default_user_agent)
    pdf_timeout: float = 30.0
    pdf_max_pages: int = 300
    pdf_engine: str = "pdfium"
    max_text_chars: int = 2_000_000
    verify_tls: bool = True
    host_map: Mapping[str, str] = field(default_factory=dict)
    workers: int | None = None
    probe_urls: tuple[str, ...] = ()
    probe_ttl: float = 60.0

    def __post_init__(self):
        if self.workers is not None and self.workers < 0:
            raise ValueError("workers must be >= 0 (0: no process pool) or None (one per CPU)")
        if self.pdf_engine not in PDF_ENGINES:
            raise ValueError(f"pdf_engine must be one of {', '.join(PDF_ENGINES)}")
        if self.per_host < 1:
            raise ValueError("per_host must be at least 1")
        if self.delay < 0 or self.timeout <= 0 or self.pdf_timeout <= 0:
            raise ValueError("delay must be >= 0 and timeouts > 0")
        if self.max_bytes < 1 or self.max_redirects < 0 or self.max_connections < 1:
            raise ValueError("max_bytes and max_connections must be >= 1, max_redirects >= 0")
        object.__setattr__(self, "allow", tuple(str(a).strip() for a in self.allow if str(a).strip()))
        object.__setattr__(self, "probe_urls", tuple(str(u).strip() for u in self.probe_urls if str(u).strip()))
        object.__setattr__(self, "host_map", {normalise_host(k): str(v) for k, v in dict(self.host_map).items()})
        # Fail early on a malformed entry rather than at the first fetch.
        _ = self.allowed_networks

    # --- allow-list ---------------------------------------------------------------------------------

    @cached_property
    def allowed_networks(self) -> tuple[IPNetwork, ...]:
        nets = []
        for entry in self.allow:
            try:
                nets.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                continue  # a host name
        return tuple(nets)

    @cached_property
    def allowed_hosts(self) -> frozenset[str]:
        names = set()
        for entry in self.allow:
            try:
                ipaddress.ip_network(entry.strip("[]"), strict=False)
            except ValueError:
                names.add(normalise_host(entry))
        return frozenset(names)

    @property
    def worker_count(self) -> int:
        """Processes of the extraction pool (0: none)."""
        if self.workers is None:
            return os.cpu_count() or 1
        return self.workers

    def pool_size(self, total: int | None) -> int:
        """Processes of the extraction pool for a run of ``total`` URLs (None: not known). ``workers``
        when set; else none below IN_PROCESS_BELOW URLs (starting spawned workers costs about a second,
        more than checking a few pages in the event loop's process), and at most one per CPU and one
        per URL."""
        if self.workers is not None:
            return self.workers
        if total is not None and total < IN_PROCESS_BELOW:
            return 0
        return min(self.worker_count, total) if total is not None else self.worker_count

    def host_allowed(self, host: str) -> bool:
        """The host name itself is on the allow-list (then all its addresses may be fetched)."""
        return normalise_host(host) in self.allowed_hosts

    def address_allowed(self, address: IPAddress) -> bool:
        return any(address.version == net.version and address in net for net in self.allowed_networks)

    # --- construction -------------------------------------------------------------------------------

    def with_allow(self, *entries: str) -> CheckerConfig:
        """The same config with more allow-list entries (``itadesk oit check --allow HOST``)."""
        return replace(self, allow=(*self.allow, *entries))

    @classmethod
    def from_settings(cls, **overrides) -> CheckerConfig:
        """The config from Django settings (``ITADESK_CRAWLER_*``); keyword arguments win."""
        from django.conf import settings

        values = {
            "allow": tuple(getattr(settings, "ITADESK_CRAWLER_ALLOW", ()) or ()),
            "per_host": getattr(settings, "ITADESK_CRAWLER_PER_HOST", cls.per_host),
            "delay": getattr(settings, "ITADESK_CRAWLER_DELAY", cls.delay),
            "timeout": getattr(settings, "ITADESK_CRAWLER_TIMEOUT", cls.timeout),
            "max_bytes": getattr(settings, "ITADESK_CRAWLER_MAX_BYTES", cls.max_bytes),
            "max_redirects": getattr(settings, "ITADESK_CRAWLER_MAX_REDIRECTS", cls.max_redirects),
            "user_agent": default_user_agent(getattr(settings, "ITADESK_CRAWLER_CONTACT", None)),
            "workers": getattr(settings, "ITADESK_CRAWLER_WORKERS", cls.workers),
            "probe_urls": tuple(getattr(settings, "ITADESK_CRAWLER_PROBE_URLS", ()) or ()),
        }
        values.update(overrides)
        return cls(**values)


def parse_allow(entries: Iterable[str]) -> tuple[str, ...]:
    """Split comma-separated entries (``--allow 127.0.0.1,intranet.example``) and drop blanks."""
    out: list[str] = []
    for entry in entries:
        out += [part.strip() for part in str(entry).split(",") if part.strip()]
    return tuple(out)
