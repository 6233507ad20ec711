"""The official documents' pages and command: the secretariat writes and issues a letter and downloads it,
the offices read issued letters only, editable templates are checked before they are used, share links are
public until revoked, and ``itadesk documents``."""

from __future__ import annotations

import io

import docx as python_docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from itadesk.documents import docx, official
from itadesk.documents.models import DocumentRegister, DocumentTemplate, IssuedDocument, ShareLink
from tests.documents.imaging import pdf_text, squeeze
from tests.documents.official_helpers import load_seed

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_secretariat_writes_issues_and_downloads_a_letter(world, client):
    meeting, _seed = load_seed(world)
    client.force_login(world.secretariat)
    register = DocumentRegister.objects.get(province=world.province, prefix="ลย ๐๐๑๗.๕/ว")
    page = client.get(reverse("documents:letter_new") + f"?meeting={meeting.pk}&kind=minutes")
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert initial["kind"] == "minutes" and "นายประยูร อรัญรุท" in initial["recipients_text"]
    form = {"register": register.pk, "kind": "minutes", "meeting": meeting.pk, "date": "", "urgency": "ด่วน",
            "subject": "ส่งรายงานการประชุม", "addressee": "", "reference": "", "enclosures": "รายงานการประชุม จำนวน ๑ ชุด",
            "body": "ย่อหน้าที่หนึ่ง\n\nย่อหน้าที่สอง", "closing": "จึงเรียนมาเพื่อโปรดพิจารณา",
            "signer_name": "(นายทดสอบ)", "signer_position": "ผู้ว่าราชการจังหวัดเลย", "contact": "โทร ๐๔๒",
            "recipients_text": "ท้องถิ่นจังหวัดเลย | ศาลากลางจังหวัดเลย\n | ไม่มีชื่อ\nปลัดจังหวัดเลย"}
    bad = client.post(reverse("documents:letter_new"), form)
    assert bad.status_code == 400
    assert "Line 2" in str(bad.context["form"].errors["recipients_text"]) or "บรรทัด 2" in str(
        bad.context["form"].errors["recipients_text"])
    form["recipients_text"] = "ท้องถิ่นจังหวัดเลย | ศาลากลางจังหวัดเลย\nปลัดจังหวัดเลย"
    response = client.post(reverse("documents:letter_new"), form)
    assert response.status_code == 302, response.context["form"].errors
    letter = IssuedDocument.objects.exclude(number=872).get()
    assert letter.status == "draft" and letter.number is None and len(letter.recipients) == 2
    detail = client.get(reverse("documents:letter", args=[letter.pk]))
    assert "ลย ๐๐๑๗.๕/ว" in detail.content.decode()
    issued = client.post(reverse("documents:letter_issue", args=[letter.pk]), follow=True)
    letter.refresh_from_db()
    assert letter.is_issued and letter.number == 1  # the first of this calendar year
    assert letter.full_number in _messages(issued)
    package = client.get(reverse("documents:letter_download", args=[letter.pk, "package", "pdf"]))
    assert package["Content-Type"] == "application/pdf"
    text = pdf_text(package.content)
    assert f"ที่ {letter.full_number}" in text and "ด่วน" in text and "บัญชีส่งหนังสือ" in text
    assert squeeze("ผู้จัดรายงานการประชุม") in squeeze(text)  # the minutes it sends
    word = client.get(reverse("documents:letter_download", args=[letter.pk, "letter", "docx"]))
    assert word["Content-Disposition"].endswith('.docx"')
    assert docx.docx_font_problems(word.content) == []
    assert "ย่อหน้าที่สอง" in docx.docx_text(word.content)
    # an issued letter cannot be edited
    assert client.get(reverse("documents:letter_edit", args=[letter.pk])).status_code == 302


def test_offices_read_issued_letters_only(world, client):
    _meeting, seed = load_seed(world)
    from itadesk.documents import services

    draft = services.save_document(actor=world.secretariat, province=world.province, changes={
        "register": seed.register, "subject": "ร่างหนังสือ", "addressee": "ท่าน", "body": "ข้อความ"})
    client.force_login(world.local_officer)
    listing = client.get(reverse("documents:letters")).content.decode()
    assert seed.subject[:40] in listing and "ร่างหนังสือ" not in listing
    assert client.get(reverse("documents:letter", args=[draft.pk])).status_code == 404
    assert client.get(reverse("documents:letter", args=[seed.pk])).status_code == 200
    assert client.post(reverse("documents:letter_issue", args=[seed.pk])).status_code == 403
    client.force_login(world.admin_a)
    assert client.get(reverse("documents:letters")).status_code == 403
    assert client.get(reverse("documents:letter", args=[seed.pk])).status_code == 404


