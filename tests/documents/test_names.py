"""Names composed once (``itadesk.core.names``), and every document of the demonstration free of doubled words
("จังหวัดจังหวัดเลย"), the invitation with its date line and without a repeated sentence."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core.names import agency_head, bare_province, district_name, doubled_words, province_names
from tests.documents.imaging import pdf_text


@pytest.mark.parametrize("stored", ["เลย", "จังหวัดเลย", "จ.เลย", " จังหวัด เลย "])
def test_province_forms_whatever_the_stored_name(stored):
    p = province_names(stored)
    assert (p.bare, p.name, p.governor, p.office, p.summary, p.of) == (
        "เลย", "จังหวัดเลย", "ผู้ว่าราชการจังหวัดเลย", "สำนักงานจังหวัดเลย", "ภาพรวมจังหวัดเลย", "ของจังหวัดเลย")


def test_bangkok_and_districts_and_heads():
    assert province_names("กรุงเทพมหานคร").name == "กรุงเทพมหานคร"
    assert province_names("จังหวัดกรุงเทพมหานคร").governor == "ผู้ว่าราชการกรุงเทพมหานคร"
    assert district_name("เมืองเลย") == district_name("อำเภอเมืองเลย") == "อำเภอเมืองเลย"
    assert district_name("ปทุมวัน", bangkok=True) == "เขตปทุมวัน"
    assert agency_head("เทศบาลตำบลนาดอกคำ") == "นายกเทศมนตรีตำบลนาดอกคำ"
    assert agency_head("องค์การบริหารส่วนตำบลนาอาน") == "นายกองค์การบริหารส่วนตำบลนาอาน"


@given(st.sampled_from(["เลย", "ขอนแก่น", "หนองบัวลำภู", "อุดรธานี"]), st.sampled_from(["", "จังหวัด", "จ."]),
       st.sampled_from(["", " "]))
def test_composed_forms_never_double(bare, prefix, space):
    p = province_names(prefix + space + bare)
    for text in (p.name, p.governor, p.office, p.summary, f"ตามที่{p.name} ได้เชิญ"):
        assert doubled_words(text) == [], text
    assert bare_province(p.name) == bare


def test_the_check_finds_doubles():
    assert doubled_words("ผู้ว่าราชการจังหวัดจังหวัดเลย") == ["จังหวัดจังหวัด"]
    assert doubled_words("อำเภอ อำเภอเมือง") == ["อำเภอ อำเภอ"]
    assert doubled_words("ผู้ว่าราชการจังหวัดเลย") == []


def _docx_text(body: bytes) -> str:
    xml = zipfile.ZipFile(io.BytesIO(body)).read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.django_db
def test_every_document_of_the_demo_is_free_of_doubled_words(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from itadesk.committee.models import Meeting
    from itadesk.cycles.models import Round
    from itadesk.demo.loader import load_demo
    from itadesk.documents import official
    from itadesk.documents.models import IssuedDocument
    from itadesk.registry.models import SupervisingOffice
    from itadesk.reports import build, render

    load_demo()
    texts: dict[str, str] = {}
    for meeting in Meeting.objects.all():
        for kind in official.MEETING_KINDS:
            data = official.meeting_document(meeting, kind)
            texts[f"meeting {meeting.pk} {kind}.pdf"] = pdf_text(official.render_pdf(kind, data), raw=False)
            texts[f"meeting {meeting.pk} {kind}.docx"] = _docx_text(official.render_docx(kind, data))
    for document in IssuedDocument.objects.all():
        texts[f"letter {document.pk}.pdf"] = pdf_text(official.letter_package_pdf(document), raw=False)
        texts[f"letter {document.pk}.docx"] = _docx_text(
            official.render_docx("letter", official.letter_document(document, "letter")))
    round_ = Round.objects.order_by("-fiscal_year").first()
    for office in [None, *SupervisingOffice.objects.filter(province=round_.province)]:
        data = build.monitoring(round_, office)
        name = f"report {office.code if office else 'province'}"
        texts[name + ".pdf"] = pdf_text(render.pdf(data), raw=False)
        texts[name + ".docx"] = _docx_text(render.docx(data))
    assert len(texts) > 10
    doubled = {name: doubled_words(_squeezed(text)) for name, text in texts.items() if doubled_words(_squeezed(text))}
    assert doubled == {}
    invitations = {n: _squeezed(t) for n, t in texts.items() if "invitation" in n}
    assert invitations
    for name, text in invitations.items():
        assert re.search(r"(มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน"
                         r"|ธันวาคม)[๐-๙]{4}เรื่อง", text), f"{name}: no date line"
        assert text.count("ตามวันเวลาและสถานที่ดังกล่าว") == 1, name
