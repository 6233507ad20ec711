"""The checker's findings where people decide: summarised on the executive's approval page and on the
reviewer's page; "not checked" (the checker's own connection) told apart from problems; a URL off the
agency's main website warned about as soon as it is typed (the item form) and when it is saved — a
warning, never a refusal."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from itadesk.evidence import services
from itadesk.evidence.models import EvidenceItem
from tests.evidence.oit_world import URL, FakeFetched, fill, setup_oit, to_submitted


@pytest.fixture
def w(world):
    setup_oit(world)
    world.sao1.website = "https://www.kaewmethee.go.th/"
    world.sao1.save()
    return world


def url(name, w, **kw):
    return reverse(name, kwargs={"round_id": w.round.pk, "agency_id": w.sao1.pk, **kw})


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def findings(item, *rows):
    services.record_check(item, item.urls[0], FakeFetched(final_url=item.urls[0]), [
        {"code": code, "passed": passed, "severity": severity, "message_th": th, "message_en": th, "detail": {}}
        for code, passed, severity, th in rows])


def test_approval_page_summarises_the_findings_of_each_draft(w, client):
    o1 = fill(w, "o1")
    findings(o1, ("fiscal_year", False, "error", "พบเฉพาะปี 2565"), ("topic", False, "warning", "ไม่พบคำที่เกี่ยวกับข้อ"),
             ("reachable", True, "ok", "เปิดลิงก์ได้"))
    o2 = fill(w, "o2", urls=("https://drive.google.com/file/d/1abc/view",))
    o3 = fill(w, "o3", urls=(f"{URL}/o3",))
    findings(o3, ("not_checked", False, "info", "ระบบตรวจอัตโนมัติเชื่อมต่อไม่ได้ — ยังไม่ได้ตรวจ"))
    client.force_login(w.exec_a)
    html = client.get(url("evidence:approve", w)).content.decode()
    row1 = html[html.index('data-testid="digest-o1"'):html.index('data-testid="draft-o2"')]
    assert "ปัญหา 1 รายการ" in text_of(row1) and "พบเฉพาะปี 2565" in row1 and "ไม่พบคำที่เกี่ยวกับข้อ" in row1
    row2 = html[html.index('data-testid="digest-o2"'):html.index('data-testid="draft-o3"')]
    assert 'data-testid="offsite"' in row2 and "drive.google.com (Google Drive)" in row2
    assert "ยังไม่ได้ตรวจอัตโนมัติ" in text_of(row2)
    row3 = html[html.index('data-testid="digest-o3"'):]
    assert 'data-testid="not-checked"' in row3 and "ปัญหา" not in text_of(row3[:row3.index("</div>")])
    summary = html[html.index('data-testid="approve-summary"'):]
    summary = text_of(summary[:summary.index("</div>")])
    assert "2 ข้อ" in summary and "o1" in summary and "o2" in summary and "o3" not in summary
    assert o2.pk and EvidenceItem.objects.count() == 3  # advice only: nothing was changed


def test_reviewer_page_summarises_the_findings(w, client, monkeypatch):
    from itadesk.evidence import snapshots
    monkeypatch.setattr(snapshots, "schedule", lambda ids, reason: None)
    item = to_submitted(w)[0]
    findings(item, ("http_error", False, "error", "ไม่พบหน้าเว็บ (HTTP 404)"))
    client.force_login(w.reviewer)
    html = client.get(url("evidence:review", w, code="o1")).content.decode()
    digest = html[html.index('data-testid="digest-o1"'):]
    assert "ปัญหา 1 รายการ" in text_of(digest) and "ไม่พบหน้าเว็บ (HTTP 404)" in digest


def test_a_clean_check_is_said_to_be_clean(w, client):
    findings(fill(w, "o1"), ("reachable", True, "ok", "เปิดลิงก์ได้"))
    client.force_login(w.exec_a)
    html = client.get(url("evidence:approve", w)).content.decode()
    assert "ตรวจอัตโนมัติแล้ว ไม่พบปัญหา" in html and 'data-testid="approve-summary"' not in html


def test_an_off_site_url_is_warned_about_as_typed_and_when_saved_but_saved(w, client):
    client.force_login(w.admin_a)
    page = client.get(url("evidence:item", w, code="o1")).content.decode()
    assert 'data-main-domain="kaewmethee.go.th"' in page and "url-offsite.js" in page
    template = re.search(r'data-template="([^"]*)"', page).group(1)
    assert "{host}" in template and "kaewmethee.go.th" in template  # what the script fills in as you type
    response = client.post(url("evidence:item", w, code="o1"), {
        "answer": "has", "urls": "https://www.facebook.com/kaewmethee\nhttps://www.kaewmethee.go.th/ita/o1",
        "explanation": "", "revision": ""}, follow=True)
    assert EvidenceItem.objects.get(item_code="o1").urls == [
        "https://www.facebook.com/kaewmethee", "https://www.kaewmethee.go.th/ita/o1"]
    text = text_of(response.content.decode())
    assert "บันทึกแล้ว แต่ลิงก์ไม่อยู่บนเว็บไซต์หลักของหน่วยงาน" in text and "www.facebook.com (Facebook)" in text
    offsite = response.content.decode()
    offsite = offsite[offsite.index('data-testid="url-offsite"'):]
    offsite = offsite[:offsite.index('<div class="form-text">')]
    assert "www.facebook.com (Facebook)" in offsite and "ita/o1" not in offsite


def test_without_a_main_website_nothing_is_said(w, client):
    w.sao1.website = ""
    w.sao1.save()
    client.force_login(w.admin_a)
    page = client.get(url("evidence:item", w, code="o1")).content.decode()
    assert "data-main-domain" not in page


def test_an_offline_check_is_not_broken_since_approved_nor_a_problem_of_the_job(w, client, monkeypatch, settings,
                                                                                  tmp_path):
    from itadesk.evidence import jobs, snapshots
    from itadesk.evidence.models import CheckJob
    from tests.evidence.oit_world import decide_all

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(snapshots, "schedule", lambda ids, reason: None)
    item = to_submitted(w)[0]
    services.review_item(actor=w.reviewer, item=item, decisions=decide_all(item), outcome="approve")
    snapshots.take_many([item], "approval", fetch=lambda urls: [FakeFetched(final_url=u) for u in urls])
    job = services.create_check_job(actor=w.reviewer, round=w.round, scope="province")

    def offline(pairs):
        for it, u in pairs:
            yield (it.pk, u), {"final_url": u, "status": None, "body": None, "text": "",
                               "error": "not_checked", "findings": [
                                   {"code": "not_checked", "passed": False, "severity": "info",
                                    "message_th": "ระบบตรวจอัตโนมัติเชื่อมต่อไม่ได้ — ยังไม่ได้ตรวจ", "detail": {}}]}
    job = jobs.run_check_job(job, check=offline)
    assert job.status == CheckJob.Status.DONE
    assert "มีประเด็นที่ควรตรวจสอบ 0 URL" in job.log[-1] and "ไม่ใช่ปัญหาของหน่วยงาน" in job.log[-1]
    assert "ระบบตรวจอัตโนมัติเชื่อมต่อไม่ได้" in "".join(job.log)
    client.force_login(w.admin_a)
    html = client.get(reverse("evidence:workspace", kwargs={"round_id": w.round.pk, "agency_id": w.sao1.pk}))
    assert "เปิดไม่ได้หลังผ่านการตรวจ" not in html.content.decode()
