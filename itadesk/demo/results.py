"""Demo ITA results for FY2566 and FY2567 — SYNTHETIC. Loei's real per-agency scores were not
found in public sources, so these numbers are invented, stable (derived from each agency's code),
and shaped so that the analysis reproduces the committee's choice: the 21 agencies of agenda item
4.1 are exactly those that did not pass in 2567, or passed with an OIT score below 85. Every row
is marked with the source ``DEMO_SOURCE``; the pages say so."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from itadesk.core import audit
from itadesk.methodology.importing import framework_for_year, level_fields
from itadesk.methodology.models import AssessmentResult, FrameworkVersion
from itadesk.scoring import engine

DEMO_SOURCE = "demo: synthetic scores, not real results (ข้อมูลสาธิต ไม่ใช่คะแนนจริง)"
YEARS = (2566, 2567)
FAILING_SHARE = 0.4  # of the coaching group, how many did not pass in 2567 (the rest passed with a weak OIT)


def _unit(*parts: str) -> float:
    digest = hashlib.sha256("|".join(("results", *parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _between(low: float, high: float, *parts: str) -> float:
    return round(low + (high - low) * _unit(*parts), 2)


def indicator_scores(key: str, year: int, coaching: bool, failing: bool) -> dict[str, float]:
    """Ten indicator scores for one agency and year (indicators 1–5 IIT, 6–8 EIT, 9–10 OIT)."""
    y = str(year)
    if not coaching:  # steady agencies: the same profile each year, a little lower the year before
        lift = 0 if year == 2567 else -_between(0, 2.5, key, "lift")
        scores = {str(n): _between(90, 99.5, key, str(n)) + lift for n in range(1, 6)}
        scores.update({str(n): _between(87, 98, key, str(n)) + lift for n in range(6, 9)})
        scores.update({"9": _between(88, 100, key, "9") + lift, "10": _between(86, 100, key, "10") + lift})
    elif failing:
        scores = {str(n): _between(78, 92, key, y, str(n)) for n in range(1, 6)}
        scores.update({str(n): _between(75, 90, key, y, str(n)) for n in range(6, 9)})
        scores.update({"9": _between(45, 75, key, y, "9"), "10": _between(35, 70, key, y, "10")})
    else:  # passed overall with an OIT below 85
        scores = {str(n): _between(95, 99.9, key, y, str(n)) for n in range(1, 6)}
        scores.update({str(n): _between(93, 99, key, y, str(n)) for n in range(6, 9)})
        scores.update({"9": _between(76, 84, key, y, "9"), "10": _between(74, 83, key, y, "10")})
    return {code: round(min(100.0, max(0.0, v)), 2) for code, v in scores.items()}


def _framework_for(year: int) -> FrameworkVersion | None:
    return framework_for_year(year, list(FrameworkVersion.objects.filter(scheme="nacc-ita")))


def load_results(agencies, coaching_codes: set[str]) -> int:
    """Create the demo results that do not exist yet; returns how many were created."""
    existing = set(AssessmentResult.objects.filter(agency__in=agencies).values_list("agency_id", "fiscal_year"))
    coaching = sorted((a for a in agencies if a.dla_code in coaching_codes), key=lambda a: _unit(a.dla_code, "f"))
    failing = {a.pk for a in coaching[:round(len(coaching) * FAILING_SHARE)]}
    created = []
    for year in YEARS:
        fw = _framework_for(year)
        if fw is None:
            continue
        plan = engine.compile_framework(fw.data)
        codes = {ind["code"] for ins in fw.data["instruments"] for ind in ins["indicators"]}
        for agency in agencies:
            if (agency.pk, year) in existing:
                continue
            key = agency.dla_code or agency.itas_code or agency.name_th
            is_coaching = agency.dla_code in coaching_codes
            # the coaching group's problems are 2567's; the year before they were closer to the pass mark
            scores = indicator_scores(key, year, is_coaching and year == 2567, agency.pk in failing)
            if is_coaching and year == 2566:
                scores = {c: round(v - 6, 2) if c in {"9", "10"} else v for c, v in scores.items()}
            if set(scores) != codes:
                continue
            score = engine.score_from_indicators(plan, scores)
            level_code, level_label = level_fields(score)
            created.append(AssessmentResult(
                agency=agency, fiscal_year=year, framework=fw, indicator_scores=scores,
                instrument_scores={k: round(float(v), 2) for k, v in score.instruments.items() if v is not None},
                total=Decimal(str(score.total)).quantize(Decimal("0.01")), published_total=None,
                level_code=level_code, level_label=level_label, passed=score.passed,
                source=DEMO_SOURCE))
    AssessmentResult.objects.bulk_create(created)
    if created:
        audit.record(actor=None, action="demo.results", after={"created": len(created)}, note=DEMO_SOURCE)
    return len(created)
