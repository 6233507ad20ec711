import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from itadesk.core import thai

UTC = dt.UTC


def test_deadline_in_be_and_bangkok_time():
    deadline = thai.bangkok_datetime(2568, 1, 31, 17)
    assert deadline.astimezone(UTC) == dt.datetime(2025, 1, 31, 10, 0, tzinfo=UTC)
    assert thai.format_date(deadline) == "31 ม.ค. 2568 17:00 น."
    assert thai.format_date(deadline, style="full", digits="thai", with_time=False) == "๓๑ มกราคม ๒๕๖๘"
    assert thai.format_date(deadline, lang="en") == "31 Jan 2568 BE 17:00"
    assert thai.format_date(deadline, style="full", weekday=True, with_time=False) == "วันศุกร์ที่ 31 มกราคม 2568"


def test_utc_instant_is_shown_in_bangkok():
    # 20:30 UTC on 31 Dec 2024 is already 1 Jan 2568 BE in Bangkok
    assert thai.format_date(dt.datetime(2024, 12, 31, 20, 30, tzinfo=UTC)) == "1 ม.ค. 2568 03:30 น."


def test_fiscal_year():
    assert thai.fiscal_year_of(dt.date(2024, 10, 1)) == 2568
    assert thai.fiscal_year_of(dt.date(2024, 9, 30)) == 2567
    assert thai.fiscal_year_of(dt.date(2025, 9, 30)) == 2568
    assert thai.fiscal_year_bounds(2568) == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))
    # 30 Sep 2024 20:00 UTC is 1 Oct 2024 in Bangkok: the next fiscal year
    assert thai.fiscal_year_of(dt.datetime(2024, 9, 30, 20, 0, tzinfo=UTC)) == 2568


def test_countdown_words():
    assert thai.format_countdown(dt.timedelta(days=12, hours=5, minutes=7)) == "อีก 12 วัน 5 ชั่วโมง"
    assert thai.format_countdown(dt.timedelta(hours=3, minutes=4)) == "อีก 3 ชั่วโมง 4 นาที"
    assert thai.format_countdown(-dt.timedelta(days=3, hours=2)) == "เลยกำหนด 3 วัน 2 ชั่วโมง"
    assert thai.format_countdown(dt.timedelta(days=1), lang="en") == "1 d 0 h left"
    # the minute either side of the deadline: never "0 minutes left" while there is still time
    assert thai.format_countdown(dt.timedelta(seconds=59)) == "อีกไม่ถึง 1 นาที"
    assert thai.format_countdown(dt.timedelta(0)) == "อีกไม่ถึง 1 นาที"
    assert thai.format_countdown(-dt.timedelta(seconds=1)) == "เลยกำหนดไม่ถึง 1 นาที"
    assert thai.format_countdown(dt.timedelta(seconds=30), lang="en") == "under 1 min left"
    assert thai.format_countdown(-dt.timedelta(seconds=30), lang="en") == "under 1 min overdue"
    assert thai.format_countdown(dt.timedelta(seconds=61)) == "อีก 1 นาที"


@given(st.integers(min_value=0, max_value=10**12))
def test_digits_round_trip(n):
    text = thai.thai_digits(n)
    assert not any(c.isascii() and c.isdigit() for c in text)
    assert int(thai.arabic_digits(text)) == n


@given(st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=st.just(UTC)))
def test_be_year_and_fiscal_year_are_consistent(value):
    local = thai.to_bangkok(value)
    fy = thai.fiscal_year_of(value)
    start, end = thai.fiscal_year_bounds(fy)
    assert start <= local.date() <= end
    assert thai.format_date(value).split()[2] == str(local.year + 543)


@given(st.timedeltas(min_value=dt.timedelta(days=-400), max_value=dt.timedelta(days=400)))
def test_split_duration_adds_up(delta):
    d, h, m = thai.split_duration(abs(delta))
    assert 0 <= h < 24 and 0 <= m < 60
    assert d * 86400 + h * 3600 + m * 60 == int(abs(delta).total_seconds()) // 60 * 60
    words = thai.format_countdown(delta)
    assert words.startswith("เลยกำหนด" if delta.total_seconds() < 0 else "อีก")
    assert " 0 นาที" not in words
