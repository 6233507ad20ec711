from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from itadesk.core.dateinput import ThaiDateField
from itadesk.core.thai import to_bangkok


class TokenForm(forms.Form):
    name = forms.CharField(label=_("token name"), max_length=100,
                           help_text=_("What will use it, e.g. “the district office's spreadsheet”."))
    expires_on = ThaiDateField(label=_("expires on"), required=False,
                               help_text=_("Optional: the token stops working at the end of this day (Bangkok time)."))

    def expires_at(self):
        day = self.cleaned_data.get("expires_on")
        if not day:
            return None
        start = to_bangkok(dt.datetime.now(dt.UTC)).replace(year=day.year, month=day.month, day=day.day, hour=0,
                                                            minute=0, second=0, microsecond=0)
        return start + dt.timedelta(days=1)
