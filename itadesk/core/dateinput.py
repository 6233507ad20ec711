"""Form fields for Thai dates: every date and date-time a person types in ITA Desk goes through these.

* :class:`ThaiDateField` / :class:`ThaiDateTimeField` render a plain text box holding ``15/05/2570`` /
  ``15/05/2570 17:00`` (Buddhist era, Bangkok time) and accept what :mod:`itadesk.core.thaiparse`
  understands (Thai or Arabic digits, Thai month names, ISO). A date-time field gives an aware datetime in
  Asia/Bangkok. Errors name the field and say what was understood (``ปี 2027 ดูเหมือนเป็น ค.ศ. …``).
* :class:`ThaiTimeField` is a time of day (``17:00``, ``17.00 น.``) in a text box.
* ``fiscal_year=2570`` on a date field refuses a year more than two years from it ("clearly wrong").
* :class:`FiscalYearConfirmMixin` on a form refuses a date outside the round's fiscal year (1 Oct – 30 Sep)
  unless the person ticks the confirmation box that the form then shows.

The widgets carry ``data-thai-date="date|datetime"``; ``core/static/itadesk/thaidate.js`` adds the
calendar (Thai months, BE years) to them. Without JavaScript the text box works alone.

Use in a ModelForm: ``Meta.field_classes = {"deadline": ThaiDateTimeField}``; in a plain form:
``due = ThaiDateField(label=_("due date"), required=False)``.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from itadesk.core import thai
from itadesk.core.thaiparse import (
    DateTextError,
    format_date_input,
    format_datetime_input,
    parse_date_and_time,
)

__all__ = ["ThaiDateInput", "ThaiDateTimeInput", "ThaiTimeInput", "ThaiDateField", "ThaiDateTimeField",
           "ThaiTimeField", "FiscalYearConfirmMixin", "FAR_YEARS"]

FAR_YEARS = 2  # a year further than this from the round's fiscal year is refused as clearly wrong

MESSAGES = {
    "required": _("%(field)s: required."),
    "format": _("%(field)s: “%(text)s” is not a date. Type day/month/Buddhist-era year, e.g. 15/05/2570."),
    "format_datetime": _("%(field)s: “%(text)s” is not a date and time. Type day/month/Buddhist-era year "
                         "and the time, e.g. 15/05/2570 17:00."),
    "year_digits": _("%(field)s: the year “%(year)s” should have four digits (Buddhist era, e.g. 2570)."),
    "year_range": _("%(field)s: the year %(year)s is not a Buddhist-era year between 2400 and 2700."),
    "ce_year": _("%(field)s: the year %(year)s looks like a Christian-era year (= %(be_year)s BE) — please "
                 "type the Buddhist-era year."),
    "month": _("%(field)s: there is no month %(month)s — type day/month/year, e.g. 15/05/2570."),
    "month_name": _("%(field)s: “%(month)s” is not a month."),
    "day": _("%(field)s: %(month_name)s %(be_year)s has %(days)s days, so there is no day %(day)s."),
    "hour": _("%(field)s: there is no hour %(hour)s (00–23)."),
    "minute": _("%(field)s: there is no minute %(minute)s (00–59)."),
    "time_missing": _("%(field)s: add the time after the date, e.g. 15/05/2570 17:00."),
    "time_format": _("%(field)s: “%(text)s” is not a time. Type hours and minutes, e.g. 13:30 or 13.30 น."),
    "far_year": _("%(field)s: the year %(year)s is more than two years from the round's fiscal year "
                  "%(fiscal_year)s — check the year."),
    "outside_fiscal_year": _("%(field)s: %(date)s is outside fiscal year %(fiscal_year)s (%(start)s – %(end)s). "
                             "If it is right, tick the confirmation box and save again."),
}
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def _month_name(month: int) -> str:
    return (_EN_MONTHS if (get_language() or "th").startswith("en") else thai.MONTHS_FULL)[month - 1]


class ThaiDateInput(forms.TextInput):
    """A text box for a BE date. ``data-thai-date`` tells the picker what to offer."""

    kind = "date"
    placeholder = _("dd/mm/yyyy (BE)")

    class Media:  # ITA Desk's pages load these in base.html; Django admin loads them from here
        js = ["itadesk/thaidate.js"]
        css = {"all": ["itadesk/thaidate.css"]}

    def __init__(self, attrs=None):
        base = {"class": "form-control", "data-thai-date": self.kind, "autocomplete": "off", "spellcheck": "false",
                "placeholder": self.placeholder}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return format_date_input(value)
        return super().format_value(value)


class ThaiDateTimeInput(ThaiDateInput):
    kind = "datetime"
    placeholder = _("dd/mm/yyyy hh:mm (BE)")

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            return format_datetime_input(value)
        return super().format_value(value)


class ThaiTimeInput(ThaiDateInput):
    kind = "time"
    placeholder = _("hh:mm")

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.time):
            return f"{value:%H:%M}"
        return super().format_value(value)


class ThaiDateField(forms.Field):
    """A date typed in the Buddhist era (see the module docstring). ``fiscal_year``: the round's BE fiscal
    year, when the form knows it; a year more than ``FAR_YEARS`` from it is refused."""

    widget = ThaiDateInput
    format_code = "format"

    def __init__(self, *, fiscal_year: int | None = None, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        self.fiscal_year = fiscal_year

    # what the field gives
    def _convert(self, date: dt.date, time: dt.time | None):
        return date

    def _error(self, code: str, **params) -> forms.ValidationError:
        params = {"field": self.label or "", **params}
        if code == "day":
            params["month_name"] = _month_name(params["month"])
        return forms.ValidationError(MESSAGES[code], code=code, params=params)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return self._from_datetime(value)
        if isinstance(value, dt.date):
            return self._convert(value, None)
        text = str(value).strip()
        if not text:
            return None
        try:
            date, time = parse_date_and_time(text)
            return self._convert(date, time)
        except DateTextError as e:
            code = self.format_code if e.code in ("format", "empty") else e.code
            raise self._error(code, **{"text": text, **e.params}) from None

    def _from_datetime(self, value: dt.datetime):
        return thai.to_bangkok(value).date() if value.tzinfo else value.date()

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise self._error("required")
        if value is not None and self.fiscal_year:
            year = thai.be_year(self._local_date(value).year)
            if abs(year - self.fiscal_year) > FAR_YEARS:
                raise self._error("far_year", year=year, fiscal_year=self.fiscal_year)

    @staticmethod
    def _local_date(value) -> dt.date:
        if isinstance(value, dt.datetime):
            return thai.to_bangkok(value).date() if value.tzinfo else value.date()
        return value

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            data = self.to_python(data)
            initial = self.to_python(initial)
        except forms.ValidationError:
            return True
        if isinstance(initial, dt.datetime) and isinstance(data, dt.datetime):
            return initial.replace(second=0, microsecond=0) != data.replace(second=0, microsecond=0)
        return initial != data

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.required:
            attrs["aria-required"] = "true"
        return attrs


class ThaiDateTimeField(ThaiDateField):
    """A date and time typed in the Buddhist era and Bangkok time; gives an aware datetime (Asia/Bangkok).
    ``default_time`` fills in a date typed without a time; without it the time is required."""

    widget = ThaiDateTimeInput
    format_code = "format_datetime"

    def __init__(self, *, default_time: dt.time | None = None, **kwargs):
        super().__init__(**kwargs)
        self.default_time = default_time
        if default_time is not None:
            self.widget.attrs["data-default-time"] = f"{default_time:%H:%M}"

    def _convert(self, date: dt.date, time: dt.time | None):
        if time is None:
            if self.default_time is None:
                raise DateTextError("time_missing")
            time = self.default_time
        return dt.datetime.combine(date, time, tzinfo=thai.BANGKOK)

    def _from_datetime(self, value: dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=thai.BANGKOK)


class ThaiTimeField(forms.Field):
    """A time of day: ``13:30``, ``13.30``, ``13.30 น.``, ``๑๓.๓๐ น.`` (Bangkok time, as the form says)."""

    widget = ThaiTimeInput

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.time):
            return value
        text = str(value).strip()
        m = re.fullmatch(r"(?:เวลา\s*)?(\d{1,2})\s*[:.]\s*(\d{2})(?:\s*[:.]\s*(\d{2}))?\s*(?:น\s*\.?|นาฬิกา)?",
                         thai.arabic_digits(text))
        params = {"field": self.label or "", "text": text}
        if not m:
            raise forms.ValidationError(MESSAGES["time_format"], code="time_format", params=params)
        hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
        if hour > 23:
            raise forms.ValidationError(MESSAGES["hour"], code="hour", params={**params, "hour": hour})
        if minute > 59 or second > 59:
            raise forms.ValidationError(MESSAGES["minute"], code="minute", params={**params, "minute": minute})
        return dt.time(hour, minute, second)

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise forms.ValidationError(MESSAGES["required"], code="required", params={"field": self.label or ""})

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except forms.ValidationError:
            return True


class FiscalYearConfirmMixin:
    """Dates that should fall in the round's fiscal year (1 Oct – 30 Sep).

    A form sets ``fiscal_year_fields = ("deadline", …)`` and calls ``self.use_fiscal_year(round.fiscal_year)``
    in ``__init__``. Each such field then refuses a year more than two years away; a changed date outside
    the fiscal year is refused with a message until the person ticks the box ``confirm_outside_fiscal_year``,
    which the form adds (and so shows) only when it is needed or was ticked.
    """

    fiscal_year_fields: tuple[str, ...] = ()
    confirm_field = "confirm_outside_fiscal_year"
    fiscal_year: int | None = None

    def use_fiscal_year(self, fiscal_year: int | None) -> None:
        self.fiscal_year = fiscal_year
        if not fiscal_year:
            return
        for name in self.fiscal_year_fields:
            if name in self.fields:
                self.fields[name].fiscal_year = fiscal_year
        if self.is_bound and self.data.get(self.add_prefix(self.confirm_field)):
            self._add_confirm_field()

    def _add_confirm_field(self) -> None:
        if self.confirm_field not in self.fields:
            self.fields[self.confirm_field] = forms.BooleanField(
                label=_("Yes, this date is outside the round's fiscal year on purpose"), required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def clean(self):
        data = super().clean()
        if not self.fiscal_year:
            return data
        start, end = thai.fiscal_year_bounds(self.fiscal_year)
        confirmed = bool(data.get(self.confirm_field))
        for name in self.fiscal_year_fields:
            value = data.get(name)
            if value is None or name not in self.changed_data:
                continue
            day = ThaiDateField._local_date(value)
            if start <= day <= end or confirmed:
                continue
            self._add_confirm_field()
            field = self.fields[name]
            self.add_error(name, forms.ValidationError(MESSAGES["outside_fiscal_year"], code="outside_fiscal_year",
                                                       params={"field": field.label or "",
                                                               "date": thai.format_date(day),
                                                               "fiscal_year": self.fiscal_year,
                                                               "start": thai.format_date(start),
                                                               "end": thai.format_date(end)}))
        return data
