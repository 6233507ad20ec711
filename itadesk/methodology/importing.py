"""Past ITA results as the committee has them: one row per agency and fiscal year, with indicator
scores (ตัวชี้วัดที่ 1–10) and/or the instrument scores (IIT, EIT, OIT) and the published total.

``plan_results_import`` reads and checks a file and recomputes every row with the scoring engine
under the framework of that year, writing nothing; rows whose published total disagrees with the
recomputed one are reported (warnings: the file is still accepted, both figures are kept).
``apply_results_import`` writes a plan without errors in one transaction (one history event per
created or changed result). ``export_results`` writes the same format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from itadesk.core import audit
from itadesk.core.models import AuditEvent
from itadesk.core.tabular import (
    BasePlan,
    Column,
    ImportRefused,
    RowError,
    map_headers,
    read_import,
    write_table,
)
from itadesk.core.thai import arabic_digits
from itadesk.methodology.models import AssessmentResult, FrameworkVersion
from itadesk.registry.lookup import AgencyLookup
from itadesk.registry.models import Agency, Province
from itadesk.scoring import engine

BASE_COLUMNS = [
    Column("agency", "หน่วยงาน", "agency", ("รหัสหน่วยงาน", "รหัส ITAS", "itas code", "agency code", "รหัส อปท.")),
    Column("agency_name", "ชื่อหน่วยงาน", "agency name", ("name_th", "ชื่อ"), info=True),
    Column("year", "ปีงบประมาณ", "fiscal year", ("ปี", "ปีงบ", "year", "fy", "ปี พ.ศ."), required=True),
]
TOTAL = Column("total", "คะแนนรวม", "total", ("คะแนน ITA", "ITA", "ITA score", "คะแนนรวม ITA", "รวม", "score"))
LEVEL = Column("level", "ผลการประเมิน", "result level", ("ระดับ", "ระดับผลการประเมิน", "grade", "rating"), info=True)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def indicator_column(code: str) -> Column:
    return Column(f"ind:{code}", f"ตัวชี้วัดที่ {code}", f"indicator {code}",
                  (f"ตัวชี้วัด {code}", f"indicator{code}", f"ind {code}", f"ind{code}", code))


def instrument_column(code: str) -> Column:
    return Column(f"ins:{code}", code, code, (f"คะแนน {code}", f"{code} score"))


def framework_for_year(year: int, versions: list[FrameworkVersion]) -> FrameworkVersion | None:
    """The framework a year's results are read with: the one of that fiscal year (newest version);
    else the nearest later one (a file covers the years before it until the next file, as the
    2563–2566 structure does); else the nearest earlier one."""
    if not versions:
        return None

    def key(fw):
        return (fw.fiscal_year or 0, fw.version)

    exact = [fw for fw in versions if fw.fiscal_year == year]
    if exact:
        return max(exact, key=key)
    later = [fw for fw in versions if (fw.fiscal_year or 0) > year]
    if later:
        first = min(fw.fiscal_year for fw in later)
        return max((fw for fw in later if fw.fiscal_year == first), key=key)
    return max(versions, key=key)


def parse_score(raw: str) -> tuple[float | None, tuple[str, str] | None]:
    """A score cell: empty → None; Thai digits accepted; 0–100 with a point as decimal separator."""
    text = arabic_digits(raw.strip()).replace(" ", "")
    if not text:
        return None, None
    if "," in text:
        return None, (f"'{raw.strip()}' ใช้จุลภาค ให้ใช้จุดทศนิยม เช่น 93.55",
                      f"'{raw.strip()}' uses a comma; write the decimal point as in 93.55")
    if not _NUMBER.match(text):
        return None, (f"'{raw.strip()}' ไม่ใช่ตัวเลข", f"'{raw.strip()}' is not a number")
    value = float(text)
    if not 0 <= value <= 100:
        return None, (f"คะแนน {text} อยู่นอกช่วง 0–100", f"score {text} is outside 0–100")
    return value, None


def parse_year(raw: str) -> tuple[int | None, tuple[str, str] | None]:
    text = arabic_digits(raw.strip())
    if not text:
        return None, ("ต้องระบุปีงบประมาณ", "the fiscal year is required")
    if not text.isdigit():
        return None, (f"ปีงบประมาณ '{raw.strip()}' ไม่ใช่ตัวเลข", f"fiscal year '{raw.strip()}' is not a number")
    year = int(text)
    if 1950 <= year <= 2150:  # a Christian-era year: fiscal year 2021 is 2564 BE
        year += 543
    if not 2550 <= year <= 2650:
        return None, (f"ปีงบประมาณ '{raw.strip()}' ไม่ถูกต้อง (ใช้ พ.ศ. เช่น 2567)",
                      f"fiscal year '{raw.strip()}' is not valid (write the BE year, e.g. 2567)")
    return year, None


@dataclass
class PlannedResult:
    row: int
    agency: Agency
    year: int
    framework: FrameworkVersion
    indicators: dict[str, float]
    instruments: dict[str, float]
    total: Decimal | None
    published_total: Decimal | None
    level_code: str
    level_label: str
    passed: bool | None
    existing: AssessmentResult | None = None

    def values(self) -> dict:
        return {"framework_id": self.framework.pk, "indicator_scores": self.indicators,
                "instrument_scores": self.instruments, "total": self.total,
                "published_total": self.published_total, "level_code": self.level_code,
                "level_label": self.level_label, "passed": self.passed}


@dataclass
class ResultsPlan(BasePlan):
    province: Province
    results: list[PlannedResult] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def creates(self) -> list[PlannedResult]:
        return [p for p in self.results if p.existing is None]

    @property
    def updates(self) -> list[PlannedResult]:
        return [p for p in self.results if p.existing is not None]

    def frameworks_by_year(self) -> list[tuple[int, FrameworkVersion]]:
        return sorted({(p.year, p.framework) for p in self.results}, key=lambda t: t[0])

    def counts(self):
        return [("เพิ่ม", "new", len(self.creates)), ("แก้ไข", "changed", len(self.updates)),
                ("ไม่เปลี่ยนแปลง", "unchanged", self.unchanged)]

    def counts_after_errors(self):
        return [("คำเตือน", "warnings", len(self.warnings))]


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def level_fields(score) -> tuple[str, str]:
    """(code, Thai label) of an engine score's result level, or ("", "")."""
    return (score.level.code, score.level.label_th) if score.level else ("", "")


