"""The monitoring report's data (``build.monitoring``) as documents: PDF (Typst, official Thai style), DOCX
(``word.py``: the docxtpl template ``itadesk/reports/docx/monitoring.docx``) and the XLSX annex (one sheet per
table).

``tables(data)`` lays the report out once (sections, captions, Thai headers, rows of plain values); the
three formats print that layout, so they always say the same thing. In Thai whatever the UI language.
"""

from __future__ import annotations

import io

from itadesk.core.names import province_names
from itadesk.core.tabular import append_text_safe
from itadesk.core.thai import thai_digits
from itadesk.documents import pdf as typst
from itadesk.documents.emblem import for_documents
from itadesk.registry.models import Province
from itadesk.reports import word


def _count(n) -> str:
    return "—" if n is None else f"{n:,}"


def _office_name(data) -> str:
    if data["office"]:
        return data["office"]["name"]

    return "{} (ฝ่ายเลขานุการคณะกรรมการ)".format(province_names(data["province"]["name"]).summary)


def tables(data: dict) -> list[dict]:
    """[{heading, note, tables: [{key, caption, headers, widths, rows, empty}]}] — values as numbers or text."""
    sections = []
    ms = data["milestones"]
    if data["kind"] == "province" and data.get("offices") is not None:
        headers = ["หน่วยงานกำกับติดตาม", "หน่วยงาน"]
        headers += ["ล่าช้า {}".format(m["name"]) for m in ms]
        headers += ["OIT ผ่าน", "OIT ส่งกลับ", "OIT รอตรวจ", "ต่ำกว่าขั้นต่ำ", "ข้อสั่งการค้าง", "ปัญหาอุปสรรค"]
        rows = [[o["name"], o["agencies"], *[c["late"] for c in o["milestones"]], o["oit_approved"],
                 o["oit_returned"], o["oit_submitted"], o["below_minimum"], o["action_items"], o["problems"]]
                for o in data["offices"]]
        rows.append(["รวมทั้งจังหวัด", data["agencies"], *[m["late_count"] for m in ms],
                     data["oit"]["totals"]["approved"], data["oit"]["totals"]["returned"],
                     data["oit"]["totals"]["submitted"], len({b["id"] for b in data["responses"]["below"]}),
                     len(data["action_items"]), len(data["problems"])])
        if "mismatches" in data:
            headers.append("ไม่ตรงกับ ITAS")
            for row, o in zip(rows, data["offices"], strict=False):
                row.append(o.get("mismatches", 0))
            rows[-1].append(len(data["mismatches"]))
        sections.append({"heading": "ภาพรวมรายหน่วยงานกำกับติดตาม", "note": "", "tables": [{
            "key": "offices", "caption": "", "headers": headers, "widths": [0] + [1.3] * (len(headers) - 1),
            "rows": rows, "empty": "—"}]})
    status_headers = ["ยังไม่เริ่ม", "กำลังดำเนินการ", "ดำเนินการแล้ว", "อนุมัติแล้ว"]
    prog_rows = [[m["name"], m["deadline_th"], m["total"], m["counts"]["not_started"], m["counts"]["in_progress"],
                  m["counts"]["done"], m["counts"]["approved"], m["late_count"]] for m in ms]
    late_rows = [[m["name"], a["name"], a["district"], a["status"]] for m in ms for a in m["late"]]
    sections.append({"heading": "๑. ความคืบหน้าตามขั้นตอนการประเมิน", "note": "", "tables": [
        {"key": "progress", "caption": "", "headers": ["ขั้นตอน", "กำหนดส่ง", "หน่วยงาน", *status_headers, "ล่าช้า"],
         "widths": [0, 3.2, 1.4, 1.5, 1.7, 1.7, 1.5, 1.2], "rows": prog_rows, "empty": "ไม่มีขั้นตอน"},
        {"key": "late", "caption": "หน่วยงานที่ล่าช้า", "headers": ["ขั้นตอน", "หน่วยงาน", "อำเภอ", "สถานะ"],
         "widths": [3.5, 0, 3, 3], "rows": late_rows, "empty": "ไม่มีหน่วยงานที่ล่าช้า"},
    ]})
    oit = data["oit"]
    t = oit["totals"]
    oit_rows = [[r["name"], r["approved"], r["returned"], r["submitted"], r["not_submitted"], r["findings"]]
                for r in oit["rows"]]
    if oit_rows:
        oit_rows.append(["รวม", t["approved"], t["returned"], t["submitted"], t["not_submitted"], t["findings"]])
    sections.append({"heading": "๒. การตรวจสอบข้อมูลหลักฐาน OIT เบื้องต้น",
                     "note": "จำนวนข้อตามเกณฑ์ {} ข้อต่อหน่วยงาน".format(_count(oit["items"])), "tables": [
        {"key": "oit", "caption": "", "headers": ["หน่วยงาน", "ผ่านการตรวจ", "ส่งกลับแก้ไข", "รอตรวจ",
                                                  "ยังไม่ส่งตรวจ", "ข้อสังเกตที่ยังไม่แก้ไข"],
         "widths": [0, 1.8, 1.8, 1.5, 1.8, 2.2], "rows": oit_rows, "empty": "ไม่มีข้อมูล"}]})
    resp = data["responses"]
    summary_rows = [[i["code"], resp["totals"][i["code"]]["count"], resp["totals"][i["code"]]["minimum"],
                     resp["totals"][i["code"]]["below"], resp["totals"][i["code"]]["gap"]] for i in resp["instruments"]]
    below_rows = [[b["name"], b["instrument"], b["count"], b["minimum"], b["gap"]] for b in resp["below"]]
    sections.append({"heading": "๓. การเก็บข้อมูลแบบวัด IIT และ EIT เทียบกับจำนวนขั้นต่ำ",
                     "note": "จำนวนผู้ตอบ ณ วันที่ {}".format(resp["day_th"]), "tables": [
        {"key": "responses", "caption": "", "headers": ["แบบวัด", "ผู้ตอบรวม", "ขั้นต่ำรวม",
                                                        "หน่วยงานที่ต่ำกว่าขั้นต่ำ", "ขาดอีกรวม"],
         "widths": [0, 2.5, 2.5, 3.5, 2.5], "rows": summary_rows, "empty": "ไม่มีแบบวัด"},
        {"key": "below", "caption": "หน่วยงานที่มีผู้ตอบต่ำกว่าจำนวนขั้นต่ำ",
         "headers": ["หน่วยงาน", "แบบวัด", "ตอบแล้ว", "ขั้นต่ำ", "ขาดอีก"],
         "widths": [0, 1.6, 1.8, 1.8, 1.8], "rows": below_rows, "empty": "ไม่มีหน่วยงานที่ต่ำกว่าขั้นต่ำ"},
    ]})
    if "mismatches" in data:  # reports issued before this table existed do not have it
        mismatch_rows = [[m["name"], m["milestone_name"], m["here"], m["declared"], m["kind_th"]] for m in data["mismatches"]]
        sections[-1]["tables"].append(
            {"key": "mismatches", "caption": "ข้อมูลใน ITA Desk ไม่ตรงกับที่หน่วยงานแจ้งเกี่ยวกับระบบ ITAS",
             "headers": ["หน่วยงาน", "ขั้นตอน", "ใน ITA Desk", "หน่วยงานแจ้ง", "ข้อที่ไม่ตรงกัน"],
             "widths": [0, 1.6, 3, 3, 3.5], "rows": mismatch_rows, "empty": "ไม่มีข้อมูลที่ไม่ตรงกัน"})
    action_rows = [[a.get("title", ""), a.get("meeting", ""), a.get("due_date_th", ""), a.get("status_label", ""),
                    "{}/{}".format(a.get("targets_done", 0), a.get("targets_total", 0)),
                    ", ".join(a.get("pending_agencies") or [])] for a in data["action_items"]]
    note = "" if data["committee_sections"].get("action_items") else "ยังไม่มีข้อมูลข้อสั่งการในระบบ"
    sections.append({"heading": "๔. ข้อสั่งการของคณะกรรมการที่ยังดำเนินการไม่แล้วเสร็จ", "note": note, "tables": [
        {"key": "action_items", "caption": "", "headers": ["เรื่อง", "การประชุม", "กำหนด", "สถานะ",
                                                           "ดำเนินการแล้ว", "หน่วยงานที่ยังไม่ดำเนินการ"],
         "widths": [0, 2.5, 2, 1.8, 1.6, 3.5], "rows": action_rows, "empty": "ไม่มีข้อสั่งการที่ค้างอยู่"}]})
    problem_rows = [[p.get("title", ""), ", ".join(p.get("agencies") or []), p.get("since_th", ""),
                     p.get("action_taken", ""), p.get("request_to_committee", "")] for p in data["problems"]]
    note = "" if data["committee_sections"].get("problems") else "ยังไม่มีข้อมูลปัญหาและอุปสรรคในระบบ"
    sections.append({"heading": "๕. ปัญหาและอุปสรรค", "note": note, "tables": [
        {"key": "problems", "caption": "", "headers": ["ปัญหา", "หน่วยงาน", "ตั้งแต่", "การดำเนินการ",
                                                       "ข้อเสนอต่อคณะกรรมการ"],
         "widths": [0, 3, 2, 3, 3], "rows": problem_rows, "empty": "ไม่มีปัญหาและอุปสรรค"}]})
    risk = data["at_risk"]
    risk_rows = [[r["name"], r["score"] if r["score"] is not None else "—", r["level"], "; ".join(r["reasons"])]
                 for r in risk["rows"]]
    sections.append({"heading": "๖. หน่วยงานที่มีความเสี่ยง (ผลคะแนนปีงบประมาณ พ.ศ. {})".format(thai_digits(risk["fiscal_year"])),
                     "note": "", "tables": [
        {"key": "at_risk", "caption": "", "headers": ["หน่วยงาน", "คะแนน", "ระดับ", "เหตุผล"],
         "widths": [0, 1.6, 2.2, 5.5], "rows": risk_rows, "empty": "ไม่มีหน่วยงานที่มีความเสี่ยง"}]})
    return sections


