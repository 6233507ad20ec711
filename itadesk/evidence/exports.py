"""The agency's OIT list in the order ITAS asks for it, for copying into ITAS: an XLSX table and the
lines of the print page. In Thai, whatever the UI language (it is what goes into ITAS)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from itadesk.core.thai import format_date, thai_digits
from itadesk.evidence import workflow
from itadesk.evidence.models import Answer, Decision
from itadesk.evidence.selectors import ItemRow, Workspace
from itadesk.methodology.schema import item_time_rule

ANSWER_TH = {Answer.HAS: "มี", Answer.HAS_NOT: "ไม่มี", Answer.NOT_ANSWERED: "ยังไม่ตอบ"}
DECISION_TH = {Decision.MET: "ครบถ้วน", Decision.NOT_MET: "ไม่ครบถ้วน", Decision.CANNOT_TELL: "ไม่สามารถระบุได้"}
HEADERS = ["ลำดับ", "ข้อ", "ตัวชี้วัด", "ตัวชี้วัดย่อย", "รายการ", "ปีของข้อมูล", "คำตอบ", "URL",
           "คำอธิบายเพิ่มเติม", "สถานะ", "ผลการตรวจอัตโนมัติ", "ความเห็นผู้ตรวจ"]
# The same columns as keys, for the PDF (``pdf_data``).
KEYS = ["number", "code", "indicator", "subindicator", "text", "data_year", "answer", "urls", "explanation",
        "state", "findings", "review"]
MULTILINE = {"urls", "findings", "review"}
DATA_YEAR_TH = {"current_year": "ข้อมูลปีงบประมาณ {fy}", "previous_year": "ปีงบประมาณ {prev} (ปีที่ผ่านมา)",
                "covers_current_year": "แผนที่ครอบคลุมปีงบประมาณ {fy}",
                "first_half_current_year": "รอบ 6 เดือนแรกของปีงบประมาณ {fy} (ต.ค. – มี.ค.)",
                "current_holder": "ผู้ดำรงตำแหน่งปัจจุบัน (ไม่ต้องระบุปี)", "any_year": "ไม่กำหนดปีงบประมาณ",
                "none": "ไม่ต้องระบุปี"}


@dataclass
class Line:
    row: ItemRow
    answer: str
    urls: list[str]
    state: str
    findings: list[str]
    review: list[str]


def _name(obj: dict | None) -> str:
    if not obj:
        return ""
    return f"{obj['code']} {obj.get('name_th') or ''}".strip()


def findings_summary(row: ItemRow) -> list[str]:
    failed = row.failed_findings
    if failed:
        return [f"✗ {f.message_th or f.code}" + (f" ({f.url})" if len(row.item.urls) > 1 else "") for f in failed]
    if row.all_findings:
        return ["ผ่านการตรวจอัตโนมัติทุกรายการ"]
    return []


def review_summary(row: ItemRow) -> list[str]:
    lines = []
    if row.last_review is not None and row.last_review.comment:
        verdict = workflow.ACTION_TH.get(row.last_review.action, row.last_review.action)
        lines.append(f"{verdict}: {row.last_review.comment}")
    for el in row.elements:
        d = el.decision
        if d is not None and (d.decision != Decision.MET or d.comment):
            lines.append(f"{el.code} {DECISION_TH.get(d.decision, d.decision)}" + (f": {d.comment}" if d.comment else ""))
    return lines


def lines(ws: Workspace) -> list[Line]:
    return [Line(row=r, answer=ANSWER_TH.get(r.item.answer, r.item.answer), urls=list(r.item.urls),
                 state=workflow.STATE_TH.get(r.item.state, r.item.state) if r.saved else "ยังไม่เริ่ม",
                 findings=findings_summary(r),
                 review=review_summary(r)) for r in ws.rows]


def table(ws: Workspace) -> tuple[list[str], list[list]]:
    fy = ws.round.fiscal_year
    rows = []
    for line in lines(ws):
        r = line.row
        year = DATA_YEAR_TH[item_time_rule(r.ref.item)].format(fy=fy, prev=fy - 1)
        rows.append([r.number, r.code, _name(r.ref.indicator), _name(r.ref.subindicator),
                     r.ref.item.get("text_th") or "(ยังไม่ทราบชื่อข้อ)", year, line.answer, "\n".join(line.urls),
                     r.item.explanation, line.state, "\n".join(line.findings), "\n".join(line.review)])
    return HEADERS, rows


def pdf_data(ws: Workspace, *, now: dt.datetime) -> dict:
    """The PDF's data (template ``oit-evidence.typ``): the rows of ``table`` with their header, a title
    and a summary. Multi-line cells become lists."""
    headers, rows = table(ws)
    records = []
    for row in rows:
        record = dict(zip(KEYS, row, strict=True))
        for key in MULTILINE:
            record[key] = [x for x in (record[key] or "").split("\n") if x]
        record["explanation"] = record["explanation"] or ""
        records.append(record)
    round, agency = ws.round, ws.agency
    framework = round.framework.label if round.framework_id else ""
    summary = f"ข้อที่พร้อม {ws.ready} / {ws.total} ข้อ · ผ่านการตรวจของหน่วยงานกำกับติดตาม {ws.counts.get('approved', 0)} ข้อ"
    if ws.score is not None and ws.oit_score is not None:
        summary += f" · คะแนน OIT ที่คาดการณ์ {ws.oit_score:.2f}"
    return {
        "title": f"รายการข้อมูล OIT {agency.name_th} ปีงบประมาณ {round.fiscal_year}",
        "heading": f"รายการข้อมูลการเปิดเผยข้อมูลสาธารณะ (OIT) ประจำปีงบประมาณ พ.ศ. {thai_digits(round.fiscal_year)}",
        "agency": agency.name_th,
        "subtitle": " · ".join(x for x in (round.name, framework, "เรียงตามลำดับในระบบ ITAS") if x),
        "printed": "พิมพ์เมื่อ " + format_date(now, style="full", digits="thai"),
        "summary": summary,
        "headers": dict(zip(KEYS, headers, strict=True)),
        "rows": records,
    }
