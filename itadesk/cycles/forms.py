from django import forms
from django.utils.translation import gettext_lazy as _

from itadesk.cycles.models import Milestone, Status


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["code", "name_th", "name_en", "description", "opens_at", "deadline", "order"]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"deadline": _("Bangkok time, e.g. 17:00 on the last day.")}

    def __init__(self, *args, round=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        for name in ("opens_at", "deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

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
