"""The pure feed writer: whatever the text (Thai, commas, semicolons, new lines, long lines), a calendar
parser reads back exactly what was written, at the same Bangkok times; the programme's session times."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from itadesk.calendars import ical

NOW = dt.datetime(2026, 12, 6, 1, 2, 3, tzinfo=dt.UTC)
# Any printable text; calendar text has no other control characters than the new line (and \r is folded
# into \n by every parser, so it is left out).
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\r") | st.just("\n"),
               min_size=1, max_size=300).filter(lambda s: s.strip() == s and s)
THAI = st.text(st.sampled_from("กขคงจฉชซญดตถทนบปผพฟภมยรลวศสหอฮะาำิีึืุูเแโใไ่้๊๋์ ๑๒๓,;:\\\n\"'"),
               min_size=1, max_size=400).filter(lambda s: s.strip() == s and s)
WHEN = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2037, 12, 31),
                    timezones=st.just(ical.BANGKOK))


@given(summary=TEXT | THAI, description=TEXT | THAI, location=THAI, start=WHEN,
       minutes=st.integers(0, 600), days=st.lists(st.integers(1, 30), max_size=3, unique=True))
def test_what_is_written_reads_back(summary, description, location, start, minutes, days):
    start = start.replace(microsecond=0)
    entry = ical.Entry(uid="itadesk-x-1@example.test", summary=summary, description=description,
                       location=location, start=start, end=start + dt.timedelta(minutes=minutes),
                       url="https://example.test/a?b=c;d", alarms=tuple(dt.timedelta(days=d) for d in days))
    data = ical.build(name="ปฏิทิน", uid="feed-1@example.test", entries=[entry], now=NOW)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded at 75 octets
    data.decode("utf-8")  # never a character cut in two
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == description
    assert str(event["LOCATION"]) == location
    assert event.start == start and event.start.utcoffset() == dt.timedelta(hours=7)
    assert event.end - event.start == dt.timedelta(minutes=minutes)
    assert sorted(a["TRIGGER"].dt for a in event.walk("VALARM")) == sorted(-dt.timedelta(days=d) for d in days)
    assert event["DTSTAMP"].dt == NOW


def test_all_day_entry_and_empty_feed_still_name_the_time_zone():
    data = ical.build(name="x", uid="u@x", entries=[ical.Entry(uid="a@x", summary="ประชุม",
                                                               start=dt.date(2026, 12, 24))], now=NOW)
    calendar = Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    assert event.start == dt.date(2026, 12, 24) and event.end == dt.date(2026, 12, 25)
    empty = Calendar.from_ical(ical.build(name="x", uid="u@x", entries=[], now=NOW))
    assert [tz.tz_name for tz in empty.timezones] == ["Asia/Bangkok"]
    assert b"X-WR-TIMEZONE:Asia/Bangkok" in data


@given(start=WHEN, sessions=st.lists(st.tuples(st.integers(0, 240), st.integers(0, 60)), max_size=8))
def test_programme_sessions_follow_each_other(start, sessions):
    times = ical.programme_times(start, sessions)
    assert len(times) == len(sessions)
    at = start
    for (s_start, s_end), (duration, break_after) in zip(times, sessions, strict=True):
        assert s_start == at and s_end - s_start == dt.timedelta(minutes=duration)
        at = s_end + dt.timedelta(minutes=break_after)
