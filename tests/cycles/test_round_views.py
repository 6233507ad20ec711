"""The secretariat's round pages: start a round (preview, then confirm), settings, participants in bulk."""

from __future__ import annotations

import pytest
from django.urls import reverse

from itadesk.core.models import AuditEvent
from itadesk.core.thai import bangkok_datetime
from itadesk.cycles import services
from itadesk.cycles.models import Participation, Round
from itadesk.registry.models import AgencyKind

pytestmark = pytest.mark.django_db


def _post(client, world, **extra):
    data = {"province": world.province.pk, "fiscal_year": "2570", "source": world.round.pk,
            "participants": "province", "make_current": "on", **extra}
    return client.post(reverse("round_new"), data)


def test_preview_writes_nothing_then_create(client, world):
    client.force_login(world.secretariat)
    page = client.get(reverse("round_new"))
    assert page.status_code == 200 and page.context["form"].initial["source"] == world.round
    events = AuditEvent.objects.count()
    preview = _post(client, world, action="preview")
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert len(plan.milestones) == 3 and len(plan.agencies) == 5
    html = preview.content.decode()
    assert "วันอาทิตย์" in html  # 31 Jan 2570 BE is a Sunday: flagged
    assert 'name="deadline-stakeholders" value="31/01/2570"' in html  # the moved deadline, editable (BE)
    assert Round.objects.count() == 1 and AuditEvent.objects.count() == events
    # second step: untick one agency, move the Sunday deadline to Monday, create
    ids = [a.pk for a in plan.agencies if a != world.sao2]
    response = _post(client, world, action="create", previewed="1", agencies=ids,
                     **{"deadline-stakeholders": "1/2/2570"})
    new = Round.objects.get(fiscal_year=2570)
    assert response.status_code == 302 and response["Location"] == reverse("round_dashboard", args=[new.pk])
    assert set(new.participations.values_list("agency_id", flat=True)) == set(ids)
    assert new.milestones.get(code="stakeholders").deadline == bangkok_datetime(2570, 2, 1, 17)
    assert new.milestones.get(code="oit").deadline == bangkok_datetime(2570, 4, 30, 17)
    dashboard = client.get(response["Location"])
    assert dashboard.status_code == 200 and "2570" in dashboard.content.decode()


def test_bulk_add_and_remove_on_the_preview(client, world):
    client.force_login(world.secretariat)
    response = _post(client, world, action="remove", previewed="1", agencies=[a.pk for a in world.agencies],
                     **{"pick-kind": AgencyKind.SAO})
    assert {a.pk for a in response.context["plan"].agencies} == {world.provincial.pk, world.district_office.pk,
                                                                 world.pao.pk}
    response = _post(client, world, action="add", previewed="1", agencies=[world.provincial.pk],
                     **{"pick-codes": "06420205\n"})
    assert {a.pk for a in response.context["plan"].agencies} == {world.provincial.pk, world.sao1.pk}
    response = _post(client, world, action="add", previewed="1", agencies=[world.provincial.pk],
                     **{"pick-codes": "0000\n"})
    assert "0000" in response.content.decode() and Round.objects.count() == 1


def test_existing_year_is_refused_with_a_message(client, world):
    client.force_login(world.secretariat)
    response = _post(client, world, fiscal_year="2568", action="preview")
    assert response.status_code == 200 and Round.objects.count() == 1
    assert "2568" in " ".join(response.context["form"].non_field_errors())


def test_settings_rename_current_close(client, world):
    new = Round.objects.create(province=world.province, fiscal_year=2570, name="ITA 2570", starts_on="2026-10-01",
                               ends_on="2027-09-30")
    client.force_login(world.secretariat)
    url = reverse("round_settings", args=[new.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"action": "save", "name": "ITA ปี 2570", "public_dashboard": "on"})
    client.post(url, {"action": "current"})
    new.refresh_from_db()
    assert new.name == "ITA ปี 2570" and new.public_dashboard and new.is_current
    assert list(Round.objects.filter(is_current=True)) == [new]
    client.post(reverse("round_settings", args=[world.round.pk]), {"action": "close"})
    world.round.refresh_from_db()
    assert world.round.is_closed
    response = client.post(reverse("set_progress", args=[world.round.pk, world.sao1.pk, world.m1.pk]),
                           {f"m{world.m1.pk}-status": "done"}, follow=True)
    assert not world.round.milestones.filter(progress__isnull=False).exists()
    assert "ปิดรอบแล้ว" in response.content.decode()


