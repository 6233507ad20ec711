"""Stakeholder data: entry, approval by the executive only, lock, unlock with a reason, late flags, the
append-only log, the progress of the "stakeholders" milestone; the form's refusals name the field."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from itadesk.cycles.models import Progress, Status
from itadesk.surveys import services
from itadesk.surveys.forms import StakeholderForm
from itadesk.surveys.models import StakeholderData, StakeholderEvent
from tests.surveys.helpers import BEFORE_STAKEHOLDERS, with_framework

AFTER = BEFORE_STAKEHOLDERS.replace(month=2)


def enter(w, now=BEFORE_STAKEHOLDERS, **values):
    values = {"internal_count": 40, "external_people": 1200, "external_organizations": 30, **values}
    return services.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, now=now, **values)


def progress(w):
    return Progress.objects.get(milestone=w.m1, agency=w.sao1)


def test_enter_approve_lock_unlock(world):
    w = world
    data = enter(w, internal_breakdown={"officials": 25, "employees": 15},
                 external_groups=[{"name": "เกษตรกร", "channel": "กลุ่ม LINE"}])
    assert data.state == "draft" and not data.locked and not data.entered_late
    assert data.external_population == 1230
    assert progress(w).status == Status.IN_PROGRESS

    with pytest.raises(PermissionDenied):  # the admin who entered it cannot approve it
        services.approve_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, now=BEFORE_STAKEHOLDERS)
    with pytest.raises(PermissionDenied):  # nor the secretariat
        services.approve_stakeholders(actor=w.secretariat, round=w.round, agency=w.sao1, now=BEFORE_STAKEHOLDERS)
    data = services.approve_stakeholders(actor=w.exec_a, round=w.round, agency=w.sao1, now=BEFORE_STAKEHOLDERS)
    assert data.state == "approved" and data.locked and data.approved_by == w.exec_a and not data.approved_late
    p = progress(w)
    assert p.status == Status.APPROVED and not p.changed_late and p.updated_by == w.exec_a

    with pytest.raises(ValidationError, match="locked"):
        enter(w, internal_count=41)
    with pytest.raises(ValidationError):
        services.approve_stakeholders(actor=w.exec_a, round=w.round, agency=w.sao1, now=BEFORE_STAKEHOLDERS)
    with pytest.raises(PermissionDenied):  # only the secretariat unlocks
        services.unlock_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, reason="x")
    with pytest.raises(ValidationError, match="required"):
        services.unlock_stakeholders(actor=w.secretariat, round=w.round, agency=w.sao1, reason="  ")
    data = services.unlock_stakeholders(actor=w.secretariat, round=w.round, agency=w.sao1,
                                        reason="จำนวนบุคลากรไม่ตรงกับทะเบียน", now=BEFORE_STAKEHOLDERS)
    assert data.state == "draft" and not data.locked and data.approved_at is None
    assert progress(w).status == Status.IN_PROGRESS
    data = enter(w, internal_count=41)
    assert data.internal_count == 41 and data.internal_breakdown == {}

    log = list(StakeholderEvent.objects.filter(data=data).values_list("action", "reason", "actor_label"))
    assert [a for a, _r, _u in log] == ["entered", "approved", "unlocked", "changed"]
    assert log[2][1] == "จำนวนบุคลากรไม่ตรงกับทะเบียน"


def test_late_entry_and_approval_are_flagged_not_refused(world):
    w = world
    data = enter(w, now=AFTER)
    assert data.entered_late
    data = services.approve_stakeholders(actor=w.exec_a, round=w.round, agency=w.sao1, now=AFTER)
    assert data.approved_late
    p = progress(w)
    assert p.status == Status.APPROVED and p.changed_late and p.done_late
    assert StakeholderEvent.objects.filter(data=data, late=True).count() == 2


def test_the_log_is_append_only(world):
    data = enter(world)
    event = StakeholderEvent.objects.get(data=data)
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        StakeholderEvent.objects.filter(data=data).update(reason="x")
    with pytest.raises(ValidationError):
        StakeholderEvent.objects.filter(data=data).delete()


@pytest.mark.parametrize("values, field", [
    ({"internal_count": 0}, "internal_count"),
    ({"internal_count": -3}, "internal_count"),
    ({"internal_breakdown": {"officials": 10, "employees": 5}}, "internal_count"),
    ({"external_people": 0, "external_organizations": 0}, "external_people"),
    ({"external_people": -1}, "external_people"),
    ({"internal_breakdown": {"bosses": 40}}, "staff_bosses"),
])
def test_the_service_refuses_impossible_values(world, values, field):
    with pytest.raises(ValidationError) as exc:
        enter(world, **values)
    assert field in exc.value.message_dict
    assert not StakeholderData.objects.exists()


def test_an_agency_outside_the_round_is_refused(world):
    world.round.participations.filter(agency=world.sao1).delete()
    with pytest.raises(ValidationError):
        enter(world)


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are checked in English (the Thai translations live in the .po file)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def form(**data):
    base = {"internal_count": "40", "external_people": "1,200", "external_organizations": "", "external_groups": ""}
    return StakeholderForm({**base, **data})


def test_the_form_reads_thai_digits_and_thousands_separators():
    f = form(internal_count="๔๕", external_people="๑,๒๕๐", staff_officials="๓๐", staff_employees="15",
             external_groups="เกษตรกร | กลุ่ม LINE\n\nผู้ประกอบการ")
    assert f.is_valid(), f.errors
    c = f.cleaned_data
    assert c["internal_count"] == 45 and c["external_people"] == 1250 and c["external_organizations"] == 0
    assert c["internal_breakdown"] == {"officials": 30, "employees": 15}
    assert c["groups"] == [{"name": "เกษตรกร", "channel": "กลุ่ม LINE"}, {"name": "ผู้ประกอบการ", "channel": ""}]


@pytest.mark.parametrize("data, field, words", [
    ({"internal_count": "-5"}, "internal_count", "negative"),
    ({"internal_count": "0"}, "internal_count", "at least 1"),
    ({"internal_count": "สี่สิบ"}, "internal_count", "enter a number"),
    ({"internal_count": ""}, "internal_count", "required"),
    ({"internal_count": "4.5"}, "internal_count", "whole number"),
    ({"external_people": "12,34"}, "external_people", "thousands"),
    ({"external_people": "0"}, "external_people", "at least 1 person"),
    ({"staff_officials": "10", "staff_employees": "20"}, "internal_count", "add up to 30, not 40"),
    ({"external_groups": " | LINE"}, "external_groups", "line 1"),
])
def test_the_form_names_the_field(data, field, words):
    f = form(**data)
    assert not f.is_valid()
    message = " ".join(f.errors[field])
    assert words in message
    assert str(f.fields[field].label) in message


def test_pages_enter_approve_unlock(world, client):
    w = with_framework(world)
    url = reverse("surveys:agency", args=[w.round.pk, w.sao1.pk])
    client.cookies["django_language"] = "en"
    with time_machine.travel(BEFORE_STAKEHOLDERS, tick=False):
        client.force_login(w.admin_a)
        bad = client.post(reverse("surveys:stakeholders_save", args=[w.round.pk, w.sao1.pk]),
                          {"internal_count": "-5", "external_people": "100"})
        assert bad.status_code == 400
        assert "must not be negative" in bad.content.decode()
        assert not StakeholderData.objects.exists()
        ok = client.post(reverse("surveys:stakeholders_save", args=[w.round.pk, w.sao1.pk]),
                         {"internal_count": "๔๐", "external_people": "1,200"}, follow=True)
        page = ok.content.decode()
        assert 'data-testid="approve-stakeholders"' not in page  # the admin cannot approve
        assert "25 / 25" not in page and "— / 25" in page and "— / 120" in page

        client.force_login(w.exec_a)
        page = client.get(url).content.decode()
        assert 'data-testid="approve-stakeholders"' in page and 'data-testid="stakeholder-form"' not in page
        client.post(reverse("surveys:stakeholders_approve", args=[w.round.pk, w.sao1.pk]))
        assert StakeholderData.objects.get().locked

        client.force_login(w.admin_a)
        page = client.get(url).content.decode()
        assert 'data-testid="stakeholder-form"' not in page  # locked
        denied = client.post(reverse("surveys:stakeholders_save", args=[w.round.pk, w.sao1.pk]),
                             {"internal_count": "41", "external_people": "1200"}, follow=True)
        assert StakeholderData.objects.get().internal_count == 40
        assert "locked" in denied.content.decode()

        client.force_login(w.secretariat)
        client.post(reverse("surveys:stakeholders_unlock", args=[w.round.pk, w.sao1.pk]), {"reason": ""})
        assert StakeholderData.objects.get().locked
        client.post(reverse("surveys:stakeholders_unlock", args=[w.round.pk, w.sao1.pk]), {"reason": "แก้ไขจำนวน"})
        assert not StakeholderData.objects.get().locked


@pytest.mark.parametrize("data, field, words", [
    ({"on_date": "", "count_IIT": "3"}, "on_date", "Counted on: required"),
    ({"on_date": "31/2/2568", "count_IIT": "3"}, "on_date", "February 2568 has 28 days, so there is no day 31"),
    ({"on_date": "1/7/2568", "count_IIT": "3"}, "on_date", "in the future"),
    ({"on_date": "20/6/2568", "count_IIT": "-3"}, "count_IIT", "IIT respondents: must not be negative"),
    ({"on_date": "20/6/2568", "count_EIT": "มาก"}, "count_EIT", "EIT respondents: enter a number"),
])
def test_the_response_form_names_the_field(data, field, words):
    from itadesk.surveys.forms import ResponseForm
    from itadesk.surveys.selectors import DEFAULT_INSTRUMENTS, Instrument
    from tests.surveys.helpers import day

    f = ResponseForm(data, instruments=[Instrument(*i) for i in DEFAULT_INSTRUMENTS], today=day(2568, 6, 23))
    assert not f.is_valid()
    assert words in " ".join(f.errors[field])


def test_the_response_form_reads_thai_digits_and_be_dates():
    from itadesk.surveys.forms import ResponseForm
    from itadesk.surveys.selectors import DEFAULT_INSTRUMENTS, Instrument
    from tests.surveys.helpers import day

    f = ResponseForm({"on_date": "๒๐ มิ.ย. ๒๕๖๘", "count_IIT": "๑๒", "count_EIT": "1,250"},
                     instruments=[Instrument(*i) for i in DEFAULT_INSTRUMENTS], today=day(2568, 6, 23))
    assert f.is_valid(), f.errors
    assert f.cleaned_data["on_date"] == day(2568, 6, 20) and f.cleaned_data["counts"] == {"IIT": 12, "EIT": 1250}
