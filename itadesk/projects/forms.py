"""Forms of the project pages. They check what a person typed; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from itadesk.core.dateinput import ThaiDateField, ThaiTimeField
from itadesk.core.forms import BootstrapStyle
from itadesk.methodology.models import TargetGroup
from itadesk.projects.models import BudgetLine, Event, Project, Registration, Session
from itadesk.registry.models import AgencyKind

RECEIPT_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".heic", ".docx", ".xlsx")
RECEIPT_MAX_BYTES = 10 * 1024 * 1024


class ProjectForm(BootstrapStyle, forms.ModelForm):
    class Meta:
        model = Project
        fields = ["name", "round", "owner_office", "objective", "budget", "budget_source"]
        widgets = {"objective": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_office"].queryset = self.fields["owner_office"].queryset.filter(province=province)
        self.fields["round"].queryset = self.fields["round"].queryset.filter(province=province)
        self._style()


class LineForm(BootstrapStyle, forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["name", "amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class SpendingForm(BootstrapStyle, forms.Form):
    line = forms.ModelChoiceField(label=_("budget line"), queryset=BudgetLine.objects.none())
    date = ThaiDateField(label=_("date"))
    amount = forms.DecimalField(label=_("amount (baht)"), max_digits=14, decimal_places=2, min_value=0.01)
    note = forms.CharField(label=_("note"), max_length=400, required=False)
    receipt = forms.FileField(label=_("receipt"), required=False,
                              help_text=_("PDF or photo, at most 10 MB."))

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = BudgetLine.objects.filter(project=project)
        self._style()

    def clean_receipt(self):
        f = self.cleaned_data.get("receipt")
        if f:
            if not f.name.lower().endswith(RECEIPT_EXTENSIONS):
                raise forms.ValidationError(_("A receipt must be one of: %(ext)s.")
                                            % {"ext": ", ".join(RECEIPT_EXTENSIONS)})
            if f.size > RECEIPT_MAX_BYTES:
                raise forms.ValidationError(_("The receipt is larger than 10 MB."))
        return f


class EventForm(BootstrapStyle, forms.ModelForm):
    class Meta:
        model = Event
        fields = ["title", "date", "start_time", "end_time", "place", "capacity", "default_quota", "target_group",
                  "description"]
        field_classes = {"date": ThaiDateField, "start_time": ThaiTimeField, "end_time": ThaiTimeField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"start_time": _("Bangkok time.")}

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_group"].queryset = self.fields["target_group"].queryset.filter(province=province)
        self._style()


class SessionForm(BootstrapStyle, forms.ModelForm):
    class Meta:
        model = Session
        fields = ["order", "topic", "speaker", "speaker_office", "speaker_office_name", "duration_minutes",
                  "break_after_minutes"]

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker_office"].queryset = self.fields["speaker_office"].queryset.filter(province=province)
        self.fields["order"].required = False
        self.fields["order"].help_text = _("Empty: after the last session.")
        self._style()


class InviteForm(BootstrapStyle, forms.Form):
    WHO = [("kind", _("All agencies of a kind")), ("all", _("All agencies of the province")),
           ("group", _("A saved target group"))]
    who = forms.ChoiceField(label=_("Invite"), choices=WHO, initial="kind")
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "—"), *AgencyKind.choices], required=False)
    group = forms.ModelChoiceField(label=_("target group"), queryset=None, required=False)
    quota = forms.IntegerField(label=_("seats per agency"), min_value=1, max_value=500)

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = TargetGroup.objects.filter(province=province)
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("who") == "kind" and not data.get("kind"):
            self.add_error("kind", _("Choose the kind of agency to invite."))
        if data.get("who") == "group" and not data.get("group"):
            self.add_error("group", _("Choose the target group to invite."))
        return data


class RegistrationForm(BootstrapStyle, forms.ModelForm):
    """The agency admin registers their people; the secretariat may pick any agency or a walk-in."""

    over_quota = forms.BooleanField(label=_("allow over the agency's quota"), required=False)

    class Meta:
        model = Registration
        fields = ["agency", "name", "position", "kind", "phone", "email", "walk_in"]

    def __init__(self, *args, agencies=None, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].required = not staff
        if not staff:
            del self.fields["walk_in"]
            del self.fields["over_quota"]
        self._style()


class QuotaForm(forms.Form):
    quota = forms.IntegerField(min_value=1, max_value=500)
