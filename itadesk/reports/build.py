"""Every number of a monitoring report, computed in one place: ``monitoring(round_, office, at)`` returns
plain JSON-ready data (lists, dicts, strings, numbers) that the PDF, the DOCX, the XLSX annex and the page
all print as they are, and that an issued report keeps.

The report reads the data *as it stood at the cut-off* ``at`` wherever the data keeps its history:

* progress per milestone: the current row when it was last changed at or before ``at``, else the newest
  ``progress.*`` history event (``AuditEvent``) at or before ``at`` (no event: not started);
* OIT pre-review: the current state of an item with no ``EvidenceEvent`` after ``at``, else the state
  its newest event at or before ``at`` left it in; the checker's findings created at or before ``at``;
* stakeholder populations (for the minimum sample): the values of the newest ``StakeholderEvent`` at or
  before ``at``; response counts: the newest count dated at or before the cut-off's day and entered at
  or before ``at``;
* action items and problems: as the committee's selectors give them at ``at``.

What has no history is read as it is now, and the report says so (``as_now``): the list of participating
agencies, the coaching flags and target groups, the offices' oversight rules, the milestones and their
deadlines, and last year's results.

Documents are in Thai whatever the UI language (they go to the committee as official papers).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from itadesk.committee import selectors as committee_selectors
from itadesk.core.models import AuditEvent
from itadesk.core.names import province_names
from itadesk.core.thai import format_date, thai_digits, to_bangkok
from itadesk.cycles.models import DONE_STATUSES, Progress, Round, Status
from itadesk.cycles.selectors import office_agency_ids, participants
from itadesk.evidence.models import EvidenceEvent, EvidenceItem, Finding, State
from itadesk.evidence.selectors import oit_refs
from itadesk.methodology.models import AssessmentResult, FrameworkVersion, TargetGroupMember
from itadesk.registry.models import SupervisingOffice
from itadesk.surveys import consistency
from itadesk.surveys.selectors import followup

STATUS_TH = {Status.NOT_STARTED: "ยังไม่เริ่ม", Status.IN_PROGRESS: "กำลังดำเนินการ", Status.DONE: "ดำเนินการแล้ว",
             Status.APPROVED: "อนุมัติแล้ว"}
OIT_KEYS = ("approved", "returned", "submitted", "not_submitted")
OIT_TH = {"approved": "ผ่านการตรวจ", "returned": "ส่งกลับแก้ไข", "submitted": "รอตรวจ", "not_submitted": "ยังไม่ส่งตรวจ"}
AS_NOW_TH = [
    "รายชื่อหน่วยงานที่เข้ารับการประเมินและขอบเขตการกำกับติดตามของหน่วยงานกำกับติดตาม",
    "ขั้นตอนและกำหนดส่งของรอบการประเมิน",
    "หน่วยงานที่ต้องเร่งพัฒนา (กลุ่มเป้าหมาย) และผลคะแนนปีที่ผ่านมา",
]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _date_th(value, *, full=False) -> str:
    if value is None:
        return ""
    return format_date(value, style="full" if full else "short", digits="thai")


def _num(value) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


# ------------------------------------------------------------------------------------------ progress

def _progress_at(milestone_ids, agency_ids, at) -> dict[tuple[int, int], tuple[str, dt.datetime | None]]:
    """(milestone id, agency id) -> (status, done_at) at ``at``. Two queries (three when rows changed
    after ``at``): the current rows, and the history of the rows changed since."""
    result, changed = {}, {}
    ids = set(agency_ids)
    for pk, m_id, a_id, status, done_at, updated_at in Progress.objects.filter(
            milestone_id__in=milestone_ids).values_list("pk", "milestone_id", "agency_id", "status", "done_at",
                                                        "updated_at"):
        if a_id not in ids:
            continue
        if updated_at <= at:
            result[(m_id, a_id)] = (status, done_at)
        else:
            changed[str(pk)] = (m_id, a_id)
    if changed:
        ct = ContentType.objects.get_for_model(Progress)
        for object_id, after in (AuditEvent.objects.filter(content_type=ct, object_id__in=list(changed), at__lte=at)
                                 .order_by("at", "id").values_list("object_id", "after")):
            if after and after.get("status"):
                done_at = after.get("done_at")
                result[changed[object_id]] = (after["status"], dt.datetime.fromisoformat(done_at) if done_at else None)
    return result


def _milestones(round_, rows, at):
    milestones = list(round_.milestones.all())
    ids = [r.id for r in rows]
    progress = _progress_at([m.pk for m in milestones], ids, at)
    out, per_agency = [], defaultdict(dict)
    for m in milestones:
        counts = {s: 0 for s in Status.values}
        past = at >= m.deadline
        late, done_late = [], 0
        for r in rows:
            status, done_at = progress.get((m.pk, r.id), (Status.NOT_STARTED, None))
            counts[status] += 1
            is_done = status in DONE_STATUSES
            if is_done and done_at is not None and done_at >= m.deadline:
                done_late += 1
            is_late = past and not is_done
            if is_late:
                late.append({"id": r.id, "name": r.name, "district": r.district, "status": STATUS_TH[status]})
            per_agency[r.id][m.code] = {"status": status, "late": is_late}
        done = sum(counts[s] for s in DONE_STATUSES)
        out.append({
            "code": m.code, "name": m.name_th, "deadline": _iso(m.deadline), "deadline_th": _date_th(m.deadline),
            "past": past, "total": len(rows), "counts": counts, "done": done, "done_late": done_late,
            "percent": round(100 * done / len(rows)) if rows else 0, "late_count": len(late), "late": late,
        })
    return out, per_agency, progress


# ---------------------------------------------------------------------------------------------- OIT

def _oit(round, rows, at):
    """Per agency: its items of the round's OIT list approved, returned, waiting (submitted) and not submitted
    at ``at``, and the checker's open findings. The states are counted in the database (GROUP BY); only the
    items with an event after ``at`` are read one by one, and put back in the state their log gives."""
    from django.db.models import Count

    codes = [ref.item["code"] for ref in oit_refs(round)] if round.framework_id else []
    ids = {r.id for r in rows}
    keys = {State.APPROVED: "approved", State.RETURNED: "returned", State.SUBMITTED: "submitted"}
    per_agency = defaultdict(lambda: {k: 0 for k in OIT_KEYS})
    items = EvidenceItem.objects.filter(round=round, item_code__in=codes, created_at__lte=at)
    for a_id, state, n in (items.filter(state__in=list(keys)).values("agency_id", "state")
                           .annotate(n=Count("id")).order_by().values_list("agency_id", "state", "n")):
        if a_id in ids:
            per_agency[a_id][keys[state]] += n
    later = EvidenceEvent.objects.filter(item__round=round, at__gt=at).values("item_id")
    changed = {pk: [a_id, state, State.DRAFT] for pk, a_id, state in items.filter(pk__in=later).values_list(
        "pk", "agency_id", "state") if a_id in ids}
    if changed:
        for item_id, to_state in (EvidenceEvent.objects.filter(item_id__in=later, at__lte=at)
                                  .order_by("at", "id").values_list("item_id", "to_state")):
            if item_id in changed:
                changed[item_id][2] = to_state
        for a_id, now_state, then_state in changed.values():
            if now_state in keys:
                per_agency[a_id][keys[now_state]] -= 1
            if then_state in keys:
                per_agency[a_id][keys[then_state]] += 1
    # the checker's open findings: the failed ones of the newest checked snapshot per item and URL
    newest: dict[tuple[int, str], object] = {}
    failed: dict[tuple[int, str, object], int] = defaultdict(int)
    agency_of = {}
    for item_id, a_id, url, snap_id, passed, severity in (
            Finding.objects.filter(item__round=round, created_at__lte=at)
            .order_by("-created_at", "-snapshot_id").values_list("item_id", "item__agency_id", "url", "snapshot_id",
                                                                 "passed", "severity")):
        if a_id not in ids:
            continue
        agency_of[item_id] = a_id
        newest.setdefault((item_id, url), snap_id)
        if not passed and severity != Finding.Severity.INFO:
            failed[(item_id, url, snap_id)] += 1
    findings = defaultdict(int)
    for (item_id, url), snap_id in newest.items():
        findings[agency_of[item_id]] += failed.get((item_id, url, snap_id), 0)
    total_items = len(codes)
    out_rows, totals = [], {**{k: 0 for k in OIT_KEYS}, "findings": 0}
    for r in rows:
        c = dict(per_agency[r.id])
        answered = c["approved"] + c["returned"] + c["submitted"]
        c["not_submitted"] = max(0, total_items - answered)
        c["findings"] = findings.get(r.id, 0)
        for k in totals:
            totals[k] += c[k]
        out_rows.append({"id": r.id, "name": r.name, "district": r.district, **c})
    return {"items": total_items, "rows": out_rows, "totals": totals}


# --------------------------------------------------------------------------------------- IIT / EIT

def _responses(f, at):
    """The IIT/EIT standing at ``at`` from ``f``, the follow-up page's own selector
    (``surveys.selectors.followup``) read as at the cut-off, so the report's "below the minimum" is the
    dashboards' list."""
    insts = f.instruments
    codes = [i.code for i in insts]
    out_rows, below = [], []
    totals = {c: {"count": 0, "minimum": 0, "below": 0, "gap": 0} for c in codes}
    for r in f.rows:
        cells = {}
        for inst in insts:
            cell = r.cells[inst.code]
            cells[inst.code] = {"count": cell.count, "on_date": _iso(cell.on_date), "minimum": cell.minimum,
                                "gap": cell.gap}
            t = totals[inst.code]
            t["count"] += cell.count or 0
            t["minimum"] += cell.minimum or 0
            if cell.below:
                t["below"] += 1
                t["gap"] += cell.gap
                below.append({"id": r.id, "name": r.name, "instrument": inst.code, "count": cell.count or 0,
                              "minimum": cell.minimum, "gap": cell.gap})
        out_rows.append({"id": r.id, "name": r.name, "district": r.district, "cells": cells})
    below.sort(key=lambda b: (-b["gap"], b["name"], b["instrument"]))
    day = to_bangkok(at).date()
    return {"instruments": [{"code": i.code, "name": i.name_th} for i in insts], "rows": out_rows,
            "below": below, "totals": totals, "day": day.isoformat(), "day_th": _date_th(day)}


