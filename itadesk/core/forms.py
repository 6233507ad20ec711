from django import forms
from django.utils.translation import gettext_lazy as _


class BootstrapStyle:
    """A form mixin: ``self._style()`` gives every widget Bootstrap's class (select, check box or radio,
    else text control), keeping a class a field already set."""

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)


def form_changes(form: forms.BaseForm) -> dict:
    """A valid form's values by field name, as the ``save_*`` services take them (``changes=``)."""
    return {name: form.cleaned_data[name] for name in form.fields}


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("File (XLSX or CSV)"))

    def clean_file(self):
        from django.conf import settings

        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Only .xlsx and .csv files can be imported."))
        if f.size > settings.ITADESK_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return f


def add_service_errors(form: forms.BaseForm, error: forms.ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
