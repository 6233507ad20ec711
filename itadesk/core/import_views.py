"""The upload → preview → apply page shared by every import (agencies, progress, results)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from itadesk.core import uploads
from itadesk.core.forms import ImportUploadForm
from itadesk.core.tabular import ImportRefused


def upload_preview_apply(request, *, plan: Callable[[bytes, str], object], apply: Callable[[object], str],
                         done: str, restart: str, template: str, context: dict):
    """An upload is kept under a token and checked (``plan(data, filename)``, writes nothing); the
    page shows the plan; a confirmed plan without errors is applied (``apply(plan)`` returns the
    success message) and the user goes to ``done``. An expired upload sends the user to ``restart``. When the
    apply step refuses (the data changed since the check; nothing is written), the page says why and shows the
    file checked again."""
    token = request.POST.get("token") or ""
    checked = None
    form = ImportUploadForm()
    if request.method == "POST" and "file" in request.FILES:
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            token = uploads.keep(request.user, form.cleaned_data["file"])
    if request.method == "POST" and token:
        loaded = uploads.load(request.user, token)
        if loaded is None:
            messages.error(request, _("The uploaded file has expired; please upload it again."))
            return redirect(restart)
        data, name = loaded
        checked = plan(data, name)
        if request.POST.get("apply") == "1" and not checked.errors:
            try:
                message = apply(checked)
            except ImportRefused as refused:  # the data changed since the check: nothing was written
                messages.error(request, str(refused))
                checked = plan(data, name)
            else:
                uploads.discard(request.user, token)
                messages.success(request, message)
                return redirect(done)
    return render(request, template, {**context, "form": form, "plan": checked, "token": token})
