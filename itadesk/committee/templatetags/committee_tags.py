"""Numbering and times of the committee's pages in the official Thai style."""

from django import template
from django.utils.translation import get_language

from itadesk.core import thai

register = template.Library()


def _thai() -> bool:
    return not (get_language() or "th").startswith("en")


@register.filter
def official(value, force=""):
    """Agenda and list numbers in Thai numerals on Thai pages (always with ``:"th"``)."""
    if value in (None, ""):
        return ""
    return thai.thai_digits(value) if (force == "th" or _thai()) else str(value)


@register.filter
def meeting_time(value, force=""):
    """14:30 -> "๑๔.๓๐ น." (Thai pages, or always with ``:"th"``) / "14:30"."""
    if value is None or value == "":
        return ""
    if force == "th" or _thai():
        return thai.thai_digits(f"{value:%H.%M}") + " น."
    return f"{value:%H:%M}"


@register.filter
def official_date(value):
    """The full official date with the weekday: วันอังคารที่ ๒๔ ธันวาคม ๒๕๖๗."""
    if not value:
        return ""
    return thai.format_date(value, style="full", digits="thai", weekday=True)
