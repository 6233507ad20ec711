"""Template filters of the OIT evidence pages."""

from django import template
from django.utils.translation import get_language

from itadesk.evidence import workflow

register = template.Library()

STATE_CLASSES = {
    "draft": "text-bg-secondary",
    "approved_by_executive": "text-bg-info",
    "submitted": "text-bg-primary",
    "approved": "text-bg-success",
    "returned": "text-bg-danger",
}


def _lang() -> str:
    return "en" if (get_language() or "th").startswith("en") else "th"


@register.filter
def action_label(action: str) -> str:
    """The workflow action of an event, in the page's language."""
    return workflow.action_label(action, _lang())


@register.filter
def state_class(state: str) -> str:
    return STATE_CLASSES.get(state, "text-bg-light border")
