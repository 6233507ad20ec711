"""The outbox: one row per recipient and channel by each user's choice, written with the hand-off (or not at
all), delivered after the commit, retried with back-off — and an SMTP server that is down, then up again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core.models import AuditEvent
from itadesk.evidence import snapshots
from itadesk.evidence.models import EvidenceItem
from itadesk.evidence.models import State as ItemState
from itadesk.notifications import delivery, services
from itadesk.notifications.models import Channel, Kind, LineLink, Notification, State
from tests.evidence.oit_world import setup_oit, to_submitted
from tests.notifications.servers import SMTPServer


@pytest.fixture
def w(world):
    setup_oit(world)
    return world


@pytest.fixture(autouse=True)
def no_snapshots(monkeypatch):
    """Snapshot jobs are the evidence app's, not ours: recorded instead of queued."""
    calls = []
    monkeypatch.setattr(snapshots, "schedule", lambda ids, reason: calls.append((list(ids), reason)))
    return calls


def message(kind=Kind.REPORT_ISSUED, subject="[ITA Desk] รายงานผลการกำกับติดตามออกแล้ว"):
    return services.Message(kind=kind, subject=subject, body="เนื้อความภาษาไทย", link=services.site_url("/reports/"))


def test_one_row_per_recipient_by_choice(w, mailoutbox, django_capture_on_commit_callbacks):
    services.set_preferences(actor=w.admin_a, user=w.admin_a, choices={Kind.REPORT_ISSUED: "none"})
    services.set_preferences(actor=w.exec_a, user=w.exec_a, choices={Kind.REPORT_ISSUED: "line"})  # not linked
    services.set_preferences(actor=w.nacc_officer, user=w.nacc_officer, choices={Kind.REPORT_ISSUED: "both"})
    LineLink.objects.create(province=w.province, user=w.nacc_officer, line_id="U-nacc")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            rows = services.notify(message(), province=w.province,
                                   users=[w.admin_a, w.exec_a, w.nacc_officer, w.local_officer],
                                   emails=["NACC@example.test", "nacc@example.test", "sao1@example.test"])
    got = sorted((n.channel, n.address) for n in rows)
    assert got == sorted([
        ("email", "exec-a@example.test"),  # chose LINE but has not linked it: the e-mail still comes
        ("email", "nacc@example.test"), ("line", "U-nacc"),  # both
        ("email", "local@example.test"),  # no choice: e-mail
        ("email", "sao1@example.test"),  # a plain address; NACC@… is the officer's own address again
    ])
    assert sorted(m.to[0] for m in mailoutbox) == sorted(a for c, a in got if c == "email")
    assert all(m.subject == "[ITA Desk] รายงานผลการกำกับติดตามออกแล้ว" for m in mailoutbox)
    assert Notification.objects.filter(channel=Channel.EMAIL, state=State.SENT).count() == 4
    # LINE waits for its digest window; nothing is lost meanwhile
    assert Notification.objects.get(channel=Channel.LINE).state == State.QUEUED


