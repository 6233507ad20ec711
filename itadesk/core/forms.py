from django import forms
from django.utils.translation import gettext_lazy as _


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
