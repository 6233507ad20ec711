"""Element detectors beyond keywords (an element's ``detect`` and ``min_count`` in the framework file),
and documents on the same site followed one level deep from a page, each saying which document
satisfied which element. Pages served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itadesk.evidence.checker import CheckerConfig, check, check_url_sync
from itadesk.evidence.checker.extract import extract
from itadesk.evidence.checker.rules import _DETECTOR_EN, _DETECTOR_TH, _Text, detect, linked_documents
from itadesk.methodology import schema
from tests.evidence.accuracy.corpus import Page
from tests.evidence.accuracy.measure import Server
from tests.evidence.servers import make_pdf, page
from tests.evidence.test_checker_rules import fetched


def element_item(**element) -> dict:
    return {"code": "x1", "elements": [{"code": "x1.1", "text_th": "องค์ประกอบ", **element}]}


def elements_of(html: str, item: dict, url="https://www.loei.go.th/ita/x1"):
    return [f for f in check(fetched(url, page("หน้า", html).encode()), item=item) if f.code == "elements"]


def detected(kind: str, html: str) -> str | None:
    result = fetched("https://www.loei.go.th/ita/x1", page("หน้า", html).encode())
    ex = extract(result)
    return detect(kind, _Text(ex.main_text), ex)


@pytest.mark.parametrize(("kind", "yes", "no"), [
    ("image", '<p>นายก</p><img src="/p1.jpg" alt="นายสมชาย ใจดี">', "<p>รูปถ่าย</p>"),
    ("table", "<table><tr><td>1</td><td>2</td></tr></table>", "<p>ตาราง 1 2</p>"),
    ("phone", "<p>โทร 0-4281-1234</p>", "<p>งบประมาณ 2,568,000 บาท ปี 2568</p>"),
    ("phone", "<p>มือถือ 08-1234-5678</p>", "<p>เลขที่ 12/2568</p>"),
    ("phone", "<p>Tel. +66 42 835 000</p>", "<p>ร้อยละ 47.3</p>"),
    ("email", "<p>saraban@loei.go.th</p>", "<p>อีเมล: -</p>"),
    ("map", '<iframe src="https://www.google.com/maps/embed?pb=1"></iframe>', '<iframe src="https://www.youtube.com/embed/x"></iframe>'),
    ("pdf_link", '<a href="/files/plan.pdf">แผน</a>', '<a href="/files/plan.html">แผน</a>'),
    ("office_link", '<a href="/files/plan.xlsx">แผน</a>', '<a href="/files/plan.pdf">แผน</a>'),
])
def test_each_detector(kind, yes, no):
    assert detected(kind, yes)
    assert detected(kind, no) is None


def test_an_image_in_the_menu_or_footer_is_not_a_photo_of_the_content():
    html = page("ผู้บริหาร", "<h1>ผู้บริหาร</h1><p>นายกองค์การบริหารส่วนตำบล</p>").replace(
        "<footer>", '<footer><img src="/logo.png" alt="โลโก้">')
    ex = extract(fetched("https://www.loei.go.th/ita/o2", html.encode()))
    assert detect("image", _Text(ex.main_text), ex) is None


def test_the_executives_photo_is_found_as_an_image():
    item = element_item(keywords=["รูปถ่าย"], detect=["image"])
    [found] = elements_of('<h1>ผู้บริหาร</h1><img src="/p1.jpg" alt="นายสมชาย ใจดี"><p>นายก</p>', item)
    assert found.passed and found.detail["detected"]["image"].startswith("1 image")
    assert "รูปภาพในเนื้อหา" in found.message_th
    [missing] = elements_of("<h1>ผู้บริหาร</h1><p>นายสมชาย ใจดี นายก</p>", item)
    assert not missing.passed and "ไม่พบรูปภาพในเนื้อหา" in missing.message_th


# Executives' pages in the shapes agencies publish: a card per person, a table row with the photo in one cell,
# an English page; and the defective ones: a banner or logo beside names without photos, photos with no name.
PERSON_GOOD = [
    '<div class="person"><img src="/p1.jpg" alt="นายสมชาย ใจดี"><p>นายกองค์การบริหารส่วนตำบล</p></div>',
    "<table><tr><td><img src='/d1.jpg'></td><td>นายแพทย์ประเสริฐ ดีงาม<br>ผู้อำนวยการโรงพยาบาล</td></tr></table>",
    '<figure><img src="/e1.jpg"><figcaption>นางสาวกานดา ใจเย็น ปลัดเทศบาล</figcaption></figure>',
    '<div><img src="/img/e0.jpg" alt="Assoc. Prof. Somchai Dee"><p>Dr. Somchai Dee</p><p>President</p></div>',
    # local executives who hold a military or police rank, a professor written out
    '<div><img src="/p.jpg"><p>ว่าที่ร้อยตรีสมพงษ์ แก้วใส</p><p>ปลัดองค์การบริหารส่วนตำบล</p></div>',
    '<div><img src="/p.jpg"><p>จ่าสิบเอกวิชัย มั่นคง</p><p>รองนายกเทศมนตรี</p></div>',
    '<div><img src="/p.jpg"><p>ร.ต.อ.ชาญ ชัยชนะ</p><p>หัวหน้าสถานีตำรวจ</p></div>',
    '<div><img src="/p.jpg"><p>รองศาสตราจารย์สมใจ รักเรียน</p><p>คณบดี</p></div>',
]
PERSON_DEFECTIVE = [
    '<img src="/banner.jpg" alt="ยินดีต้อนรับ"><h1>ทำเนียบผู้บริหาร</h1>' + "<p>ข้อความประชาสัมพันธ์ของหน่วยงาน</p>" * 12
    + "<ul><li>นายสมชาย ใจดี นายกองค์การบริหารส่วนตำบล</li></ul>",
    '<h1>ผู้บริหาร</h1><img src="/p1.jpg" alt="รูปภาพ"><img src="/p2.jpg"><p>ภาพกิจกรรมวันเด็ก</p>',
    "<h1>ผู้บริหาร</h1><p>นายสมชาย ใจดี นายกองค์การบริหารส่วนตำบล</p>",  # no photo at all
    '<h1>ผู้บริหาร</h1><img src="/p1.jpg" alt="นายก"><p>นายกองค์การบริหารส่วนตำบล</p>',  # a position, no name
    # the agency's logo beside a list of names is nobody's photo
    '<h1>คณะผู้บริหาร</h1><img src="/img/logo.png" alt="ตราสัญลักษณ์เทศบาล"><p>นายสมชาย ใจดี นายกเทศมนตรี</p>',
    '<h1>คณะผู้บริหาร</h1><img src="/img/site-logo.png"><p>นายสมชาย ใจดี นายกเทศมนตรี</p>',
]


@pytest.mark.parametrize("html", PERSON_GOOD)
def test_a_photo_beside_a_name_and_position_is_found(html):
    assert detected("person_photo", html)


@pytest.mark.parametrize("html", PERSON_DEFECTIVE)
def test_an_image_without_a_name_and_position_beside_it_is_not_an_executives_photo(html):
    assert detected("person_photo", html) is None


def test_a_photo_in_the_menu_is_not_the_executives_photo():
    html = page("ผู้บริหาร", "<h1>ผู้บริหาร</h1><p>นายสมชาย ใจดี นายกองค์การบริหารส่วนตำบล</p>").replace(
        "<footer>", '<footer><img src="/mayor.jpg" alt="นายสมชาย ใจดี นายก">')
    ex = extract(fetched("https://www.loei.go.th/ita/o2", html.encode()))
    assert detect("person_photo", _Text(ex.main_text), ex) is None


def test_the_person_photo_detector_is_declared_and_checks_an_element():
    from itadesk.methodology.schema import DETECTORS

    assert "person_photo" in DETECTORS
    item = element_item(keywords=["รูปถ่าย"], detect=["person_photo"])
    [found] = elements_of(PERSON_GOOD[1], item)
    assert found.passed and "นายแพทย์ประเสริฐ ดีงาม" in found.detail["detected"]["person_photo"]
    assert "รูปถ่ายที่มีชื่อและตำแหน่งกำกับ" in found.message_th
    [missing] = elements_of(PERSON_DEFECTIVE[0], item)
    assert not missing.passed and "ไม่พบรูปถ่ายที่มีชื่อและตำแหน่งกำกับ" in missing.message_th


def test_a_missing_photo_is_said_in_words_a_reviewer_reads():
    [missing] = elements_of(PERSON_DEFECTIVE[0], element_item(detect=["person_photo"]))
    assert not missing.passed
    assert "not found: no photo with a name and position beside it was found." in missing.message_en
    assert "person_photo" not in missing.message_en and "  " not in missing.message_en
    [both] = elements_of("<p>ไม่มีอะไร</p>", element_item(keywords=["โทรศัพท์"], detect=["phone", "email"]))
    assert 'none of "โทรศัพท์" appears and no phone number or e-mail address was found' in both.message_en


def test_every_detector_has_a_thai_and_an_english_name():
    assert set(_DETECTOR_TH) == set(_DETECTOR_EN) == set(schema.DETECTORS)


def test_a_detector_alone_is_enough_to_check_an_element():
    [found] = elements_of("<p>ติดต่อ 042-811-111</p>", element_item(detect=["phone"]))
    assert found.passed and found.detail["detected"] == {"phone": "042-811-111"}


LAWS = ["พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537", "พระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540",
        "พระราชบัญญัติวิธีปฏิบัติราชการทางปกครอง พ.ศ. 2539", "ระเบียบกระทรวงมหาดไทยว่าด้วยการรับเงิน พ.ศ. 2547",
        "พระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. 2560", "กฎกระทรวงว่าด้วยการควบคุมอาคาร พ.ศ. 2544"]


@settings(max_examples=12, deadline=None)
@given(n=st.integers(0, 6))
def test_at_least_five_laws_are_counted(n):
    fw = schema.load_file(schema.FRAMEWORKS_DIR / "nacc-ita-2566.yaml")
    item = schema.find_item(fw, "o6").item
    html = "<h1>กฎหมายที่เกี่ยวข้อง</h1><ol>" + "".join(f"<li>{law}</li>" for law in LAWS[:n]) + "</ol>"
    [found] = elements_of(html, item)
    assert found.passed == (n >= 5)
    if n and not found.passed:
        assert found.detail["count"] == n and f"พบเพียง {n} รายการ" in found.message_th


def test_min_count_needs_something_to_count():
    data = schema.parse_text((schema.FRAMEWORKS_DIR / "nacc-ita-2566.yaml").read_text(encoding="utf-8"))
    fw = schema.load_data(data)
    bad = schema.find_item(fw, "o6").item["elements"][0]
    bad.pop("patterns")
    errors = [str(e) for e in schema.validate(fw)]
    assert any("min_count: needs keywords or patterns to count" in e for e in errors)
    bad.update(patterns=["x"], detect=["photo"])
    assert any("detect[0]: must be" in str(e) for e in schema.validate(fw))


# --- documents linked from a page ---------------------------------------------------------------------

HOST = "www.bankhok.go.th"
PLAN = make_pdf([["แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2568", "ความก้าวหน้า รอบ 6 เดือน ผลการเบิกจ่าย ร้อยละ 47"]])
OLD = make_pdf([["แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2565", "ความก้าวหน้า รอบ 6 เดือน"]])


def data_page(*links: str) -> bytes:
    return page("แผนการดำเนินงาน", "<h1>แผนการดำเนินงาน</h1>" + "".join(
        f'<p><a href="{href}">ดาวน์โหลด</a></p>' for href in links)).encode()


PAGES = {
    (HOST, "/ita/plan"): Page(body=data_page("/files/plan.pdf")),
    (HOST, "/ita/old"): Page(body=data_page("/files/old.pdf")),
    (HOST, "/ita/drive"): Page(body=data_page("https://drive.google.com/file/d/1/plan.pdf")),
    (HOST, "/ita/many"): Page(body=data_page(*(f"/files/{n}.pdf" for n in range(6)))),
    (HOST, "/files/plan.pdf"): Page(body=PLAN, content_type="application/pdf"),
    (HOST, "/files/old.pdf"): Page(body=OLD, content_type="application/pdf"),
    ("drive.google.com", "/file/d/1/plan.pdf"): Page(body=PLAN, content_type="application/pdf"),
}


@pytest.fixture(scope="module")
def site():
    with Server(PAGES) as server:
        yield server


def run(site, path, code="o6"):
    fw = schema.load_file(schema.FRAMEWORKS_DIR / "nacc-ita-2568.yaml")
    config = CheckerConfig(allow=("127.0.0.1",), delay=0, timeout=5,
                           host_map={HOST: "127.0.0.1", "drive.google.com": "127.0.0.1"})
    return check_url_sync(f"http://{HOST}:{site.port}{path}", item=schema.find_item(fw, code).item,
                          main_domain="bankhok.go.th", fiscal_year=2568, config=config)


def test_a_data_page_is_settled_by_its_pdf_on_the_same_site_saying_which(site):
    report = run(site, "/ita/plan")
    failed = [f for f in report.findings if not f.passed]
    assert not failed, [f.message_en for f in failed]
    pdf = f"http://{HOST}:{site.port}/files/plan.pdf"
    year = next(f for f in report.findings if f.code == "fiscal_year")
    assert year.detail["document"] == pdf and "ในเอกสารที่ลิงก์จากหน้านี้" in year.message_th
    progress = next(f for f in report.findings if f.code == "elements" and f.detail["element"] == "o6.2")
    assert progress.detail["document"] == pdf


def test_a_linked_pdf_of_a_wrong_year_keeps_the_finding(site):
    report = run(site, "/ita/old")
    year = next(f for f in report.findings if f.code == "fiscal_year")
    assert not year.passed and "document" not in year.detail


def test_documents_on_other_sites_are_not_opened(site):
    report = run(site, "/ita/drive")
    assert not next(f for f in report.findings if f.code == "fiscal_year").passed
    assert not next(f for f in report.findings if f.code == "off_domain_links").passed


def test_at_most_three_documents_are_followed():
    ex = extract(fetched(f"https://{HOST}/ita/many", data_page(*(f"/files/{n}.pdf" for n in range(6)))))
    assert linked_documents(ex, f"https://{HOST}/ita/many", "bankhok.go.th") == [
        f"https://{HOST}/files/{n}.pdf" for n in range(3)]
    assert linked_documents(ex, f"https://{HOST}/ita/many", "other.go.th") == []