def plan_results_import(*, data: bytes, filename: str, province: Province,
                        framework: FrameworkVersion | None = None) -> ResultsPlan:
    """Read and check a results file for the agencies of ``province``; write nothing. ``framework``
    forces one framework for every row; by default each row's year picks it."""
    plan = ResultsPlan(province=province, filename=filename)
    versions = [framework] if framework else list(FrameworkVersion.objects.all())
    if not versions:
        plan.errors.append(RowError(None, "", "ยังไม่มีเกณฑ์การประเมินในระบบ (ใช้คำสั่ง itadesk framework install)",
                                    "no framework is installed yet (use itadesk framework install)"))
        return plan
    table = read_import(data, filename, plan.errors)
    if table is None:
        return plan
    plan.rows = len(table.rows)

    indicator_codes, instrument_codes = [], []
    for fw in versions:
        for instrument in fw.data["instruments"]:
            if instrument["code"] not in instrument_codes:
                instrument_codes.append(instrument["code"])
            for indicator in instrument["indicators"]:
                if indicator["code"] not in indicator_codes:
                    indicator_codes.append(indicator["code"])
    columns_spec = [*BASE_COLUMNS, *(indicator_column(c) for c in indicator_codes),
                    *(instrument_column(c) for c in instrument_codes), TOTAL, LEVEL]
    columns, errors = map_headers(table, columns_spec)
    if "agency" not in columns:
        if "agency_name" in columns:
            columns["agency"] = columns.pop("agency_name")
        else:
            errors.append(RowError(table.header_row, "หน่วยงาน", "ไม่มีคอลัมน์ 'หน่วยงาน' ซึ่งต้องมี",
                                   "required column 'หน่วยงาน' (agency) is missing"))
    if not any(k.startswith(("ind:", "ins:")) for k in columns) and "total" not in columns and not errors:
        errors.append(RowError(table.header_row, "", "ไม่มีคอลัมน์คะแนน (ตัวชี้วัดที่ 1–10, IIT/EIT/OIT หรือคะแนนรวม)",
                               "no score columns (indicators 1–10, IIT/EIT/OIT or total)"))
    if errors:
        plan.errors = errors
        return plan
    header = {key: table.headers[index].strip() for key, index in columns.items()}

    lookup = AgencyLookup(Agency.objects.filter(province=province))
    existing = {(r.agency_id, r.fiscal_year): r for r in AssessmentResult.objects.filter(agency__province=province)}
    seen: dict[tuple[int, int], int] = {}

    for row in table.rows:
        row_errors: list[RowError] = []

        def error(key, th, en, row=row, row_errors=row_errors):
            row_errors.append(RowError(row.number, header.get(key, ""), th, en))

        agency, problem = lookup.find(row[columns["agency"]])
        if problem:
            error("agency", *problem)
        year, problem = parse_year(row[columns["year"]])
        if problem:
            error("year", *problem)
        scores: dict[str, float] = {}
        for key in columns:
            if key.startswith(("ind:", "ins:")) or key == "total":
                value, problem = parse_score(row[columns[key]])
                if problem:
                    error(key, *problem)
                elif value is not None:
                    scores[key] = value
        if row_errors or agency is None or year is None:
            plan.errors.extend(row_errors)
            continue
        first = seen.setdefault((agency.pk, year), row.number)
        if first != row.number:
            plan.errors.append(RowError(row.number, header["agency"],
                                        f"'{agency.name_th}' ปี {year} ซ้ำกับแถว {first}",
                                        f"'{agency.name_th}', year {year} is also in row {first}"))
            continue
        fw = framework or framework_for_year(year, versions)
        data_fw = fw.data
        compiled = fw.scoring_plan()
        fw_indicators = [ind["code"] for ins in data_fw["instruments"] for ind in ins["indicators"]]
        fw_instruments = [ins["code"] for ins in data_fw["instruments"]]
        indicators = {c: scores[f"ind:{c}"] for c in fw_indicators if f"ind:{c}" in scores}
        instruments = {c: scores[f"ins:{c}"] for c in fw_instruments if f"ins:{c}" in scores}
        published = _dec(scores.get("total"))
        result = None
        if indicators:
            missing = [c for c in fw_indicators if c not in indicators]
            if missing:
                plan.errors.append(RowError(
                    row.number, "", f"ไม่มีคะแนนตัวชี้วัดที่ {', '.join(missing)} (ต้องมีครบทุกตัวชี้วัด หรือเว้นว่างทั้งหมด)",
                    f"indicator {', '.join(missing)} missing (give all indicators or none)"))
                continue
            result = engine.score_from_indicators(compiled, indicators)
        elif instruments:
            missing = [c for c in fw_instruments if c not in instruments]
            if missing:
                plan.errors.append(RowError(
                    row.number, "", f"ไม่มีคะแนน {', '.join(missing)} (ต้องมีครบ {', '.join(fw_instruments)})",
                    f"{', '.join(missing)} missing (give all of {', '.join(fw_instruments)})"))
                continue
            result = engine.score_from_instruments(compiled, instruments)
        elif published is None:
            plan.errors.append(RowError(row.number, "", "ไม่มีคะแนนในแถวนี้", "the row has no score"))
            continue
        if result is not None:
            total = _dec(result.total)
            level_code, level_label = level_fields(result)
            passed = result.passed
            ours_instruments = {k: v for k, v in result.instruments.items() if v is not None}
            if indicators:
                for code, given in instruments.items():
                    computed = ours_instruments.get(code)
                    if computed is not None and abs(computed - given) >= 0.005:
                        plan.warnings.append(RowError(
                            row.number, header[f"ins:{code}"],
                            f"{code} ในไฟล์ {given:.2f} ต่างจากที่คำนวณจากตัวชี้วัด {computed:.2f}",
                            f"{code} in the file is {given:.2f}, computed from the indicators {computed:.2f}"))
            if published is not None and total is not None and published != total:
                plan.warnings.append(RowError(
                    row.number, header["total"],
                    f"คะแนนรวมที่เผยแพร่ {published} ต่างจากที่คำนวณได้ {total} ({fw.code})",
                    f"the published total {published} differs from the recomputed {total} ({fw.code})"))
            instruments = {k: round(float(v), 2) for k, v in ours_instruments.items()}
        else:
            total, level_code, level_label = None, "", ""
            passed = bool(published >= Decimal(str(data_fw["pass_mark"])))
        planned = PlannedResult(row.number, agency, year, fw, indicators, instruments, total, published,
                                level_code, level_label, passed, existing.get((agency.pk, year)))
        if planned.existing is not None and _same(planned.existing, planned.values()):
            plan.unchanged += 1
            continue
        plan.results.append(planned)
    plan.errors.sort(key=lambda e: e.row or 0)
    plan.warnings.sort(key=lambda e: e.row or 0)
    return plan


