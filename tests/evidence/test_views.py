"""The OIT pages: workspace (ITAS order, elements, data-year rule, examples, projected score), item
form, executive approval, review queue and review page, examples, exports (XLSX, print), snapshots,
and scoping."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from itadesk.evidence import selectors, services, snapshots
from itadesk.evidence.models import EvidenceItem, ItemExample, Snapshot, State
from tests.evidence.oit_world import URL, FakeFetched, decide_all, fill, setup_oit, to_submitted


@pytest.fixture
def w(world):
    setup_oit(world)
    return world


@pytest.fixture
def scheduled(monkeypatch):
    calls = []
    monkeypatch.setattr(snapshots, "schedule", lambda ids, reason: calls.append((list(ids), reason)))
    return calls


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def url(name, w, **kw):
    args = {"round_id": w.round.pk}
    if name not in ("evidence:queue", "evidence:queues", "evidence:examples"):
        args["agency_id"] = w.sao1.pk
    args.update(kw)
    return reverse(name, kwargs=args)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# ------------------------------------------------------------------------------------------ workspace


def test_workspace_lists_the_items_in_itas_order_with_their_rules(w, client):
    client.force_login(w.admin_a)
    response = client.get(url("evidence:workspace", w))
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(f'data-testid="item-{c}"') for c in ("o1", "o2", "o3", "o4")]
    assert positions == sorted(positions)
    assert html.index('data-testid="group-9-9.1"') < positions[0] < html.index('data-testid="group-10-10.1"')
    text = text_of(response)
    assert "o2 (ยังไม่ทราบชื่อข้อ)" in text
    assert "ข้อมูลปีงบประมาณ 2568" in text and "ปีงบประมาณ 2567 (ปีที่ผ่านมา)" in text
    assert "แผนผังโครงสร้างองค์กร" in text and "แผนปฏิบัติการป้องกันการทุจริตประจำปี" in text
    assert "0 / 4" in text
    assert "30 เม.ย. 2568 17:00 น." in text  # the OIT milestone's deadline


def test_projected_oit_score(w, client):
    client.force_login(w.admin_a)
    response = client.get(url("evidence:workspace", w))
    assert 'data-testid="oit-score">0.00<' in response.content.decode()
    fill(w, "o1")
    fill(w, "o2", answer="has_not", urls=())
    response = client.get(url("evidence:workspace", w))
    html = response.content.decode()
    # o1 has, o2 has not → indicator 9 = 50; nothing in indicator 10 → 0; OIT = mean(50, 0) = 25
    assert 'data-testid="oit-score">25.00<' in html
    scores = re.sub(r"\s+", " ", html[html.index('data-testid="indicator-scores"'):])
    assert re.search(r"9 การเปิดเผยข้อมูล</td><td class=\"text-end\">50.00", scores)
    assert "2 / 4" in text_of(response)


def test_decisions_findings_and_examples_sit_beside_each_element(w, client, scheduled, media):
    item = to_submitted(w)[0]
    services.review_item(actor=w.reviewer, item=item, decisions={"o1.1": ("not_met", "ไม่มีผังฝ่ายการเมือง")})
    services.record_check(item, item.urls[0], FakeFetched(final_url=item.urls[0]), [
        {"code": "element_missing", "passed": False, "severity": "error",
         "message_th": "ไม่พบคำว่า “อำนาจหน้าที่” บนหน้านี้", "message_en": "no “powers and duties” on the page",
         "detail": {"element": "o1.2"}},
        {"code": "fiscal_year", "passed": False, "severity": "warning", "message_th": "ไม่พบปีงบประมาณ 2568",
         "message_en": "fiscal year 2568 not found", "detail": {}}])
    services.save_example(actor=w.local_officer, round=w.round, office=w.local, item_code="o1",
                          text="แสดงทั้งฝ่ายการเมืองและฝ่ายประจำ", url="https://example.go.th/structure")
    client.force_login(w.admin_a)
    html = client.get(url("evidence:workspace", w)).content.decode()
    card = html[html.index('data-testid="item-o1"'):html.index('data-testid="item-o2"')]
    o11 = card[card.index('data-testid="element-o1.1"'):card.index('data-testid="element-o1.2"')]
    assert "ไม่ครบถ้วน" in o11 and "ไม่มีผังฝ่ายการเมือง" in o11
    o12 = card[card.index('data-testid="element-o1.2"'):]
    assert "ไม่พบคำว่า “อำนาจหน้าที่” บนหน้านี้" in o12
    assert "ไม่พบปีงบประมาณ 2568" in card
    assert "แสดงทั้งฝ่ายการเมืองและฝ่ายประจำ" in card and "สถ.จ.เลย" in card
    # the provincial office follows only provincial-level agencies: its example is not shown to sao1 …
    services.save_example(actor=w.prov_officer, round=w.round, office=w.prov_office, item_code="o1",
                          text="ตัวอย่างของจังหวัด")
    assert "ตัวอย่างของจังหวัด" not in client.get(url("evidence:workspace", w)).content.decode()
    # … but is shown to the province's own agency
    client.force_login(w.secretariat)
    provincial = client.get(url("evidence:workspace", w, agency_id=w.provincial.pk)).content.decode()
    assert "ตัวอย่างของจังหวัด" in provincial and "แสดงทั้งฝ่ายการเมือง" not in provincial


def test_changed_and_broken_since_approved(w, client, scheduled, media):
    item = to_submitted(w, codes=("o1", "o3"))[0]
    o3 = EvidenceItem.objects.get(item_code="o3")
    for it in (item, o3):
        services.review_item(actor=w.reviewer, item=it, decisions=decide_all(it), outcome="approve")
    snapshots.take_many([item, o3], "approval", fetch=lambda urls: [FakeFetched(final_url=u) for u in urls])
    services.record_check(item, item.urls[0], FakeFetched(final_url=item.urls[0], body=b"<p>new text</p>"), [])
    services.record_check(o3, o3.urls[0], FakeFetched(final_url=o3.urls[0], status=None, body=None,
                                                     error="ติดต่อเว็บไซต์ไม่ได้"), [])
    client.force_login(w.admin_a)
    html = client.get(url("evidence:workspace", w)).content.decode()
    assert f"เนื้อหาเปลี่ยนไปหลังผ่านการตรวจ: {item.urls[0]}" in html
    assert f"เปิดไม่ได้หลังผ่านการตรวจ: {o3.urls[0]}" in html


def test_english_on_request(w, client):
    client.force_login(w.admin_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = text_of(client.get(url("evidence:workspace", w)))
    assert "OIT evidence" in text and "Data of fiscal year 2568" in text and "Fiscal year 2567 (the previous year)" in text
    assert "(title not known)" in text


# ------------------------------------------------------------------------------------------ item page


def test_admin_fills_an_item_and_goes_to_the_next(w, client):
    client.force_login(w.admin_a)
    page = client.get(url("evidence:item", w, code="o1"))
    assert page.status_code == 200 and 'data-testid="item-form"' in page.content.decode()
    response = client.post(url("evidence:item", w, code="o1"), {
        "answer": "has", "urls": f"{URL}\n{URL}/chart.pdf", "explanation": "เมนู เกี่ยวกับเรา > โครงสร้าง",
        "revision": "0", "next": "1"})
    assert response.status_code == 302 and response["Location"] == url("evidence:item", w, code="o2")
    item = EvidenceItem.objects.get(item_code="o1")
    assert item.urls == [URL, f"{URL}/chart.pdf"] and item.answer == "has" and item.updated_by == w.admin_a
    page = client.get(url("evidence:item", w, code="o1"))
    assert "บันทึกข้อ o1 แล้ว" in page.content.decode()
    assert 'data-testid="history"' in page.content.decode() and "admin-a" in page.content.decode()


def test_form_errors_are_shown_and_nothing_is_saved(w, client):
    client.force_login(w.admin_a)
    response = client.post(url("evidence:item", w, code="o1"), {"answer": "has", "urls": "www.kaewmethee.go.th",
                                                                "revision": "0"})
    assert response.status_code == 200
    assert "“www.kaewmethee.go.th” ไม่ใช่ URL ที่ขึ้นต้นด้วย http://" in response.content.decode()
    response = client.post(url("evidence:item", w, code="o1"), {"answer": "has", "urls": "", "revision": "0"})
    assert "ต้องใส่ URL อย่างน้อยหนึ่งรายการ" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_a_submitted_item_is_read_only_until_taken_back(w, client, scheduled):
    to_submitted(w)
    client.force_login(w.admin_a)
    html = client.get(url("evidence:item", w, code="o1")).content.decode()
    assert 'data-testid="item-form"' not in html and 'data-testid="withdraw"' in html
    response = client.post(url("evidence:item", w, code="o1"), {"answer": "has_not", "urls": "", "revision": "3"})
    assert response.status_code == 200 and "จึงแก้ไขข้อมูลไม่ได้" in response.content.decode()
    response = client.post(url("evidence:withdraw", w, code="o1"), follow=True)
    assert EvidenceItem.objects.get(item_code="o1").state == State.DRAFT
    assert 'data-testid="item-form"' in response.content.decode()


def test_unknown_item_is_404(w, client):
    client.force_login(w.admin_a)
    assert client.get(url("evidence:item", w, code="i1")).status_code == 404
    assert client.get(url("evidence:item", w, code="o99")).status_code == 404


# ------------------------------------------------------------------------------------------ approval and review


def test_executive_approves_all_ready_items_and_they_are_sent(w, client, scheduled, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    fill(w, "o1")
    fill(w, "o2", answer="has_not", urls=())
    fill(w, "o3", answer="", urls=(), explanation="กำลังทำ")  # not ready
    client.force_login(w.exec_a)
    page = client.get(url("evidence:approve", w)).content.decode()
    assert 'value="o1"' in page and 'value="o2"' in page and 'value="o3"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("evidence:approve", w), {"item": ["o1", "o2", "o3"], "submit": "1",
                                                             "comment": "ตรวจแล้ว"})
    assert response.status_code == 302
    states = dict(EvidenceItem.objects.values_list("item_code", "state"))
    assert states == {"o1": "submitted", "o2": "submitted", "o3": "draft"}
    assert len(mailoutbox) == 6 and "ส่งข้อมูล OIT ให้ตรวจ 2 ข้อ" in mailoutbox[0].subject
    assert scheduled and scheduled[0][1] == "submission"


def test_approve_without_sending_then_send_later(w, client, scheduled):
    fill(w, "o1")
    client.force_login(w.exec_a)
    client.post(url("evidence:approve", w), {"item": ["o1"]})
    assert EvidenceItem.objects.get(item_code="o1").state == State.APPROVED_BY_EXECUTIVE
    client.force_login(w.admin_a)
    html = client.get(url("evidence:workspace", w)).content.decode()
    assert 'data-testid="submit-waiting"' in html
    client.post(url("evidence:submit", w))
    assert EvidenceItem.objects.get(item_code="o1").state == State.SUBMITTED


def test_the_admin_cannot_open_the_approval_page(w, client):
    client.force_login(w.admin_a)
    assert client.get(url("evidence:approve", w)).status_code == 403
    assert client.post(url("evidence:approve", w), {"all": "1"}).status_code == 403


def test_reviewer_returns_then_passes_from_the_queue(w, client, scheduled):
    to_submitted(w, codes=("o1", "o3"))
    EvidenceItem.objects.filter(item_code="o3").update(submitted_at=timezone.now() - dt.timedelta(days=4))
    client.force_login(w.reviewer)
    queue = client.get(url("evidence:queue", w, office_id=w.nacc.pk))
    html = queue.content.decode()
    assert html.index(f'queue-{w.sao1.pk}-o3') < html.index(f'queue-{w.sao1.pk}-o1')  # oldest first
    row = html[html.index(f'queue-{w.sao1.pk}-o3'):]
    assert re.search(r'data-testid="age">4<', row)
    assert 'data-testid="oit-deadline"' in html and "เลยกำหนด" in html  # the world's OIT deadline is past
    review = url("evidence:review", w, code="o1")
    page = client.get(review).content.decode()
    assert 'name="decision-o1.1"' in page and 'name="decision-o1.2"' in page
    response = client.post(review, {"decision-o1.1": "met", "decision-o1.2": "not_met",
                                    "comment-o1.2": "ไม่พบอำนาจหน้าที่", "outcome": "return",
                                    "comment": "กรุณาเพิ่มอำนาจหน้าที่", "back": queue.request["PATH_INFO"]})
    assert response.status_code == 302 and response["Location"] == url("evidence:queue", w, office_id=w.nacc.pk)
    item = EvidenceItem.objects.get(item_code="o1")
    assert item.state == State.RETURNED
    assert dict(item.decisions.values_list("element_code", "decision")) == {"o1.1": "met", "o1.2": "not_met"}
    # passing an item with an element not met is refused, with the posted choices kept
    o3 = url("evidence:review", w, code="o3")
    response = client.post(o3, {"decision-o3.1": "not_met", "outcome": "approve", "comment": "ดี"})
    assert response.status_code == 200 and "ไม่ครบถ้วน จึงให้ผ่านไม่ได้" in response.content.decode()
    assert 'value="not_met" checked' in response.content.decode()
    client.post(o3, {"decision-o3.1": "met", "outcome": "approve"})
    assert EvidenceItem.objects.get(item_code="o3").state == State.APPROVED
    # the admin sees the comment
    client.force_login(w.admin_a)
    html = client.get(url("evidence:workspace", w)).content.decode()
    assert "กรุณาเพิ่มอำนาจหน้าที่" in html[html.index('data-testid="item-o1"'):]


def test_queue_is_paged_oldest_first_in_itas_order(w, client, scheduled, monkeypatch):
    """An office may have thousands of items waiting on deadline day: the queue shows one page at a time,
    ordered in the database as it was in Python (oldest submission, agency, ITAS order)."""
    monkeypatch.setattr(selectors, "QUEUE_PAGE_SIZE", 2)
    to_submitted(w, codes=("o1", "o2", "o3", "o4"))
    now = timezone.now()
    EvidenceItem.objects.filter(item_code__in=["o1", "o2", "o3"]).update(submitted_at=now - dt.timedelta(days=1))
    EvidenceItem.objects.filter(item_code="o4").update(submitted_at=now - dt.timedelta(days=2))
    client.force_login(w.reviewer)
    base = url("evidence:queue", w, office_id=w.nacc.pk)

    def codes(response):
        return re.findall(rf'data-testid="queue-{w.sao1.pk}-(o\d)"', response.content.decode())

    first = client.get(base)
    assert codes(first) == ["o4", "o1"]
    html = first.content.decode()
    assert "1 / 2" in html and "?state=submitted&amp;page=2" in html
    assert codes(client.get(base + "?state=submitted&page=2")) == ["o2", "o3"]
    assert codes(client.get(base + "?page=99")) == ["o2", "o3"]  # past the end: the last page
    assert [r.item_code for r in selectors.queue(w.round, [w.sao1])] == ["o4", "o1", "o2", "o3"]
    client.force_login(w.secretariat)
    assert codes(client.get(url("evidence:queues", w))) == ["o4", "o1"]


def test_secretariat_sees_every_queue(w, client, scheduled):
    to_submitted(w)
    client.force_login(w.secretariat)
    response = client.get(url("evidence:queues", w))
    html = response.content.decode()
    nacc = html[html.index('data-testid="office-nacc"'):]
    assert re.search(r'fw-semibold">1<', nacc)
    prov = html[html.index('data-testid="office-provincial-office"'):]
    assert re.search(r'fw-semibold">0<', prov)
    assert f"queue-{w.sao1.pk}-o1" in html
    assert client.get("/oit/").url == url("evidence:queues", w)


def test_home_sends_each_role_to_its_page(w, client):
    for who, target in [("reviewer", url("evidence:queue", w, office_id=w.nacc.pk)),
                        ("admin_a", url("evidence:workspace", w)), ("exec_a", url("evidence:workspace", w)),
                        ("secretariat", url("evidence:queues", w))]:
        client.force_login(getattr(w, who))
        assert client.get("/oit/")["Location"] == target, who


# ------------------------------------------------------------------------------------------ examples


def test_office_manages_examples(w, client):
    client.force_login(w.local_officer)
    page = url("evidence:examples", w, office_id=w.local.pk)
    response = client.post(page, {"item_code": "o3", "text": "แผนต้องมีงบประมาณและผู้รับผิดชอบ",
                                  "url": "https://example.go.th/plan"})
    assert response.status_code == 302
    example = ItemExample.objects.get()
    assert (example.office, example.item_code, example.created_by) == (w.local, "o3", w.local_officer)
    response = client.post(page, {"item_code": "o3", "text": "", "url": ""})
    assert "ใส่คำอธิบายหรือ URL" in response.content.decode()
    client.force_login(w.reviewer)  # a reviewer of another office
    assert client.post(page, {"item_code": "o1", "text": "x"}).status_code == 403
    client.force_login(w.local_officer)
    client.post(reverse("evidence:example_delete", args=[w.round.pk, w.local.pk, example.pk]))
    assert not ItemExample.objects.exists()


# ------------------------------------------------------------------------------------------ exports, snapshots


def test_xlsx_export_in_itas_order(w, client, scheduled):
    fill(w, "o3", urls=[URL + "/plan", URL + "/plan.pdf"], explanation="หน้า 2")
    fill(w, "o1")
    item = to_submitted(w, codes=("o1",))[0]
    services.review_item(actor=w.reviewer, item=item, decisions={"o1.1": ("met", ""), "o1.2": ("not_met", "ไม่มี")},
                         outcome="return", comment="เพิ่มอำนาจหน้าที่")
    client.force_login(w.admin_a)
    response = client.get(url("evidence:export_xlsx", w))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == ["ลำดับ", "ข้อ", "ตัวชี้วัด", "ตัวชี้วัดย่อย", "รายการ", "ปีของข้อมูล", "คำตอบ", "URL",
                       "คำอธิบายเพิ่มเติม", "สถานะ", "ผลการตรวจอัตโนมัติ", "ความเห็นผู้ตรวจ"]
    assert [r[1] for r in rows[1:]] == ["o1", "o2", "o3", "o4"]
    o1, o2, o3, o4 = rows[1:]
    assert o1[6] == "มี" and o1[9] == "ส่งกลับให้แก้ไข"
    assert "เพิ่มอำนาจหน้าที่" in o1[11] and "o1.2 ไม่ครบถ้วน: ไม่มี" in o1[11]
    assert o2[4] == "(ยังไม่ทราบชื่อข้อ)" and o2[6] == "ยังไม่ตอบ"
    assert o3[7] == f"{URL}/plan\n{URL}/plan.pdf" and o3[8] == "หน้า 2"
    assert o4[5] == "ปีงบประมาณ 2567 (ปีที่ผ่านมา)" and o1[2] == "9 การเปิดเผยข้อมูล"


def test_print_page(w, client):
    fill(w, "o1")
    client.force_login(w.exec_a)
    html = client.get(url("evidence:print", w)).content.decode()
    assert "data-print" in html and "พิมพ์ / บันทึกเป็น PDF" in html
    table = html[html.index('data-testid="print-table"'):]
    assert table.index("o1") < table.index("o2") < table.index("o3") < table.index("o4")
    assert URL in table


def test_pdf_export_in_itas_order(w, client, scheduled):
    """The server-side PDF holds the XLSX's rows in ITAS order: item codes, URLs, answers and the
    reviewer's Thai comments come back from its text layer exactly."""
    from tests.documents.imaging import pdf_fonts, pdf_text

    fill(w, "o3", urls=[URL + "/plan", URL + "/plan.pdf"], explanation="หน้า 2 # $ * _ @ [ ] \\")
    fill(w, "o1")
    item = to_submitted(w, codes=("o1",))[0]
    services.review_item(actor=w.reviewer, item=item, decisions={"o1.1": ("met", ""), "o1.2": ("not_met", "ไม่มี")},
                         outcome="return", comment="เพิ่มอำนาจหน้าที่ของผู้บริหารท้องถิ่น")
    client.force_login(w.admin_a)
    response = client.get(url("evidence:export_pdf", w))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert re.fullmatch(rf'attachment; filename="oit-2568-{w.sao1.pk}-25\d\d-\d\d-\d\d-\d{{4}}\.pdf"',
                        response["Content-Disposition"])  # stamped with the Bangkok BE date and time
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    flat = re.sub(r"\s+", "", text)
    rows = re.findall(r"^(\d+) (o\d+) ", text, flags=re.MULTILINE)  # number and code open each row
    assert rows == [("1", "o1"), ("2", "o2"), ("3", "o3"), ("4", "o4")]
    assert f"{URL}/o1" in flat and f"{URL}/plan" in flat and f"{URL}/plan.pdf" in flat
    assert "ส่งกลับให้แก้ไข:เพิ่มอำนาจหน้าที่ของผู้บริหารท้องถิ่น" in flat
    assert "o1.2ไม่ครบถ้วน:ไม่มี" in flat and "หน้า2#$*_@[]\\" in flat
    assert "องค์การบริหารส่วนตำบลแก้วเมธี" in text and "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘" in text
    assert "ปีงบประมาณ2567(ปีที่ผ่านมา)" in flat and "(ยังไม่ทราบชื่อข้อ)" in flat
    assert "9 การเปิดเผยข้อมูล" in text
    fonts = pdf_fonts(response.content)
    assert "Laksaman" in fonts and all("Laksaman" in line for line in fonts.splitlines()[2:])


def test_pdf_export_of_a_round_without_framework(world, client):
    """No framework yet: the PDF still comes, with its heading and an empty list (never an error)."""
    from tests.documents.imaging import pdf_text

    client.force_login(world.admin_a)
    response = client.get(reverse("evidence:export_pdf", args=[world.round.pk, world.sao1.pk]))
    assert response.status_code == 200
    assert "องค์การบริหารส่วนตำบลแก้วเมธี" in pdf_text(response.content)


def test_workspace_links_to_the_pdf(w, client):
    client.force_login(w.admin_a)
    html = client.get(url("evidence:workspace", w)).content.decode()
    assert f'href="{url("evidence:export_pdf", w)}" data-testid="pdf-link"' in html
    html = client.get(url("evidence:print", w)).content.decode()
    assert f'href="{url("evidence:export_pdf", w)}" data-testid="pdf-link"' in html
    client.force_login(w.admin_b)
    assert client.get(url("evidence:export_pdf", w)).status_code == 404


def test_snapshot_page_and_download(w, client, media):
    item = fill(w, "o1")
    snap = snapshots.take(item, "submission", fetch=lambda urls: [FakeFetched(final_url=u) for u in urls])[0]
    client.force_login(w.admin_a)
    html = client.get(url("evidence:snapshot", w, snapshot_id=snap.pk)).content.decode()
    assert snap.sha256 in html and "โครงสร้าง" in html
    response = client.get(url("evidence:snapshot_file", w, snapshot_id=snap.pk))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == FakeFetched(final_url=URL).body
    client.force_login(w.admin_b)
    assert client.get(url("evidence:snapshot", w, snapshot_id=snap.pk)).status_code == 404
    # a snapshot of another agency's item is not reachable through sao1's address
    other = Snapshot.objects.create(item=EvidenceItem.objects.create(round=w.round, agency=w.pao, item_code="o1"),
                                    url=URL, reason="check")
    client.force_login(w.admin_a)
    assert client.get(url("evidence:snapshot", w, snapshot_id=other.pk)).status_code == 404


