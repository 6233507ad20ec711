"""Monitoring reports (รายงานผลการกำกับติดตาม): a supervising office's report to a committee meeting, or the
province-wide summary of the secretariat. A draft is rebuilt from live data each time it is shown; an
issued report keeps the data it was built from and its PDF, DOCX and XLSX files, and never changes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itadesk.cycles.models import Round
from itadesk.registry.models import Province, SupervisingOffice


class MonitoringReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="monitoring_reports",
                                 verbose_name=_("province"))
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="monitoring_reports",
                              verbose_name=_("round"))
    office = models.ForeignKey(SupervisingOffice, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="monitoring_reports", verbose_name=_("supervising office"),
                               help_text=_("Empty: the province-wide summary."))
    meeting = models.ForeignKey("committee.Meeting", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="monitoring_reports", verbose_name=_("meeting"))
    cut_off = models.DateTimeField(_("data as at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    data = models.JSONField(_("report data"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/", max_length=300, blank=True)
    docx = models.FileField(_("DOCX"), upload_to="reports/%Y/", max_length=300, blank=True)
    xlsx = models.FileField(_("XLSX annex"), upload_to="reports/%Y/", max_length=300, blank=True)

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["province", "round", "office"])]

    def __str__(self):
        who = self.office.short_name or self.office.name_th if self.office_id else self.province.name_th
        return f"{who} · {self.cut_off:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self).objects.filter(pk=self.pk, status=self.Status.ISSUED).exists():
            raise ValidationError(_("An issued report cannot be changed; make a new one."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_issued:
            raise ValidationError(_("An issued report cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED
