"""The one notification service: every hand-off writes its messages here, in its own transaction.

``notify(message, province=…, users=…, emails=…, office=…)`` writes one outbox row (``Notification``) per
recipient and channel — by each user's choice for the message's kind (e-mail by default; LINE when the user
linked their LINE account; both; none) — plus the plain addresses given (an office's or an agency's own
e-mail) and the office's linked LINE group. Delivery starts after the hand-off commits
(``itadesk.notifications.delivery``); a failed delivery is retried with back-off and stays visible.

Also here: the user's preferences, the province's LINE Official Account settings, the one-time link codes and
linking/unlinking LINE users and groups. Each write is one transaction and one history event.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from itadesk.accounts.models import OFFICE_ROLES, Membership, Role
from itadesk.core import audit
from itadesk.core.services import Refused
from itadesk.notifications import tasks
from itadesk.notifications.models import (
    Channel,
    Choice,
    Kind,
    LineAccount,
    LineLink,
    LinkCode,
    Notification,
    Preference,
    State,
)

logger = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_PREFIX = "ITA-"
CODE_MINUTES = 30


@dataclass
class Message:
    """What a hand-off says, in Thai: ``subject`` (one line, also the line of a LINE digest), ``body`` (plain
    text of the e-mail), optional ``html``, and ``link``: the page to open, as an absolute URL."""

    kind: str
    subject: str
    body: str
    link: str = ""
    html: str = ""


_muted = contextvars.ContextVar("notifications_muted", default=False)


@contextlib.contextmanager
def muted():
    """Inside this block ``notify`` writes nothing: for records entered after the fact, such as the demonstration
    data, whose hand-offs happened in a story, not to anyone."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def site_url(path: str) -> str:
    """An absolute link back to ITA Desk."""
    return settings.SITE_URL.rstrip("/") + path


# ------------------------------------------------------------------------------------------ preferences


def choices_for(user) -> dict[str, str]:
    """The user's choice per kind (e-mail where none is stored)."""
    stored = dict(Preference.objects.filter(user=user).values_list("kind", "choice"))
    return {kind: stored.get(kind, Choice.EMAIL) for kind in Kind.values}


@transaction.atomic
def set_preferences(*, actor, user, choices: dict[str, str]) -> dict[str, str]:
    """Store the user's channel for each kind given; unknown kinds or channels are refused."""
    before = choices_for(user)
    for kind, choice in choices.items():
        if kind not in Kind.values:
            raise Refused(_("Unknown kind of message: %(kind)s") % {"kind": kind})
        if choice not in Choice.values:
            raise Refused(_("Unknown channel: %(choice)s") % {"choice": choice}, field=kind)
    for kind, choice in choices.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"choice": choice})
    after = choices_for(user)
    if after != before:
        audit.record(actor=actor, action="notifications.preferences", obj=user,
                     before={k: v for k, v in before.items() if after[k] != v},
                     after={k: v for k, v in after.items() if before[k] != v})
    return after


# ------------------------------------------------------------------------------------------ writing the outbox


@dataclass(frozen=True)
class Send:
    """One message and whom it goes to (see ``notify``)."""

    message: Message
    users: tuple = ()
    emails: tuple = ()
    office: object = None


def notify(message: Message, *, province, users=(), emails=(), office=None,
           after_commit: bool = True) -> list[Notification]:
    """Write the outbox rows of one message (call it inside the hand-off's transaction: the rows commit, or
    roll back, with the hand-off) and deliver them after the commit.

    ``users``: active users to reach by their own choice for ``message.kind`` (a user who chose LINE but has
    not linked LINE gets the e-mail instead, so nothing is lost); ``emails``: plain addresses (an office's or
    an agency's own) that always get the e-mail; ``office``: the office whose linked LINE group gets it.
    ``after_commit=False``: the caller (a background job such as the reminders) delivers the rows itself with
    ``delivery.deliver(ids=…)``."""
    return notify_all([Send(message, tuple(users), tuple(emails), office)], province=province,
                      after_commit=after_commit)


