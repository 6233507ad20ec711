"""Template filters and tags of the OIT evidence pages."""

from html import escape

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from itadesk.core.links import filler as links_filler
from itadesk.core.thai import format_date
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


@register.simple_tag
def queue_table_rows(rows, round, review_links):
    """The ``<tr>`` rows of a review queue's table (``selectors.QueueRow``): agency (a link to its workspace),
    district, item, answer, when submitted, age in days (amber from 3, red from 7), and a button to review the
    item (``review_links``) or to open it. Built with escaped f-strings, not a template loop: a template costs
    ~0.2 ms a row here, most of a cold queue's rendering; the links are reversed once a page
    (``core.links``) and each answer's badge rendered once. Every value from the database goes through
    ``escape``."""
    if not rows:
        return ""
    lang = _lang()
    workspace = links_filler("evidence:workspace", ["agency_id"], round_id=round.pk)
    link = links_filler(f"evidence:{'review' if review_links else 'item'}", ["agency_id", "code"],
                        round_id=round.pk)
    review, open_ = escape(gettext("Review")), escape(gettext("Open"))
    badges = {answer: render_to_string("evidence/partials/answer.html", {"item": {"answer": answer}})
              for answer in {r.answer for r in rows}}
    agencies = {}  # agency id -> its two cells (an agency often has several rows of a page)
    parts = []
    for r in rows:
        cells = agencies.get(r.agency_id)
        if cells is None:
            cells = agencies[r.agency_id] = (
                f'    <td><a href="{escape(workspace(r.agency_id))}">{escape(r.agency_name)}</a></td>\n'
                f'    <td>{escape(r.district) or "—"}</td>\n')
        code = escape(r.item_code)
        testid = f"{int(r.agency_id)}-{code}"
        age = int(r.age_days)
        age_class = "text-danger fw-semibold" if age >= 7 else "text-warning-emphasis" if age >= 3 else ""
        url = escape(link(r.agency_id, r.item_code))
        submitted = escape(format_date(r.submitted_at, lang=lang)) if r.submitted_at else ""
        button = (f'<a class="btn btn-sm btn-primary" href="{url}" data-testid="review-{testid}">{review}</a>'
                  if review_links else f'<a class="btn btn-sm btn-outline-secondary" href="{url}">{open_}</a>')
        parts.append(
            f'<tr data-testid="queue-{testid}">\n{cells}'
            f'    <td>{code} <span class="small">{escape(r.title)}</span></td>\n'
            f'    <td>{badges[r.answer]}</td>\n'
            f'    <td class="text-nowrap small">{submitted}</td>\n'
            f'    <td class="text-end {age_class}" data-testid="age">{age}</td>\n'
            f'    <td class="text-end">{button}</td>\n'
            '  </tr>')
    return mark_safe("".join(parts))
