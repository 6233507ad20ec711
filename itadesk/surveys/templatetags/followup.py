"""Tags of the response follow-up: a server-side SVG sparkline of a daily trend, the cells of the
follow-up tables (plain escaped strings: a province lists hundreds of agencies), and the agency page's form
fields (``form_field``: what ``surveys/partials/field.html`` renders, without a template per field)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from html import escape

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from itadesk.core.language import page_lang
from itadesk.core.thai import format_date
from itadesk.surveys.models import StakeholderEvent

register = template.Library()


def _trend_text() -> str:
    return gettext("Daily trend %(start)s – %(end)s: %(first)s → %(last)s")


@register.simple_tag
def sparkline(points, minimum=None, width=120, height=28):
    """An inline SVG polyline of ``[(date, count or None)]``; a dashed line marks the minimum."""
    values = [v for _d, v in points if v is not None]
    if not values:
        return mark_safe('<span class="text-muted small">—</span>')
    top = max(values + ([minimum] if minimum else [])) or 1
    n = max(1, len(points) - 1)
    coords = []
    for i, (_d, v) in enumerate(points):
        if v is None:
            continue
        x = 2 + (width - 4) * i / n
        y = height - 2 - (height - 4) * v / top
        coords.append(f"{x:.1f},{y:.1f}")
    first, last = points[0][0], points[-1][0]
    title = escape(_trend_text() % {
        "start": format_date(first), "end": format_date(last), "first": values[0], "last": values[-1]})
    goal = ""
    if minimum:
        y = height - 2 - (height - 4) * minimum / top
        goal = (f'<line x1="0" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dc3545" stroke-width="1" '
                f'stroke-dasharray="3,2"/>')
    return mark_safe(
        f'<svg class="sparkline" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{title}"><title>{title}</title>{goal}<polyline fill="none" stroke="#0d6efd" '
        f'stroke-width="1.5" points="{" ".join(coords)}"/></svg>')


@register.simple_tag
def below_rows(rows, code, agency_url, days_left=None):
    """``<tr>`` rows of the agencies below the minimum on one instrument: name, district, ``32 / 40``,
    gap, respondents needed a day, days needed at the current pace, trend."""
    url = escape(str(agency_url))
    never = escape(gettext("not at this pace"))
    parts = []
    for r in rows:
        c = r.cells[code]
        need = c.days_to_minimum
        need_text = never if need is None else str(need)
        danger = ' class="text-danger fw-semibold"' if c.behind_schedule else ""
        per_day = "" if c.per_day_needed is None else str(c.per_day_needed)
        if c.final_shortfall is not None:  # after the deadline: what was missing, not a pace
            per_day = escape(gettext("%(n)s short at the deadline") % {"n": f"{c.final_shortfall:,}"})
            need_text, danger = escape(gettext("deadline passed")), ' class="text-danger"'
        parts.append(
            f'<tr data-agency="{int(r.id)}"><td><a href="{url}{int(r.id)}/">{escape(r.name)}</a></td>'
            f'<td>{escape(r.district)}</td><td class="text-end text-nowrap">{escape(c.ratio)}</td>'
            f'<td class="text-end">{c.gap:,}</td><td class="text-end">{per_day}</td>'
            f'<td class="text-end"{danger}>{need_text}</td><td>{sparkline(c.trend, c.minimum)}</td></tr>')
    return mark_safe("".join(parts))


@register.simple_tag
def followup_rows(rows, codes, agency_url):
    """``<tr>`` rows of the full follow-up table: agency, stakeholder status, then ``32 / 40`` and the
    trend of each instrument."""
    url = escape(str(agency_url))
    late = escape(gettext("late"))
    parts = []
    for r in rows:
        badge = f' <span class="badge text-bg-danger">{late}</span>' if r.stake_late else ""
        cells = []
        for code in codes:
            c = r.cells[code]
            cls = "text-danger fw-semibold" if c.below else ("text-success" if c.minimum is not None else "")
            cells.append(f'<td class="text-end text-nowrap {cls}">{escape(c.ratio)}</td>'
                         f'<td>{sparkline(c.trend, c.minimum, width=90, height=22)}</td>')
        parts.append(f'<tr data-agency="{int(r.id)}"><td><a href="{url}{int(r.id)}/">{escape(r.name)}</a></td>'
                     f'<td>{escape(r.district)}</td><td class="stake-{escape(r.stake_status)}">'
                     f'{escape(r.stake_label)}{badge}</td>{"".join(cells)}</tr>')
    return mark_safe("".join(parts))


@register.simple_tag
def mismatch_rows(mismatches, agency_url=""):
    """``<tr>`` rows of the ITA Desk / ITAS mismatches (surveys.consistency ``Mismatch``): agency (a link to
    ``agency_url + id + '/'`` unless it is empty), district, milestone, state here, declaration, mismatch. Each
    label is translated once a page, not once a row."""
    url = escape(str(agency_url))
    declared, kinds = {}, {}
    parts = []
    for m in mismatches:
        c = m.check
        if c.declared not in declared:
            declared[c.declared] = escape(c.declared_label)
        if c.mismatch not in kinds:
            kinds[c.mismatch] = escape(c.mismatch_label)
        name = f'<a href="{url}{int(m.agency_id)}/">{escape(m.name)}</a>' if url else escape(m.name)
        parts.append(
            f'<tr class="table-warning" data-testid="mismatch-{escape(c.code)}"><td>{name}</td>'
            f'<td>{escape(m.district)}</td><td>{escape(c.milestone_name)}</td><td>{escape(c.here_text())}</td>'
            f'<td>{declared[c.declared]}</td><td class="text-danger">{kinds[c.mismatch]}</td></tr>')
    return mark_safe("".join(parts))


# The date widget's HTML by everything it is rendered from (see _widget_key), kept per process: on the agency page
# it is the response form's date, today's, the same for every agency a day.
_WIDGETS: OrderedDict[tuple, str] = OrderedDict()
_WIDGETS_MAX = 64
_WIDGETS_LOCK = threading.Lock()  # a process serves requests in threads


def _widget_key(f) -> tuple:
    widget = f.field.widget
    attrs = {**widget.attrs, **f.build_widget_attrs({})}
    if f.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", f.auto_id)
    return (type(widget), f.html_name, str(widget.format_value(f.value())), f.field.localize,
            tuple(sorted((k, str(v)) for k, v in attrs.items())), get_language())


def _widget(f) -> str:
    """``str(f)`` (the field's own widget), kept per process when the field has no errors."""
    if f.errors:
        return str(f)
    key = _widget_key(f)
    html = _WIDGETS.get(key)
    if html is None:
        html = str(f)
        with _WIDGETS_LOCK:
            _WIDGETS[key] = html
            while len(_WIDGETS) > _WIDGETS_MAX:
                _WIDGETS.popitem(last=False)
    return html


@register.simple_tag(takes_context=True)
def form_field(context, f, textarea=False):
    """One field of the agency page's forms, byte for byte as ``{% include "surveys/partials/field.html" %}``
    renders it (tests/surveys/test_form_field.py compares the two), in Python: the page has a dozen fields, and a
    template include per field cost more than the rest of the form. The date widget is rendered by Django and
    kept per process (``_widget``)."""
    def show(value):
        return render_value_in_context(value, context)

    errors = f.errors
    invalid = " is-invalid" if errors else ""
    value = f.value()
    if value is None:  # default_if_none:""
        value = ""
    if textarea:
        control = (f'<textarea name="{show(f.html_name)}" id="{show(f.auto_id)}" rows="3" '
                   f'class="form-control form-control-sm{invalid}">{show(value)}</textarea>\n  ')
    elif f.widget_type == "thaidate":
        control = show(mark_safe(_widget(f))) + "\n  "  # the template's line break before its next branch
    else:
        control = (f'<input type="text" inputmode="numeric" name="{show(f.html_name)}" id="{show(f.auto_id)}" '
                   f'value="{show(value)}" class="form-control form-control-sm{invalid}">')
    name = show(f.name)
    feedback = "".join(f'<div class="invalid-feedback d-block" data-testid="error-{name}">{show(e)}</div>'
                       for e in errors)
    help_text = f'<div class="form-text">{show(f.help_text)}</div>' if f.help_text else ""
    return mark_safe(f'<div class="mb-2">\n  <label class="form-label small mb-0" for="{show(f.auto_id)}">'
                     f'{show(f.label)}</label>\n  {control}\n  {feedback}\n  {help_text}\n</div>\n')



@register.simple_tag(takes_context=True)
def stake_fields(context, form):
    """The stakeholder form's fields (``StakeholderForm``) as the agency page shows them between its token and its
    button: the form's own errors, the staff count, the staff by type (opened when the form has errors), the people
    and organizations served, the groups."""
    def field(f, textarea=False):
        return form_field(context, f, textarea=textarea)

    errors = "".join(f'<div class="alert alert-danger py-1 small">{render_value_in_context(e, context)}</div>'
                     for e in form.non_field_errors())
    staff = "".join(f'<div class="col-6">{field(f)}</div>' for f in form.staff_fields())
    return mark_safe(
        f'\n    {errors}\n    {field(form["internal_count"])}\n'
        f'    <details class="mb-2" {"open" if form.errors else ""}><summary class="small">'
        f'{gettext("Staff by type (optional; must add up to the total)")}</summary>\n'
        f'      <div class="row g-2 mt-1">{staff}</div>\n    </details>\n    <div class="row g-2">\n'
        f'      <div class="col-6">{field(form["external_people"])}</div>\n'
        f'      <div class="col-6">{field(form["external_organizations"])}</div>\n    </div>\n'
        f'    {field(form["external_groups"], textarea=True)}\n    ')


@register.simple_tag(takes_context=True)
def response_fields(context, form):
    """The response form's fields (``ResponseForm``) as the agency page shows them between its token and its
    button: the form's own errors, the date, a count of each questionnaire. Unbound, the same for every agency of a
    round on a day (surveys.views keeps it per process)."""
    errors = "".join(f'<div class="col-12"><div class="alert alert-danger py-1 small mb-0">'
                     f'{render_value_in_context(e, context)}</div></div>' for e in form.non_field_errors())
    counts = "".join(f'<div class="col-sm-3">{form_field(context, f)}</div>' for f in form.count_fields())
    return mark_safe(f'\n    {errors}\n    <div class="col-sm-4">{form_field(context, form["on_date"])}</div>\n'
                     f'    {counts}\n    ')

# ----------------------------------------------------------------------------- the agency page's tables
# Built with escaped f-strings, byte for byte what the template's loops rendered (tests/surveys/test_agency_tags.py
# compares them): each loop cost more than the rest of its section. Every value from the database goes through
# ``escape``; numbers are shown as a template shows them (``render_value_in_context``).


@register.simple_tag(takes_context=True)
def ratio_rows(context, row):
    """The ``<tr>`` rows of the agency's responses against the minimum sample (``row``: its ``FollowRow``, or None):
    the questionnaire, ``32 / 40`` (red below the minimum, green at or above it), the date of the count with the
    shortfall at the deadline or the respondents needed a day, and the trend."""
    if row is None:
        return ""
    lang = page_lang()
    parts = []
    for code, cell in row.cells.items():
        code = escape(str(code))
        cls = "text-danger" if cell.below else ("text-success" if cell.minimum is not None else "")
        on_date = escape(format_date(cell.on_date, lang=lang, with_time=False)) if cell.on_date else "—"
        note = ""
        if cell.final_shortfall:
            n = render_value_in_context(cell.final_shortfall, context)
            note = (f'<div class="text-danger" data-testid="final-shortfall">'
                    f'{gettext("%(n)s short at the deadline") % {"n": n}}</div>')
        elif cell.below and cell.per_day_needed:
            n = render_value_in_context(cell.per_day_needed, context)
            note = f'<div class="text-muted">{gettext("%(n)s more a day needed") % {"n": n}}</div>'
        parts.append(
            f'\n      <tr data-testid="ratio-{code}"><td><strong>{code}</strong><div class="small text-muted">'
            f'{escape(cell.instrument.name_th)}</div></td>\n'
            f'        <td class="text-end fs-5 {cls}" data-testid="ratio">{escape(cell.ratio)}</td>\n'
            f'        <td class="small">{on_date}{note}</td>\n'
            f'        <td>{sparkline(cell.trend, cell.minimum)}</td></tr>\n    ')
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def count_history(context, history):
    """Every count of each questionnaire (``[(instrument, counts oldest first)]``, ``selectors.agency_history``),
    newest first, each questionnaire with counts in its own ``<details>``: date, respondents, source, by whom."""
    lang = page_lang()
    head = None
    parts = []
    for inst, counts in history:
        if not counts:
            continue
        if head is None:
            head = (f'<thead><tr><th>{gettext("Date")}</th><th class="text-end">{gettext("Respondents")}</th>'
                    f'<th>{gettext("Source")}</th><th>{gettext("By")}</th></tr></thead>')
        rows = []
        for rc in reversed(counts):
            person = rc.entered_by
            who = escape(person.get_full_name() or person.username) if person else "—"
            rows.append(f'<tr><td>{escape(format_date(rc.on_date, lang=lang, with_time=False))}</td>'
                        f'<td class="text-end">{render_value_in_context(rc.count, context)}</td>'
                        f'<td>{escape(rc.get_source_display())}</td><td>{who}</td></tr>')
        title = gettext("%(code)s: every count (%(n)s)") % {
            "code": escape(inst.code), "n": render_value_in_context(len(counts), context)}
        parts.append(f'\n  <details class="mt-2"><summary class="small">{title}</summary>\n'
                     f'    <table class="table table-sm small mb-0">{head}\n'
                     f'    <tbody>{"".join(rows)}</tbody></table>\n  </details>')
    return mark_safe("".join(parts))


@register.simple_tag
def stake_event_rows(events):
    """The ``<tr>`` rows of the stakeholder data's log (``reads.data_with_log``: ``(at, actor_label, action, late,
    reason)``, newest first): when, who as recorded, what (the action's name, as ``get_action_display``), after
    the deadline, the reason."""
    labels = dict(StakeholderEvent._meta.get_field("action").flatchoices)
    lang = page_lang()
    names = {}
    late = None
    parts = []
    for at, actor_label, action, is_late, reason in events:
        name = names.get(action)
        if name is None:
            name = names[action] = escape(str(labels.get(action, action)))
        badge = ""
        if is_late:
            if late is None:
                late = f' <span class="badge text-bg-light border">{gettext("after the deadline")}</span>'
            badge = late
        parts.append(f'<tr><td class="text-nowrap">{escape(format_date(at, lang=lang))}</td>'
                     f'<td>{escape(actor_label) or "—"}</td><td>{name}{badge}</td><td>{escape(reason)}</td></tr>')
    return mark_safe("".join(parts))
