"""Template filters for Thai dates and numerals. Loaded as a builtin, no {% load %} needed."""

import datetime as dt

from django import template
from django.utils import timezone

from itadesk.core import thai
from itadesk.core.history import rows
from itadesk.core.language import page_lang as _lang

register = template.Library()


@register.filter
def bedate(value, style="short"):
    """{{ deadline|bedate }} -> 31 ม.ค. 2568 17:00 น.; {{ d|bedate:"full" }}; {{ d|bedate:"date" }} (no time)."""
    if value in (None, ""):
        return ""
    if style == "date":
        return thai.format_date(value, lang=_lang(), with_time=False)
    return thai.format_date(value, style=style, lang=_lang())


@register.filter
def thaidigits(value):
    return thai.thai_digits(value)


@register.filter
def countdown(value, now=None):
    """Time left until (or past) a datetime, in words."""
    if value is None:
        return ""
    return thai.format_countdown(value - (now or timezone.now()), lang=_lang())


@register.filter
def percent(part, whole):
    try:
        return round(100 * part / whole) if whole else 0
    except (TypeError, ZeroDivisionError):
        return 0


@register.filter
def is_past(value):
    return isinstance(value, dt.datetime) and value <= timezone.now()


@register.filter
def history_rows(events, user=None):
    """{% for e in history|history_rows:request.user %}: history events with human labels, agency lists
    limited to what the user may see (``core.history.rows``)."""
    return rows(events, user=user)
