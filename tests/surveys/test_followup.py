"""Response counts, the follow-up selector, the dashboards (who is below the minimum, in which order),
the reminder digests and the XLSX exports."""

import io
import re

import openpyxl
import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from itadesk.cycles import reminders
from itadesk.cycles.selectors import participants
from itadesk.registry.models import Agency, AgencyKind
from itadesk.surveys import selectors, services
from itadesk.surveys.models import ResponseCount
from tests.surveys.helpers import BEFORE_RESPONSES, BEFORE_STAKEHOLDERS, day, with_framework


def stake(w, agency, staff, people):
    services.save_stakeholders(actor=w.secretariat, round=w.round, agency=agency, internal_count=staff,
                               external_people=people, now=BEFORE_STAKEHOLDERS)


def count(w, agency, on, **counts):
    services.record_responses(actor=w.secretariat, round=w.round, agency=agency, on_date=on, counts=counts,
                              now=BEFORE_RESPONSES)


@pytest.fixture
def fw(world):
    """IIT minimums: sao1 25, sao2 18, pao 25, district office 25; the provincial agency has no data."""
    w = with_framework(world)
    stake(w, w.sao1, 40, 1200)  # EIT 120
    stake(w, w.sao2, 18, 20)  # EIT 20 (all of them)
    stake(w, w.pao, 300, 5000)  # EIT 400 (the cap)
    stake(w, w.district_office, 30, 300)  # EIT 30
    count(w, w.sao1, day(2568, 6, 16), IIT=1, EIT=50)
    count(w, w.sao1, day(2568, 6, 22), IIT=10, EIT=130)  # IIT gap 15, fast: 12 days needed
    count(w, w.sao2, day(2568, 6, 17), IIT=10)
    count(w, w.sao2, day(2568, 6, 23), IIT=12, EIT=20)  # IIT gap 6, slow: 18 days needed
    count(w, w.pao, day(2568, 6, 23), IIT=30, EIT=100)  # EIT gap 300
    return w  # the district office has no count: IIT gap 25, never at this pace


def test_counts_keep_one_row_a_day_and_refuse_bad_input(fw):
    w = fw
    count(w, w.sao1, day(2568, 6, 22), IIT=11)
    assert ResponseCount.objects.filter(agency=w.sao1, instrument="IIT").count() == 2
    assert ResponseCount.objects.get(agency=w.sao1, instrument="IIT", on_date=day(2568, 6, 22)).count == 11
    count(w, w.sao1, day(2568, 6, 10), IIT=0)  # a late entry of an older date: the latest stays the newest
    latest = ResponseCount.objects.filter(agency=w.sao1, instrument="IIT", is_latest=True)
    assert [(r.on_date, r.count) for r in latest] == [(day(2568, 6, 22), 11)]
    count(w, w.sao1, day(2568, 6, 23), IIT=13)
    assert [r.count for r in ResponseCount.objects.filter(agency=w.sao1, instrument="IIT", is_latest=True)] == [13]
    with pytest.raises(ValidationError):
        count(w, w.sao1, day(2568, 6, 24), IIT=12)  # tomorrow
    with pytest.raises(ValidationError):
        count(w, w.sao1, day(2568, 6, 22), OIT=12)
    with pytest.raises(ValidationError):
        count(w, w.sao1, day(2568, 6, 22), IIT=-1)


def test_followup_gaps_pace_and_order(fw):
    w = fw
    fu = selectors.followup(w.round, participants(w.round), now=BEFORE_RESPONSES)
    assert fu.days_left == 7
    by_name = {r.id: r for r in fu.rows}
    sao1 = by_name[w.sao1.pk].cells["IIT"]
    assert (sao1.count, sao1.minimum, sao1.gap, sao1.ratio) == (10, 25, 15, "10 / 25")
    assert sao1.days_to_minimum == 12 and sao1.per_day_needed == 3 and sao1.behind_schedule
    assert by_name[w.provincial.pk].cells["IIT"].minimum is None
    assert [r.id for r in fu.below("IIT")] == [w.district_office.pk, w.sao1.pk, w.sao2.pk]
    assert [r.id for r in fu.below("IIT", "days")] == [w.district_office.pk, w.sao2.pk, w.sao1.pk]
    assert [r.id for r in fu.below("EIT")] == [w.pao.pk, w.district_office.pk]  # sao1 130 ≥ 120, sao2 20 = 20
    trend = by_name[w.sao1.pk].cells["IIT"].trend
    assert len(trend) == 14 and trend[-1] == (day(2568, 6, 23), 10) and trend[0][1] is None
    # 31 Jan has passed and nobody's data is approved: all five are late
    assert fu.stake_counts() == {"none": 1, "draft": 4, "approved": 0, "late": 5}



