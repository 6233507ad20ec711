"""Letters to the standard (ระเบียบงานสารบรรณ forms 28 and 29): the Garuda emblem uploaded once (PNG or SVG, checked),
3 cm high on an external letter and 1.5 cm on a memo, about 1.5 cm from the top edge; every part in order, in the
PDF and the DOCX alike; the letter page says "not ready to send" until the emblem is there. No emblem file is
shipped: the tests draw their own."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from itadesk.core.models import AuditEvent
from itadesk.documents import emblem, official, services
from itadesk.documents.models import Emblem, IssuedDocument
from itadesk.registry.models import Province
from tests.documents.imaging import pdf_pages, pdf_text

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="120" viewBox="0 0 100 120">'
       b'<rect x="0" y="0" width="100" height="120" fill="#000"/></svg>')


def png(width: int, height: int) -> bytes:
    """A black PNG of the given size (greyscale, 8 bits)."""
    raw = b"".join(b"\x00" + b"\x00" * width for _ in range(height))
    chunk = lambda kind, body: (struct.pack(">I", len(body)) + kind + body  # noqa: E731
                                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# ------------------------------------------------------------------------------------------ checking uploads
def test_good_png_and_svg_pass():
    assert emblem.check("garuda.png", png(250, 300)) == ("image/png", 250, 300)
    assert emblem.check("garuda.svg", SVG) == ("image/svg+xml", 0, 0)


@pytest.mark.parametrize(("name", "content", "fault"), [
    ("garuda.png", png(40, 50), "40 × 50 pixels"),
    ("garuda.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
    ("garuda.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect onload="x()"/></svg>', "script attribute"),
    ("garuda.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://x.example/g.png"/></svg>',
     "another file"),
    ("garuda.svg", b"<html><body/></html>", "not an SVG"),
    ("garuda.svg", b"<svg", "not a readable SVG"),
    ("garuda.gif", b"GIF89a....", "not a PNG or SVG"),
    ("garuda.jpg", png(250, 300), "should end in .png"),
    ("garuda.png", b"", "empty"),
    ("garuda.png", b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024), "larger than 2 MB"),
])
def test_bad_uploads_are_refused_naming_the_file_and_the_fault(name, content, fault):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as info:
        emblem.check(name, content)
    message = " ".join(info.value.messages)
    assert name in message and fault in message, message


@pytest.mark.django_db
def test_upload_keeps_one_emblem_and_a_refusal_keeps_the_old_one():
    province = Province.objects.create(code="42", name_th="จังหวัดเลย")
    services.upload_emblem(actor=None, province=province, name="a.svg", content=SVG)
    services.upload_emblem(actor=None, province=province, name="b.png", content=png(200, 240))
    with pytest.raises(ValidationError):
        services.upload_emblem(actor=None, province=province, name="c.svg", content=b"<svg")
    stored = Emblem.objects.get(province=province)
    assert (stored.name, stored.content_type, stored.width, stored.height) == ("b.png", "image/png", 200, 240)
    assert AuditEvent.objects.filter(action="documents.emblem_upload").count() == 2


# ------------------------------------------------------------------------------------------------- letters
@pytest.fixture
def letter(db):
    province = Province.objects.create(code="42", name_th="จังหวัดเลย")
    register = services.save_register(actor=None, province=province, changes={
        "name": "หนังสือเวียน", "prefix": "ลย ๐๐๑๗.๕/ว", "reset": "calendar_year", "is_active": True,
        "office_address": "ศาลากลางจังหวัดเลย\nถนนเจริญรัฐ ลย ๔๒๐๐๐", "contact": "สำนักงานจังหวัด\nโทร ๐ ๔๒๘๑ ๑๒๓๔"})
    document = services.save_document(actor=None, province=province, changes={
        "register": register, "subject": "การติดตามการประเมิน ITA", "addressee": "นายกองค์การบริหารส่วนตำบลนาอาน",
        "reference": "หนังสือจังหวัดเลย ที่ ลย ๐๐๑๗.๕/ว ๑ ลงวันที่ ๒ มกราคม ๒๕๖๘",
        "enclosures": "แบบรายงาน จำนวน ๑ ชุด", "body": "ตามที่จังหวัดเลยได้แจ้งกำหนดการ นั้น\n\nบัดนี้ ขอให้ดำเนินการ",
        "closing": "จึงเรียนมาเพื่อโปรดพิจารณา", "signer_name": "นายสมชาย ใจดี",
        "signer_position": "ผู้ว่าราชการจังหวัดเลย"})
    services.issue_document(actor=None, document=document, date=dt.date(2025, 1, 6))
    return IssuedDocument.objects.get(pk=document.pk)


LETTER_ORDER = ["ที่ ลย ๐๐๑๗.๕/ว ๑", "ศาลากลางจังหวัดเลย", "๖ มกราคม ๒๕๖๘", "เรื่อง", "เรียน", "อ้างถึง",
                "สิ่งที่ส่งมาด้วย", "ตามที่จังหวัดเลย", "บัดนี้", "จึงเรียนมาเพื่อโปรดพิจารณา", "ขอแสดงความนับถือ",
                "(นายสมชาย ใจดี)", "ผู้ว่าราชการจังหวัดเลย", "สำนักงานจังหวัด", "โทร ๐ ๔๒๘๑ ๑๒๓๔"]
MEMO_ORDER = ["บันทึกข้อความ", "ส่วนราชการ", "ศาลากลางจังหวัดเลย", "ที่", "ลย ๐๐๑๗.๕/ว ๑", "วันที่",
              "๖ มกราคม ๒๕๖๘", "เรื่อง", "เรียน", "อ้างถึง", "สิ่งที่ส่งมาด้วย", "ตามที่จังหวัดเลย", "บัดนี้",
              "จึงเรียนมาเพื่อโปรดพิจารณา", "(นายสมชาย ใจดี)", "ผู้ว่าราชการจังหวัดเลย"]


def in_order(text: str, parts: list[str]) -> None:
    at = 0
    flat = " ".join(text.split())
    for part in parts:
        found = flat.find(part, at)
        assert found >= 0, f"{part!r} missing or out of order after …{flat[max(0, at - 40):at]}"
        at = found + len(part)


def docx_text(body: bytes) -> str:
    xml = zipfile.ZipFile(io.BytesIO(body)).read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return "\n".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in paragraphs)


def dark_box(page: np.ndarray, x_cm: float, dpi: int = 100) -> tuple[float, float, float, float]:
    """(top, bottom, left, right) in cm of the first solid dark shape from the top of the page that crosses the
    vertical line at ``x_cm`` (the emblem: a black drawing in these tests)."""
    cm = 2.54 / dpi
    column = page[:, int(x_cm / cm)] < 80
    top = int(np.argmax(column))
    bottom = top + int(np.argmin(column[top:]))
    ys, xs = np.nonzero(page[top:bottom] < 80)
    return top * cm, bottom * cm, xs.min() * cm, (xs.max() + 1) * cm


def test_external_letter_parts_in_order_pdf_and_docx(letter):
    data = official.letter_document(letter, "letter")
    in_order(pdf_text(official.render_pdf("letter", data), raw=False), LETTER_ORDER)
    in_order(docx_text(official.render_docx("letter", data)), LETTER_ORDER)


def test_memo_has_its_own_head_and_no_courtesy_line(letter):
    letter.form = IssuedDocument.Form.MEMO
    letter.save(update_fields=["form"])
    data = official.letter_document(letter, "letter")
    for text in (pdf_text(official.render_pdf("letter", data), raw=False),
                 docx_text(official.render_docx("letter", data))):
        in_order(text, MEMO_ORDER)
        assert "ขอแสดงความนับถือ" not in text


@pytest.mark.parametrize(("form", "height", "centred"), [("external", 3.0, True), ("memo", 1.5, False)])
def test_emblem_size_and_place(letter, form, height, centred):
    services.upload_emblem(actor=None, province=letter.province, name="garuda.svg", content=SVG)
    letter.form = form
    letter.save(update_fields=["form"])
    letter = IssuedDocument.objects.select_related("province").get(pk=letter.pk)
    page = pdf_pages(official.render_pdf("letter", official.letter_document(letter, "letter")), dpi=100)[0]
    top, bottom, left, right = dark_box(page, x_cm=11.0 if centred else 3.3)
    assert abs((bottom - top) - height) < 0.1, (top, bottom)
    assert abs(top - 1.5) < 0.15, top
    if centred:  # the middle of the text block (3 cm left margin, 2 cm right, A4 21 cm)
        assert abs((left + right) / 2 - (3 + (21 - 2)) / 2) < 0.15
    else:
        assert abs(left - 3.0) < 0.15


def test_docx_carries_the_emblem_at_its_size(letter):
    services.upload_emblem(actor=None, province=letter.province, name="garuda.png", content=png(250, 300))
    letter = IssuedDocument.objects.select_related("province").get(pk=letter.pk)
    body = official.render_docx("letter", official.letter_document(letter, "letter"))
    package = zipfile.ZipFile(io.BytesIO(body))
    assert any(n.startswith("word/media/") for n in package.namelist())
    xml = package.read("word/document.xml").decode("utf-8")
    cy = int(re.search(r'<wp:extent cx="\d+" cy="(\d+)"', xml).group(1))
    assert abs(cy / 360000 - 3.0) < 0.05  # EMU per cm


@pytest.mark.django_db
def test_letter_page_says_not_ready_until_the_emblem_is_uploaded(client, letter, django_user_model):
    user = django_user_model.objects.create_superuser("root", "r@example.com", "pw")
    client.force_login(user)
    url = reverse("documents:letter", args=[letter.pk])
    assert 'data-testid="not-ready"' in client.get(url).content.decode()
    upload = io.BytesIO(SVG)
    upload.name = "garuda.svg"
    response = client.post(reverse("documents:emblem_upload") + f"?province={letter.province.pk}", {"file": upload})
    assert response.status_code == 302
    assert Emblem.objects.filter(province=letter.province).exists()
    assert 'data-testid="not-ready"' not in client.get(url).content.decode()
    image = client.get(reverse("documents:emblem_image") + f"?province={letter.province.pk}")
    assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml" and image.content == SVG
