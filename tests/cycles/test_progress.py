"""Progress, late marking around the 17:00 Bangkok deadline, dashboards and history."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from itadesk.core.models import AuditEvent
from itadesk.cycles import selectors, services
from itadesk.cycles.models import Progress, Status
from itadesk.registry.models import Agency

BKK = dt.timezone(dt.timedelta(hours=7))


def at(y, mo, d, h, mi=0, s=0):
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=BKK)


@pytest.mark.parametrize(("when", "late"), [
    (at(2025, 1, 31, 16, 59, 59), False),
    (at(2025, 1, 31, 17, 0, 0), True),
    (at(2025, 1, 31, 17, 0, 1), True),
    (at(2025, 1, 30, 23, 0), False),
])
def test_change_after_17_00_bangkok_is_marked_late(world, when, late):
    with time_machine.travel(when, tick=False):
        p = services.set_progress(actor=world.admin_a, agency=world.sao1, milestone=world.m1, status=Status.DONE)
    assert p.changed_late is late
    assert p.done_late is late
    assert p.done_at == when


def test_open_milestone_becomes_late_at_the_deadline(world):
    services.set_progress(actor=world.admin_a, agency=world.sao1, milestone=world.m1, status=Status.IN_PROGRESS,
                          now=at(2025, 1, 20, 9))
    before = selectors.round_dashboard(world.round, now=at(2025, 1, 31, 16, 59))[0]
    after = selectors.round_dashboard(world.round, now=at(2025, 1, 31, 17, 0))[0]
    assert before.late == [] and len(before.open) == 5
    assert {r.id for r in after.late} == {a.pk for a in world.agencies}
    in_progress = next(r for r in after.late if r.id == world.sao1.pk)
    assert in_progress.status == Status.IN_PROGRESS


def test_dashboard_counts_and_groups(world):
    now = at(2025, 2, 1, 9)
    for agency in (world.pao, world.provincial):
        services.set_progress(actor=world.secretariat, agency=agency, milestone=world.m1, status=Status.APPROVED,
                              now=at(2025, 1, 30, 10))
    services.set_progress(actor=world.secretariat, agency=world.sao2, milestone=world.m1, status=Status.DONE,
                          now=at(2025, 2, 1, 8))
    stat = selectors.round_dashboard(world.round, now=now)[0]
    assert (stat.done, stat.total, stat.done_late) == (3, 5, 1)
    assert stat.counts[Status.APPROVED] == 2 and stat.counts[Status.NOT_STARTED] == 2
    late_ids = {r.id for r in stat.late}
    assert late_ids == {world.sao1.pk, world.district_office.pk}
    by_office = {o.code: {r.id for r in rows} for o, rows in stat.late_by_office}
    assert by_office == {
        "nacc": late_ids,
        "local-promotion": {world.sao1.pk},
        "provincial-administration": late_ids,  # leads the districts, assists with local governments
    }
    assert dict((d, len(rows)) for d, rows in stat.late_by_district) == {"นาด้วง": 2}
    # filters
    only_sao = selectors.round_dashboard(world.round, kind="sao", now=now)[0]
    assert (only_sao.done, only_sao.total) == (1, 2)
    d1 = selectors.round_dashboard(world.round, district_id=world.d1.pk, now=now)[0]
    assert (d1.done, d1.total, d1.late) == (2, 2, [])
    # an office sees only its agencies
    local = selectors.round_dashboard(world.round, Agency.objects.filter(world.local.agency_q()), now=now)[0]
    assert (local.done, local.total) == (2, 3)


def test_every_change_is_in_the_history(world):
    p = services.set_progress(actor=world.admin_a, agency=world.sao1, milestone=world.m2, status=Status.IN_PROGRESS,
                              note="กำลังรวบรวม", now=at(2025, 3, 1, 9))
    services.set_progress(actor=world.exec_a, agency=world.sao1, milestone=world.m2, status=Status.APPROVED,
                          now=at(2025, 3, 2, 9))
    events = list(AuditEvent.objects.filter(object_id=str(p.pk), action="progress.set").order_by("at", "id"))
    assert [e.actor for e in events] == [world.admin_a, world.exec_a]
    assert events[0].before is None and events[0].after["status"] == "in_progress"
    assert events[1].before["status"] == "in_progress" and events[1].after["status"] == "approved"
    assert ("status", "in_progress", "approved") in events[1].changes()


def test_setting_the_same_status_again_writes_nothing(world):
    services.set_progress(actor=world.admin_a, agency=world.sao1, milestone=world.m2, status=Status.DONE)
    n = AuditEvent.objects.count()
    services.set_progress(actor=world.admin_a, agency=world.sao1, milestone=world.m2, status=Status.DONE)
    assert AuditEvent.objects.count() == n


def test_bad_status_and_non_participant_are_refused(world):
    with pytest.raises(ValidationError):
        services.set_progress(actor=world.admin_a, agency=world.sao1, milestone=world.m1, status="finished")
    outsider = Agency.objects.create(province=world.province, kind="sao", name_th="อบต.นอกรอบ")
    with pytest.raises(ValidationError):
        services.set_progress(actor=world.secretariat, agency=outsider, milestone=world.m1, status="done")
    assert not Progress.objects.exists()


def test_agency_admin_records_progress_through_the_page(world, client):
    client.force_login(world.admin_a)
    url = reverse("set_progress", args=[world.round.pk, world.sao1.pk, world.m2.pk])
    with time_machine.travel(at(2025, 4, 1, 10), tick=False):
        r = client.post(url, {f"m{world.m2.pk}-status": "done", f"m{world.m2.pk}-note": "ส่งแล้ว"})
    assert r.status_code == 302
    p = Progress.objects.get(agency=world.sao1, milestone=world.m2)
    assert (p.status, p.note, p.updated_by, p.changed_late) == ("done", "ส่งแล้ว", world.admin_a, False)
    page = client.get(reverse("agency_progress", args=[world.round.pk, world.sao1.pk]))
    assert "ส่งแล้ว" in page.content.decode()


def test_province_page_is_thai_with_be_dates(world, client):
    client.force_login(world.secretariat)
    with time_machine.travel(at(2025, 1, 24, 8), tick=False):
        html = client.get(reverse("round_dashboard", args=[world.round.pk])).content.decode()
    assert "31 ม.ค. 2568 17:00 น." in html
    assert "อีก 7 วัน 9 ชั่วโมง" in html
    assert 'lang="th"' in html


def test_milestones_are_data(world, client):
    client.force_login(world.secretariat)
    r = client.post(reverse("milestone_new", args=[world.round.pk]), {
        "code": "appeal", "name_th": "อุทธรณ์ผล OIT", "name_en": "OIT appeal", "description": "",
        "opens_at": "2025-06-01T08:30", "deadline": "2025-06-15T17:00", "order": 4})
    assert r.status_code == 302
    m = world.round.milestones.get(code="appeal")
    assert m.deadline == at(2025, 6, 15, 17)
    # a duplicate code and an opening after the deadline are refused with a message
    r = client.post(reverse("milestone_new", args=[world.round.pk]), {
        "code": "appeal", "name_th": "x", "opens_at": "2025-06-20T08:30", "deadline": "2025-06-15T17:00",
        "order": 5})
    assert r.status_code == 200
    assert set(r.context["form"].errors) == {"code", "opens_at"}
    assert AuditEvent.objects.filter(action="milestone.create").count() == 1


def test_offices_matched_in_memory_agree_with_their_rules_in_sql(world):
    """office_agency_ids matches the rules against the participant rows without one query per
    office; it must give exactly what each office's agency_q() selects among the participants,
    including hand-picked agencies and an agency of another province listed by mistake."""
    from itadesk.registry.models import OversightRule, Province, SupervisingOffice

    other = Province.objects.create(code="39", name_th="หนองบัวลำภู")
    stranger = Agency.objects.create(province=other, kind="sao", name_th="อบต.อื่น")
    picked = SupervisingOffice.objects.create(province=world.province, code="picked", name_th="ทีมพี่เลี้ยง", order=5)
    rule = OversightRule.objects.create(office=picked, description="เลือกเอง")
    rule.agencies.set([world.sao2, world.provincial, stranger])
    SupervisingOffice.objects.create(province=world.province, code="empty", name_th="ไม่มีกฎ", order=6)
    participant_ids = {a.pk for a in world.agencies}

    got = {o.code: ids for o, ids in selectors.office_agency_ids(world.round)}
    expected = {o.code: set(Agency.objects.filter(o.agency_q()).values_list("pk", flat=True)) & participant_ids
                for o in SupervisingOffice.objects.filter(province=world.province)}
    assert got == expected
    assert got["picked"] == {world.sao2.pk, world.provincial.pk}
    assert got["empty"] == set()
    assert got["nacc"] == participant_ids


def test_dashboard_links_and_labels_follow_the_language(world, client):
    """Links are built from a prefix and labels once per page: both must still be right."""
    client.force_login(world.secretariat)
    with time_machine.travel(at(2025, 2, 3, 9), tick=False):
        html = client.get(reverse("round_dashboard", args=[world.round.pk])).content.decode()
        assert f'href="{reverse("agency_progress", args=[world.round.pk, world.sao1.pk])}"' in html
        assert "ยังไม่เริ่ม" in html
        client.cookies["django_language"] = "en"
        html = client.get(reverse("round_dashboard", args=[world.round.pk])).content.decode()
        assert "Not started" in html
        office_html = client.get(reverse("office_agencies", args=[world.round.pk, world.local.pk])).content.decode()
        assert f'href="{reverse("agency_progress", args=[world.round.pk, world.pao.pk])}"' in office_html
        assert "Provincial administrative organization" in office_html


def test_office_table_shows_each_agency_per_milestone(world, client):
    services.set_progress(actor=world.admin_a, agency=world.sao1, milestone=world.m1, status=Status.DONE,
                          now=at(2025, 1, 20, 9))
    client.force_login(world.local_officer)
    with time_machine.travel(at(2025, 2, 3, 9), tick=False):
        html = client.get(reverse("office_dashboard", args=[world.round.pk, world.local.pk])).content.decode()
        # the dashboard links to the table (loaded by the page when scrolled to; a page of its own without JS)
        link = re.search(r'href="([^"]+)" data-testid="agency-table-link"', html).group(1)
        assert link == reverse("office_agencies", args=[world.round.pk, world.local.pk])
        assert "data-testid=\"my-agencies\"" not in html
        html = client.get(link).content.decode()
    table = html[html.index('data-testid="my-agencies"'):]
    table = table[:table.index("</table>")]
    rows = {r.split("</a>")[0].rsplit(">", 1)[-1]: r for r in table.split("<tr>")[2:]}
    assert set(rows) == {world.pao.name_th, world.sao1.name_th, world.sao2.name_th}  # local governments only
    sao1, sao2 = rows[world.sao1.name_th], rows[world.sao2.name_th]
    assert sao1.count("<td class=") == 3 and 'class="status-done">ดำเนินการแล้ว</td>' in sao1
    assert 'class="status-not_started text-danger fw-semibold">ยังไม่เริ่ม (ล่าช้า)</td>' in sao2  # 31 Jan passed
    assert sao2.count("(ล่าช้า)") == 1  # 30 Apr and 30 Jun still open


def test_agency_page_with_progress_recorded_by_nobody(world, client):
    """Rows written by an import or the demo loader have no user: the page says "—", no error."""
    Progress.objects.create(milestone=world.m1, agency=world.sao1, status=Status.DONE, updated_by=None)
    client.force_login(world.admin_a)
    response = client.get(reverse("agency_progress", args=[world.round.pk, world.sao1.pk]))
    assert response.status_code == 200 and "โดย —" in response.content.decode()