def test_cells_without_a_count_in_the_window_carry_the_count_before_it(fw):
    """Such cells share one series per count before the window (surveys.selectors.followup): each still shows
    its own."""
    w = fw
    count(w, w.provincial, day(2568, 6, 1), IIT=5)
    count(w, w.district_office, day(2568, 6, 2), IIT=7)  # both before the 14 days up to 23 June
    cells = {r.id: r.cells for r in selectors.followup(w.round, participants(w.round), now=BEFORE_RESPONSES).rows}
    for agency, n in ((w.provincial, 5), (w.district_office, 7)):
        iit = cells[agency.pk]["IIT"]
        assert [v for _d, v in iit.trend] == [n] * 14 and iit.pace == 0.0
    eit = cells[w.provincial.pk]["EIT"]
    assert [v for _d, v in eit.trend] == [None] * 14 and eit.pace is None
    assert cells[w.district_office.pk]["IIT"].trend[0][0] == day(2568, 6, 10)

def _order(html, code):
    section = html.split(f'data-testid="below-{code}"')[1].split("</table>")[0]
    return [int(x) for x in re.findall(r'data-agency="(\d+)"', section)]


def test_province_dashboard_lists_who_is_below_in_order(fw, client):
    w = fw
    client.force_login(w.secretariat)
    url = reverse("round_dashboard", args=[w.round.pk])
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        html = client.get(url).content.decode()
        assert _order(html, "IIT") == [w.district_office.pk, w.sao1.pk, w.sao2.pk]
        assert _order(html, "EIT") == [w.pao.pk, w.district_office.pk]
        assert "10 / 25" in html and "<svg" in html
        html = client.get(url + "?sort=days").content.decode()
        assert _order(html, "IIT") == [w.district_office.pk, w.sao2.pk, w.sao1.pk]


def test_office_dashboard_only_its_agencies(fw, client):
    w = fw
    client.force_login(w.local_officer)
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        html = client.get(reverse("office_dashboard", args=[w.round.pk, w.local.pk])).content.decode()
    assert _order(html, "IIT") == [w.sao1.pk, w.sao2.pk]
    assert _order(html, "EIT") == [w.pao.pk]


def test_the_dashboard_does_not_query_per_agency(fw, client):
    w = fw
    client.force_login(w.secretariat)
    url = reverse("round_dashboard", args=[w.round.pk])
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        client.get(url)  # once to fill per-process caches (content types, the framework plan)
        cache.clear()  # the page's own cache (core.versions) would answer without the queries counted here
        with CaptureQueriesContext(connection) as before:
            client.get(url)
        for n in range(15):
            a = Agency.objects.create(province=w.province, district=w.d1, kind=AgencyKind.SAO, name_th=f"อบต.{n}")
            w.round.participations.create(agency=a)
            stake(w, a, 30 + n, 500)
            count(w, a, day(2568, 6, 20), IIT=n, EIT=n)
        with CaptureQueriesContext(connection) as after:  # the writes gave new versions: computed again
            html = client.get(url).content.decode()
    assert len(after) == len(before)
    assert len(_order(html, "IIT")) == 3 + 15


def test_followup_page_and_office_filter(fw, client):
    w = fw
    client.force_login(w.nacc_officer)
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        html = client.get(reverse("surveys:followup", args=[w.round.pk])).content.decode()
        assert html.count("<tr data-agency=") >= 5
        html = client.get(reverse("surveys:followup", args=[w.round.pk]) + f"?office={w.nacc.pk}").content.decode()
        assert f'data-agency="{w.pao.pk}"' in html