def notify_all(sends: list[Send], *, province, after_commit: bool = True) -> list[Notification]:
    """``notify`` for several messages of one province at once (an agency's submission to every office that
    follows it): the recipients' LINE links and choices read once for all of them, the rows written in one
    insert. Each message is addressed exactly as ``notify`` addresses it alone."""
    if _muted.get():
        return []
    province_id = getattr(province, "pk", province)
    sends = [Send(s.message, tuple(u for u in dict.fromkeys(s.users) if u is not None and u.is_active),
                  tuple(s.emails), s.office) for s in sends]
    user_ids = {u.pk for s in sends for u in s.users}
    office_ids = {getattr(s.office, "pk", s.office) for s in sends if s.office is not None}
    line_by_user: dict = {}
    groups: dict = {}
    if user_ids or office_ids:  # the users' LINE accounts and the offices' groups in one query
        for user_id, office_id, line_id in (LineLink.objects.filter(province_id=province_id)
                                            .filter(Q(user_id__in=user_ids) | Q(office_id__in=office_ids))
                                            .order_by("id").values_list("user_id", "office_id", "line_id")):
            if user_id is not None:  # a link has one owner (line_link_one_owner): a user, or an office
                line_by_user[user_id] = line_id
            else:
                groups.setdefault(office_id, line_id)  # an office's first linked group
    stored = {(user_id, kind): choice for user_id, kind, choice in Preference.objects.filter(
        user_id__in=user_ids, kind__in={s.message.kind for s in sends}).values_list("user_id", "kind", "choice")
    } if user_ids else {}
    rows = []
    for send in sends:
        rows.extend(_rows(send, province_id, line_by_user, groups, stored))
    if not rows:
        return []
    made = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in made]  # both databases return the new ids from a bulk insert
    if after_commit:
        transaction.on_commit(lambda: deliver_soon(ids))
    return made


def _rows(send: Send, province_id, line_by_user: dict, groups: dict, stored: dict) -> list[Notification]:
    """The outbox rows of one message: each user by their choice, the plain addresses, the office's group."""
    message, office = send.message, send.office
    rows, seen_emails = [], set()

    def row(channel, address, user=None, office_=None):
        rows.append(Notification(province_id=province_id, kind=message.kind, channel=channel, user=user,
                                 office=office_, address=address, subject=message.subject[:300],
                                 body=message.body, html=message.html, link=message.link[:500]))

    for user in send.users:
        choice = stored.get((user.pk, message.kind), Choice.EMAIL)
        line_id = line_by_user.get(user.pk)
        want_email = choice in (Choice.EMAIL, Choice.BOTH) or (choice == Choice.LINE and not line_id)
        email = (user.email or "").strip()
        if want_email and email and email.lower() not in seen_emails:
            seen_emails.add(email.lower())
            row(Channel.EMAIL, email, user=user)
        if choice in (Choice.LINE, Choice.BOTH) and line_id:
            row(Channel.LINE, line_id, user=user)
    for email in send.emails:
        email = (email or "").strip()
        if email and email.lower() not in seen_emails:
            seen_emails.add(email.lower())
            row(Channel.EMAIL, email, office_=office)
    group = groups.get(getattr(office, "pk", office)) if office is not None else None
    if group:
        row(Channel.LINE, group, office_=office)
    return rows


def _members(**where) -> list:
    return [ms.user for ms in Membership.objects.filter(user__is_active=True, **where).select_related("user")
            .order_by("user_id")]


def notify_office(message: Message, office, *, roles=OFFICE_ROLES) -> list[Notification]:
    """To an office: its officers and reviewers (by their own choices), its own address and its LINE group."""
    return notify(message, province=office.province_id, users=_members(office=office, role__in=roles),
                  emails=[office.email], office=office)


def notify_agency(message: Message, agency, *, roles=(Role.AGENCY_ADMIN,)) -> list[Notification]:
    """To an agency: its admins (or the roles given) and the agency's own address."""
    return notify(message, province=agency.province_id, users=_members(agency=agency, role__in=roles),
                  emails=[agency.email])


