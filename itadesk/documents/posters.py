"""A4 posters and counter cards with the official ITAS questionnaire links (IIT, EIT) of agencies.

Pure data in, PDF out: ``poster_pdf(pages)`` / ``card_pdf(pages)`` take the pages built by
``page(...)``; ``plan(agencies, …)`` builds them for many agencies at once and lists those it must
skip (no ITAS code), never failing on them. What is printed is Thai whatever the UI language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from itadesk.core.thai import format_date, thai_digits
from itadesk.documents import pdf, qr

LAYOUTS = ("poster", "card")


@dataclass(frozen=True)
class Instrument:
    code: str
    name_th: str
    audience_th: str
    audience_short_th: str


INSTRUMENTS = {
    "iit": Instrument(
        code="IIT",
        name_th="แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน",
        audience_th="สำหรับบุคลากรของหน่วยงาน ตั้งแต่ผู้บริหาร ข้าราชการ พนักงาน จนถึงลูกจ้าง "
                    "ที่ปฏิบัติงานในหน่วยงานมาไม่น้อยกว่า ๑ ปี",
        audience_short_th="สำหรับบุคลากรของหน่วยงาน",
    ),
    "eit": Instrument(
        code="EIT",
        name_th="แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก",
        audience_th="สำหรับประชาชน ผู้รับบริการ ผู้ประกอบการ และหน่วยงานอื่น "
                    "ที่เคยมารับบริการหรือติดต่อกับหน่วยงาน",
        audience_short_th="สำหรับผู้รับบริการและผู้มาติดต่อหน่วยงาน",
    ),
}

STEPS_TH = [
    "เปิดกล้องของโทรศัพท์มือถือหรือแอป LINE แล้วสแกน QR Code ด้านบน",
    "ตอบแบบวัดในระบบ ITAS ของสำนักงาน ป.ป.ช. ให้ครบทุกข้อ แล้วกดส่งคำตอบ",
    "ตอบตามความเป็นจริงและความคิดเห็นของท่าน คำตอบของท่านช่วยให้หน่วยงานปรับปรุงการทำงาน",
]
SKIP_NO_CODE_TH = "ไม่มีรหัส ITAS ในทะเบียนหน่วยงาน (ฝ่ายเลขานุการเพิ่มได้ที่หน้าหน่วยงาน)"
SKIP_NO_CODE_EN = "no ITAS code in the agency registry (the secretariat can add it on the agency's page)"


def fiscal_year_line(fiscal_year: int) -> str:
    return ("การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
            f"ประจำปีงบประมาณ พ.ศ. {thai_digits(fiscal_year)}")


def deadline_line(deadline: dt.datetime | None) -> str:
    if deadline is None:
        return ""
    return "ตอบแบบวัดได้ถึง" + format_date(deadline, style="full", digits="thai", weekday=True, with_time=True)


def page(*, agency_name: str, itas_code: str, instrument: str, fiscal_year: int,
         deadline: dt.datetime | None = None) -> dict:
    """One poster or card page. Raises ValueError for an unknown instrument or an empty ITAS code."""
    url = qr.itas_url(itas_code, instrument)
    info = INSTRUMENTS[instrument.lower()]
    host = urlsplit(url).netloc
    return {
        "agency": agency_name,
        "itas_code": itas_code,
        "instrument": instrument.lower(),
        "instrument_code": info.code,
        "instrument_name": info.name_th,
        "audience": info.audience_th,
        "audience_short": info.audience_short_th,
        "fiscal_year_line": fiscal_year_line(fiscal_year),
        "fiscal_year_short": f"ITA ประจำปีงบประมาณ พ.ศ. {thai_digits(fiscal_year)}",
        "url": url,
        "qr_svg": qr.qr_svg(url, scale=1, border=4),
        "steps": STEPS_TH,
        "deadline_line": deadline_line(deadline),
        "footer": f"ลิงก์และ QR Code นี้นำไปยังแบบวัดในระบบ ITAS ของสำนักงาน ป.ป.ช. ({host}) โดยตรง",
    }


@dataclass
class Plan:
    """Pages to print and the agencies left out, each with the reason (Thai and English)."""

    pages: list[dict] = field(default_factory=list)
    skipped: list[tuple[object, str, str]] = field(default_factory=list)  # (agency, reason_th, reason_en)


def plan(agencies, *, instrument: str, fiscal_year: int, deadline: dt.datetime | None = None) -> Plan:
    """Pages for every agency that has an ITAS code, in the given order; the others are skipped."""
    if instrument.lower() not in INSTRUMENTS:
        raise ValueError(f"instrument must be one of {', '.join(INSTRUMENTS)}, not {instrument!r}")
    result = Plan()
    for agency in agencies:
        code = (agency.itas_code or "").strip()
        if not code:
            result.skipped.append((agency, SKIP_NO_CODE_TH, SKIP_NO_CODE_EN))
            continue
        result.pages.append(page(agency_name=agency.name_th, itas_code=code, instrument=instrument,
                                 fiscal_year=fiscal_year, deadline=deadline))
    return result


def _title(pages: list[dict], kind: str) -> str:
    if len(pages) == 1:
        p = pages[0]
        return f"{kind} {p['instrument_code']} {p['agency']}"
    return f"{kind} {pages[0]['instrument_code']} ({len(pages)} หน่วยงาน)" if pages else kind


def poster_pdf(pages: list[dict]) -> bytes:
    """A4 posters, one page per entry of ``pages``."""
    if not pages:
        raise ValueError("no page to print")
    return pdf.render("poster.typ", {"title": _title(pages, "โปสเตอร์แบบวัด"), "pages": pages})


def card_pdf(pages: list[dict]) -> bytes:
    """Counter cards, A6, four of the same agency on each A4 page with cut lines."""
    if not pages:
        raise ValueError("no page to print")
    return pdf.render("card.typ", {"title": _title(pages, "บัตรแบบวัด"), "pages": pages})


def layout_pdf(layout: str, pages: list[dict]) -> bytes:
    if layout == "poster":
        return poster_pdf(pages)
    if layout == "card":
        return card_pdf(pages)
    raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
