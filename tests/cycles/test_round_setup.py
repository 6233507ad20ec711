"""Starting the next round (plan, create, refusals, atomicity), the CLI, and the round settings services."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core.models import AuditEvent
from itadesk.core.thai import BANGKOK, bangkok_datetime, to_bangkok
from itadesk.cycles import round_admin, round_setup, services
from itadesk.cycles.models import Milestone, Mission, Participation, Progress, PublicHoliday, Round
from itadesk.registry.models import Agency, AgencyKind, Province

pytestmark = pytest.mark.django_db


def _missions(w):
    Mission.objects.create(round=w.round, office=w.local, text="ติดตาม อปท.", order=1, milestone=w.m1)
    Mission.objects.create(round=w.round, office=w.nacc, text="ให้คำปรึกษา", order=1, milestone=w.m3)
    Mission.objects.create(round=w.round, office=w.nacc, text="ประสานงาน", order=2)


# --- pure date logic -----------------------------------------------------------------------------------------

@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(0, 10))
def test_move_date_keeps_day_and_month_except_29_february(day, years):
    moved, changed = round_setup.move_date(day, years)
    assert moved.year == day.year + years
    if (day.month, day.day) == (2, 29) and changed:
        assert (moved.month, moved.day) == (2, 28)
    else:
        assert (moved.month, moved.day, changed) == (day.month, day.day, False)


def test_29_february_to_a_year_without_one_and_back():
    assert round_setup.move_date(dt.date(2028, 2, 29), 1) == (dt.date(2029, 2, 28), True)
    assert round_setup.move_date(dt.date(2028, 2, 29), 4) == (dt.date(2032, 2, 29), False)


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 1, 1),
                    timezones=st.just(dt.UTC)), st.integers(1, 5))
def test_moved_deadline_is_17h_bangkok_on_the_same_local_day(value, years):
    moved, changed = round_setup.move_deadline(value, years)
    local, new = to_bangkok(value), to_bangkok(moved)
    assert (new.hour, new.minute) == (17, 0)
    assert new.year == local.year + years
    assert new.month == local.month and (new.day == local.day or changed)


def test_day_flags_weekend_and_holiday():
    holidays = {dt.date(2027, 12, 10): ["วันรัฐธรรมนูญ"]}
    assert round_setup.day_flags(dt.date(2027, 12, 10), holidays) == ["วันรัฐธรรมนูญ"]  # a Friday
    assert round_setup.day_flags(dt.date(2027, 1, 30), {}) == ["วันเสาร์"]
    assert round_setup.day_flags(dt.date(2027, 1, 29), {}) == []


def test_holidays_are_data():
    assert PublicHoliday.objects.filter(month=12, day=5, year__isnull=True).exists()  # shipped, with a source
    assert all(h.source for h in PublicHoliday.objects.all())
    PublicHoliday.objects.create(year=2027, month=2, day=20, name_th="วันมาฆบูชา", source="test")
    found = round_setup.holidays_for([2027, 2028])
    assert found[dt.date(2027, 2, 20)] == ["วันมาฆบูชา"]
    assert dt.date(2028, 2, 20) not in found
    assert dt.date(2028, 12, 5) in found


# --- plan ----------------------------------------------------------------------------------------------------

def test_plan_moves_milestones_copies_missions_and_takes_every_active_agency(world):
    _missions(world)
    Agency.objects.filter(pk=world.sao2.pk).update(active=False)
    plan = round_setup.plan_next_round(province=world.province, fiscal_year=2570)
    assert plan.source == world.round
    assert [m.code for m in plan.milestones] == ["stakeholders", "oit", "iit-eit"]
    assert [m.deadline for m in plan.milestones] == [
        bangkok_datetime(2570, 1, 31, 17), bangkok_datetime(2570, 4, 30, 17), bangkok_datetime(2570, 6, 30, 17)]
    # 31 Jan 2570 BE (2027) is a Sunday; 30 Apr 2027 a Friday; 30 Jun 2027 a Wednesday
    assert plan.milestones[0].flags == ["วันอาทิตย์"]
    assert plan.milestones[1].flags == [] and plan.milestones[2].flags == []
    assert [(o.code, len(ms)) for o, ms in plan.missions_by_office()] == [("nacc", 2), ("local-promotion", 1)]
    assert {a.pk for a in plan.agencies} == {a.pk for a in world.agencies} - {world.sao2.pk}
    assert (plan.starts_on, plan.ends_on) == (dt.date(2026, 10, 1), dt.date(2027, 9, 30))
    assert "stakeholders: 31/1/2570 17:00" in plan.summary()
    assert Round.objects.count() == 1  # planning writes nothing


def test_plan_default_year_is_the_current_one_in_bangkok(world):
    import time_machine

    # 30 Sep 2026 18:00 UTC is already 1 Oct 2026 (2569 BE) in Bangkok: fiscal year 2570
    with time_machine.travel(dt.datetime(2026, 9, 30, 18, 0, tzinfo=dt.UTC), tick=False):
        assert round_setup.plan_next_round(province=world.province).fiscal_year == 2570
    with time_machine.travel(dt.datetime(2026, 9, 30, 16, 0, tzinfo=dt.UTC), tick=False):
        assert round_setup.plan_next_round(province=world.province).fiscal_year == 2569


def test_plan_previous_participants_add_remove_and_edited_deadline(world):
    Participation.objects.filter(round=world.round, agency=world.pao).delete()
    new = bangkok_datetime(2570, 2, 1, 17)
    plan = round_setup.plan_next_round(province=world.province, fiscal_year=2570, participants="previous",
                                  add=[world.provincial.pk], remove=[world.sao1.pk], deadlines={"stakeholders": new})
    assert {a.pk for a in plan.agencies} == {world.provincial.pk, world.district_office.pk, world.sao2.pk}
    assert plan.milestones[0].deadline == new and plan.milestones[0].edited
    assert plan.milestones[0].flags == []  # 1 Feb 2027 is a Monday


def test_refusals(world):
    with pytest.raises(round_setup.RoundRefused, match="2568"):
        round_setup.plan_next_round(province=world.province, fiscal_year=2568)
    other = Province.objects.create(code="43", name_th="หนองคาย", name_en="Nong Khai")
    with pytest.raises(round_setup.RoundRefused, match="another province"):
        round_setup.plan_next_round(province=other, fiscal_year=2570, source=world.round)
    plan = round_setup.plan_next_round(province=world.province, fiscal_year=2570)
    round_setup.create_round(actor=world.secretariat, plan=plan)
    with pytest.raises(round_setup.RoundRefused, match="2570"):  # created meanwhile
        round_setup.create_round(actor=world.secretariat, plan=plan)
    assert Round.objects.filter(fiscal_year=2570).count() == 1


# --- create --------------------------------------------------------------------------------------------------

def test_create_writes_everything_with_one_event_per_object(world):
    _missions(world)
    before = AuditEvent.objects.count()
    plan = round_setup.plan_next_round(province=world.province, fiscal_year=2570)
    new = round_setup.create_round(actor=world.secretariat, plan=plan)
    assert new.is_current and new.copied_from == world.round and new.state == Round.State.OPEN
    world.round.refresh_from_db()
    assert not world.round.is_current
    assert new.milestones.count() == 3 and new.missions.count() == 3 and new.participations.count() == 5
    mission = new.missions.get(office=world.local)
    assert mission.milestone.round == new and mission.milestone.code == "stakeholders"
    assert new.missions.get(text="ประสานงาน").milestone is None
    events = AuditEvent.objects.order_by("pk")[before:]
    actions = [e.action for e in events]
    assert actions.count("milestone.create") == 3 and actions.count("mission.create") == 3
    assert actions.count("participation.create") == 5 and actions.count("round.create") == 1
    assert "round.current" in actions
    assert all(e.actor == world.secretariat for e in events)


def test_failure_mid_create_leaves_nothing(world):
    plan = round_setup.plan_next_round(province=world.province, fiscal_year=2570)
    plan.milestones.append(plan.milestones[0])  # the same code twice: the milestones' insert fails
    counts = (Round.objects.count(), Milestone.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Exception):  # noqa: B017 (the database's IntegrityError, whatever the backend)
        round_setup.create_round(actor=world.secretariat, plan=plan)
    assert (Round.objects.count(), Milestone.objects.count(), AuditEvent.objects.count()) == counts
    world.round.refresh_from_db()
    assert world.round.is_current


def test_provisional_framework_when_none_is_installed_for_the_year(world):
    from itadesk.methodology import services as methodology
    from itadesk.methodology.models import FrameworkVersion
    from itadesk.methodology.schema import iter_items

    methodology.install_shipped()
    newest = FrameworkVersion.objects.order_by("-fiscal_year").first()  # the newest shipped file
    year = newest.fiscal_year + 2  # a year with no framework of its own
    plan = round_setup.plan_next_round(province=world.province, fiscal_year=year)
    assert plan.framework is None and plan.provisional_from == newest
    new = round_setup.create_round(actor=None, plan=plan)
    fw = new.framework
    assert fw.code == f"provisional-{newest.code}-{year}" and fw.fiscal_year == year and fw.status == "unofficial"
    items = list(iter_items(fw.data))
    assert items and all(ref.item["confidence"] == "L" and "unconfirmed" in ref.item["note"] for ref in items)
    # an installed framework for the year is preferred
    assert round_setup.plan_next_round(province=world.province, fiscal_year=2569).framework.code == "nacc-ita-2569"


def test_coaching_proposal_failed_or_oit_below_the_mark(world):
    from itadesk.methodology import services as methodology
    from itadesk.methodology.models import AssessmentResult, FrameworkVersion

    methodology.install_shipped()
    fw = FrameworkVersion.objects.get(code="nacc-ita-2568")
    mark = float(fw.data["pass_mark"])
    oit = next(i["code"] for i in fw.data["instruments"] if i.get("respondents") == "agency")
    AssessmentResult.objects.create(agency=world.sao1, fiscal_year=2568, framework=fw, published_total=mark - 5,
                                    instrument_scores={oit: mark - 10})
    AssessmentResult.objects.create(agency=world.sao2, fiscal_year=2568, framework=fw, published_total=mark + 5,
                                    instrument_scores={oit: mark - 1})
    AssessmentResult.objects.create(agency=world.pao, fiscal_year=2568, framework=fw, published_total=mark + 10,
                                    instrument_scores={oit: mark + 10})
    plan = round_setup.plan_next_round(province=world.province, fiscal_year=2570, adopt_coaching=True)
    assert plan.coaching_year == 2568
    assert [c.agency for c in plan.coaching] == [world.sao1, world.sao2]
    from itadesk.methodology import analysis

    agencies = Agency.objects.filter(province=world.province)
    assert {c.agency.pk for c in plan.coaching} == {f.agency.pk for f in [
        *analysis.failing(agencies, 2568), *analysis.passed_but_oit_low(agencies, 2568)]}
    assert "ไม่ผ่าน" in plan.coaching[0].reason and "OIT" in plan.coaching[1].reason
    new = round_setup.create_round(actor=world.secretariat, plan=plan)
    flagged = dict(new.participations.filter(needs_coaching=True).values_list("agency_id", "coaching_reason"))
    assert set(flagged) == {world.sao1.pk, world.sao2.pk} and all(flagged.values())


# --- settings ------------------------------------------------------------------------------------------------

def test_close_freezes_progress_and_reopen(world):
    services.set_progress(actor=world.secretariat, agency=world.sao1, milestone=world.m1, status="in_progress")
    round_admin.set_state(actor=world.secretariat, round=world.round, state=Round.State.CLOSED)
    with pytest.raises(ValidationError, match="ปิดรอบแล้ว"):
        services.set_progress(actor=world.secretariat, agency=world.sao1, milestone=world.m1, status="done")
    assert Progress.objects.get(agency=world.sao1).status == "in_progress"
    from itadesk.cycles.importing import plan_progress_import

    plan = plan_progress_import(data="หน่วยงาน\n".encode(), filename="p.csv", round=world.round)
    assert plan.errors and "closed" in plan.errors[0].en
    round_admin.set_state(actor=world.secretariat, round=world.round, state=Round.State.OPEN)
    services.set_progress(actor=world.secretariat, agency=world.sao1, milestone=world.m1, status="done")


def test_make_current_keeps_exactly_one(world):
    plan = round_setup.plan_next_round(province=world.province, fiscal_year=2570, make_current=False)
    new = round_setup.create_round(actor=None, plan=plan)
    assert list(Round.objects.filter(is_current=True)) == [world.round]
    round_admin.make_current(actor=world.secretariat, round=new)
    assert list(Round.objects.filter(is_current=True)) == [new]


def test_remove_participant_with_data_is_refused(world):
    services.set_progress(actor=world.secretariat, agency=world.sao1, milestone=world.m1, status="done")
    with pytest.raises(round_setup.RoundRefused, match="none was removed"):
        round_admin.remove_participants(actor=world.secretariat, round=world.round, agency_ids=[world.sao1.pk, world.pao.pk])
    assert world.round.participations.count() == 5
    assert round_admin.remove_participants(actor=world.secretariat, round=world.round, agency_ids=[world.pao.pk]) == 1
    assert list(round_admin.agencies_in_no_round(world.province)) == [world.pao]
    assert round_admin.add_participants(actor=world.secretariat, round=world.round, agency_ids=[world.pao.pk]) == 1


def test_codes_file_names_the_bad_line(world):
    ids, errors = round_admin.agencies_from_codes(world.province, "code\n06420205\n๐๒๔๒๐๑๐๑\n99999\n")
    assert ids == [world.sao1.pk, world.pao.pk]
    assert errors == [errors[0]] and "line 4" in errors[0] and "99999" in errors[0]


def test_select_by_office_kind_district(world):
    assert set(round_admin.select_agencies(world.province, office=world.local)) == {world.pao, world.sao1, world.sao2}
    assert set(round_admin.select_agencies(world.province, kind=AgencyKind.SAO, district_id=world.d2.pk)) == {
        world.sao1, world.sao2}


# --- CLI -----------------------------------------------------------------------------------------------------

def _cli(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("round", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_cli_dry_run_writes_nothing(world):
    counts = (Round.objects.count(), AuditEvent.objects.count())
    out, _ = _cli("new", "--fiscal-year", "2570", "--copy-from", "2568", "--province", "42", "--dry-run")
    assert "dry run" in out and "31/1/2570 17:00" in out and "วันอาทิตย์" in out
    assert (Round.objects.count(), AuditEvent.objects.count()) == counts


def test_cli_creates_and_refuses_a_second_time(world, tmp_path):
    codes = tmp_path / "out.txt"
    codes.write_text("06420205\n", encoding="utf-8")
    out, _ = _cli("new", "--fiscal-year", "2570", "--copy-from", "2568", "--remove-codes", str(codes),
                  "--user", "secretariat")
    new = Round.objects.get(fiscal_year=2570)
    assert "created" in out and new.participations.count() == 4 and new.is_current
    assert AuditEvent.objects.filter(action="round.create", actor=world.secretariat).count() == 1
    with pytest.raises(CommandError, match="already has a round"):
        _cli("new", "--fiscal-year", "2570", "--copy-from", "2568")


def test_cli_refuses_a_round_of_another_province(world):
    other = Province.objects.create(code="43", name_th="หนองคาย")
    Round.objects.create(province=other, fiscal_year=2566, name="x", starts_on="2022-10-01", ends_on="2023-09-30")
    with pytest.raises(CommandError, match="another province"):
        _cli("new", "--fiscal-year", "2570", "--copy-from", "2566", "--province", "42")
    with pytest.raises(CommandError, match="cannot read /nonexistent"):
        _cli("new", "--fiscal-year", "2570", "--province", "42", "--add-codes", "/nonexistent")


def test_cli_unknown_code_names_the_line_and_creates_nothing(world, tmp_path):
    codes = tmp_path / "add.csv"
    codes.write_text("06420205\nXX1\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="unknown codes"):
        call_command("round", "new", "--fiscal-year", "2570", "--add-codes", str(codes), stdout=out, stderr=err)
    assert "line 2" in err.getvalue() and "XX1" in err.getvalue()
    assert not Round.objects.filter(fiscal_year=2570).exists()


def test_bangkok_constant():
    assert BANGKOK.key == "Asia/Bangkok"
