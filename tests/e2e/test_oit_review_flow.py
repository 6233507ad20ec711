"""Browser: an agency admin enters OIT evidence, the executive approves it, a reviewer of an office
that follows the agency returns one item with a comment, the admin fixes it, the executive approves
it again and the reviewer passes it (Debian Chromium)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from playwright.sync_api import expect

from itadesk.evidence import checking
from itadesk.evidence.models import EvidenceItem, Snapshot
from tests.e2e.test_progress_flow import login
from tests.evidence.oit_world import FakeFetch, setup_oit
from tests.world import build_world

pytestmark = pytest.mark.e2e

SITE = "https://kaewmethee.go.th"


@pytest.fixture
def live_world(transactional_db, monkeypatch, settings, tmp_path):
    w = build_world()
    setup_oit(w)
    for i, m in enumerate([w.m1, w.m2, w.m3], start=1):  # deadlines ahead of the browser's real time
        m.deadline = timezone.now().replace(microsecond=0) + dt.timedelta(days=10 * i)
        m.save()
    # Snapshot jobs run inline against a fake web (no network in tests), files in a temporary folder.
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(checking, "check_pairs", FakeFetch().check_pairs)
    monkeypatch.setattr(HUEY, "immediate", True)
    return w


def answer(page, *, has: bool, urls: str = "", explanation: str = "", next_item: bool = True):
    page.get_by_label("มี", exact=True).check() if has else page.get_by_label("ไม่มี", exact=True).check()
    page.get_by_label("URL (บรรทัดละหนึ่งรายการ)").fill(urls)
    page.get_by_label("คำอธิบายตำแหน่งของข้อมูลในหน้า").fill(explanation)
    page.get_by_test_id("save-next" if next_item else "save").click()
    expect(page.get_by_role("alert")).to_contain_text("บันทึกข้อ")


def test_evidence_returned_fixed_and_passed(live_world, live_server, browser):
    w, base = live_world, live_server.url

    # 1. the agency admin answers the four OIT items, item after item
    admin = browser.new_context(locale="th-TH").new_page()
    login(admin, base, "admin-a")
    admin.get_by_role("link", name="OIT", exact=True).click()
    expect(admin).to_have_url(re.compile(rf"/oit/rounds/{w.round.pk}/agencies/{w.sao1.pk}/$"))
    expect(admin.get_by_test_id("ready-count")).to_contain_text("0 / 4")
    admin.get_by_test_id("edit-o1").click()
    expect(admin.get_by_test_id("item-title")).to_have_text("o1 โครงสร้าง")
    answer(admin, has=True, urls=f"{SITE}/structure", explanation="เมนู เกี่ยวกับเรา > โครงสร้างองค์กร")
    expect(admin.get_by_test_id("item-title")).to_have_text("o2 (ยังไม่ทราบชื่อข้อ)")
    answer(admin, has=False, explanation="ไม่มีข้อมูลในปีนี้")
    answer(admin, has=True, urls=f"{SITE}/plan-2568.pdf", explanation="หน้า 3–5")
    answer(admin, has=True, urls=f"{SITE}/report-2567\n{SITE}/report-2567.pdf", next_item=False)
    admin.get_by_role("link", name=re.compile("ข้อมูลหลักฐาน OIT")).click()
    expect(admin.get_by_test_id("ready-count")).to_contain_text("4 / 4")
    expect(admin.get_by_test_id("oit-score")).to_have_text("75.00")  # o1, o3, o4 of four items
    expect(admin.get_by_test_id("item-o1").get_by_test_id("state")).to_have_text("ร่าง")

    # 2. the executive approves them all; they go to the offices for pre-review
    executive = browser.new_context(locale="th-TH").new_page()
    login(executive, base, "exec-a")
    executive.get_by_role("link", name="OIT", exact=True).click()
    executive.get_by_test_id("approve-link").click()
    expect(executive.get_by_test_id("drafts").locator("tbody tr")).to_have_count(4)
    executive.get_by_test_id("approve-selected").click()
    expect(executive.get_by_role("alert").first).to_contain_text("อนุมัติแล้ว 4 ข้อ")
    expect(executive.get_by_test_id("item-o3").get_by_test_id("state")).to_have_text("ส่งตรวจแล้ว รอผลการตรวจ")
    assert {m.to[0] for m in mail.outbox} >= {"reviewer@example.test", "local@example.test"}
    assert Snapshot.objects.filter(reason="submission").count() == 4  # one per URL (o2 "has not": none)

    # 3. the reviewer (NACC office, which follows every agency) returns o1 and passes the others
    reviewer = browser.new_context(locale="th-TH").new_page()
    login(reviewer, base, "reviewer")
    reviewer.get_by_role("link", name="OIT", exact=True).click()
    expect(reviewer.locator("h1")).to_contain_text("ป.ป.ช.จังหวัดเลย")
    queue = reviewer.get_by_test_id("queue")
    expect(queue.locator("tbody tr")).to_have_count(4)
    reviewer.get_by_test_id(f"review-{w.sao1.pk}-o1").click()
    reviewer.get_by_test_id("judge-o1.1").get_by_label("ครบถ้วน", exact=True).check()
    judge = reviewer.get_by_test_id("judge-o1.2")
    judge.get_by_label("ไม่ครบถ้วน", exact=True).check()
    judge.get_by_placeholder("ความเห็น (ถ้ามี)").fill("ไม่พบอำนาจหน้าที่ในหน้านี้")
    reviewer.get_by_label("ความเห็นถึงหน่วยงาน").fill("กรุณาเพิ่มหน้าอำนาจหน้าที่ของหน่วยงาน")
    reviewer.get_by_test_id("return").click()
    expect(reviewer.get_by_role("alert")).to_contain_text("ส่งข้อ o1 กลับให้หน่วยงานแก้ไขแล้ว")
    expect(reviewer.get_by_test_id("queue").locator("tbody tr")).to_have_count(3)
    reviewer.get_by_test_id(f"review-{w.sao1.pk}-o3").click()
    reviewer.get_by_test_id("judge-o3.1").get_by_label("ครบถ้วน", exact=True).check()
    reviewer.get_by_test_id("pass").click()
    for code in ("o2", "o4"):  # no separate elements: judged as a whole
        reviewer.get_by_test_id(f"review-{w.sao1.pk}-{code}").click()
        reviewer.get_by_test_id("pass").click()
        expect(reviewer.get_by_role("alert")).to_contain_text(f"ข้อ {code} ผ่านการตรวจแล้ว")
    expect(reviewer.get_by_test_id("queue-empty")).to_have_text("ไม่มีข้อที่รอตรวจ")

    # 4. the admin sees the return, fixes o1; it is a draft again
    admin.reload()
    card = admin.get_by_test_id("item-o1")
    expect(card.get_by_test_id("state")).to_have_text("ส่งกลับให้แก้ไข")
    expect(card.get_by_test_id("return-comment")).to_contain_text("กรุณาเพิ่มหน้าอำนาจหน้าที่ของหน่วยงาน")
    expect(card.get_by_test_id("element-o1.2")).to_contain_text("ไม่พบอำนาจหน้าที่ในหน้านี้")
    expect(admin.get_by_test_id("approved-count")).to_have_text("3")
    card.get_by_test_id("edit-o1").click()
    answer(admin, has=True, urls=f"{SITE}/structure\n{SITE}/powers-and-duties",
           explanation="เมนู เกี่ยวกับเรา > โครงสร้าง และ อำนาจหน้าที่", next_item=False)
    expect(admin.get_by_test_id("state").first).to_have_text("ร่าง")
    expect(admin.get_by_test_id("history")).to_contain_text("ส่งกลับให้แก้ไข")

    # 5. the executive approves the fix; it goes back to the reviewer
    executive.goto(f"{base}/oit/rounds/{w.round.pk}/agencies/{w.sao1.pk}/approve/")
    expect(executive.get_by_test_id("drafts").locator("tbody tr")).to_have_count(1)
    executive.get_by_test_id("approve-selected").click()
    expect(executive.get_by_test_id("item-o1").get_by_test_id("state")).to_have_text("ส่งตรวจแล้ว รอผลการตรวจ")

    # 6. the reviewer passes it; the agency has all four items passed
    reviewer.reload()
    reviewer.get_by_test_id(f"review-{w.sao1.pk}-o1").click()
    reviewer.get_by_test_id("judge-o1.2").get_by_label("ครบถ้วน", exact=True).check()
    reviewer.get_by_test_id("pass").click()
    expect(reviewer.get_by_test_id("queue-empty")).to_be_visible()
    admin.goto(f"{base}/oit/rounds/{w.round.pk}/agencies/{w.sao1.pk}/")
    expect(admin.get_by_test_id("approved-count")).to_have_text("4")
    expect(admin.get_by_test_id("item-o1").get_by_test_id("state")).to_have_text("ผ่านการตรวจ")

    item = EvidenceItem.objects.get(agency=w.sao1, item_code="o1")
    assert list(item.events.order_by("at", "id").values_list("action", flat=True)) == [
        "edit", "approve", "submit", "review_return", "edit", "approve", "submit", "review_approve"]
    assert item.snapshots.filter(reason="approval").count() == 2
    returned = [m for m in mail.outbox if "ส่งกลับให้แก้ไข" in m.subject]
    assert [m.to for m in returned] == [["admin-a@example.test"]]
