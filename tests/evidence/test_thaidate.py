"""Thai dates and fiscal years (itadesk.evidence.checker.thaidate): examples and property tests."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itadesk.core.thai import MONTHS_ABBR, MONTHS_FULL, fiscal_year_of, format_date, thai_digits
from itadesk.evidence.checker.thaidate import (
    find_dates,
    find_year_mentions,
    fiscal_years_mentioned,
    parse_date,
    to_be_year,
)

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
dates = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2199, 12, 31))


def render(d: dt.date, *, month_style: str, era: str, digits: str, prefix: bool) -> str:
    """A date written the ways Thai documents write it."""
    year = d.year + 543 if era == "be" else d.year
    month = {"full": MONTHS_FULL, "abbr": MONTHS_ABBR, "en": EN_MONTHS}[month_style][d.month - 1]
    era_word = ("พ.ศ. " if era == "be" else "ค.ศ. ") if prefix else ""
    text = f"{d.day} {month} {era_word}{year}"
    return thai_digits(text) if digits == "thai" else text


@settings(max_examples=300, deadline=None)
@given(d=dates, month_style=st.sampled_from(["full", "abbr", "en"]), era=st.sampled_from(["be", "ce"]),
       digits=st.sampled_from(["thai", "arabic"]), prefix=st.booleans(),
       before=st.sampled_from(["", "วันที่ ", "ประกาศ ณ วันที่ ", "เมื่อ ", "(", "ข้อมูล ณ "]),
       after=st.sampled_from(["", " ", ")", " เวลา 10.00 น.", " เป็นต้นไป"]))
def test_any_written_date_parses_back(d, month_style, era, digits, prefix, before, after):
    text = before + render(d, month_style=month_style, era=era, digits=digits, prefix=prefix) + after
    assert parse_date(text) == d
    assert [m.date for m in find_dates(text)] == [d]


@settings(max_examples=200, deadline=None)
@given(d=dates, style=st.sampled_from(["short", "full"]), digits=st.sampled_from(["thai", "arabic"]))
def test_dates_formatted_by_core_thai_parse_back(d, style, digits):
    assert parse_date(format_date(d, style=style, digits=digits)) == d


@settings(max_examples=200, deadline=None)
@given(d=dates, sep=st.sampled_from(["/", "-", "."]), era=st.sampled_from(["be", "ce"]),
       two_digit=st.booleans(), digits=st.sampled_from(["thai", "arabic"]))
def test_numeric_dates_parse_back(d, sep, era, two_digit, digits):
    year = d.year + 543 if era == "be" else d.year
    if two_digit:
        if era == "ce" or not 2500 <= year <= 2599:
            return  # two-digit years are read as 25xx BE
        year_text = f"{year % 100:02d}"
    else:
        year_text = str(year)
    text = f"{d.day:02d}{sep}{d.month:02d}{sep}{year_text}"
    assert parse_date(thai_digits(text) if digits == "thai" else text) == d


@settings(max_examples=300, deadline=None)
@given(d=dates, month_style=st.sampled_from(["full", "abbr"]), digits=st.sampled_from(["thai", "arabic"]),
       era=st.sampled_from(["be", "ce"]))
def test_fiscal_year_of_a_written_date(d, month_style, digits, era):
    text = render(d, month_style=month_style, era=era, digits=digits, prefix=False)
    expected = d.year + 543 + (1 if d.month >= 10 else 0)
    assert fiscal_year_of(d) == expected
    assert fiscal_years_mentioned(text) == Counter({expected: 1})


@given(year_ce=st.integers(1950, 2150), digits=st.sampled_from(["thai", "arabic"]))
def test_fiscal_year_boundary_30_september_1_october(year_ce, digits):
    be = year_ce + 543
    last = render(dt.date(year_ce, 9, 30), month_style="abbr", era="be", digits=digits, prefix=False)
    first = render(dt.date(year_ce, 10, 1), month_style="full", era="be", digits=digits, prefix=False)
    assert fiscal_years_mentioned(last) == Counter({be: 1})
    assert fiscal_years_mentioned(first) == Counter({be + 1: 1})
    assert fiscal_years_mentioned(f"{last} ถึง {first}") == Counter({be: 1, be + 1: 1})


@given(year_be=st.integers(2500, 2599), digits=st.sampled_from(["thai", "arabic"]),
       form=st.sampled_from(["ปีงบประมาณ พ.ศ. {y}", "ประจำปีงบประมาณ {y}", "ปีงบประมาณ{y}", "ปีงบ {yy:02d}",
                             "ประจำปีงบประมาณ พ.ศ.{y}", "FY{ce}", "FY {y}", "fiscal year {ce}"]))
def test_fiscal_year_phrases(year_be, digits, form):
    text = form.format(y=year_be, yy=year_be % 100, ce=year_be - 543)
    text = thai_digits(text) if digits == "thai" else text
    mentions = find_year_mentions(f"รายงาน {text} ของหน่วยงาน")
    assert [(m.fiscal_year, m.kind) for m in mentions] == [(year_be, "fiscal")]


@pytest.mark.parametrize(("text", "expected"), [
    ("แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๘", {2568: 1}),
    ("ปีงบ 68", {2568: 1}),
    ("FY2025", {2568: 1}),
    ("FY25", {2568: 1}),
    ("รอบ 6 เดือน (1 ต.ค. 2567 - 31 มี.ค. 2568)", {2568: 2}),
    ("ข้อมูล ณ ต.ค. 67", {2568: 1}),
    ("มีนาคม 2568", {2568: 1}),
    ("รายงานประจำปี พ.ศ. 2567", {2567: 1}),
    ("ค.ศ. 2024", {2567: 1}),
    ("แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)", {2566: 1, 2567: 1, 2568: 1, 2569: 1, 2570: 1}),
    ("แผนพัฒนาท้องถิ่น พ.ศ. 2566-70", {2566: 1, 2567: 1, 2568: 1, 2569: 1, 2570: 1}),
    ("ผลการประเมิน ITA 2568", {2568: 1}),
    ("31/03/2568", {2568: 1}),
    ("2024-12-01", {2568: 1}),
    # not years
    ("© 2568 องค์การบริหารส่วนตำบล สงวนลิขสิทธิ์ พ.ศ. 2567", {}),
    ("Copyright 2024-2025", {}),
    ("ค่าใช้จ่าย 2,568 บาท และ 2568.50 บาท งบ 2500 บาท", {}),
    ("โทร 0 2568 1234", {}),
    ("จำนวน 45 คน ร้อยละ 12.5", {}),
    ("to be 50 and may 25 people", {}),
])
def test_examples(text, expected):
    assert dict(fiscal_years_mentioned(text)) == expected


def test_mentions_keep_the_text_and_kind():
    text = "ประกาศ ณ วันที่ ๑๕ มกราคม ๒๕๖๘ ตามแผนปีงบประมาณ 2568"
    mentions = find_year_mentions(text)
    assert [(m.kind, m.text) for m in mentions] == [("date", "๑๕ มกราคม ๒๕๖๘"), ("fiscal", "ปีงบประมาณ 2568")]


def test_to_be_year():
    assert to_be_year(2568) == 2568
    assert to_be_year(2025) == 2568
    assert to_be_year(68) == 2568
    assert to_be_year(25, two_digit="ce") == 2568
    assert to_be_year(2025, era="ce") == 2568
    assert to_be_year(2568, era="be") == 2568


def test_invalid_dates_are_skipped():
    assert parse_date("31 ก.พ. 2568") is None
    assert parse_date("30/02/2568") is None
    assert fiscal_years_mentioned("31 ก.พ. 2568") == Counter({2568: 1})  # still a month and year


def test_long_number_heavy_text_has_no_runaway_backtracking():
    """A guard against super-linear regular expressions (which would take minutes here), not a speed
    measurement: the checker's speed is measured by bench/evidence.py."""
    import time

    row = "โครงการที่ 12 งบประมาณ 495,000 บาท ลงนาม 12 ก.พ. 2568 สถานะ 3 "
    text = row * 2000  # ~130,000 characters
    start = time.perf_counter()
    counts = fiscal_years_mentioned(text)
    assert counts == Counter({2568: 2000})
    assert time.perf_counter() - start < 60
