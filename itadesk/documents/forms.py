"""Forms of the official documents' pages. They check what a person typed; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from itadesk.committee.models import Meeting
from itadesk.core.dateinput import ThaiDateField
from itadesk.core.forms import BootstrapStyle
from itadesk.core.thai import arabic_digits
from itadesk.documents.models import DocumentRegister, DocumentTemplate, IssuedDocument


class RegisterForm(BootstrapStyle, forms.ModelForm):
    class Meta:
        model = DocumentRegister
        fields = ["name", "prefix", "reset", "office_name", "office_address", "contact", "is_active"]
        widgets = {"office_address": forms.Textarea(attrs={"rows": 2}), "contact": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class LastNumberForm(BootstrapStyle, forms.Form):
    year = forms.IntegerField(label=_("period (BE year)"), min_value=0, max_value=2800)
    last_number = forms.IntegerField(label=_("last number already used"), min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


def parse_recipients(text: str) -> tuple[list[dict], list[str]]:
    """One recipient a line: "name | address" (the address may be left out). Returns (rows, errors), each error
    naming its line."""
    rows, errors = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, _sep, address = line.partition("|")
        name, address = " ".join(name.split()), " ".join(address.split())
        if not name:
            errors.append(str(_("Line %(n)s: the recipient's name is empty.")) % {"n": number})
            continue
        if len(name) > 300 or len(address) > 300:
            errors.append(str(_("Line %(n)s: at most 300 characters for a name or an address.")) % {"n": number})
            continue
        rows.append({"name": name, "address": address})
    return rows, errors


def recipients_text(rows) -> str:
    return "\n".join(f"{r['name']} | {r['address']}" if r.get("address") else r["name"] for r in rows or [])


class LetterForm(BootstrapStyle, forms.ModelForm):
    recipients_text = forms.CharField(
        label=_("distribution list (บัญชีส่งหนังสือ)"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One recipient a line: name | address. Leave empty for a letter to one addressee."))

    class Meta:
        model = IssuedDocument
        fields = ["register", "form", "kind", "meeting", "date", "urgency", "subject", "addressee", "reference", "enclosures",
                  "body", "closing", "signer_name", "signer_position", "contact"]
        widgets = {
            "subject": forms.Textarea(attrs={"rows": 2}),
            "reference": forms.Textarea(attrs={"rows": 2}),
            "enclosures": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "signer_position": forms.Textarea(attrs={"rows": 3}),
            "contact": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"date": ThaiDateField}
        help_texts = {"date": _("Empty: the day the letter is issued.")}

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["register"].queryset = DocumentRegister.objects.filter(province=province, is_active=True)
        self.fields["meeting"].queryset = Meeting.objects.filter(province=province)
        self.fields["meeting"].required = False
        self.fields["addressee"].required = False
        self.fields["form"].required = False
        if self.instance and self.instance.pk and not self.is_bound:
            self.initial["recipients_text"] = recipients_text(self.instance.recipients)
        self._style()

    def clean(self):
        data = super().clean()
        rows, errors = parse_recipients(data.get("recipients_text", ""))
        for error in errors:
            self.add_error("recipients_text", error)
        data["recipients"] = rows
        data["form"] = data.get("form") or IssuedDocument.Form.EXTERNAL
        if not rows and not data.get("addressee"):
            self.add_error("addressee", _("Give the addressee (เรียน), or a distribution list."))
        if data.get("kind") in (IssuedDocument.Kind.MINUTES, IssuedDocument.Kind.INVITATION) and not data.get("meeting"):
            self.add_error("meeting", _("Choose the meeting this letter is about."))
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        out = {k: data[k] for k in self.Meta.fields}
        out["recipients"] = data["recipients"]
        out["addressee"] = data.get("addressee") or ""
        return out


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label=_("edited template (.docx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"class": "form-control form-control-sm", "accept": ".docx"})


def template_kind(value: str) -> str | None:
    return value if value in DocumentTemplate.Kind.values else None


def clean_year(value: str) -> int | None:
    try:
        return int(arabic_digits(str(value).strip()))
    except ValueError:
        return None
