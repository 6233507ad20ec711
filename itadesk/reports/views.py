"""Pages of the monitoring reports: the list (and the form to make one), a report's preview, issuing it,
downloading its PDF, DOCX or XLSX, and deleting a draft."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.committee.models import Meeting
from itadesk.core import downloads, once
from itadesk.core.dateinput import ThaiDateTimeField
from itadesk.core.thai import BANGKOK, format_date
from itadesk.core.views import run_service
from itadesk.registry.models import Province, SupervisingOffice
from itadesk.reports import render as documents
from itadesk.reports import selectors, services
from itadesk.reports.build import cut_off_warning

FORMATS = ("pdf", "docx", "xlsx")


def _provinces(user) -> list[Province]:
    ids = access.province_ids_for(user)
    return [p for p in Province.objects.filter(pk__in=ids).order_by("code") if access.can(user, "view_reports", p)]


def parse_cut_off(text: str) -> dt.datetime:
    """A cut-off typed as ``05/02/2568 10:00`` (Buddhist era, Bangkok time; see ``core.dateinput``) or ISO
    with a time zone. Raises ValidationError naming the field."""
    text = (text or "").strip()
    try:
        return ThaiDateTimeField(label=_("Data as at")).clean(text)
    except ValidationError as e:
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError({"cut_off": e.messages}) from None
    return value if timezone.is_aware(value) else value.replace(tzinfo=BANGKOK)


@login_required
def report_list(request):
    access.require(request.user, "view_reports")
    provinces = _provinces(request.user)
    forms = []
    for province in provinces:
        round_ = selectors.current_round(province)
        targets = selectors.buildable_targets(request.user, province)
        if round_ is None or not targets:
            continue

        meetings = list(Meeting.objects.filter(province=province).order_by("-date", "-id"))
        forms.append({"province": province, "round": round_, "targets": targets, "meetings": meetings})
    wanted_meeting = request.GET.get("meeting", "")
    return render(request, "reports/list.html", {
        "reports": selectors.reports_for(request.user)[:200],
        "forms": forms,
        "wanted_meeting": wanted_meeting,
    })


@login_required
@require_POST
def report_new(request):
    access.require(request.user, "view_reports")
    if (repeat := once.repeat_response(request)) is not None:  # the same "new report" form sent again
        return repeat
    province = Province.objects.filter(pk=request.POST.get("province") or 0).first()
    if province is None or not access.can(request.user, "view_reports", province):
        raise Http404
    round_ = selectors.current_round(province)
    if round_ is None:
        raise Http404
    office = None
    office_id = (request.POST.get("office") or "").strip()
    if office_id:
        office = SupervisingOffice.objects.filter(pk=office_id if office_id.isdigit() else 0, province=province).first()
        if office is None:
            raise Http404
    meeting = None
    meeting_id = (request.POST.get("meeting") or "").strip()
    if meeting_id:
        meeting = Meeting.objects.filter(pk=meeting_id if meeting_id.isdigit() else 0, province=province).first()
        if meeting is None:
            raise Http404
    try:
        cut_off = parse_cut_off(request.POST.get("cut_off")) if request.POST.get("cut_off") else timezone.now()
        report, url = once.create_once(request, lambda: services.create_report(
            actor=request.user, round=round_, office=office, meeting=meeting, cut_off=cut_off),
            lambda made: reverse("reports:detail", args=[made.pk]))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("reports:list")
    if report is None:  # a copy that arrived while the first was being built
        return once.repeat_response(request) or redirect(url)

    if cut_off_warning(report.cut_off, meeting):
        lang = "th" if (request.LANGUAGE_CODE or "th").startswith("th") else "en"
        messages.warning(request, _("The data are as at %(cut)s, after the meeting's date (%(date)s): the report "
                                    "counts what happened after the meeting, and says so.")
                         % {"cut": format_date(report.cut_off, lang=lang), "date": format_date(meeting.date, lang=lang)})
    return redirect("reports:detail", report.pk)


@login_required
def report_detail(request, report_id):
    report = selectors.report_for(request.user, report_id)
    data = services.live_data(report)
    return render(request, "reports/detail.html", {
        "report": report,
        "data": data,
        "sections": documents.tables(data),
        "summary": documents.summary_lines(data),
        "can_issue": not report.is_issued and access.can(request.user, "issue_report", report),
    })


@login_required
@require_POST
def report_issue(request, report_id):
    report = selectors.report_for(request.user, report_id)
    access.require(request.user, "issue_report", report)
    return run_service(
        request, lambda: services.issue_report(actor=request.user, report=report),
        success=_("The report has been issued. Its data and files are kept as they are now."),
        redirect_to=("reports:detail", report.pk))


@login_required
@require_POST
def report_delete(request, report_id):
    report = selectors.report_for(request.user, report_id)
    access.require(request.user, "issue_report", report)
    return run_service(request, lambda: services.delete_draft(actor=request.user, report=report),
                       success=_("The draft has been deleted."), redirect_to="reports:list",
                       refused_to=("reports:detail", report.pk))


@login_required
def report_file(request, report_id, fmt):
    report = selectors.report_for(request.user, report_id)
    if fmt not in FORMATS:
        raise Http404
    if report.is_issued:
        stored = getattr(report, fmt)
        if not stored:
            raise Http404
        with stored.open("rb") as fh:
            body = fh.read()
    else:
        body = documents.render(services.live_data(report), fmt)
    response = HttpResponse(body, content_type=documents.CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    downloads.attach(response, services.file_name(report, fmt), inline=disposition == "inline")
    return response

