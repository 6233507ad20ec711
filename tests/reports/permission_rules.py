"""Permission rules of the reports URLs (merged into tests/test_permissions.py RULES).

An office's officers and reviewers read and issue only their own office's reports; the secretariat of the
province (and superusers) read all of the province's; agency users see none (403 on the list, 404 on a
report). The report used here is a draft of the local-government promotion office (สถ.จ.)."""

from tests.permission_kit import CAST, LOGIN, NOT_SEE_SAO1, OFFICERS, REDIRECT, SEE_SAO1, expect, only  # noqa: F401

READERS = ["secretariat", "superuser", *OFFICERS, "reviewer"]
LOCAL = ["secretariat", "superuser", "local_officer"]


def _report(w):
    """A fresh draft report of the local office (each user gets its own: issuing or deleting changes it)."""
    from itadesk.reports.models import MonitoringReport

    report = MonitoringReport.objects.create(province=w.province, round=w.round, office=w.local,
                                             cut_off=w.m1.deadline)
    return {"report_id": report.pk}


RULES = {
    "reports:list": ("get", lambda w: {}, only(READERS)),
    # the matrix posts no province: those who may make reports get 404 (no such province), the others 403
    "reports:new": ("post", lambda w: {}, only(READERS, ok=404)),
    "reports:detail": ("get", _report, only(LOCAL, denied=404)),
    "reports:issue": ("post", _report, only(LOCAL, ok=REDIRECT, denied=404)),
    "reports:delete": ("post", _report, only(LOCAL, ok=REDIRECT, denied=404)),
    "reports:file": ("get", lambda w: {**_report(w), "fmt": "xlsx"}, only(LOCAL, denied=404)),
}
