"""The official documents of the seed: the letter ว ๘๗๒ with its distribution list and the minutes of 24 Dec
2567 (PDF read back with pdftotext and rendered with pdftoppm; DOCX with the Thai font on every run), the
meeting's invitation and agenda, and the QR codes of share links."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.core.files.base import ContentFile

from itadesk.committee.models import AgendaAttachment, AgendaItem
from itadesk.documents import docx, official, services
from itadesk.documents.models import IssuedDocument
from tests.documents.imaging import decode, pdf_pages, pdf_text, squeeze
from tests.documents.official_helpers import load_seed

pytestmark = pytest.mark.django_db

ARABIC_DATE = re.compile(r"[0-9]{1,2} (มกราคม|ธันวาคม|พฤศจิกายน) [0-9]{4}")


def assert_pages_render(body: bytes, pages: int | None = None):
    images = pdf_pages(body, dpi=60)
    assert images, "no page"
    if pages is not None:
        assert len(images) == pages
    for image in images:
        ink = (image < 128).mean()
        assert 0.0003 < ink < 0.5, "a page is blank or black"
    return images


def test_demo_letter_is_number_872_of_its_register(world):
    _meeting, letter = load_seed(world)
    assert letter.is_issued and (letter.year, letter.number) == (2567, 872)
    assert letter.full_number == "ลย ๐๐๑๗.๕/ว ๘๗๒"
    assert len(letter.recipients) == 7
    again = load_seed(world)[1]
    assert again.pk == letter.pk and IssuedDocument.objects.count() == 1  # idempotent
    assert services.next_number(letter.register, letter.date) == 873


def test_letter_package_reads_like_the_seed(world):
    meeting, letter = load_seed(world)
    body = official.letter_package_pdf(letter)
    text = pdf_text(body)
    for line in [
        "ที่ ลย ๐๐๑๗.๕/ว ๘๗๒", "ศาลากลางจังหวัดเลย", "ถนนมลิวรรณ ลย ๔๒๐๐๐", "๒๗ ธันวาคม ๒๕๖๗",
        "เรียน ตามบัญชีแนบท้าย",
        "อ้างถึง หนังสือจังหวัดเลย ด่วนที่สุด ที่ ลย ๐๐๑๗.๕/ว ๘๑๓๗ ลงวันที่ ๑๘ ธันวาคม ๒๕๖๗",
        "สิ่งที่ส่งมาด้วย ๑. รายงานการประชุมคณะกรรมการกำกับการประเมินคุณธรรมฯ จำนวน ๑ ชุด",
        "๒. บัญชีมอบหมายภารกิจในการกำกับติดตามการประเมินคุณธรรมฯ จำนวน ๑ ชุด",
        "ขอแสดงความนับถือ", "(นายประยูร อริญฺฐ)", "รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน",
        "กลุ่มงานบริหารทรัพยากรบุคคล", "โทร ๐-๔๒๘๑-๑๒๓๔",
        # the distribution list
        "บัญชีส่งหนังสือ ที่ ลย ๐๐๑๗.๕/ว ๘๗๒ ลงวันที่ ๒๗ ธันวาคม ๒๕๖๗",
        "๑. รองผู้ว่าราชการจังหวัดเลย (นายประยูร อรัญรุท)", "๔. ท้องถิ่นจังหวัดเลย",
        "๗. ผู้อำนวยการกลุ่มงานกฎหมายฯ สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเลย",
        # the minutes
        "รายงานการประชุม", "วันอังคารที่ ๒๔ ธันวาคม ๒๕๖๗ เวลา ๑๔.๓๐ น.",
        "ณ ห้องประชุมภูสวนทราย ชั้น ๒ ศาลากลางจังหวัดเลย", "ผู้มาประชุม",
        "๑. นายประยูร อรัญรุท รองผู้ว่าราชการจังหวัดเลย ประธานกรรมการ",
        "๕. นายบรรวุฒิ รัตน์ ผอ. กลุ่มงานบริหารทรัพยากรบุคคล กรรมการและเลขานุการ",
        "ผู้เข้าร่วมประชุม", "๔. นางสาวปณิตริกา จันทศร ผู้ช่วยนักวิจัย",
        "เริ่มประชุมเวลา ๑๕.๓๐ น.", "ระเบียบวาระที่ ๑ เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ",
        "ระเบียบวาระที่ ๒ เรื่องรับรองรายงานการประชุม", "- ไม่มี -", "มติที่ประชุม รับทราบ",
        "มติที่ประชุม เห็นชอบตามที่เสนอ", "ระเบียบวาระที่ ๕ เรื่องอื่น ๆ (ถ้ามี)", "เลิกประชุมเวลา ๑๖.๓๐ น.",
        "(นายพนนทชัย วงษ์ธา)", "ผู้จัดรายงานการประชุม", "(นายนราวุฒิ รัตน์ง)", "ผู้ตรวจรายงานการประชุม",
    ]:
        assert line in text, line
    subject = ("รายงานการประชุมคณะกรรมการกำกับการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
               "จังหวัดเลย และการมอบหมายภารกิจในการกำกับติดตามการประเมินคุณธรรมฯ")
    assert squeeze("เรื่อง " + subject) in squeeze(text)
    assert squeeze("ภายในวันศุกร์ที่ ๓๑ มกราคม ๒๕๖๘ เวลา ๑๗.๐๐ น.") in squeeze(text)
    assert not ARABIC_DATE.search(text), "dates in official documents use Thai digits"
    # each part numbers its own pages from its second page: "- ๒ -" …, never on a first page
    first_lines = [page.strip().splitlines()[0] for page in pdf_text(body).split("\f") if page.strip()]
    first_pages = [line for line in first_lines if not line.startswith("- ")]
    assert first_pages == ["ที่ ลย ๐๐๑๗.๕/ว ๘๗๒ ศาลากลางจังหวัดเลย",
                           "บัญชีส่งหนังสือ ที่ ลย ๐๐๑๗.๕/ว ๘๗๒ ลงวันที่ ๒๗ ธันวาคม ๒๕๖๗", "รายงานการประชุม"]
    assert "- ๒ -" in text and "- ๓ -" in text
    assert_pages_render(body)


@pytest.mark.parametrize("kind", official.MEETING_KINDS)
def test_meeting_documents_pdf_and_docx_say_the_same(world, kind):
    meeting, _letter = load_seed(world)
    data = official.meeting_document(meeting, kind)
    pdf_body = official.render(kind, data, "pdf")
    docx_body = official.render(kind, data, "docx", province=world.province)
    assert docx.docx_font_problems(docx_body) == []
    pdf_words, docx_words = squeeze(pdf_text(pdf_body)), squeeze(docx.docx_text(docx_body))
    expected = {
        "invitation": ["ขอเชิญประชุมคณะกรรมการกำกับการประเมินคุณธรรม", "ลย๐๐๑๗.๕/ว",
                       "วันอังคารที่๒๔ธันวาคม๒๕๖๗เวลา๑๔.๓๐น.", "ระเบียบวาระการประชุม"],
        "agenda": ["ระเบียบวาระการประชุม", "ระเบียบวาระที่๓", "เรื่องเพื่อทราบ", "๓.๑หลักเกณฑ์และปฏิทิน",
                   "๔.๒การกำหนดหัวข้อการประชุมเชิงปฏิบัติการ"],
        "minutes": ["รายงานการประชุม", "ผู้มาประชุม", "นายดิษพลบุตรดีวงศ์", "เริ่มประชุมเวลา๑๕.๓๐น.",
                    "มติที่ประชุม", "เห็นชอบตามที่เสนอ", "เลิกประชุมเวลา๑๖.๓๐น."],
    }[kind]
    for words in expected:
        assert words in pdf_words, ("pdf", words)
        assert words in docx_words, ("docx", words)
    assert_pages_render(pdf_body)


def test_letter_docx_and_distribution_docx(world):
    _meeting, letter = load_seed(world)
    body = official.render("letter", official.letter_document(letter, "letter"), "docx")
    assert docx.docx_font_problems(body) == []
    text = docx.docx_text(body)
    assert "ที่ ลย ๐๐๑๗.๕/ว ๘๗๒" in text and "๒๗ ธันวาคม ๒๕๖๗" in text and "(นายประยูร อริญฺฐ)" in text
    assert 'w:sz w:val="32"' in docx.etree.tostring(docx.etree.fromstring(
        __import__("zipfile").ZipFile(__import__("io").BytesIO(body)).read("word/document.xml"))).decode()
    dist = official.render("distribution", official.letter_document(letter, "distribution"), "docx")
    assert docx.docx_font_problems(dist) == []
    dist_text = docx.docx_text(dist)
    for name, _address in __import__("itadesk.demo.official_documents", fromlist=["x"]).RECIPIENTS:
        assert name in dist_text


def test_attachment_share_link_is_a_qr_code_on_the_minutes(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting, _letter = load_seed(world)
    item = AgendaItem.objects.get(meeting=meeting, number="3.1")
    attachment = AgendaAttachment(item=item, name="หลักเกณฑ์ ITA 2568.pdf", size=9)
    attachment.file.save("criteria.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    link = services.create_share_link(actor=world.secretariat, province=world.province, attachment=attachment)
    assert len(link.token) >= 32
    body = official.render("minutes", official.minutes_data(meeting), "pdf")
    assert squeeze("สิ่งที่แนบ: หลักเกณฑ์ ITA 2568.pdf (สแกน QR Code เพื่อดาวน์โหลด)") in squeeze(pdf_text(body))
    found = set()
    for image in pdf_pages(body, dpi=200):
        found.update(decode(np.asarray(image)))
    assert link.url() in found
    # the DOCX has the same QR code as a picture
    docx_body = official.render("minutes", official.minutes_data(meeting), "docx")
    assert docx.docx_font_problems(docx_body) == []
    assert b"word/media/" in docx_body
    # revoked: no QR code any more
    services.revoke_share_link(actor=world.secretariat, link=link)
    assert "สแกน QR Code" not in pdf_text(official.render("minutes", official.minutes_data(meeting), "pdf"))


def test_letter_share_link_is_printed_beside_the_enclosures(world):
    _meeting, letter = load_seed(world)
    link = services.create_share_link(actor=world.secretariat, province=world.province, document=letter)
    body = official.render("letter", official.letter_document(letter, "letter"), "pdf")
    assert "หนังสือและสิ่งที่ส่งมาด้วยทั้งหมด" in pdf_text(body)
    found = set()
    for image in pdf_pages(body, dpi=200):
        found.update(decode(np.asarray(image)))
    assert found == {link.url()}


def test_user_text_is_data_in_both_formats(world):
    meeting, _letter = load_seed(world)
    item = AgendaItem.objects.get(meeting=meeting, number="3.1")
    AgendaItem.objects.filter(pk=item.pk).update(title='#set text(red) <w:t>{{ x }}</w:t> & "quotes" $x$ *b*')
    data = official.minutes_data(meeting)
    pdf_body, docx_body = official.render("minutes", data, "pdf"), official.render("minutes", data, "docx")
    assert '#set text(red) <w:t>{{ x }}</w:t> & "quotes" $x$ *b*' in pdf_text(pdf_body)
    assert '#set text(red) <w:t>{{ x }}</w:t> & "quotes" $x$ *b*' in docx.docx_text(docx_body)
    assert docx.docx_font_problems(docx_body) == []


def test_shipped_templates_render_their_sample_and_declare_the_thai_font():
    for kind in official.KINDS:
        template = official.default_template(kind).read_bytes()
        assert docx.docx_font_problems(template) == [], kind
        body = official.render_docx(kind, official.sample_context(kind), template=template, name=f"{kind}.docx")
        assert docx.docx_font_problems(body) == [], kind
        assert official.render_pdf(kind, official.sample_context(kind)).startswith(b"%PDF")


def test_paragraphs_split_on_blank_lines_and_list_lines():
    assert official.paragraphs("ก\nข\n\nค\n- ง\n๑) จ") == ["ก ข", "ค", "- ง", "๑) จ"]
    assert official.paragraphs("") == []
