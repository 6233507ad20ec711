"""Printed matter of events: tickets with a check-in QR code (PDF), the attendance report (PDF, XLSX).
What is printed is Thai whatever the UI language."""

from __future__ import annotations

import io

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from itadesk.core.tabular import append_text_safe
from itadesk.core.thai import bahttext, format_date, thai_digits
from itadesk.documents import pdf, qr
from itadesk.projects import selectors
from itadesk.projects.models import Event, Registration
from itadesk.projects.selectors import Attendance


def checkin_url(registration: Registration) -> str:
    """The absolute link a ticket's QR code carries (``SITE_URL`` + the check-in page)."""
    return settings.SITE_URL + reverse("projects:checkin", kwargs={"token": registration.token})


def event_line(event: Event) -> str:
    text = format_date(event.date, style="full", digits="thai", weekday=True)
    times = f" เวลา {event.start_time:%H.%M}"
    if event.end_time:
        times += f"–{event.end_time:%H.%M}"
    return text + thai_digits(times) + " น."


def place_line(event: Event) -> str:
    return "ณ " + event.place


def tickets_pdf(event: Event, registrations) -> bytes:
    tickets = []
    for number, r in enumerate(registrations, start=1):
        tickets.append({
            "number": number,
            "name": r.name,
            "position": r.position,
            "agency": r.agency.name_th if r.agency_id else "ลงทะเบียนหน้างาน",
            "qr_svg": qr.qr_svg(checkin_url(r), border=2),
        })
    return pdf.render("event-tickets.typ", {
        "title": f"บัตรเข้าร่วม {event.title}",
        "event_title": event.title,
        "event_line": event_line(event),
        "place_line": place_line(event),
        "tickets": tickets,
    })


def _totals(att: Attendance) -> dict:
    return {"capacity": att.capacity, "invited_agencies": att.invited_agencies, "invited_seats": att.invited_seats,
            "registered": att.registered, "attended": att.attended, "walk_ins": att.walk_ins}


def _row_name(row) -> str:
    if row.agency_id is None:
        return "ลงทะเบียนหน้างาน (ไม่ระบุหน่วยงาน)"
    return row.name if row.invited else f"{row.name} (ไม่ได้รับเชิญ)"


def attendance_pdf(att: Attendance, *, now=None) -> bytes:
    event = att.event
    return pdf.render("event-attendance.typ", {
        "title": f"รายงานผู้เข้าร่วม {event.title}",
        "project": event.project.name,
        "event_title": event.title,
        "event_line": event_line(event),
        "place_line": place_line(event),
        "generated_line": "ข้อมูล ณ " + format_date(now or timezone.now(), style="full", digits="thai"),
        "totals": _totals(att),
        "rows": [{"name": _row_name(r), "kind": r.kind, "quota": r.quota, "registered": r.registered,
                  "attended": r.attended} for r in att.rows],
        "people": [{"name": p.name, "position": p.position,
                    "agency": p.agency.name_th if p.agency_id else "ลงทะเบียนหน้างาน",
                    "checked_in": ("เข้าร่วม " + thai_digits(f"{timezone.localtime(p.checked_in_at):%H.%M}") + " น.")
                    if p.checked_in_at else "ไม่ได้เข้าร่วม"} for p in att.people],
    })


def attendance_xlsx(att: Attendance) -> bytes:
    """Two sheets: per agency (with the totals row) and per person."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "รายหน่วยงาน"
    ws.append(["หน่วยงาน", "ประเภท", "ได้รับเชิญ", "ที่นั่ง", "ลงทะเบียน", "เข้าร่วม"])
    for r in att.rows:
        append_text_safe(ws, [_row_name(r), r.kind, "ใช่" if r.invited else "ไม่ใช่", r.quota, r.registered,
                              r.attended])
    ws.append(["รวม", "", att.invited_agencies, att.invited_seats, att.registered, att.attended])
    ws.append(["จำนวนที่นั่งของกิจกรรม", "", "", att.capacity, "", ""])
    for cell in ws[1]:
        cell.font = bold
    ws.column_dimensions["A"].width = 50
    ws.column_dimensions["B"].width = 30
    people = wb.create_sheet("รายบุคคล")
    people.append(["ชื่อ–สกุล", "ตำแหน่ง", "หน่วยงาน", "เข้าร่วมในฐานะ", "ลงทะเบียนหน้างาน", "เวลาเข้างาน"])
    for p in att.people:
        append_text_safe(people, [p.name, p.position, p.agency.name_th if p.agency_id else "", p.get_kind_display(),
                       "ใช่" if p.walk_in else "", timezone.localtime(p.checked_in_at).strftime("%Y-%m-%d %H:%M")
                       if p.checked_in_at else ""])
    for cell in people[1]:
        cell.font = bold
    for col in "ABC":
        people.column_dimensions[col].width = 40
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _baht(value) -> str:
    return f"{value:,.2f}"


def _speaker(session) -> str:
    """'วิทยากร (สำนักงาน …)', without repeating an office the speaker's line already names."""
    speaker, office = session.speaker, session.office_label
    if office and office not in speaker:
        return f"{speaker} ({office})" if speaker else office
    return speaker


def project_pdf(project, *, now=None) -> bytes:
    """The project on paper: budget in figures and words, lines, spending, events and programmes."""
    money = selectors.money(project)
    events = []
    for event in project.events.all():
        att = selectors.attendance(event)
        events.append({
            "title": event.title, "when": event_line(event), "place": place_line(event), "capacity": event.capacity,
            "invited": att.invited_agencies, "registered": att.registered, "attended": att.attended,
            "sessions": [{
                "time": thai_digits(f"{row.start:%H.%M}–{row.end:%H.%M} น."),
                "topic": row.session.topic,
                "speaker": _speaker(row.session),
                "duration": thai_digits(selectors.duration_label(row.session.duration_minutes)),
            } for row in selectors.programme(event)],
        })
    return pdf.render("project-summary.typ", {
        "title": project.name,
        "name": project.name,
        "owner": project.owner_office.name_th if project.owner_office_id else "-",
        "round": thai_digits(str(project.round)) if project.round_id else "-",
        "objective": project.objective or "-",
        "source": project.budget_source or "-",
        "budget": _baht(money.budget), "budget_words": money.budget_words,
        "planned": _baht(money.planned), "spent": _baht(money.spent),
        "left": _baht(money.left), "left_words": bahttext(money.left),
        "lines": [{"name": r.line.name, "amount": _baht(r.line.amount), "spent": _baht(r.spent),
                   "left": _baht(r.left)} for r in money.lines],
        "events": events,
        "generated_line": "ข้อมูล ณ " + format_date(now or timezone.now(), style="full", digits="thai"),
    })
