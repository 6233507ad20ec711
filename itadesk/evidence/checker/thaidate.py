"""Dates and fiscal years in Thai text. Pure Python (re, datetime), no Django.

What it reads, in Thai (๐–๙) or Arabic digits, Buddhist-era (BE) or Common-era (CE) years:

* dates: ``31 มี.ค. 2568``, ``๓๑ มีนาคม ๒๕๖๘``, ``วันที่ 31 มีนาคม พ.ศ. 2568``, ``31 มี.ค. 68``,
  ``31 March 2025``, ``31/03/2568``, ``31/3/68``, ``2025-03-31``;
* months: ``มีนาคม 2568``, ``ต.ค. 67``, ``มีนา 68`` (full, abbreviated with or without dots, colloquial);
* fiscal years: ``ปีงบประมาณ พ.ศ. ๒๕๖๘``, ``ประจำปีงบประมาณ 2568``, ``ปีงบ 68``, ``FY2025``, ``FY 2568``,
  ``fiscal year 2025``, ranges ``ปีงบประมาณ 2566–2570``;
* years: ``พ.ศ. 2568``, ``ปี 2568``, ``ประจำปี พ.ศ. 2567``, ``ค.ศ. 2025``, ``(พ.ศ. 2566 - 2570)`` and a
  bare four-digit BE year (``ITA 2568``).

A year of 2300 or more is BE, a smaller four-digit year CE; a two-digit year is BE (``68`` = 2568), except
after ``FY`` (``FY25`` = 2025). A Thai fiscal year runs 1 Oct – 30 Sep and is named after the year it
ends in, so a date in October–December belongs to the next fiscal year (``1 ต.ค. 2567`` is FY2568).
Copyright notices (``© 2568``, ``สงวนลิขสิทธิ์ พ.ศ. 2568``) are not counted: every page of a site
carries one.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections import Counter
from dataclasses import dataclass

from itadesk.core.thai import BE_OFFSET, MONTHS_ABBR, MONTHS_FULL, fiscal_year_of

__all__ = [
    "DateMatch", "YearMention", "to_be_year", "find_dates", "parse_date", "find_year_mentions",
    "fiscal_years_mentioned", "fiscal_year_of",
]

CE_BE_CUTOFF = 2300  # four-digit years from here on are BE (BE 2300 = CE 1757; CE years are below)
MAX_RANGE_YEARS = 12  # "2566-2570" lists each year; longer spans are not a plan period

# --- months ------------------------------------------------------------------------------------------

_COLLOQUIAL = ("มกรา", "กุมภา", "มีนา", "เมษา", "พฤษภา", "มิถุนา", "กรกฎา", "สิงหา", "กันยา", "ตุลา",
               "พฤศจิกา", "ธันวา")
_EN_FULL = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december")


def _abbr_regex(abbr: str) -> str:
    """'มี.ค.' -> 'มี\\.?\\s?ค\\.?': dots optional, one optional space after the inner dot."""
    parts = [p for p in abbr.split(".") if p]
    return r"\.?\s?".join(re.escape(p) for p in parts) + r"\.?"


_THAI_MONTHS: list[tuple[str, int]] = []
_EN_MONTHS: list[tuple[str, int]] = []
for _i in range(12):
    _THAI_MONTHS += [(re.escape(MONTHS_FULL[_i]), _i + 1), (re.escape(_COLLOQUIAL[_i]), _i + 1),
                     (_abbr_regex(MONTHS_ABBR[_i]), _i + 1)]
    _EN_MONTHS.append((_EN_FULL[_i], _i + 1))
    if _EN_FULL[_i] != _EN_FULL[_i][:3]:
        _EN_MONTHS.append((_EN_FULL[_i][:3] + r"\.?", _i + 1))
_EN_MONTHS.append((r"sept\.?", 9))
# Longest source first, so that มกราคม wins over มกรา and "september" over "sep". No group around a
# form: an alternation whose branches all start with a letter lets the regex engine skip ahead fast.
_THAI_MONTHS.sort(key=lambda form: -len(form[0]))
_EN_MONTHS.sort(key=lambda form: -len(form[0]))


def _by_first_letter(sources: list[str]) -> str:
    """An alternation of ``sources`` grouped by their first letter, in their order within a group
    (``ม(?:กราคม|ีนาคม|…)|ก(?:…)``): the regex engine then tries one group at a position instead of
    every form. Matches what the flat alternation matches, since two forms that start with different
    letters never match at the same place."""
    groups: dict[str, list[str]] = {}
    for src in sources:
        groups.setdefault(src[0], []).append(src[1:])
    return "|".join(first + (f"(?:{'|'.join(rest)})" if len(rest) > 1 else rest[0])
                    for first, rest in groups.items())


_THAI_MONTH_ALT = _by_first_letter([src for src, _ in _THAI_MONTHS])
_EN_MONTH_ALT = _by_first_letter([src for src, _ in _EN_MONTHS])
_THAI_MONTH_ALT_FLAT = "|".join(src for src, _ in _THAI_MONTHS)  # the definition (tests)
_EN_MONTH_ALT_FLAT = "|".join(src for src, _ in _EN_MONTHS)
_MONTH_RES = [(re.compile(src + r"\Z", re.IGNORECASE), month) for src, month in _THAI_MONTHS + _EN_MONTHS]


def _month_number(text: str) -> int:
    month = _MONTH_NUMBERS.get(text)
    if month is None:
        month = _MONTH_NUMBERS[text] = _month_number_of(text)
    return month


_MONTH_NUMBERS: dict[str, int] = {}  # _month_number_of, remembered (a page repeats its few month forms)


def _month_number_of(text: str) -> int:
    text = text.strip()
    for rx, month in _MONTH_RES:
        if rx.match(text):
            return month
    raise ValueError(f"not a month: {text!r}")


# --- years -------------------------------------------------------------------------------------------
#
# Speed: Python's regular expressions are slow on long Thai text when a pattern can start anywhere.
# So (1) every pattern starts with a digit or a literal letter (the engine then jumps to candidate
# positions), left-context checks ("not after a digit") are done in code, English words are matched
# in a lower-cased copy of the text (no IGNORECASE), and (2) the patterns only run over windows
# around two- and four-digit numbers, since every date and year mention ends in one.

_BE = r"พ\s?\.?\s?ศ\s?\.?"       # พ.ศ. / พ.ศ / พศ
_CE = r"ค\s?\.?\s?ศ\s?\.?"       # ค.ศ.
_ERA = rf"(?P<era>{_BE}|{_CE}|b\.\s?e\.|a\.\s?d\.|be|ad)"  # in lower-cased text


def to_be_year(year: int, *, era: str | None = None, two_digit: str = "be") -> int:
    """A written year as a BE year. ``era`` is "be" or "ce" when the text says so (พ.ศ./ค.ศ.);
    otherwise four-digit years of 2300 and more are BE and smaller ones CE; two-digit years are BE
    (68 -> 2568) unless ``two_digit="ce"`` (FY25 -> 2025 -> 2568)."""
    if year < 100:
        if era == "ce" or (era is None and two_digit == "ce"):
            return 2000 + year + BE_OFFSET
        return 2500 + year
    if era == "be":
        return year
    if era == "ce":
        return year + BE_OFFSET
    return year if year >= CE_BE_CUTOFF else year + BE_OFFSET


def _era_of(match: re.Match) -> str | None:
    era = (match.groupdict().get("era") or "").strip().lower()
    if not era:
        return None
    return "ce" if era[0] in ("ค", "a") else "be"


# --- dates -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateMatch:
    """A date found in text: the CE ``date`` and the character span in the text searched."""

    date: dt.date
    start: int
    end: int
    text: str


_YEAR = r"(?P<year>\d{4}|\d{2})(?!\d)"
_DMY_TEXT = re.compile(  # 31 มี.ค. 2568 / 31 มีนาคม พ.ศ. 2568 / 31 March 2025 (lower-cased text)
    r"(?P<day>\d{1,2})\s*(?:-\s*)?(?P<month>" + _THAI_MONTH_ALT + "|" + _EN_MONTH_ALT + r")\s*(?:-\s*)?"
    r"(?:" + _ERA + r"\s*)?" + _YEAR)
_MDY_EN = re.compile(  # march 31, 2025 (lower-cased text)
    r"(?P<month>" + _EN_MONTH_ALT + r")\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})(?!\d)")
_DMY_NUM = re.compile(  # 31/03/2568, 31/3/68, 31-03-2025, 31.03.2568
    r"(?P<day>\d{1,2})(?P<sep>[/.\-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})(?![\d/\-]|\.\d)")
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d\-])")
_LETTER = re.compile(r"[A-Za-z]")


def _make_date(year_be: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year_be - BE_OFFSET, month, day)
    except ValueError:
        return None


_THAI_DIGIT = re.compile("[\u0e50-\u0e59]")


def _arabic(match: re.Match) -> str:
    return chr(ord(match.group()) - 0x0E50 + 0x30)


def _normalise(text: str) -> str:
    """Thai digits to Arabic (one character for one, so spans stay valid). Same as
    ``itadesk.core.thai.arabic_digits``, faster on long Thai text with few digits."""
    return _THAI_DIGIT.sub(_arabic, text)


def _lower(norm: str) -> str:
    """Lower case, one character for one (the rare letters whose lower case is longer stay as they are)."""
    low = norm.lower()
    if len(low) == len(norm):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in norm)


_NUMBER = re.compile(r"\d{2,}")
_BEFORE, _AFTER = 64, 32


def _segments(norm: str) -> list[tuple[int, int]]:
    """Merged windows [start - 64, end + 32) around runs of two or four digits."""
    out: list[tuple[int, int]] = []
    size = len(norm)
    half = size // 2
    closed = 0  # characters in the windows before the last one
    for m in _NUMBER.finditer(norm):
        start, end = m.span()
        if end - start not in (2, 4):
            continue
        lo, hi = max(0, start - _BEFORE), min(size, end + _AFTER)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            if out:
                closed += out[-1][1] - out[-1][0]
            out.append((lo, hi))
        if closed + hi - out[-1][0] > half:  # the windows only grow: decided already
            return [(0, size)]  # numbers everywhere: one pass over the whole text is cheaper
    return out


def _mentions_any(text: str, words: tuple[str, ...]) -> bool:
    """One of ``words`` occurs in ``text`` (a substring search, far cheaper than running a pattern
    that needs one of them over Thai text)."""
    return any(word in text for word in words)


# Literal text that a match of a pattern must contain (in the lower-cased text): without it, the
# pattern cannot match and is not run.
_COPYRIGHT_WORDS = ("©", "(c)", "copyright", "สงวนลิขสิทธิ์")
_FISCAL_EN_WORDS = ("fy", "fiscal", "budget")
_EN_MONTH_WORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Text that a match of a numeric date pattern must contain (in the normalised text): a pattern that
# starts with a digit is tried at every digit of a text full of numbers, while these start with a
# separator and are run once over the whole text.
_ISO_HINT = re.compile(r"-\d\d-")                  # 2025-03-31
_DMY_NUM_HINT = re.compile(r"[/.\-]\d\d?[/.\-]")   # 31/03/2568, 31.3.68, 31-03-2025


def _may_match(hint: re.Pattern, text: str) -> bool:
    """``hint`` occurs in ``text``: without it, the pattern it stands for cannot match."""
    return hint.search(text) is not None


def _scan(rx: re.Pattern, text: str, segments: list[tuple[int, int]]):
    """Every match of ``rx`` in each segment of ``text``, in order (one finditer when there is one segment)."""
    if len(segments) == 1:
        lo, hi = segments[0]
        return rx.finditer(text, lo, hi)
    return itertools.chain.from_iterable(rx.finditer(text, lo, hi) for lo, hi in segments)


# A month name (Thai or English, any form) in the lower-cased text.
_MONTH_ANY = re.compile(f"{_THAI_MONTH_ALT}|{_EN_MONTH_ALT}")


def _month_starts(low: str) -> list[int]:
    """Every position where a month name starts in ``low``, a form that starts inside another one included:
    every match of a pattern that needs a month name has its month at one of these. finditer gives the
    leftmost forms that do not overlap; a form can start only there or inside one of them. (Cheaper than a
    lookahead tried at every position.)"""
    out: list[int] = []
    match, first = _MONTH_ANY.match, _MONTH_FIRST_LETTERS
    for m in _MONTH_ANY.finditer(low):
        start, end = m.span()
        out.append(start)
        out.extend(inner for inner in range(start + 1, end) if low[inner] in first and match(low, inner))
    return out


# Every letter a month form starts with (a month name can start nowhere else).
_MONTH_FIRST_LETTERS = frozenset(src[0] for src, _ in _THAI_MONTHS + _EN_MONTHS)


def _before_month(char: str) -> bool:
    r"""What a day may be followed by before its month in _DMY_TEXT: a digit (``\d``: str.isdecimal), white
    space (``\s``: str.isspace) or "-"."""
    return char.isdecimal() or char.isspace() or char == "-"


def _scan_months(rx: re.Pattern, text: str, segments: list[tuple[int, int]], months: list[int], *,
                 day_first: bool):
    """What ``_scan(rx, text, segments)`` gives for a pattern whose match needs a month name (``months``: every
    position where one starts, from :func:`_month_starts`): the pattern is tried only at the months (``day_first``: at the
    digits just before them, where a "day month year" match starts) instead of at every digit of the text.
    Exact: finditer's next match is its leftmost one from where the last ended, and a match can start at no
    other place; the segment's end stays the match's end bound, as in finditer."""
    match = rx.match
    for lo, hi in segments:
        pos = lo
        for q in months[bisect.bisect_left(months, lo):bisect.bisect_left(months, hi)]:
            if not day_first:
                if q < pos:
                    continue
                m = match(text, q, hi)
                if m is not None:
                    yield m
                    pos = m.end()
                continue
            if q <= pos:
                continue
            start = q
            while start > pos and _before_month(text[start - 1]):
                start -= 1
            for at in range(start, q):
                if text[at].isdecimal():
                    m = match(text, at, hi)
                    if m is not None:
                        yield m
                        pos = m.end()
                        break


def _after_digit(text: str, pos: int, extra: str = "") -> bool:
    return pos > 0 and (text[pos - 1].isdigit() or text[pos - 1] in extra)


def _after_letter(text: str, pos: int) -> bool:
    return pos > 0 and _LETTER.match(text[pos - 1]) is not None


class _Spans:
    """Non-overlapping character spans already taken by a match (so a text is counted once)."""

    def __init__(self, spans=()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(spans):
            self.add(start, end)

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if i and self.ends[i - 1] > start:
            return False
        return not (i < len(self.starts) and self.starts[i] < end)

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


class _Doc:
    """A text prepared once for all the patterns: Thai digits as Arabic, a lower-cased copy, the
    windows around numbers."""

    def __init__(self, text: str, norm: str | None = None):
        self.text = text
        self.norm = _normalise(text) if norm is None else norm
        self.low = _lower(self.norm)
        self.segments = _segments(self.norm)
        self.english_months = _mentions_any(self.low, _EN_MONTH_WORDS)  # asked by dates and by months
        self._months: list[int] | None = None

    def scan(self, rx: re.Pattern, source: str):
        """``_scan(rx, source, self.segments)``; for the patterns that need a month name, tried only at the
        month names (:func:`_scan_months`)."""
        if rx in _MONTH_FIRST:
            if self._months is None:
                self._months = _month_starts(self.low)
            return _scan_months(rx, source, self.segments, self._months, day_first=_MONTH_FIRST[rx])
        return _scan(rx, source, self.segments)


def _dates(doc: _Doc) -> list[DateMatch]:
    norm, low, found, taken = doc.norm, doc.low, [], _Spans()

    patterns = [_DMY_TEXT]
    if doc.english_months:
        patterns.append(_MDY_EN)
    if _may_match(_ISO_HINT, norm):
        patterns.append(_ISO)
    if _may_match(_DMY_NUM_HINT, norm):
        patterns.append(_DMY_NUM)
    for rx in patterns:
        source = low if rx in (_DMY_TEXT, _MDY_EN) else norm
        for m in doc.scan(rx, source):
            start = m.start()
            if rx is _MDY_EN:
                if _after_letter(low, start):
                    continue
            elif _after_digit(norm, start, "" if rx is _DMY_TEXT else "/.-"):
                continue
            if not taken.free(start, m.end()):
                continue
            if rx is _DMY_TEXT or rx is _MDY_EN:
                month_text = m.group("month")
                month = _month_number(month_text)
                english = _LETTER.match(month_text) is not None
                if english and len(m.group("year")) != 4:
                    continue  # "may 25" is no date
                era = _era_of(m) if rx is _DMY_TEXT else "ce"
            else:
                month, era = int(m.group("month")), None
            date = _make_date(to_be_year(int(m.group("year")), era=era), month, int(m.group("day")))
            if date is None:
                continue
            taken.add(start, m.end())
            found.append(DateMatch(date, start, m.end(), doc.text[start:m.end()]))
    found.sort(key=lambda d: d.start)
    return found


def find_dates(text: str) -> list[DateMatch]:
    """Every date in ``text``, in order of position. Invalid dates (31 ก.พ.) are skipped."""
    return _dates(_Doc(text))


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text`` (a CE ``datetime.date``), or None."""
    dates = find_dates(text)
    return dates[0].date if dates else None


