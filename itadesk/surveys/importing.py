"""IIT/EIT response counts from a spreadsheet (an ITAS status export re-saved, or any file with the
documented columns), and the follow-up table as XLSX.

Columns (headers compared without case, spaces or punctuation): ``หน่วยงาน`` (ITAS code, DLA code or
exact Thai name), one column per questionnaire of the round named by its code (``IIT``, ``EIT``; also
``จำนวนผู้ตอบ IIT`` …), and optionally ``วันที่`` (the date the counts were read; BE or CE, Thai digits
accepted; without the column every row is dated the day of the import). The columns the export writes
for people to read are accepted and ignored, so an exported file can be filled in and imported again.
``plan_response_import`` checks everything and writes nothing; ``apply_response_import`` writes a plan
without errors in one transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from itadesk.core.tabular import (
    BasePlan,
    Column,
    ImportRefused,
    RowError,
    map_headers,
    read_import,
    write_table,
)
from itadesk.core.thai import format_date
from itadesk.cycles.models import Participation, Round
from itadesk.registry.lookup import AgencyLookup
from itadesk.registry.models import Agency
from itadesk.surveys import selectors, services
from itadesk.surveys.models import ResponseCount
from itadesk.surveys.parsing import CountError, parse_count, parse_date

STAKE_TH = {"none": "ยังไม่บันทึก", "draft": "รออนุมัติ", "approved": "อนุมัติแล้ว"}

COUNT_PROBLEMS = {
    "negative": ("ต้องไม่ติดลบ", "must not be negative"),
    "fraction": ("ต้องเป็นจำนวนเต็ม", "must be a whole number"),
    "grouping": ("ใส่เครื่องหมายจุลภาคคั่นหลักพันไม่ถูกต้อง", "has misplaced thousands separators"),
    "text": ("ต้องเป็นตัวเลข", "must be a number"),
}


def _info(key, th, en):
    return Column(key, th, en, info=True)


def columns_for(round: Round) -> list[Column]:
    cols = [Column("agency", "หน่วยงาน", "agency", ("agency code", "รหัสหน่วยงาน", "รหัส ITAS", "itas code",
                                                    "รหัส อปท.", "dla code")),
            Column("agency_name", "ชื่อหน่วยงาน", "agency name", ("name_th",), info=True),
            Column("on_date", "วันที่", "date", ("ข้อมูล ณ วันที่", "วันที่ข้อมูล", "as of", "ณ วันที่"))]
    for inst in selectors.instruments(round):
        c = inst.code
        cols.append(Column(f"count:{c}", c, f"{c} respondents",
                           (f"จำนวนผู้ตอบ {c}", f"ผู้ตอบ {c}", f"{c} ตอบแล้ว", f"{c} count", f"จำนวนผู้ตอบแบบ {c}")))
        cols += [_info(f"min:{c}", f"{c} ขั้นต่ำ", f"{c} minimum"), _info(f"gap:{c}", f"{c} ขาดอีก", f"{c} gap")]
    cols += [_info("name", "ชื่อหน่วยงาน (อ่านอย่างเดียว)", "agency name (read only)"),
             _info("district", "อำเภอ", "district"), _info("kind", "ประเภท", "kind"),
             _info("stake", "ข้อมูลผู้มีส่วนได้ส่วนเสีย", "stakeholder data"),
             _info("internal", "บุคลากรอายุงาน 1 ปีขึ้นไป", "staff with 1+ year"),
             _info("external", "ผู้รับบริการ (คนและหน่วยงาน)", "people and organizations served")]
    return cols


@dataclass
class PlannedCounts:
    row: int
    agency: Agency
    on_date: object
    counts: dict[str, int]


@dataclass
class ResponsePlan(BasePlan):
    round: Round
    changes: list[PlannedCounts] = field(default_factory=list)
    skipped: int = 0  # rows without any count

    def counts(self):
        return [("บันทึก", "to record", len(self.changes)), ("ไม่เปลี่ยนแปลง", "unchanged", self.unchanged),
                ("ไม่มีจำนวนผู้ตอบ", "without counts", self.skipped)]


def plan_response_import(*, data: bytes, filename: str, round: Round, now=None,
                         allowed_agency_ids: Collection[int] | None = None) -> ResponsePlan:
    """Read and check a file of response counts for ``round``; write nothing."""
    now = now or timezone.now()
    plan = ResponsePlan(round=round, filename=filename)
    table = read_import(data, filename, plan.errors)
    if table is None:
        return plan
    plan.rows = len(table.rows)
    cols = columns_for(round)
    found, errors = map_headers(table, cols)
    if "agency" not in found and "agency_name" in found:  # a file with only the name finds agencies by it
        found["agency"] = found.pop("agency_name")
    if "agency" not in found:
        errors.append(RowError(table.header_row, "หน่วยงาน", "ไม่มีคอลัมน์ 'หน่วยงาน' ซึ่งต้องมี",
                               "required column 'หน่วยงาน' (agency) is missing"))
    codes = [k.split(":", 1)[1] for k in found if k.startswith("count:")]
    if not codes:
        names = ", ".join(i.code for i in selectors.instruments(round))
        errors.append(RowError(table.header_row, "", f"ไม่มีคอลัมน์จำนวนผู้ตอบ (ต้องมีอย่างน้อยหนึ่งคอลัมน์: {names})",
                               f"no column of respondents (at least one of: {names})"))
    if errors:
        plan.errors = errors
        return plan
    header = {key: table.headers[i].strip() for key, i in found.items()}
    lookup = AgencyLookup(Agency.objects.filter(province_id=round.province_id))
    participants = set(Participation.objects.filter(round=round).values_list("agency_id", flat=True))
    allowed = set(allowed_agency_ids) if allowed_agency_ids is not None else None
    today = selectors.today(now)
    existing = {(a, c, d): n for a, c, d, n in ResponseCount.objects.filter(round=round).values_list(
        "agency_id", "instrument", "on_date", "count")}
    seen: dict[tuple, int] = {}
    for row in table.rows:
        def error(key, th, en, row=row):
            plan.errors.append(RowError(row.number, header.get(key, ""), th, en))

        agency, problem = lookup.find(row[found["agency"]])
        if problem:
            error("agency", *problem)
        elif allowed is not None and agency.pk not in allowed:
            error("agency", f"'{agency.name_th}' ไม่ใช่หน่วยงานที่คุณกำกับติดตาม", f"'{agency.name_th}' is not an agency you follow")
            agency = None
        elif agency.pk not in participants:
            error("agency", f"'{agency.name_th}' ไม่ได้เข้าร่วม{round.name}", f"'{agency.name_th}' does not take part in {round.name}")
            agency = None
        counts: dict[str, int] = {}
        bad = False
        for code in codes:
            raw = row[found[f"count:{code}"]]
            if not raw.strip():
                continue
            try:
                counts[code] = parse_count(raw)
            except CountError as exc:
                th, en = COUNT_PROBLEMS.get(exc.code, COUNT_PROBLEMS["text"])
                error(f"count:{code}", f"จำนวนผู้ตอบ {code} '{raw.strip()}' {th}",
                      f"{code} respondents '{raw.strip()}' {en}")
                bad = True
        on_date = today
        if "on_date" in found and (counts or bad):
            raw = row[found["on_date"]].strip()
            try:
                on_date = parse_date(raw)
            except ValueError:
                on_date = None
                if raw:
                    error("on_date", f"'{raw}' ไม่ใช่วันที่ (เช่น 20/6/2568 หรือ 2025-06-20)",
                          f"'{raw}' is not a date (e.g. 20/6/2568 or 2025-06-20)")
                else:
                    error("on_date", "ต้องระบุวันที่", "the date is required")
            else:
                if on_date > today:
                    error("on_date", f"วันที่ {format_date(on_date)} ยังมาไม่ถึง", f"{on_date.isoformat()} is in the future")
                    on_date = None
        if agency is None or on_date is None or bad:
            continue
        if not counts:  # a row left empty (e.g. an exported agency nobody filled in): nothing to record
            plan.skipped += 1
            continue
        key = (agency.pk, on_date)
        first = seen.setdefault(key, row.number)
        if first != row.number:
            error("agency", f"'{agency.name_th}' วันที่ {format_date(on_date)} ซ้ำกันในแถว {first} และแถว {row.number}",
                  f"'{agency.name_th}' on {on_date.isoformat()} appears in both row {first} and row {row.number}")
            continue
        new = {c: n for c, n in counts.items() if existing.get((agency.pk, c, on_date)) != n}
        if not new:
            plan.unchanged += 1
            continue
        plan.changes.append(PlannedCounts(row.number, agency, on_date, new))
    plan.errors.sort(key=lambda e: e.row or 0)
    return plan


@dataclass
class ResponseResult:
    recorded: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"บันทึก {self.recorded} ไม่เปลี่ยนแปลง {self.unchanged} / {self.recorded} recorded, {self.unchanged} unchanged"


@transaction.atomic
def apply_response_import(*, actor, plan: ResponsePlan, now=None) -> ResponseResult:
    """Write a checked plan in one transaction (all rows or none)."""
    if plan.errors:
        raise ImportRefused(f"ไฟล์มีข้อผิดพลาด {len(plan.errors)} รายการ จึงไม่ได้นำเข้าข้อมูลใด ๆ",
                            f"the file has {len(plan.errors)} errors, so nothing was imported", plan.errors)
    result = ResponseResult(unchanged=plan.unchanged)
    for planned in plan.changes:
        try:
            services.record_responses(actor=actor, round=plan.round, agency=planned.agency,
                                      on_date=planned.on_date, counts=planned.counts,
                                      source=ResponseCount.Source.IMPORT, now=now)
        except Exception as exc:
            detail = " ".join(getattr(exc, "messages", [str(exc)]))
            raise ImportRefused(f"แถว {planned.row}: บันทึกไม่ได้ ({detail}) จึงไม่ได้นำเข้าข้อมูลใด ๆ",
                                f"row {planned.row}: cannot be saved ({detail}), so nothing was imported",
                                [RowError(planned.row, "", detail, detail)]) from exc
        result.recorded += 1
    return result


# ------------------------------------------------------------------------------------------ export


def export_followup(target, round: Round, agency_rows, *, now=None) -> int:
    """The follow-up table as XLSX (Thai headers, BE dates): one row per agency, in the import format
    (fill in the counts and the date, import the file back). Returns the number of rows."""
    fu = selectors.followup(round, agency_rows, now=now)
    codes = {r.id: (c1 or c2 or "") for r, c1, c2 in _codes(agency_rows)}
    headers = ["หน่วยงาน", "ชื่อหน่วยงาน (อ่านอย่างเดียว)", "อำเภอ", "ประเภท", "ข้อมูลผู้มีส่วนได้ส่วนเสีย",
               "บุคลากรอายุงาน 1 ปีขึ้นไป", "ผู้รับบริการ (คนและหน่วยงาน)"]
    for inst in fu.instruments:
        headers += [inst.code, f"{inst.code} ขั้นต่ำ", f"{inst.code} ขาดอีก"]
    headers.append("วันที่")
    rows = []
    for r in fu.rows:
        stake = STAKE_TH[r.stake_status] + (" (ล่าช้า)" if r.stake_late else "")
        line = [codes.get(r.id) or r.name, r.name, r.district, r.kind_label, stake,
                r.internal if r.internal is not None else "", r.external if r.external is not None else ""]
        dates = []
        for inst in fu.instruments:
            cell = r.cells[inst.code]
            line += [cell.count if cell.count is not None else "", cell.minimum if cell.minimum is not None else "",
                     cell.gap if cell.gap is not None else ""]
            if cell.on_date:
                dates.append(cell.on_date)
        line.append(format_date(max(dates)) if dates else "")
        rows.append(line)
    write_table(target, headers, rows, "xlsx")
    return len(rows)


def _codes(agency_rows):
    ids = [r.id for r in agency_rows]
    found = {a: (i, d) for a, i, d in Agency.objects.filter(pk__in=ids).values_list("pk", "itas_code", "dla_code")}
    return [(r, *found.get(r.id, (None, None))) for r in agency_rows]
