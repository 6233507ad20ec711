"""The XLSX template names every element detector (person_photo among them) with a line of Thai and English
on its help sheet, and a framework whose elements name person_photo goes through the template: exported,
edited in the workbook as a person would, read back. No database."""

from __future__ import annotations

import io

import openpyxl
import pytest

from itadesk.framework.spec import DETECTORS
from itadesk.methodology import schema as S
from itadesk.methodology.xlsx import framework_to_xlsx_bytes, load_xlsx
from itadesk.methodology.xlsx_layout import DETECTOR_HELP, HELP_SHEET

from .test_xlsx import column_of, edit, errors

F2568 = S.load_file(S.FRAMEWORKS_DIR / "nacc-ita-2568.yaml")
F2570 = S.load_file(S.FRAMEWORKS_DIR / "nacc-ita-2570.yaml")


def workbook_of(fw: dict):
    return openpyxl.load_workbook(io.BytesIO(framework_to_xlsx_bytes(fw)))


def element_row(ws, item: str, code: str) -> int:
    item_col, code_col = column_of(ws, "item"), column_of(ws, "code")
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=item_col).value == item and ws.cell(row=row, column=code_col).value == code:
            return row
    raise KeyError(code)


def test_every_detector_has_a_thai_and_english_line():
    assert tuple(DETECTOR_HELP) == DETECTORS
    for name, (th, en) in DETECTOR_HELP.items():
        assert th.strip() and en.strip() and "\n" not in th + en, name
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in th), name


def test_the_template_names_every_detector_on_the_elements_sheet_and_explains_it_on_the_help_sheet():
    wb = workbook_of(F2570)
    header = wb["elements"].cell(row=1, column=column_of(wb["elements"], "detect")).value
    assert all(name in header for name in DETECTORS)
    help_lines = [(row[0].value or "", row[1].value or "") for row in wb[HELP_SHEET].iter_rows()]
    for name, (th, en) in DETECTOR_HELP.items():
        assert (f"{name}: {th}", f"{name}: {en}") in help_lines
    assert any("person_photo" in th and "ตำแหน่ง" in th for th, _ in help_lines)


def test_the_2570_executives_photo_goes_through_the_template():
    back = load_xlsx(framework_to_xlsx_bytes(F2570))
    photo = next(e for e in S.find_item(back, "o2").item["elements"] if e["code"] == "o2.3")
    assert photo["detect"] == ["person_photo"]


@pytest.mark.parametrize("typed", ["person_photo", " person_photo ; phone", "person_photo\nemail"])
def test_a_person_typing_person_photo_in_the_detect_cell_is_read(typed):
    def change(wb):
        ws = wb["elements"]
        ws.cell(row=element_row(ws, "o2", "o2.3"), column=column_of(ws, "detect")).value = typed
    fw = load_xlsx(edit(framework_to_xlsx_bytes(F2568), change))
    photo = next(e for e in S.find_item(fw, "o2").item["elements"] if e["code"] == "o2.3")
    assert photo["detect"][0] == "person_photo"
    assert photo["detect"] == [p.strip() for p in typed.replace("\n", ";").split(";")]


def test_a_misspelt_detector_is_refused_naming_its_cell():
    def change(wb):
        ws = wb["elements"]
        ws.cell(row=element_row(ws, "o2", "o2.3"), column=column_of(ws, "detect")).value = "person-photo"
    [message] = errors(edit(framework_to_xlsx_bytes(F2568), change))
    assert "elements" in message and "detect" in message and "person-photo" in message
