"""Agency list import and export (itadesk.registry.importing and ``itadesk agencies``)."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itadesk.core.models import AuditEvent
from itadesk.core.tabular import ImportRefused, write_table
from itadesk.registry import importing
from itadesk.registry.importing import (
    HEADERS,
    apply_agency_import,
    export_agencies,
    plan_agency_import,
)
from itadesk.registry.models import Agency, AgencyKind, District, Province
from tests.factories import AgencyFactory, DistrictFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loei():
    province = ProvinceFactory(code="42", name_th="เลย", name_en="Loei")
    DistrictFactory(province=province, geocode="4201", name_th="เมืองเลย")
    DistrictFactory(province=province, geocode="4202", name_th="นาด้วง")
    DistrictFactory(province=province, geocode="4203", name_th="เชียงคาน")
    return province


def district(name):
    return District.objects.get(name_th=name)


def csv_bytes(rows, headers=HEADERS, *, encoding="utf-8-sig", delimiter=","):
    buf = io.StringIO()
    import csv

    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows, headers=HEADERS):
    buf = io.BytesIO()
    write_table(buf, headers, rows, "xlsx")
    return buf.getvalue()


def row(name="องค์การบริหารส่วนตำบลนาดี", *, itas="", dla="", name_en="", kind="อบต.", district="นาด้วง",
        website="", contact="", phone="", email="", active=""):
    return [itas, dla, name, name_en, kind, district, website, contact, phone, email, active]


def plan_for(province, rows, headers=HEADERS, **kwargs):
    return plan_agency_import(data=csv_bytes(rows, headers, **kwargs), filename="agencies.csv", province=province)


def messages(plan):
    return [str(e) for e in plan.errors]


def snapshot():
    """Everything an import could touch, to compare before and after a failed one."""
    return (list(Agency.objects.order_by("pk").values()), AuditEvent.objects.count(),
            list(District.objects.order_by("pk").values()))


# ---------------------------------------------------------------------------------------------- happy path


def test_import_creates_and_updates_with_one_history_event_each(loei):
    existing = AgencyFactory(province=loei, district=district("เมืองเลย"), itas_code="06420001", dla_code=None,
                             name_th="เทศบาลเมืองเลย", kind=AgencyKind.TOWN_MUNICIPALITY,
                             website="http://www.loeicity.go.th", email="", phone="", contact_name="")
    user = UserFactory()
    rows = [
        row("เทศบาลเมืองเลย", itas="06420001", kind="ทม.", district="เมืองเลย", website="www.loeicity.go.th",
            phone="042 811 111"),
        row("องค์การบริหารส่วนตำบลนาดี", itas="06420115", dla="6420115", district="อำเภอนาด้วง",
            website="https://nadee.go.th", email="saraban@nadee.go.th", active="ใช่"),
        row("เทศบาลตำบลเชียงคาน", kind="เทศบาลตำบล", district="4203", active="ไม่ใช่"),
    ]
    plan = plan_for(loei, rows)
    assert plan.ok, messages(plan)
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (2, 1, 0)
    assert plan.updates[0].changes == {"phone": "042 811 111"}  # bare domain = the stored http:// URL

    result = apply_agency_import(actor=user, plan=plan)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    assert "2 created, 1 updated, 0 unchanged" in str(result)
    nadee = Agency.objects.get(itas_code="06420115")
    assert (nadee.dla_code, nadee.kind, nadee.district.name_th, nadee.active) == (
        "6420115", AgencyKind.SAO, "นาด้วง", True)
    chiang_khan = Agency.objects.get(name_th="เทศบาลตำบลเชียงคาน")
    assert chiang_khan.kind == AgencyKind.SUBDISTRICT_MUNICIPALITY and chiang_khan.active is False
    assert chiang_khan.itas_code is None and chiang_khan.dla_code is None
    assert chiang_khan.source == "นำเข้าจากไฟล์ agencies.csv"
    existing.refresh_from_db()
    assert existing.phone == "042 811 111"
    events = AuditEvent.objects.order_by("id")
    assert [e.action for e in events] == ["agency.create", "agency.create", "agency.update"]
    assert all(e.actor == user for e in events)
    assert events[2].changes() == [("phone", "", "042 811 111")]


@pytest.mark.parametrize("text, kind", [
    ("อบต.", AgencyKind.SAO), ("อบต", AgencyKind.SAO), ("องค์การบริหารส่วนตำบล", AgencyKind.SAO), ("sao", AgencyKind.SAO),
    ("ทต.", AgencyKind.SUBDISTRICT_MUNICIPALITY), ("เทศบาลตำบล", AgencyKind.SUBDISTRICT_MUNICIPALITY),
    ("ทม.", AgencyKind.TOWN_MUNICIPALITY), ("เทศบาลเมือง", AgencyKind.TOWN_MUNICIPALITY),
    ("ทน.", AgencyKind.CITY_MUNICIPALITY), ("เทศบาลนคร", AgencyKind.CITY_MUNICIPALITY),
    ("City municipality", AgencyKind.CITY_MUNICIPALITY), ("อบจ.", AgencyKind.PAO), ("pao", AgencyKind.PAO),
    ("อำเภอ", AgencyKind.DISTRICT), ("district", AgencyKind.DISTRICT),
    ("จังหวัด", AgencyKind.PROVINCIAL), ("ส่วนราชการระดับจังหวัด", AgencyKind.PROVINCIAL),
    ("Provincial-level office", AgencyKind.PROVINCIAL), ("อื่น ๆ", AgencyKind.OTHER), ("other", AgencyKind.OTHER),
    ("subdistrict_mun", AgencyKind.SUBDISTRICT_MUNICIPALITY),
])
def test_kind_forms(loei, text, kind):
    plan = plan_for(loei, [row(kind=text)])
    assert plan.ok, messages(plan)
    assert plan.creates[0].changes["kind"] == kind


@pytest.mark.parametrize("text", ["นาด้วง", "อำเภอนาด้วง", "อ.นาด้วง", " อำเภอ นาด้วง ", "4202", "๔๒๐๒",
                                  "อ\u0e4d\u0e32เภอนาด้วง"])
def test_district_forms(loei, text):
    plan = plan_for(loei, [row(district=text)])
    assert plan.ok, messages(plan)
    assert plan.creates[0].changes["district_id"] == district("นาด้วง").pk


@pytest.mark.parametrize("given, stored", [
    ("www.x.go.th", "http://www.x.go.th"), ("nadee.go.th/index.php?p=1", "http://nadee.go.th/index.php?p=1"),
    ("https://www.nadee.go.th/", "https://www.nadee.go.th/"), ("", ""),
])
def test_websites(loei, given, stored):
    plan = plan_for(loei, [row(website=given)])
    assert plan.ok, messages(plan)
    assert plan.creates[0].changes["website"] == stored


def test_english_and_alias_headers_any_case_and_spacing(loei):
    headers = ["ITAS_Code", " DLA code ", "Name_TH", "English Name", "KIND", "District", "Website", "Contact",
               "Tel", "E-mail", "Active"]
    plan = plan_for(loei, [row(itas="0001", name_en="Na Di SAO", kind="sao", district="Na Duang",
                               email="a@b.co", active="yes")], headers)
    # "Na Duang" is not a stored name (no English name in the fixture): everything else is accepted
    assert [e.column for e in plan.errors] == ["District"]
    District.objects.filter(name_th="นาด้วง").update(name_en="Na Duang")
    plan = plan_for(loei, [row(itas="0001", name_en="Na Di SAO", kind="sao", district="Na Duang",
                               email="a@b.co", active="yes")], headers)
    assert plan.ok, messages(plan)


def test_partial_file_changes_only_its_columns(loei):
    agency = AgencyFactory(province=loei, district=district("นาด้วง"), itas_code="06420115", name_th="อบต.นาดี",
                           phone="042 000 000", website="https://old.go.th", active=False)
    plan = plan_for(loei, [["06420115", "อบต.นาดี", "อบต.", "new.go.th"]],
                    ["รหัส ITAS", "ชื่อหน่วยงาน", "ประเภท", "เว็บไซต์หลัก"])
    assert plan.ok, messages(plan)
    assert plan.updates[0].changes == {"website": "http://new.go.th"}
    apply_agency_import(actor=None, plan=plan)
    agency.refresh_from_db()
    assert (agency.website, agency.phone, agency.active, agency.district.name_th) == (
        "http://new.go.th", "042 000 000", False, "นาด้วง")
    assert AuditEvent.objects.get().actor_label == "system"


def test_matching_by_dla_code_then_name_and_district(loei):
    by_dla = AgencyFactory(province=loei, website="", phone="", email="", district=district("นาด้วง"), itas_code=None, dla_code="6420115",
                           name_th="อบต.นาดี")
    by_name = AgencyFactory(province=loei, website="", phone="", email="", district=district("เชียงคาน"), itas_code=None, dla_code=None,
                            name_th="องค์การบริหารส่วนตำบลบุฮม")
    namesake = AgencyFactory(province=loei, website="", phone="", email="", district=district("นาด้วง"), itas_code=None, dla_code=None,
                             name_th="องค์การบริหารส่วนตำบลบุฮม")
    plan = plan_for(loei, [
        row("องค์การบริหารส่วนตำบลนาดี", itas="06420115", dla="6420115", district="นาด้วง"),
        row("องค์การบริหารส่วนตำบลบุฮม", itas="06420116", district="เชียงคาน"),
    ])
    assert plan.ok, messages(plan)
    assert [(p.agency, p.changes) for p in plan.updates] == [
        (by_dla, {"itas_code": "06420115", "name_th": "องค์การบริหารส่วนตำบลนาดี"}),
        (by_name, {"itas_code": "06420116"}),
    ]
    assert namesake not in [p.agency for p in plan.updates]


# ---------------------------------------------------------------------------------------------- errors


def test_wrong_headers_are_all_reported_at_once(loei):
    headers = ["รหัส ITAS", "ชื่อ หน่วยงาน", "Typ", "อำเภอ", "เว็บ", "ชื่อ"]
    plan = plan_for(loei, [["1", "x", "อบต.", "นาด้วง", "", ""]], headers)
    assert not plan.creates and not plan.updates
    errors = messages(plan)
    assert any("unknown column header 'Typ'" in e for e in errors)
    assert any("unknown column header 'เว็บ'" in e for e in errors)
    assert any("column 'ชื่อ' repeats column 'ชื่อ หน่วยงาน'" in e for e in errors)
    assert any("required column 'ประเภท' (kind) is missing" in e for e in errors)
    assert any(e.startswith("แถว 1 คอลัมน์ ประเภท: ไม่มีคอลัมน์ 'ประเภท' ซึ่งต้องมี") for e in errors)
    assert len(errors) == 4


def test_unknown_district_message(loei):
    plan = plan_for(loei, [row(), row("อบต.ก", district="นาด้วง"), row("อบต.ข", district="เมืองเล")])
    assert messages(plan) == ["แถว 4 คอลัมน์ อำเภอ: ไม่พบอำเภอ 'เมืองเล' ในจังหวัดเลย / "
                              "Row 4, column อำเภอ: unknown district 'เมืองเล' in Loei"]


def test_district_of_another_province_is_unknown(loei):
    DistrictFactory(province=ProvinceFactory(code="43", name_th="หนองคาย"), geocode="4301", name_th="เมืองหนองคาย")
    plan = plan_for(loei, [row(district="4301"), row("x", district="เมืองหนองคาย")])
    assert [e.row for e in plan.errors] == [2, 3]


def test_websites_and_phones_follow_the_agency_page_rules(loei):
    """The import refuses what the agency page refuses (registry.validation), naming the row and column, and
    stores the same normal form."""
    plan = plan_for(loei, [
        row("อบต.ก", website="https://www.facebook.com/abt.kor"),  # 2: a social network
        row("อบต.ข", website="bit.ly/3abc"),  # 3: a short link
        row("อบต.ค", phone="โทร 12"),  # 4: not a phone number
        row("อบต.ง", website="www.nadee.go.th", phone="042-811-234 ต่อ 12"),  # 5: good, normalised
    ])
    errors = {e.row: e for e in plan.errors}
    assert sorted(errors) == [2, 3, 4]
    assert "not the agency's own website" in errors[2].en and "ไม่ใช่เว็บไซต์ของหน่วยงานเอง" in errors[2].th
    assert errors[2].column == "เว็บไซต์หลัก" and "not the agency's own website" in errors[3].en
    assert errors[4].column == "โทรศัพท์" and "not a Thai phone number" in errors[4].en

    good = plan_for(loei, [row("อบต.ง", website="www.nadee.go.th", phone="042-811-234 ต่อ 12")])
    assert not good.errors
    planned = good.creates[0]
    assert planned.changes["website"] == "http://www.nadee.go.th" and planned.changes["phone"] == "042 811 234 ต่อ 12"


def test_row_errors(loei):
    plan = plan_for(loei, [
        row("", kind="อบต."),  # 2: no name
        row("อบต.ก", kind="อบตฯ"),  # 3: unknown kind
        row("อบต.ข", kind=""),  # 4: no kind
        row("อบต.ค", website="not a url"),  # 5
        row("อบต.ง", website="ftp://x.go.th"),  # 6
        row("อบต.จ", email="saraban at nadee"),  # 7
        row("อบต.ฉ", active="บางที"),  # 8
        row("ก" * 201),  # 9: name too long
        row("อบต.ช", dla="12345678901"),  # 10: code too long
        row("อบต.ซ", phone="0" * 51, email="x@"),  # 11: two errors in one row
    ])
    by_row = {}
    for e in plan.errors:
        by_row.setdefault(e.row, []).append(e)
    assert sorted(by_row) == list(range(2, 12))
    assert "the Thai name is required" in by_row[2][0].en
    assert "unknown kind 'อบตฯ'" in by_row[3][0].en and "ไม่รู้จักประเภท" in by_row[3][0].th
    assert "kind of agency is required" in by_row[4][0].en
    assert "bad URL 'not a url'" in by_row[5][0].en
    assert "only http:// or https://" in by_row[6][0].en
    assert "bad e-mail address 'saraban at nadee'" in by_row[7][0].en and by_row[7][0].column == "อีเมล"
    assert "yes/no" in by_row[8][0].en
    assert "too long: 201 characters, at most 200" in by_row[9][0].en
    assert by_row[10][0].column == "รหัส อปท." and "at most 10" in by_row[10][0].en
    assert [e.column for e in by_row[11]] == ["โทรศัพท์", "อีเมล"]
    assert not plan.creates


def test_duplicate_codes_within_the_file_name_both_rows(loei):
    plan = plan_for(loei, [
        row("อบต.ก", itas="06420115", dla="6420115"),
        row("อบต.ข", itas="06420116"),
        row("อบต.ค", itas="06420115"),
        row("อบต.ง", dla="6420115"),
    ])
    assert messages(plan) == [
        "แถว 4 คอลัมน์ รหัส ITAS: รหัส ITAS '06420115' ซ้ำกันในแถว 2 และแถว 4 / "
        "Row 4, column รหัส ITAS: ITAS code '06420115' appears in both row 2 and row 4",
        "แถว 5 คอลัมน์ รหัส อปท.: รหัส อปท. '6420115' ซ้ำกันในแถว 2 และแถว 5 / "
        "Row 5, column รหัส อปท.: DLA code '6420115' appears in both row 2 and row 5",
    ]


def test_duplicate_new_names_and_same_agency_twice(loei):
    agency = AgencyFactory(province=loei, district=district("นาด้วง"), itas_code="06420115", name_th="อบต.นาดี")
    plan = plan_for(loei, [
        row("อบต.ใหม่"), row("อบต.ใหม่"),
        row("อบต.นาดี", itas="06420115"), row("อบต.นาดี", district="นาด้วง"),
    ])
    errors = messages(plan)
    assert len(errors) == 2
    assert "new agency 'อบต.ใหม่' appears in both row 2 and row 3" in errors[0]
    assert f"rows 4 and 5 are the same agency ({agency.name_th})" in errors[1]


def test_codes_used_by_another_agency_in_the_database(loei):
    AgencyFactory(province=loei, itas_code="06420115", dla_code="6420115", name_th="อบต.นาดี")
    AgencyFactory(province=loei, itas_code="06420999", dla_code="6420999", name_th="อบต.อื่น")
    AgencyFactory(province=ProvinceFactory(code="43", name_th="หนองคาย"), itas_code="06430001", dla_code="6430001",
                  name_th="อบต.หนองคาย")
    plan = plan_for(loei, [
        row("อบต.นาดี", itas="06420115", dla="6420999"),  # matched by ITAS; DLA belongs to อบต.อื่น
        row("อบต.ใหม่", itas="06430001"),  # ITAS code of an agency in another province
        row("อบต.ใหม่ 2", dla="6430001"),
    ])
    errors = messages(plan)
    assert len(errors) == 3
    assert "DLA code '6420999' already belongs to another agency: อบต.อื่น" in errors[0]
    assert "ITAS code '06430001' already belongs to another agency: อบต.หนองคาย (หนองคาย)" in errors[1]
    assert errors[2].startswith("แถว 4 คอลัมน์ รหัส อปท.: รหัส อปท. '6430001' เป็นของหน่วยงานอื่นแล้ว")


def test_ambiguous_name_match(loei):
    for _ in range(2):
        AgencyFactory(province=loei, district=district("นาด้วง"), itas_code=None, dla_code=None, name_th="อบต.ซ้ำ")
    plan = plan_for(loei, [row("อบต.ซ้ำ")])
    assert "more than one agency is called 'อบต.ซ้ำ'" in messages(plan)[0]


# ---------------------------------------------------------------------------------------------- file forms


def test_windows_874_file(loei):
    data = csv_bytes([row("องค์การบริหารส่วนตำบลนาดี", kind="องค์การบริหารส่วนตำบล", active="ใช่")], encoding="cp874")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    plan = plan_agency_import(data=data, filename="AGENCIES.CSV", province=loei)
    assert plan.ok, messages(plan)
    assert plan.creates[0].changes["name_th"] == "องค์การบริหารส่วนตำบลนาดี"


def test_utf8_bom_and_semicolon_file(loei):
    data = csv_bytes([row("อบต.นาดี, นาด้วง", itas="06420115")], encoding="utf-8-sig", delimiter=";")
    assert data.startswith(b"\xef\xbb\xbf")
    plan = plan_agency_import(data=data, filename="agencies.csv", province=loei)
    assert plan.ok, messages(plan)
    assert plan.creates[0].changes["name_th"] == "อบต.นาดี, นาด้วง"
    assert plan.creates[0].changes["itas_code"] == "06420115"


@pytest.mark.parametrize("data, filename, text", [
    (b"", "agencies.csv", "the file is empty"),
    (b"PK\x03\x04 not really", "agencies.xlsx", "damaged"),
    (b"a,b", "agencies.pdf", "unsupported file type .pdf"),
])
def test_unreadable_files(loei, data, filename, text):
    plan = plan_agency_import(data=data, filename=filename, province=loei)
    assert len(plan.errors) == 1 and plan.errors[0].row is None
    assert text in str(plan.errors[0])
    with pytest.raises(ImportRefused):
        apply_agency_import(actor=None, plan=plan)


def test_file_too_big(loei, settings):
    settings.ITADESK_IMPORT_MAX_BYTES = 100
    plan = plan_agency_import(data=csv_bytes([row()] * 10), filename="a.csv", province=loei)
    assert "larger than" in str(plan.errors[0])


def test_xlsx_with_numeric_codes_and_header_only(loei):
    wb = openpyxl.Workbook()
    wb.active.append(["รหัส ITAS", "ชื่อหน่วยงาน", "ประเภท", "อำเภอ"])
    wb.active.append([6420115, "อบต.นาดี", "อบต.", 4202])
    buf = io.BytesIO()
    wb.save(buf)
    plan = plan_agency_import(data=buf.getvalue(), filename="a.xlsx", province=loei)
    assert plan.ok, messages(plan)
    assert plan.creates[0].changes["itas_code"] == "6420115"  # a number: Excel has already dropped the zero
    assert plan.creates[0].changes["district_id"] == district("นาด้วง").pk

    empty = plan_agency_import(data=xlsx_bytes([]), filename="a.xlsx", province=loei)
    assert empty.ok and empty.rows == 0 and not empty.creates


# ---------------------------------------------------------------------------------------------- all or nothing


def test_failed_import_leaves_the_database_unchanged(loei):
    AgencyFactory.create_batch(3, province=loei, district=district("นาด้วง"))
    before = snapshot()
    rows = [row(f"อบต.ใหม่{i}") for i in range(50)]
    rows += [row("อบต.สุดท้าย", district="ไม่มีอำเภอนี้")]  # only the LAST row is wrong
    plan = plan_for(loei, rows)
    assert [e.row for e in plan.errors] == [52]
    assert len(plan.creates) == 50
    with pytest.raises(ImportRefused) as exc:
        apply_agency_import(actor=None, plan=plan)
    assert "nothing was imported" in str(exc.value)
    assert snapshot() == before


def test_failure_mid_way_rolls_everything_back(loei, monkeypatch):
    AgencyFactory.create_batch(2, province=loei)
    before = snapshot()
    plan = plan_for(loei, [row(f"อบต.ใหม่{i}") for i in range(5)])
    assert plan.ok
    calls = []
    real_save = importing.save_agency

    def failing_save(**kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("disk full")
        return real_save(**kwargs)

    monkeypatch.setattr(importing, "save_agency", failing_save)
    with pytest.raises(RuntimeError):
        apply_agency_import(actor=None, plan=plan)
    assert snapshot() == before


def test_stale_plan_is_refused(loei):
    agency = AgencyFactory(province=loei, itas_code="06420115", name_th="อบต.นาดี", phone="042 811 111")
    plan = plan_for(loei, [row("อบต.นาดี", itas="06420115", phone="042 811 222"), row("อบต.ใหม่")])
    assert len(plan.updates) == 1
    Agency.objects.filter(pk=agency.pk).update(phone="042 811 333")  # someone edits it meanwhile
    before = snapshot()
    with pytest.raises(ImportRefused) as exc:
        apply_agency_import(actor=None, plan=plan)
    assert "changed after the file was checked" in str(exc.value)
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------- export


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_is_unchanged(loei, fmt):
    AgencyFactory(province=loei, district=district("นาด้วง"), itas_code="00420115", dla_code="06420115",
                  name_en="Na Di SAO", contact_name="นางสาวใจดี มีสุข", phone="0812345678", active=False)
    AgencyFactory(province=loei, district=None, kind=AgencyKind.PROVINCIAL, itas_code=None, dla_code=None,
                  name_th="สำนักงานจังหวัดเลย", website="", email="")
    for kind in AgencyKind:
        AgencyFactory(province=loei, district=district("เชียงคาน"), kind=kind)
    AgencyFactory(province=ProvinceFactory(code="43"))  # another province: not exported
    buf = io.BytesIO()
    assert export_agencies(buf, Agency.objects.filter(province=loei), fmt) == 10
    plan = plan_agency_import(data=buf.getvalue(), filename=f"agencies.{fmt}", province=loei)
    assert plan.ok, messages(plan)
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (0, 0, 10)
    assert "0 to create, 0 to update, 10 unchanged" in plan.summary()


def test_export_writes_thai_labels_and_text_codes(loei, tmp_path):
    AgencyFactory(province=loei, district=district("นาด้วง"), itas_code="00420115", dla_code="06420115",
                  kind=AgencyKind.SAO, active=True)
    path = tmp_path / "agencies.xlsx"
    export_agencies(path, Agency.objects.all())
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[1]] == HEADERS
    values = [c.value for c in ws[2]]
    assert values[:2] == ["00420115", "06420115"]
    assert values[4:6] == ["องค์การบริหารส่วนตำบล", "นาด้วง"] and values[10] == "ใช่"
    assert ws["A2"].data_type == "s"


def test_ten_thousand_rows(loei):
    AgencyFactory.create_batch(5, province=loei, district=district("เมืองเลย"))
    kinds = ["อบต.", "ทต.", "ทม.", "อำเภอ", "ส่วนราชการระดับจังหวัด"]
    districts = ["เมืองเลย", "นาด้วง", "เชียงคาน", "4201"]
    rows = [row(f"หน่วยงานทดสอบที่ {i}", itas=f"9{i:07d}", dla=f"09{i:06d}", kind=kinds[i % 5],
                district=districts[i % 4], website=f"www.a{i}.go.th", email=f"a{i}@a.go.th", phone="042 000 000",
                active="ใช่") for i in range(10_000)]
    data = xlsx_bytes(rows)
    with CaptureQueriesContext(connection) as reading:
        plan = plan_agency_import(data=data, filename="big.xlsx", province=loei)
    assert plan.ok, messages(plan)[:5]
    with CaptureQueriesContext(connection) as writing:
        result = apply_agency_import(actor=None, plan=plan)
    assert result.created == 10_000
    assert Agency.objects.filter(province=loei).count() == 10_005
    assert AuditEvent.objects.filter(action="agency.create").count() == 10_000
    # Speed lives in the benchmarks; here the shape that makes it: reading looks rows up in batches
    # (tens of queries for 10,000 rows), and the write goes in batches, not a statement (or three) per row.
    assert len(reading) < 100, len(reading)  # 42 today
    assert len(writing) < 1000, len(writing)  # 246 today: 1 per 40 rows

    # importing the same file again changes nothing
    again = plan_agency_import(data=data, filename="big.xlsx", province=loei)
    assert (len(again.creates), len(again.updates), again.unchanged) == (0, 0, 10_000)


@pytest.mark.parametrize("threshold", [0, 1000])
def test_bulk_and_row_by_row_paths_write_the_same(loei, monkeypatch, threshold):
    """Above BULK_THRESHOLD writes go in bulk; the agencies and history must be the same either way."""
    monkeypatch.setattr(importing, "BULK_THRESHOLD", threshold)
    old = AgencyFactory(province=loei, district=district("นาด้วง"), itas_code="06420115", name_th="อบต.นาดี",
                        phone="042 811 111", active=True, dla_code=None, website="", email="")
    user = UserFactory(first_name="สมชาย", last_name="ใจดี")
    plan = plan_for(loei, [row("อบต.นาดี", itas="06420115", phone="042 811 222", active="ไม่ใช่"),
                           row("อบต.ใหม่", dla="6420999", website="new.go.th", kind="ทต.")])
    result = apply_agency_import(actor=user, plan=plan)
    assert (result.created, result.updated) == (1, 1)
    new = Agency.objects.get(dla_code="6420999")
    assert (new.website, new.kind, new.active, new.province, new.source) == (
        "http://new.go.th", AgencyKind.SUBDISTRICT_MUNICIPALITY, True, loei, "นำเข้าจากไฟล์ agencies.csv")
    old.refresh_from_db()
    assert (old.phone, old.active) == ("042 811 222", False)
    events = {e.object_id: e for e in AuditEvent.objects.all()}
    assert set(events) == {str(old.pk), str(new.pk)}
    created, updated = events[str(new.pk)], events[str(old.pk)]
    assert (created.action, created.before, created.actor, created.actor_label) == (
        "agency.create", None, user, "สมชาย ใจดี")
    assert created.after["website"] == "http://new.go.th" and created.object_repr == "อบต.ใหม่"
    assert updated.action == "agency.update"
    assert updated.changes() == [("phone", "042 811 111", "042 811 222"), ("active", True, False)]


def test_bulk_path_rolls_back_on_a_database_error(loei, monkeypatch):
    monkeypatch.setattr(importing, "BULK_THRESHOLD", 0)
    AgencyFactory(province=loei, itas_code="06420001")
    plan = plan_for(loei, [row("อบต.ก", itas="06420115"), row("อบต.ข", itas="06420116")])
    AgencyFactory(province=loei, itas_code="06420116")  # taken by someone else after the check
    before = snapshot()
    with pytest.raises(ImportRefused, match="nothing was imported"):
        apply_agency_import(actor=None, plan=plan)
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------- CLI


def test_cli_import_dry_run_then_import(loei, tmp_path, capsys):
    path = tmp_path / "agencies.csv"
    path.write_bytes(csv_bytes([row("อบต.นาดี", itas="06420115"), row("อบต.ใหม่")]))
    out = io.StringIO()
    call_command("agencies", "import", str(path), "--dry-run", stdout=out)
    assert "2 to create" in out.getvalue() and "dry run" in out.getvalue()
    assert Agency.objects.count() == 0

    user = UserFactory(username="somchai")
    out = io.StringIO()
    call_command("agencies", "import", str(path), "--user", "somchai", stdout=out)
    assert "2 created, 0 updated, 0 unchanged" in out.getvalue()
    assert Agency.objects.count() == 2
    assert set(AuditEvent.objects.values_list("actor", flat=True)) == {user.pk}


def test_cli_import_with_errors_writes_nothing(loei, tmp_path):
    path = tmp_path / "agencies.csv"
    path.write_bytes(csv_bytes([row("อบต.นาดี"), row("อบต.ผิด", district="เมืองเล")]))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("agencies", "import", str(path), stdout=out, stderr=err)
    assert "nothing was imported" in str(exc.value)
    assert "Row 3, column อำเภอ: unknown district 'เมืองเล' in Loei" in err.getvalue()
    assert Agency.objects.count() == 0


def test_cli_export_and_reimport(loei, tmp_path):
    AgencyFactory.create_batch(3, province=loei, district=district("นาด้วง"))
    for name in ("agencies.xlsx", "agencies.csv"):
        path = tmp_path / name
        out = io.StringIO()
        call_command("agencies", "export", str(path), "--province", "42", stdout=out)
        assert "exported 3 agencies" in out.getvalue()
        out = io.StringIO()
        call_command("agencies", "import", str(path), stdout=out)
        assert "0 created, 0 updated, 3 unchanged" in out.getvalue()


def test_cli_province_choice(loei, tmp_path):
    ProvinceFactory(code="43", name_th="หนองคาย")
    with pytest.raises(CommandError, match="--province"):
        call_command("agencies", "export", str(tmp_path / "a.csv"))
    with pytest.raises(CommandError, match="no province '99'"):
        call_command("agencies", "export", str(tmp_path / "a.csv"), "--province", "99")
    with pytest.raises(CommandError, match=".xlsx or .csv"):
        call_command("agencies", "export", str(tmp_path / "a.ods"), "--province", "42")
    call_command("agencies", "export", str(tmp_path / "a.csv"), "--province", "เลย", stdout=io.StringIO())
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert Province.objects.count() == 2


def test_no_header_alias_means_two_columns():
    from itadesk.cycles.importing import COLUMNS as PROGRESS_COLUMNS

    for columns in (importing.COLUMNS, PROGRESS_COLUMNS):
        owners = {}
        for column in columns:
            for key in column.keys():
                assert owners.setdefault(key, column.key) == column.key, key
