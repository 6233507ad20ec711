"""Template filters and tags of the OIT evidence pages."""

from html import escape

from django import template
from django.template.defaultfilters import filesizeformat, linebreaksbr, truncatechars
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from itadesk.core.language import page_lang as _lang
from itadesk.core.links import filler as links_filler
from itadesk.core.thai import format_date
from itadesk.evidence import workflow
from itadesk.evidence.models import Snapshot, State

register = template.Library()

STATE_CLASSES = {
    "draft": "text-bg-secondary",
    "approved_by_executive": "text-bg-info",
    "submitted": "text-bg-primary",
    "approved": "text-bg-success",
    "returned": "text-bg-danger",
}


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


def workspace_cards(ws, *, can_edit: bool, can_review: bool) -> str:
    """The workspace's items by indicator (``ws.groups``): a ``<section>`` per indicator or subindicator and a
    card per item (its link, data year, answer and state badges, the date it was sent, its URLs, explanation,
    the reviewer's comment when returned, the offices' examples, its elements, and the edit and review buttons).
    Built with escaped f-strings, not a template loop (as :func:`queue_table_rows`): a template cost
    most of the page's rendering when its cached part is made again after a save. The links and badges are
    made once a page by ``views._workspace_links``; every value from the database goes through ``escape`` (the
    explanations and comments through ``linebreaksbr``, which escapes them first). The same markup, to the
    byte, as the template loop it replaces (tests/evidence/test_workspace_cards.py)."""
    def esc(value) -> str:  # any value (a data year may be a number), as the template showed it
        return escape(str(value))

    language, lang = get_language(), _lang()  # LANGUAGE_CODE for the elements partial; the dates' language
    indicator, submitted, returned = esc(gettext("Indicator")), esc(gettext("submitted")), esc(gettext("Returned"))
    edit = f'<i class="bi bi-pencil"></i> {esc(gettext("Edit"))}</a>'
    review = f'<i class="bi bi-clipboard-check"></i> {esc(gettext("Review"))}</a>'
    parts = ["\n"]
    for group in ws.groups:
        # the framework's dictionaries, read as the template read them (a missing key: nothing)
        ind, sub = group.indicator, group.subindicator
        ind_code = esc(ind.get("code", ""))
        sub_code = esc(sub.get("code", "")) if sub else ""
        testid = f"{ind_code}-{sub_code}" if sub else ind_code
        heading = f'<h3 class="h6 text-muted">{sub_code} {esc(sub.get("name_th", ""))}</h3>' if sub else ""
        parts.append(f'\n<section class="mb-4" data-testid="group-{testid}">\n'
                     f'  <h2 class="h5 mb-1">{indicator} {ind_code} {esc(ind.get("name_th", ""))}</h2>\n'
                     f'  {heading}\n  ')
        for row in group.rows:
            item = row.item
            state = item.state
            border = "border-danger" if state == State.RETURNED else "border-success" if state == State.APPROVED else ""
            code, url = esc(row.code), esc(row.item_url)
            sent = ""
            if state == State.SUBMITTED and item.submitted_at:  # as the ``bedate`` filter shows it
                when = esc(format_date(item.submitted_at, lang=lang))
                sent = f'<div class="small text-muted">{submitted} {when}</div>'
            urls = ('<ul class="list-unstyled small mb-1" data-testid="urls">' + "".join(
                f'<li class="text-break"><i class="bi bi-link-45deg"></i> <a href="{esc(u)}" '
                f'rel="noopener noreferrer" target="_blank">{esc(u)}</a></li>' for u in item.urls) + "</ul>"
                if item.urls else "")
            explanation = (f'<div class="small text-muted">{linebreaksbr(item.explanation)}</div>'
                           if item.explanation else "")
            comment = (f'<div class="alert alert-danger small py-1 px-2 mt-1 mb-0" data-testid="return-comment">'
                       f'<strong>{returned}:</strong> {linebreaksbr(row.last_review.comment)}</div>'
                       if state == State.RETURNED and row.last_review else "")
            # the offices' examples (few items have any) and the elements someone decided, checked or alerted on
            # (the others are kept, ``views._plain_elements``): their partials, as the item and review pages show them
            examples = render_to_string("evidence/partials/examples.html", {"row": row}) if row.examples else ""
            elements = row.elements_html or render_to_string("evidence/partials/elements.html",
                                                             {"row": row, "LANGUAGE_CODE": language})
            edit_button = (f'<a class="btn btn-sm btn-outline-primary" href="{url}" data-testid="edit-{code}">{edit}'
                           if can_edit else "")
            review_button = (f'<a class="btn btn-sm btn-outline-secondary" href="{esc(row.review_url)}">{review}'
                             if can_review and row.saved else "")
            parts.append(f"""
  <div class="card mb-2 {border}" data-testid="item-{code}">
    <div class="card-body py-2">
      <div class="d-flex flex-wrap justify-content-between gap-2">
        <div>
          <a class="fw-semibold" href="{url}">{code} {esc(row.title)}</a>
          <div class="small text-muted"><i class="bi bi-calendar3"></i> {esc(row.data_year)}</div>
        </div>
        <div class="text-end">
          {row.answer_html}
          {row.state_html}
          {sent}
        </div>
      </div>
      <div class="row g-2 mt-1">
        <div class="col-lg-6">
          {urls}
          {explanation}
          {comment}
          {examples}
        </div>
        <div class="col-lg-6">{elements}</div>
      </div>
      <div class="mt-1 no-print">
        {edit_button}
        {review_button}
      </div>
    </div>
  </div>
  """)
        parts.append("\n</section>\n")
    parts.append("\n")
    return mark_safe("".join(parts))