def test_several_messages_at_once_are_addressed_as_each_alone(w, django_capture_on_commit_callbacks):
    """``notify_all`` (an agency's submission to every office that follows it) reads the LINE links and the
    choices once for all the messages, and writes exactly the rows ``notify`` writes for each one alone: each
    user by their choice for that message's kind, each office's own address and its first linked group."""
    services.set_preferences(actor=w.nacc_officer, user=w.nacc_officer,
                             choices={Kind.OIT_SUBMITTED: "both", Kind.REPORT_ISSUED: "none"})
    services.set_preferences(actor=w.local_officer, user=w.local_officer, choices={Kind.OIT_SUBMITTED: "line"})
    LineLink.objects.create(province=w.province, user=w.nacc_officer, line_id="U-nacc")
    LineLink.objects.create(province=w.province, office=w.local, line_id="C-local-first")
    LineLink.objects.create(province=w.province, office=w.local, line_id="C-local-second")
    sends = [
        services.Send(message(Kind.OIT_SUBMITTED, "ส่งให้ตรวจ 1"), (w.nacc_officer,), ("nacc@example.test",), w.nacc),
        services.Send(message(Kind.OIT_SUBMITTED, "ส่งให้ตรวจ 2"), (w.local_officer, w.nacc_officer),
                      ("local-office@example.test",), w.local),
        services.Send(message(Kind.REPORT_ISSUED, "รายงาน"), (w.nacc_officer, w.admin_a), (), None),
    ]

    def rows(made):
        return sorted((n.subject, n.channel, n.address, n.user_id, n.office_id) for n in made)

    with django_capture_on_commit_callbacks(execute=False):
        with transaction.atomic():
            together = rows(services.notify_all(sends, province=w.province))
            transaction.set_rollback(True)
        with transaction.atomic():
            alone = rows([n for s in sends for n in services.notify(
                s.message, province=w.province, users=s.users, emails=s.emails, office=s.office)])
            transaction.set_rollback(True)
    assert together == alone
    assert ("ส่งให้ตรวจ 2", "line", "C-local-first", None, w.local.pk) in together
    assert ("ส่งให้ตรวจ 1", "line", "U-nacc", w.nacc_officer.pk, None) in together
    assert not [r for r in together if r[0] == "รายงาน" and r[3] == w.nacc_officer.pk]  # chose none for reports


