"""The language a page shows its dates and labels in."""

from __future__ import annotations

from django.utils.translation import get_language


def page_lang() -> str:
    """``"en"`` when the active language is English (``en``, ``en-us`` …), else ``"th"``: the ``lang`` that
    ``core.thai``'s formatters and the framework's texts take."""
    return "en" if (get_language() or "th").startswith("en") else "th"
