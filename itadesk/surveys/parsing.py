"""What people type for counts and dates, read strictly. Pure Python, no Django.

Counts: Arabic or Thai digits, thousands separated by commas (``1,250``, ``๑,๒๕๐``) or spaces; a
negative number, a fraction or text is refused with a reason. Dates: ``2568-06-20`` / ``2025-06-20``,
``20/6/2568`` / ``20/06/2025`` (day first, as Thai forms write them), ``20 มิ.ย. 2568`` or
``20 มิถุนายน 2568``; a year of 2400 or more is Buddhist era, otherwise Common era.
"""

from __future__ import annotations

import datetime as dt
import re

from itadesk.core.thai import BE_OFFSET, MONTHS_ABBR, MONTHS_FULL, arabic_digits

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


_MONTHS = {name: i + 1 for i, name in enumerate(MONTHS_FULL)}
_MONTHS.update({name: i + 1 for i, name in enumerate(MONTHS_ABBR)})
_MONTHS.update({name.replace(".", ""): i + 1 for i, name in enumerate(MONTHS_ABBR)})


def _year(y: int) -> int:
    return y - BE_OFFSET if y >= 2400 else y


def parse_date(raw) -> dt.date:
    """A date from a cell. Raises ValueError when it is not one."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = arabic_digits(str(raw or "")).strip()
    if not text:
        raise ValueError("empty")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", text)
    if m:
        return dt.date(_year(int(m[1])), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if m:
        return dt.date(_year(int(m[3])), int(m[2]), int(m[1]))
    m = re.fullmatch(r"(\d{1,2})\s*([^\d\s]+(?:\s?[^\d\s]+)*)\s*(?:พ\.ศ\.\s*)?(\d{4})", text)
    if m:
        month = _MONTHS.get(m[2].replace(" ", "")) or _MONTHS.get(m[2].replace(" ", "").replace(".", ""))
        if month:
            return dt.date(_year(int(m[3])), month, int(m[1]))
    raise ValueError(f"not a date: {raw!r}")
