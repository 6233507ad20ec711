"""The agency page's form fields (``{% form_field %}``, deadline day: docs/benchmarks.md "The stakeholder page, second
round") are byte for byte what the partial ``surveys/partials/field.html`` renders for the same field: empty,
filled (numbers, Thai digits, text to escape), refused with errors, the date widget (kept per process) and the
textarea, in Thai and English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from itadesk.surveys.forms import ResponseForm, StakeholderForm
from itadesk.surveys.selectors import DEFAULT_INSTRUMENTS, Instrument
from itadesk.surveys.templatetags import followup

INSTRUMENTS = [Instrument(*i) for i in DEFAULT_INSTRUMENTS]
PARTIAL = Template('{% include "surveys/partials/field.html" %}')
PARTIAL_TEXTAREA = Template('{% include "surveys/partials/field.html" with textarea=True %}')
TAG = Template("{% load followup %}{% form_field f %}")
TAG_TEXTAREA = Template("{% load followup %}{% form_field f textarea=True %}")
TODAY = dt.date(2026, 12, 7)


def stakeholder_forms():
    yield StakeholderForm()
    yield StakeholderForm(initial={"internal_count": 1250, "external_people": 0, "external_organizations": None,
                                   "external_groups": 'ชาวนา | LINE <กลุ่ม> & "ตำบล"\nร้านค้า', "staff_officials": 7})
    yield StakeholderForm({"internal_count": "๑,๒๕๐", "external_people": "abc", "external_organizations": "-3",
                           "external_groups": "| no name\n<b>x</b> | y", "staff_permanent": "2.5",
                           "staff_other": "<script>"})
    yield StakeholderForm({"internal_count": "", "external_people": "", "external_organizations": ""})
    yield StakeholderForm({"internal_count": "10", "external_people": "5", "staff_officials": "3"})  # sums wrong


def response_forms():
    yield ResponseForm(instruments=INSTRUMENTS, today=TODAY)
    yield ResponseForm(instruments=INSTRUMENTS, today=dt.date(2026, 1, 31))
    yield ResponseForm({"on_date": "", "count_IIT": "x<y", "count_EIT": "12"}, instruments=INSTRUMENTS, today=TODAY)
    yield ResponseForm({"on_date": "32/13/2569", "count_IIT": ""}, instruments=INSTRUMENTS, today=TODAY)
    yield ResponseForm({"on_date": "01/01/2575", "count_IIT": "5"}, instruments=INSTRUMENTS, today=TODAY)  # future
    yield ResponseForm({"on_date": "07/12/2569", "count_IIT": "5"}, instruments=INSTRUMENTS, today=TODAY)


def fields():
    for form in stakeholder_forms():
        form.is_bound and form.is_valid()
        yield from [(form["internal_count"], False), *((f, False) for f in form.staff_fields()),
                    (form["external_people"], False), (form["external_organizations"], False),
                    (form["external_groups"], True)]
    for form in response_forms():
        form.is_bound and form.is_valid()
        yield from [(form["on_date"], False), *((f, False) for f in form.count_fields())]


@pytest.mark.parametrize("language", ["th", "en"])
def test_a_field_is_the_partials_to_the_byte(language):
    followup._WIDGETS.clear()
    compared = errors = dates = 0
    with translation.override(language):
        for _round in range(2):  # the second time the date widgets come from the process's copy
            for f, textarea in fields():
                context = Context({"f": f})
                expected = (PARTIAL_TEXTAREA if textarea else PARTIAL).render(context)
                assert (TAG_TEXTAREA if textarea else TAG).render(context) == expected, (f.name, f.value())
                compared += 1
                errors += bool(f.errors)
                dates += f.widget_type == "thaidate"
    assert compared > 60 and errors >= 12 and dates == 12
    # today and the same day typed share one copy, 31 January has its own; a field with errors is never kept
    assert len(followup._WIDGETS) == 2


def test_the_kept_date_widget_follows_the_language_and_the_value():
    followup._WIDGETS.clear()
    with translation.override("th"):
        thai = TAG.render(Context({"f": ResponseForm(instruments=INSTRUMENTS, today=TODAY)["on_date"]}))
    with translation.override("en"):
        english = TAG.render(Context({"f": ResponseForm(instruments=INSTRUMENTS, today=TODAY)["on_date"]}))
        other_day = TAG.render(Context({"f": ResponseForm(instruments=INSTRUMENTS,
                                                          today=TODAY - dt.timedelta(days=1))["on_date"]}))
    assert thai != english and "07/12/2569" in thai and "06/12/2569" in other_day
    with translation.override("th"):
        assert "dd/mm/yyyy" not in thai
