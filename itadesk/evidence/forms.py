from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from itadesk.evidence.models import Answer, Decision
from itadesk.evidence.services import parse_urls


class ItemForm(forms.Form):
    """What the agency answers for one OIT item."""

    answer = forms.ChoiceField(
        label=_("Does the agency have this information?"), required=False, widget=forms.RadioSelect,
        choices=[(Answer.HAS, _("Has")), (Answer.HAS_NOT, _("Has not")), (Answer.NOT_ANSWERED, _("Not answered yet"))])
    urls = forms.CharField(
        label=_("URLs (one per line)"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "placeholder": "https://"}),
        help_text=_("Pages on the agency's own main website, as you will enter them in ITAS."))
    explanation = forms.CharField(
        label=_("Where the data is on the page"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the menu, heading or page number, so that an assessor finds each element quickly."))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean_urls(self):
        try:
            return parse_urls(self.cleaned_data.get("urls") or "")
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None

    def clean(self):
        data = super().clean()
        if data.get("answer") == Answer.HAS and "urls" in data and not data["urls"]:
            self.add_error("urls", _("An item answered “has” needs at least one URL."))
        return data


class ExampleForm(forms.Form):
    item_code = forms.ChoiceField(label=_("Item"))
    text = forms.CharField(label=_("Example or advice"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    url = forms.CharField(label=_("Example URL"), required=False, max_length=1000,
                          widget=forms.TextInput(attrs={"placeholder": "https://", "spellcheck": "false"}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_code"].choices = [(code, f"{code} {title}") for code, title in items]

    def clean_url(self):
        url = (self.cleaned_data.get("url") or "").strip()
        if not url:
            return ""
        try:
            urls = parse_urls(url)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        if len(urls) != 1:
            raise forms.ValidationError(_("One example URL at a time."))
        return urls[0]

    def clean(self):
        data = super().clean()
        if not data.get("text") and not data.get("url") and not self.errors:
            raise forms.ValidationError(_("Give a text or a URL."))
        return data


DECISION_CHOICES = [("", _("Not decided")), *Decision.choices]