def planned_fields() -> list[str]:
    return ["framework", "indicator_scores", "instrument_scores", "total", "published_total", "level_code",
            "level_label", "passed"]


RESULT_FIELDS = ["agency_id", "fiscal_year", "framework_id", "indicator_scores", "instrument_scores", "total",
                 "published_total", "level_code", "level_label", "passed", "source"]


def _same(result: AssessmentResult, values: dict) -> bool:
    return all(getattr(result, k) == v for k, v in values.items())


@transaction.atomic
def apply_results_import(*, actor, plan: ResultsPlan) -> tuple[int, int, int]:
    """Write a checked plan; returns (created, changed, unchanged). Refuses a plan with errors."""
    if plan.errors:
        raise ImportRefused(f"ไฟล์มีข้อผิดพลาด {len(plan.errors)} รายการ จึงไม่ได้นำเข้าข้อมูลใด ๆ",
                            f"the file has {len(plan.errors)} errors, so nothing was imported", plan.errors)
    user = actor if getattr(actor, "pk", None) else None
    current: dict[tuple[int, int], AssessmentResult] = {}
    agency_ids = sorted({p.agency.pk for p in plan.results})
    for start in range(0, len(agency_ids), 500):  # lock what will change, in chunks the databases accept
        for r in (AssessmentResult.objects.order_by().select_for_update(of=("self",))
                  .filter(agency_id__in=agency_ids[start:start + 500])):
            current[(r.agency_id, r.fiscal_year)] = r
    new, changed_rows, before = [], [], {}
    for planned in plan.results:
        result = current.get((planned.agency.pk, planned.year))
        if result is None:
            result = AssessmentResult(agency=planned.agency, fiscal_year=planned.year)
            new.append(result)
        else:
            before[id(result)] = audit.snapshot(result, RESULT_FIELDS)
            changed_rows.append(result)
        for name, value in planned.values().items():
            setattr(result, name, value)
        result.source, result.imported_by = plan.filename[:255], user
    AssessmentResult.objects.bulk_create(new, batch_size=500)
    fields = [*planned_fields(), "source", "imported_by", "imported_at"]
    now = timezone.now()
    for result in changed_rows:
        result.imported_at = now
    AssessmentResult.objects.bulk_update(changed_rows, fields, batch_size=500)
    events = [audit.build(actor=actor, action="result.import", obj=r, before=before.get(id(r)),
                          after=audit.snapshot(r, RESULT_FIELDS), note=plan.filename)
              for r in [*new, *changed_rows]]
    created, changed = len(new), len(changed_rows)
    AuditEvent.objects.bulk_create(events)
    return created, changed, plan.unchanged


