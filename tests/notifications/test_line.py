"""LINE: linking by a one-time code through the signed webhook, unlinking, digests pushed to a LINE Messaging
API server on 127.0.0.1 (a real HTTP server that checks the token and the payloads), the monthly quota, and
the settings page that never shows the secrets back."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import subprocess
import sys

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core.models import AuditEvent
from itadesk.notifications import delivery, services
from itadesk.notifications.models import Kind, LineAccount, LineLink, LinePush, LinkCode, Notification, State
from tests.notifications.servers import FakeLineAPI

SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "loei-channel-access-token"


@pytest.fixture
def line_api(settings, world):
    api = FakeLineAPI(token=TOKEN)
    settings.ITADESK_LINE_API_URL = api.url
    LineAccount.objects.create(province=world.province, channel_secret=SECRET, access_token=TOKEN, monthly_quota=10)
    yield api
    api.close()


def sign(body: str, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()).decode()


def event(kind: str, source: dict, **extra) -> dict:
    return {"type": kind, "timestamp": 1733400000000, "mode": "active", "webhookEventId": f"01J{kind}",
            "deliveryContext": {"isRedelivery": False}, "source": source, **extra}


def text_event(text: str, source: dict, reply_token: str = "reply-1") -> dict:
    return event("message", source, replyToken=reply_token,
                 message={"type": "text", "id": "m1", "text": text, "quoteToken": "qt"})


def post_webhook(client, events: list, secret: str = SECRET, signature: str | None = None):
    body = json.dumps({"destination": "Ubot", "events": events}, ensure_ascii=False)
    return client.post("/line/webhook/", data=body.encode(), content_type="application/json",
                       headers={"X-Line-Signature": signature if signature is not None else sign(body, secret)})


USER = {"type": "user", "userId": "U-admin-a"}
GROUP = {"type": "group", "groupId": "C-local-group", "userId": "U-someone"}


# ------------------------------------------------------------------------------------------ linking


def test_a_user_links_by_sending_the_code(world, line_api, client):
    client.force_login(world.admin_a)
    assert client.post("/notifications/line/code/").status_code == 302
    code = LinkCode.objects.get(user=world.admin_a)
    assert code.code in client.get("/notifications/").content.decode()

    assert post_webhook(client, [text_event(f"รหัส {code.code.lower()}", USER)]).status_code == 200
    link = LineLink.objects.get(user=world.admin_a)
    assert (link.line_id, link.province_id) == ("U-admin-a", world.province.pk)
    assert line_api.replies()[0]["replyToken"] == "reply-1"
    assert "เรียบร้อยแล้ว" in line_api.replies()[0]["messages"][0]["text"]
    assert AuditEvent.objects.filter(action="notifications.line_link").count() == 1
    # the code works once
    post_webhook(client, [text_event(code.code, {"type": "user", "userId": "U-other"}, "reply-2")])
    assert "ไม่ถูกต้องหรือหมดอายุ" in line_api.replies()[1]["messages"][0]["text"]
    assert LineLink.objects.count() == 1
    assert 'data-testid="line-linked"' in client.get("/notifications/").content.decode()


def test_an_expired_code_links_nothing(world, line_api, client):
    code = services.make_link_code(actor=world.admin_a, province=world.province, user=world.admin_a,
                                   now=timezone.now() - dt.timedelta(hours=1))
    post_webhook(client, [text_event(code.code, USER)])
    assert not LineLink.objects.exists() and "หมดอายุ" in line_api.replies()[0]["messages"][0]["text"]


def test_a_bad_signature_is_refused_and_does_nothing(world, line_api, client):
    code = services.make_link_code(actor=world.admin_a, province=world.province, user=world.admin_a)
    assert post_webhook(client, [text_event(code.code, USER)], secret="not-the-secret").status_code == 400
    assert post_webhook(client, [text_event(code.code, USER)], signature="").status_code == 400
    assert not LineLink.objects.exists() and line_api.calls == []
    assert LinkCode.objects.filter(pk=code.pk).exists()
    assert client.get("/line/webhook/").status_code == 405


def test_an_office_group_links_in_the_group_and_chat_is_ignored(world, line_api, client):
    client.force_login(world.local_officer)
    assert client.get(f"/registry/offices/{world.local.pk}/").content.decode().count('data-testid="office-line"') == 1
    client.post(f"/notifications/offices/{world.local.pk}/line/code/")
    code = LinkCode.objects.get(office=world.local)
    # the office's code sent in a 1:1 chat does not link a person
    post_webhook(client, [text_event(code.code, USER, "r1")])
    assert not LineLink.objects.exists() and "กลุ่ม" in line_api.replies()[0]["messages"][0]["text"]
    # ordinary chat in the group: no reply, nothing happens
    post_webhook(client, [text_event("ประชุมกี่โมงครับ", GROUP, "r2")])
    assert len(line_api.replies()) == 1
    post_webhook(client, [text_event(code.code, GROUP, "r3")])
    assert LineLink.objects.get(office=world.local).line_id == "C-local-group"
    assert 'data-testid="group-linked"' in client.get(f"/notifications/offices/{world.local.pk}/line/").content.decode()
    # the bot removed from the group: unlinked
    post_webhook(client, [event("leave", {"type": "group", "groupId": "C-local-group"})])
    assert not LineLink.objects.exists()


def test_unfollow_and_unlink_keep_queued_messages_visible(world, line_api, client):
    LineLink.objects.create(province=world.province, user=world.admin_a, line_id="U-admin-a")
    services.set_preferences(actor=world.admin_a, user=world.admin_a, choices={Kind.OIT_REVIEWED: "line"})
    with transaction.atomic():
        services.notify(services.Message(Kind.OIT_REVIEWED, "ข้อ o1 ส่งกลับ", "x"), province=world.province,
                        users=[world.admin_a])
    post_webhook(client, [event("unfollow", USER)])
    assert not LineLink.objects.exists()
    n = Notification.objects.get()
    assert n.state == State.FAILED and "LINE" in n.last_error  # never dropped silently
    # unlinking from the page
    LineLink.objects.create(province=world.province, user=world.admin_a, line_id="U-admin-a")
    client.force_login(world.admin_a)
    client.post("/notifications/line/unlink/")
    assert not LineLink.objects.exists()
    assert AuditEvent.objects.filter(action="notifications.line_unlink").count() == 2


# ------------------------------------------------------------------------------------------ digests and quota


def linked(world, *users):
    for i, user in enumerate(users):
        LineLink.objects.create(province=world.province, user=user, line_id=f"U-{i}")
        services.set_preferences(actor=user, user=user, choices={k: "line" for k in Kind.values})


def queue(world, user, subject, kind=Kind.ACTION_ASKED):
    with transaction.atomic():
        services.notify(services.Message(kind, subject, "เนื้อความ", services.site_url("/committee/actions/1/")),
                        province=world.province, users=[user])


def test_messages_are_collected_into_one_push(world, line_api):
    linked(world, world.admin_a)
    queue(world, world.admin_a, "ขอให้ส่งคำสั่งแต่งตั้งคณะทำงาน ITA")
    queue(world, world.admin_a, "รายงานผลการกำกับติดตามออกแล้ว", Kind.REPORT_ISSUED)
    now = timezone.now()
    assert delivery.deliver(now=now).pushes == 0  # the window is still open
    summary = delivery.deliver(now=now + dt.timedelta(minutes=11))
    assert (summary.pushes, summary.sent) == (1, 2)
    [push] = line_api.pushes()
    assert push["to"] == "U-0" and len(push["messages"]) == 1
    text = push["messages"][0]["text"]
    assert text.startswith("ITA Desk: แจ้งเตือน 2 เรื่อง")
    assert "ขอให้ส่งคำสั่งแต่งตั้งคณะทำงาน ITA" in text and "รายงานผลการกำกับติดตามออกแล้ว" in text
    assert "/committee/actions/1/" in text
    assert line_api.calls[0]["retry_key"]
    assert LinePush.objects.get().lines == 2
    assert set(Notification.objects.values_list("state", flat=True)) == {State.SENT}


def test_the_quota_stops_sending_and_keeps_messages_queued(world, line_api, client):
    LineAccount.objects.filter(province=world.province).update(monthly_quota=1)
    linked(world, world.admin_a, world.exec_a)
    queue(world, world.admin_a, "เรื่องที่หนึ่ง")
    queue(world, world.exec_a, "เรื่องที่สอง")
    later = timezone.now() + dt.timedelta(minutes=11)
    summary = delivery.deliver(now=later)
    assert (summary.pushes, summary.waiting) == (1, 1)
    waiting = Notification.objects.get(state=State.QUEUED)
    assert waiting.last_error == delivery.QUOTA_REACHED
    assert len(line_api.pushes()) == 1
    client.force_login(world.secretariat)
    page = client.get("/notifications/line/settings/").content.decode()
    assert 'data-testid="quota-reached"' in page and "<strong>1</strong> / 1" in page
    # a higher quota lets it go
    LineAccount.objects.filter(province=world.province).update(monthly_quota=5)
    assert delivery.deliver(now=later).pushes == 1
    waiting.refresh_from_db()
    assert waiting.state == State.SENT and len(line_api.pushes()) == 2


def test_line_down_or_a_wrong_token_is_retried(world, line_api):
    linked(world, world.admin_a)
    queue(world, world.admin_a, "เรื่องที่หนึ่ง")
    later = timezone.now() + dt.timedelta(minutes=11)
    line_api.fail_with = 500
    assert delivery.deliver(now=later).failed == 1
    n = Notification.objects.get()
    assert (n.state, n.attempts) == (State.FAILED, 1) and "500" in n.last_error
    line_api.fail_with = None
    LineAccount.objects.filter(province=world.province).update(access_token="wrong-token")
    delivery.deliver(now=later + dt.timedelta(minutes=2))
    n.refresh_from_db()
    assert (n.state, n.attempts) == (State.FAILED, 2) and "401" in n.last_error and line_api.rejected
    LineAccount.objects.filter(province=world.province).update(access_token=TOKEN)
    assert delivery.deliver(now=later + dt.timedelta(minutes=10)).sent == 1
    assert LinePush.objects.count() == 1  # only the push that got through counts against the quota


def test_digest_text_fits_one_line_message():
    rows = [Notification(subject="ข" * 300, link="https://ita.example/x") for _ in range(40)]
    text, carried = delivery.digest_text(rows)
    assert len(text) <= 5000 and 0 < len(carried) < 40


# ------------------------------------------------------------------------------------------ settings page


def test_settings_store_secrets_and_never_show_them(world, client, settings):
    client.force_login(world.secretariat)
    response = client.post("/notifications/line/settings/", {"channel_secret": SECRET, "access_token": TOKEN,
                                                              "monthly_quota": "300"})
    assert response.status_code == 302
    account = LineAccount.objects.get(province=world.province)
    assert (account.channel_secret, account.access_token, account.monthly_quota) == (SECRET, TOKEN, 300)
    page = client.get("/notifications/line/settings/").content.decode()
    assert SECRET not in page and TOKEN not in page and "••••cdef" in page
    assert "/line/webhook/" in page
    # empty fields keep the stored secrets; the quota changes
    client.post("/notifications/line/settings/", {"channel_secret": "", "access_token": "", "monthly_quota": "1000"})
    account.refresh_from_db()
    assert (account.channel_secret, account.access_token, account.monthly_quota) == (SECRET, TOKEN, 1000)
    event = AuditEvent.objects.filter(action="notifications.line_settings").last()
    assert SECRET not in json.dumps(event.before) + json.dumps(event.after)


@given(st.text(max_size=40), st.text(max_size=40), st.sampled_from(["", " ", "\n"]))
def test_a_code_is_found_wherever_it_stands_in_the_text(before, after, sep):
    code = services._new_code()
    before = "".join(c for c in before if c.upper() not in "ITA-" and c.lower() not in "ita-")
    assert services.find_code(f"{before}{sep}{code.lower()}{sep}{after}") == code
    assert services.find_code(before + sep + after.replace("-", "")) is None  # no "ITA-": ordinary chat


@given(st.lists(st.tuples(st.text(min_size=1, max_size=300), st.text(max_size=500)), min_size=1, max_size=60))
def test_a_digest_is_one_text_message_and_carries_the_first_rows(rows):
    notifications = [Notification(subject=s, link=link) for s, link in rows]
    text, carried = delivery.digest_text(notifications)
    assert 1 <= len(text) <= 5000 and carried == notifications[:len(carried)] and carried
    assert all(n.subject.strip() in text for n in carried)


def test_the_app_loads_without_the_line_sdk():
    """line-bot-sdk's models take about a second to import: every process that loads the app (gunicorn, each job
    worker, each ``itadesk`` command) would pay it although most never send a LINE message. It is imported when a
    LINE call is made (the tests above make them)."""
    code = ("import django, sys; django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
            "import itadesk.wsgi, itadesk.notifications.tasks; "
            "print(sorted(m for m in sys.modules if m.startswith('linebot')))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "itadesk.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
