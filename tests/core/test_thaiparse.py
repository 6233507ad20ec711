"""What people type as a date: Buddhist-era years, Thai or Arabic digits, Thai month names, ISO; Christian-era
years refused with the year understood; two-digit years read as 25xx; impossible dates refused naming the part
that is wrong; never a crash on any text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itadesk.core import thai
from itadesk.core.thaiparse import (
    DateTextError,
    format_date_input,
    format_datetime_input,
    parse_date_and_time,
    parse_date_text,
    parse_datetime_text,
)

D = dt.date(2027, 5, 15)  # 15 May 2570 BE
T = dt.time(17, 0)


@pytest.mark.parametrize("text, date, time", [
    ("15/5/2570", D, None),
    ("15/05/2570", D, None),
    ("15/05/2570 17:00", D, T),
    ("๑๕/๐๕/๒๕๗๐ ๑๗.๐๐ น.", D, T),
    ("15 พ.ค. 2570", D, None),
    ("15 พค 2570", D, None),
    ("15 พฤษภาคม 2570 17.00 น.", D, T),
    ("15 พฤษภาคม พ.ศ. 2570 เวลา 17.00 น.", D, T),
    ("วันเสาร์ที่ 15 พฤษภาคม 2570", D, None),
    ("15 พฤษภา 2570", D, None),
    ("15 May 2570 BE 17:00", D, T),
    ("2570-05-15", D, None),
    ("2570-05-15T17:00", D, T),
    ("2027-05-15", D, None),  # ISO is year first: a CE year there is unambiguous
    ("2027-05-15 17:00:00", D, T),
    ("  15 / 05 / 2570  ", D, None),
    ("15.05.2570 8.30", D, dt.time(8, 30)),
    ("15-05-2570", D, None),
])
def test_what_people_type_is_understood(text, date, time):
    assert parse_date_and_time(text) == (date, time)


def test_two_digit_years_are_buddhist_era_of_the_2500s():
    assert parse_date_text("15/5/70") == D
    assert parse_date_text("๑๕ พ.ค. ๗๐") == D
    assert parse_date_text("1/1/00") == dt.date(2500 - 543, 1, 1)
    assert parse_date_text("31/12/99") == dt.date(2599 - 543, 12, 31)


@pytest.mark.parametrize("text, code, params", [
    ("15/05/2027", "ce_year", {"year": 2027, "be_year": 2570}),
    ("15 พ.ค. 2027", "ce_year", {"year": 2027, "be_year": 2570}),
    ("05/15/2570", "month", {"month": 15, "be_year": 2570}),  # mm/dd/yyyy: no month 15
    ("31/2/2570", "day", {"day": 31, "month": 2, "be_year": 2570, "days": 28}),
    ("29/2/2572", "day", {"day": 29, "month": 2, "be_year": 2572, "days": 28}),
    ("0/2/2570", "day", {"day": 0, "month": 2, "be_year": 2570, "days": 28}),
    ("15/0/2570", "month", {"month": 0, "be_year": 2570}),
    ("15 ฟฟฟ 2570", "month_name", {"month": "ฟฟฟ", "be_year": 2570}),
    ("3113-05-15", "year_range", {"year": 3113}),
    ("15/05/3113", "year_range", {"year": 3113}),
    ("15/05/2300", "year_range", {"year": 2300}),
    ("15/05/257", "year_digits", {"year": "257"}),
    ("15/05/2570 24:00", "hour", {"hour": 24}),
    ("15/05/2570 17:75", "minute", {"minute": 75}),
    ("", "empty", {}),
    ("พรุ่งนี้", "format", {"text": "พรุ่งนี้"}),
])
def test_refusals_say_what_was_understood(text, code, params):
    with pytest.raises(DateTextError) as e:
        parse_date_and_time(text)
    assert (e.value.code, e.value.params) == (code, params)


def test_leap_day_of_a_leap_year_is_a_date():
    assert parse_date_text("29/2/2567") == dt.date(2024, 2, 29)


def test_christian_era_can_be_accepted_for_spreadsheets():
    assert parse_date_text("15/05/2027", ce="accept") == D


def test_a_date_time_needs_its_time_unless_a_default_is_given():
    with pytest.raises(DateTextError) as e:
        parse_datetime_text("15/05/2570")
    assert e.value.code == "time_missing"
    assert parse_datetime_text("15/05/2570", default_time=T) == dt.datetime(2027, 5, 15, 17, 0)


def test_box_values_are_be_and_bangkok_time():
    assert format_date_input(D) == "15/05/2570"
    # 10:00 UTC is 17:00 in Bangkok
    assert format_datetime_input(dt.datetime(2027, 5, 15, 10, 0, tzinfo=dt.UTC)) == "15/05/2570 17:00"
    # 20:30 UTC on 14 May is already the 15th in Bangkok
    assert format_date_input(dt.datetime(2027, 5, 14, 20, 30, tzinfo=dt.UTC)) == "15/05/2570"


# --- properties --------------------------------------------------------------------------------------------

DATES = st.dates(min_value=dt.date(2400 - 543, 1, 1), max_value=dt.date(2700 - 543, 12, 31))
TIMES = st.times().map(lambda t: t.replace(second=0, microsecond=0))


def _styles(d: dt.date, t: dt.time) -> list[tuple[str, bool]]:
    """(text, has time) in every style a person or ITA Desk writes a date."""
    at = dt.datetime.combine(d, t, tzinfo=thai.BANGKOK)
    be = d.year + 543
    return [
        (format_date_input(d), False),
        (format_datetime_input(at), True),
        (f"{d.day}/{d.month}/{be}", False),
        (f"{d.day}/{d.month}/{be} {t:%H.%M} น.", True),
        (f"{be}-{d.month:02d}-{d.day:02d}", False),
        (f"{be}-{d.month:02d}-{d.day:02d}T{t:%H:%M}", True),
        (thai.format_date(d), False),
        (thai.format_date(at), True),
        (thai.format_date(d, style="full"), False),
        (thai.format_date(at, style="full"), True),
        (thai.format_date(d, style="full", weekday=True), False),
        (thai.format_date(at, lang="en"), True),
    ]


@settings(max_examples=300)
@given(DATES, TIMES, st.sampled_from(["arabic", "thai"]))
def test_every_style_reads_back(d, t, digits):
    for text, has_time in _styles(d, t):
        if digits == "thai":
            text = thai.thai_digits(text)
        assert parse_date_and_time(text) == (d, t if has_time else None), text


@given(st.dates(min_value=dt.date(1857, 1, 1), max_value=dt.date(2157, 12, 31)),
       st.sampled_from(["{d}/{m}/{y}", "{d:02d}/{m:02d}/{y} 17:00", "{d} {mon} {y}"]))
def test_christian_era_years_are_refused_with_the_year_understood(d, pattern):
    text = pattern.format(d=d.day, m=d.month, y=d.year, mon=thai.MONTHS_ABBR[d.month - 1])
    with pytest.raises(DateTextError) as e:
        parse_date_and_time(text)
    assert e.value.code == "ce_year"
    assert e.value.params == {"year": d.year, "be_year": d.year + 543}
    assert parse_date_text(text, ce="accept") == d


@given(st.integers(0, 99), st.integers(1, 12), st.integers(1, 28))
def test_two_digit_years_read_as_25xx(yy, month, day):
    assert parse_date_text(f"{day}/{month}/{yy:02d}") == dt.date(2500 + yy - 543, month, day)


@settings(max_examples=300)
@given(st.one_of(
    st.text(),
    st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙/.-: นพศค.มกราคมT", max_size=30),
    st.from_regex(r"\A\d{1,3}[/.\-]\d{1,3}[/.\-]\d{1,5}( \d{1,3}[:.]\d{1,3})?\Z"),
))
def test_any_text_gives_a_date_or_a_reason(text):
    try:
        date, time = parse_date_and_time(text)
    except DateTextError as e:
        assert e.code in {"empty", "format", "year_digits", "year_range", "ce_year", "month", "month_name", "day",
                          "hour", "minute"}
    else:
        assert 2400 <= date.year + 543 <= 2700
        assert time is None or isinstance(time, dt.time)
