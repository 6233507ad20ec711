"""Tickets and the attendance report as documents: the tickets' QR codes decode to the check-in links,
their Thai text comes back exactly; the attendance PDF and XLSX say what the fixture says."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from itadesk.projects import documents, selectors, services
from itadesk.projects.models import Registration
from tests.documents.imaging import decode, pdf_fonts, pdf_pages, pdf_text, squeeze

NAMES = ["นายสมชาย ใจดี", "นางสาวพิมพ์ใจ ศรีสุข", "นายณัฐวุฒิ วงษ์ธา"]
TITLE = "ประชุมเชิงปฏิบัติการขับเคลื่อนการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"


@pytest.fixture
def event(world, settings):
    settings.SITE_URL = "https://itadesk.loei.go.th"
    project = services.save_project(actor=world.secretariat, province=world.province, changes={
        "name": "โครงการขับเคลื่อนเพื่อพัฒนาและยกระดับคะแนน ITA", "budget": Decimal("90000")})
    event = services.save_event(actor=world.secretariat, project=project, changes={
        "title": TITLE, "date": dt.date(2025, 1, 21), "start_time": dt.time(9, 0), "end_time": dt.time(16, 30),
        "place": "ห้องประชุมภูสวนทราย ชั้น ๒ ศาลากลางจังหวัดเลย", "capacity": 160})
    services.invite(actor=world.secretariat, event=event, agencies=[world.sao1, world.sao2, world.pao], quota=2)
    services.register(actor=world.secretariat, event=event, agency=world.sao1, name=NAMES[0], position="ปลัด อบต.")
    services.register(actor=world.secretariat, event=event, agency=world.sao1, name=NAMES[1], position="นักจัดการงานทั่วไป")
    services.register(actor=world.secretariat, event=event, agency=world.sao2, name=NAMES[2], position="นายก อบต.")
    return event


def test_ticket_qr_codes_open_the_check_in_pages(world, event):
    regs = list(Registration.objects.filter(event=event).select_related("agency").order_by("id"))
    pdf = documents.tickets_pdf(event, regs)
    assert "Laksaman" in pdf_fonts(pdf)
    found = set()
    for page in pdf_pages(pdf, dpi=150):
        found |= set(decode(page))
    assert found == {f"https://itadesk.loei.go.th/projects/checkin/{r.token}/" for r in regs}
    text = squeeze(pdf_text(pdf))
    for r in regs:
        assert squeeze(r.name) in text and squeeze(r.agency.name_th) in text
    assert squeeze(TITLE) in text
    assert squeeze("วันอังคารที่ ๒๑ มกราคม ๒๕๖๘ เวลา ๐๙.๐๐–๑๖.๓๐ น.") in text


def test_many_tickets_fill_several_pages(world, event):
    services.save_event(actor=world.secretariat, project=event.project, event=event, changes={})
    for k in range(9):
        services.register(actor=world.secretariat, event=event, agency=None, name=f"ผู้เข้าร่วม {k}", walk_in=True)
    regs = list(Registration.objects.filter(event=event).order_by("id"))
    pages = pdf_pages(documents.tickets_pdf(event, regs), dpi=150)
    assert len(pages) == 2
    assert sum(len(decode(p)) for p in pages) == 12


def test_attendance_pdf_and_xlsx_say_what_the_fixture_says(world, event):
    first = Registration.objects.get(name=NAMES[0])
    services.check_in(actor=world.nacc_officer, registration=first)
    services.register(actor=world.secretariat, event=event, agency=None, name="ผู้สังเกตการณ์", walk_in=True)
    att = selectors.attendance(event)
    pdf = documents.attendance_pdf(att)
    text = squeeze(pdf_text(pdf))
    assert squeeze("รายงานผู้เข้าร่วม" + TITLE) in text
    assert squeeze("จำนวนที่นั่ง ๑๖๐") in text
    assert squeeze("หน่วยงานที่ได้รับเชิญ ๓ แห่ง (๖ ที่นั่ง)") in text
    assert squeeze("ผู้ลงทะเบียน ๔ คน") in text and squeeze("ผู้เข้าร่วมจริง ๑ คน") in text
    assert squeeze(f"{world.sao1.name_th} ๒ ๒ ๑") in text and squeeze(f"{world.pao.name_th} ๒ ๐ ๐") in text
    for name in NAMES:
        assert squeeze(name) in text
    wb = load_workbook(io.BytesIO(documents.attendance_xlsx(att)))
    agencies = [list(r) for r in wb["รายหน่วยงาน"].iter_rows(min_row=2, values_only=True)]
    sao1 = next(r for r in agencies if r[0] == world.sao1.name_th)
    assert (sao1[2], *sao1[3:]) == ("ใช่", 2, 2, 1)
    assert ["รวม", None, 3, 6, 4, 1] == agencies[-2]
    assert agencies[-1][3] == 160
    people = [r for r in wb["รายบุคคล"].iter_rows(min_row=2, values_only=True)]
    assert len(people) == 4 and sum(1 for p in people if p[5]) == 1


def test_project_summary_pdf_has_the_budget_in_words_and_the_programme(world, event):
    project = event.project
    line = services.save_line(actor=world.secretariat, project=project,
                              changes={"name": "ค่าอาหารกลางวันและอาหารว่าง", "amount": Decimal("48000")})
    services.add_spending(actor=world.secretariat, line=line, date=dt.date(2025, 1, 21), amount=Decimal("21.50"))
    for topic in ("หลักเกณฑ์และปฏิทินการประเมิน", "แบบวัดการเปิดเผยข้อมูลสาธารณะ"):
        services.save_session(actor=world.secretariat, event=event, changes={
            "topic": topic, "speaker": "วิทยากร", "speaker_office": world.nacc, "duration_minutes": 90})
    pdf = documents.project_pdf(project)
    text = squeeze(pdf_text(pdf))
    assert squeeze("งบประมาณ ๙๐,๐๐๐.๐๐ บาท (เก้าหมื่นบาทถ้วน)") in text
    assert squeeze("ค่าอาหารกลางวันและอาหารว่าง ๔๘,๐๐๐.๐๐ ๒๑.๕๐ ๔๗,๙๗๘.๕๐") in text
    assert squeeze("งบประมาณคงเหลือ ๘๙,๙๗๘.๕๐ บาท (แปดหมื่นเก้าพันเก้าร้อยเจ็ดสิบแปดบาทห้าสิบสตางค์)") in text
    assert squeeze("๐๙.๐๐–๑๐.๓๐ น. หลักเกณฑ์และปฏิทินการประเมิน") in text
    assert squeeze("๑๐.๓๐–๑๒.๐๐ น. แบบวัดการเปิดเผยข้อมูลสาธารณะ") in text
    assert squeeze("๑ ชั่วโมง ๓๐ นาที") in text
    assert len(pdf_pages(pdf, dpi=50)) >= 1
