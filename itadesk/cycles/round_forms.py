"""Forms of the pages that start a round and change its settings (views in ``round_views.py``)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from itadesk.core.dateinput import ThaiDateField
from itadesk.core.thai import BANGKOK
from itadesk.cycles.models import Round
from itadesk.cycles.round_setup import DEADLINE_HOUR
from itadesk.methodology.models import FrameworkVersion
from itadesk.registry.models import AgencyKind, District, SupervisingOffice


# The date fields of these forms, declared here only: Buddhist-era dates (core/dateinput.py).
def date_field(**kwargs) -> ThaiDateField:
    return ThaiDateField(**kwargs)


def deadline_at(day: dt.date) -> dt.datetime:
    """A deadline typed as a day: that day at 17:00 Bangkok."""
    return dt.datetime(day.year, day.month, day.day, DEADLINE_HOUR, 0, tzinfo=BANGKOK)


class NewRoundForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("Fiscal year (BE)"), min_value=2500, max_value=2700)
    source = forms.ModelChoiceField(label=_("Copy from the round"), queryset=Round.objects.none(), required=False,
                                    empty_label=_("(the latest earlier round)"))
    framework = forms.ModelChoiceField(label=_("Framework"), queryset=None, required=False,
                                       empty_label=_("(installed for that year, else a provisional copy)"))
    participants = forms.ChoiceField(label=_("Participants"), initial="province", widget=forms.RadioSelect, choices=[
        ("province", _("every active agency of the province")), ("previous", _("the copied round's agencies"))])
    adopt_coaching = forms.BooleanField(label=_("Adopt the proposed coaching group"), required=False)
    make_current = forms.BooleanField(label=_("Make it the current round"), required=False, initial=True)

    def __init__(self, *args, province, milestone_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province
        self.fields["source"].queryset = Round.objects.filter(province=province)
        self.fields["framework"].queryset = FrameworkVersion.objects.all()
        try:
            year = int(self.data.get("fiscal_year") or self.initial.get("fiscal_year") or 0) or None
        except (TypeError, ValueError):
            year = None
        for code in milestone_codes:  # a year more than two years from the round's is refused
            self.fields[f"deadline-{code}"] = date_field(label=code, required=False, fiscal_year=year)

    def deadlines(self) -> dict[str, dt.datetime]:
        return {name.removeprefix("deadline-"): deadline_at(value) for name, value in self.cleaned_data.items()
                if name.startswith("deadline-") and value}


class AgencyPickForm(forms.Form):
    """Pick agencies in bulk: by kind, district, the office that follows them, or a list of codes."""

    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *AgencyKind.choices])
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    office = forms.ModelChoiceField(label=_("Followed by"), queryset=SupervisingOffice.objects.none(),
                                    required=False)
    codes = forms.CharField(label=_("Agency codes (ITAS or DLA), one a line"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    codes_file = forms.FileField(label=_("or a file of codes (.txt or .csv)"), required=False)

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(province=province)
        self.fields["office"].queryset = SupervisingOffice.objects.filter(province=province)

    def has_filter(self) -> bool:
        d = self.cleaned_data
        return bool(d.get("kind") or d.get("district") or d.get("office"))

    def code_text(self) -> str:
        text = self.cleaned_data.get("codes") or ""
        upload = self.cleaned_data.get("codes_file")
        if upload:
            raw = upload.read(1_000_000)
            for encoding in ("utf-8-sig", "cp874"):
                try:
                    text += "\n" + raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
        return text


class RoundSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    public_dashboard = forms.BooleanField(label=_("Public dashboard"), required=False)


class HolidayForm(forms.Form):
    year = forms.IntegerField(label=_("Year (BE), empty for every year"), required=False, min_value=2500,
                              max_value=2700)
    day = forms.IntegerField(label=_("Day"), min_value=1, max_value=31)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    source = forms.CharField(label=_("Source"), max_length=500,
                             help_text=_("Where the date comes from, e.g. the announcement of the Prime Minister's "
                                         "Office for that year."))