def test_meeting_page_has_the_documents_and_they_download(world, client):
    meeting, _seed = load_seed(world)
    client.force_login(world.secretariat)
    page = client.get(reverse("committee:meeting", args=[meeting.pk])).content.decode()
    assert 'data-testid="meeting-documents"' in page and 'data-testid="meeting-minutes-letter"' in page
    for kind in official.MEETING_KINDS:
        pdf_response = client.get(reverse("documents:meeting_download", args=[meeting.pk, kind, "pdf"]))
        assert pdf_response.status_code == 200 and pdf_response.content.startswith(b"%PDF")
        docx_response = client.get(reverse("documents:meeting_download", args=[meeting.pk, kind, "docx"]))
        assert docx.docx_font_problems(docx_response.content) == []
    assert client.get(reverse("documents:meeting_download", args=[meeting.pk, "minutes", "odt"])).status_code == 404
    client.force_login(world.nacc_officer)
    page = client.get(reverse("committee:meeting", args=[meeting.pk])).content.decode()
    assert 'data-testid="meeting-minutes-pdf"' in page and 'data-testid="meeting-minutes-letter"' not in page


def _edited(template: bytes, extra: str) -> bytes:
    document = python_docx.Document(io.BytesIO(template))
    document.add_paragraph(extra)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload(client, kind, name, content):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(reverse("documents:template_upload", args=[kind]), {"file": upload}, follow=True)


def test_template_upload_is_checked_and_can_go_back_to_the_default(world, client):
    meeting, _seed = load_seed(world)
    client.force_login(world.secretariat)
    default = client.get(reverse("documents:template_download", args=["minutes", "default"])).content
    good = _edited(default, "แก้ไขโดยฝ่ายเลขานุการ {{ meeting_place }}")
    response = _upload(client, "minutes", "รายงานการประชุม-จังหวัดเลย.docx", good)
    assert "in use" in _messages(response) or "ใช้" in _messages(response)
    current = DocumentTemplate.objects.get(province=world.province, kind="minutes", is_active=True)
    assert current.name == "รายงานการประชุม-จังหวัดเลย.docx"
    word = client.get(reverse("documents:meeting_download", args=[meeting.pk, "minutes", "docx"])).content
    assert "แก้ไขโดยฝ่ายเลขานุการ ห้องประชุมภูสวนทราย ชั้น ๒ ศาลากลางจังหวัดเลย" in docx.docx_text(word)
    assert docx.docx_font_problems(word) == []

    for name, content, expected in [
        ("broken.docx", _edited(default, "{% for x in %}"), "{% for x in %}"),
        ("typo.docx", _edited(default, "ผู้เสนอ {{ presenterr }}"), "presenterr"),
        ("notes.txt", b"hello", ".docx"),
        ("fake.docx", b"PK\x03\x04 not a zip", "Word"),
    ]:
        response = _upload(client, "minutes", name, content)
        text = _messages(response)
        assert expected in text, (name, text)
        still = DocumentTemplate.objects.get(province=world.province, kind="minutes", is_active=True)
        assert still.pk == current.pk  # the previous template stays in use
    page = client.get(reverse("documents:templates")).content.decode()
    assert "meeting_place" in page and "รายงานการประชุม-จังหวัดเลย.docx" in page

    client.post(reverse("documents:template_reset", args=["minutes"]))
    assert not DocumentTemplate.objects.filter(province=world.province, kind="minutes", is_active=True).exists()
    assert DocumentTemplate.objects.filter(province=world.province, kind="minutes").count() == 1  # kept
    word = client.get(reverse("documents:meeting_download", args=[meeting.pk, "minutes", "docx"])).content
    assert "แก้ไขโดยฝ่ายเลขานุการ" not in docx.docx_text(word)


def test_share_link_is_public_until_revoked(world, client):
    _meeting, letter = load_seed(world)
    client.force_login(world.secretariat)
    client.post(reverse("documents:share_create"), {"document": letter.pk})
    link = ShareLink.objects.get(document=letter)
    client.logout()
    url = reverse("documents:share", args=[link.token])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "ที่ ลย ๐๐๑๗.๕/ว ๘๗๒" in pdf_text(response.content)
    assert client.get(reverse("documents:share", args=[link.token[:-1] + "x"])).status_code == 404
    client.force_login(world.secretariat)
    client.post(reverse("documents:share_revoke", args=[link.pk]))
    client.logout()
    assert client.get(url).status_code == 404
    link.refresh_from_db()
    assert link.downloads == 1 and link.revoked_at is not None


