"""Dates and date-times as people type them in a form, read strictly. Pure Python, no Django.

What is understood (Thai ``๐–๙`` or Arabic digits, spaces anywhere reasonable):

* ``15/5/2570``, ``15/05/2570``, ``15.05.2570``, ``15-05-2570`` (day first, always);
* ``15 พ.ค. 2570``, ``15 พค 2570``, ``15 พฤษภาคม พ.ศ. 2570``, ``15 พฤษภา 2570``, ``15 May 2570``,
  ``วันพฤหัสบดีที่ 15 พฤษภาคม 2570`` (what :func:`itadesk.core.thai.format_date` writes reads back);
* ISO ``2570-05-15`` — the one year-first form. Its year is Buddhist era (BE) from 2400 on and Christian
  era (CE) below (``2027-05-15`` is the same day): ISO is what machines and browsers send;
* a time after the date: ``17:00``, ``17.00``, ``17.00 น.``, ``เวลา 17.00 น.``, ``17:00:00``,
  ``2570-05-15T17:00``.

Years (the rules a person meets):

* a four-digit year from 2400 to 2700 is BE;
* a four-digit year that is a CE year of that span (1857–2157, e.g. ``2027``) is refused in the day-first
  forms with the BE year it would be (``ce_year``: "2027 looks like CE (= BE 2570)"), unless the caller
  passes ``ce="accept"`` (spreadsheet imports, where CE cells are common);
* **a two-digit year is BE of the 2500s**: ``15/5/70`` is 15 May 2570 — as Thai people write it and as the
  evidence checker reads it. The form shows the full year back, so the reading is visible;
* any other year (``3113``, ``257``, ``2300``) is refused (``year_range`` / ``year_digits``).

Impossible dates name the part that is wrong: ``month`` (month 15), ``day`` (31 Feb 2570: February 2570
has 28 days), ``hour``, ``minute``. Every failure raises :class:`DateTextError` (a ``ValueError``) with a
``code`` and ``params``; the form fields of ``core.dateinput`` turn them into Thai/English messages.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from itadesk.core.thai import BE_OFFSET, MONTHS_ABBR, MONTHS_EN_ABBR, MONTHS_FULL, arabic_digits, to_bangkok

BE_MIN, BE_MAX = 2400, 2700  # the years a form accepts (CE 1857–2157)
CE_MIN, CE_MAX = BE_MIN - BE_OFFSET, BE_MAX - BE_OFFSET
MAX_LENGTH = 80  # longer text is no date (and is not run through the patterns)

_COLLOQUIAL = ("มกรา", "กุมภา", "มีนา", "เมษา", "พฤษภา", "มิถุนา", "กรกฎา", "สิงหา", "กันยา", "ตุลา",
               "พฤศจิกา", "ธันวา")
_EN_FULL = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december")


def _month_table() -> dict[str, int]:
    """Every written form of a month, without dots and spaces, lower case -> 1..12."""
    table: dict[str, int] = {}
    for i in range(12):
        for form in (MONTHS_FULL[i], MONTHS_ABBR[i], _COLLOQUIAL[i], _EN_FULL[i], MONTHS_EN_ABBR[i]):
            table[form.replace(".", "").replace(" ", "").lower()] = i + 1
    table["sept"] = 9
    return table


MONTH_NAMES = _month_table()


class DateTextError(ValueError):
    """Why a typed date was refused. ``code``: "empty", "format", "year_digits", "year_range", "ce_year",
    "month", "month_name", "day", "hour", "minute", "time_missing". ``params`` hold what was understood (``year``,
    ``be_year``, ``month``, ``day``, ``days``, ``hour``, ``minute``, ``text``)."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(f"{code}: {params}")


_SPACE = re.compile(r"[\s\u00a0\u200b\u202f,]+")
_WEEKDAY_PREFIX = re.compile(r"^วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)?(?:ที่)?\s*")
_ERA_BE = re.compile(r"พ\s*\.?\s*ศ\s*\.?|\bb\.?\s?e\.?(?![a-z])", re.IGNORECASE)
_TIME = r"(?P<hour>\d{1,2})\s*[:.]\s*(?P<minute>\d{1,2})(?:\s*[:.]\s*(?P<second>\d{1,2}))?"
_TAIL = r"(?:(?:\s+|\s*T\s*|\s*เวลา\s*)" + _TIME + r"\s*(?:น\s*\.?|นาฬิกา)?)?$"
_ISO = re.compile(r"(?P<year>\d{4})\s*-\s*(?P<month>\d{1,2})\s*-\s*(?P<day>\d{1,2})" + _TAIL, re.IGNORECASE)
_NUMERIC = re.compile(r"(?P<day>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<year>\d+)" + _TAIL,
                      re.IGNORECASE)
