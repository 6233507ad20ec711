"""What the bot does with the events LINE sends to ``/line/webhook/``: a text holding a one-time code links
the user (1:1 chat) or the group; blocking the bot (unfollow) or removing it from a group (leave) unlinks.
Every other event, and ordinary chat in a group, is ignored."""

from __future__ import annotations

import logging

from itadesk.notifications import line, services
from itadesk.notifications.models import LineAccount

logger = logging.getLogger(__name__)


def account_for(body: str, signature: str) -> LineAccount | None:
    """The province's LINE account whose channel secret signed this body (a national installation holds one
    Official Account per province, all on the same webhook URL)."""
    for account in LineAccount.objects.exclude(channel_secret="").select_related("province"):
        if line.signature_valid(account.channel_secret, body, signature):
            return account
    return None


def _source_id(source) -> tuple[str, bool]:
    from linebot.v3.webhooks import GroupSource, RoomSource, UserSource  # on use, as in notifications.line

    if isinstance(source, GroupSource):
        return source.group_id, True
    if isinstance(source, RoomSource):
        return source.room_id, True
    if isinstance(source, UserSource):
        return source.user_id, False
    return "", False


def handle(account: LineAccount, events: list) -> int:
    """Act on the events; how many did something."""
    from linebot.v3.webhooks import LeaveEvent, MessageEvent, TextMessageContent, UnfollowEvent

    done = 0
    for event in events:
        source_id, is_group = _source_id(getattr(event, "source", None))
        if not source_id:
            continue
        if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
            result = services.link_by_code(province=account.province, text=event.message.text, line_id=source_id,
                                           is_group=is_group)
            if result is None:
                continue
            done += 1
            if event.reply_token and account.access_token:
                try:
                    line.reply_text(account.access_token, event.reply_token, result.reply)
                except line.LineError as exc:  # the link stands; only the answer is lost
                    logger.warning("LINE reply failed: %s", exc)
        elif isinstance(event, UnfollowEvent) and not is_group or isinstance(event, LeaveEvent) and is_group:
            done += services.unlink_line_id(province=account.province, line_id=source_id)
    return done