# ------------------------------------------------------------------------------------------ at risk

def _at_risk(round, rows):
    ids = [r.id for r in rows]
    last_year = round.fiscal_year - 1
    wanted = set(ids)
    results = {a: (total, published, level, passed, fw) for a, total, published, level, passed, fw in
               AssessmentResult.objects.filter(agency__province_id=round.province_id, fiscal_year=last_year)
               .order_by().values_list("agency_id", "total", "published_total", "level_label", "passed",
                                       "framework_id") if a in wanted}
    marks = {pk: (data or {}).get("pass_mark") for pk, data in FrameworkVersion.objects.filter(
        pk__in={v[4] for v in results.values()}).values_list("pk", "data")}
    groups = defaultdict(list)
    for a_id, name in (TargetGroupMember.objects.filter(group__province_id=round.province_id)
                       .exclude(group__fiscal_year__lt=last_year).values_list("agency_id", "group__name")):
        if a_id in wanted:
            groups[a_id].append(name)
    out = []
    for r in rows:
        reasons = []
        res = results.get(r.id)
        shown = None
        if res is not None:
            total, published, level, passed, fw = res
            shown = published if published is not None else total
            mark = marks.get(fw)
            if passed is False or (passed is None and shown is not None and mark is not None
                                   and float(shown) < float(mark)):
                reasons.append(f"ไม่ผ่านเกณฑ์ปีงบประมาณ พ.ศ. {thai_digits(last_year)}")
        if r.needs_coaching:
            reasons.append("หน่วยงานที่ต้องเร่งพัฒนา")
        for name in groups.get(r.id, []):
            reasons.append(f"กลุ่มเป้าหมาย: {name}")
        if not reasons:
            continue
        out.append({"id": r.id, "name": r.name, "district": r.district,
                    "score": _num(shown), "score_th": thai_digits(f"{shown:.2f}") if shown is not None else "—",
                    "level": res[2] if res else "", "reasons": reasons})
    out.sort(key=lambda x: (x["score"] is None, x["score"] or 0, x["name"]))
    return {"fiscal_year": last_year, "rows": out}


