"""Reads of past results for the committee's analysis, always scoped by the caller
(``agencies``: a queryset from ``access.agencies_for(user)``)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from itadesk.methodology.models import AssessmentResult, FrameworkVersion
from itadesk.registry.models import Agency, AgencyKind

NATIONAL_TARGET_PERCENT = 100  # the national target: every agency passes


def _f(value) -> float | None:
    return None if value is None else float(value)


def agency_instrument(framework_data: dict) -> str | None:
    """The code of the instrument the agency itself answers (OIT), if any."""
    for instrument in framework_data["instruments"]:
        if instrument.get("respondents") == "agency":
            return instrument["code"]
    return None


def indicator_names(framework_data: dict) -> list[tuple[str, str, str]]:
    """[(indicator code, Thai name, instrument code)] in file order."""
    return [(ind["code"], ind.get("name_th") or ind["code"], ins["code"])
            for ins in framework_data["instruments"] for ind in ins["indicators"]]


@dataclass
class Finding:
    agency: Agency
    result: AssessmentResult
    previous: AssessmentResult | None = None
    reasons: list[str] = field(default_factory=list)
    priority: float = 0.0

    @property
    def total(self) -> float | None:
        return _f(self.result.shown_total)

    @property
    def change(self) -> float | None:
        if self.previous is None or self.previous.shown_total is None or self.result.shown_total is None:
            return None
        return round(float(self.result.shown_total - self.previous.shown_total), 2)


def _results(agencies: QuerySet[Agency], **filters) -> list[AssessmentResult]:
    """Results with their agency and district, and their framework attached from one query per
    framework (a framework's data is large: loading it with every row made a page take seconds)."""
    results = list(AssessmentResult.objects.filter(agency__in=agencies, **filters)
                   .select_related("agency", "agency__district"))
    frameworks = FrameworkVersion.objects.in_bulk({r.framework_id for r in results})
    for r in results:
        r.framework = frameworks[r.framework_id]
    return results


def results_by_agency(agencies: QuerySet[Agency]) -> dict[int, dict[int, AssessmentResult]]:
    table: dict[int, dict[int, AssessmentResult]] = defaultdict(dict)
    for r in _results(agencies):
        table[r.agency_id][r.fiscal_year] = r
    return table


def years(agencies: QuerySet[Agency]) -> list[int]:
    return sorted(set(AssessmentResult.objects.filter(agency__in=agencies)
                      .values_list("fiscal_year", flat=True).distinct()))


def _pass_mark(result: AssessmentResult) -> float:
    return float(result.framework.data["pass_mark"])


def _weakest(result: AssessmentResult, n: int = 3) -> list[tuple[str, float]]:
    scores = [(code, float(v)) for code, v in result.indicator_scores.items() if v is not None]
    return sorted(scores, key=lambda t: t[1])[:n]


def findings(agencies: QuerySet[Agency], year: int) -> list[Finding]:
    """Every agency with a result in ``year``, with the reasons it may need help and a priority
    (higher first): failed overall; passed but the agency-answered instrument (OIT) is below the pass
    mark (the seed's criterion); a drop from the year before; very weak indicators."""
    table = results_by_agency(agencies)
    out = []
    for by_year in table.values():
        result = by_year.get(year)
        if result is None:
            continue
        previous = by_year.get(max((y for y in by_year if y < year), default=0))
        f = Finding(agency=result.agency, result=result, previous=previous)
        mark = _pass_mark(result)
        total = f.total
        oit_code = agency_instrument(result.framework.data)
        oit = _f(result.instrument_scores.get(oit_code)) if oit_code else None
        if total is not None and total < mark:
            f.priority += 100 + (mark - total)
            f.reasons.append(_("did not pass: total %(t).2f, %(g).2f below %(m)g") % {
                "t": total, "g": mark - total, "m": mark})
        elif oit is not None and oit < mark:
            f.priority += 50 + (mark - oit) / 2
            f.reasons.append(_("passed with %(t).2f but %(i)s is %(o).2f, below %(m)g") % {
                "t": total, "i": oit_code, "o": oit, "m": mark})
        if oit is not None and oit < mark and total is not None and total < mark:
            f.reasons.append(_("%(i)s is also below the pass mark: %(o).2f") % {"i": oit_code, "o": oit})
        if f.change is not None and f.change <= -3:
            f.priority += 10 + (-f.change)
            f.reasons.append(_("fell %(d).2f points from %(y)s") % {"d": -f.change, "y": f.previous.fiscal_year})
        weak = [(code, v) for code, v in _weakest(result) if v < 70]
        if weak:
            f.priority += sum(70 - v for _c, v in weak) / 10
            f.reasons.append(_("weak indicators: %(list)s") % {
                "list": ", ".join(f"{code} ({v:.2f})" for code, v in weak)})
        out.append(f)
    out.sort(key=lambda f: (-f.priority, f.total if f.total is not None else 0, f.agency.name_th))
    return out


def is_failing(f: Finding) -> bool:
    return f.total is not None and f.total < _pass_mark(f.result)


def failing(agencies: QuerySet[Agency], year: int, found: list[Finding] | None = None) -> list[Finding]:
    return [f for f in (findings(agencies, year) if found is None else found) if is_failing(f)]


def passed_but_oit_low(agencies: QuerySet[Agency], year: int, found: list[Finding] | None = None) -> list[Finding]:
    out = []
    for f in findings(agencies, year) if found is None else found:
        mark = _pass_mark(f.result)
        code = agency_instrument(f.result.framework.data)
        oit = _f(f.result.instrument_scores.get(code)) if code else None
        if f.total is not None and f.total >= mark and oit is not None and oit < mark:
            out.append(f)
    return out


def needs_help(agencies: QuerySet[Agency], year: int) -> list[Finding]:
    return [f for f in findings(agencies, year) if f.reasons]


@dataclass
class Heatmap:
    indicators: list[tuple[str, str, str]]
    rows: list[tuple[str, int, list[float | None]]]  # (group label, number of agencies, mean per indicator)
    overall: list[float | None]


def heatmap(agencies: QuerySet[Agency], year: int, by: str = "district") -> Heatmap:
    """Mean indicator scores per district (``by="district"``) or agency kind (``by="kind"``)."""
    results = _results(agencies, fiscal_year=year)
    if not results:
        return Heatmap([], [], [])
    indicators = indicator_names(results[0].framework.data)
    codes = [c for c, _n, _i in indicators]
    groups: dict[str, list[AssessmentResult]] = defaultdict(list)
    kind_labels = dict(AgencyKind.choices)
    for r in results:
        if by == "kind":
            label = str(kind_labels.get(r.agency.kind, r.agency.kind))
        else:
            label = r.agency.district.name_th if r.agency.district_id else "—"
        groups[label].append(r)

    def means(rs):
        out = []
        for code in codes:
            values = [float(r.indicator_scores[code]) for r in rs if r.indicator_scores.get(code) is not None]
            out.append(round(statistics.fmean(values), 2) if values else None)
        return out

    rows = [(label, len(rs), means(rs)) for label, rs in sorted(groups.items())]
    return Heatmap(indicators, rows, means(results))


@dataclass
class YearShare:
    year: int
    agencies: int
    passed: int
    mean_total: float | None

    @property
    def percent(self) -> float:
        return round(100 * self.passed / self.agencies, 2) if self.agencies else 0.0

    @property
    def gap_to_target(self) -> int:
        """Agencies that still have to pass for the national target (100 %)."""
        return self.agencies - self.passed


def pass_share_by_year(agencies: QuerySet[Agency]) -> list[YearShare]:
    by_year: dict[int, list[AssessmentResult]] = defaultdict(list)
    for r in _results(agencies):
        by_year[r.fiscal_year].append(r)
    out = []
    for year in sorted(by_year):
        rs = by_year[year]
        totals = [float(r.shown_total) for r in rs if r.shown_total is not None]
        passed = sum(1 for r in rs if r.shown_total is not None and float(r.shown_total) >= _pass_mark(r))
        out.append(YearShare(year, len(rs), passed, round(statistics.fmean(totals), 2) if totals else None))
    return out


def district_trend(agencies: QuerySet[Agency]) -> tuple[list[int], list[tuple[str, list[float | None]]]]:
    """Mean total per district per year."""
    cells: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    all_years = set()
    for r in AssessmentResult.objects.filter(agency__in=agencies).select_related("agency__district"):
        if r.shown_total is None:
            continue
        label = r.agency.district.name_th if r.agency.district_id else "—"
        cells[label][r.fiscal_year].append(float(r.shown_total))
        all_years.add(r.fiscal_year)
    ys = sorted(all_years)
    rows = [(label, [round(statistics.fmean(by[y]), 2) if by.get(y) else None for y in ys])
            for label, by in sorted(cells.items())]
    return ys, rows
