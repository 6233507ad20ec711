#!/usr/bin/env python
"""OIT evidence checker benchmark: 20,000 evidence URLs over 200 hosts served from 127.0.0.1.

    .venv/bin/python bench/evidence.py [--urls 20000] [--hosts 200] [--small 5000] [--pdf-share 0.3]
                                       [--latency-ms 0] [--concurrency 100] [--per-host 2]

Not a test, and no Django. A server process listens on --hosts ports of 127.0.0.1 (one port = one
"host": the checker's per-host limits key on host and port) and serves a fixed set of Thai evidence
documents — HTML pages (5–40 KB, with a site menu, UTF-8 and TIS-620) and text PDFs (1–4 pages) —
optionally after --latency-ms of simulated network and server time. Each measurement runs in a fresh
worker process, so that its peak memory is its own:

* "baseline": a bare aiohttp loop that downloads every URL (GET, whole body) with the same
  concurrency (--concurrency requests in flight, --per-host per host) and nothing else;
* "ours": ``itadesk.evidence.checker.iter_check`` on the same URLs: vetted resolution, politeness
  (delay 0 here: the benchmark measures throughput, production waits 0.5 s per host), fetch, decoding,
  HTML text or pdftotext, and every rule (fiscal year, elements, …) against the NACC 2568 items; each
  report is counted and dropped (streaming, as the background job stores and forgets them).

Printed: ``name: ours X pages/s, baseline Y pages/s, ratio Z`` and the peak memory of each (the
worker's peak resident set size from getrusage(RUSAGE_SELF).ru_maxrss, which includes the Python
interpreter; the checker's extraction pool workers and pdftotext run in child processes, whose largest
peak is shown apart: the total is about the worker's peak plus one child's peak per pool process), the
CPU time per page of each (worker and its children: pool processes, pdftotext; steadier than the rates
on a shared machine), then ours again on --small URLs to show that memory does not grow with the
number of URLs.
Goals: ours at least 0.5 x the baseline's rate; peak memory under 500 MB at any number of URLs; CPU per
checked page at most 6 ms (worker and children, from start-up to exit).
Exit status 1 if a goal is missed or a page that should pass fails to be fetched.

``--nightly``: the national nightly check, 216,000 URLs (8,317 agencies x 26 OIT items, one host each), from a
sample of ``--hosts`` hosts (default 2,000) x 26 items served with ``--latency-ms`` (default 300) of network
and server time, checked with production politeness (one request at a time per host, the configured delay
between two requests to a host, the default number of connections and pool processes), listed as a job lists
them (agency by agency, item by item; ``iter_check`` schedules the hosts). Printed: the sample's rate and CPU per page, and the national
run's time on one dedicated worker with this machine's cores: the largest of three bounds (the CPU of 216,242
pages at the sample's CPU per page; the requests in flight at the latency; one host's 26 items at the
politeness delay) — an estimate, not a measurement; and the national time at the sample's own rate, with
its ratio to the 1-hour goal (the verdict: on a shared machine it also shows how much CPU the other work
left us); baseline: the same URLs downloaded (no politeness) by the bare aiohttp loop.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

GOAL_RATIO = 0.5
GOAL_MEMORY_MB = 500
GOAL_CPU_MS = 6.0
NATIONAL_AGENCIES = 8317
ITEMS_PER_AGENCY = 26
NATIONAL_URLS = NATIONAL_AGENCIES * ITEMS_PER_AGENCY  # 216,242
GOAL_NIGHTLY_S = 3600
ITEMS_HTML = ("o1", "o6", "o12", "o18", "o20", "o21")
ITEMS_PDF = ("o6", "o7", "o13", "o15", "o23", "o25")


# --- documents ------------------------------------------------------------------------------------


def build_documents(seed: int = 2568) -> tuple[list[tuple[bytes, str]], list[tuple[bytes, str]]]:
    """(HTML documents, PDF documents), each as (body, content type)."""
    import random

    from tests.evidence.servers import O1_BODY, O6_BODY, O6_PDF_LINES, make_pdf

    rng = random.Random(seed)
    menu = "".join(f'<li><a href="/menu/{i}">เมนูข้อมูลสาธารณะ ข้อ {i}</a></li>' for i in range(120))
    paragraphs = [
        "<p>องค์การบริหารส่วนตำบลได้ดำเนินโครงการพัฒนาคุณภาพชีวิตของประชาชนในพื้นที่ ทั้งด้านโครงสร้างพื้นฐาน "
        "การศึกษา สาธารณสุข และสิ่งแวดล้อม ตามแผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)</p>",
        "<p>รายการจัดซื้อจัดจ้าง: จ้างเหมาก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ 3 วงเงิน 495,000 บาท "
        "วิธีเฉพาะเจาะจง สถานะ: ลงนามในสัญญาแล้ว 12 ก.พ. 2568</p>",
        "<p>ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ: เว็บไซต์ แบบฟอร์มออนไลน์ โทรศัพท์ 0 4281 1234 "
        "และตู้รับเรื่องร้องเรียน แยกจากเรื่องร้องเรียนทั่วไป</p>",
        "<p>การเปิดโอกาสให้ประชาชนมีส่วนร่วม: ประชุมประชาคมหมู่บ้าน ผู้เข้าร่วม 312 คน สรุปผลการดำเนินการ "
        "และนำผลไปปรับปรุงแผนงาน</p>",
        "<p>ประกาศเจตนารมณ์ นโยบายไม่รับของขวัญ No Gift Policy จากการปฏิบัติหน้าที่ ประจำปีงบประมาณ พ.ศ. 2568 "
        "กิจกรรมสร้างวัฒนธรรมองค์กร</p>",
    ]
    html_docs = []
    for n in range(24):
        body = [O1_BODY if n % 2 else O6_BODY]
        target = rng.choice((5, 10, 20, 40)) * 1024
        while sum(len(p.encode()) for p in body) < target:
            body.append(rng.choice(paragraphs))
        page = (f'<!doctype html><html lang="th"><head><title>ข้อมูลสาธารณะ {n}</title></head><body>'
                f'<nav class="menu"><ul>{menu}</ul></nav><main>{"".join(body)}</main>'
                '<footer>สงวนลิขสิทธิ์ © 2568 องค์การบริหารส่วนตำบลทดสอบ</footer></body></html>')
        if n % 4 == 3:  # an old site: TIS-620 without any charset
            html_docs.append((page.replace("©", "(c)").replace("–", "-").encode("cp874"), "text/html"))
        else:
            html_docs.append((page.encode(), "text/html; charset=utf-8"))
    pdf_docs = []
    for n in range(12):
        pages = []
        for p in range(1 + n % 4):
            lines = list(O6_PDF_LINES) if p == 0 else []
            while len(lines) < 30:
                lines.append(f"โครงการที่ {len(lines) + 30 * p} งบประมาณ {rng.randint(10, 900) * 1000:,} บาท "
                             f"ผลการดำเนินงาน ร้อยละ {rng.randint(0, 100)}")
            pages.append(lines)
        pdf_docs.append((make_pdf(pages), "application/pdf"))
    return html_docs, pdf_docs


# --- server process ----------------------------------------------------------------------------------


def serve(hosts: int, latency_ms: float) -> None:
    """Listen on ``hosts`` free ports of 127.0.0.1, print them, serve until stdin closes."""
    from aiohttp import web

    html_docs, pdf_docs = build_documents()

    async def handler(request: web.Request) -> web.Response:
        if latency_ms:
            await asyncio.sleep(latency_ms / 1000)
        n = int(request.match_info["n"])
        docs = pdf_docs if request.match_info["ext"] == "pdf" else html_docs
        body, ctype = docs[n % len(docs)]
        return web.Response(body=body, headers={"Content-Type": ctype})

    async def main():
        app = web.Application()
        app.router.add_get(r"/e/{n:\d+}.{ext:(html|pdf)}", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        ports = []
        for _ in range(hosts):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", 0))
            sock.listen(512)
            ports.append(sock.getsockname()[1])
            await web.SockSite(runner, sock, backlog=512).start()
        print("READY " + " ".join(map(str, ports)), flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin
        await runner.cleanup()

    asyncio.run(main())


# --- workers ---------------------------------------------------------------------------------------


def make_urls(n: int, ports: list[int], pdf_share: float) -> list[tuple[str, str]]:
    """(url, item code): host i % len(ports), every 1/pdf_share-th a PDF."""
    out = []
    every = round(1 / pdf_share) if pdf_share > 0 else 0
    for i in range(n):
        port = ports[i % len(ports)]
        is_pdf = every and (i // len(ports)) % every == 0
        ext = "pdf" if is_pdf else "html"
        item = (ITEMS_PDF if is_pdf else ITEMS_HTML)[i % 6]
        out.append((f"http://127.0.0.1:{port}/e/{i}.{ext}", item))
    return out


def nightly_urls(ports: list[int], pdf_share: float) -> list[tuple[str, str]]:
    """(url, item code): every host's 26 items one after the other (a job's order: agency, then item),
    documents of the usual mix (every 1/pdf_share-th item a PDF)."""
    every = round(1 / pdf_share) if pdf_share > 0 else 0
    out = []
    for h, port in enumerate(ports):
        for n in range(ITEMS_PER_AGENCY):
            i = h * ITEMS_PER_AGENCY + n
            is_pdf = every and n % every == 0
            item = (ITEMS_PDF if is_pdf else ITEMS_HTML)[n % 6]
            out.append((f"http://127.0.0.1:{port}/e/{i}.{'pdf' if is_pdf else 'html'}", item))
    return out


def peak_memory() -> dict:
    """Peak resident memory, and the CPU time used, of this process and of its (finished) children: the
    pool processes and, through them, pdftotext."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"peak_rss_mb": round(own.ru_maxrss / 1024, 1),  # KiB on Linux
            "children_peak_rss_mb": round(children.ru_maxrss / 1024, 1),
            "cpu_s": round(own.ru_utime + own.ru_stime, 3),
            "children_cpu_s": round(children.ru_utime + children.ru_stime, 3)}


