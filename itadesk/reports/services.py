"""Writes of monitoring reports: make a draft, issue it (snapshot of the data and the three files), delete
a draft. One transaction and one history event each; an issued report is never changed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from itadesk.accounts import access
from itadesk.core import audit
from itadesk.core.downloads import download_name
from itadesk.core.services import actor_user
from itadesk.core.thai import format_date
from itadesk.notifications import services as notify
from itadesk.notifications.models import Kind
from itadesk.registry.models import SupervisingOffice
from itadesk.reports import build, render
from itadesk.reports.models import MonitoringReport

FIELDS = ["province_id", "round_id", "office_id", "meeting_id", "cut_off", "status", "issued_at"]


def _check_build(actor, *, round, office):
    if actor is None:
        return  # the command line runs as the system
    target = office if office is not None else round.province
    if not access.can(actor, "build_report", target):
        raise PermissionDenied


@transaction.atomic
def create_report(*, actor, round, office=None, meeting=None, cut_off=None) -> MonitoringReport:
    """A draft report of ``office`` (None: the province summary) for ``meeting`` with data as at ``cut_off``."""
    _check_build(actor, round=round, office=office)
    cut_off = cut_off or timezone.now()
    if timezone.is_naive(cut_off):
        raise ValidationError({"cut_off": [_("Cut-off: give a date and time with its time zone.")]})
    if office is not None and office.province_id != round.province_id:
        raise ValidationError({"office": [_("The office is not in the round's province.")]})
    if meeting is not None and meeting.province_id != round.province_id:
        raise ValidationError({"meeting": [_("The meeting is not in the round's province.")]})
    report = MonitoringReport.objects.create(province_id=round.province_id, round=round, office=office,
                                             meeting=meeting, cut_off=cut_off, created_by=actor_user(actor))
    audit.record(actor=actor, action="report.create", obj=report, after=audit.snapshot(report, FIELDS))
    return report


def live_data(report: MonitoringReport) -> dict:
    """A draft's data, built now from live data as at its cut-off; an issued report's stored data."""
    if report.is_issued:
        return report.data
    return build.monitoring(report.round, report.office, report.cut_off, meeting=report.meeting)


def file_name(report: MonitoringReport, fmt: str) -> str:
    who = report.office.code if report.office_id else f"province-{report.province.code}"
    return download_name(f"monitoring-{who}", fmt, when=report.cut_off)  # the cut-off, Bangkok time, BE


def issue_report(*, actor, report: MonitoringReport, now=None) -> MonitoringReport:
    """Build the data and the PDF, DOCX and XLSX once, store them with the report and mark it issued. The
    documents are made before the transaction opens (they take time), then written with the row in one
    transaction; a report issued meanwhile by someone else is refused."""
    if actor is not None and not access.can(actor, "issue_report", report):
        raise PermissionDenied
    if report.is_issued:
        raise ValidationError(_("This report has already been issued; make a new one."))
    data = build.monitoring(report.round, report.office, report.cut_off, meeting=report.meeting)
    files = {fmt: render.render(data, fmt) for fmt in ("pdf", "docx", "xlsx")}
    with transaction.atomic():
        locked = (MonitoringReport.objects.filter(pk=report.pk).order_by()
                  .select_for_update(of=("self",)).first())
        if locked is None:
            raise ValidationError(_("This report no longer exists."))
        if locked.is_issued:
            raise ValidationError(_("This report has already been issued; make a new one."))
        before = audit.snapshot(locked, FIELDS)
        locked.data = data
        for fmt, body in files.items():
            getattr(locked, fmt).save(file_name(locked, fmt), ContentFile(body), save=False)
        locked.status = MonitoringReport.Status.ISSUED
        locked.issued_by = actor_user(actor)
        locked.issued_at = now or timezone.now()
        locked.save()
        audit.record(actor=actor, action="report.issue", obj=locked, before=before,
                     after={**audit.snapshot(locked, FIELDS), "files": [getattr(locked, f).name for f in files]})
        _notify_issued(locked)
    return locked


def _notify_issued(report: MonitoringReport) -> None:
    """An office's report to that office; the province-wide summary to the secretariat and every office."""
    link = notify.site_url(reverse("reports:detail", args=[report.pk]))
    whom = report.office.name_th if report.office_id else f"จังหวัด{report.province.name_th}"
    subject = f"[ITA Desk] รายงานผลการกำกับติดตาม {whom} ออกแล้ว ({report.round.name})"
    body = (f"รายงานผลการกำกับติดตามการประเมิน ITA ของ{whom} ข้อมูล ณ {format_date(report.cut_off)} "
            f"ออกแล้ว (PDF, Word และ Excel)\n\nเปิดดูและดาวน์โหลดได้ที่: {link}\n\nITA Desk")
    message = notify.Message(Kind.REPORT_ISSUED, subject, body, link)
    if report.office_id:
        notify.notify_office(message, report.office)
        return
    notify.notify_secretariat(message, report.province_id)
    for office in SupervisingOffice.objects.filter(province_id=report.province_id).order_by("order", "pk"):
        notify.notify_office(message, office)


@transaction.atomic
def delete_draft(*, actor, report: MonitoringReport) -> None:
    if actor is not None and not access.can(actor, "issue_report", report):
        raise PermissionDenied
    if report.is_issued:
        raise ValidationError(_("An issued report cannot be deleted."))
    audit.record(actor=actor, action="report.delete", obj=report, before=audit.snapshot(report, FIELDS))
    report.delete()
