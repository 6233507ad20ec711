"""The OIT evidence checker: fetch an evidence URL safely and explain, in Thai, what an assessor
would object to. Pure Python (asyncio + aiohttp, PDFium); no Django.

    from itadesk.evidence.checker import CheckerConfig, check_url_sync
    report = check_url_sync(url, item=item, main_domain="loei.go.th", fiscal_year=2568,
                            config=CheckerConfig.from_settings())
    for finding in report.findings: ...

Modules: ``config`` (CheckerConfig), ``fetch`` (Fetcher, fetch_many, iter_fetch), ``extract`` (bytes to
text: ``text`` normalisation and results, ``htmltext`` HTML, ``pdftext`` PDF), ``thaidate`` (Thai dates and
fiscal years), ``rules`` (check -> findings; with ``finding``, ``sites``, ``keywords``, ``link_checks``),
``run`` (all three for one URL or a stream of many). docs/evidence-checker.md describes the findings and
the safety rules.
"""

from .config import CheckerConfig
from .extract import Extracted, extract, extract_async
from .fetch import Fetcher, FetchResult, fetch_many, iter_fetch
from .rules import Finding, check
from .run import CheckReport, CheckRequest, check_url, check_url_sync, iter_check

__all__ = [
    "CheckReport", "CheckRequest", "CheckerConfig", "Extracted", "FetchResult", "Fetcher", "Finding", "check",
    "check_url", "check_url_sync", "extract", "extract_async", "fetch_many", "iter_check", "iter_fetch",
]