def notify_secretariat(message: Message, province) -> list[Notification]:
    """To the committee secretariat of the province."""
    province_id = getattr(province, "pk", province)
    return notify(message, province=province_id, users=_members(province_id=province_id, role=Role.SECRETARIAT))


def deliver_soon(ids: list[int]) -> None:
    """After the commit: deliver now in this process (tests, immediate mode) or queue the background job.
    A queue that is down leaves the rows queued; the periodic job sends them."""
    try:
        if settings.ITADESK_NOTIFY_INLINE:
            tasks.deliver.call_local(ids)
        else:
            tasks.deliver(ids)
    except Exception:  # the hand-off already happened; the rows stay in the outbox for the periodic job
        logger.exception("could not deliver notifications %s now", ids)


# ------------------------------------------------------------------------------------------ retry by hand


@transaction.atomic
def retry_now(*, actor, notification: Notification) -> Notification:
    """Put a failed (or waiting) message back at the head of the queue."""
    notification = Notification.objects.select_for_update(of=("self",)).get(pk=notification.pk)
    if notification.state == State.SENT:
        raise Refused(_("This message was already sent."))
    before = {"state": notification.state, "next_attempt_at": audit._plain(notification.next_attempt_at)}
    notification.next_attempt_at = timezone.now()
    notification.claimed_until = None
    notification.save(update_fields=["next_attempt_at", "claimed_until"])
    audit.record(actor=actor, action="notifications.retry", obj=notification, before=before,
                 after={"state": notification.state, "next_attempt_at": audit._plain(notification.next_attempt_at)})
    ids = [notification.pk]
    transaction.on_commit(lambda: deliver_soon(ids))
    return notification


# ------------------------------------------------------------------------------------------ LINE settings


def mask(secret: str) -> str:
    """A stored secret as the settings page shows it: never in full."""
    if not secret:
        return ""
    return "••••" + secret[-4:] if len(secret) > 8 else "••••"


@transaction.atomic
def save_line_account(*, actor, province, channel_secret: str = "", access_token: str = "",
                      monthly_quota: int, clear: bool = False) -> LineAccount:
    """Set the province's LINE Official Account. An empty secret or token keeps the stored one (the page never
    shows them back); ``clear`` removes both."""
    account, _created = LineAccount.objects.select_for_update(of=("self",)).get_or_create(province=province)
    before = {"channel_secret": mask(account.channel_secret), "access_token": mask(account.access_token),
              "monthly_quota": account.monthly_quota}
    if monthly_quota is None or monthly_quota < 0:
        raise Refused(_("The monthly quota must be 0 or more."), field="monthly_quota")
    channel_secret, access_token = (channel_secret or "").strip(), (access_token or "").strip()
    if clear:
        account.channel_secret = account.access_token = ""
    if channel_secret:
        if len(channel_secret) > 100 or any(c.isspace() for c in channel_secret):
            raise Refused(_("The channel secret is not valid."), field="channel_secret")
        account.channel_secret = channel_secret
    if access_token:
        if len(access_token) > 500 or any(c.isspace() for c in access_token):
            raise Refused(_("The channel access token is not valid."), field="access_token")
        account.access_token = access_token
    account.monthly_quota = monthly_quota
    account.save()
    after = {"channel_secret": mask(account.channel_secret), "access_token": mask(account.access_token),
             "monthly_quota": account.monthly_quota}
    if after != before:
        audit.record(actor=actor, action="notifications.line_settings", obj=account, before=before, after=after)
    return account


# ------------------------------------------------------------------------------------------ LINE links


def _new_code() -> str:
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


@transaction.atomic
def make_link_code(*, actor, province, user=None, office=None, now=None) -> LinkCode:
    """A fresh one-time code for the user (or the office's LINE group); earlier codes of the same owner end."""
    if (user is None) == (office is None):
        raise ValueError("a link code is for a user or for an office")
    now = now or timezone.now()
    (LinkCode.objects.filter(user=user) if user is not None else LinkCode.objects.filter(office=office)).delete()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return LinkCode.objects.create(province=province, code=_new_code(), user=user, office=office,
                                               expires_at=now + dt.timedelta(minutes=CODE_MINUTES))
        except IntegrityError:
            continue
    raise RuntimeError("could not make a unique link code")