# ------------------------------------------------------------------------------------------ scoping


def test_scoping(w, client):
    fill(w, "o1")
    client.force_login(w.admin_b)
    for name, kw in [("evidence:workspace", {}), ("evidence:item", {"code": "o1"}), ("evidence:export_xlsx", {}),
                     ("evidence:print", {}), ("evidence:approve", {}), ("evidence:review", {"code": "o1"})]:
        assert client.get(url(name, w, **kw)).status_code == 404, name
    assert client.post(url("evidence:item", w, code="o1"), {"answer": "has_not"}).status_code == 404
    client.force_login(w.prov_officer)
    assert client.get(url("evidence:workspace", w)).status_code == 404
    # an office's queue lists only the agencies it follows
    to_submitted_pao = services.save_item(actor=w.admin_b, round=w.round, agency=w.pao, item_code="o1",
                                          answer="has_not", urls=[])[0]
    assert to_submitted_pao.pk
    client.force_login(w.admin_officer)
    assert client.get(url("evidence:queue", w, office_id=w.nacc.pk)).status_code == 403


# ------------------------------------------------------------------------------------------ automatic checks


def test_check_now_shows_the_job_progress(w, client, monkeypatch, django_capture_on_commit_callbacks, scheduled):
    from itadesk.evidence import tasks
    from itadesk.evidence.models import CheckJob

    queued = []
    monkeypatch.setattr(tasks, "run_check", lambda job_id: queued.append(job_id))
    to_submitted(w)
    client.force_login(w.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("evidence:check_agency", w))
    job = CheckJob.objects.get()
    assert response["Location"] == reverse("evidence:job", args=[w.round.pk, job.pk]) and queued == [job.pk]
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page and "0 / 1 URL" in page and "รอคิว" in page
    services.job_progress(job, status="running", done=1, line="ข้อ o1 เสร็จ")
    partial = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="job-progress"') and "<nav" not in partial
    assert "100%" in partial and "ข้อ o1 เสร็จ" in partial
    services.job_progress(job, status="done")
    assert "hx-trigger" not in client.get(response["Location"]).content.decode()
    CheckJob.objects.filter(pk=job.pk).update(part=1, parts=3)  # a part of a nightly check says which
    assert "ส่วนที่ 2 จาก 3" in client.get(response["Location"]).content.decode()
    # the item page checks one item; asking twice while waiting shows the same job
    response = client.post(url("evidence:check_agency", w), {"code": "o1"})
    item_job = CheckJob.objects.get(scope="item")
    response = client.post(url("evidence:check_agency", w), {"code": "o1"}, follow=True)
    assert CheckJob.objects.filter(scope="item").count() == 1
    assert "กำลังรอหรือกำลังตรวจอยู่" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("evidence:job", args=[w.round.pk, item_job.pk])
    # an item without a URL is not checked
    response = client.post(url("evidence:check_agency", w), {"code": "o4"}, follow=True)
    assert "ไม่มี URL ให้ตรวจ" in response.content.decode()
