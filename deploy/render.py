#!/usr/bin/env python3
"""Generate ITA Desk's production files from one source (``deploy/templates/``): the systemd units, the
Caddyfile, the logrotate rule, the settings file, the ``itadesk`` command wrapper and the sudoers rule.

``deploy/install.sh`` writes them onto a Debian 12 server; the stack test (tests/deploy/test_stack.py)
renders the same templates for loopback ports and runs the commands of their ``ExecStart=`` lines, so
what is tested is what is installed. Standard library only: it runs with Debian's python3 before
anything else is installed.

    python3 deploy/render.py --domain ita.example.go.th --out DIR [--cores N] [--email ADDRESS]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# A host name (letters, digits, hyphens, dots; at least one dot) or an IPv4 address; no port, no scheme.
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))+$")

# File name in the output folder -> (template, where install.sh puts it, mode)
FILES = {
    "itadesk-web.service": ("itadesk-web.service", "/etc/systemd/system/itadesk-web.service", "0644"),
    "itadesk-worker.service": ("itadesk-worker.service", "/etc/systemd/system/itadesk-worker.service", "0644"),
    "itadesk-worker@.service": ("itadesk-worker@.service", "/etc/systemd/system/itadesk-worker@.service", "0644"),
    "itadesk.target": ("itadesk.target", "/etc/systemd/system/itadesk.target", "0644"),
    "Caddyfile": ("Caddyfile", "/etc/caddy/Caddyfile", "0644"),
    "logrotate": ("logrotate", "/etc/logrotate.d/itadesk", "0644"),
    "itadesk.env": ("itadesk.env", "/etc/itadesk/itadesk.env", "0640"),
    "itadesk": ("itadesk-command", "/usr/local/bin/itadesk", "0755"),
    "sudoers": ("sudoers", "/etc/sudoers.d/itadesk", "0440"),
}


def sizing(cores: int) -> dict[str, int]:
    """Processes and threads for a machine with this many cores.

    gunicorn: two processes per core (at least two, so that one busy process, e.g. building a large report,
    never holds up every request) with 2 threads each. Threads fill the time a request waits for PostgreSQL,
    but they share one interpreter lock: in one process, a thread that computes a page keeps the others and
    gunicorn's own accepting thread waiting their turn, so with 4 threads in a process on 2 cores the latency
    climbs long before the CPU is used up (deadline-day benchmark, docs/benchmarks.md: ``GET /healthz`` held
    153 requests/s at p95 < 300 ms with 2 processes × 4 threads and 296 with 4 × 2, the deadline-day mix 26
    and 33). A process costs about 115 MB (PSS, the app loaded once by the master with ``--preload``). Huey:
    one worker process per two cores (at least two: one of them also runs the scheduler), 2 threads each; the
    OIT checker starts its own process pool for the CPU-heavy part.
    """
    cores = max(1, cores)
    return {"processes": 2 * cores, "threads": 2, "workers": max(2, cores // 2), "huey_threads": 2}


@dataclass
class Layout:
    """Everything that differs between the server install and the loopback test stack."""

    domain: str
    cores: int = field(default_factory=lambda: os.cpu_count() or 2)
    email: str = ""
    user: str = "itadesk"
    group: str = "itadesk"
    app_dir: str = "/opt/itadesk"
    venv: str = "/opt/itadesk/venv"
    var_dir: str = "/var/lib/itadesk"
    log_dir: str = "/var/log/itadesk"
    backup_dir: str = "/var/backups/itadesk"
    env_file: str = "/etc/itadesk/itadesk.env"
    wrapper: str = "/usr/local/bin/itadesk"
    web_bind: str = "127.0.0.1:8000"
    database_url: str = "postgres:///itadesk"  # the local server over its socket, as the itadesk role
    redis_url: str = "redis://127.0.0.1:6379/0"
    caddy_log: str = "/var/log/caddy/itadesk-access.log"
    # Loopback test stack only: Caddy's own internal CA instead of Let's Encrypt, on these ports.
    https_port: int | None = None
    http_port: int | None = None
    processes: int | None = None
    threads: int | None = None
    workers: int | None = None
    huey_threads: int | None = None

    def __post_init__(self):
        if not DOMAIN.match(self.domain) and not self.internal_tls:
            raise ValueError(f"not a domain name: {self.domain!r} (expected e.g. ita.example.go.th)")
        if self.email and not EMAIL.match(self.email):
            raise ValueError(f"not an e-mail address: {self.email!r}")
        for key, value in sizing(self.cores).items():
            if getattr(self, key) is None:
                setattr(self, key, value)

    @property
    def internal_tls(self) -> bool:
        return self.https_port is not None

    @property
    def site_url(self) -> str:
        return f"https://{self.domain}" + (f":{self.https_port}" if self.https_port else "")

    def values(self) -> dict[str, str]:
        v = {k: str(val) for k, val in asdict(self).items()}
        extra = [f"itadesk-worker@{n}.service" for n in range(2, self.workers + 1)]
        v["app_units"] = " ".join(["itadesk-web.service", "itadesk-worker.service", *extra])
        v["site_url"] = self.site_url
        if self.internal_tls:
            # Nothing leaves the machine: no ACME, no redirect listener on :80, no admin API, and the
            # internal CA's root is not put into the system's trust store.
            options = ["admin off", "local_certs", "skip_install_trust", "auto_https disable_redirects",
                       f"https_port {self.https_port}", f"http_port {self.http_port}"]
            v["site_address"] = self.site_url
            v["tls"] = "\ttls internal"
            v["certificates"] = "Caddy's internal CA (test stack on loopback)"
        else:
            options = [f"email {self.email}"] if self.email else ["# email admin@example.go.th  (for expiry notices)"]
            v["site_address"] = self.domain
            v["tls"] = "\t# Certificates from Let's Encrypt (or ZeroSSL), obtained and renewed automatically."
            v["certificates"] = "automatic certificates (ACME; ports 80 and 443 must be reachable)"
        v["global_options"] = "\n".join(f"\t{o}" for o in options)
        return v


def fill(template: str, values: dict[str, str]) -> str:
    def one(match: re.Match) -> str:
        if match.group(1) not in values:
            raise KeyError(f"template placeholder {{{{{match.group(1)}}}}} has no value")
        return values[match.group(1)]

    return PLACEHOLDER.sub(one, template)


def render(layout: Layout) -> dict[str, str]:
    """Output file name -> text."""
    values = layout.values()
    return {name: fill((TEMPLATES / tpl).read_text(encoding="utf-8"), values) for name, (tpl, _, _) in FILES.items()}


def write(layout: Layout, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render(layout).items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domain", required=True, help="the server's name, e.g. ita.example.go.th")
    parser.add_argument("--out", required=True, type=Path, help="folder to write the files into")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2, help="CPU cores to size for")
    parser.add_argument("--email", default="", help="address for certificate expiry notices (optional)")
    parser.add_argument("--list", action="store_true", help="also print: NAME DESTINATION MODE per file")
    args = parser.parse_args(argv)
    try:
        layout = Layout(domain=args.domain, cores=args.cores, email=args.email)
    except ValueError as exc:
        print(f"render: {exc}", file=sys.stderr)
        return 2
    write(layout, args.out)
    if args.list:
        for name, (_, dest, mode) in FILES.items():
            print(name, dest, mode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
