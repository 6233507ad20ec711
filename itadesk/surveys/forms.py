"""Forms of the stakeholder data and the response counts. Numbers are typed as text so that Thai digits
and thousands separators are accepted (``๑,๒๕๐``); every refusal names its field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itadesk.core.dateinput import ThaiDateField, ThaiDateInput
from itadesk.core.thai import format_date
from itadesk.surveys.models import STAFF_TYPES
from itadesk.surveys.parsing import CountError, parse_count


def count_message(label, exc: CountError) -> str:
    if exc.code == "empty":
        return _("%(field)s: required.") % {"field": label}
    if exc.code == "negative":
        return _("%(field)s: must not be negative (“%(value)s”).") % {"field": label, "value": exc.raw}
    if exc.code == "fraction":
        return _("%(field)s: must be a whole number (“%(value)s”).") % {"field": label, "value": exc.raw}
    if exc.code == "grouping":
        return _("%(field)s: the thousands separators are misplaced (“%(value)s”).") % {
            "field": label, "value": exc.raw}
    return _("%(field)s: enter a number, not “%(value)s”.") % {"field": label, "value": exc.raw}


class CountField(forms.CharField):
    """A whole number ≥ 0 typed with Arabic or Thai digits, with or without thousands separators."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        if self.required and (value is None or not str(value).strip()):
            raise forms.ValidationError(_("%(field)s: required.") % {"field": self.label}, code="required")
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return parse_count(value)
        except CountError as exc:
            raise forms.ValidationError(count_message(self.label, exc)) from exc


class StakeholderForm(forms.Form):
    internal_count = CountField(label=gettext_lazy("Staff with at least 1 year of service"),
                                help_text=gettext_lazy("Executives to contract staff, as counted for the IIT."))
    external_people = CountField(label=gettext_lazy("People served (estimate per year)"), required=False)
    external_organizations = CountField(label=gettext_lazy("Organizations served (estimate per year)"),
                                        required=False)
    external_groups = forms.CharField(
        label=gettext_lazy("External stakeholder groups (optional)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One group a line: name | contact channel (e.g. Farmers | LINE group of the "
                               "subdistrict)."))

    @classmethod
    def initial_from(cls, data) -> dict:
        if data is None:
            return {}
        initial = {"internal_count": data.internal_count, "external_people": data.external_people,
                   "external_organizations": data.external_organizations,
                   "external_groups": "\n".join(f"{g['name']} | {g.get('channel', '')}".rstrip(" |")
                                                for g in data.external_groups)}
        for key, value in (data.internal_breakdown or {}).items():
            initial[f"staff_{key}"] = value
        return initial

    def staff_fields(self):
        return [self[f"staff_{key}"] for key, _label in STAFF_TYPES]

    def clean(self):
        cleaned = super().clean()
        count = cleaned.get("internal_count")
        if count == 0:
            self.add_error("internal_count", _("%(field)s: must be at least 1 (an agency has staff).")
                           % {"field": self.fields["internal_count"].label})
        breakdown = {key: cleaned.get(f"staff_{key}") for key, _label in STAFF_TYPES}
        breakdown = {k: v for k, v in breakdown.items() if v is not None}
        if breakdown and count and not self.errors:
            total = sum(breakdown.values())
            if total != count:
                self.add_error("internal_count", _(
                    "%(field)s: the staff by type add up to %(sum)s, not %(total)s.") % {
                    "field": self.fields["internal_count"].label, "sum": f"{total:,}", "total": f"{count:,}"})
        cleaned["internal_breakdown"] = breakdown
        people = cleaned.get("external_people") or 0
        orgs = cleaned.get("external_organizations") or 0
        if "external_people" not in self.errors and "external_organizations" not in self.errors:
            if people + orgs == 0:
                self.add_error("external_people", _("%(field)s: give an estimate of at least 1 person or "
                                                    "organization served.")
                               % {"field": self.fields["external_people"].label})
        cleaned["external_people"], cleaned["external_organizations"] = people, orgs
        groups = []
        for n, line in enumerate((cleaned.get("external_groups") or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, channel = line.partition("|")
            if not name.strip():
                self.add_error("external_groups", _("%(field)s, line %(n)s: the group's name is missing.")
                               % {"field": self.fields["external_groups"].label, "n": n})
                continue
            groups.append({"name": name.strip()[:200], "channel": channel.strip()[:200]})
        cleaned["groups"] = groups
        return cleaned


# The staff by type, after the fields above (each form copies them, as it does its declared fields).
StakeholderForm.base_fields.update({f"staff_{key}": CountField(label=label, required=False)
                                    for key, label in STAFF_TYPES})


class UnlockForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for unlocking"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=1000)


class ResponseForm(forms.Form):
    on_date = ThaiDateField(label=gettext_lazy("Counted on"),
                            widget=ThaiDateInput(attrs={"class": "form-control form-control-sm"}))

    def __init__(self, *args, instruments=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instruments = list(instruments)
        self.today = today
        if today and not self.is_bound:
            self.initial.setdefault("on_date", today)
        for inst in self.instruments:
            self.fields[f"count_{inst.code}"] = CountField(
                label=_("%(code)s respondents") % {"code": inst.code}, required=False)

    def count_fields(self):
        return [self[f"count_{i.code}"] for i in self.instruments]

    def clean(self):
        cleaned = super().clean()
        on_date = cleaned.get("on_date")
        if on_date and self.today and on_date > self.today:
            self.add_error("on_date", _("%(field)s: %(date)s is in the future.")
                           % {"field": self.fields["on_date"].label, "date": format_date(on_date)})
        counts = {i.code: cleaned.get(f"count_{i.code}") for i in self.instruments}
        cleaned["counts"] = {c: n for c, n in counts.items() if n is not None}
        if not cleaned["counts"] and not any(f"count_{i.code}" in self.errors for i in self.instruments):
            raise forms.ValidationError(_("Give the number of respondents of at least one questionnaire."))
        return cleaned
