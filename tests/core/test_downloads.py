"""Download names: Bangkok time, Buddhist-era dates, RFC 6266 headers with an ASCII fallback."""

import datetime as dt
import re
from urllib.parse import unquote

import time_machine
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core.downloads import ascii_fallback, be_date, content_disposition, download_name

LATE_EVENING_UTC = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)  # 7 Dec 2569 06:30 in Bangkok


def test_name_carries_the_next_bangkok_day_with_a_be_year():
    assert download_name("progress-2570", "xlsx", when=LATE_EVENING_UTC) == "progress-2570-2569-12-07-0630.xlsx"
    assert download_name("ความคืบหน้า", ".xlsx", when=LATE_EVENING_UTC) == "ความคืบหน้า-2569-12-07-0630.xlsx"
    assert be_date(dt.date(2024, 12, 24)) == "2567-12-24"


def test_thai_names_get_filename_star_and_an_ascii_fallback():
    header = content_disposition("ความคืบหน้า-2569-12-07-0630.xlsx")
    assert header.startswith('attachment; filename="itadesk-2569-12-07-0630.xlsx"; filename*=UTF-8\'\'')
    assert unquote(header.split("UTF-8''")[1]) == "ความคืบหน้า-2569-12-07-0630.xlsx"
    assert content_disposition("a.pdf", inline=True) == 'inline; filename="a.pdf"'
    assert content_disposition('x"/\\y.pdf') == 'attachment; filename="x-y.pdf"'


@given(st.text(min_size=1, max_size=40), st.sampled_from(["xlsx", "pdf", "csv", "png"]))
def test_headers_are_always_safe(stem, ext):
    name = download_name(stem, ext, when=LATE_EVENING_UTC)
    header = content_disposition(name)
    header.encode("latin-1")  # an HTTP header value: no raw non-ASCII, no control characters
    assert "\n" not in header and "\r" not in header
    fallback = re.search(r'filename="([^"]*)"', header).group(1)
    assert fallback.isascii() and fallback.endswith(f".{ext}") and "/" not in fallback
    if "filename*=" in header:
        assert unquote(header.split("UTF-8''")[1]) == name
    assert ascii_fallback(name).endswith("2569-12-07-0630." + ext)


def test_a_real_export_at_23_30_utc_is_named_for_the_next_bangkok_day(client, world):
    client.force_login(world.secretariat)
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        response = client.get(reverse("progress_export", args=[world.round.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="progress-2568-2569-12-07-0630.xlsx"'
