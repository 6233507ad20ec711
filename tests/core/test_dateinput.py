"""The Thai date fields: the box shows 15/05/2570 (Bangkok time), takes what people type, names the field
in its refusals (Thai and English); the round's fiscal year refuses a clearly wrong year, and a deadline
outside the fiscal year needs the confirmation box that the milestone form then shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from itadesk.core.audit import AuditEvent
from itadesk.core.dateinput import ThaiDateField, ThaiDateTimeField, ThaiTimeField
from itadesk.core.thai import BANGKOK, bangkok_datetime


class Form(forms.Form):
    day = ThaiDateField(label="วันที่ส่ง")
    at = ThaiDateTimeField(label="กำหนดส่ง", required=False)
    time = ThaiTimeField(label="เวลาเริ่ม", required=False)


def test_the_box_is_text_with_a_be_value_and_a_marker_for_the_picker():
    html = str(Form(initial={"day": dt.date(2027, 5, 15), "at": dt.datetime(2027, 5, 15, 10, 0, tzinfo=dt.UTC),
                             "time": dt.time(13, 30)}))
    assert 'type="date"' not in html and "datetime-local" not in html and 'type="time"' not in html
    assert 'value="15/05/2570"' in html and 'data-thai-date="date"' in html
    assert 'value="15/05/2570 17:00"' in html and 'data-thai-date="datetime"' in html
    assert 'value="13:30"' in html


def test_what_is_typed_becomes_a_date_and_a_bangkok_time():
    f = Form({"day": "๑๕ พ.ค. ๒๕๗๐", "at": "15/05/2570 17.00 น.", "time": "๑๓.๓๐ น."})
    assert f.is_valid(), f.errors
    assert f.cleaned_data["day"] == dt.date(2027, 5, 15)
    assert f.cleaned_data["at"] == bangkok_datetime(2570, 5, 15, 17)
    assert f.cleaned_data["at"].tzinfo == BANGKOK
    assert f.cleaned_data["time"] == dt.time(13, 30)


@pytest.mark.parametrize("data, field, th, en", [
    ({"day": "15/05/2027"}, "day", "วันที่ส่ง: ปี 2027 ดูเหมือนเป็น ค.ศ. (= พ.ศ. 2570) — กรุณาพิมพ์ปี พ.ศ.",
     "วันที่ส่ง: the year 2027 looks like a Christian-era year (= 2570 BE) — please type the Buddhist-era year."),
    ({"day": "05/15/2570"}, "day", "วันที่ส่ง: ไม่มีเดือนที่ 15", "วันที่ส่ง: there is no month 15"),
    ({"day": "31/2/2570"}, "day", "วันที่ส่ง: เดือนกุมภาพันธ์ 2570 มี 28 วัน ไม่มีวันที่ 31",
     "วันที่ส่ง: February 2570 has 28 days, so there is no day 31."),
    ({"day": ""}, "day", "วันที่ส่ง: ", "วันที่ส่ง: required."),
    ({"day": "1/1/2570", "at": "15/05/2570"}, "at", "กำหนดส่ง: กรุณาพิมพ์เวลาต่อท้ายวันที่",
     "กำหนดส่ง: add the time after the date"),
    ({"day": "1/1/2570", "at": "15/05/2570 25:00"}, "at", "กำหนดส่ง: ", "กำหนดส่ง: there is no hour 25"),
    ({"day": "1/1/2570", "time": "25.00"}, "time", "เวลาเริ่ม: ", "เวลาเริ่ม: there is no hour 25"),
    ({"day": "1/1/2570", "time": "บ่ายโมง"}, "time", "เวลาเริ่ม: ", "เวลาเริ่ม: “บ่ายโมง” is not a time"),
    ({"day": "3113-05-15"}, "day", "วันที่ส่ง: ", "วันที่ส่ง: the year 3113 is not a Buddhist-era year"),
])
def test_refusals_name_the_field_in_thai_and_english(data, field, th, en):
    for lang, words in (("th", th), ("en", en)):
        with translation.override(lang):
            f = Form(data)
            assert not f.is_valid()
            assert words in " ".join(f.errors[field]), (lang, f.errors[field])


def test_a_typed_value_stays_in_the_box_when_refused():
    f = Form({"day": "05/15/2570"})
    assert not f.is_valid()
    assert 'value="05/15/2570"' in str(f["day"])


def test_a_year_more_than_two_years_from_the_fiscal_year_is_refused():
    field = ThaiDateField(label="วันที่", fiscal_year=2570)
    assert field.clean("1/10/2568") == dt.date(2025, 10, 1)  # two years away: allowed here
    with translation.override("th"), pytest.raises(forms.ValidationError) as e:
        field.clean("1/10/2567")
    assert "ปี พ.ศ. 2567" in e.value.messages[0] and "2570" in e.value.messages[0]
    with pytest.raises(forms.ValidationError):
        field.clean("15/5/25")  # two digits: 2525, clearly wrong for FY2570


# --- the milestone form ----------------------------------------------------------------------------------

def _post(client, world, **data):
    fields = {"code": "appeal", "name_th": "อุทธรณ์", "name_en": "", "description": "", "opens_at": "",
              "deadline": "", "order": 4, **data}
    return client.post(reverse("milestone_new", args=[world.round.pk]), fields)


def test_milestone_deadline_typed_in_be_is_stored_and_shown_in_be(world, client):
    client.force_login(world.secretariat)
    r = _post(client, world, deadline="๑๕/๐๕/๒๕๖๘")  # no time: a deadline is 17:00
    assert r.status_code == 302, r.context["form"].errors
    m = world.round.milestones.get(code="appeal")
    assert m.deadline == bangkok_datetime(2568, 5, 15, 17)
    page = client.get(reverse("milestone_edit", args=[world.round.pk, m.pk])).content.decode()
    assert 'value="15/05/2568 17:00"' in page
    assert "15 พ.ค. 2568 17:00 น." in client.get(reverse("milestone_list", args=[world.round.pk])).content.decode()


def test_the_browser_month_first_date_is_refused_not_stored_as_3113(world, client):
    client.force_login(world.secretariat)
    with translation.override("th"):
        r = _post(client, world, deadline="05/15/2568 17:00")
    assert r.status_code == 200
    assert "ไม่มีเดือนที่ 15" in r.content.decode()
    assert not world.round.milestones.filter(code="appeal").exists()


def test_a_deadline_outside_the_fiscal_year_needs_the_confirmation(world, client):
    client.force_login(world.secretariat)
    r = _post(client, world, deadline="15/10/2568 17:00")  # FY2568 ended on 30 Sep 2568
    assert r.status_code == 200
    html = r.content.decode()
    assert 'name="confirm_outside_fiscal_year"' in html and "confirm_outside_fiscal_year" not in str(
        r.context["form"].errors)
    assert "deadline" in r.context["form"].errors
    assert not world.round.milestones.filter(code="appeal").exists()
    r = _post(client, world, deadline="15/10/2568 17:00", confirm_outside_fiscal_year="on")
    assert r.status_code == 302
    assert world.round.milestones.get(code="appeal").deadline == bangkok_datetime(2568, 10, 15, 17)
    assert AuditEvent.objects.filter(action="milestone.create").count() == 1


def test_the_confirmation_box_is_not_shown_for_a_date_inside_the_fiscal_year(world, client):
    client.force_login(world.secretariat)
    page = client.get(reverse("milestone_new", args=[world.round.pk])).content.decode()
    assert "confirm_outside_fiscal_year" not in page
    r = _post(client, world, deadline="15/09/2568 17:00", opens_at="not a date")
    assert "confirm_outside_fiscal_year" not in r.content.decode()


def test_an_unchanged_deadline_outside_the_fiscal_year_needs_no_new_confirmation(world, client):
    world.m3.deadline = bangkok_datetime(2568, 10, 31, 17)
    world.m3.save()
    client.force_login(world.secretariat)
    r = client.post(reverse("milestone_edit", args=[world.round.pk, world.m3.pk]), {
        "code": world.m3.code, "name_th": "ชื่อใหม่", "name_en": "", "description": "", "opens_at": "",
        "deadline": "31/10/2568 17:00", "order": 3})
    assert r.status_code == 302
    world.m3.refresh_from_db()
    assert world.m3.name_th == "ชื่อใหม่"


def test_a_clearly_wrong_year_is_refused_even_when_confirmed(world, client):
    client.force_login(world.secretariat)
    with translation.override("th"):
        r = _post(client, world, deadline="15/05/2575 17:00", confirm_outside_fiscal_year="on")
    assert r.status_code == 200
    assert "ปี พ.ศ. 2575" in r.content.decode()


def test_django_admin_uses_the_thai_boxes_too(world, client):
    client.force_login(world.superuser)
    html = client.get(reverse("admin:cycles_round_change", args=[world.round.pk])).content.decode()
    assert 'value="31/01/2568 17:00"' in html  # the stakeholder deadline, in the milestone inline
    assert 'data-thai-date="date"' in html and "vDateField" not in html
    assert "itadesk/thaidate.js" in html


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=40), st.from_regex(r"\A\d{1,3}[/.\-]\d{1,3}[/.\-]\d{1,5}( \d{1,3}[:.]\d{1,3})?\Z")),
       st.sampled_from(["th", "en"]))
def test_any_text_in_a_field_gives_a_value_or_a_message_naming_the_field(text, lang):
    for field in (ThaiDateField(label="วันที่", required=False, fiscal_year=2570),
                  ThaiDateTimeField(label="วันที่", required=False), ThaiTimeField(label="วันที่", required=False)):
        with translation.override(lang):
            try:
                field.clean(text)
            except forms.ValidationError as e:
                assert all(m.startswith("วันที่: ") for m in e.messages), e.messages
