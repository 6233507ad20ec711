"""The upload → preview → apply page shared by every import (agencies, people, progress, response counts, results),
and the status of a background import job that its progress bar polls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from itadesk.core import imports, uploads
from itadesk.core.forms import ImportUploadForm
from itadesk.core.models import ImportJob
from itadesk.core.tabular import ImportRefused


def upload_preview_apply(request, *, importer: imports.Factory, params: dict, done: str, restart: str,
                         template: str, context: dict):
    """An upload is kept under a token and checked (``plan(data, filename)``, writes nothing); the page shows the
    plan; a confirmed plan without errors is applied (``apply(plan)`` returns the success message) and the user
    goes to ``done``. ``plan`` and ``apply`` come from ``importer(request.user, **params)``, a module-level factory
    marked ``@imports.importer`` (``params``: JSON values). An expired upload sends the user to ``restart``. When
    the apply step refuses (the data changed since the check; nothing is written), the page says why and shows the
    file checked again.

    A large file (``imports.is_large``) is checked, and applied, by a background job instead: the page redirects
    to itself with ``?job=<id>``, which shows a progress bar until the job is done, then the same preview (or,
    once applied, goes to ``done`` with the job's message)."""
    if request.method == "GET" and request.GET.get("job"):
        return _job_page(request, importer=importer, params=params, done=done, restart=restart,
                         template=template, context=context)
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
        applying = request.POST.get("apply") == "1"
        if imports.is_large(data, name):
            job = imports.start(user=request.user, factory=importer, params=params, token=token, filename=name,
                                apply=applying)
            query = request.GET.copy()
            query["job"] = str(job.pk)
            return redirect(f"{request.path}?{query.urlencode()}")
        plan, apply = importer(request.user, **params)
        checked = plan(data, name)
        if applying and not checked.errors:
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


def _job_page(request, *, importer, params, done, restart, template, context):
    try:
        job_id = int(request.GET["job"])
    except ValueError:
        job_id = 0
    job = ImportJob.objects.filter(pk=job_id, user=request.user, importer=imports.path_of(importer)).first()
    if job is None or job.params != params:
        messages.error(request, _("The uploaded file has expired; please upload it again."))
        return redirect(restart)
    page = {**context, "form": ImportUploadForm(), "plan": None, "token": job.token}
    if not job.is_finished:
        return render(request, template, {**page, "job": job, "job_status": imports.status(job)})
    if job.status == ImportJob.Status.FAILED:
        messages.error(request, job.message or _("The check stopped with an error. Nothing was imported."))
        return redirect(restart)
    if job.applied:
        messages.success(request, job.message)
        return redirect(done)
    plan = imports.load_plan(job)
    if plan is None:
        messages.error(request, _("The uploaded file has expired; please upload it again."))
        return redirect(restart)
    if job.message:  # the apply step refused: the data changed since the check
        messages.error(request, job.message)
    return render(request, template, {**page, "plan": plan})


@login_required
def import_job_status(request, job_id):
    """How far a background import has got (JSON for the progress bar); only its owner sees it."""
    job = get_object_or_404(ImportJob, pk=job_id, user=request.user)
    return JsonResponse(imports.status(job))
