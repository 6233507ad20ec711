"""Delivering the outbox: e-mails one by one over one SMTP connection, LINE messages collected per recipient
into one push (a digest) so that a province stays within its plan's monthly quota.

A row is *claimed* (``claimed_until``) before it is sent, so two workers never send it twice. A failure sets
``state=failed``, counts the attempt, keeps the error and sets the next attempt with back-off (1, 5, 15 and 60
minutes, then every 3 hours); after ``MAX_ATTEMPTS`` the row waits for someone to press "retry" on the
notifications page. Nothing is dropped: a row leaves the outbox only by being sent.

LINE rows wait until the oldest one of a recipient is ``ITADESK_LINE_DIGEST_MINUTES`` old, then every waiting
row of that recipient goes in one push. When the province's pushes this month reach its quota, the rows stay
queued with the reason shown and go out the next month (or when the quota is raised).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from itadesk.core.thai import to_bangkok
from itadesk.notifications import line
from itadesk.notifications.models import Channel, LineAccount, LinePush, Notification, State

logger = logging.getLogger(__name__)

BACKOFF_MINUTES = [1, 5, 15, 60]
BACKOFF_MAX_MINUTES = 180
MAX_ATTEMPTS = 20
CLAIM_MINUTES = 10
QUOTA_REACHED = "ถึงโควตาข้อความ LINE ของเดือนนี้แล้ว รอส่งเดือนหน้า / monthly LINE quota reached"
NOT_SET_UP = "ยังไม่ได้ตั้งค่าบัญชี LINE Official Account ของจังหวัด / the province's LINE account is not set up"


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failure (1-based)."""
    index = max(attempts, 1) - 1
    minutes = BACKOFF_MINUTES[index] if index < len(BACKOFF_MINUTES) else BACKOFF_MAX_MINUTES
    return dt.timedelta(minutes=minutes)


@dataclass
class Summary:
    sent: int = 0
    failed: int = 0
    waiting: int = 0  # LINE rows held back (quota reached, account not set up)
    pushes: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.sent + self.failed + self.waiting

    def as_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed, "waiting": self.waiting, "pushes": self.pushes}


def _unclaimed(now) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def _due(now) -> Q:
    """Queued rows, and failed ones whose next attempt has come."""
    return Q(state=State.QUEUED) | Q(state=State.FAILED, next_attempt_at__lte=now)


def _claim(ids, now) -> list[int]:
    """Claim the rows that nobody else holds; the ids this worker now owns."""
    owned = []
    for pk in ids:
        if Notification.objects.filter(_unclaimed(now), pk=pk).update(
                claimed_until=now + dt.timedelta(minutes=CLAIM_MINUTES)):
            owned.append(pk)
    return owned


def _failed(ids, error: str, now) -> None:
    for n in Notification.objects.filter(pk__in=ids):
        n.attempts += 1
        n.state = State.FAILED
        n.last_error = error[:500]
        n.next_attempt_at = now + backoff(n.attempts) if n.attempts < MAX_ATTEMPTS else None
        n.claimed_until = None
        n.save(update_fields=["attempts", "state", "last_error", "next_attempt_at", "claimed_until"])


def deliver(*, ids=None, now=None) -> Summary:
    """Send what is due (only the rows ``ids`` when given, e.g. right after a hand-off)."""
    now = now or timezone.now()
    summary = Summary()
    _deliver_email(summary, ids, now)
    _deliver_line(summary, ids, now)
    return summary


# ------------------------------------------------------------------------------------------ e-mail


def _deliver_email(summary: Summary, ids, now) -> None:
    rows = Notification.objects.filter(_due(now), _unclaimed(now), channel=Channel.EMAIL)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    candidates = list(rows.order_by("created_at", "id").values_list("pk", flat=True)[:500])
    owned = _claim(candidates, now)
    if not owned:
        return
    connection = get_connection()
    try:
        for n in Notification.objects.filter(pk__in=owned).order_by("created_at", "id"):
            message = EmailMultiAlternatives(n.subject, n.body, settings.DEFAULT_FROM_EMAIL, [n.address],
                                             connection=connection)
            if n.html:
                message.attach_alternative(n.html, "text/html")
            try:
                message.send()
            except Exception as exc:  # SMTP down, refused recipient…: retried later, never lost
                logger.warning("E-mail %s to %s failed: %s", n.pk, n.address, exc)
                _failed([n.pk], f"{type(exc).__name__}: {exc}", now)
                summary.failed += 1
                summary.errors.append(str(exc))
                try:  # a broken connection is not reused for the next message
                    connection.close()
                except Exception:
                    pass
            else:
                Notification.objects.filter(pk=n.pk).update(
                    state=State.SENT, sent_at=timezone.now(), attempts=n.attempts + 1, claimed_until=None,
                    next_attempt_at=None, last_error="")
                summary.sent += 1
    finally:
        try:
            connection.close()
        except Exception:
            pass


