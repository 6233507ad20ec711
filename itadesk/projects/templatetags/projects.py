"""Money and durations on the project pages: {% load projects %} {{ amount|baht }} {{ amount|bahtwords }}."""

from decimal import Decimal, InvalidOperation

from django import template

from itadesk.core.language import page_lang
from itadesk.core.thai import bahttext
from itadesk.projects.selectors import duration_label

register = template.Library()


@register.filter
def baht(value):
    """90000 -> 90,000.00"""
    try:
        return f"{Decimal(value or 0):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def bahtwords(value):
    """90000 -> เก้าหมื่นบาทถ้วน"""
    try:
        return bahttext(value or 0)
    except ValueError:
        return ""


@register.filter
def duration(minutes):
    """90 -> 1 ชั่วโมง 30 นาที (1 h 30 min in English)"""
    lang = page_lang()
    return duration_label(int(minutes or 0), lang)


@register.filter
def at(sequence, index):
    try:
        return sequence[index]
    except (IndexError, TypeError, KeyError):
        return None
