"""The agency page's parts built in Python (its tables and its forms' fields: surveys.templatetags.followup) are byte
for byte what the template's loops rendered for the same values: every branch, values to escape, in Thai and
English; the unsent response form kept per process follows the language and the day, and a form sent back with
errors is never the kept one; the page's one read (surveys.reads) is what the ORM reads."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from itadesk.surveys import reads, selectors, views
from itadesk.surveys import services as surveys
from itadesk.surveys.forms import ResponseForm
from itadesk.surveys.models import ResponseCount, StakeholderData, StakeholderEvent
from itadesk.surveys.selectors import Cell, FollowRow, Instrument
from itadesk.surveys.templatetags import followup
from tests.surveys.test_form_field import INSTRUMENTS, TODAY, response_forms, stakeholder_forms

# The template's loops as they were, to compare the tags with.
OLD_RATIO_ROWS = Template(
    '{% load i18n followup %}<tbody>{% for code, cell in row.cells.items %}\n'
    '      <tr data-testid="ratio-{{ code }}"><td><strong>{{ code }}</strong><div class="small text-muted">'
    '{{ cell.instrument.name_th }}</div></td>\n'
    '        <td class="text-end fs-5 {% if cell.below %}text-danger{% elif cell.minimum is not None %}text-success'
    '{% endif %}" data-testid="ratio">{{ cell.ratio }}</td>\n'
    '        <td class="small">{{ cell.on_date|bedate:"date"|default:"—" }}{% if cell.final_shortfall %}'
    '<div class="text-danger" data-testid="final-shortfall">{% blocktranslate with n=cell.final_shortfall %}{{ n }} '
    'short at the deadline{% endblocktranslate %}</div>{% elif cell.below and cell.per_day_needed %}'
    '<div class="text-muted">{% blocktranslate with n=cell.per_day_needed %}{{ n }} more a day needed'
    '{% endblocktranslate %}</div>{% endif %}</td>\n'
    '        <td>{% sparkline cell.trend cell.minimum %}</td></tr>\n'
    '    {% endfor %}</tbody>')
NEW_RATIO_ROWS = Template("{% load followup %}<tbody>{% ratio_rows row %}</tbody>")
OLD_HISTORY = Template(
    '{% load i18n %}{% for inst, counts in history %}{% if counts %}\n'
    '  <details class="mt-2"><summary class="small">{% blocktranslate with code=inst.code n=counts|length %}'
    '{{ code }}: every count ({{ n }}){% endblocktranslate %}</summary>\n'
    '    <table class="table table-sm small mb-0"><thead><tr><th>{% translate "Date" %}</th><th class="text-end">'
    '{% translate "Respondents" %}</th><th>{% translate "Source" %}</th><th>{% translate "By" %}</th></tr></thead>\n'
    '    <tbody>{% for rc in counts reversed %}<tr><td>{{ rc.on_date|bedate:"date" }}</td><td class="text-end">'
    '{{ rc.count }}</td><td>{{ rc.get_source_display }}</td><td>{% if rc.entered_by %}'
    '{{ rc.entered_by.get_full_name|default:rc.entered_by.username }}{% else %}—{% endif %}</td></tr>{% endfor %}'
    '</tbody></table>\n  </details>{% endif %}{% endfor %}')
NEW_HISTORY = Template("{% load followup %}{% count_history history %}")
OLD_EVENTS = Template(
    '{% load i18n %}<tbody>{% for e in events %}<tr><td class="text-nowrap">{{ e.at|bedate }}</td>'
    '<td>{{ e.actor_label|default:"—" }}</td><td>{{ e.get_action_display }}{% if e.late %} '
    '<span class="badge text-bg-light border">{% translate "after the deadline" %}</span>{% endif %}</td>'
    '<td>{{ e.reason }}</td></tr>{% endfor %}</tbody>')
NEW_EVENTS = Template("{% load followup %}<tbody>{% stake_event_rows events %}</tbody>")
OLD_STAKE_FIELDS = Template(
    '{% load i18n followup %}\n'
    '    {% for e in stake_form.non_field_errors %}<div class="alert alert-danger py-1 small">{{ e }}</div>'
    '{% endfor %}\n'
    '    {% form_field stake_form.internal_count %}\n'
    '    <details class="mb-2" {% if stake_form.errors %}open{% endif %}><summary class="small">'
    '{% translate "Staff by type (optional; must add up to the total)" %}</summary>\n'
    '      <div class="row g-2 mt-1">{% for f in stake_form.staff_fields %}<div class="col-6">{% form_field f %}'
    '</div>{% endfor %}</div>\n'
    '    </details>\n'
    '    <div class="row g-2">\n'
    '      <div class="col-6">{% form_field stake_form.external_people %}</div>\n'
    '      <div class="col-6">{% form_field stake_form.external_organizations %}</div>\n'
    '    </div>\n'
    '    {% form_field stake_form.external_groups textarea=True %}\n    ')
NEW_STAKE_FIELDS = Template("{% load followup %}{% stake_fields stake_form %}")
OLD_RESPONSE_FIELDS = Template(
    '{% load followup %}\n'
    '    {% for e in response_form.non_field_errors %}<div class="col-12"><div class="alert alert-danger py-1 small '
    'mb-0">{{ e }}</div></div>{% endfor %}\n'
    '    <div class="col-sm-4">{% form_field response_form.on_date %}</div>\n'
    '    {% for f in response_form.count_fields %}<div class="col-sm-3">{% form_field f %}</div>{% endfor %}\n    ')
NEW_RESPONSE_FIELDS = Template("{% load followup %}{% response_fields response_form %}")

HOSTILE = '<script>alert("x")</script> & \'ชื่อ\''
NOW = timezone.make_aware(dt.datetime(2026, 12, 7, 9, 30))


def cells():
    day = dt.date(2026, 12, 7)
    trend = [(day - dt.timedelta(days=i), v) for i, v in zip(range(3, -1, -1), [None, 3, 8, 1250], strict=True)]
    odd = Instrument(HOSTILE, "internal", HOSTILE)
    iit, eit = Instrument("IIT", "internal", "แบบวัด IIT"), Instrument("EIT", "external", "แบบวัด <EIT>")
    return {
        "IIT": Cell(iit, 1250, day, 2000, trend=trend, days_left=3),  # below: respondents needed a day
        "EIT": Cell(eit, 40, day, 400, trend=trend, days_left=-2, past=True),  # below after the deadline
        HOSTILE: Cell(odd, None, None, None),  # no count, no date, no minimum
        "met": Cell(iit, 5000, day, 30, trend=trend, days_left=0),  # at the minimum
        "pace": Cell(eit, 1, day, 4000, days_left=None),  # below without a deadline
    }


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_response_rows_are_the_templates_to_the_byte(language):
    row = FollowRow(id=1, name="x", district="", kind_label="", cells=cells())
    with translation.override(language):
        for value in (row, None, FollowRow(id=2, name="", district="", kind_label="")):
            context = Context({"row": value})
            assert NEW_RATIO_ROWS.render(context) == OLD_RATIO_ROWS.render(context)
        html = NEW_RATIO_ROWS.render(Context({"row": row}))
    assert "<script>" not in html and "&lt;script&gt;" in html and 'data-testid="final-shortfall"' in html
    assert "1,250 / 2,000" in html and html.count("<tr ") == 5


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_count_history_is_the_templates_to_the_byte(language):
    User = get_user_model()
    named = User(username="somchai", first_name=HOSTILE, last_name="ใจดี")
    bare = User(username="<b>bare</b>")
    counts = [ResponseCount(instrument="IIT", on_date=dt.date(2026, 11, d), count=n, source=s, entered_by=u)
              for d, n, s, u in [(1, 3, "entry", named), (9, 1250, "import", None), (20, 40, "entry", bare)]]
    odd = Instrument(HOSTILE, "external", "")
    history = [(INSTRUMENTS[0], counts), (INSTRUMENTS[1], []), (odd, counts[:1])]
    with translation.override(language):
        for value in (history, [], [(INSTRUMENTS[1], [])]):
            context = Context({"history": value})
            assert NEW_HISTORY.render(context) == OLD_HISTORY.render(context)
        html = NEW_HISTORY.render(Context({"history": history}))
    assert "<script>" not in html and "&lt;b&gt;bare&lt;/b&gt;" in html and html.count("<details") == 2


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_log_rows_are_the_templates_to_the_byte(language):
    events = [StakeholderEvent(at=NOW, actor_label=HOSTILE, action="unlocked", late=True, reason=HOSTILE),
              StakeholderEvent(at=NOW - dt.timedelta(days=40), actor_label="", action="entered", late=False),
              StakeholderEvent(at=NOW, actor_label="x", action="<gone>", late=True, reason="")]  # not a choice
    rows = [(e.at, e.actor_label, e.action, e.late, e.reason) for e in events]
    with translation.override(language):
        assert NEW_EVENTS.render(Context({"events": rows})) == OLD_EVENTS.render(Context({"events": events}))
        assert NEW_EVENTS.render(Context({"events": []})) == OLD_EVENTS.render(Context({"events": []}))
        html = NEW_EVENTS.render(Context({"events": rows}))
    assert "<script>" not in html and "&lt;gone&gt;" in html and html.count("text-bg-light") == 2


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_forms_fields_are_the_templates_to_the_byte(language):
    followup._WIDGETS.clear()
    compared = refused = 0
    with translation.override(language):
        for form in stakeholder_forms():
            form.is_bound and form.is_valid()
            context = Context({"stake_form": form})
            assert NEW_STAKE_FIELDS.render(context) == OLD_STAKE_FIELDS.render(context)
            compared, refused = compared + 1, refused + bool(form.errors)
        for form in response_forms():
            form.is_bound and form.is_valid()
            context = Context({"response_form": form})
            assert NEW_RESPONSE_FIELDS.render(context) == OLD_RESPONSE_FIELDS.render(context)
            compared, refused = compared + 1, refused + bool(form.errors)
        form = ResponseForm({"on_date": "07/12/2569"}, instruments=INSTRUMENTS, today=TODAY)
        form.is_valid()
        assert form.non_field_errors()  # the form's own error, shown above its fields
        context = Context({"response_form": form})
        assert NEW_RESPONSE_FIELDS.render(context) == OLD_RESPONSE_FIELDS.render(context)
    assert compared == 11 and refused >= 6


def test_the_kept_response_form_follows_the_language_and_the_day():
    views._response_fields.cache_clear()
    kept = {}
    for language in ("en", "th", "en"):
        with translation.override(language):
            for today in (TODAY, TODAY - dt.timedelta(days=1)):
                html = views._response_fields(tuple(INSTRUMENTS), today, language)
                fresh = followup.response_fields(Context(), ResponseForm(instruments=INSTRUMENTS, today=today))
                assert html == fresh
                kept[language, today] = html
    assert len(set(kept.values())) == 4 and views._response_fields.cache_info().hits == 2
    assert "07/12/2569" in kept["th", TODAY] and "06/12/2569" in kept["th", TODAY - dt.timedelta(days=1)]


@pytest.mark.parametrize("language", ["th", "en"])
def test_a_refused_count_is_shown_with_its_errors_after_the_kept_form(world, client, language):
    """The page keeps the unsent response form; a count sent back with errors (400) shows what was typed and the
    fields marked, and the next page shows the empty form again."""
    w = world
    client.force_login(w.admin_a)
    if language == "en":
        client.cookies["django_language"] = "en"
    url = reverse("surveys:agency", args=[w.round.pk, w.sao1.pk])
    code = selectors.instruments(w.round)[0].code
    before = client.get(url).content.decode()
    assert 'data-testid="response-form"' in before and "is-invalid" not in before
    response = client.post(reverse("surveys:responses_save", args=[w.round.pk, w.sao1.pk]),
                           {"on_date": "32/13/2569", f"count_{code}": "x<y"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-testid="error-count_{code}"' in html and 'data-testid="error-on_date"' in html
    assert 'value="x&lt;y"' in html and 'value="32/13/2569"' in html and html.count("is-invalid") == 1
    assert 'aria-invalid="true"' in html  # the date widget, rendered by Django, marks itself
    assert without_token(client.get(url).content.decode()) == without_token(before)


def without_token(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def fields(data):
    return {f.attname: getattr(data, f.attname) for f in StakeholderData._meta.concrete_fields}


def test_the_one_read_is_what_the_orm_reads(world):
    w = world
    assert reads.data_with_log(w.round.pk, w.sao1.pk) == (None, [])
    bare = StakeholderData.objects.create(round=w.round, agency=w.sao2, internal_count=3, external_people=1,
                                          internal_breakdown={"officials": 3}, external_groups=[{"name": "<g>"}])
    data, log = reads.data_with_log(w.round.pk, w.sao2.pk)  # data without a log yet
    assert fields(data) == fields(bare) and data.internal_breakdown == {"officials": 3} and log == []
    surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=40, external_people=9)
    surveys.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=41, external_people=9)
    surveys.approve_stakeholders(actor=w.exec_a, round=w.round, agency=w.sao1)
    surveys.unlock_stakeholders(actor=w.secretariat, round=w.round, agency=w.sao1, reason=HOSTILE)
    data, log = reads.data_with_log(w.round.pk, w.sao1.pk)
    orm = StakeholderData.objects.get(round=w.round, agency=w.sao1)
    assert fields(data) == fields(orm) and data.pk == orm.pk and not data._state.adding
    assert log == [(e.at, e.actor_label, e.action, e.late, e.reason) for e in orm.events.order_by("-at", "-id")]
    assert [step[2] for step in log] == ["unlocked", "approved", "changed", "entered"] and log[0][4] == HOSTILE
