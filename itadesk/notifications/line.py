"""The LINE Messaging API through ``line-bot-sdk`` (v3): push a digest, reply to a webhook event, verify and
parse a webhook body. The API's address is ``settings.ITADESK_LINE_API_URL`` (tests point it at a LINE API
server of their own on 127.0.0.1)."""

from __future__ import annotations

from django.conf import settings

# line-bot-sdk is imported where a LINE call is made, not with this module: its messaging models take about a
# second to import, which every process that loads the app (web, job workers, each `itadesk` command) paid
# although most never send a LINE message.

TEXT_LIMIT = 5000  # characters in one text message


class LineError(Exception):
    """The LINE API refused or could not be reached (the text says why)."""


def _api(access_token: str):
    from linebot.v3.messaging import ApiClient, Configuration

    configuration = Configuration(host=settings.ITADESK_LINE_API_URL, access_token=access_token)
    return ApiClient(configuration)


def _error(exc: Exception) -> LineError:
    status = getattr(exc, "status", None)
    body = getattr(exc, "body", None)
    text = f"LINE API {status}: {body}" if status else f"LINE API: {exc}"
    return LineError(text[:480])


def push_text(access_token: str, to: str, text: str, *, retry_key: str | None = None) -> None:
    """One text message to a user or a group."""
    from linebot.v3.messaging import MessagingApi, PushMessageRequest, TextMessage

    try:
        with _api(access_token) as client:
            MessagingApi(client).push_message(
                PushMessageRequest(to=to, messages=[TextMessage(text=text[:TEXT_LIMIT])]),
                x_line_retry_key=retry_key)
    except Exception as exc:  # HTTP errors, refused connections, timeouts: all mean "not delivered"
        raise _error(exc) from exc


def reply_text(access_token: str, reply_token: str, text: str) -> None:
    """Answer a webhook event (replies do not count against the monthly quota)."""
    from linebot.v3.messaging import MessagingApi, ReplyMessageRequest, TextMessage

    try:
        with _api(access_token) as client:
            MessagingApi(client).reply_message(
                ReplyMessageRequest(reply_token=reply_token, messages=[TextMessage(text=text[:TEXT_LIMIT])]))
    except Exception as exc:
        raise _error(exc) from exc


def signature_valid(channel_secret: str, body: str, signature: str) -> bool:
    """X-Line-Signature: base64 of the HMAC-SHA256 of the body with the channel secret."""
    if not channel_secret or not signature:
        return False
    from linebot.v3.webhook import SignatureValidator

    return SignatureValidator(channel_secret).validate(body, signature)


def parse_events(channel_secret: str, body: str, signature: str) -> list:
    """The webhook's events (the SDK's models); ValueError for a bad signature or body."""
    from linebot.v3.exceptions import InvalidSignatureError
    from linebot.v3.webhook import WebhookParser

    try:
        return WebhookParser(channel_secret).parse(body, signature)
    except InvalidSignatureError as exc:
        raise ValueError("bad signature") from exc
    except (KeyError, TypeError) as exc:
        raise ValueError("bad webhook body") from exc