def summary_lines(data: dict) -> list[str]:
    lines = ["คำเตือน: " + w for w in data.get("warnings", [])]
    lines.append("หน่วยงานในความรับผิดชอบ {} แห่ง".format(_count(data["agencies"])))
    for m in data["milestones"]:
        lines.append("{}: ดำเนินการแล้ว {} จาก {} แห่ง (ร้อยละ {}) ล่าช้า {} แห่ง".format(
            m["name"], _count(m["done"]), _count(m["total"]), m["percent"], _count(m["late_count"])))
    return lines


def _cell_th(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return thai_digits(f"{value:,.2f}")
    if isinstance(value, int) and not isinstance(value, bool):
        return thai_digits(f"{value:,}")
    return thai_digits(str(value))


def _th_rows(rows: list) -> list:
    return [{"group": thai_digits(r["group"])} if isinstance(r, dict) else [_cell_th(c) for c in r] for r in rows]


def _printable_sections(sections: list[dict]) -> list[dict]:
    return [{"heading": s["heading"], "note": thai_digits(s["note"]), "tables": [
        {**t, "rows": _th_rows(t["rows"]), "notes": [thai_digits(n) for n in t.get("notes", [])]}
        for t in s["tables"]]} for s in sections]


def _nothing_to_report(row: dict) -> bool:
    return not (row["approved"] or row["returned"] or row["submitted"] or row["findings"])


def compact(data: dict) -> tuple[list[dict], list[dict]]:
    """(sections, annex): the report's tables made short for reading — the late agencies grouped under their
    milestone (named once), the OIT table listing only agencies with something to report and counting the
    others — and the annex with the full lists (the same as the XLSX sheets)."""
    full = tables(data)
    by_key = {t["key"]: t for s in full for t in s["tables"]}
    sections = []
    for s in full:
        out = []
        for t in s["tables"]:
            if t["key"] == "late":
                rows = []
                for m in data["milestones"]:
                    if m["late"]:
                        rows.append({"group": "{} (กำหนด {}) ล่าช้า {} แห่ง".format(
                            m["name"], m["deadline_th"], _count(m["late_count"]))})
                        rows.extend([a["name"], a["district"], a["status"]] for a in m["late"])
                t = {**t, "headers": ["หน่วยงาน", "อำเภอ", "สถานะ"], "widths": [0, 3, 3], "rows": rows}
            elif t["key"] == "oit" and t["rows"]:
                listed = [r for r in data["oit"]["rows"] if not _nothing_to_report(r)]
                quiet = len(data["oit"]["rows"]) - len(listed)
                rows = [[r["name"], r["approved"], r["returned"], r["submitted"], r["not_submitted"], r["findings"]]
                        for r in listed] + [t["rows"][-1]]
                notes = []
                if quiet:
                    notes.append(f"หน่วยงานที่ยังไม่มีข้อใดส่งตรวจ ผ่านการตรวจ หรือส่งกลับแก้ไข และไม่มีข้อสังเกต {_count(quiet)} แห่ง "
                                 "(รายชื่อในภาคผนวก)")
                t = {**t, "rows": rows, "notes": notes}
            out.append(t)
        sections.append({**s, "tables": out})
    annex = []
    if by_key["late"]["rows"]:
        annex.append({"heading": "ก. หน่วยงานที่ล่าช้า (รายชื่อทั้งหมด)", "note": "", "tables": [
            {**by_key["late"], "caption": ""}]})
    if by_key["oit"]["rows"] and any(_nothing_to_report(r) for r in data["oit"]["rows"]):
        # only when the body counted agencies instead of listing them (else the body's table is the full list)
        annex.append({"heading": "ข. การตรวจสอบข้อมูลหลักฐาน OIT รายหน่วยงาน (ทุกหน่วยงาน)", "note": "", "tables": [
            by_key["oit"]]})
    return sections, annex


def _percent(done: int, total: int) -> str:
    return f"{100 * done / total:.0f}" if total else "0"


def executive_lines(data: dict) -> list[str]:
    """Page 1: the agencies on track for each milestone against the target that all (ร้อยละ ๑๐๐) pass it, the OIT
    pre-review states and the questionnaires against their minimum."""
    lines = []
    milestones = {f"{m['name']}: ": m for m in data["milestones"]}
    for line in summary_lines(data):  # matched by their text: summary_lines may put warnings first
        m = next((m for head, m in milestones.items() if line.startswith(head)), None)
        if m is not None:
            on_track = (m["total"] or 0) - (m["late_count"] or 0)
            line += " ตามกำหนด {} แห่ง (ร้อยละ {})".format(_count(on_track), _percent(on_track, m["total"] or 0))
        lines.append(line)
        if line.startswith("หน่วยงานในความรับผิดชอบ"):
            lines.append("เป้าหมาย: หน่วยงานทุกแห่ง (ร้อยละ ๑๐๐) ดำเนินการแต่ละขั้นตอนแล้วเสร็จภายในกำหนด")
    t = data["oit"]["totals"]
    lines.append("OIT: ผ่านการตรวจ {} ข้อ ส่งกลับแก้ไข {} ข้อ รอตรวจ {} ข้อ ยังไม่ส่งตรวจ {} ข้อ".format(
        _count(t["approved"]), _count(t["returned"]), _count(t["submitted"]), _count(t["not_submitted"])))
    for i in data["responses"]["instruments"]:
        tot = data["responses"]["totals"][i["code"]]
        lines.append("{}: ผู้ตอบ {} คน ขั้นต่ำรวม {} คน หน่วยงานที่ต่ำกว่าขั้นต่ำ {} แห่ง".format(
            i["code"], _count(tot["count"]), _count(tot["minimum"]), _count(tot["below"])))
    return lines


def charts(data: dict) -> list[dict]:
    """The executive summary's charts as data (fractions 0–1), drawn by ``typst/charts.typ``."""
    out = [{"title": "ความคืบหน้าตามขั้นตอน: ดำเนินการแล้ว เทียบเป้าหมายร้อยละ ๑๐๐", "kind": "bars", "rows": [
        {"label": m["name"], "fraction": (m["done"] / m["total"]) if m["total"] else 0, "target": 1.0,
         "colour": "late" if m["late_count"] else "done",
         "text": thai_digits("ร้อยละ {} ({}/{})".format(_percent(m["done"], m["total"] or 0), m["done"], m["total"]))}
        for m in data["milestones"]]}]
    t = data["oit"]["totals"]
    states = [("ผ่านการตรวจ", t["approved"], "done"), ("ส่งกลับแก้ไข", t["returned"], "returned"),
              ("รอตรวจ", t["submitted"], "waiting"), ("ยังไม่ส่งตรวจ", t["not_submitted"], "idle")]
    total = sum(n for _, n, _ in states)
    if total:
        out.append({"title": "สถานะการตรวจสอบข้อมูลหลักฐาน OIT เบื้องต้น (ทุกข้อของทุกหน่วยงาน)", "kind": "stack",
                    "segments": [{"label": label, "fraction": n / total, "colour": colour,
                                  "text": thai_digits(f"{n:,}")} for label, n, colour in states]})
    rows = []
    for i in data["responses"]["instruments"]:
        tot = data["responses"]["totals"][i["code"]]
        minimum = tot["minimum"] or 0
        rows.append({"label": i["code"], "fraction": min(1.0, tot["count"] / minimum) if minimum else 1.0,
                     "target": 1.0 if minimum else None, "colour": "short" if tot["below"] else "done",
                     "text": thai_digits("{:,} / {}".format(tot["count"], f"{minimum:,}" if minimum else "—"))})
    if rows:
        out.append({"title": "แบบวัด IIT และ EIT: ผู้ตอบเทียบจำนวนขั้นต่ำรวม", "kind": "bars", "rows": rows,
                    "note": "เส้นดำ = จำนวนขั้นต่ำ; สีแดง = มีหน่วยงานที่ยังต่ำกว่าขั้นต่ำ"})
    return out


def _cover(data: dict) -> dict:
    """The covering memo (บันทึกข้อความ) from the office (the secretariat for the province summary) to the
    committee's chair, with a signature block to sign by hand."""
    province = province_names(data["province"]["name"])
    sender = data["office"]["name"] if data["office"] else f"ฝ่ายเลขานุการคณะกรรมการ {province.office}"
    committee = "คณะกรรมการกำกับการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) " + province.name
    meeting = data.get("meeting")
    at_meeting = ""
    if meeting:
        at_meeting = " ต่อที่ประชุม{} {}".format(meeting.get("title") or "คณะกรรมการ", meeting.get("number_th") or "")
    fy = data["round"]["fiscal_year_th"]
    worst = max(data["milestones"], key=lambda m: m["late_count"] or 0, default=None)
    finding = ""
    if worst and worst["late_count"]:
        finding = " ขั้นตอนที่ล่าช้ามากที่สุดคือ{} ล่าช้า {} แห่ง".format(worst["name"], _count(worst["late_count"]))
    emblem = for_documents(Province.objects.filter(pk=data["province"]["id"]).first())
    return {
        "emblem_svg": emblem["emblem_svg"], "form": "memo",
        "office_lines": [sender], "contact_lines": [], "number": "\u00a0" * 16,
        "date": data["cut_off_th"].split(" เวลา")[0],
        "subject": f"รายงานผลการกำกับติดตามการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {fy}",
        "addressee": "ประธาน" + committee, "reference": "", "enclosures": [],
        "paragraphs": [
            " ".join(f"ตามที่{committee} กำหนดให้หน่วยงานกำกับติดตามรายงานผลการกำกับติดตามการประเมินคุณธรรมและความโปร่งใส"
                     f"ในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. {fy}{at_meeting} นั้น"
                     .split()),
            "บัดนี้ {} ได้จัดทำรายงานผลการกำกับติดตาม ข้อมูล ณ วันที่ {} แล้ว หน่วยงานในความรับผิดชอบ {} แห่ง{} "
            "รายละเอียดตามรายงานที่แนบ".format(sender, data["cut_off_th"], thai_digits(_count(data["agencies"])),
                                            thai_digits(finding)),
        ],
        "closing": "จึงเรียนมาเพื่อโปรดทราบ",
        "signer_name": "(" + "." * 48 + ")",
        "signer_lines": ["ตำแหน่ง " + "." * 40, sender],
    }


def _printable(data: dict) -> dict:
    """The layout with every cell as Thai text (Thai digits), shared by the PDF and the DOCX."""
    sections, annex = compact(data)
    meeting = data.get("meeting")
    meeting_line = ""
    if meeting:
        meeting_line = "เสนอต่อที่ประชุม{} {} วันที่ {}".format(
            meeting.get("title") or "คณะกรรมการ", meeting.get("number_th") or "", meeting.get("date_th") or "")
    return {
        "title": data["title"],
        "cover": _cover(data),
        "heading": "รายงานผลการกำกับติดตามการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
                   "ประจำปีงบประมาณ พ.ศ. {}".format(data["round"]["fiscal_year_th"]),
        "office": _office_name(data),
        "meeting": " ".join(meeting_line.split()),
        "cut_off": "ข้อมูล ณ วันที่ {}".format(data["cut_off_th"]),
        "summary": [thai_digits(line) for line in executive_lines(data)],
        "charts": charts(data),
        "sections": _printable_sections(sections),
        "annex": _printable_sections(annex),
        "as_now": ["ข้อมูลต่อไปนี้เป็นข้อมูล ณ เวลาที่จัดทำรายงาน ไม่ใช่ ณ วันที่ตัดข้อมูล: " + ", ".join(data["as_now"])],
        "footer": "",
    }


XLSX_SHEETS = {"offices": "หน่วยงานกำกับติดตาม", "progress": "ความคืบหน้า", "late": "หน่วยงานที่ล่าช้า", "oit": "OIT",
               "responses": "IIT-EIT", "below": "ต่ำกว่าขั้นต่ำ",
               "mismatches": "ไม่ตรงกับ ITAS", "action_items": "ข้อสั่งการ", "problems": "ปัญหาอุปสรรค",
               "at_risk": "หน่วยงานที่มีความเสี่ยง"}


# the tables with a row per agency (or more): the ones that grow with the number of agencies
AGENCY_LISTS = frozenset({"late", "oit", "below", "mismatches", "at_risk"})


def pdf_max_rows() -> int:
    """The most rows of one table the PDF prints (``ITADESK_REPORT_PDF_MAX_ROWS``, default 2,000): Typst holds a
    whole table's layout in memory (about 70 kB a row), so a national-size list goes to the XLSX annex only."""
    from django.conf import settings

    return int(getattr(settings, "ITADESK_REPORT_PDF_MAX_ROWS", 2000))


def _fit_table(t: dict, limit: int) -> dict:
    """``t`` unchanged if it has at most ``limit`` rows or is not one of ``AGENCY_LISTS``; else its milestone rows (named, with their counts) and
    its total row kept, the other rows left to the XLSX annex and a note saying so and how many they are."""
    rows = t["rows"]
    if t["key"] not in AGENCY_LISTS or len(rows) <= limit:
        return t
    kept = [r for r in rows if isinstance(r, dict)]
    if t["key"] == "oit" and rows and not isinstance(rows[-1], dict) and rows[-1][0] == "รวม":
        kept.append(rows[-1])
    left = len(rows) - len(kept)
    note = ("รายการนี้มี {} แถว เกินกว่าที่จะพิมพ์ในเอกสาร PDF ({} แถว) รายการทั้งหมดอยู่ในภาคผนวก XLSX "
            "แผ่นงาน “{}”".format(thai_digits(f"{left:,}"), thai_digits(f"{limit:,}"),
                                 XLSX_SHEETS.get(t["key"], t["key"])[:31]))
    return {**t, "rows": kept, "notes": [note, *t.get("notes", [])]}


def _fit_pdf(printable: dict, limit: int) -> dict:
    """The printable layout with every table longer than ``limit`` rows cut to what the PDF can hold (see
    ``_fit_table``); the numbers of the summary, charts and headings are untouched."""
    def fit(sections):
        return [{**s, "tables": [_fit_table(t, limit) for t in s["tables"]]} for s in sections]

    return {**printable, "sections": fit(printable["sections"]), "annex": fit(printable["annex"])}


def pdf(data: dict) -> bytes:
    return typst.render("monitoring.typ", _fit_pdf(_printable(data), pdf_max_rows()))


def docx(data: dict) -> bytes:
    """The report as a Word document (``word.monitoring``), from the same layout as the PDF."""
    return word.monitoring(_printable(data))


# -------------------------------------------------------------------------------------------- XLSX

def xlsx(data: dict) -> bytes:
    """The annex: one sheet per table, Thai headers, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    info = wb.create_sheet("รายงาน")
    for row in [["เรื่อง", data["title"]], ["หน่วยงานกำกับติดตาม", _office_name(data)],
                ["ข้อมูล ณ วันที่", data["cut_off_th"]], ["ข้อมูล ณ เวลา (ISO)", data["cut_off"]]]:
        append_text_safe(info, row)
    for line in data.get("warnings", []):
        append_text_safe(info, ["คำเตือน", line])
    for line in data["as_now"]:
        append_text_safe(info, ["ข้อมูล ณ เวลาที่จัดทำรายงาน", line])
    names = XLSX_SHEETS
    for s in tables(data):
        for t in s["tables"]:
            ws = wb.create_sheet(names.get(t["key"], t["key"])[:31])
            ws.append(t["headers"])
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for row in t["rows"]:
                append_text_safe(ws, row)
            for i, header in enumerate(t["headers"], start=1):
                width = max([len(str(header))] + [len(str(r[i - 1])) for r in t["rows"][:200]])
                ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
            ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render(data: dict, fmt: str) -> bytes:
    return {"pdf": pdf, "docx": docx, "xlsx": xlsx}[fmt](data)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