_WORDS = re.compile(r"(?P<day>\d{1,2})\s*(?P<month>[^\d\s][^\d]*?)\s*(?P<year>\d+)" + _TAIL, re.IGNORECASE)


def _clean(text: str) -> str:
    text = arabic_digits(str(text)).strip()
    text = _SPACE.sub(" ", text).strip()
    text = _WEEKDAY_PREFIX.sub("", text)
    return _SPACE.sub(" ", _ERA_BE.sub(" ", text)).strip()


def _year_day_first(raw: str, ce: str) -> int:
    """The BE year of a day-first date's year as typed."""
    if len(raw) == 2:
        return 2500 + int(raw)
    if len(raw) != 4:
        raise DateTextError("year_digits", year=raw)
    year = int(raw)
    if BE_MIN <= year <= BE_MAX:
        return year
    if CE_MIN <= year <= CE_MAX:
        if ce == "accept":
            return year + BE_OFFSET
        raise DateTextError("ce_year", year=year, be_year=year + BE_OFFSET)
    raise DateTextError("year_range", year=year)


def _year_iso(raw: str) -> int:
    year = int(raw)
    if BE_MIN <= year <= BE_MAX:
        return year
    if CE_MIN <= year <= CE_MAX:
        return year + BE_OFFSET
    raise DateTextError("year_range", year=year)


def _make_date(be: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12:
        raise DateTextError("month", month=month, be_year=be)
    days = calendar.monthrange(be - BE_OFFSET, month)[1]
    if not 1 <= day <= days:
        raise DateTextError("day", day=day, month=month, be_year=be, days=days)
    return dt.date(be - BE_OFFSET, month, day)


def _make_time(m: re.Match) -> dt.time | None:
    if m["hour"] is None:
        return None
    hour, minute, second = int(m["hour"]), int(m["minute"]), int(m["second"] or 0)
    if hour > 23:
        raise DateTextError("hour", hour=hour)
    if minute > 59 or second > 59:
        raise DateTextError("minute", minute=minute if minute > 59 else second)
    return dt.time(hour, minute, second)


def parse_date_and_time(text, *, ce: str = "refuse") -> tuple[dt.date, dt.time | None]:
    """The CE date and the time (or None when none was typed) of what a person typed; see the module
    docstring for the forms and the year rules. ``ce="accept"`` reads a day-first CE year (2025) as CE
    instead of refusing it. Raises :class:`DateTextError`."""
    cleaned = _clean(text or "")
    if not cleaned:
        raise DateTextError("empty")
    if len(cleaned) > MAX_LENGTH:
        raise DateTextError("format", text=str(text).strip()[:MAX_LENGTH] + "…")
    m = _ISO.match(cleaned)
    if m:
        be = _year_iso(m["year"])
    else:
        m = _NUMERIC.match(cleaned) or _WORDS.match(cleaned)
        if m is None:
            raise DateTextError("format", text=str(text).strip())
        be = _year_day_first(m["year"], ce)
    if m.re is _WORDS:
        month = MONTH_NAMES.get(re.sub(r"[.\s]", "", m["month"]).lower())
        if month is None:
            raise DateTextError("month_name", month=m["month"].strip(), be_year=be)
    else:
        month = int(m["month"])
    date = _make_date(be, month, int(m["day"]))
    return date, _make_time(m)


def parse_date_text(text, *, ce: str = "refuse") -> dt.date:
    """A date typed by a person (a time after it is ignored). Raises :class:`DateTextError`."""
    return parse_date_and_time(text, ce=ce)[0]


def parse_datetime_text(text, *, default_time: dt.time | None = None, ce: str = "refuse") -> dt.datetime:
    """A naive local date-time typed by a person (the caller knows the time zone: Bangkok). Without a
    time, ``default_time`` is used, or ``time_missing`` is raised. Raises :class:`DateTextError`."""
    date, time = parse_date_and_time(text, ce=ce)
    if time is None:
        if default_time is None:
            raise DateTextError("time_missing", be_year=date.year + BE_OFFSET)
        time = default_time
    return dt.datetime.combine(date, time)


def format_date_input(value: dt.date | dt.datetime) -> str:
    """The value of a date box: ``15/05/2570`` (a datetime is taken in Bangkok time)."""
    if isinstance(value, dt.datetime):
        value = to_bangkok(value) if value.tzinfo else value
    return f"{value.day:02d}/{value.month:02d}/{value.year + BE_OFFSET}"


def format_datetime_input(value: dt.datetime) -> str:
    """The value of a date-time box: ``15/05/2570 17:00`` in Bangkok time (naive values are local)."""
    local = to_bangkok(value) if value.tzinfo else value
    return f"{format_date_input(local.date())} {local:%H:%M}"
