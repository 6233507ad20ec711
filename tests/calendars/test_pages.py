"""The feed boxes on the personal page, the office page and the agency page: make an address (shown once),
renew, revoke; who sees which box; the how-to page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from itadesk.calendars.models import CalendarFeed
from itadesk.core.models import AuditEvent

FEED_URL = re.compile(r'value="(http://[^"]+/calendar/([A-Za-z0-9_-]+)\.ics)"')


def _shown(html: str):
    found = FEED_URL.search(html)
    return found.group(2) if found else None


def test_personal_address_is_made_shown_once_renewed_and_revoked(world, client):
    client.force_login(world.admin_a)
    page = client.get(reverse("calendars:mine")).content.decode()
    assert 'data-testid="calendar-create"' in page and _shown(page) is None

    response = client.post(reverse("calendars:user_new"), follow=True)
    html = response.content.decode()
    token = _shown(html)
    assert token and "webcal://" in html and "calendar.google.com" in html
    assert "สร้างที่อยู่ปฏิทินแล้ว" in html
    assert client.get(reverse("calendars:feed", args=[token])).status_code == 200
    again = client.get(reverse("calendars:mine")).content.decode()
    assert _shown(again) is None and 'data-testid="calendar-feed-live"' in again  # shown once only

    renewed = _shown(client.post(reverse("calendars:user_new"), follow=True).content.decode())
    assert renewed and renewed != token
    assert client.get(reverse("calendars:feed", args=[token])).status_code == 404
    client.post(reverse("calendars:user_revoke"))
    assert client.get(reverse("calendars:feed", args=[renewed])).status_code == 404
    assert not CalendarFeed.objects.filter(user=world.admin_a, revoked_at__isnull=True).exists()
    events = AuditEvent.objects.filter(action__startswith="calendar.", actor=world.admin_a)
    assert sorted(events.values_list("action", flat=True)) == ["calendar.create", "calendar.renew",
                                                              "calendar.revoke"]


def test_revoking_nothing_is_refused_with_a_message(world, client):
    client.force_login(world.exec_a)
    html = client.post(reverse("calendars:user_revoke"), follow=True).content.decode()
    assert "ยังไม่มีที่อยู่ปฏิทินให้ยกเลิก" in html
    assert not AuditEvent.objects.filter(action__startswith="calendar.").exists()


@pytest.mark.parametrize("who, shown", [("secretariat", True), ("local_officer", True), ("superuser", True)])
def test_office_page_box(world, client, who, shown):
    client.force_login(getattr(world, who))
    url = reverse("registry:office_detail", args=[world.local.pk])
    assert ('data-testid="calendar-feed-office"' in client.get(url).content.decode()) is shown
    html = client.post(reverse("calendars:office_new", args=[world.local.pk]), follow=True).content.decode()
    assert _shown(html)
    assert CalendarFeed.objects.get(office=world.local, revoked_at__isnull=True).created_by == getattr(world, who)


def test_agency_page_box_only_for_its_admin_and_the_secretariat(world, client):
    url = reverse("registry:agency_detail", args=[world.sao1.pk])
    for who, shown in [("admin_a", True), ("secretariat", True), ("exec_a", False), ("local_officer", False),
                       ("reviewer", False)]:
        client.force_login(getattr(world, who))
        assert ('data-testid="calendar-feed-agency"' in client.get(url).content.decode()) is shown, who
    client.force_login(world.admin_a)
    response = client.post(reverse("calendars:agency_new", args=[world.sao1.pk]), follow=True)
    assert response.redirect_chain[-1][0] == url  # back on the agency's page, where the address is shown
    assert _shown(response.content.decode())
    feed = CalendarFeed.objects.get(agency=world.sao1, revoked_at__isnull=True)
    assert feed.kind == "agency" and feed.user is None


def test_help_page_explains_google_outlook_and_iphone_in_thai(client):
    html = client.get(reverse("calendars:help")).content.decode()
    for text in ["Google Calendar", "Outlook", "iPhone", "จาก URL", "เพิ่มปฏิทินที่สมัครรับ", "17:00 น."]:
        assert text in html


@pytest.mark.parametrize(("days", "thai", "english"), [
    ([7, 1], "พร้อมเตือนล่วงหน้า 7 วัน และ 1 วัน", "with reminders 7 days and 1 day before"),
    ([1, 14, 3], "พร้อมเตือนล่วงหน้า 14 วัน, 3 วัน และ 1 วัน", "with reminders 14 days, 3 days and 1 day before"),
    ([2], "พร้อมเตือนล่วงหน้า 2 วัน", "with reminders 2 days before"),
    ([], "ไม่มีการเตือนล่วงหน้า", "without reminders"),
])
def test_pages_say_the_reminders_the_feeds_carry(world, client, settings, days, thai, english):
    settings.ITADESK_CALENDAR_ALARM_DAYS = days
    client.force_login(world.reviewer)
    assert thai in client.get(reverse("calendars:help")).content.decode()
    assert thai in client.get(reverse("calendars:mine")).content.decode()
    client.cookies["django_language"] = "en"
    assert english in client.get(reverse("calendars:help")).content.decode()


def test_whoami_links_to_my_calendar(world, client):
    client.force_login(world.reviewer)
    html = client.get(reverse("calendars:help")).content.decode()
    assert f'href="{reverse("calendars:mine")}" data-testid="my-calendar-link"' in html
