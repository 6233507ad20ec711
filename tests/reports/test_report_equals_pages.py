"""The monitoring report agrees with the pages: for the same instant, every number of an issued report (late
agencies per milestone, OIT pre-review states, agencies below the IIT/EIT minimum, ITA Desk/ITAS mismatches,
action items, problems) equals what the province and office dashboards, the OIT review queues and the
committee's pages show, for every office and for the province summary.

The world mixes stakeholder data entered through the services (its log carries the values) with data whose
log carries none, as an import or the demo writes it: the report used to read the latter as "no population"
and so said no agency was below the minimum while the dashboards listed them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from itadesk.core.thai import bangkok_datetime
from itadesk.cycles.models import Status
from itadesk.cycles.services import set_progress
from itadesk.registry.models import SupervisingOffice
from itadesk.reports import render, services
from itadesk.surveys import services as surveys
from itadesk.surveys.models import StakeholderData, StakeholderEvent
from tests.reports.fixtures import build_report_world
from tests.world import PASSWORD

NOW = bangkok_datetime(2568, 5, 6, 10)  # after the stakeholders and OIT deadlines, before IIT/EIT's
COUNTED = bangkok_datetime(2568, 5, 2, 10)


def _imported_stakeholders(w, agency, *, staff, people, approved):
    """Stakeholder data as an import or the demo writes it: the row, and log entries without values."""
    data = StakeholderData.objects.create(
        round=w.round, agency=agency, internal_count=staff, external_people=people, external_organizations=0,
        state="approved" if approved else "draft", locked=approved, entered_at=bangkok_datetime(2568, 1, 10, 9),
        approved_at=bangkok_datetime(2568, 1, 12, 9) if approved else None)
    StakeholderEvent.objects.create(data=data, actor_label="import", action="entered", at=data.entered_at)
    if approved:
        StakeholderEvent.objects.create(data=data, actor_label="import", action="approved", at=data.approved_at)
    return data


@pytest.fixture
def busy(world):
    w = build_report_world(world)
    from itadesk.committee import services as committee

    # the provincial hall: data approved in ITA Desk (log without values), not declared done in ITAS;
    # IIT below its minimum
    _imported_stakeholders(w, w.provincial, staff=120, people=900, approved=True)
    # the district office: IIT/EIT declared done in ITAS while its counts are below the minimum
    _imported_stakeholders(w, w.district_office, staff=30, people=50, approved=False)
    with time_machine.travel(COUNTED, tick=False):
        surveys.record_responses(actor=w.secretariat, round=w.round, agency=w.provincial,
                                 on_date=COUNTED.date(), counts={"IIT": 12, "EIT": 95})
        surveys.record_responses(actor=w.secretariat, round=w.round, agency=w.district_office,
                                 on_date=COUNTED.date(), counts={"IIT": 4, "EIT": 10})
        set_progress(actor=w.secretariat, agency=w.district_office, milestone=w.m3, status=Status.DONE)
        set_progress(actor=w.secretariat, agency=w.provincial, milestone=w.m2, status=Status.IN_PROGRESS)
        committee.create_action(actor=w.secretariat, province=w.province, agencies=[w.provincial],
                                changes={"kind": "agencies", "title": "เร่งรัดการอนุมัติข้อมูล",
                                         "office": w.prov_office, "due_date": dt.date(2025, 5, 30)})
        committee.save_problem(actor=w.nacc_officer, province=w.province, agencies=[w.district_office],
                               changes={"office": w.nacc, "title": "ผู้ตอบแบบวัดน้อย"})
    return w


def _page(client, name, *args, **query):
    url = reverse(name, args=args)
    response = client.get(url, query)
    assert response.status_code == 200, url
    return response.context


def _numbers_of_pages(client, w, office):
    """What the pages show, in the report's terms."""
    if office is None:
        dash = _page(client, "round_dashboard", w.round.pk)
        oit = _page(client, "evidence:queues", w.round.pk)["counts"]
        actions = _page(client, "committee:actions")["actions"]
        problems = _page(client, "committee:problems")["problems"]
    else:
        dash = _page(client, "office_dashboard", w.round.pk, office.pk)
        oit = _page(client, "evidence:queue", w.round.pk, office.pk)["counts"]
        actions = _page(client, "committee:actions", office=office.pk)["actions"]
        problems = _page(client, "committee:problems", office=office.pk)["problems"]
    follow = dash["followup"]
    return {
        "late": {s.milestone.code: sorted(r.name for r in s.late) for s in dash["stats"]},
        "counts": {s.milestone.code: s.counts for s in dash["stats"]},
        "oit": {"approved": oit["approved"], "returned": oit["returned"], "submitted": oit["submitted"]},
        "below": {i.code: sorted(r.name for r in follow.below(i.code)) for i in follow.instruments},
        "below_agencies": len(follow.below_any()),
        "mismatches": sorted((m.name, m.check.code, m.check.mismatch) for m in dash["mismatches"]),
        "action_items": sorted(a.pk for a in actions),
        "problems": sorted(p.pk for p in problems),
    }


def _numbers_of_report(data):
    below = data["responses"]["below"]
    return {
        "late": {m["code"]: sorted(a["name"] for a in m["late"]) for m in data["milestones"]},
        "counts": {m["code"]: m["counts"] for m in data["milestones"]},
        "oit": {k: data["oit"]["totals"][k] for k in ("approved", "returned", "submitted")},
        "below": {i["code"]: sorted(b["name"] for b in below if b["instrument"] == i["code"])
                  for i in data["responses"]["instruments"]},
        "below_agencies": len({b["id"] for b in below}),
        "mismatches": sorted((m["name"], m["milestone"], m["kind"]) for m in data["mismatches"]),
        "action_items": sorted(a["id"] for a in data["action_items"]),
        "problems": sorted(p["id"] for p in data["problems"]),
    }