# --- fiscal years and years --------------------------------------------------------------------------


@dataclass(frozen=True)
class YearMention:
    """A fiscal year evident in text. ``kind``: "fiscal" (ปีงบประมาณ …, FY…), "date" (a full date),
    "month" (month and year), "year" (พ.ศ./ปี/ค.ศ. and a year) or "bare" (a lone four-digit BE year)."""

    fiscal_year: int
    kind: str
    start: int
    end: int
    text: str


_RANGE_TAIL = r"(?:\s*(?:-|–|—|ถึง|to)\s*(?:" + _BE + r"\s*)?(?P<year2>\d{4}|\d{2}))?(?!\d)"
_FISCAL = re.compile(  # ปีงบประมาณ พ.ศ. 2568 / ประจำปีงบประมาณ 2568 / ปีงบ 68 (lower-cased text)
    r"(?:ประจำปี|ปี)\s?งบ(?:ประมาณ)?\s*(?:" + _ERA + r"\s*)?" + _YEAR + _RANGE_TAIL)
_FISCAL_EN = re.compile(  # fy2025 / fiscal year 2025 (lower-cased text)
    r"(?:fy|fiscal\s+year|budget\s+year)\s?" + _YEAR + _RANGE_TAIL)
_MONTH_YEAR_TH = re.compile(r"(?P<month>" + _THAI_MONTH_ALT + r")\s*(?:" + _ERA + r"\s*)?" + _YEAR)
_MONTH_YEAR_EN = re.compile(r"(?P<month>" + _EN_MONTH_ALT + r")\s*(?P<year>\d{4})(?!\d)")
_ERA_FORMS = rf"{_BE}|{_CE}|B\.\s?E\.|A\.\s?D\.|BE|AD"
_YEAR_PHRASE = re.compile(  # ปี 2568 / ประจำปี พ.ศ. 2567 / พ.ศ. 2568 / ค.ศ. 2024 (case kept)
    rf"(?:ประจำปี\s*(?P<era>{_ERA_FORMS})?|ปี\s*(?P<era1>{_ERA_FORMS})?|{_ERA_FORMS})\s*" + _YEAR + _RANGE_TAIL)
