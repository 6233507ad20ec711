"""Forms of the registry pages. They only collect what was typed: the services normalise and check every
value (registry.services.update_agency), so the web, the CLI and imports follow the same rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from itadesk.registry.models import Agency, AgencyKind, District


def _initial(agency: Agency, names) -> dict:
    return {name: getattr(agency, "district_id" if name == "district" else name) for name in names}


class AgencyContactForm(forms.Form):
    """What an agency's own admin may change (and the secretariat, as part of the full form)."""

    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=200,
                            help_text=_("e.g. 042 811 234, 081 234 5678, 042 811 234 ext. 12; several separated "
                                        "by commas."))
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    website = forms.CharField(label=_("Main website"), required=False, max_length=400,
                              help_text=_("The agency's own site (http:// or https://), the one its OIT answers "
                                          "link to."))

    FIELDS = ("contact_name", "phone", "email", "website")

    def __init__(self, *args, agency: Agency, **kwargs):
        kwargs.setdefault("initial", _initial(agency, self.FIELDS))
        super().__init__(*args, **kwargs)
        self.agency = agency
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def changes(self) -> dict:
        """The submitted values, as the service takes them."""
        return {("district_id" if k == "district" else k): v for k, v in self.cleaned_data.items()}


class AgencyForm(AgencyContactForm):
    """Every field the secretariat may change."""

    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgencyKind.choices)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False,
                                      empty_label="—")
    itas_code = forms.CharField(label=_("ITAS code"), required=False, max_length=40,
                                help_text=_("The code NACC gives the agency in ITAS, e.g. u4gpi2."))
    active = forms.BooleanField(label=_("Active"), required=False,
                                help_text=_("An inactive agency is not offered for new rounds."))

    FIELDS = ("name_th", "name_en", "kind", "district", "itas_code", "active", *AgencyContactForm.FIELDS)
    field_order = FIELDS

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, agency=agency, **kwargs)
        self.fields["district"].queryset = District.objects.filter(province_id=agency.province_id)
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.fields["district"].widget.attrs["class"] = "form-select"
        self.fields["active"].widget.attrs["class"] = "form-check-input"

    def changes(self) -> dict:
        data = super().changes()
        district = data.get("district_id")
        data["district_id"] = district.pk if district is not None else None
        return data


class ItasListForm(forms.Form):
    pasted = forms.CharField(label=_("Paste a list"), required=False, widget=forms.Textarea(attrs={
        "rows": 6, "class": "form-control font-monospace", "placeholder": "06420205\tu4gpi2"}),
        help_text=_("One agency a line: its DLA code (or exact Thai name), then its ITAS code, separated by a "
                    "tab (copied from a spreadsheet) or a comma."))