def test_every_number_of_the_report_is_the_pages_number(busy, client, settings, tmp_path):
    w = busy
    settings.MEDIA_ROOT = str(tmp_path)
    client.login(username="secretariat", password=PASSWORD)
    offices = list(SupervisingOffice.objects.filter(province=w.province).order_by("order"))
    reports = {}
    with time_machine.travel(NOW, tick=False):
        for office in [*offices, None]:
            report = services.create_report(actor=w.secretariat, round=w.round, office=office, cut_off=NOW)
            report = services.issue_report(actor=w.secretariat, report=report)
            pages = _numbers_of_pages(client, w, office)
            ours = _numbers_of_report(report.data)
            assert ours == pages, office
            reports[office.pk if office else None] = (report.data, ours)
    # the data say what the world says, so the comparison above is not between two empty lists
    province, numbers = reports[None]
    assert numbers["below"]["IIT"] == sorted([w.provincial.name_th, w.district_office.name_th])
    assert w.district_office.name_th in numbers["below"]["EIT"]
    assert (w.provincial.name_th, "stakeholders", "approved_not_declared") in numbers["mismatches"]
    assert (w.district_office.name_th, "iit-eit", "declared_below_minimum") in numbers["mismatches"]
    assert numbers["late"]["oit"] and numbers["oit"]["approved"] == 2 and numbers["oit"]["returned"] == 1
    assert len(numbers["action_items"]) == 2 and len(numbers["problems"]) == 3
    # the province summary's table of offices repeats each office's own report
    for row in province["offices"]:
        data, own = reports[row["id"]]
        assert row["agencies"] == data["agencies"]
        assert {c["code"]: c["late"] for c in row["milestones"]} == {k: len(v) for k, v in own["late"].items()}
        assert {k: row["oit_" + k] for k in own["oit"]} == own["oit"]
        assert row["below_minimum"] == own["below_agencies"]
        assert row["mismatches"] == len(own["mismatches"])
        assert row["action_items"] == len(own["action_items"])
        assert row["problems"] == len(own["problems"])
    # and what the documents print is the same list
    summary = render.tables(province)
    below_table = next(t for s in summary for t in s["tables"] if t["key"] == "below")
    assert len(below_table["rows"]) == sum(len(v) for v in numbers["below"].values())
    mismatch_table = next(t for s in summary for t in s["tables"] if t["key"] == "mismatches")
    assert [r[0] for r in mismatch_table["rows"]] == [m["name"] for m in province["mismatches"]]
    assert "ใน ITA Desk: อนุมัติแล้ว" in mismatch_table["rows"][0]


def test_a_cut_off_after_the_meeting_is_warned_on_the_form_and_in_the_report(busy, client):
    """Allowed (a report may be re-issued later for the record), but said on the page and in the report."""
    import datetime as dt

    from itadesk.committee.models import Meeting
    from itadesk.reports import build
    from itadesk.reports.models import MonitoringReport

    w = busy
    meeting = Meeting.objects.create(province=w.province, number="ครั้งที่ ๒/๒๕๖๘", date=dt.date(2025, 5, 5),
                                     place="ศาลากลางจังหวัดเลย")
    on_the_day = build.monitoring(w.round, w.local, bangkok_datetime(2568, 5, 5, 23), meeting=meeting)
    assert on_the_day["warnings"] == []
    later = build.monitoring(w.round, w.local, NOW, meeting=meeting)
    assert len(later["warnings"]) == 1 and "หลังวันประชุม" in later["warnings"][0]
    assert render.summary_lines(later)[0].startswith("คำเตือน: ข้อมูล ณ วันที่ ๖ พ.ค. ๒๕๖๘ ซึ่งอยู่หลังวันประชุม (๕ พ.ค. ๒๕๖๘)")
    assert build.monitoring(w.round, w.local, NOW)["warnings"] == []  # no meeting, nothing to compare with
    client.login(username="local", password=PASSWORD)
    with time_machine.travel(bangkok_datetime(2568, 5, 7, 9), tick=False):
        page = client.post(reverse("reports:new"), {"province": w.province.pk, "office": w.local.pk,
                                                    "meeting": meeting.pk, "cut_off": "2025-05-06T10:00"},
                           follow=True)
    html = page.content.decode()
    assert MonitoringReport.objects.count() == 1
    assert "หลังวันประชุม" in html and 'data-testid="report-warnings"' in html


def test_the_command_line_warns_too(busy, tmp_path):
    import datetime as dt
    import io as _io

    from django.core.management import call_command

    from itadesk.committee.models import Meeting

    meeting = Meeting.objects.create(province=busy.province, number="ครั้งที่ ๒/๒๕๖๘", date=dt.date(2025, 5, 5),
                                     place="ศาลากลางจังหวัดเลย")
    err = _io.StringIO()
    call_command("report", "monitoring", "--office", busy.local.code, "--meeting", str(meeting.pk),
                 "--at", "2025-05-06T10:00", "--out", str(tmp_path / "r.xlsx"), stderr=err)
    assert "หลังวันประชุม" in err.getvalue() and (tmp_path / "r.xlsx").exists()