async def run_baseline(urls: list[tuple[str, str]], concurrency: int, per_host: int) -> dict:
    import aiohttp

    from itadesk.evidence.checker.fetch import map_unordered

    total_bytes = errors = 0
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=per_host)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def get(entry):
            async with session.get(entry[0]) as resp:
                return resp.status, len(await resp.read())

        start = time.perf_counter()
        async for _i, _entry, (status, size) in map_unordered(urls, get, concurrency=concurrency):
            total_bytes += size
            errors += status != 200
        elapsed = time.perf_counter() - start
    return {"pages": len(urls), "elapsed": elapsed, "bytes": total_bytes, "errors": errors}


async def run_ours(urls: list[tuple[str, str]], concurrency: int, per_host: int, *,
                   delay: float = 0.0) -> dict:
    from itadesk.evidence.checker import CheckerConfig, CheckRequest, iter_check
    from itadesk.methodology import schema

    fw = schema.load_file(schema.FRAMEWORKS_DIR / "nacc-ita-2568.yaml")
    items = {code: schema.find_item(fw, code).item for code in set(ITEMS_HTML + ITEMS_PDF)}
    config = CheckerConfig(allow=("127.0.0.1",), per_host=per_host, delay=delay, timeout=60.0,
                           max_connections=concurrency)
    if config.pool_size(len(urls)) == 0:  # the rules run here: load the dictionary before the clock starts
        from itadesk.evidence.checker.rules import _tokenizer

        _tokenizer()("โหลดพจนานุกรม", engine="newmm")
    requests = (CheckRequest(url, items[code], "127.0.0.1", fw["fiscal_year"], key=url) for url, code in urls)
    findings: Counter = Counter()
    errors = total_bytes = 0
    fetching = 0.0
    start = time.perf_counter()
    async for report in iter_check(requests, config, concurrency=concurrency):
        total_bytes += report.fetch.size
        fetching += report.fetch.elapsed
        errors += report.fetch.error is not None
        for f in report.findings:
            findings[(f.code, f.passed)] += 1
    elapsed = time.perf_counter() - start
    return {"pages": len(urls), "elapsed": elapsed, "bytes": total_bytes, "errors": errors,
            "fetches_in_flight": fetching / elapsed if elapsed else 0.0,
            "findings": {f"{code}:{'pass' if ok else 'fail'}": n for (code, ok), n in sorted(findings.items())}}


