"""Editing agencies in the UI: the service's checks, the history, who may change what, ITAS codes in bulk and
the list's filters."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from itadesk.core.models import AuditEvent
from itadesk.registry import services
from itadesk.registry.models import Agency, District, Province


def _errors(world, **changes):
    with pytest.raises(ValidationError) as exc:
        services.update_agency(actor=world.secretariat, agency=world.sao1, changes=changes)
    return exc.value.message_dict


def _state(agency):
    agency.refresh_from_db()
    return {f: getattr(agency, f) for f in services.EDITABLE_FIELDS}


# --- the service ---------------------------------------------------------------------------------------------

def test_update_normalises_and_records_one_event_with_before_and_after(world):
    result = services.update_agency(actor=world.secretariat, agency=world.sao1, changes={
        "itas_code": " u4gpi2 ", "website": "WWW.KaewMethee.go.th", "phone": "๐๔๒-๘๑๑-๒๓๔", "email": "Saraban@KM.GO.TH",
        "district_id": world.d1.pk, "kind": "subdistrict_mun", "contact_name": "นางสมใจ"})
    assert result.changed and not result.warnings
    world.sao1.refresh_from_db()
    assert (world.sao1.itas_code, world.sao1.website, world.sao1.phone, world.sao1.email) == (
        "u4gpi2", "http://www.kaewmethee.go.th", "042 811 234", "Saraban@km.go.th")
    events = AuditEvent.objects.filter(object_id=str(world.sao1.pk), action="agency.update")
    assert events.count() == 1
    event = events.get()
    assert event.actor == world.secretariat
    assert event.before["itas_code"] is None and event.after["itas_code"] == "u4gpi2"
    assert event.before["district_id"] == world.d2.pk and event.after["district_id"] == world.d1.pk
    assert event.before["kind"] == "sao" and event.after["kind"] == "subdistrict_mun"


def test_nothing_changed_records_nothing(world):
    result = services.update_agency(actor=world.secretariat, agency=world.sao1,
                                    changes={"name_th": world.sao1.name_th, "website": "", "itas_code": ""})
    assert not result.changed
    assert not AuditEvent.objects.filter(object_id=str(world.sao1.pk)).exists()


def test_an_itas_code_held_by_another_agency_is_refused_naming_it(world):
    other_province = Province.objects.create(code="43", name_th="หนองคาย")
    Agency.objects.create(province=other_province, kind="sao", name_th="อบต.ไกลบ้าน", itas_code="far001")
    services.update_agency(actor=world.secretariat, agency=world.pao, changes={"itas_code": "k7tq9z"})
    assert "องค์การบริหารส่วนจังหวัดเลย" in _errors(world, itas_code="K7TQ9Z")["itas_code"][0]
    assert "อบต.ไกลบ้าน (หนองคาย)" in _errors(world, itas_code="far001")["itas_code"][0]


@pytest.mark.parametrize("field, value, key", [
    ("itas_code", "u4 gpi2", "itas_code"),
    ("website", "https://www.facebook.com/kaewmethee", "website"),
    ("website", "ftp://x.go.th", "website"),
    ("website", "not a site", "website"),
    ("email", "saraban@", "email"),
    ("phone", "12345", "phone"),
    ("kind", "ministry", "kind"),
    ("name_th", "", "name_th"),
    ("contact_name", "ก" * 201, "contact_name"),
])
def test_each_bad_field_is_named_and_nothing_is_written(world, field, value, key):
    before = _state(world.sao1)
    errors = _errors(world, **{field: value})
    assert list(errors) == [key]
    assert value[:20] in errors[key][0] or field in ("name_th", "contact_name")
    assert _state(world.sao1) == before
    assert not AuditEvent.objects.filter(object_id=str(world.sao1.pk)).exists()


def test_all_bad_fields_are_named_together(world):
    errors = _errors(world, itas_code="a b", email="x@", phone="1", website="ftp://x")
    assert set(errors) == {"itas_code", "email", "phone", "website"}


def test_district_must_be_in_the_agencys_province(world):
    elsewhere = Province.objects.create(code="43", name_th="หนองคาย")
    far = District.objects.create(province=elsewhere, geocode="4301", name_th="เมืองหนองคาย")
    assert "เลย" in _errors(world, district_id=far.pk)["district"][0]


def test_stored_values_in_an_older_form_are_kept_when_not_changed(world):
    Agency.objects.filter(pk=world.sao1.pk).update(phone="042-811234-5", website="https://www.facebook.com/x")
    world.sao1.refresh_from_db()
    result = services.update_agency(actor=world.secretariat, agency=world.sao1, changes={
        "phone": "042-811234-5", "website": "https://www.facebook.com/x", "contact_name": "นายใหม่"})
    assert result.changed
    world.sao1.refresh_from_db()
    assert world.sao1.phone == "042-811234-5" and world.sao1.contact_name == "นายใหม่"


def test_deactivating_an_agency_of_the_current_round_warns(world):
    result = services.update_agency(actor=world.secretariat, agency=world.sao1, changes={"active": False})
    assert result.changed and "ITA 2568" in result.warnings[0]
    world.sao1.refresh_from_db()
    assert not world.sao1.active
    assert world.round.participations.filter(agency=world.sao1).exists()  # stays in the round
    world.round.is_current = False
    world.round.save()
    assert not services.update_agency(actor=world.secretariat, agency=world.sao2,
                                      changes={"active": False}).warnings


def test_contacts_service_refuses_other_fields(world):
    with pytest.raises(PermissionDenied):
        services.update_agency_contacts(actor=world.admin_a, agency=world.sao1,
                                        changes={"phone": "042811234", "itas_code": "u4gpi2"})
    world.sao1.refresh_from_db()
    assert world.sao1.phone == "" and world.sao1.itas_code is None


# --- the pages -----------------------------------------------------------------------------------------------

FULL = {"name_th": "องค์การบริหารส่วนตำบลแก้วเมธี", "name_en": "", "kind": "sao", "itas_code": "u4gpi2",
        "contact_name": "", "phone": "", "email": "", "website": "", "active": "on"}


def test_secretariat_edits_every_field(world, client):
    client.force_login(world.secretariat)
    url = reverse("registry:agency_edit", args=[world.sao1.pk])
    page = client.get(url)
    assert set(page.context["form"].fields) == {"name_th", "name_en", "kind", "district", "itas_code", "active",
                                               "contact_name", "phone", "email", "website"}
    assert "ITA 2568" in page.content.decode()  # warned before deactivating
    response = client.post(url, {**FULL, "district": world.d1.pk, "kind": "subdistrict_mun", "active": ""})
    assert response.status_code == 302
    world.sao1.refresh_from_db()
    assert (world.sao1.itas_code, world.sao1.kind, world.sao1.district, world.sao1.active) == (
        "u4gpi2", "subdistrict_mun", world.d1, False)
    detail = client.get(response["Location"])
    html = detail.content.decode()
    assert "ITA 2568" in html  # the warning message
    assert detail.context["history"][0].action == "agency.update"


def test_secretariat_sees_a_bad_value_on_its_field(world, client):
    client.force_login(world.secretariat)
    services.update_agency(actor=world.secretariat, agency=world.pao, changes={"itas_code": "k7tq9z"})
    response = client.post(reverse("registry:agency_edit", args=[world.sao1.pk]),
                           {**FULL, "district": world.d2.pk, "itas_code": "k7tq9z", "email": "nope"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "องค์การบริหารส่วนจังหวัดเลย" in form.errors["itas_code"][0]
    assert "nope" in form.errors["email"][0]
    world.sao1.refresh_from_db()
    assert world.sao1.itas_code is None


def test_agency_admin_gets_the_contact_form_and_a_crafted_post_changes_nothing_else(world, client):
    client.force_login(world.admin_a)
    url = reverse("registry:agency_edit", args=[world.sao1.pk])
    page = client.get(url)
    assert set(page.context["form"].fields) == {"contact_name", "phone", "email", "website"}
    assert 'name="kind"' not in page.content.decode() and 'name="itas_code"' not in page.content.decode()
    response = client.post(url, {"contact_name": "นางสมใจ", "phone": "042 811 234", "email": "km@km.go.th",
                                 "website": "www.km.go.th", "kind": "pao", "district": world.d1.pk,
                                 "itas_code": "hack01", "active": "", "name_th": "อื่น"})
    assert response.status_code == 302
    world.sao1.refresh_from_db()
    assert (world.sao1.contact_name, world.sao1.phone, world.sao1.website) == (
        "นางสมใจ", "042 811 234", "http://www.km.go.th")
    assert (world.sao1.kind, world.sao1.district, world.sao1.itas_code, world.sao1.active, world.sao1.name_th) == (
        "sao", world.d2, None, True, "องค์การบริหารส่วนตำบลแก้วเมธี")
    event = AuditEvent.objects.get(object_id=str(world.sao1.pk), action="agency.update")
    assert event.actor == world.admin_a and set(k for k in event.after if event.after[k] != event.before[k]) == {
        "contact_name", "phone", "email", "website"}


@pytest.mark.parametrize("who, status", [("admin_b", 404), ("exec_a", 403), ("local_officer", 403),
                                         ("prov_officer", 404)])
def test_others_cannot_post_an_edit(world, client, who, status):
    client.force_login(getattr(world, who))
    response = client.post(reverse("registry:agency_edit", args=[world.sao1.pk]), {"phone": "042811234"})
    assert response.status_code == status
    world.sao1.refresh_from_db()
    assert world.sao1.phone == ""


def test_edit_links_only_for_editors(world, client):
    url = reverse("registry:agency_detail", args=[world.sao1.pk])
    client.force_login(world.exec_a)
    assert 'data-testid="edit-agency"' not in client.get(url).content.decode()
    client.force_login(world.admin_a)
    assert 'data-testid="edit-agency"' in client.get(url).content.decode()


# --- ITAS codes in bulk --------------------------------------------------------------------------------------

def _fill_url():
    return reverse("registry:itas_fill")


def test_bulk_fill_lists_agencies_without_a_code_and_saves_them_together(world, client):
    Agency.objects.filter(pk=world.provincial.pk).update(itas_code="prov01")
    client.force_login(world.secretariat)
    page = client.get(_fill_url())
    listed = {a.pk for a, _value, _error in page.context["rows"]}
    assert listed == {a.pk for a in world.agencies} - {world.provincial.pk}
    response = client.post(_fill_url(), {f"itas-{world.sao1.pk}": "u4gpi2", f"itas-{world.sao2.pk}": "k7tq9z",
                                         f"itas-{world.pao.pk}": "", f"itas-{world.provincial.pk}": "hack01"})
    assert response.status_code == 302
    codes = dict(Agency.objects.values_list("pk", "itas_code"))
    assert (codes[world.sao1.pk], codes[world.sao2.pk], codes[world.pao.pk], codes[world.provincial.pk]) == (
        "u4gpi2", "k7tq9z", None, "prov01")
    assert AuditEvent.objects.filter(action="agency.update", actor=world.secretariat).count() == 2


def test_bulk_fill_is_all_or_nothing_and_names_each_bad_row(world, client):
    Agency.objects.filter(pk=world.provincial.pk).update(itas_code="prov01")
    client.force_login(world.secretariat)
    response = client.post(_fill_url(), {
        f"itas-{world.sao1.pk}": "same01", f"itas-{world.sao2.pk}": "SAME01",  # the same code twice
        f"itas-{world.pao.pk}": "bad code",  # format
        f"itas-{world.district_office.pk}": "prov01",  # held by another agency
    })
    assert response.status_code == 200
    errors = {a.pk: e for a, _v, e in response.context["rows"] if e}
    twice = set(errors) & {world.sao1.pk, world.sao2.pk}  # the later row of the two, naming the other
    assert set(errors) == {*twice, world.pao.pk, world.district_office.pk} and len(twice) == 1
    other = world.sao1 if twice == {world.sao2.pk} else world.sao2
    assert other.name_th in errors[twice.pop()]
    assert "bad code" in errors[world.pao.pk]
    assert "จังหวัดเลย" in errors[world.district_office.pk]
    # typed values are kept in the form, nothing is written
    assert {a.pk: v for a, v, _e in response.context["rows"]}[world.sao1.pk] == "same01"
    assert not Agency.objects.exclude(pk=world.provincial.pk).exclude(itas_code=None).exists()
    assert not AuditEvent.objects.exists()


def test_bulk_fill_service_refuses_agencies_of_another_province_or_with_a_code(world):
    other = Province.objects.create(code="43", name_th="หนองคาย")
    far = Agency.objects.create(province=other, kind="sao", name_th="อบต.ไกล")
    Agency.objects.filter(pk=world.pao.pk).update(itas_code="pao001")
    with pytest.raises(services.ItasFillRefused) as exc:
        services.fill_itas_codes(actor=world.secretariat, province=world.province,
                                 codes={far.pk: "far001", world.pao.pk: "pao002", world.sao1.pk: "u4gpi2"})
    assert len(exc.value.errors) == 2
    assert not Agency.objects.filter(itas_code__in=["far001", "pao002", "u4gpi2"]).exists()


def test_a_pasted_list_fills_the_form_without_saving(world, client):
    Agency.objects.filter(pk=world.provincial.pk).update(itas_code="prov01")
    client.force_login(world.secretariat)
    pasted = ("รหัส อปท.\tรหัส ITAS\n"
              "06420205\tu4gpi2\n"
              "๐๖๔๒๐๒๐๓, k7tq9z\n"
              "อำเภอนาด้วง\tdist01\n"
              "จังหวัดเลย\tprov02\n"
              "99999999\tzzz999\n"
              "06420205\tagain1\n")
    response = client.post(_fill_url(), {"pasted": pasted, "read_list": "1"})
    assert response.status_code == 200
    values = {a.pk: v for a, v, _e in response.context["rows"]}
    assert (values[world.sao1.pk], values[world.sao2.pk], values[world.district_office.pk]) == (
        "u4gpi2", "k7tq9z", "dist01")
    problems = " ".join(response.context["problems"])
    assert "prov01" in problems  # already has a code
    assert "99999999" in problems and "7" in problems  # unknown agency, its line
    assert any("องค์การบริหารส่วนตำบลแก้วเมธี" in p and "7" in p for p in response.context["problems"])  # repeated
    assert not Agency.objects.filter(itas_code="u4gpi2").exists()  # nothing saved yet
    response = client.post(_fill_url(), {f"itas-{pk}": v for pk, v in values.items()})
    assert response.status_code == 302
    assert Agency.objects.get(pk=world.sao1.pk).itas_code == "u4gpi2"


# --- the list ------------------------------------------------------------------------------------------------

def _listed(client, **params):
    response = client.get(reverse("registry:agency_list"), params)
    return {a.pk for a in response.context["page"]}


def test_list_filters(world, client):
    Agency.objects.filter(pk=world.sao1.pk).update(itas_code="u4gpi2", website="http://km.go.th",
                                                   email="km@km.go.th")
    Agency.objects.filter(pk=world.sao2.pk).update(active=False)
    client.force_login(world.secretariat)
    everyone = {a.pk for a in world.agencies}
    assert _listed(client) == everyone
    assert _listed(client, missing="itas") == everyone - {world.sao1.pk}
    assert _listed(client, missing="website") == everyone - {world.sao1.pk}
    assert _listed(client, missing="email") == everyone - {world.sao1.pk}
    assert _listed(client, active="0") == {world.sao2.pk}
    assert _listed(client, active="1", missing="itas") == everyone - {world.sao1.pk, world.sao2.pk}
    assert _listed(client, kind="sao", district=world.d2.pk) == {world.sao1.pk, world.sao2.pk}
    assert _listed(client, q="แก้วเมธี") == {world.sao1.pk}
    assert _listed(client, q="u4gpi2") == {world.sao1.pk}
    response = client.get(reverse("registry:agency_list"))
    assert response.context["missing_counts"] == {"itas": 3, "website": 3, "email": 3}  # active agencies only
    assert response.context["can_edit"]


def test_list_filters_stay_within_the_users_scope(world, client):
    client.force_login(world.admin_a)
    assert _listed(client, missing="itas") == {world.sao1.pk}
    assert not client.get(reverse("registry:agency_list")).context["can_edit"]


# --- access ----------------------------------------------------------------------------------------------------

def test_access_actions_per_role(world):
    from itadesk.accounts import access

    full = {who for who in ("secretariat", "superuser", "admin_a", "admin_b", "exec_a", "local_officer",
                            "nacc_officer", "reviewer") if access.can(getattr(world, who), "edit_agency", world.sao1)}
    contacts = {who for who in ("secretariat", "superuser", "admin_a", "admin_b", "exec_a", "local_officer",
                                "nacc_officer", "reviewer")
                if access.can(getattr(world, who), "edit_agency_contacts", world.sao1)}
    assert full == {"secretariat", "superuser"}
    assert contacts == {"secretariat", "superuser", "admin_a"}
    assert access.can(world.secretariat, "edit_agency", world.province)
    assert not access.can(world.admin_a, "edit_agency", world.province)
    elsewhere = Province.objects.create(code="43", name_th="หนองคาย")
    assert not access.can(world.secretariat, "edit_agency", elsewhere)


def test_a_district_that_is_not_a_number_is_named(world):
    assert "district" in _errors(world, district_id="x")
