"""Monitoring reports: a report built from fixtures says exactly what the fixtures say (in the data, the
PDF text, the DOCX XML and the XLSX cells), nothing changed after the cut-off shows, an issued report never
changes, and who may build, issue and read which report."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from itadesk.accounts import access
from itadesk.core.models import AuditEvent
from itadesk.core.thai import arabic_digits
from itadesk.cycles.services import set_progress
from itadesk.documents.docx import docx_font_problems, docx_text
from itadesk.reports import build, render, services
from itadesk.reports.models import MonitoringReport
from tests.documents.imaging import pdf_pages, pdf_text, squeeze
from tests.reports.fixtures import AFTER, CUT, build_report_world

SAO1, SAO2, PAO = "องค์การบริหารส่วนตำบลแก้วเมธี", "องค์การบริหารส่วนตำบลท่าสวรรค์", "องค์การบริหารส่วนจังหวัดเลย"


@pytest.fixture
def rw(world):
    return build_report_world(world)


def _by_name(rows):
    return {r["name"]: r for r in rows}


# ---------------------------------------------------------------------------------------- the data

def test_the_data_says_what_the_fixtures_say_at_the_cut_off(rw):
    d = build.monitoring(rw.round, rw.local, CUT)
    assert d["kind"] == "office" and d["office"]["code"] == "local-promotion" and d["agencies"] == 3
    assert d["cut_off_th"] == "๕ กุมภาพันธ์ ๒๕๖๘ เวลา ๑๐.๐๐ น."
    stake, oit_m, resp_m = d["milestones"]
    assert stake["code"] == "stakeholders" and stake["past"] is True
    assert stake["counts"] == {"not_started": 1, "in_progress": 1, "done": 1, "approved": 0}
    assert (stake["done"], stake["late_count"], stake["percent"]) == (1, 2, 33)
    assert sorted(a["name"] for a in stake["late"]) == [PAO, SAO2]
    assert oit_m["past"] is False and oit_m["late"] == [] and resp_m["late_count"] == 0

    oit = _by_name(d["oit"]["rows"])
    assert d["oit"]["items"] == 26
    assert {k: oit[SAO1][k] for k in ("approved", "returned", "submitted", "not_submitted")} == {
        "approved": 1, "returned": 1, "submitted": 1, "not_submitted": 23}
    assert oit[PAO]["not_submitted"] == 26 and oit[SAO2]["approved"] == 0
    assert d["oit"]["totals"]["approved"] == 1 and d["oit"]["totals"]["not_submitted"] == 75

    cells = _by_name(d["responses"]["rows"])[SAO1]["cells"]
    assert cells["IIT"] == {"count": 10, "on_date": "2025-02-01", "minimum": 25, "gap": 15}
    assert cells["EIT"] == {"count": 31, "on_date": "2025-02-01", "minimum": 30, "gap": 0}
    assert d["responses"]["below"] == [{"id": rw.sao1.pk, "name": SAO1, "instrument": "IIT", "count": 10,
                                        "minimum": 25, "gap": 15}]
    assert _by_name(d["responses"]["rows"])[PAO]["cells"]["IIT"]["minimum"] is None  # no stakeholder data

    assert [a["title"] for a in d["action_items"]] == ["แต่งตั้งคณะทำงาน ITA ของหน่วยงาน"]
    assert d["action_items"][0]["pending_agencies"] == sorted([SAO2, SAO1])
    assert [p["title"] for p in d["problems"]] == ["ผู้ดูแลระบบ ITAS ย้ายงาน"]

    risk = _by_name(d["at_risk"]["rows"])
    assert set(risk) == {PAO, SAO2}  # sao1 passed last year and is not flagged
    assert risk[PAO]["score"] == 71.25 and risk[PAO]["reasons"] == ["ไม่ผ่านเกณฑ์ปีงบประมาณ พ.ศ. ๒๕๖๗"]
    assert risk[SAO2]["reasons"] == ["หน่วยงานที่ต้องเร่งพัฒนา"]


def test_changes_after_the_cut_off_do_not_show_but_do_later(rw):
    later = build.monitoring(rw.round, rw.local, AFTER)
    stake = later["milestones"][0]
    assert stake["counts"] == {"not_started": 0, "in_progress": 0, "done": 2, "approved": 1}
    assert stake["late_count"] == 0 and stake["done_late"] == 2  # both done after the deadline
    assert _by_name(later["oit"]["rows"])[SAO1]["approved"] == 2
    assert _by_name(later["responses"]["rows"])[SAO1]["cells"]["IIT"]["count"] == 30
    assert len(later["problems"]) == 2
    # and the report at the cut-off still reads as before
    at_cut = build.monitoring(rw.round, rw.local, CUT)
    assert at_cut["milestones"][0]["late_count"] == 2
    assert _by_name(at_cut["oit"]["rows"])[SAO1]["submitted"] == 1
    assert _by_name(at_cut["responses"]["rows"])[SAO1]["cells"]["IIT"]["count"] == 10


def test_office_scope_and_province_summary(rw):
    prov = build.monitoring(rw.round, rw.prov_office, CUT)
    assert [r["name"] for r in prov["oit"]["rows"]] == ["จังหวัดเลย"]
    assert prov["action_items"] == [] and prov["problems"] == []
    summary = build.monitoring(rw.round, None, CUT)
    assert summary["kind"] == "province" and summary["agencies"] == 5 and summary["office"] is None
    offices = {o["code"]: o for o in summary["offices"]}
    assert offices["nacc"]["agencies"] == 5 and offices["local-promotion"]["agencies"] == 3
    assert offices["local-promotion"]["milestones"][0] == {"code": "stakeholders", "done": 1, "late": 2}
    assert offices["nacc"]["milestones"][0]["late"] == 4  # every agency but sao1
    assert offices["local-promotion"]["oit_approved"] == 1 and offices["provincial-office"]["oit_approved"] == 0
    assert offices["local-promotion"]["below_minimum"] == 1
    assert offices["local-promotion"]["action_items"] == 1 and offices["local-promotion"]["problems"] == 1
    assert offices["nacc"]["action_items"] == 0
    assert summary["milestones"][0]["late_count"] == 4


def test_a_naive_cut_off_is_refused(rw):
    import datetime as dt

    with pytest.raises(ValueError):
        build.monitoring(rw.round, rw.local, dt.datetime(2025, 2, 5, 10))


# ------------------------------------------------------------------------------------- documents

def test_pdf_text_says_the_same(rw):
    d = build.monitoring(rw.round, rw.local, CUT)
    body = render.pdf(d)  # a Typst warning would raise PdfError
    assert body.startswith(b"%PDF")
    text = pdf_text(body)
    flat = squeeze(text)
    for phrase in ["สถ.จ.เลย", "ข้อมูล ณ วันที่ ๕ กุมภาพันธ์ ๒๕๖๘ เวลา ๑๐.๐๐ น.", "หน่วยงานในความรับผิดชอบ ๓ แห่ง",
                   "ผู้มีส่วนได้ส่วนเสีย: ดำเนินการแล้ว ๑ จาก ๓ แห่ง (ร้อยละ ๓๓) ล่าช้า ๒ แห่ง",
                   f"ผู้มีส่วนได้ส่วนเสีย {PAO} เมืองเลย ยังไม่เริ่ม", f"ผู้มีส่วนได้ส่วนเสีย {SAO2} นาด้วง กำลังดำเนินการ",
                   f"{SAO1} ๑ ๑ ๑ ๒๓ ๐", "รวม ๑ ๑ ๑ ๗๕ ๐", f"{SAO1} IIT ๑๐ ๒๕ ๑๕",
                   "แต่งตั้งคณะทำงาน ITA ของหน่วยงาน", "ผู้ดูแลระบบ ITAS ย้ายงาน", "ขอให้เร่งแต่งตั้งผู้ดูแลคนใหม่",
                   f"{PAO} ๗๑.๒๕ C ไม่ผ่านเกณฑ์ปีงบประมาณ พ.ศ. ๒๕๖๗"]:
        assert squeeze(phrase) in flat, phrase
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘" in text  # Thai text exact, in order, with its spaces
    assert "ปัญหาที่เกิดหลังวันตัดข้อมูล" not in flat
    pages = pdf_pages(body, dpi=40)
    assert len(pages) >= 2
    assert "-๒-" in flat  # Thai page number from page 2
    assert all(p.min() < 128 for p in pages)  # every page has ink


def test_docx_declares_the_thai_font_and_says_the_same(rw):
    d = build.monitoring(rw.round, rw.local, CUT)
    body = render.docx(d)
    assert docx_font_problems(body) == []
    xml = zipfile.ZipFile(io.BytesIO(body)).read("word/document.xml").decode("utf-8")
    assert "w:cs=" in xml and "<w:szCs " in xml
    assert "{{" not in xml and "[[body]]" not in xml
    text = docx_text(body)
    assert "ข้อมูล ณ วันที่ ๕ กุมภาพันธ์ ๒๕๖๘ เวลา ๑๐.๐๐ น." in text
    for phrase in [SAO1, PAO, "ผู้ดูแลระบบ ITAS ย้ายงาน", "หน่วยงานในความรับผิดชอบ ๓ แห่ง"]:
        assert phrase in text
    rows = _docx_rows(body)
    assert [SAO1, "๑", "๑", "๑", "๒๓", "๐"] in rows
    assert [SAO1, "IIT", "๑๐", "๒๕", "๑๕"] in rows


def _docx_rows(body):
    from docx import Document

    doc = Document(io.BytesIO(body))
    return [[c.text for c in row.cells] for t in doc.tables for row in t.rows]


def test_xlsx_cells_say_the_same(rw):
    d = build.monitoring(rw.round, rw.local, CUT)
    wb = load_workbook(io.BytesIO(render.xlsx(d)))
    assert wb.sheetnames[:3] == ["รายงาน", "ความคืบหน้า", "หน่วยงานที่ล่าช้า"]
    oit = [list(r) for r in wb["OIT"].iter_rows(values_only=True)]
    assert oit[0] == ["หน่วยงาน", "ผ่านการตรวจ", "ส่งกลับแก้ไข", "รอตรวจ", "ยังไม่ส่งตรวจ", "ข้อสังเกตที่ยังไม่แก้ไข"]
    assert [SAO1, 1, 1, 1, 23, 0] in oit
    progress = [list(r) for r in wb["ความคืบหน้า"].iter_rows(values_only=True)]
    assert progress[1] == ["ผู้มีส่วนได้ส่วนเสีย", "๓๑ ม.ค. ๒๕๖๘ ๑๗:๐๐ น.", 3, 1, 1, 1, 0, 2]
    below = [list(r) for r in wb["ต่ำกว่าขั้นต่ำ"].iter_rows(values_only=True)]
    assert below == [["หน่วยงาน", "แบบวัด", "ตอบแล้ว", "ขั้นต่ำ", "ขาดอีก"], [SAO1, "IIT", 10, 25, 15]]
    late = [r[1] for r in wb["หน่วยงานที่ล่าช้า"].iter_rows(min_row=2, values_only=True)]
    assert sorted(late) == [PAO, SAO2]


def test_province_summary_documents(rw):
    d = build.monitoring(rw.round, None, CUT)
    flat = squeeze(pdf_text(render.pdf(d)))
    assert squeeze("ภาพรวมจังหวัดเลย (ฝ่ายเลขานุการคณะกรรมการ)") in flat
    assert squeeze("ภาพรวมรายหน่วยงานกำกับติดตาม") in flat
    sheet = [list(r) for r in load_workbook(io.BytesIO(render.xlsx(d)))["หน่วยงานกำกับติดตาม"].iter_rows(
        values_only=True)]
    assert sheet[0][:3] == ["หน่วยงานกำกับติดตาม", "หน่วยงาน", "ล่าช้า ผู้มีส่วนได้ส่วนเสีย"]
    assert ["สถ.จ.เลย", 3, 2, 0, 0, 1, 1, 1, 1, 1, 1, 0] in sheet  # the last: ITA Desk/ITAS mismatches
    assert sheet[-1][:3] == ["รวมทั้งจังหวัด", 5, 4]


@given(st.one_of(st.integers(min_value=0, max_value=10**9), st.floats(min_value=0, max_value=1e6,
                                                                        allow_nan=False)))
def test_cells_print_in_thai_digits_and_read_back(value):
    text = render._cell_th(value)
    assert not any(ch.isascii() and ch.isdigit() for ch in text)
    back = float(arabic_digits(text).replace(",", ""))
    assert back == (value if isinstance(value, int) else round(value, 2))


# -------------------------------------------------------------------------------------- snapshots

def test_issued_report_reopens_exactly_as_it_was(rw, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    report = services.create_report(actor=rw.local_officer, round=rw.round, office=rw.local, cut_off=CUT)
    assert report.status == "draft" and report.data is None
    issued = services.issue_report(actor=rw.local_officer, report=report)
    assert issued.is_issued and issued.issued_by == rw.local_officer
    digests = {f: hashlib.sha256(getattr(issued, f).open("rb").read()).hexdigest() for f in ("pdf", "docx", "xlsx")}
    assert issued.data["milestones"][0]["late_count"] == 2
    assert AuditEvent.objects.filter(action="report.issue", object_id=str(issued.pk)).count() == 1

    # the live data changes afterwards (and even a change dated before the cut-off: the snapshot keeps it out)
    with time_machine.travel(CUT.replace(hour=9), tick=False):
        set_progress(actor=rw.local_officer, agency=rw.pao, milestone=rw.m2, status="done")
    rw.sao2.name_th = "อบต.ท่าสวรรค์ (เปลี่ยนชื่อ)"
    rw.sao2.save()
    again = MonitoringReport.objects.get(pk=issued.pk)
    assert services.live_data(again) == issued.data
    assert {f: hashlib.sha256(getattr(again, f).open("rb").read()).hexdigest()
            for f in ("pdf", "docx", "xlsx")} == digests
    assert SAO2 in squeeze(pdf_text(again.pdf.open("rb").read()))

    # an issued report cannot be changed, issued again or deleted
    again.cut_off = AFTER
    with pytest.raises(ValidationError):
        again.save()
    with pytest.raises(ValidationError):
        services.issue_report(actor=rw.local_officer, report=MonitoringReport.objects.get(pk=issued.pk))
    with pytest.raises(ValidationError):
        services.delete_draft(actor=rw.local_officer, report=MonitoringReport.objects.get(pk=issued.pk))
    # a draft at the same cut-off now reads the new names (live)
    draft = services.create_report(actor=rw.local_officer, round=rw.round, office=rw.local, cut_off=CUT)
    assert "อบต.ท่าสวรรค์ (เปลี่ยนชื่อ)" in {r["name"] for r in services.live_data(draft)["oit"]["rows"]}


def test_issue_is_all_or_nothing(rw, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    report = services.create_report(actor=rw.secretariat, round=rw.round, office=None, cut_off=CUT)

    def broken(data, fmt):
        if fmt == "xlsx":
            raise RuntimeError("disk full")
        return b"x"

    monkeypatch.setattr(render, "render", broken)
    with pytest.raises(RuntimeError):
        services.issue_report(actor=rw.secretariat, report=report)
    report.refresh_from_db()
    assert report.status == "draft" and report.data is None and not report.pdf
    assert not AuditEvent.objects.filter(action="report.issue").exists()


# ------------------------------------------------------------------------------------------ roles

def test_who_may_build_issue_and_read(rw):
    office_report = MonitoringReport.objects.create(province=rw.province, round=rw.round, office=rw.local, cut_off=CUT)
    summary = MonitoringReport.objects.create(province=rw.province, round=rw.round, office=None, cut_off=CUT)
    for user in (rw.secretariat, rw.superuser):
        assert access.can(user, "build_report", rw.local) and access.can(user, "build_report", rw.province)
        assert access.can(user, "issue_report", summary) and access.can(user, "view_report", office_report)
    assert access.can(rw.local_officer, "build_report", rw.local)
    assert access.can(rw.local_officer, "issue_report", office_report)
    assert not access.can(rw.local_officer, "build_report", rw.nacc)
    assert not access.can(rw.local_officer, "build_report", rw.province)
    assert not access.can(rw.local_officer, "view_report", summary)
    assert access.can(rw.reviewer, "build_report", rw.nacc) and not access.can(rw.reviewer, "view_report",
                                                                                office_report)
    for user in (rw.admin_a, rw.admin_b, rw.exec_a):
        assert not access.can(user, "view_reports")
        assert not access.can(user, "view_report", office_report)
        assert not access.can(user, "build_report", rw.local)
    with pytest.raises(PermissionDenied):
        services.create_report(actor=rw.local_officer, round=rw.round, office=None, cut_off=CUT)
    with pytest.raises(PermissionDenied):
        services.issue_report(actor=rw.nacc_officer, report=office_report)


def test_pages_preview_issue_and_download(rw, client, settings, tmp_path):
    from django.urls import reverse

    from tests.world import PASSWORD

    settings.MEDIA_ROOT = str(tmp_path)
    client.login(username="local", password=PASSWORD)
    page = client.get(reverse("reports:list"))
    assert page.status_code == 200
    assert [v for v, _label in page.context["forms"][0]["targets"]] == [str(rw.local.pk)]
    response = client.post(reverse("reports:new"), {"province": rw.province.pk, "office": rw.local.pk,
                                                    "cut_off": "2025-02-05T10:00"})
    report = MonitoringReport.objects.get()
    assert response.status_code == 302 and report.cut_off == CUT
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert SAO1 in detail and "๕ กุมภาพันธ์ ๒๕๖๘" in detail
    bad = client.post(reverse("reports:new"), {"province": rw.province.pk, "office": rw.local.pk,
                                               "cut_off": "5 Feb"}, follow=True)
    assert "5 Feb" in bad.content.decode() and MonitoringReport.objects.count() == 1
    summary = client.post(reverse("reports:new"), {"province": rw.province.pk, "office": ""})
    assert summary.status_code == 403
    assert client.post(reverse("reports:issue", args=[report.pk])).status_code == 302
    pdf = client.get(reverse("reports:file", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content if pdf.streaming else
                                                                 [pdf.content]).startswith(b"%PDF")
    report.refresh_from_db()
    assert report.is_issued


# -------------------------------------------------------------------------------------------- CLI

def test_command_writes_each_format(rw, tmp_path):
    for ext in ("pdf", "docx", "xlsx"):
        out = tmp_path / f"r.{ext}"
        call_command("report", "monitoring", "--office", "local-promotion", "--out", str(out),
                     "--at", "2025-02-05T10:00", stdout=io.StringIO())
        assert out.stat().st_size > 1000
    assert SAO2 in squeeze(pdf_text((tmp_path / "r.pdf").read_bytes()))
    out = tmp_path / "p.xlsx"
    call_command("report", "monitoring", "--province", "42", "--out", str(out), "--at", "2025-02-05T10:00+07:00",
                 stdout=io.StringIO())
    assert "หน่วยงานกำกับติดตาม" in load_workbook(out).sheetnames


@pytest.mark.parametrize("args, message", [
    (["--office", "nope"], "no supervising office with code 'nope'"),
    (["--province", "99"], "no province with code '99'"),
    ([], "give --office"),
    (["--office", "local-promotion", "--at", "yesterday"], "'yesterday' is not a date and time"),
    (["--office", "local-promotion", "--meeting", "9999"], "no meeting with id '9999'"),
])
def test_command_bad_arguments(rw, tmp_path, args, message):
    with pytest.raises(CommandError) as caught:
        call_command("report", "monitoring", *args, "--out", str(tmp_path / "x.pdf"))
    assert message in str(caught.value) and caught.value.returncode == 2


def test_command_refuses_unknown_file_type(rw, tmp_path):
    with pytest.raises(CommandError, match="unsupported file type '.odt'"):
        call_command("report", "monitoring", "--office", "local-promotion", "--out", str(tmp_path / "x.odt"))