# ------------------------------------------------------------------------------ committee's sections

def _committee(round, office, at):
    available = {}
    sections = {}
    for key, fn in (("action_items", committee_selectors.action_items_for_report),
                    ("problems", committee_selectors.problems_for_report)):
        available[key] = True
        sections[key] = _plain(fn(province=round.province, office=office, at=at))
    if sections["action_items"]:
        sections["action_items"] = [a for a in sections["action_items"] if a.get("status") not in ("done", "cancelled")]
    return sections, available


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "pk"):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _dates_th(items: list[dict], *keys):
    for item in items:
        for key in keys:
            raw = item.get(key)
            if raw:
                try:
                    value = dt.datetime.fromisoformat(raw) if "T" in raw else dt.date.fromisoformat(raw)
                except (TypeError, ValueError):
                    continue
                item[key + "_th"] = _date_th(value)


# ------------------------------------------------------------------------------------------- report

def monitoring(round: Round, office: SupervisingOffice | None, at: dt.datetime | None = None, *,
               meeting=None) -> dict:
    """The monitoring report of ``office`` (None: the province-wide summary) in ``round`` at ``at``."""
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise ValueError("the cut-off must be an aware datetime")
    all_rows = participants(round)
    offices = office_agency_ids(round, all_rows)
    if office is not None:
        ids = next((agency_ids for o, agency_ids in offices if o.pk == office.pk), set())
        rows = [r for r in all_rows if r.id in ids]
    else:
        rows = all_rows
    milestones, per_agency, progress = _milestones(round, rows, at)
    oit = _oit(round, rows, at)
    follow = followup(round, rows, at=at, trend="none")
    responses = _responses(follow, at)
    mismatches = _mismatches(consistency.mismatches(
        round, rows, at=at, follow=follow, declared={k: status for k, (status, _done) in progress.items()}))
    at_risk = _at_risk(round, rows)
    committee, available = _committee(round, office, at)
    _dates_th(committee["action_items"], "due_date")
    _dates_th(committee["problems"], "since")
    province = round.province
    data = {
        "kind": "office" if office is not None else "province",
        "province": {"id": province.pk, "code": province.code, "name": province.name_th},
        "round": {"id": round.pk, "name": round.name, "fiscal_year": round.fiscal_year,
                  "fiscal_year_th": thai_digits(round.fiscal_year)},
        "office": ({"id": office.pk, "code": office.code, "name": office.name_th,
                    "short_name": office.short_name or office.name_th} if office is not None else None),
        "meeting": _meeting(meeting),
        "cut_off": at.isoformat(),
        "cut_off_th": format_date(at, style="full", digits="thai"),
        "agencies": len(rows),
        "milestones": milestones,
        "oit": oit,
        "responses": responses,
        "mismatches": mismatches,
        "action_items": committee["action_items"],
        "problems": committee["problems"],
        "committee_sections": available,
        "at_risk": at_risk,
        "as_now": AS_NOW_TH,
    }
    data["warnings"] = cut_off_warnings(at, meeting)
    data["title"] = title(data)
    if office is None:
        data["offices"] = _office_table(offices, milestones, per_agency, oit, responses, committee, mismatches)
    return data


