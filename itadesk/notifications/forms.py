from django import forms
from django.utils.translation import gettext_lazy as _

from itadesk.notifications.models import Choice, Kind


class PreferencesForm(forms.Form):
    """One choice (e-mail, LINE, both, nothing) per kind of message."""

    def __init__(self, *args, initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(label=label, choices=Choice.choices,
                                                  initial=initial_choices.get(kind, Choice.EMAIL),
                                                  widget=forms.Select(attrs={"class": "form-select form-select-sm"}))


class LineAccountForm(forms.Form):
    """The province's LINE Official Account: the secrets are never shown back; empty keeps the stored one."""

    channel_secret = forms.CharField(label=_("Channel secret"), required=False, max_length=100,
                                     widget=forms.PasswordInput(render_value=False,
                                                                attrs={"autocomplete": "off", "class": "form-control"}))
    access_token = forms.CharField(label=_("Channel access token"), required=False, max_length=500,
                                   widget=forms.PasswordInput(render_value=False,
                                                              attrs={"autocomplete": "off", "class": "form-control"}))
    monthly_quota = forms.IntegerField(label=_("Messages a month (the plan's quota)"), min_value=0,
                                       widget=forms.NumberInput(attrs={"class": "form-control"}))
    clear = forms.BooleanField(label=_("Remove the stored secret and token"), required=False)
