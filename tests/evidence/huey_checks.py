"""A Huey application on Redis whose task checks a share of the labelled set's URLs, for the test that real
Huey consumers (``huey_consumer``, one or two of them) give the same findings however the shares are spread
over them (tests/evidence/test_checker_huey_workers.py). The Redis URL comes from ITADESK_TEST_CHECKER_REDIS.
No Django: the task runs the checker itself (``iter_check``) with production politeness (one request at a time
per host, a delay between two requests to a host), as ``jobs.run_check_job`` does inside the app."""

from __future__ import annotations

import asyncio
import os

from huey import RedisHuey

from itadesk.evidence.checker import CheckerConfig, CheckRequest, iter_check
from itadesk.methodology import schema

huey = RedisHuey("itadesk-checker-test", url=os.environ.get("ITADESK_TEST_CHECKER_REDIS", "redis://127.0.0.1:6379/15"),
                 results=True)


@huey.task()
def check_share(entries: list[dict], host_map: dict[str, str]) -> dict:
    """Check ``entries`` ({key, url, item, main_domain, fiscal_year}); the findings of each URL as
    [code, passed, severity, element], and the process that did the work."""
    fw = schema.load_file(schema.FRAMEWORKS_DIR / "nacc-ita-2568.yaml")
    config = CheckerConfig(allow=("127.0.0.1",), per_host=1, delay=0.05, timeout=10, workers=0, host_map=host_map)
    requests = [CheckRequest(e["url"], item=schema.find_item(fw, e["item"]).item, main_domain=e["main_domain"],
                             fiscal_year=e["fiscal_year"], key=e["key"]) for e in entries]

    async def run():
        return [report async for report in iter_check(requests, config)]

    findings = {str(report.key): [[f.code, f.passed, f.severity, f.detail.get("element")] for f in report.findings]
                for report in asyncio.run(run())}
    return {"pid": os.getpid(), "findings": findings}
