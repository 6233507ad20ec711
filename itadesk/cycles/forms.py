import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from itadesk.core.dateinput import FiscalYearConfirmMixin, ThaiDateTimeField
from itadesk.cycles.models import Milestone, Status


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneForm(FiscalYearConfirmMixin, forms.ModelForm):
    """A deadline is typed in the Buddhist era and Bangkok time (17:00 when no time is typed); one outside
    the round's fiscal year needs the confirmation box, a year more than two years away is refused."""

    fiscal_year_fields = ("deadline",)

    class Meta:
        model = Milestone
        fields = ["code", "name_th", "name_en", "description", "opens_at", "deadline", "order"]
        field_classes = {"opens_at": ThaiDateTimeField, "deadline": ThaiDateTimeField}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"deadline": _("Bangkok time, e.g. 17:00 on the last day.")}

    def __init__(self, *args, round=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        self.fields["deadline"].default_time = dt.time(17, 0)
        self.fields["deadline"].widget.attrs["data-default-time"] = "17:00"
        fiscal_year = getattr(round, "fiscal_year", None)
        self.fields["opens_at"].fiscal_year = fiscal_year
        self.use_fiscal_year(fiscal_year)

    def clean_code(self):
        code = self.cleaned_data["code"]
        qs = Milestone.objects.filter(round=self.round, code=code)
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        if qs.exists():
            raise forms.ValidationError(_("This round already has a milestone with this code."))
        return code

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("deadline") and data["opens_at"] >= data["deadline"]:
            self.add_error("opens_at", _("The opening time must be before the deadline."))
        return data