def test_digests_list_agencies_below_minimum(fw):
    w = fw
    now = BEFORE_RESPONSES.replace(hour=8)  # 7 days before 30 Jun
    digests = reminders.due_reminders(now)
    local = next(d for d in digests if d.kind == "office" and d.office == w.local)
    text, html = local.render()
    assert "จำนวนผู้ตอบยังไม่ถึงจำนวนขั้นต่ำ" in text
    assert "องค์การบริหารส่วนตำบลแก้วเมธี (อำเภอ: นาด้วง) – IIT ตอบแล้ว 10 / 25 ขาดอีก 15" in text
    below = text.split("จำนวนขั้นต่ำ")[1]
    assert below.index("แก้วเมธี") < below.index("ท่าสวรรค์")  # the largest gap first
    assert "อำเภอนาด้วง (อำเภอ" not in below  # not an agency of this office
    sao1 = next(d for d in digests if d.kind == "agency" and d.agency == w.sao1)
    assert "IIT ตอบแล้ว 10 / 25 ขาดอีก 15" in sao1.render()[0]


def test_digests_list_agencies_without_approved_stakeholder_data(fw):
    w = fw
    services.approve_stakeholders(actor=w.exec_a, round=w.round, agency=w.sao1, now=BEFORE_STAKEHOLDERS)
    now = BEFORE_STAKEHOLDERS.replace(day=24, hour=8)  # 7 days before 31 Jan
    digests = reminders.due_reminders(now)
    local = next(d for d in digests if d.kind == "office" and d.office == w.local)
    names = [line.name for line in local.followup]
    assert w.sao1.name_th not in names and w.sao2.name_th in names
    assert "บันทึกแล้ว รอผู้บริหารอนุมัติ" in local.render()[0]
    nacc = next(d for d in digests if d.kind == "office" and d.office == w.nacc)
    assert any(line.name == w.provincial.name_th and "ยังไม่บันทึก" in line.detail for line in nacc.followup)


def _sheet(response):
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                           else response.content))
    ws = wb.active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    return rows[0], {r[1]: dict(zip(rows[0], r, strict=False)) for r in rows[1:]}


def test_exports_hold_the_right_numbers(fw, client):
    w = fw
    client.force_login(w.secretariat)
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        response = client.get(reverse("surveys:export_province", args=[w.round.pk]))
    assert response.status_code == 200
    header, rows = _sheet(response)
    assert header[:2] == ["หน่วยงาน", "ชื่อหน่วยงาน (อ่านอย่างเดียว)"] and "IIT ขั้นต่ำ" in header
    sao1 = rows[w.sao1.name_th]
    assert (sao1["IIT"], sao1["IIT ขั้นต่ำ"], sao1["IIT ขาดอีก"]) == (10, 25, 15)
    assert (sao1["EIT"], sao1["EIT ขั้นต่ำ"], sao1["EIT ขาดอีก"]) == (130, 120, 0)
    assert sao1["วันที่"] == "22 มิ.ย. 2568" and sao1["หน่วยงาน"] == "06420205"
    assert rows[w.provincial.name_th]["ข้อมูลผู้มีส่วนได้ส่วนเสีย"].startswith("ยังไม่บันทึก")
    assert len(rows) == 5

    client.force_login(w.local_officer)
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        _header, rows = _sheet(client.get(reverse("surveys:export_office", args=[w.round.pk, w.local.pk])))
    assert set(rows) == {w.sao1.name_th, w.sao2.name_th, w.pao.name_th}


def test_the_dashboard_shows_the_first_25_and_the_page_all(fw, client):
    w = fw
    for n in range(30):
        a = Agency.objects.create(province=w.province, district=w.d1, kind=AgencyKind.SAO, name_th=f"อบต.ทดสอบ{n}")
        w.round.participations.create(agency=a)
        stake(w, a, 30, 500)
    client.force_login(w.secretariat)
    with time_machine.travel(BEFORE_RESPONSES, tick=False):
        dashboard = client.get(reverse("round_dashboard", args=[w.round.pk])).content.decode()
        page = client.get(reverse("surveys:followup", args=[w.round.pk])).content.decode()
    assert len(_order(dashboard, "IIT")) == 25
    assert len(_order(page, "IIT")) == 33
    assert reverse("surveys:followup", args=[w.round.pk]) in dashboard.split('data-testid="below-IIT"')[1]