def export_results(path_or_buffer, queryset, fmt: str | None = None) -> int:
    """Write results in the import format (indicator columns of the frameworks used)."""
    results = list(queryset.select_related("agency").order_by("agency__name_th", "fiscal_year"))
    indicator_codes, instrument_codes = [], []
    for r in results:
        for code in r.indicator_scores:
            if code not in indicator_codes:
                indicator_codes.append(code)
        for code in r.instrument_scores:
            if code not in instrument_codes:
                instrument_codes.append(code)
    indicator_codes.sort(key=lambda c: [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", c)])
    headers = ["หน่วยงาน", "ชื่อหน่วยงาน", "ปีงบประมาณ", *(f"ตัวชี้วัดที่ {c}" for c in indicator_codes),
               *instrument_codes, "คะแนนรวม", "ผลการประเมิน"]

    def fmt2(v):
        return "" if v is None else f"{float(v):.2f}"

    rows = [[r.agency.itas_code or r.agency.dla_code or r.agency.name_th, r.agency.name_th, str(r.fiscal_year),
             *(fmt2(r.indicator_scores.get(c)) for c in indicator_codes),
             *(fmt2(r.instrument_scores.get(c)) for c in instrument_codes),
             fmt2(r.shown_total), r.level_label] for r in results]
    write_table(path_or_buffer, headers, rows, fmt)
    return len(rows)


__all__ = ["plan_results_import", "apply_results_import", "export_results", "framework_for_year",
           "parse_score", "parse_year"]