# A lone BE year: not part of a number (2,568 / 2568.50 / 0 2568 1234), not an amount (2550 บาท).
_UNITS = r"(?:บาท|baht|คน|ราย|ครั้ง|ชั่วโมง|ชม|แห่ง|ล้าน|พัน|หมื่น|แสน|หน่วย|เมตร|ตร|กม|กิโล|ชิ้น|เล่ม|%)"
_BARE_BE = re.compile(r"(?P<year>2[45]\d\d)(?![\d]|[.,/:]\d|\s\d{3})" + _RANGE_TAIL + r"(?!\s*" + _UNITS + ")")
# The patterns run over the lower-cased text that need a month name: True when the match starts with the
# day before it, False when it starts with the month (see _Doc.scan).
_MONTH_FIRST = {_DMY_TEXT: True, _MDY_EN: False, _MONTH_YEAR_TH: False, _MONTH_YEAR_EN: False}
_COPYRIGHT = re.compile(  # lower-cased text
    r"(?:©|\(c\)|copyright|สงวนลิขสิทธิ์)\s*(?:©\s*)?(?:" + _ERA + r"\s*)?\d{4}(?:\s*[-–]\s*\d{4})?")


def _phrase_era(m: re.Match) -> str | None:
    """The era of a _YEAR_PHRASE match: from whichever era group matched, or from its first letters
    when the phrase is the era alone (พ.ศ. 2568)."""
    era = m.group("era") or m.group("era1")
    if era:
        return "ce" if era.strip()[0] in "คA" else "be"
    head = m.group(0).lstrip()
    if head.startswith(("ประจำปี", "ปี")):
        return None
    return "ce" if head[0] in "คA" else "be"