def test_register_form_reports_a_prefix_in_use(world, client):
    load_seed(world)
    client.force_login(world.secretariat)
    response = client.post(reverse("documents:register_new"), {
        "name": "ซ้ำ", "prefix": "ลย  ๐๐๑๗.๕/ว", "reset": "calendar_year", "is_active": "on"})
    assert response.status_code == 400
    assert "ลย ๐๐๑๗.๕/ว" in str(response.context["form"].errors["prefix"])


def test_cli_writes_minutes_and_letters(world, tmp_path):
    meeting, letter = load_seed(world)
    out = io.StringIO()
    call_command("documents", "minutes", "--meeting", str(meeting.pk), "--out", str(tmp_path / "m.pdf"), stdout=out)
    assert "รายงานการประชุม" in pdf_text((tmp_path / "m.pdf").read_bytes())
    call_command("documents", "agenda", "--meeting", str(meeting.pk), "--out", str(tmp_path / "a.docx"), stdout=out)
    assert docx.docx_font_problems((tmp_path / "a.docx").read_bytes()) == []
    call_command("documents", "letter", "--document", str(letter.pk), "--out", str(tmp_path / "l.pdf"), stdout=out)
    assert "บัญชีส่งหนังสือ" in pdf_text((tmp_path / "l.pdf").read_bytes())
    call_command("documents", "invitation", "--meeting", str(meeting.pk), "--out", str(tmp_path / "i.docx"), stdout=out)
    with pytest.raises(CommandError, match="no meeting with ID 999999") as info:
        call_command("documents", "minutes", "--meeting", "999999", "--out", str(tmp_path / "x.pdf"))
    assert info.value.returncode == 2
    with pytest.raises(CommandError, match="unsupported file type '.odt'"):
        call_command("documents", "minutes", "--meeting", str(meeting.pk), "--out", str(tmp_path / "x.odt"))
    with pytest.raises(CommandError, match="must be a number"):
        call_command("documents", "letter", "--document", "abc", "--out", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
    call_command("documents", "templates", "--out", str(tmp_path / "templates"), stdout=out)
    assert sorted(p.name for p in (tmp_path / "templates").iterdir()) == sorted(f"{k}.docx" for k in official.KINDS)


def test_distribution_list_from_every_local_government(world, client):
    load_seed(world)
    client.force_login(world.secretariat)
    page = client.get(reverse("documents:letter_new") + "?fill=local")
    text = page.context["form"].initial["recipients_text"].splitlines()
    assert text[0] == "นายกองค์การบริหารส่วนจังหวัดเลย | อำเภอเมืองเลย จังหวัดเลย"  # by district, then kind
    assert set(text[1:]) == {"นายกองค์การบริหารส่วนตำบลท่าสวรรค์ | อำเภอนาด้วง จังหวัดเลย",
                             "นายกองค์การบริหารส่วนตำบลแก้วเมธี | อำเภอนาด้วง จังหวัดเลย"}
    assert 'data-testid="fill-members"' in page.content.decode()
    assert official.executive_title("เทศบาลตำบลนาดอกคำ") == "นายกเทศมนตรีตำบลนาดอกคำ"
    members = client.get(reverse("documents:letter_new") + "?fill=members").context["form"].initial
    assert members["recipients_text"].splitlines()[0] == "รองผู้ว่าราชการจังหวัดเลย (นายประยูร อรัญรุท)"


def test_hostile_templates_are_refused_at_upload_and_never_a_500(world, client):
    import time

    meeting, _seed = load_seed(world)
    client.force_login(world.secretariat)
    default = client.get(reverse("documents:template_download", args=["minutes", "default"])).content
    for name, tag, expected in [
        ("big.docx", "{{ 'A'*100000000 }}", "too long"),
        ("loop.docx", "{% for i in range(10**8) %}x{% endfor %}", "range() is too long"),
    ]:
        started = time.monotonic()
        response = _upload(client, "minutes", name, _edited(default, tag))
        assert time.monotonic() - started < 10
        assert expected in _messages(response) and name in _messages(response)
        assert not DocumentTemplate.objects.filter(province=world.province, kind="minutes").exists()

    # one stored before the limits existed: downloading the minutes says why, and nothing breaks
    DocumentTemplate.objects.create(province=world.province, kind="minutes", name="old.docx", is_active=True,
                                    content=_edited(default, "{% for i in range(10**8) %}x{% endfor %}"), size=1)
    response = client.get(reverse("documents:meeting_download", args=[meeting.pk, "minutes", "docx"]), follow=True)
    assert response.status_code == 200
    assert "range() is too long" in _messages(response) and "old.docx" in _messages(response)