def test_framework_changes_only_while_no_data(client, world):
    from itadesk.methodology import services as methodology
    from itadesk.methodology.models import FrameworkVersion

    methodology.install_shipped()
    a, b = FrameworkVersion.objects.get(code="nacc-ita-2568"), FrameworkVersion.objects.get(code="nacc-ita-2569")
    client.force_login(world.secretariat)
    url = reverse("round_settings", args=[world.round.pk])
    client.post(url, {"action": "framework", "framework": a.pk})
    world.round.refresh_from_db()
    assert world.round.framework == a
    services.set_progress(actor=world.secretariat, agency=world.sao1, milestone=world.m1, status="done")
    response = client.post(url, {"action": "framework", "framework": b.pk}, follow=True)
    world.round.refresh_from_db()
    assert world.round.framework == a and "เปลี่ยนเกณฑ์ไม่ได้" in response.content.decode()


def test_participants_page_bulk(client, world):
    client.force_login(world.secretariat)
    url = reverse("round_participants", args=[world.round.pk])
    services.set_progress(actor=world.secretariat, agency=world.sao1, milestone=world.m1, status="done")
    response = client.post(url, {"action": "remove", "agencies": [world.sao1.pk, world.sao2.pk]}, follow=True)
    assert world.round.participations.count() == 5 and "ไม่ได้นำหน่วยงานใดออก" in response.content.decode()
    client.post(url, {"action": "remove", "agencies": [world.sao2.pk, world.pao.pk]})
    assert world.round.participations.count() == 3
    page = client.get(url)
    assert {a.pk for a in page.context["outside"]} == {world.sao2.pk, world.pao.pk}
    client.post(url, {"action": "add_one", "agency": world.pao.pk})
    client.post(url, {"action": "add", "pick-kind": AgencyKind.SAO})
    assert Participation.objects.filter(round=world.round).count() == 5
    filtered = client.get(url, {"f-kind": AgencyKind.SAO})
    assert {p.agency_id for p in filtered.context["rows"]} == {world.sao1.pk, world.sao2.pk}


def test_holidays_page_adds_a_lunar_holiday_that_flags_a_deadline(client, world):
    from itadesk.cycles import round_setup
    from itadesk.cycles.models import PublicHoliday

    client.force_login(world.secretariat)
    url = reverse("holidays")
    assert "วันรัฐธรรมนูญ" in client.get(url).content.decode()
    response = client.post(url, {"year": "2570", "day": "30", "month": "6", "name_th": "วันหยุดทดสอบ",
                                 "source": "ประกาศทดสอบ"})
    assert response.status_code == 302
    holiday = PublicHoliday.objects.get(name_th="วันหยุดทดสอบ")
    assert (holiday.year, holiday.month, holiday.day) == (2027, 6, 30)
    assert AuditEvent.objects.filter(action="holiday.create", actor=world.secretariat).exists()
    plan = round_setup.plan_next_round(province=world.province, fiscal_year=2570)
    assert plan.milestones[2].flags == ["วันหยุดทดสอบ"]  # 30 Jun 2027
    bad = client.post(url, {"day": "31", "month": "4", "name_th": "x", "source": "y"})
    assert bad.status_code == 200 and "31/4" in bad.content.decode()
    client.post(url, {"delete": holiday.pk})
    assert not PublicHoliday.objects.filter(pk=holiday.pk).exists()
    client.force_login(world.local_officer)
    assert client.post(url, {"delete": PublicHoliday.objects.first().pk}).status_code == 403