def cut_off_warning(at, meeting) -> str:
    """A cut-off after the day of the meeting the report is for: the report then counts what happened
    after the meeting. Allowed (a report may be re-issued later for the record) but said on the form and
    in the report itself."""
    if meeting is None or meeting.date is None:
        return ""
    if to_bangkok(at).date() <= meeting.date:
        return ""
    day, meeting_day = _date_th(to_bangkok(at).date()), _date_th(meeting.date)
    return f"ข้อมูล ณ วันที่ {day} ซึ่งอยู่หลังวันประชุม ({meeting_day}) ตัวเลขในรายงานจึงรวมสิ่งที่เกิดขึ้นหลังการประชุม"


def cut_off_warnings(at, meeting) -> list[str]:
    warning = cut_off_warning(at, meeting)
    return [warning] if warning else []


def _mismatches(found) -> list[dict]:
    """Where ITA Desk and an agency's declaration about ITAS disagreed at the cut-off
    (``surveys.consistency``, the same list the dashboards show)."""
    return [{"id": m.agency_id, "name": m.name, "district": m.district, "milestone": m.check.code,
             "milestone_name": m.check.milestone_name,
             "here": f"{consistency.HERE_TH}: {m.check.here_th()}",
             "declared": f"{consistency.DECLARED_TH}: {consistency.STATUS_TH[m.check.declared]}",
             "kind": m.check.mismatch, "kind_th": consistency.KIND_TH[m.check.mismatch]} for m in found]


def _meeting(meeting) -> dict | None:
    if meeting is None:
        return None
    return {"id": meeting.pk, "number": meeting.number, "number_th": thai_digits(meeting.number),
            "title": meeting.title, "date": _iso(meeting.date), "date_th": _date_th(meeting.date, full=True),
            "place": meeting.place}


def title(data: dict) -> str:
    fy = data["round"]["fiscal_year_th"]
    province = province_names(data["province"]["name"])
    who = data["office"]["name"] if data["office"] else province.summary
    return ("รายงานผลการกำกับติดตามการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
            f"ประจำปีงบประมาณ พ.ศ. {fy} {province.name} — {who}")


def _office_table(offices, milestones, per_agency, oit, responses, committee, mismatches) -> list[dict]:
    """Each office's headline figures side by side (the province summary)."""
    oit_by = {r["id"]: r for r in oit["rows"]}
    below_by = defaultdict(int)
    for b in responses["below"]:
        below_by[b["id"]] += 1
    out = []
    for office, ids in offices:
        name = office.short_name or office.name_th
        row = {"id": office.pk, "code": office.code, "name": name, "agencies": len(ids), "milestones": []}
        for m in milestones:
            done = late = 0
            for a_id in ids:
                cell = per_agency.get(a_id, {}).get(m["code"])
                if cell is None:
                    continue
                done += cell["status"] in DONE_STATUSES
                late += cell["late"]
            row["milestones"].append({"code": m["code"], "done": done, "late": late})
        for key in (*OIT_KEYS, "findings"):
            row["oit_" + key] = sum(oit_by[a][key] for a in ids if a in oit_by)
        row["below_minimum"] = sum(1 for a in ids if below_by.get(a))
        row["mismatches"] = sum(1 for m in mismatches if m["id"] in ids)
        row["action_items"] = sum(1 for a in committee["action_items"] if a.get("office") in (name, office.name_th))
        row["problems"] = sum(1 for p in committee["problems"] if p.get("office") in (name, office.name_th))
        out.append(row)
    return out
