"""Calendar feeds read by a calendar application: parsed back with ``icalendar``, the events, their Bangkok
times, reminders and stable UIDs; what each feed may hold; revoking and renewing the address."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from icalendar import Calendar

from itadesk.calendars import services
from itadesk.calendars.models import CalendarFeed
from itadesk.core.models import AuditEvent
from itadesk.core.thai import bangkok_datetime
from itadesk.cycles.services import save_milestone
from tests.calendars import cworld

BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.fixture
def cw(world):
    cache.clear()
    return cworld.build(world)


def token_for(kind, owner, actor):
    return services.create_feed(actor=actor, kind=kind, owner=owner)[1]


def fetch(client, token):
    client.logout()  # calendar applications send no cookies
    response = client.get(reverse("calendars:feed", args=[token]))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def kinds(calendar) -> dict[str, set[str]]:
    """UID kind → the summaries of that kind (itadesk-milestone-3@… → "milestone")."""
    found: dict[str, set[str]] = {}
    for uid, e in events(calendar).items():
        found.setdefault(uid.split("-")[1], set()).add(str(e["SUMMARY"]))
    return found


def test_user_feed_of_the_secretariat_has_deadlines_meetings_and_events(cw, client):
    calendar = fetch(client, token_for("user", cw.secretariat, cw.secretariat))
    assert calendar.timezones and calendar.timezones[0].tz_name == "Asia/Bangkok"
    by_uid = events(calendar)
    assert len(by_uid) == 5  # three deadlines, the meeting, the event

    oit = by_uid[next(u for u in by_uid if u.startswith(f"itadesk-milestone-{cw.m2.pk}@"))]
    start = oit.start
    assert start.tzinfo is not None and str(oit["DTSTART"].params["TZID"]) == "Asia/Bangkok"
    assert (start.year, start.month, start.day, start.hour, start.minute) == (2025, 4, 30, 17, 0)
    assert start.utcoffset() == dt.timedelta(hours=7)
    assert str(oit["SUMMARY"]) == "กำหนดส่ง: OIT (ITA 2568)"
    assert "กำหนดส่ง 30 เม.ย. 2568 17:00 น." in str(oit["DESCRIPTION"])
    assert str(oit["URL"]).endswith(reverse("round_dashboard", args=[cw.round.pk]))
    triggers = sorted(a["TRIGGER"].dt for a in oit.walk("VALARM"))
    assert triggers == [-dt.timedelta(days=7), -dt.timedelta(days=1)]
    assert all(str(a["ACTION"]) == "DISPLAY" for a in oit.walk("VALARM"))
    assert oit["DTSTAMP"] is not None

    meeting = by_uid[f"itadesk-meeting-{cw.meeting.pk}@127.0.0.1"]
    assert meeting.start == dt.datetime.combine(cw.meeting.date, dt.time(13, 30), tzinfo=BANGKOK)
    assert meeting.end - meeting.start == dt.timedelta(hours=2)
    assert str(meeting["LOCATION"]) == "ห้องประชุมศาลากลางจังหวัดเลย"
    assert "https://meet.example.test/ita" in str(meeting["DESCRIPTION"])
    assert str(meeting["URL"]).endswith(reverse("committee:meeting", args=[cw.meeting.pk]))
    assert meeting["LAST-MODIFIED"].dt == cw.meeting.updated_at.replace(microsecond=0)
    assert str(meeting["SUMMARY"]) == "ประชุมคณะกรรมการ ITA ครั้งที่ 1/2570: ติดตามผลการประเมิน"

    event = by_uid[f"itadesk-event-{cw.event.pk}@127.0.0.1"]
    assert event.start == dt.datetime.combine(cw.event.date, dt.time(8, 30), tzinfo=BANGKOK)
    assert event.end == dt.datetime.combine(cw.event.date, dt.time(16, 30), tzinfo=BANGKOK)
    description = str(event["DESCRIPTION"])
    assert "08.30–10.00 น. หัวข้อที่ 1 (วิทยากร, ป.ป.ช.จังหวัดเลย)" in description
    assert "13.00–14.30 น. หัวข้อที่ 4" in description
    assert str(event["URL"]).endswith(reverse("projects:event", args=[cw.event.pk]))


def test_uids_and_contents_are_stable_across_fetches(cw, client):
    token = token_for("user", cw.secretariat, cw.secretariat)
    first = fetch(client, token)
    cache.clear()  # built again, not served from the cache
    second = fetch(client, token)
    assert set(events(first)) == set(events(second))
    assert {u: str(e["SUMMARY"]) for u, e in events(first).items()} == \
        {u: str(e["SUMMARY"]) for u, e in events(second).items()}
    assert str(first["UID"]) == str(second["UID"])


@pytest.mark.parametrize("who, expected", [
    ("secretariat", {"milestone": 3, "meeting": 1, "event": 1}),
    ("nacc_officer", {"milestone": 3, "meeting": 1, "event": 1}),  # speaks at the event
    ("prov_officer", {"milestone": 3, "meeting": 1, "event": 1}),  # its project
    ("local_officer", {"milestone": 3, "meeting": 1}),
    ("reviewer", {"milestone": 3, "meeting": 1, "event": 1}),  # of the office that speaks
    ("admin_a", {"milestone": 3, "event": 1}),  # invited; agency users see no committee meeting
    ("admin_b", {"milestone": 3}),
    ("exec_a", {"milestone": 3}),  # the event page is for the agency's admin
    ("superuser", {"milestone": 4, "meeting": 2, "event": 2}),
])
def test_user_feed_holds_only_the_users_scope(cw, client, who, expected):
    user = getattr(cw, who)
    calendar = fetch(client, token_for("user", user, user))
    got = {kind: len(summaries) for kind, summaries in kinds(calendar).items()}
    assert got == expected
    if who != "superuser":
        text = calendar.to_ical().decode()
        assert "หนองคาย" not in text


def test_office_feed(cw, client):
    calendar = fetch(client, token_for("office", cw.nacc, cw.nacc_officer))
    assert {k: len(v) for k, v in kinds(calendar).items()} == {"milestone": 3, "meeting": 1, "event": 1}
    milestone = next(e for u, e in events(calendar).items() if "milestone" in u)
    assert f"/offices/{cw.nacc.pk}/" in str(milestone["URL"])
    local = fetch(client, token_for("office", cw.local, cw.secretariat))
    assert {k: len(v) for k, v in kinds(local).items()} == {"milestone": 3, "meeting": 1}


def test_agency_feeds_never_show_another_agencys_events(cw, client):
    sao1 = fetch(client, token_for("agency", cw.sao1, cw.admin_a))
    assert {k: len(v) for k, v in kinds(sao1).items()} == {"milestone": 3, "event": 1}
    milestone = next(e for u, e in events(sao1).items() if "milestone" in u)
    assert str(milestone["URL"]).endswith(reverse("agency_progress", args=[cw.round.pk, cw.sao1.pk]))
    pao = fetch(client, token_for("agency", cw.pao, cw.admin_b))
    assert {k: len(v) for k, v in kinds(pao).items()} == {"milestone": 3}
    other = fetch(client, token_for("agency", cw.other_agency, cw.superuser))
    text = other.to_ical().decode()
    assert {k: len(v) for k, v in kinds(other).items()} == {"milestone": 1, "event": 1}
    assert "เลย" not in text and "ประชุมหนองคาย" not in text  # no Loei data, and agencies get no meetings


def test_revoke_and_renew(cw, client):
    url = lambda t: reverse("calendars:feed", args=[t])  # noqa: E731
    old = token_for("user", cw.admin_a, cw.admin_a)
    assert client.get(url(old)).status_code == 200
    feed, new = services.create_feed(actor=cw.admin_a, kind="user", owner=cw.admin_a)  # renew
    assert client.get(url(old)).status_code == 404  # even though its text was cached
    assert client.get(url(new)).status_code == 200
    assert CalendarFeed.objects.filter(user=cw.admin_a, revoked_at__isnull=True).get() == feed
    services.revoke_feed(actor=cw.admin_a, kind="user", owner=cw.admin_a)
    assert client.get(url(new)).status_code == 404
    assert client.get(url("x" * 32)).status_code == 404
    actions = list(AuditEvent.objects.filter(action__startswith="calendar.").order_by("pk")
                   .values_list("action", flat=True))
    assert actions == ["calendar.create", "calendar.renew", "calendar.revoke"]
    stored = CalendarFeed.objects.values_list("token_hash", flat=True)
    assert old not in stored and new not in stored and all(len(h) == 64 for h in stored)
    assert all(new not in str(e.after) + str(e.before) + e.object_repr for e in AuditEvent.objects.all())


def test_a_deactivated_users_feed_is_gone(cw, client):
    token = token_for("user", cw.admin_a, cw.admin_a)
    cw.admin_a.is_active = False
    cw.admin_a.save()
    assert client.get(reverse("calendars:feed", args=[token])).status_code == 404


def test_feed_is_rate_limited(cw, client, settings):
    settings.ITADESK_CALENDAR_FEED_PER_MINUTE = 3
    token = token_for("agency", cw.sao1, cw.admin_a)
    codes = [client.get(reverse("calendars:feed", args=[token])).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_feed_is_built_with_few_queries_and_cached(cw, client, django_assert_max_num_queries,
                                                   django_assert_num_queries):
    token = token_for("user", cw.secretariat, cw.secretariat)
    path = reverse("calendars:feed", args=[token])
    # address, scope, deadlines (+ landings: 2), meetings, events + sessions, history (+ content types once)
    with django_assert_max_num_queries(10):
        client.get(path)
    with django_assert_num_queries(1):  # the address only: the text comes from the cache
        client.get(path)


def test_unchanged_feed_answers_304_and_head_is_allowed(cw, client):
    path = reverse("calendars:feed", args=[token_for("office", cw.local, cw.local_officer)])
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(path, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and not again.content
    assert client.head(path).status_code == 200


def test_a_moved_deadline_keeps_its_uid_and_counts_a_revision(cw, client):
    token = token_for("agency", cw.sao1, cw.admin_a)
    uid = f"itadesk-milestone-{cw.m2.pk}@127.0.0.1"
    before = events(fetch(client, token))[uid]
    assert before["SEQUENCE"] == 0
    save_milestone(actor=cw.secretariat, milestone=cw.m2, changes={"deadline": bangkok_datetime(2568, 5, 7, 17)})
    cache.clear()  # next refresh
    after = events(fetch(client, token))[uid]
    assert after["SEQUENCE"] == 1 and after["LAST-MODIFIED"].dt is not None
    assert (after.start.month, after.start.day, after.start.hour) == (5, 7, 17)