def _years_of(m: re.Match, *, era: str | None, two_digit: str = "be", min_two_digit: int = 0) -> list[int]:
    """The BE year(s) named by a match with a ``year`` group and an optional ``year2`` (a range)."""
    raw = m.group("year")
    if len(raw) == 2 and int(raw) < min_two_digit:
        return []
    first = to_be_year(int(raw), era=era, two_digit=two_digit)
    second_raw = m.groupdict().get("year2")
    if not second_raw:
        return [first]
    second = to_be_year(int(second_raw), era=era, two_digit=two_digit)
    if len(second_raw) == 2 and len(raw) == 4:  # 2566-70
        second = first - first % 100 + int(second_raw)
    if first < second <= first + MAX_RANGE_YEARS:
        return list(range(first, second + 1))
    return [first]


_PLAUSIBLE = range(2400, 2800)


def find_year_mentions(text: str, *, norm: str | None = None) -> list[YearMention]:
    """Every fiscal year evident in ``text``, each with the kind of evidence, in order of position.
    A range (``พ.ศ. 2566 – 2570``) gives one mention per year. Copyright years are skipped. ``norm``: the text
    with Thai digits as Arabic (``_normalise(text)``), if the caller has it already."""
    doc = _Doc(text, norm)
    norm, low, segments = doc.norm, doc.low, doc.segments
    copyright_words = _mentions_any(low, _COPYRIGHT_WORDS)
    taken = _Spans((m.start(), m.end()) for m in (_scan(_COPYRIGHT, low, segments) if copyright_words else ()))
    free = taken.free
    mentions: list[YearMention] = []

    def add(years: list[int], kind: str, start: int, end: int) -> None:
        taken.add(start, end)
        for year in years:
            if year in _PLAUSIBLE:
                mentions.append(YearMention(year, kind, start, end, text[start:end]))

    for m in _scan(_FISCAL, low, segments):
        start, end = m.span()
        if free(start, end):
            add(_years_of(m, era=_era_of(m)), "fiscal", start, end)
    for m in _scan(_FISCAL_EN, low, segments) if _mentions_any(low, _FISCAL_EN_WORDS) else ():
        start, end = m.span()
        if not _after_letter(low, start) and free(start, end):
            add(_years_of(m, era=None, two_digit="ce"), "fiscal", start, end)
    for d in _dates(doc):
        if free(d.start, d.end):
            add([fiscal_year_of(d.date)], "date", d.start, d.end)
    for rx in (_MONTH_YEAR_TH, _MONTH_YEAR_EN) if doc.english_months else (_MONTH_YEAR_TH,):
        for m in doc.scan(rx, low):
            if rx is _MONTH_YEAR_EN and _after_letter(low, m.start()):
                continue
            if _after_digit(norm, m.start()) or not free(m.start(), m.end()):
                continue
            year = to_be_year(int(m.group("year")), era=_era_of(m) if rx is _MONTH_YEAR_TH else "ce")
            month = _month_number(m.group("month"))
            add([year + 1 if month >= 10 else year], "month", m.start(), m.end())
    for m in _scan(_YEAR_PHRASE, norm, segments):
        start, end = m.span()
        if _after_letter(norm, start) or not free(start, end):
            continue
        add(_years_of(m, era=_phrase_era(m), min_two_digit=50), "year", start, end)
    for m in _scan(_BARE_BE, norm, segments):
        start, end = m.span()
        if _after_digit(norm, start, ".,/:") or (start > 1 and norm[start - 1].isspace() and norm[start - 2].isdigit()):
            continue
        if free(start, end):
            add(_years_of(m, era="be"), "bare", start, end)
    mentions.sort(key=lambda y: (y.start, y.fiscal_year))
    return mentions


def fiscal_years_mentioned(text: str) -> Counter[int]:
    """How many times each BE fiscal year is evident in ``text`` (see :func:`find_year_mentions`)."""
    return Counter(m.fiscal_year for m in find_year_mentions(text))