def worker(kind: str, n: int, ports: list[int], pdf_share: float, concurrency: int, per_host: int,
           nightly: bool = False, delay: float = 0.0) -> None:
    urls = nightly_urls(ports, pdf_share) if nightly else make_urls(n, ports, pdf_share)
    if nightly and kind == "baseline":  # hosts in turns (ours turns the job's order itself, see iter_check)
        urls = [urls[h * ITEMS_PER_AGENCY + n] for n in range(ITEMS_PER_AGENCY) for h in range(len(ports))]
    if kind == "baseline":
        result = asyncio.run(run_baseline(urls, concurrency, per_host))
    else:
        result = asyncio.run(run_ours(urls, concurrency, per_host, delay=delay))
    result.update(peak_memory())
    print(json.dumps(result), flush=True)


# --- orchestration ------------------------------------------------------------------------------


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--urls", type=int, default=20000, help="evidence URLs (default 20000)")
    p.add_argument("--hosts", type=int, default=200, help="hosts = listening ports (default 200)")
    p.add_argument("--small", type=int, default=5000, help="URLs of the second run of ours (default 5000)")
    p.add_argument("--pdf-share", type=float, default=0.3, help="share of PDF URLs (default 0.3)")
    p.add_argument("--latency-ms", type=float, default=0.0,
                   help="simulated network + server time per response (default 0: loopback speed)")
    p.add_argument("--concurrency", type=int, default=100, help="requests in flight (default 100)")
    p.add_argument("--per-host", type=int, default=2, help="requests in flight per host (default 2)")
    p.add_argument("--nightly", action="store_true",
                   help="the national nightly check from a sample of --hosts hosts x 26 items (see above)")
    p.add_argument("--delay", type=float, default=None,
                   help="politeness delay between two requests to a host (default 0; --nightly: production's 0.5)")
    p.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--worker", choices=("baseline", "ours"), help=argparse.SUPPRESS)
    p.add_argument("--ports", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if not 0 <= args.pdf_share <= 1:
        p.error("--pdf-share must be between 0 and 1")
    if args.nightly and not args.worker and not args.serve:
        from itadesk.evidence.checker import CheckerConfig

        defaults = CheckerConfig()
        hosts_given = any(a == "--hosts" or a.startswith("--hosts=") for a in (argv or sys.argv[1:]))
        latency_given = any(a == "--latency-ms" or a.startswith("--latency-ms=") for a in (argv or sys.argv[1:]))
        args.hosts = args.hosts if hosts_given else 2000
        args.latency_ms = args.latency_ms if latency_given else 300.0
        args.per_host = 1
        args.concurrency = defaults.max_connections
        args.delay = defaults.delay if args.delay is None else args.delay
    if args.delay is None:
        args.delay = 0.0
    return args


def measure(kind: str, n: int, ports: list[int], args) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--urls", str(n), "--ports", ",".join(map(str, ports)),
           "--pdf-share", str(args.pdf_share), "--concurrency", str(args.concurrency),
           "--per-host", str(args.per_host), "--delay", str(args.delay)] + (["--nightly"] if args.nightly else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} worker failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.serve:
        serve(args.hosts, args.latency_ms)
        return 0
    if args.worker:
        worker(args.worker, args.urls, [int(p) for p in args.ports.split(",")], args.pdf_share,
               args.concurrency, args.per_host, args.nightly, args.delay)
        return 0
    if args.nightly:
        return nightly(args)

    server, ports = start_server(args)
    try:
        print(f"{args.urls:,} URLs over {len(ports)} hosts (127.0.0.1 ports), {args.pdf_share:.0%} PDF, "
              f"latency {args.latency_ms:g} ms, {args.concurrency} in flight, {args.per_host} per host, "
              f"politeness delay 0; {os.cpu_count()} CPUs")
        base = measure("baseline", args.urls, ports, args)
        ours = measure("ours", args.urls, ports, args)
        small = measure("ours", args.small, ports, args) if args.small else None
    finally:
        server.stdin.close()
        server.wait(timeout=30)

    base_rate = base["pages"] / base["elapsed"]
    ours_rate = ours["pages"] / ours["elapsed"]
    ratio = ours_rate / base_rate
    print(f"pages per second: ours {ours_rate:,.0f}, baseline {base_rate:,.0f}, ratio {ratio:.2f}")
    print(f"  elapsed: ours {ours['elapsed']:.1f} s, baseline {base['elapsed']:.1f} s; "
          f"{base['bytes'] / 1e6:,.0f} MB downloaded; fetch errors: ours {ours['errors']}, baseline {base['errors']}")
    print(f"peak memory (MB): ours {ours['peak_rss_mb']:.0f}, baseline {base['peak_rss_mb']:.0f}, "
          f"ratio {ours['peak_rss_mb'] / base['peak_rss_mb']:.2f}  "
          f"(largest child process, a pool worker or pdftotext: {ours['children_peak_rss_mb']:.0f} MB)")
    ours_cpu = (ours["cpu_s"] + ours["children_cpu_s"]) / ours["pages"] * 1000
    base_cpu = (base["cpu_s"] + base["children_cpu_s"]) / base["pages"] * 1000
    print(f"CPU per page (ms, from start-up to exit; the page server not counted): ours {ours_cpu:.2f} "
          f"(event loop {ours['cpu_s'] / ours['pages'] * 1000:.2f}, pool processes and pdftotext "
          f"{ours['children_cpu_s'] / ours['pages'] * 1000:.2f}), baseline {base_cpu:.2f}")
    if small:
        print(f"peak memory with {args.small:,} URLs: ours {small['peak_rss_mb']:.0f} MB "
              f"(with {args.urls:,}: {ours['peak_rss_mb']:.0f} MB); "
              f"rate {small['pages'] / small['elapsed']:,.0f} pages/s")
    print("findings (ours): " + ", ".join(f"{k} {v}" for k, v in ours["findings"].items()))
    ok_ratio = ratio >= GOAL_RATIO
    peak = max(ours["peak_rss_mb"], small["peak_rss_mb"] if small else 0)
    ok_memory = peak < GOAL_MEMORY_MB
    ok_cpu = ours_cpu <= GOAL_CPU_MS
    ok_fetch = ours["errors"] == 0 and base["errors"] == 0
    print(f"goal rate >= {GOAL_RATIO} x baseline: {'met' if ok_ratio else 'NOT met'} ({ratio:.2f})")
    print(f"goal memory < {GOAL_MEMORY_MB} MB: {'met' if ok_memory else 'NOT met'} ({peak:.0f} MB)")
    print(f"goal CPU per page <= {GOAL_CPU_MS:g} ms: {'met' if ok_cpu else 'NOT met'} ({ours_cpu:.2f} ms)")
    if not ok_fetch:
        print("FETCH ERRORS: some URLs were not downloaded")
    return 0 if ok_ratio and ok_memory and ok_cpu and ok_fetch else 1


