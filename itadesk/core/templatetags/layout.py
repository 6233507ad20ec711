"""Layout helpers for templates that may carry no ``style`` attribute (the Content-Security-Policy
forbids inline styles): ``{{ value|bar }}`` names the class that gives a progress bar that width."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def bar(percent) -> str:
    """``w-pct-N``: the CSS class (itadesk.css) for a bar ``percent`` wide, rounded to a whole number and
    kept within 0–100; anything that is not a number is an empty bar."""
    try:
        value = float(percent)
    except (TypeError, ValueError):
        return "w-pct-0"
    if value != value:  # NaN
        return "w-pct-0"
    return f"w-pct-{round(min(100.0, max(0.0, value)))}"