def test_a_hand_off_that_rolls_back_leaves_no_message(w, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            services.notify(message(), province=w.province, users=[w.admin_a])
            raise RuntimeError("the hand-off failed")
    assert Notification.objects.count() == 0 and mailoutbox == []


def test_preferences_are_checked_and_recorded(w):
    from itadesk.core.services import Refused

    with pytest.raises(Refused):
        services.set_preferences(actor=w.admin_a, user=w.admin_a, choices={Kind.REPORT_ISSUED: "pigeon"})
    with pytest.raises(Refused):
        services.set_preferences(actor=w.admin_a, user=w.admin_a, choices={"nothing": "email"})
    choices = services.set_preferences(actor=w.admin_a, user=w.admin_a, choices={Kind.OIT_REVIEWED: "both"})
    assert choices[Kind.OIT_REVIEWED] == "both" and choices[Kind.REPORT_ISSUED] == "email"
    event = AuditEvent.objects.get(action="notifications.preferences")
    assert event.before == {Kind.OIT_REVIEWED: "email"} and event.after == {Kind.OIT_REVIEWED: "both"}


@given(st.integers(min_value=1, max_value=200))
def test_backoff_grows_and_is_bounded(attempts):
    wait = delivery.backoff(attempts)
    assert dt.timedelta(minutes=1) <= wait <= dt.timedelta(minutes=delivery.BACKOFF_MAX_MINUTES)
    assert delivery.backoff(attempts + 1) >= wait


def test_the_background_job_delivers(w, mailoutbox, settings, django_capture_on_commit_callbacks):
    """Outside tests the delivery runs in the job queue (here Huey in immediate mode: the same task)."""
    settings.ITADESK_NOTIFY_INLINE = False
    was = HUEY.immediate
    HUEY.immediate = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                services.notify(message(), province=w.province, users=[w.admin_a])
    finally:
        HUEY.immediate = was
    assert [m.to for m in mailoutbox] == [["admin-a@example.test"]]
    assert Notification.objects.get().state == State.SENT


# ------------------------------------------------------------------------------------------ SMTP down


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1, not started yet: the mail server is down."""
    server = SMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def test_smtp_down_then_up(w, smtp, django_capture_on_commit_callbacks):
    # The mail server is down: the hand-off (OIT items sent for pre-review) still happens…
    with django_capture_on_commit_callbacks(execute=True):
        items = to_submitted(w, ("o1", "o3"))
    assert {i.state for i in EvidenceItem.objects.filter(pk__in=[i.pk for i in items])} == {ItemState.SUBMITTED}
    # …and every message waits in the outbox as failed, with the error and the time of the next attempt.
    rows = list(Notification.objects.order_by("pk"))
    expected = {"nacc@example.test", "reviewer@example.test", "local@example.test", "local-promotion@example.test",
                "administration@example.test", "provincial-administration@example.test"}
    assert {n.address for n in rows} == expected
    for n in rows:
        assert (n.state, n.attempts) == (State.FAILED, 1)
        assert "refused" in n.last_error.lower() or "errno" in n.last_error.lower()
        assert n.next_attempt_at > timezone.now()

    # Before the back-off time nothing is tried again.
    assert delivery.deliver().attempted == 0
    # Still down at the next attempt: the back-off grows, nothing is dropped.
    later = timezone.now() + dt.timedelta(minutes=2)
    summary = delivery.deliver(now=later)
    assert summary.failed == len(expected) and summary.sent == 0
    assert set(Notification.objects.values_list("attempts", flat=True)) == {2}
    assert all(n.next_attempt_at >= later + dt.timedelta(minutes=5) for n in Notification.objects.all())

    # The server is back: the retry delivers every message, once.
    smtp.start()
    summary = delivery.deliver(now=later + dt.timedelta(minutes=6))
    assert summary.sent == len(expected) and summary.failed == 0
    assert sorted(r["to"][0] for r in smtp.received) == sorted(expected)
    assert all(n.state == State.SENT and n.last_error == "" for n in Notification.objects.all())
    first = smtp.received[0]["message"]
    assert str(first["Subject"]).strip() == "[ITA Desk] องค์การบริหารส่วนตำบลแก้วเมธี ส่งข้อมูล OIT ให้ตรวจ 2 ข้อ (ITA 2568)"
    assert "ข้อ o1" in first.get_body(("plain",)).get_content()
    assert delivery.deliver(now=later + dt.timedelta(days=1)).attempted == 0
    assert len(smtp.received) == len(expected)


def test_a_message_given_up_on_stays_visible_and_can_be_retried(w, smtp, django_capture_on_commit_callbacks,
                                                                  client):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            services.notify(message(), province=w.province, users=[w.admin_a])
    n = Notification.objects.get()
    Notification.objects.filter(pk=n.pk).update(attempts=delivery.MAX_ATTEMPTS - 1,
                                                next_attempt_at=timezone.now())
    delivery.deliver(now=timezone.now() + dt.timedelta(seconds=1))
    n.refresh_from_db()
    assert (n.state, n.attempts, n.next_attempt_at) == (State.FAILED, delivery.MAX_ATTEMPTS, None)
    assert delivery.deliver(now=timezone.now() + dt.timedelta(days=30)).attempted == 0  # no more by itself

    client.force_login(w.secretariat)
    page = client.get("/notifications/outbox/")
    assert f'data-testid="notification-{n.pk}"' in page.content.decode()
    smtp.start()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/notifications/{n.pk}/retry/", {"next": "/notifications/outbox/"})
    assert response.status_code == 302 and response["Location"] == "/notifications/outbox/"
    n.refresh_from_db()
    assert n.state == State.SENT and [r["to"] for r in smtp.received] == [["admin-a@example.test"]]
    assert AuditEvent.objects.filter(action="notifications.retry").count() == 1


def test_my_page_shows_my_failed_messages_only(w, smtp, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            services.notify(message(), province=w.province, users=[w.admin_a, w.admin_b])
    mine = Notification.objects.get(user=w.admin_a)
    other = Notification.objects.get(user=w.admin_b)
    client.force_login(w.admin_a)
    page = client.get("/notifications/").content.decode()
    assert f'data-testid="notification-{mine.pk}"' in page and f'data-testid="notification-{other.pk}"' not in page
    assert client.post(f"/notifications/{other.pk}/retry/").status_code == 403
    assert client.post(f"/notifications/{mine.pk}/retry/").status_code == 302


def test_muted_writes_nothing(w, mailoutbox, django_capture_on_commit_callbacks):
    """The demonstration data is loaded muted: its story's hand-offs notify nobody."""
    with django_capture_on_commit_callbacks(execute=True), services.muted():
        to_submitted(w, ("o1",))
    assert Notification.objects.count() == 0 and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            services.notify(message(), province=w.province, users=[w.admin_a])
    assert Notification.objects.count() == 1
