"""Forms of the committee pages. They check what a person typed; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from itadesk.committee import selectors
from itadesk.committee.models import ActionItem, AgendaItem, Attendance, CommitteeMember, Meeting, Problem
from itadesk.committee.services import (
    ACTION_FILE_EXTENSIONS,
    ATTACHMENT_EXTENSIONS,
    check_action_file,
    check_attachment,
    check_number,
    normalize_number,
)
from itadesk.core.dateinput import ThaiDateField, ThaiTimeField
from itadesk.core.forms import BootstrapStyle
from itadesk.methodology.models import TargetGroup
from itadesk.registry.models import Agency, AgencyKind, SupervisingOffice


class MemberForm(BootstrapStyle, forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["name", "position", "committee_role", "office", "note"]

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = self.fields["office"].queryset.filter(province=province)
        self._style()


class MeetingForm(BootstrapStyle, forms.ModelForm):
    online_link = forms.URLField(label=_("online meeting link"), required=False, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = ["number", "title", "round", "date", "scheduled_time", "started_time", "ended_time", "place",
                  "online_link", "chair", "minutes_taker", "minutes_checker"]
        field_classes = {"date": ThaiDateField, "scheduled_time": ThaiTimeField, "started_time": ThaiTimeField,
                         "ended_time": ThaiTimeField}
        help_texts = {"scheduled_time": _("Bangkok time.")}

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = CommitteeMember.objects.filter(province=province)
        self.fields["round"].queryset = self.fields["round"].queryset.filter(province=province)
        self._style()

    def clean(self):
        data = super().clean()
        start, end = data.get("started_time"), data.get("ended_time")
        if start and end and end < start:
            self.add_error("ended_time", _("The meeting cannot close before it opens."))
        return data


class ItemForm(BootstrapStyle, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["section", "number", "title", "presenter_office", "presenter", "body", "resolution_kind",
                  "resolution_text"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8}), "resolution_text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["presenter_office"].queryset = self.fields["presenter_office"].queryset.filter(
            province_id=meeting.province_id)
        self._style()

    def clean(self):
        from django.core.exceptions import ValidationError

        data = super().clean()
        if "section" in data:
            data["number"] = normalize_number(data.get("number", ""))
            try:
                check_number(data["section"], data["number"])
            except ValidationError as e:
                for field, errors in e.message_dict.items():
                    self.add_error(field, errors)
            if "number" in data:
                clash = AgendaItem.objects.filter(meeting=self.meeting, section=data["section"],
                                                  number=data["number"])
                if self.instance.pk:
                    clash = clash.exclude(pk=self.instance.pk)
                if clash.exists():
                    self.add_error("number", _("This meeting already has agenda item %(n)s.")
                                   % {"n": data["number"] or data["section"]})
        return data

    def validate_unique(self):
        pass  # checked in clean() with a clearer message


class AttendanceForm(BootstrapStyle, forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ["status", "member", "name", "position", "office", "reason", "delegate_name"]

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["member"].queryset = CommitteeMember.objects.filter(province_id=meeting.province_id)
        self._style()

    def clean(self):
        data = super().clean()
        status, member = data.get("status"), data.get("member")
        if status == Attendance.Status.ATTENDEE:
            if member:
                self.add_error("member", _("A committee member is present, absent or represented, "
                                           "not an other attendee."))
            if not (data.get("name") or "").strip():
                self.add_error("name", _("An other attendee needs a name."))
        elif status:
            if not member:
                self.add_error("member", _("Choose the committee member."))
            if status == Attendance.Status.ABSENT and not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give the reason of the absence."))
            if status == Attendance.Status.DELEGATED and not (data.get("delegate_name") or "").strip():
                self.add_error("delegate_name", _("Name the person who attends in the member's place."))
            if member:
                clash = Attendance.objects.filter(meeting=self.meeting, member=member)
                if self.instance.pk:
                    clash = clash.exclude(pk=self.instance.pk)
                if clash.exists():
                    self.add_error("member", _("%(name)s is already on this meeting's attendance list.")
                                   % {"name": member.name})
        return data

    def validate_unique(self):
        pass  # checked in clean() with a clearer message


class AttachmentForm(BootstrapStyle, forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("Accepted: %(types)s") % {
        "types": " ".join(ATTACHMENT_EXTENSIONS)})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_file(self):
        from django.core.exceptions import ValidationError

        uploaded = self.cleaned_data["file"]
        try:
            check_attachment(uploaded)
        except ValidationError as e:
            raise forms.ValidationError(e.message_dict["file"]) from None
        return uploaded


class AdoptForm(BootstrapStyle, forms.Form):
    at_meeting = forms.ModelChoiceField(label=_("Adopted at meeting"), queryset=Meeting.objects.none())
    item = forms.ModelChoiceField(label=_("Under agenda item 2 of that meeting"), queryset=AgendaItem.objects.none(),
                                  required=False)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        later = Meeting.objects.filter(province_id=meeting.province_id, date__gte=meeting.date).exclude(pk=meeting.pk)
        self.fields["at_meeting"].queryset = later
        self.fields["item"].queryset = AgendaItem.objects.filter(meeting__in=later, section=2).select_related("meeting")
        self.fields["item"].label_from_instance = lambda i: f"{i.meeting.number} — {i.number or 2} {i.title}"
        self._style()

    def clean(self):
        data = super().clean()
        item, at = data.get("item"), data.get("at_meeting")
        if item and at and item.meeting_id != at.pk:
            self.add_error("item", _("This agenda item is not of the adopting meeting."))
        return data


# --- action items and problems ----------------------------------------------------------------------------

class ActionForm(BootstrapStyle, forms.ModelForm):
    due_date = ThaiDateField(label=_("due date"), required=False, help_text=_("Bangkok date; late from the next day."))

    class Meta:
        model = ActionItem
        fields = ["kind", "title", "office", "due_date", "meeting", "agenda_item", "detail"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 4}), "kind": forms.RadioSelect}

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = self.fields["office"].queryset.filter(province=province)
        self.fields["meeting"].queryset = Meeting.objects.filter(province=province)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting__province=province).select_related(
            "meeting")
        self.fields["agenda_item"].label_from_instance = (
            lambda i: f"{i.meeting.label} — {i.number or i.section} {i.title}"[:150])
        if self.instance.pk and self.instance.targets.exists():
            self.fields["kind"].disabled = True
        self._style()
        self.fields["kind"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        item, meeting = data.get("agenda_item"), data.get("meeting")
        if item and meeting and item.meeting_id != meeting.pk:
            self.add_error("agenda_item", _("This agenda item is not of the chosen meeting."))
        return data


class AgencyChoiceForm(BootstrapStyle, forms.Form):
    """How the agencies asked are chosen: one by one, every agency of a kind, every agency an office follows,
    or a saved target group."""

    MODES = [("pick", _("Choose agencies one by one")), ("kind", _("Every agency of a kind")),
             ("office", _("Every agency an office follows")), ("group", _("A saved target group"))]
    mode = forms.ChoiceField(label=_("Agencies asked"), choices=MODES, widget=forms.RadioSelect, required=False)
    agencies = forms.ModelMultipleChoiceField(label=_("Agencies"), queryset=None, required=False,
                                              widget=forms.SelectMultiple(attrs={"size": 10}))
    kind_choice = forms.ChoiceField(label=_("Kind of agency"), required=False)
    office_choice = forms.ModelChoiceField(label=_("Office"), queryset=None, required=False)
    group = forms.ModelChoiceField(label=_("Target group"), queryset=None, required=False)

    def __init__(self, *args, province=None, required=False, **kwargs):
        super().__init__(*args, prefix="ask", **kwargs)
        self.province, self.required = province, required
        self.fields["agencies"].queryset = Agency.objects.filter(province=province, active=True).order_by("name_th")
        self.fields["kind_choice"].choices = [("", "---------"), ("local", _("Every local government")),
                                              *AgencyKind.choices]
        self.fields["office_choice"].queryset = SupervisingOffice.objects.filter(province=province)
        self.fields["group"].queryset = TargetGroup.objects.filter(province=province)
        self._style()
        self.fields["mode"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        from django.core.exceptions import ValidationError

        data = super().clean()
        mode = data.get("mode") or ""
        data["chosen"], data["description"] = [], ""
        if not mode:
            if self.required:
                self.add_error("mode", _("Choose how the agencies are chosen."))
            return data
        try:
            chosen, description = selectors.resolve_agencies(
                self.province, mode=mode, agency_ids=[a.pk for a in data.get("agencies") or []],
                kind=data.get("kind_choice") or "", office=data.get("office_choice"), group=data.get("group"))
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
            return data
        if not chosen:
            field = {"pick": "agencies", "kind": "kind_choice", "office": "office_choice"}.get(mode, "group")
            self.add_error(field, _("No agency was chosen: %(how)s gives no active agency.") % {"how": description})
        data["chosen"], data["description"] = chosen, description
        return data


class UpdateForm(BootstrapStyle, forms.Form):
    """A status change or a note with an optional file (action item or one agency asked)."""

    text = forms.CharField(label=_("Update"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=4000)
    file = forms.FileField(label=_("File"), required=False, help_text=_("Accepted: %(types)s") % {
        "types": " ".join(ACTION_FILE_EXTENSIONS)})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_file(self):
        from django.core.exceptions import ValidationError

        uploaded = self.cleaned_data.get("file")
        if uploaded:
            try:
                check_action_file(uploaded)
            except ValidationError as e:
                raise forms.ValidationError(e.message_dict["file"]) from None
        return uploaded


class ProblemForm(BootstrapStyle, forms.ModelForm):
    since = ThaiDateField(label=_("since"), required=False)

    class Meta:
        model = Problem
        fields = ["office", "title", "detail", "agencies", "since", "action_taken", "request_to_committee"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 3}), "action_taken": forms.Textarea(attrs={"rows": 3}),
                   "request_to_committee": forms.Textarea(attrs={"rows": 3}),
                   "agencies": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, offices=None, province=None, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["office"].queryset = offices
        self.fields["agencies"].queryset = Agency.objects.filter(province=province).order_by("name_th")
        self.fields["agencies"].required = False
        if offices.count() == 1:
            self.fields["office"].initial = offices.first().pk
        self._style()
