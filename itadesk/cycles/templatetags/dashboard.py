"""Tags for the dashboards' long lists. The province page lists each late agency under every
office that follows it and under its district (about a thousand items for a big province): a
per-item template loop costs ~80 µs an item and ``format_html`` ~40 µs, plain escaped f-strings
a few µs. Every value from the database goes through ``escape``."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def agency_items(rows, agency_url="", *, district=True, coaching=True):
    """``<li>`` items for AgencyRow objects: the name (a link to ``agency_url + id + '/'`` unless
    ``agency_url`` is empty, as on the public page), then (district, status) and a coaching badge."""
    url = escape(str(agency_url))
    label = escape(gettext("coaching"))  # outside the f-string, where xgettext can find it
    badge = f' <span class="badge text-bg-warning">{label}</span>' if coaching else ""
    parts = []
    for r in rows:
        name = f'<a href="{url}{int(r.id)}/">{escape(r.name)}</a>' if url else escape(r.name)
        detail = escape(f"{r.district}, {r.status_label}" if district else r.status_label)
        parts.append(f'<li>{name} <span class="text-muted">({detail})</span>'
                     f'{badge if r.needs_coaching else ""}</li>')
    return mark_safe("".join(parts))


@register.simple_tag
def agency_table_rows(rows, agency_url):
    """``<tr>`` rows of an office's agency table: name, district, kind, then one cell per milestone
    (``AgencyRow.cells``: status, label, late), late ones in red."""
    url = escape(str(agency_url))
    label = escape(gettext("coaching"))
    badge = f' <span class="badge text-bg-warning">{label}</span>'
    late_word = escape(gettext("late"))
    parts = []
    for r in rows:
        cells = "".join(
            f'<td class="status-{escape(status)} text-danger fw-semibold">{escape(label)} ({late_word})</td>' if late
            else f'<td class="status-{escape(status)}">{escape(label)}</td>'
            for status, label, late in r.cells)
        parts.append(f'<tr><td><a href="{url}{int(r.id)}/">{escape(r.name)}</a>{badge if r.needs_coaching else ""}'
                     f'</td><td>{escape(r.district)}</td><td>{escape(r.kind_label)}</td>{cells}</tr>')
    return mark_safe("".join(parts))