@register.simple_tag
def history_rows(history):
    """The ``<tr>`` rows of an item's history (``EvidenceEvent``, newest first) on the item and review pages: when,
    who, the action, the state it left (when it changed) and the one it reached, and the comment. Built with
    escaped f-strings, not a template loop (as :func:`queue_table_rows`): an item's history grows with every
    save, return and approval, and a template cost ~0.07 ms a row. The labels are read once a call; every value
    goes through ``escape`` (the comment through ``linebreaksbr``, which escapes it first). The same markup, to
    the byte, as the loop it replaced (tests/evidence/test_history_rows.py)."""
    if not history:
        return ""
    lang = _lang()
    states = {value: escape(str(label)) for value, label in State.choices}  # get_FOO_display: the value if unknown
    actions: dict[str, str] = {}
    parts = []
    for e in history:
        action = actions.get(e.action)
        if action is None:
            action = actions[e.action] = escape(workflow.action_label(e.action, lang))
        to_state = states.get(e.to_state) or escape(str(e.to_state))
        moved = (f"{states.get(e.from_state) or escape(str(e.from_state))} → " if e.from_state != e.to_state
                 else "")
        when = escape(format_date(e.at, lang=lang)) if e.at else ""
        parts.append(
            f'<tr>\n      <td class="text-nowrap">{when}</td><td>{escape(e.actor_label) if e.actor_label else "—"}</td>\n'
            f'      <td>{action}</td>\n'
            f'      <td class="text-nowrap">{moved}<strong>{to_state}</strong></td>\n'
            f'      <td>{linebreaksbr(e.comment)}</td>\n    </tr>')
    return mark_safe("".join(parts))


@register.simple_tag
def snapshot_rows(snapshots, round, agency):
    """The ``<tr>`` rows of an item's snapshots (the newest ``reads.SNAPSHOTS_SHOWN``) on the item and review
    pages: when (a link to the snapshot), why, the URL, the result, the size and the start of the SHA-256. Built
    as :func:`history_rows` is; the same markup, to the byte, as the loop it replaced."""
    if not snapshots:
        return ""
    lang = _lang()
    reasons = {value: escape(str(label)) for value, label in Snapshot.Reason.choices}
    link = links_filler("evidence:snapshot", ["snapshot_id"], round_id=round.pk, agency_id=agency.pk)
    parts = []
    for s in snapshots:
        when = escape(format_date(s.taken_at, lang=lang)) if s.taken_at else ""
        if s.error:
            result = f'<span class="text-danger">{escape(truncatechars(s.error, 80))}</span>'
        else:
            status = escape(str(s.status_code))
            result = f'<span class="{"text-success" if s.ok else "text-danger"}">HTTP {status}</span>'
        sha = escape(s.sha256)
        parts.append(
            f'<tr>\n      <td class="text-nowrap"><a href="{escape(link(s.pk))}">{when}</a></td>\n'
            f'      <td>{reasons.get(s.reason) or escape(str(s.reason))}</td>\n'
            f'      <td class="text-break">{escape(s.url)}</td>\n'
            f'      <td>{result}</td>\n'
            f'      <td class="text-nowrap">{escape(filesizeformat(s.size))}</td>\n'
            f'      <td><code title="{sha}">{escape(s.sha256[:12])}</code></td>\n    </tr>')
    return mark_safe("".join(parts))