# ------------------------------------------------------------------------------------------ LINE


def month_start(now) -> dt.datetime:
    """The first instant of ``now``'s month in Bangkok (LINE counts a month in the account's time zone)."""
    local = to_bangkok(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def pushes_this_month(province_id, now=None) -> int:
    now = now or timezone.now()
    return LinePush.objects.filter(province_id=province_id, sent_at__gte=month_start(now)).count()


def digest_text(rows: list[Notification]) -> tuple[str, list[Notification]]:
    """One text message for several notifications of one recipient (Thai, with links back), and the rows
    it carries (those that do not fit wait for the next push)."""
    if len(rows) == 1:
        n = rows[0]
        return (f"ITA Desk: {n.subject}\n{n.link}".strip()[:line.TEXT_LIMIT], rows)
    head = f"ITA Desk: แจ้งเตือน {len(rows)} เรื่อง"
    parts, carried = [], []
    for i, n in enumerate(rows, 1):
        part = f"{i}. {n.subject}" + (f"\n{n.link}" if n.link else "")
        if len(head) + sum(len(p) + 2 for p in parts) + len(part) + 2 > line.TEXT_LIMIT - 50:
            break
        parts.append(part)
        carried.append(n)
    head = f"ITA Desk: แจ้งเตือน {len(carried)} เรื่อง"
    return head + "\n\n" + "\n\n".join(parts), carried


def _deliver_line(summary: Summary, ids, now) -> None:  # noqa: ARG001 — LINE goes by window, not by ids
    window = dt.timedelta(minutes=settings.ITADESK_LINE_DIGEST_MINUTES)
    waiting = Notification.objects.filter(_due(now), _unclaimed(now), channel=Channel.LINE)
    ripe = waiting.filter(Q(state=State.FAILED) | Q(created_at__lte=now - window))
    recipients = set(ripe.values_list("province_id", "address"))
    if not recipients:
        return
    accounts = {a.province_id: a for a in LineAccount.objects.filter(province_id__in={p for p, _ in recipients})}
    by_recipient = defaultdict(list)
    for n in waiting.filter(province_id__in={p for p, _ in recipients}).order_by("created_at", "id"):
        if (n.province_id, n.address) in recipients:
            by_recipient[(n.province_id, n.address)].append(n)
    used = {}
    for (province_id, address), rows in by_recipient.items():
        account = accounts.get(province_id)
        if account is None or not account.ready:
            _hold(rows, NOT_SET_UP, summary)
            continue
        if province_id not in used:
            used[province_id] = pushes_this_month(province_id, now)
        if used[province_id] >= account.monthly_quota:
            _hold(rows, QUOTA_REACHED, summary)
            continue
        text, carried = digest_text(rows)
        owned = set(_claim([n.pk for n in carried], now))
        carried = [n for n in carried if n.pk in owned]
        if not carried:
            continue
        if len(carried) != len(owned):  # someone else took part of it: build the text of what we hold
            text, carried = digest_text(carried)
        try:
            line.push_text(account.access_token, address, text, retry_key=str(uuid.uuid4()))
        except line.LineError as exc:
            logger.warning("LINE push to %s failed: %s", address, exc)
            _failed([n.pk for n in carried], str(exc), now)
            summary.failed += len(carried)
            summary.errors.append(str(exc))
            continue
        with transaction.atomic():
            push = LinePush.objects.create(province_id=province_id, to=address, sent_at=timezone.now(),
                                           lines=len(carried))
            Notification.objects.filter(pk__in=[n.pk for n in carried]).update(
                state=State.SENT, sent_at=push.sent_at, push=push, claimed_until=None, next_attempt_at=None,
                last_error="")
            for n in carried:
                Notification.objects.filter(pk=n.pk).update(attempts=n.attempts + 1)
        used[province_id] += 1
        summary.sent += len(carried)
        summary.pushes += 1


def _hold(rows, reason: str, summary: Summary) -> None:
    """Keep the rows queued with the reason they wait (shown on the notifications pages)."""
    Notification.objects.filter(pk__in=[n.pk for n in rows], state=State.QUEUED).update(last_error=reason)
    Notification.objects.filter(pk__in=[n.pk for n in rows], state=State.FAILED).update(
        state=State.QUEUED, last_error=reason, next_attempt_at=None)
    summary.waiting += len(rows)