def _link_record(actor, link: LineLink, linked: bool, via: str) -> None:
    after = {"province": link.province_id, "line": "user" if link.user_id else "group", "via": via}
    if linked:
        audit.record(actor=actor, action="notifications.line_link", obj=link.user or link.office, after=after)
    else:
        audit.record(actor=actor, action="notifications.line_unlink", obj=link.user or link.office, after=after)


@dataclass
class LinkResult:
    ok: bool
    reply: str  # what the bot answers, in Thai
    link: LineLink | None = None


def link_by_code(*, province, text: str, line_id: str, is_group: bool, now=None) -> LinkResult | None:
    """The bot received ``text`` from ``line_id`` (a user, or a group/room). None when the text holds no code
    (ordinary chat in a group is ignored); otherwise what to reply."""
    code = find_code(text)
    if code is None:
        return None
    now = now or timezone.now()
    with transaction.atomic():
        found = (LinkCode.objects.select_for_update(of=("self",)).select_related("user", "office")
                 .filter(province=province, code=code, expires_at__gt=now).first())
        if found is None:
            return LinkResult(False, "รหัสนี้ไม่ถูกต้องหรือหมดอายุแล้ว กรุณาขอรหัสใหม่ในหน้า ITA Desk แล้วส่งมาอีกครั้ง")
        if found.office_id and not is_group:
            return LinkResult(False, "รหัสนี้ใช้ผูกกลุ่ม LINE ของหน่วยงาน กรุณาเชิญบัญชีนี้เข้ากลุ่มแล้วส่งรหัสในกลุ่ม")
        if found.user_id and is_group:
            return LinkResult(False, "รหัสนี้ใช้ผูกบัญชี LINE ส่วนตัว กรุณาส่งรหัสในแชตส่วนตัวกับบัญชีนี้")
        LineLink.objects.filter(province=province, line_id=line_id).delete()
        if found.user_id:
            LineLink.objects.filter(province=province, user=found.user).delete()
            link = LineLink.objects.create(province=province, user=found.user, line_id=line_id)
            reply = (f"ผูกบัญชี LINE กับ ITA Desk ของ {found.user.get_full_name() or found.user.get_username()} "
                     f"เรียบร้อยแล้ว เลือกเรื่องที่จะรับทาง LINE ได้ที่ {site_url('/notifications/')}")
        else:
            LineLink.objects.filter(province=province, office=found.office).delete()
            link = LineLink.objects.create(province=province, office=found.office, line_id=line_id)
            reply = f"ผูกกลุ่มนี้กับ {found.office.name_th} ใน ITA Desk เรียบร้อยแล้ว กลุ่มจะได้รับการแจ้งเตือนของหน่วยงาน"
        found.delete()
        _link_record(None, link, True, "line")
    return LinkResult(True, reply, link)


def find_code(text: str) -> str | None:
    text = (text or "").strip().upper().replace(" ", "")
    at = text.find(CODE_PREFIX)
    if at < 0:
        return None
    code = text[at:at + len(CODE_PREFIX) + 6]
    return code if len(code) == len(CODE_PREFIX) + 6 else None


@transaction.atomic
def unlink(*, actor, link: LineLink, via: str = "page") -> None:
    """Remove a LINE link (from its page, or because the user blocked the bot / the bot left the group).
    Messages already queued for it stay in the outbox as failed with the reason, never silently dropped."""
    _link_record(actor, link, False, via)
    Notification.objects.filter(channel=Channel.LINE, address=link.line_id, province_id=link.province_id,
                                state=State.QUEUED).update(
        state=State.FAILED, next_attempt_at=None, last_error="ยกเลิกการผูก LINE แล้ว / LINE unlinked")
    link.delete()


def unlink_line_id(*, province, line_id: str) -> bool:
    """The bot was blocked (unfollow) or removed from a group (leave)."""
    link = LineLink.objects.filter(province=province, line_id=line_id).first()
    if link is None:
        return False
    unlink(actor=None, link=link, via="line")
    return True
