"""Progress of a round as a spreadsheet: one row per agency and milestone, with its status and note.

``plan_progress_import`` checks a file without writing anything; ``apply_progress_import`` writes a
plan without errors in one transaction through ``cycles.services.set_progress`` (one history event per
change). ``export_progress`` writes the same format, so a file can go out to the offices and come back.

Columns: ``หน่วยงาน`` (ITAS code, DLA code or exact Thai name), ``ขั้นตอน`` (milestone code or Thai
name), ``สถานะ`` (status, Thai or English) and optionally ``หมายเหตุ`` (note: left alone when the
column is absent, cleared by an empty cell when present). ``ชื่อหน่วยงาน``, ``ชื่อขั้นตอน`` and
``กำหนดส่ง`` are written on export for people to read and ignored on import.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from itadesk.core.tabular import (
    BasePlan,
    Column,
    ImportRefused,
    RowError,
    compact_key,
    map_headers,
    read_import,
    text_key,
    write_table,
)
from itadesk.core.thai import format_date
from itadesk.cycles import sources
from itadesk.cycles.models import DONE_STATUSES, Milestone, Participation, Progress, Round, Status
from itadesk.cycles.services import set_progress
from itadesk.registry.lookup import AgencyLookup
from itadesk.registry.models import Agency

COLUMNS = (
    Column("agency", "หน่วยงาน", "agency", ("agency code", "รหัสหน่วยงาน", "รหัส ITAS", "itas_code", "itas code")),
    Column("agency_name", "ชื่อหน่วยงาน", "agency name", ("name_th", "agency_name"), info=True),
    Column("milestone", "ขั้นตอน", "milestone", ("milestone code", "รหัสขั้นตอน", "กิจกรรม"), required=True),
    Column("milestone_name", "ชื่อขั้นตอน", "milestone name", ("milestone_name",), info=True),
    Column("deadline", "กำหนดส่ง", "deadline", ("กำหนดเวลา", "due"), info=True),
    Column("status", "สถานะ", "status", ("สถานะการดำเนินงาน", "progress"), required=True),
    Column("note", "หมายเหตุ", "note", ("notes", "remark", "remarks", "comment")),
)
HEADERS = [c.header for c in COLUMNS]

STATUS_LABELS_TH = {
    Status.NOT_STARTED: "ยังไม่เริ่ม",
    Status.IN_PROGRESS: "กำลังดำเนินการ",
    Status.DONE: "ดำเนินการแล้ว",
    Status.APPROVED: "อนุมัติแล้ว",
}
_STATUS_MORE = {
    Status.NOT_STARTED: ("ยังไม่ดำเนินการ", "ยังไม่ได้ดำเนินการ", "todo"),
    Status.IN_PROGRESS: ("อยู่ระหว่างดำเนินการ", "ระหว่างดำเนินการ"),
    Status.DONE: ("เสร็จแล้ว", "เสร็จสิ้น", "ดำเนินการเสร็จแล้ว"),
    Status.APPROVED: ("อนุมัติ",),
}


def status_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for status in Status:
        names = [status.value, STATUS_LABELS_TH[status], *_STATUS_MORE.get(status, ())]
        for language in ("en", "th"):
            with translation.override(language):
                names.append(str(status.label))
        for name in names:
            lookup.setdefault(compact_key(name), status.value)
    return lookup


@dataclass
class PlannedProgress:
    row: int
    agency: Agency
    milestone: Milestone
    status: str
    note: str | None  # None: the file has no note column, the note stays as it is
    before: tuple[str, str] | None  # (status, note) when checked; None when there was no progress row


@dataclass
class ProgressPlan(BasePlan):
    round: Round
    changes: list[PlannedProgress] = field(default_factory=list)
    # Not errors: the file may still be applied. IIT/EIT declared done while ITA Desk's counts are below
    # the minimum (surveys.consistency).
    warnings: list[RowError] = field(default_factory=list)

    def counts(self):
        return [("เปลี่ยน", "to change", len(self.changes)), ("ไม่เปลี่ยนแปลง", "unchanged", self.unchanged)]


@dataclass
class ProgressResult:
    changed: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (f"เปลี่ยน {self.changed} ไม่เปลี่ยนแปลง {self.unchanged} / "
                f"{self.changed} changed, {self.unchanged} unchanged")


def plan_progress_import(*, data: bytes, filename: str, round: Round,
                         allowed_agency_ids: Collection[int] | None = None) -> ProgressPlan:
    """Read and check a progress file for ``round``; write nothing. When ``allowed_agency_ids`` is
    given, rows for other agencies are errors (the user may only update the agencies they follow)."""
    plan = ProgressPlan(round=round, filename=filename)
    if round.state == Round.State.CLOSED:
        plan.errors.append(RowError(None, "", f"{round.name} ปิดรอบแล้ว จึงนำเข้าความคืบหน้าไม่ได้",
                                    f"{round.name} is closed: its progress cannot be imported"))
        return plan
    table = read_import(data, filename, plan.errors)
    if table is None:
        return plan
    plan.rows = len(table.rows)
    columns, errors = map_headers(table, COLUMNS)
    if "agency" not in columns:
        if "agency_name" in columns:  # a file with only the agency's name identifies agencies by it
            columns["agency"] = columns.pop("agency_name")
        else:
            errors.append(RowError(table.header_row, "หน่วยงาน", "ไม่มีคอลัมน์ 'หน่วยงาน' ซึ่งต้องมี",
                                   "required column 'หน่วยงาน' (agency) is missing"))
    if errors:
        plan.errors = errors
        return plan
    header = {key: table.headers[index].strip() for key, index in columns.items()}

    lookup = AgencyLookup(Agency.objects.filter(province_id=round.province_id))
    milestones = list(round.milestones.all())
    milestone_of: dict[str, Milestone] = {}
    for milestone in milestones:
        for key in (milestone.code.casefold(), text_key(milestone.name_th), text_key(milestone.name_en or "")):
            if key:
                milestone_of.setdefault(key, milestone)
    participants = set(Participation.objects.filter(round=round).values_list("agency_id", flat=True))
    existing = {(p.milestone_id, p.agency_id): (p.status, p.note)
                for p in Progress.objects.filter(milestone__round=round).only("milestone_id", "agency_id",
                                                                               "status", "note")}
    allowed = set(allowed_agency_ids) if allowed_agency_ids is not None else None
    statuses = status_lookup()
    has_note = "note" in columns
    seen: dict[tuple[int, int], int] = {}

    for row in table.rows:
        def error(key, th, en, row=row):
            plan.errors.append(RowError(row.number, header[key], th, en))

        agency, problem = lookup.find(row[columns["agency"]])
        if problem:
            error("agency", *problem)
        elif allowed is not None and agency.pk not in allowed:
            error("agency", f"'{agency.name_th}' ไม่ใช่หน่วยงานที่คุณกำกับติดตาม",
                  f"'{agency.name_th}' is not an agency you follow")
            agency = None
        elif agency.pk not in participants:
            error("agency", f"'{agency.name_th}' ไม่ได้เข้าร่วม{round.name}",
                  f"'{agency.name_th}' does not take part in {round.name}")
            agency = None

        raw_milestone = row[columns["milestone"]].strip()
        milestone = milestone_of.get(raw_milestone.casefold()) or milestone_of.get(text_key(raw_milestone))
        if milestone is None:
            codes = ", ".join(m.code for m in milestones)
            if raw_milestone:
                error("milestone", f"ไม่พบขั้นตอน '{raw_milestone}' ในรอบนี้ (ใช้ได้: {codes})",
                      f"unknown milestone '{raw_milestone}' in this round (accepted: {codes})")
            else:
                error("milestone", "ต้องระบุขั้นตอน", "the milestone is required")

        raw_status = row[columns["status"]].strip()
        status = statuses.get(compact_key(raw_status)) if raw_status else None
        if status is None:
            choices = ", ".join(STATUS_LABELS_TH.values())
            if raw_status:
                error("status", f"ไม่รู้จักสถานะ '{raw_status}' (ใช้ได้: {choices})",
                      f"unknown status '{raw_status}' (accepted: {choices} or {', '.join(Status.values)})")
            else:
                error("status", "ต้องระบุสถานะ", "the status is required")

        note = row[columns["note"]].strip() if has_note else None
        if agency is None or milestone is None or status is None:
            continue
        key = (milestone.pk, agency.pk)
        first = seen.setdefault(key, row.number)
        if first != row.number:
            error("agency", f"'{agency.name_th}' ขั้นตอน '{milestone.code}' ซ้ำกันในแถว {first} และแถว {row.number}",
                  f"'{agency.name_th}', milestone '{milestone.code}' appears in both row {first} and row {row.number}")
            continue
        before = existing.get(key)
        current = before or (Status.NOT_STARTED, "")
        if status == current[0] and (note is None or note == current[1]):
            plan.unchanged += 1
            continue
        plan.changes.append(PlannedProgress(row.number, agency, milestone, status, note, before))
    plan.errors.sort(key=lambda e: e.row or 0)
    plan.warnings = _below_minimum_warnings(round, plan.changes, header.get("status", ""))
    return plan


def _below_minimum_warnings(round: Round, changes, column: str) -> list[RowError]:
    """A warning per row that declares IIT/EIT done for an agency whose response counts in ITA Desk are
    below the minimum (the file may still be applied: the declaration is the agency's)."""
    source = sources.source()
    done = [p for p in changes if p.milestone.code == source.responses_milestone and p.status in DONE_STATUSES]
    if not done:
        return []
    below = source.below_minimum_ids(round, sorted({p.agency.pk for p in done}))
    warnings = []
    for p in done:
        if p.agency.pk not in below:
            continue
        th = ", ".join(f"{code} {n:,}/{m:,}" for code, n, m in below[p.agency.pk])
        warnings.append(RowError(
            p.row, column,
            f"แจ้งว่า '{p.agency.name_th}' ดำเนินการ IIT/EIT แล้ว แต่จำนวนผู้ตอบใน ITA Desk ยังต่ำกว่าขั้นต่ำ ({th})",
            f"declares IIT/EIT done for '{p.agency.name_th}' while its respondents in ITA Desk are below the "
            f"minimum ({th})"))
    return warnings


@transaction.atomic
def apply_progress_import(*, actor, plan: ProgressPlan, now=None) -> ProgressResult:
    """Write a checked plan in one transaction through ``set_progress`` (one history event per
    change). Refuses (:class:`ImportRefused`, nothing written) a plan with errors or one whose progress
    was changed by someone else since the file was checked."""
    if plan.round.state == Round.State.CLOSED:
        raise ImportRefused(f"{plan.round.name} ปิดรอบแล้ว จึงนำเข้าความคืบหน้าไม่ได้",
                            f"{plan.round.name} is closed: its progress cannot be imported")
    if plan.errors:
        raise ImportRefused(f"ไฟล์มีข้อผิดพลาด {len(plan.errors)} รายการ จึงไม่ได้นำเข้าข้อมูลใด ๆ",
                            f"the file has {len(plan.errors)} errors, so nothing was imported", plan.errors)
    current = {(p.milestone_id, p.agency_id): (p.status, p.note)
               for p in Progress.objects.filter(milestone__round=plan.round).only("milestone_id", "agency_id",
                                                                                  "status", "note")}
    stale = [p for p in plan.changes if current.get((p.milestone.pk, p.agency.pk)) != p.before]
    if stale:
        errors = [RowError(p.row, "", f"ความคืบหน้าของ '{p.agency.name_th}' ขั้นตอน '{p.milestone.code}' "
                                      f"ถูกแก้ไขหลังการตรวจไฟล์",
                           f"the progress of '{p.agency.name_th}' on '{p.milestone.code}' was changed after the "
                           f"file was checked") for p in stale]
        raise ImportRefused("ข้อมูลเปลี่ยนไปหลังการตรวจไฟล์ กรุณาตรวจไฟล์ใหม่อีกครั้ง",
                            "the data changed after the file was checked; check the file again", errors)
    now = now or timezone.now()
    result = ProgressResult(unchanged=plan.unchanged)
    for planned in plan.changes:
        try:
            set_progress(actor=actor, agency=planned.agency, milestone=planned.milestone, status=planned.status,
                         note=planned.note, now=now)
        except ValidationError as exc:
            detail = " ".join(exc.messages)
            raise ImportRefused(f"แถว {planned.row}: บันทึกไม่ได้ ({detail}) จึงไม่ได้นำเข้าข้อมูลใด ๆ",
                                f"row {planned.row}: cannot be saved ({detail}), so nothing was imported",
                                [RowError(planned.row, "", detail, detail)]) from exc
        result.changed += 1
    return result


def export_progress(path_or_buffer, round: Round, fmt: str | None = None, *, agencies=None) -> int:
    """Write one row per participating agency (of ``agencies``, a queryset, if given) and milestone,
    in the import format. Returns the number of rows written."""
    participating = Agency.objects.filter(participations__round=round)
    if agencies is not None:
        participating = participating.filter(pk__in=agencies.values("pk"))
    milestones = list(round.milestones.all())
    progress = {(p.milestone_id, p.agency_id): p for p in Progress.objects.filter(milestone__round=round)}
    rows = []
    for agency in participating.distinct():
        identifier = agency.itas_code or agency.dla_code or agency.name_th
        for milestone in milestones:
            p = progress.get((milestone.pk, agency.pk))
            status = p.status if p else Status.NOT_STARTED
            rows.append([identifier, agency.name_th, milestone.code, milestone.name_th,
                         format_date(milestone.deadline), STATUS_LABELS_TH[status], p.note if p else ""])
    write_table(path_or_buffer, HEADERS, rows, fmt)
    return len(rows)
