"""The dashboards under the page cache and the clock: a dashboard is kept under the deadlines passed and the day
(Bangkok), not the minute; its countdowns are set afresh on every request; who is late changes exactly at a
deadline. The office's agency table is a URL of its own, kept the same way, with the dashboard's access."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from itadesk.core.thai import format_countdown
from itadesk.cycles import selectors, services
from itadesk.cycles.models import Status
from itadesk.registry.models import Agency

BKK = dt.timezone(dt.timedelta(hours=7))


def at(y, mo, d, h, mi=0, s=0):
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=BKK)


def countdowns(html: str) -> list[str]:
    return re.findall(r'<span class="countdown[^"]*" data-deadline="[^"]+" data-lang="\w*">([^<]*)</span>', html)


def get(client, url, when) -> str:
    with time_machine.travel(when, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_province_dashboard_is_kept_across_minutes_and_recomputed_at_the_deadline(world, client, page_cache_counts):
    client.force_login(world.secretariat)
    url = reverse("round_dashboard", args=[world.round.pk])
    counted = page_cache_counts("round_dashboard")
    before = get(client, url, at(2025, 1, 31, 16, 58))
    later = get(client, url, at(2025, 1, 31, 16, 59))  # a minute on: the same page from the cache...
    assert counted() == (1, 1)
    assert countdowns(before)[0] == "อีก 2 นาที" and countdowns(later)[0] == "อีก 1 นาที"  # ...its countdowns set anew
    assert 'data-testid="late-stakeholders"' not in later
    after = get(client, url, at(2025, 1, 31, 17, 0))  # the deadline: computed afresh, everybody late
    assert counted() == (1, 2)
    assert 'data-testid="late-stakeholders"' in after
    assert re.search(r'data-testid="late-count">\s*ล่าช้า 5 แห่ง', after)
    assert 'class="countdown fw-semibold overdue"' in after
    later = get(client, url, at(2025, 1, 31, 17, 1))
    assert counted() == (2, 2) and countdowns(later)[0] == "เลยกำหนด 1 นาที"


def test_every_countdown_of_a_cached_page_is_the_filter_s_words_at_the_request(world, client, page_cache_counts):
    client.force_login(world.secretariat)
    url = reverse("round_dashboard", args=[world.round.pk])
    counted = page_cache_counts("round_dashboard")
    get(client, url, at(2025, 3, 1, 13, 44, 10))  # kept five minutes at most (versions.TIMEOUT)
    when = at(2025, 3, 1, 13, 47)
    html = get(client, url, when)
    assert counted() == (1, 1)
    deadlines = [world.m1.deadline, world.m2.deadline, world.m3.deadline]
    expected = [format_countdown(d - when) for d in deadlines]
    found = countdowns(html)
    assert found[:3] == expected and expected[0] == "เลยกำหนด 28 วัน 20 ชั่วโมง"
    assert found[3:] == [format_countdown(world.m3.deadline - when)]  # the IIT/EIT follow-up's deadline
    client.cookies["django_language"] = "en"
    html = get(client, url, when)
    assert countdowns(html)[:3] == [format_countdown(d - when, lang="en") for d in deadlines]


def test_a_new_day_computes_the_follow_up_afresh(world, client, page_cache_counts):
    """The follow-up's days left and trend are by the day in Bangkok: the key changes at midnight."""
    client.force_login(world.secretariat)
    url = reverse("round_dashboard", args=[world.round.pk])
    counted = page_cache_counts("round_dashboard")
    get(client, url, at(2025, 3, 1, 23, 59))
    get(client, url, at(2025, 3, 1, 23, 59, 59))
    get(client, url, at(2025, 3, 2, 0, 0))
    assert counted() == (1, 2)


def test_a_moved_deadline_moves_who_is_late(world, client, page_cache_counts):
    client.force_login(world.local_officer)
    url = reverse("office_dashboard", args=[world.round.pk, world.local.pk])
    assert 'data-testid="late-oit"' not in get(client, url, at(2025, 3, 1, 9))
    world.m2.deadline = at(2025, 2, 28, 17)
    world.m2.save()
    html = get(client, url, at(2025, 3, 1, 9))
    assert 'data-testid="late-oit"' in html


def test_the_office_table_is_kept_and_recomputed_like_the_dashboard(world, client, page_cache_counts):
    services.set_progress(actor=world.admin_a, agency=world.sao1, milestone=world.m1, status=Status.DONE,
                          now=at(2025, 1, 20, 9))
    client.force_login(world.local_officer)
    url = reverse("office_agencies", args=[world.round.pk, world.local.pk]) + "?part=table"
    counted = page_cache_counts("office_agencies")
    before = get(client, url, at(2025, 1, 31, 16, 59))
    assert before.lstrip().startswith("<div") and "<html" not in before  # the table alone, for the dashboard's script
    assert "(ล่าช้า)" not in before
    assert get(client, url, at(2025, 1, 31, 16, 59, 30)) == before
    after = get(client, url, at(2025, 1, 31, 17, 0))
    assert after.count("(ล่าช้า)") == 2  # the two local governments not done
    assert counted() == (1, 2)
    # a write of progress shows at once
    services.set_progress(actor=world.admin_a, agency=world.sao2, milestone=world.m1, status=Status.DONE,
                          now=at(2025, 1, 31, 17, 1))
    assert get(client, url, at(2025, 1, 31, 17, 2)).count("(ล่าช้า)") == 1


def test_the_office_table_page_keeps_the_filters_and_the_dashboard_s_access(world, client):
    client.force_login(world.local_officer)
    dashboard = reverse("office_dashboard", args=[world.round.pk, world.local.pk])
    html = get(client, dashboard + "?kind=sao&sort=days", at(2025, 2, 3, 9))
    table_url = reverse("office_agencies", args=[world.round.pk, world.local.pk])
    assert f'href="{table_url}?kind=sao" data-testid="agency-table-link"' in html
    assert f'data-load="{table_url}?kind=sao&amp;part=table"' in html
    page = get(client, table_url + "?kind=sao", at(2025, 2, 3, 9))
    assert "<html" in page and world.sao1.name_th in page and world.pao.name_th not in page
    assert f'href="{dashboard}?kind=sao" data-testid="back-to-dashboard"' in page
    client.force_login(world.admin_a)  # an agency admin sees neither the dashboard nor its table
    for url in (dashboard, table_url, table_url + "?part=table"):
        assert client.get(url).status_code == 403
    other = reverse("office_agencies", args=[world.round.pk, world.nacc.pk])
    client.force_login(world.local_officer)  # another office's table: no
    assert client.get(other).status_code == 403


@pytest.mark.parametrize(("done", "late"), [
    (at(2025, 1, 31, 16, 59, 59) + dt.timedelta(microseconds=999_999), 0),
    (at(2025, 1, 31, 17, 0, 0), 1),
    (at(2025, 1, 31, 17, 0, 0) + dt.timedelta(microseconds=1), 1),
])
def test_done_late_is_counted_from_the_deadline_on(world, done, late):
    """"Done late" is compared in the database (done at or after the deadline), to the microsecond."""
    services.set_progress(actor=world.admin_a, agency=world.sao1, milestone=world.m1, status=Status.DONE, now=done)
    for agencies in (None, Agency.objects.filter(pk=world.sao1.pk)):  # the whole round, and through the subquery
        stat = selectors.round_dashboard(world.round, agencies, now=at(2025, 2, 1, 9))[0]
        assert (stat.done, stat.done_late) == (1, late)
