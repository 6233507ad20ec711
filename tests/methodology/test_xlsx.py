"""The XLSX authoring template: round trip, and workbooks people break. No database."""

from __future__ import annotations

import io

import openpyxl
import pytest

from itadesk.methodology import schema as S
from itadesk.methodology.schema import FrameworkError, load_text
from itadesk.methodology.xlsx import (
    SHEETS,
    framework_from_xlsx,
    framework_to_xlsx,
    framework_to_xlsx_bytes,
    load_xlsx,
    read_xlsx,
)

from .samples import MINIMAL_YAML, SAMPLE_YAML

SHIPPED = sorted(S.FRAMEWORKS_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def sample() -> dict:
    return load_text(SAMPLE_YAML)


@pytest.fixture(scope="module")
def sample_bytes(sample) -> bytes:
    return framework_to_xlsx_bytes(sample)


def edit(data: bytes, change) -> bytes:
    """The workbook after ``change(workbook)``."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def column_of(ws, key: str) -> int:
    for cell in ws[1]:
        if cell.value and str(cell.value).splitlines()[-1] == key:
            return cell.column
    raise KeyError(key)


def set_cell(sheet: str, row: int, key: str, value):
    def change(workbook):
        ws = workbook[sheet]
        ws.cell(row=row, column=column_of(ws, key)).value = value
    return change


def errors(data: bytes) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        load_xlsx(data)
    return [e.describe() for e in caught.value.errors]


# ------------------------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("text", [SAMPLE_YAML, MINIMAL_YAML], ids=["sample", "minimal"])
def test_round_trip_of_samples(text):
    fw = load_text(text)
    assert framework_from_xlsx(framework_to_xlsx_bytes(fw)) == fw


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_round_trip_of_shipped_frameworks(path):
    fw = S.load_file(path)
    back = framework_from_xlsx(framework_to_xlsx_bytes(fw))
    assert back == fw
    assert S.load_data(back) == fw


def test_write_to_a_path_and_read_it_back(tmp_path, sample):
    path = tmp_path / "sample.xlsx"
    framework_to_xlsx(sample, path)
    assert framework_from_xlsx(path) == sample
    assert framework_from_xlsx(str(path)) == sample
    with path.open("rb") as stream:
        assert framework_from_xlsx(stream) == sample
    assert S.load_file(path) == sample  # load_file reads workbooks by their extension


def test_workbook_layout(sample_bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(sample_bytes))
    assert workbook.sheetnames == ["help", *(s.name for s in SHEETS)]
    items = workbook["items"]
    assert items["A1"].value == "รหัสตัวชี้วัด\nindicator"
    assert items["A1"].font.bold and items.freeze_panes == "D2"
    assert [items.cell(row=r, column=column_of(items, "code")).value for r in range(2, 11)] == [
        "i1", "i4", "i7", "e1", "e6", "o1", "o3", "o12", "o21"]
    assert items.column_dimensions["D"].width > items.column_dimensions["C"].width  # text wider than codes
    indicator_code = workbook["indicators"].cell(row=2, column=column_of(workbook["indicators"], "code"))
    assert indicator_code.value == "1" and indicator_code.data_type == "s"  # a code stays text
    levels = workbook["levels"]
    assert levels.cell(row=2, column=column_of(levels, "passing")).value is True
    elements = workbook["elements"]
    keywords = elements.cell(row=2, column=column_of(elements, "keywords")).value
    assert keywords == "โครงสร้าง\nแผนภูมิ"
    respondents = {dv.formula1: str(dv.sqref) for dv in workbook["instruments"].data_validations.dataValidation}
    assert respondents['"internal,external,agency"'].startswith("D2:D")  # a drop-down of the allowed values


# --------------------------------------------------------------------------------------- what people type


def test_thai_digits_and_number_text_are_accepted(sample_bytes):
    data = edit(sample_bytes, lambda wb: [
        set_cell("instruments", 2, "weight", "๓๐")(wb),
        set_cell("framework", 13, "value", "๘๕")(wb),  # pass_mark
        set_cell("sample_rules", 2, "max", "1,000")(wb),
        set_cell("items", 2, "wording_year", "๒๕๖๔")(wb),
    ])
    fw = load_xlsx(data)
    assert fw["instruments"][0]["weight"] == 30
    assert fw["pass_mark"] == 85
    assert fw["sample_rules"]["external"]["max"] == 1000
    assert fw["instruments"][0]["indicators"][0]["items"][0]["wording_year"] == 2564


def test_lists_booleans_and_empty_cells(sample_bytes):
    data = edit(sample_bytes, lambda wb: [
        set_cell("items", 2, "sources", "nacc-2564; school-mirror")(wb),
        set_cell("items", 2, "not_applicable", "ใช่")(wb),
        set_cell("items", 3, "order", None)(wb),  # an emptied order: the position in the file
        set_cell("elements", 2, "keywords", "โครงสร้าง;แผนภูมิ ; ผัง")(wb),
    ])
    fw = load_xlsx(data)
    i1, i4 = fw["instruments"][0]["indicators"][0]["items"]
    assert i1["sources"] == ["nacc-2564", "school-mirror"] and i1["not_applicable"] is True
    assert i4["order"] == 2
    o1 = S.find_item(fw, "o1").item
    assert o1["elements"][0]["keywords"] == ["โครงสร้าง", "แผนภูมิ", "ผัง"]


def test_headers_in_one_language_are_accepted(sample_bytes):
    def change(wb):
        ws = wb["items"]
        ws.cell(row=1, column=column_of(ws, "scale"), value="scale")
        ws.cell(row=1, column=column_of(ws, "text_th"), value="ข้อความภาษาไทย (ว่าง = ไม่ทราบถ้อยคำ)")
    fw = framework_from_xlsx(edit(sample_bytes, change))
    assert S.find_item(fw, "i1").item["scale"] == "four_level"


def test_a_new_item_row(sample_bytes):
    def change(wb):
        ws = wb["items"]
        row = ws.max_row + 1
        for key, value in (("indicator", "2"), ("code", "i8"), ("text_th", "ใช้งบประมาณคุ้มค่า"),
                           ("text_status", "paraphrase"), ("scale", "four_level")):
            ws.cell(row=row, column=column_of(ws, key), value=value)
    fw = load_xlsx(edit(sample_bytes, change))
    ref = S.find_item(fw, "i8")
    assert ref.indicator["code"] == "2" and ref.item["order"] == 4 and ref.item["subquestions"] == []
    assert S.find_item(fw, "e1").item["order"] == 4  # orders written in the workbook are kept


def test_scratch_sheets_are_ignored(sample_bytes, sample):
    data = edit(sample_bytes, lambda wb: wb.create_sheet("_notes").append(["anything"]))
    assert framework_from_xlsx(data) == sample


# ------------------------------------------------------------------------------------------ bad workbooks


def test_missing_sheet(sample_bytes):
    data = edit(sample_bytes, lambda wb: wb.remove(wb["items"]))
    assert errors(data) == ["sheet items: ไม่มีแผ่นงาน 'items' (ข้อคำถาม/ข้อการประเมิน) ซึ่งต้องมี (ว่างได้) / "
                            "the workbook has no sheet 'items' (ข้อคำถาม/ข้อการประเมิน); keep it, even empty"]


def test_unknown_sheet(sample_bytes):
    data = edit(sample_bytes, lambda wb: wb.create_sheet("item"))
    (error,) = errors(data)
    assert error.startswith("sheet item: ไม่รู้จักแผ่นงาน 'item'")
    assert "unknown sheet 'item'" in error


def test_missing_column(sample_bytes):
    data = edit(sample_bytes, lambda wb: wb["items"].delete_cols(column_of(wb["items"], "scale")))
    assert errors(data) == ["sheet items, row 1: ไม่มีคอลัมน์ 'scale' (มาตรวัดคำตอบ) ซึ่งต้องมี / "
                            "the required column 'scale' (มาตรวัดคำตอบ) is missing"]


def test_unknown_column(sample_bytes):
    def change(wb):
        wb["instruments"].cell(row=1, column=column_of(wb["instruments"], "weight"), value="weigth")
    assert errors(edit(sample_bytes, change)) == [
        "sheet instruments, row 1, column E: ไม่รู้จักหัวคอลัมน์ 'weigth' (คอลัมน์ที่ใช้ได้: code, name_th, name_en, "
        "respondents, weight, aggregate, note, confidence, sources) / unknown column 'weigth' (the columns of this "
        "sheet are: code, name_th, name_en, respondents, weight, aggregate, note, confidence, sources)",
        "sheet instruments, row 1: ไม่มีคอลัมน์ 'weight' (น้ำหนัก (ร้อยละ)) ซึ่งต้องมี / "
        "the required column 'weight' (น้ำหนัก (ร้อยละ)) is missing",
    ]


def test_text_in_number_cells(sample_bytes):
    data = edit(sample_bytes, lambda wb: [
        set_cell("instruments", 2, "weight", "สามสิบ")(wb),
        set_cell("items", 3, "order", "2.5")(wb),
        set_cell("levels", 2, "passing", "maybe")(wb),
    ])
    assert errors(data) == [
        "sheet levels, row 2, column G (passing): ต้องเป็น TRUE หรือ FALSE (ใช่/ไม่ใช่) แต่พบ 'maybe' / "
        "must be TRUE or FALSE, found 'maybe'",
        "sheet instruments, row 2, column E (weight): ต้องเป็นตัวเลข แต่พบ 'สามสิบ' / must be a number, found 'สามสิบ'",
        "sheet items, row 3, column J (order): ต้องเป็นจำนวนเต็ม แต่พบ '2.5' / must be a whole number, found '2.5'",
    ]


def test_row_pointing_to_unknown_things(sample_bytes):
    data = edit(sample_bytes, lambda wb: [
        set_cell("items", 2, "indicator", "99")(wb),
        set_cell("indicators", 3, "instrument", "ITT")(wb),
        set_cell("subquestions", 2, "item", "i2")(wb),
        set_cell("items", 8, "subindicator", "10.1")(wb),  # o3 is under 9.1 in indicator 9
    ])
    found = errors(data)
    assert "sheet items, row 2, column A (indicator): ไม่พบตัวชี้วัด '99' ในแผ่นงาน indicators / " \
           "unknown indicator '99' (not on sheet indicators)" in found
    assert "sheet indicators, row 3, column A (instrument): ไม่พบเครื่องมือ 'ITT' ในแผ่นงาน instruments " \
           "(did you mean 'IIT'?) / unknown instrument 'ITT' (not on sheet instruments) (did you mean 'IIT'?)" in found
    assert any(e.startswith("sheet subquestions, row 2, column A (item):") and "unknown item 'i2'" in e
               for e in found)
    assert "sheet items, row 8, column B (subindicator): ตัวชี้วัดย่อย 10.1 อยู่ในตัวชี้วัด 10 ไม่ใช่ 9 / " \
           "sub-indicator 10.1 belongs to indicator 10, not 9" in found


def test_item_without_its_subindicator(sample_bytes):
    data = edit(sample_bytes, set_cell("items", 7, "subindicator", None))
    assert errors(data) == [
        "sheet items, row 7, column B (subindicator): ตัวชี้วัด 9 มีตัวชี้วัดย่อย ต้องระบุตัวชี้วัดย่อยของข้อนี้ / "
        "indicator 9 has sub-indicators: give the sub-indicator of this item"]


def test_framework_errors_point_at_their_cell(sample_bytes):
    data = edit(sample_bytes, lambda wb: [
        set_cell("items", 2, "scale", "five")(wb),
        set_cell("scales", 3, "score", 120)(wb),
        set_cell("framework", 10, "value", "draft")(wb),  # status
        set_cell("elements", 2, "text_th", None)(wb),
    ])
    with pytest.raises(FrameworkError) as caught:
        load_xlsx(data, source="fw.xlsx")
    found = {str(e): e.where for e in caught.value.errors}
    assert found == {
        "status: must be 'official' or 'unofficial', not 'draft'": "sheet framework, row 10, column C (value)",
        "scales.four_level.options[1].score: must be between 0 and 100, not 120": "sheet scales, row 3, column D (score)",
        f"{'instruments[0].indicators[0].items[0]'}.scale: unknown scale 'five'": "sheet items, row 2, column H (scale)",
        "instruments[2].indicators[0].subindicators[0].items[0].elements[0].text_th: required key is missing":
            "sheet elements, row 2, column C (text_th)",
    }
    assert caught.value.source == "fw.xlsx"


def test_scale_fields_given_twice_must_agree(sample_bytes):
    data = edit(sample_bytes, set_cell("scales", 7, "scale_note", "another note"))  # yes_no_inverted: rows 6-7
    (error,) = errors(data)
    assert error.startswith("sheet scales, row 7, column J (scale_note): ")
    assert error.endswith("differs from row 6 of scale yes_no_inverted: give it once, or the same everywhere")
    same = edit(sample_bytes, set_cell("scales", 7, "scale_note", 'a "yes" means misconduct'))
    assert load_xlsx(same)["scales"]["yes_no_inverted"]["note"] == 'a "yes" means misconduct'


def test_many_errors_at_once(sample_bytes):
    data = edit(sample_bytes, lambda wb: [
        wb.remove(wb["elements"]),
        set_cell("instruments", 2, "weight", "x")(wb),
        set_cell("levels", 3, "min_total", "y")(wb),
    ])
    assert len(errors(data)) == 3


def test_not_a_workbook():
    with pytest.raises(FrameworkError) as caught:
        read_xlsx(b"schema: itadesk-framework/1\n")
    (error,) = caught.value.errors
    assert error.path == "(file)" and "cannot open the workbook" in error.message
