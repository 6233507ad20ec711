"""The content of the official documents, built once as plain data and printed two ways: as PDF (Typst,
``typst/official-*.typ``) and as DOCX (the secretariat's template or the default in ``docx/``). Both get
the same values, so the two files say the same thing.

Kinds: ``letter`` (หนังสือภายนอก: the cover letter), ``distribution`` (บัญชีส่งหนังสือ), ``invitation``
(หนังสือเชิญประชุม, from a meeting), ``agenda`` (ระเบียบวาระการประชุม) and ``minutes`` (รายงานการประชุม).
Numbers and dates are in Thai digits, dates in the Buddhist era ("๒๗ ธันวาคม ๒๕๖๗"), as official style
asks. A value ``qr_url`` anywhere in the data is printed as a QR code (``qr_svg`` for Typst, ``qr`` for
DOCX) beside its line.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from itadesk.committee import selectors
from itadesk.committee.models import CommitteeMember
from itadesk.core.names import agency_head, district_name, province_names
from itadesk.core.thai import format_date, thai_digits
from itadesk.documents import docx, emblem, pdf, qr
from itadesk.documents.emblem import _png_size
from itadesk.documents.models import DocumentRegister, DocumentTemplate, IssuedDocument, ShareLink
from itadesk.registry.models import LOCAL_GOVERNMENT_KINDS, Agency, SupervisingOffice

KINDS = ("letter", "memo", "distribution", "invitation", "agenda", "minutes")
DEFAULTS_DIR = Path(__file__).resolve().parent / "docx"
TYPST = {kind: f"official-{kind}.typ" for kind in KINDS}
BLANK_NUMBER = "\u00a0" * 12  # room for the number written by hand on an unnumbered draft
BLANK_DAY = "\u00a0" * 8  # room for the day written by hand on an undated draft

COMMITTEE_TH = "คณะกรรมการกำกับการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)"

# Variables of each document, for the templates page: name -> meaning (Thai).
VARIABLES: dict[str, dict[str, str]] = {
    "letter": {
        "emblem": "ตราครุฑ สูง ๓ ซม. (จากหน้าแม่แบบและตราครุฑ)",
        "number": "เลขที่หนังสือ เช่น ลย ๐๐๑๗.๕/ว ๘๗๒",
        "urgency": "ชั้นความเร็ว เช่น ด่วนที่สุด (ว่างได้)",
        "office_lines": "ที่ตั้งส่วนราชการเจ้าของหนังสือ (รายการบรรทัด)",
        "date": "วันที่ เช่น ๒๗ ธันวาคม ๒๕๖๗",
        "subject": "เรื่อง",
        "addressee": "เรียน",
        "reference": "อ้างถึง (ว่างได้)",
        "enclosures": "สิ่งที่ส่งมาด้วย: รายการ {number, text, qr_url, qr}",
        "paragraphs": "ข้อความ (รายการย่อหน้า)",
        "closing": "ข้อความปิดท้าย เช่น จึงเรียนมาเพื่อโปรดพิจารณา",
        "signer_name": "ชื่อผู้ลงนาม",
        "signer_lines": "ตำแหน่งผู้ลงนาม (รายการบรรทัด)",
        "contact_lines": "ส่วนราชการเจ้าของเรื่อง โทรศัพท์ (รายการบรรทัด)",
        "qr": "QR Code ของลิงก์ดาวน์โหลดหนังสือ (ว่างเมื่อยังไม่ได้สร้างลิงก์)",
        "share_url": "ลิงก์ดาวน์โหลดหนังสือ",
    },
    "memo": {
        "emblem": "ตราครุฑ สูง ๑.๕ ซม. (จากหน้าแม่แบบและตราครุฑ)", "number": "เลขที่",
        "office_lines": "ส่วนราชการ (รายการบรรทัด)", "contact_lines": "โทรศัพท์ (รายการบรรทัด)", "date": "วันที่",
        "subject": "เรื่อง", "addressee": "เรียน", "reference": "อ้างถึง (ว่างได้)", "enclosures": "สิ่งที่ส่งมาด้วย",
        "paragraphs": "ข้อความ (รายการย่อหน้า)", "closing": "ข้อความปิดท้าย", "signer_name": "ชื่อผู้ลงนาม",
        "signer_lines": "ตำแหน่งผู้ลงนาม (รายการบรรทัด)",
    },
    "distribution": {
        "number": "เลขที่หนังสือ", "date": "วันที่", "subject": "เรื่อง",
        "recipients": "ผู้รับ: รายการ {number, name, address}",
    },
    "invitation": {
        "emblem": "ตราครุฑ สูง ๓ ซม.",
        "number": "เลขที่หนังสือ (ว่างเมื่อยังไม่ออกเลข)", "office_lines": "ที่ตั้งส่วนราชการ", "date": "วันที่",
        "subject": "เรื่อง", "addressee": "เรียน", "enclosures": "สิ่งที่ส่งมาด้วย",
        "paragraphs": "ข้อความ", "closing": "ข้อความปิดท้าย", "signer_name": "ชื่อผู้ลงนาม",
        "signer_lines": "ตำแหน่งผู้ลงนาม", "contact_lines": "ส่วนราชการเจ้าของเรื่อง",
        "meeting_when": "วัน เวลาประชุม", "meeting_place": "สถานที่ประชุม",
    },
    "agenda": {
        "title": "ชื่อคณะกรรมการ", "meeting_number": "ครั้งที่", "meeting_when": "วัน เวลาประชุม",
        "meeting_place": "สถานที่ประชุม",
        "sections": "ระเบียบวาระ: รายการ {number, title, note, topics: [{number, title, presenter}]}",
    },
    "minutes": {
        "title": "ชื่อคณะกรรมการ", "meeting_number": "ครั้งที่", "meeting_when": "วัน เวลาประชุม",
        "meeting_place": "สถานที่ประชุม",
        "present": "ผู้มาประชุม: รายการ {number, name, position, role}",
        "absent": "ผู้ไม่มาประชุม: รายการ {number, name, position, reason}",
        "attendees": "ผู้เข้าร่วมประชุม: รายการ {number, name, position}",
        "started": "เริ่มประชุมเวลา", "ended": "เลิกประชุมเวลา",
        "sections": "ระเบียบวาระ: รายการ {number, title, empty, topics: [{number, title, paragraphs, attachments "
                    "[{name, qr_url, qr}], resolution}]}",
        "taker_lines": "ผู้จัดรายงานการประชุม (รายการบรรทัด)", "checker_lines": "ผู้ตรวจรายงานการประชุม",
    },
}


class DocumentError(ValueError):
    """A document cannot be made (e.g. a meeting's minutes for a kind that needs a letter)."""


# ------------------------------------------------------------------------------------------- helpers
def official_date(value: dt.date | None) -> str:
    return format_date(value, style="full", digits="thai") if value else ""


def draft_date(today: dt.date | None = None) -> str:
    """The date line of a letter not yet dated: the month and year, the day left blank for the signer
    ("        ธันวาคม ๒๕๖๗")."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return BLANK_DAY + format_date(today, style="full", digits="thai").split(" ", 1)[1]


def bracketed(name: str) -> str:
    """The signer's name as the forms write it: "(นายสมชาย ใจดี)"."""
    name = (name or "").strip()
    return name if not name or name.startswith("(") else f"({name})"


def official_time(value: dt.time | None) -> str:
    return thai_digits(f"{value:%H.%M}") + " น." if value else ""


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def paragraphs(text: str) -> list[str]:
    """Paragraphs separated by an empty line; single line breaks inside a paragraph become spaces, except
    before a list line ("- ", "๑)", "1.")."""
    out = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        block_lines = [line.strip() for line in block.splitlines() if line.strip()]
        current: list[str] = []
        for line in block_lines:
            if current and re.match(r"^(-|•|[0-9๐-๙]+[).]|\([0-9๐-๙]+\))\s", line):
                out.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            out.append(" ".join(current))
    return [p for p in out if p]


def _numbered(rows: list[dict]) -> list[dict]:
    return [{**row, "number": thai_digits(i)} for i, row in enumerate(rows, start=1)]


def _section_number(value: str) -> str:
    return thai_digits(value)


# --------------------------------------------------------------------------------------------- letters
def letter_data(document, *, share_url: str = "") -> dict:
    """The cover letter of an issued (or draft) document."""
    register = document.register
    number = document.full_number if document.number else register.full_number(None) + BLANK_NUMBER
    enclosures = [{"number": thai_digits(i), "text": text, "qr_url": ""}
                  for i, text in enumerate(document.enclosure_lines, start=1)]

    return {
        "title": f"{number} {document.subject}",
        "form": document.form,
        **emblem.for_documents(document.province),
        "number": number,
        "urgency": document.urgency,
        "office_lines": lines(register.office_address) or lines(register.office_name),
        "date": official_date(document.date) if document.date else draft_date(),
        "subject": document.subject,
        "addressee": document.addressee or ("ตามบัญชีแนบท้าย" if document.recipients else ""),
        "reference": document.reference,
        "enclosures": enclosures,
        "paragraphs": paragraphs(document.body),
        "closing": document.closing,
        "signer_name": bracketed(document.signer_name),
        "signer_lines": lines(document.signer_position),
        "contact_lines": lines(document.contact) or lines(register.contact),
        "share_url": share_url,
        "qr_url": share_url,
    }


def distribution_data(document) -> dict:
    number = document.full_number if document.number else document.register.full_number(None)
    return {
        "title": f"บัญชีส่งหนังสือ {number}",
        "number": number,
        "date": official_date(document.date) if document.date else "",
        "subject": document.subject,
        "recipients": _numbered([{"name": r.get("name", ""), "address": r.get("address", "")}
                                 for r in document.recipients]),
    }


# -------------------------------------------------------------------------------------------- meetings
def _meeting_when(meeting) -> str:
    when = format_date(meeting.date, style="full", digits="thai", weekday=True)
    if meeting.scheduled_time:
        when += " เวลา " + official_time(meeting.scheduled_time)
    return when


def _meeting_title(meeting) -> str:
    if meeting.title:
        return meeting.title
    return f"{COMMITTEE_TH} {province_names(meeting.province.name_th).name}"


def _attachment_links(meeting) -> dict[int, str]:
    links = ShareLink.objects.filter(attachment__item__meeting=meeting, revoked_at__isnull=True).order_by("id")
    return {link.attachment_id: link.url() for link in links}


def agenda_data(meeting) -> dict:
    sections = []
    for s in selectors.agenda(meeting):
        items = [{"number": _section_number(i.number), "title": i.title, "presenter": i.presenter}
                 for i in s["items"]]
        heading = s["heading"]
        sections.append({"number": thai_digits(s["section"]), "title": s["title_th"],
                         "note": heading.title if heading and heading.title else "", "topics": items})
    return {
        "title": _meeting_title(meeting),
        "heading": "ระเบียบวาระการประชุม",
        "meeting_number": thai_digits(meeting.number),
        "meeting_when": _meeting_when(meeting),
        "meeting_place": meeting.place,
        "sections": sections,
    }


def _item_data(item, links: dict[int, str]) -> dict:
    resolution = item.resolution_text or (item.get_resolution_kind_display() if item.resolution_kind else "")
    return {
        "number": _section_number(item.number),
        "title": item.title,
        "paragraphs": paragraphs(item.body),
        "attachments": [{"name": a.name, "qr_url": links.get(a.pk, "")} for a in item.attachments.all()],
        "resolution": resolution,
    }


def minutes_data(meeting) -> dict:
    groups = selectors.attendance_groups(meeting)
    links = _attachment_links(meeting)

    def person(r) -> dict:
        if r.status == "delegated":
            name = f"{r.delegate_name} (แทน {r.display_name})"
        else:
            name = r.display_name
        position = r.member.position if r.member_id else " ".join(p for p in (r.position, r.office) if p)
        role = r.member.get_committee_role_display() if r.member_id else ""
        return {"name": name, "position": position, "role": _role_th(r.member.committee_role) if r.member_id else role,
                "reason": r.reason}

    sections = []
    for s in selectors.agenda(meeting):
        items = ([_item_data(s["heading"], links)] if s["heading"] else []) + [_item_data(i, links) for i in s["items"]]
        sections.append({"number": thai_digits(s["section"]), "title": s["title_th"], "topics": items,
                         "empty": not items})
    return {
        "title": _meeting_title(meeting),
        "heading": "รายงานการประชุม",
        "meeting_number": thai_digits(meeting.number),
        "meeting_when": _meeting_when(meeting),
        "meeting_place": meeting.place,
        "present": _numbered([person(r) for r in groups["present"]]),
        "absent": _numbered([person(r) for r in groups["absent"]]),
        "attendees": _numbered([person(r) for r in groups["attendees"]]),
        "started": official_time(meeting.started_time),
        "ended": official_time(meeting.ended_time),
        "sections": sections,
        "taker_lines": lines(meeting.minutes_taker),
        "checker_lines": lines(meeting.minutes_checker),
    }


ROLE_TH = {"chair": "ประธานกรรมการ", "member": "กรรมการ", "secretary": "กรรมการและเลขานุการ",
           "co_secretary": "กรรมการและเลขานุการร่วม", "assistant_secretary": "ผู้ช่วยเลขานุการ"}


def _role_th(role: str) -> str:
    return ROLE_TH.get(role, role)


def invitation_data(meeting, *, register=None, document=None) -> dict:
    """The invitation to a meeting: from its letter when one was written, else a draft without a number
    addressed to the committee members."""
    if document is not None:
        data = letter_data(document)
    else:
        number = (register.full_number(None) + BLANK_NUMBER) if register else "............"

        data = {
            **emblem.for_documents(meeting.province),
            "form": "external",
            "title": f"ขอเชิญประชุม {_meeting_title(meeting)}",
            "number": number,
            "urgency": "",
            "office_lines": (lines(register.office_address) or lines(register.office_name)) if register else [],
            "date": draft_date(),
            "subject": f"ขอเชิญประชุม{_meeting_title(meeting)}"
                       + (f" {thai_digits(meeting.number)}" if meeting.number else ""),
            "addressee": "กรรมการ (ตามบัญชีแนบท้าย)",
            "reference": "",
            "enclosures": [{"number": "๑", "text": "ระเบียบวาระการประชุม", "qr_url": ""}],
            "paragraphs": [
                f"ด้วย{province_names(meeting.province.name_th).name} กำหนดประชุม{_meeting_title(meeting)}"
                + (f" {thai_digits(meeting.number)}" if meeting.number else "")
                + f" ใน{_meeting_when(meeting)} ณ {meeting.place}"
                + (f" และผ่านระบบการประชุมทางไกล {meeting.online_link}" if meeting.online_link else "")
                + " รายละเอียดตามระเบียบวาระการประชุมที่ส่งมาด้วย",
            ],
            "closing": "จึงเรียนมาเพื่อโปรดเข้าร่วมประชุมตามวัน เวลา และสถานที่ดังกล่าว",
            "signer_name": "",
            "signer_lines": [province_names(meeting.province.name_th).governor],
            "contact_lines": lines(register.contact) if register else [],
            "share_url": "",
            "qr_url": "",
        }
    data["meeting_when"] = _meeting_when(meeting)
    data["meeting_place"] = meeting.place
    return data


# ------------------------------------------------------------------------------------------- samples
def sample_context(kind: str) -> dict:
    """Data of the right shape for checking an uploaded template (every variable present)."""
    letter = {
        "title": "ตัวอย่าง", "form": "external", "emblem_svg": "", "emblem_png": b"",
        "number": "ลย ๐๐๑๗.๕/ว ๘๗๒", "urgency": "ด่วนที่สุด",
        "office_lines": ["ศาลากลางจังหวัดเลย", "ถนนมลิวรรณ ลย ๔๒๐๐๐"], "date": "๒๗ ธันวาคม ๒๕๖๗",
        "subject": "รายงานการประชุมคณะกรรมการ", "addressee": "ตามบัญชีแนบท้าย",
        "reference": "หนังสือจังหวัดเลย ที่ ลย ๐๐๑๗.๕/ว ๘๑๓๗ ลงวันที่ ๑๘ ธันวาคม ๒๕๖๗",
        "enclosures": [{"number": "๑", "text": "รายงานการประชุม จำนวน ๑ ชุด", "qr_url": "https://example.go.th/s/x"}],
        "paragraphs": ["ตามที่จังหวัดเลย ได้เชิญท่านเข้าประชุม นั้น", "บัดนี้ ฝ่ายเลขานุการได้จัดทำรายงานการประชุมแล้ว"],
        "closing": "จึงเรียนมาเพื่อโปรดพิจารณา", "signer_name": "(นายทดสอบ ตัวอย่าง)",
        "signer_lines": ["รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน", "ผู้ว่าราชการจังหวัดเลย"],
        "contact_lines": ["สำนักงานจังหวัด", "กลุ่มงานบริหารทรัพยากรบุคคล", "โทร ๐-๔๒๘๑-๑๒๓๔"],
        "share_url": "https://example.go.th/s/x", "qr_url": "https://example.go.th/s/x",
        "meeting_when": "วันอังคารที่ ๒๔ ธันวาคม ๒๕๖๗ เวลา ๑๔.๓๐ น.", "meeting_place": "ห้องประชุม",
    }
    item = {"number": "๓.๑", "title": "หลักเกณฑ์", "presenter": "เจ้าหน้าที่", "paragraphs": ["รายละเอียด"],
            "attachments": [{"name": "เอกสาร.pdf", "qr_url": "https://example.go.th/s/y"}], "resolution": "รับทราบ"}
    meeting = {
        "title": COMMITTEE_TH, "heading": "รายงานการประชุม", "meeting_number": "ครั้งที่ ๑/๒๕๖๘",
        "meeting_when": letter["meeting_when"], "meeting_place": "ห้องประชุม",
        "present": [{"number": "๑", "name": "นายทดสอบ", "position": "ตำแหน่ง", "role": "ประธานกรรมการ", "reason": ""}],
        "absent": [{"number": "๑", "name": "นายไม่มา", "position": "ตำแหน่ง", "role": "กรรมการ", "reason": "ติดราชการ"}],
        "attendees": [{"number": "๑", "name": "นางสาวผู้เข้าร่วม", "position": "ตำแหน่ง", "role": "", "reason": ""}],
        "started": "๑๔.๓๐ น.", "ended": "๑๖.๓๐ น.",
        "sections": [{"number": "๑", "title": "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", "note": "", "empty": False,
                      "topics": [item]},
                     {"number": "๒", "title": "เรื่องรับรองรายงานการประชุม", "note": "", "empty": True, "topics": []}],
        "taker_lines": ["(นายผู้จด)", "ตำแหน่ง"], "checker_lines": ["(นายผู้ตรวจ)", "ตำแหน่ง"],
    }
    if kind in ("letter", "invitation"):
        return letter
    if kind == "memo":
        return {**letter, "form": "memo", "office_lines": ["สำนักงานจังหวัดเลย กลุ่มงานบริหารทรัพยากรบุคคล"],
                "contact_lines": ["โทร ๐ ๔๒๘๑ ๑๒๓๔"], "addressee": "ผู้ว่าราชการจังหวัดเลย"}
    if kind == "distribution":
        return {"title": "บัญชีส่งหนังสือ", "number": letter["number"], "date": letter["date"],
                "subject": letter["subject"],
                "recipients": [{"number": "๑", "name": "ท้องถิ่นจังหวัดเลย", "address": "ศาลากลางจังหวัดเลย"}]}
    if kind in ("agenda", "minutes"):
        return {**meeting, "heading": "ระเบียบวาระการประชุม" if kind == "agenda" else "รายงานการประชุม"}
    raise DocumentError(f"unknown document {kind!r}")


# ------------------------------------------------------------------------------------------ rendering
def _emblem_image(png: bytes, height_mm: float):
    width, height = _png_size(png)
    return docx.image(png, mm=height_mm * width / max(1, height))


def _with_qr(value, *, for_docx: bool):
    """A copy of ``value`` where every dict with a non-empty ``qr_url`` also carries the QR code, and the emblem
    is an image for Word (``emblem``, 3 cm high on a letter, 1.5 cm on a memo) or SVG text for Typst."""
    if isinstance(value, dict):
        out = {k: _with_qr(v, for_docx=for_docx) for k, v in value.items() if k != "emblem_png"}
        if "emblem_png" in value and for_docx:
            png = value["emblem_png"]
            out["emblem"] = _emblem_image(png, 15 if value.get("form") == "memo" else 30) if png else ""
        url = value.get("qr_url")
        if for_docx:
            out["qr"] = docx.qr_image(url, mm=22) if url else ""
        else:
            out["qr_svg"] = qr.qr_svg(url, scale=1, border=2) if url else ""
        return out
    if isinstance(value, list):
        return [_with_qr(v, for_docx=for_docx) for v in value]
    return value


def default_template(kind: str) -> Path:
    if kind not in KINDS:
        raise DocumentError(f"unknown document {kind!r}")
    return DEFAULTS_DIR / f"{kind}.docx"


def template_for(province, kind: str) -> tuple[bytes | Path, str]:
    """The template in use for a province: its active upload, else the default. (content, name)"""
    upload = None
    if province is not None:
        upload = DocumentTemplate.objects.filter(province=province, kind=kind, is_active=True).first()
    if upload is not None:
        return bytes(upload.content), upload.name
    path = default_template(kind)
    return path, path.name


def _kind_of(kind: str, data: dict) -> str:
    """A letter written as a memo prints with the memo's layout and template."""
    return "memo" if kind == "letter" and data.get("form") == "memo" else kind


def render_docx(kind: str, data: dict, *, template=None, name: str | None = None, province=None) -> bytes:
    kind = _kind_of(kind, data)
    if template is None:
        template, name = template_for(province, kind)
    return docx.render_docx(template, _with_qr(data, for_docx=True), name=name)


def render_pdf(kind: str, data: dict) -> bytes:
    if kind not in KINDS:
        raise DocumentError(f"unknown document {kind!r}")
    return pdf.render(TYPST[_kind_of(kind, data)], _with_qr(data, for_docx=False))


def render_package_pdf(parts: list[tuple[str, dict]]) -> bytes:
    """Several documents in one PDF, each starting on a new page with its own page numbers (the letter,
    its distribution list, the minutes it sends)."""
    return pdf.render("official-package.typ", {
        "title": parts[0][1].get("title", "") if parts else "",
        "parts": [{"kind": kind, "data": _with_qr(data, for_docx=False)} for kind, data in parts],
    })


def render(kind: str, data: dict, fmt: str, *, province=None) -> bytes:
    if fmt == "pdf":
        return render_pdf(kind, data)
    if fmt == "docx":
        return render_docx(kind, data, province=province)
    raise DocumentError(f"unknown format {fmt!r}")


# --------------------------------------------------------------------------------- what to print, by object
MEETING_KINDS = ("invitation", "agenda", "minutes")
LETTER_KINDS = ("letter", "distribution")


def province_register(province):
    """The register a meeting's unnumbered invitation shows: the province's active circular-letter register
    (prefix ending in ว), else its first active one."""
    registers = list(DocumentRegister.objects.filter(province=province, is_active=True).order_by("id"))
    return next((r for r in registers if r.prefix.rstrip().endswith("ว")), registers[0] if registers else None)


def meeting_document(meeting, kind: str) -> dict:
    """The data of a meeting's invitation, agenda or minutes."""
    if kind == "agenda":
        return agenda_data(meeting)
    if kind == "minutes":
        return minutes_data(meeting)
    if kind == "invitation":
        letter = (IssuedDocument.objects.filter(meeting=meeting, kind=IssuedDocument.Kind.INVITATION)
                  .select_related("register").order_by("-status", "-id").first())
        return invitation_data(meeting, register=province_register(meeting.province), document=letter)
    raise DocumentError(f"unknown meeting document {kind!r}")


def share_url_of(document) -> str:
    link = document.share_links.filter(revoked_at__isnull=True).order_by("id").first() if document.pk else None
    return link.url() if link else ""


def letter_document(document, kind: str) -> dict:
    if kind == "letter":
        return letter_data(document, share_url=share_url_of(document))
    if kind == "distribution":
        return distribution_data(document)
    raise DocumentError(f"unknown letter document {kind!r}")


def letter_package_pdf(document) -> bytes:
    """The letter as sent: the letter, its distribution list, and the minutes it sends (if any)."""
    parts = [("letter", letter_document(document, "letter"))]
    if document.recipients:
        parts.append(("distribution", distribution_data(document)))
    if document.meeting_id and document.kind == document.Kind.MINUTES:
        parts.append(("minutes", minutes_data(document.meeting)))
    if document.meeting_id and document.kind == document.Kind.INVITATION:
        parts.append(("agenda", agenda_data(document.meeting)))
    return render_package_pdf(parts)


def filename(stem: str, kind: str, fmt: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "document"
    return f"{kind}-{safe}.{fmt}"


# ------------------------------------------------------------------------------------ distribution lists
RECIPIENT_SETS = ("members", "local", "offices")


def executive_title(agency_name: str) -> str:
    """The head a letter to a local government is addressed to: นายกเทศมนตรีตำบลนาดอกคำ, นายกองค์การบริหารส่วนตำบล…"""
    return agency_head(agency_name)


def recipient_set(province, which: str) -> list[dict]:
    """A ready distribution list: the committee members, every local government of the province (addressed to
    its head, with its district), or the supervising offices."""
    if which == "members":
        members = CommitteeMember.objects.filter(province=province).select_related("office").order_by("order", "id")
        return [{"name": f"{m.position} ({m.name})" if m.position else m.name,
                 "address": m.office.name_th if m.office_id else ""} for m in members]
    if which == "local":
        agencies = (Agency.objects.filter(province=province, kind__in=[str(k) for k in LOCAL_GOVERNMENT_KINDS])
                    .select_related("district").order_by("district__geocode", "kind", "name_th", "pk"))
        return [{"name": executive_title(a.name_th),
                 "address": f"{district_name(a.district.name_th)} {province_names(province.name_th).name}"
                 if a.district_id else ""}
                for a in agencies]
    if which == "offices":
        return [{"name": o.name_th, "address": ""}
                for o in SupervisingOffice.objects.filter(province=province).order_by("order", "id")]
    raise DocumentError(f"unknown recipient set {which!r}")
