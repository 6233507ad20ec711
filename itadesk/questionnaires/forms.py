from django import forms
from django.utils.translation import gettext_lazy as _

from itadesk.core.dateinput import ThaiDateTimeField


class SettingsForm(forms.Form):
    """The organiser's settings: times (Bangkok), tokens (IIT), wording the framework lacks."""

    opens_at = ThaiDateTimeField(label=_("Opens at"), required=False)
    closes_at = ThaiDateTimeField(label=_("Closes at"), required=False)
    uses_tokens = forms.BooleanField(label=_("One-time tokens (one per staff member)"), required=False)

    def __init__(self, *args, wording_codes=(), allow_tokens=False, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.wording_codes = list(wording_codes)
        if not allow_tokens or locked:
            del self.fields["uses_tokens"]
        if not locked:
            for code in self.wording_codes:
                self.fields[f"text-{code}"] = forms.CharField(
                    label=_("Wording of %(code)s") % {"code": code}, required=False, max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        o, c = data.get("opens_at"), data.get("closes_at")
        if o and c and c <= o:
            self.add_error("closes_at", _("The closing time must be after the opening time."))
        return data

    def custom_texts(self) -> dict:
        return {code: self.cleaned_data.get(f"text-{code}") or "" for code in self.wording_codes
                if f"text-{code}" in self.fields}


class TokensForm(forms.Form):
    count = forms.IntegerField(label=_("Number of tokens"), min_value=1, max_value=2000)
