"""What people type for counts and dates, read strictly. Pure Python, no Django.

Counts: Arabic or Thai digits, thousands separated by commas (``1,250``, ``๑,๒๕๐``) or spaces; a
negative number, a fraction or text is refused with a reason. Dates: what ``core.thaiparse`` reads
(``2568-06-20`` / ``2025-06-20``, ``20/6/2568``, ``20 มิ.ย. 2568``, ``20 มิถุนายน 2568``, two-digit years as
25xx), with Common-era years also accepted in the day-first forms (``20/06/2025``), as cells often hold them.
"""

from __future__ import annotations

import datetime as dt
import re

from itadesk.core.thai import arabic_digits
from itadesk.core.thaiparse import parse_date_text

_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class CountError(ValueError):
    """``code``: "empty", "negative", "fraction", "grouping" or "text"."""

    def __init__(self, code: str, raw: str):
        self.code, self.raw = code, raw
        super().__init__(f"{code}: {raw!r}")


def parse_count(raw) -> int:
    """A whole number ≥ 0 from a cell or a form field. Raises :class:`CountError`."""
    if isinstance(raw, bool):
        raise CountError("text", str(raw))
    if isinstance(raw, int):
        if raw < 0:
            raise CountError("negative", str(raw))
        return raw
    if isinstance(raw, float):
        if raw < 0:
            raise CountError("negative", str(raw))
        if not raw.is_integer():
            raise CountError("fraction", str(raw))
        return int(raw)
    text = _SPACES.sub("", arabic_digits(str(raw or "")))
    if not text:
        raise CountError("empty", "")
    if text.startswith(("-", "−")) and re.fullmatch(r"[-−][\d,.]+", text):
        raise CountError("negative", text)
    text = text.removeprefix("+")
    if re.fullmatch(r"\d+(,\d+)*\.0*", text):  # 1250.0 from a spreadsheet
        text = text.split(".")[0]
    if re.fullmatch(r"[\d,]*\.\d+", text):
        raise CountError("fraction", text)
    if "," in text:
        if not _GROUPED.match(text):
            raise CountError("grouping", text)
        text = text.replace(",", "")
    if not text.isdigit():
        raise CountError("text", text)
    return int(text)


def parse_date(raw) -> dt.date:
    """A date from a cell: a date, or text as :func:`itadesk.core.thaiparse.parse_date_text` reads it, except
    that a Christian-era year (``20/06/2025``) is accepted, as spreadsheets often hold one. Raises ValueError
    when it is not a date."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    return parse_date_text(str(raw or ""), ce="accept")
