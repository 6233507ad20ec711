"""Thai dates, numerals and durations. Pure Python, no Django: used by templates, documents and the CLI.

Buddhist-era (BE) year = Common-era (CE) year + 543. A Thai fiscal year runs 1 Oct – 30 Sep and is
named after the calendar year in which it ends: FY2568 BE = 1 Oct 2567 BE – 30 Sep 2568 BE
(1 Oct 2024 – 30 Sep 2025).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543

MONTHS_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
MONTHS_EN_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def thai_digits(value: object) -> str:
    """'31 ม.ค. 2568' -> '๓๑ ม.ค. ๒๕๖๘'. Any object is converted with str() first."""
    return str(value).translate(_TO_THAI)


def arabic_digits(value: str) -> str:
    """'๒๕๖๘' -> '2568'."""
    return value.translate(_TO_ARABIC)


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def to_bangkok(value: dt.datetime) -> dt.datetime:
    """An aware datetime in Asia/Bangkok. Naive datetimes are taken to be UTC (as stored)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(BANGKOK)


def bangkok_datetime(be_year_: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A local Bangkok time given with a BE year, e.g. bangkok_datetime(2568, 1, 31, 17) for a deadline."""
    return dt.datetime(ce_year(be_year_), month, day, hour, minute, tzinfo=BANGKOK)


def format_date(value: dt.date | dt.datetime, *, style: str = "short", digits: str = "arabic",
                lang: str = "th", with_time: bool | None = None, weekday: bool = False) -> str:
    """Format a date or datetime in the Buddhist era.

    style "short": ``31 ม.ค. 2568``; "full": ``31 มกราคม 2568`` (official documents, usually with
    ``digits="thai"``: ``๓๑ มกราคม ๒๕๖๘``). Datetimes are shown in Bangkok time with ``17:00 น.``
    unless ``with_time=False``. ``lang="en"`` gives ``31 Jan 2568 BE 17:00``.
    """
    is_datetime = isinstance(value, dt.datetime)
    if is_datetime:
        value = to_bangkok(value)
    show_time = is_datetime if with_time is None else (with_time and is_datetime)
    year = be_year(value.year)
    if lang == "en":
        text = f"{value.day} {MONTHS_EN_ABBR[value.month - 1]} {year} BE"
        if show_time:
            text += f" {value:%H:%M}"
    else:
        months = MONTHS_FULL if style == "full" else MONTHS_ABBR
        text = f"{value.day} {months[value.month - 1]} {year}"
        if weekday:
            text = f"วัน{WEEKDAYS[value.weekday()]}ที่ {text}"
        if show_time:
            text += f" {value:%H:%M} น." if style != "full" else f" เวลา {value:%H.%M} น."
    return thai_digits(text) if digits == "thai" else text


def fiscal_year_of(value: dt.date | dt.datetime) -> int:
    """The BE fiscal year a date falls in (1 Oct starts the next fiscal year)."""
    if isinstance(value, dt.datetime):
        value = to_bangkok(value).date()
    return be_year(value.year + (1 if value.month >= 10 else 0))


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[dt.date, dt.date]:
    """First and last day (CE dates) of a BE fiscal year: 2568 -> (2024-10-01, 2025-09-30)."""
    end_ce = ce_year(fiscal_year_be)
    return dt.date(end_ce - 1, 10, 1), dt.date(end_ce, 9, 30)


def split_duration(delta: dt.timedelta) -> tuple[int, int, int]:
    """(days, hours, minutes) of a non-negative duration; negative durations give zeros."""
    total = max(0, int(delta.total_seconds()))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    return days, hours, rest // 60


def format_countdown(delta: dt.timedelta, *, lang: str = "th") -> str:
    """'อีก 12 วัน 5 ชั่วโมง' before a deadline; 'เลยกำหนด 3 วัน 2 ชั่วโมง' after it; in the minute either
    side of it 'อีกไม่ถึง 1 นาที' / 'เลยกำหนดไม่ถึง 1 นาที' (never 'อีก 0 นาที' while there is still time).
    core's itadesk.js writes the same words in the browser."""
    overdue = delta.total_seconds() < 0
    days, hours, minutes = split_duration(-delta if overdue else delta)
    if lang == "en":
        if not (days or hours or minutes):
            return "under 1 min overdue" if overdue else "under 1 min left"
        parts = [f"{days} d" if days else "", f"{hours} h" if hours or days else "", "" if days else f"{minutes} min"]
        body = " ".join(p for p in parts if p)
        return f"{body} overdue" if overdue else f"{body} left"
    if not (days or hours or minutes):
        return "เลยกำหนดไม่ถึง 1 นาที" if overdue else "อีกไม่ถึง 1 นาที"
    parts = [f"{days} วัน" if days else "", f"{hours} ชั่วโมง" if hours or days else "",
             "" if days else f"{minutes} นาที"]
    body = " ".join(p for p in parts if p)
    return f"เลยกำหนด {body}" if overdue else f"อีก {body}"


# --- amounts in words ------------------------------------------------------------------------------

_DIGIT_WORDS = ("ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
_PLACE_WORDS = ("", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน")


def _words_below_million(n: int) -> str:
    """0 < n < 1,000,000 in words: 21 -> ยี่สิบเอ็ด, 11 -> สิบเอ็ด, 101 -> หนึ่งร้อยเอ็ด, 1 -> หนึ่ง."""
    digits = str(n)
    out = []
    for position, char in enumerate(digits):
        d = int(char)
        place = len(digits) - 1 - position
        if d == 0:
            continue
        if place == 1:
            out.append({1: "", 2: "ยี่"}.get(d, _DIGIT_WORDS[d]) + "สิบ")
        elif place == 0 and d == 1 and len(digits) > 1:
            out.append("เอ็ด")
        else:
            out.append(_DIGIT_WORDS[d] + _PLACE_WORDS[place])
    return "".join(out)


def number_words(n: int) -> str:
    """A non-negative whole number in Thai words, millions repeating: 1000001 -> หนึ่งล้านเอ็ด,
    2000000 -> สองล้าน, 10**12 -> หนึ่งล้านล้าน."""
    if n < 0:
        raise ValueError("number_words takes a non-negative number")
    if n == 0:
        return _DIGIT_WORDS[0]
    millions, rest = divmod(n, 1_000_000)
    head = number_words(millions) + "ล้าน" if millions else ""
    if not rest:
        return head
    words = _words_below_million(rest)
    if head and rest == 1:
        words = "เอ็ด"  # หนึ่งล้านเอ็ด: a lone one after a higher place is read เอ็ด
    return head + words


def bahttext(amount) -> str:
    """An amount of baht in words, as on Thai official documents and cheques (Excel's BAHTTEXT):
    90000 -> เก้าหมื่นบาทถ้วน, 21.50 -> ยี่สิบเอ็ดบาทห้าสิบสตางค์, 1000001 -> หนึ่งล้านเอ็ดบาทถ้วน,
    0.25 -> ยี่สิบห้าสตางค์, 0 -> ศูนย์บาทถ้วน; negative amounts start with ลบ. Rounded half up to
    the satang (a str, int or Decimal is exact; a float is read through its shortest repr)."""
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    try:
        value = Decimal(str(amount).replace(",", "").strip()) if not isinstance(amount, Decimal) else amount
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not an amount: {amount!r}")
    satang_total = int((abs(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    baht, satang = divmod(satang_total, 100)
    sign = "ลบ" if value < 0 and satang_total else ""
    if satang_total == 0:
        return "ศูนย์บาทถ้วน"
    text = number_words(baht) + "บาท" if baht else ""
    text += number_words(satang) + "สตางค์" if satang else "ถ้วน"
    return sign + text