def start_server(args) -> tuple[subprocess.Popen, list[int]]:
    server = subprocess.Popen([sys.executable, __file__, "--serve", "--hosts", str(args.hosts),
                               "--latency-ms", str(args.latency_ms)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    if not line.startswith("READY "):
        server.stdin.close()
        raise SystemExit("the benchmark server did not start")
    return server, [int(p) for p in line.split()[1:]]


def nightly(args) -> int:
    """The national nightly check, extrapolated from a sample (see the module docstring)."""
    server, ports = start_server(args)
    try:
        n = len(ports) * ITEMS_PER_AGENCY
        print(f"national nightly: {NATIONAL_URLS:,} URLs ({NATIONAL_AGENCIES:,} agencies x {ITEMS_PER_AGENCY} items); "
              f"sample {n:,} URLs = {len(ports):,} hosts x {ITEMS_PER_AGENCY}, latency {args.latency_ms:g} ms, "
              f"{args.per_host} request at a time per host, {args.delay:g} s between two requests to a host, "
              f"{args.concurrency} in flight, {args.pdf_share:.0%} PDF; {os.cpu_count()} CPUs")
        base = measure("baseline", n, ports, args)
        ours = measure("ours", n, ports, args)
    finally:
        server.stdin.close()
        server.wait(timeout=60)
    rate, base_rate = ours["pages"] / ours["elapsed"], base["pages"] / base["elapsed"]
    cpu_ms = (ours["cpu_s"] + ours["children_cpu_s"]) / ours["pages"] * 1000
    by_rate = NATIONAL_URLS / rate
    by_cpu = NATIONAL_URLS * cpu_ms / 1000 / (os.cpu_count() or 1)
    by_network = NATIONAL_URLS * max(args.latency_ms / 1000, 0.001) / args.concurrency
    by_host = ITEMS_PER_AGENCY * max(args.delay, args.latency_ms / 1000)
    dedicated = max(by_cpu, by_network, by_host)
    share = (ours["cpu_s"] + ours["children_cpu_s"]) / ours["elapsed"]
    print(f"sample: ours {rate:,.0f} pages/s (politeness on), baseline {base_rate:,.0f} pages/s (none), "
          f"ratio {rate / base_rate:.2f}; elapsed ours {ours['elapsed']:.0f} s, baseline {base['elapsed']:.0f} s; "
          f"fetch errors ours {ours['errors']}, baseline {base['errors']}")
    print(f"CPU per page: ours {cpu_ms:.2f} ms (event loop {ours['cpu_s'] / ours['pages'] * 1000:.2f}, pool "
          f"{ours['children_cpu_s'] / ours['pages'] * 1000:.2f}); the checker had {share:.2f} of {os.cpu_count()} "
          f"CPUs on average (load average now {os.getloadavg()[0]:.1f}); peak memory {ours['peak_rss_mb']:.0f} MB "
          f"(+ {ours['children_peak_rss_mb']:.0f} MB per pool process)")
    print(f"national run on one dedicated {os.cpu_count()}-core worker: {dedicated / 60:.0f} min = the largest of: "
          f"the CPU of {NATIONAL_URLS:,} pages at {cpu_ms:.2f} ms on {os.cpu_count()} cores {by_cpu / 60:.0f} min, "
          f"{args.concurrency} requests in flight at {args.latency_ms:g} ms {by_network / 60:.0f} min, one host's "
          f"{ITEMS_PER_AGENCY} items at the politeness delay {by_host / 60:.1f} min")
    print(f"requests in flight on average: {ours['fetches_in_flight']:.1f} of {args.concurrency} places (the "
          f"others: documents waiting for or in the pool processes)")
    ratio = by_rate / GOAL_NIGHTLY_S
    ok = ratio <= 1 and ours["errors"] == 0
    print(f"national nightly of {NATIONAL_URLS:,} URLs as measured (the sample's rate, this machine as loaded now, "
          f"load average {os.getloadavg()[0]:.1f}): {by_rate / 60:.0f} min; within {GOAL_NIGHTLY_S / 60:.0f} min: "
          f"{'yes' if ok else 'NO'} (ratio {ratio:.2f})")
    print(f"estimate for a dedicated {os.cpu_count()}-core worker from the bounds: {dedicated / 60:.0f} min, ratio "
          f"{dedicated / GOAL_NIGHTLY_S:.2f} (not a measurement)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
