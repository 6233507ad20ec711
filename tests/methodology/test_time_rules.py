"""Time rules of OIT items (which time an item's evidence must be about): the framework key
``time_rule``, the older ``data_year`` it replaces, the workbook columns, and the shipped files."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itadesk.methodology import schema as S
from itadesk.methodology.schema import FrameworkError, load_data, validate
from itadesk.methodology.xlsx import framework_to_xlsx_bytes, load_xlsx

from .samples import sample_data

O_ITEMS = ["instruments", 2, "indicators", 0, "subindicators", 0, "items"]
SHIPPED = sorted(S.FRAMEWORKS_DIR.glob("*.yaml"))


def oit_item(data: dict, index: int) -> dict:
    target = data
    for key in O_ITEMS:
        target = target[key]
    return target[index]


def errors_of(data) -> list[str]:
    return [str(e) for e in validate(data)]


# --------------------------------------------------------------------------------------------- the key


def test_mapping_text_and_older_data_year_all_load_as_a_mapping():
    fw = load_data(sample_data())
    assert S.find_item(fw, "o1").item["time_rule"] == {
        "rule": "none", "note": "structure needs no year", "confidence": "M", "sources": ["school-mirror"]}
    assert S.find_item(fw, "o12").item["time_rule"] == {"rule": "current_year"}   # written as text
    o21 = S.find_item(fw, "o21").item                                                # data_year: previous
    assert o21["time_rule"] == {"rule": "previous_year"} and "data_year" not in o21
    assert "time_rule" not in S.find_item(fw, "o3").item                             # none given


@pytest.mark.parametrize(("old", "new"), [("current", "current_year"), ("previous", "previous_year"),
                                          ("any", "any_year")])
def test_every_older_data_year_converts(old, new):
    data = sample_data()
    item = oit_item(data, 1)
    item["data_year"] = old
    assert S.find_item(load_data(data), item["code"]).item["time_rule"] == {"rule": new}


@pytest.mark.parametrize(("change", "expected"), [
    (lambda i: i.update(time_rule="this_year"),
     "time_rule: must be 'none', 'current_holder', 'covers_current_year', 'current_year', 'previous_year', "
     "'first_half_current_year' or 'any_year', not 'this_year'"),
    (lambda i: i.update(time_rule={"rule": "current_year", "confidence": "X"}), "time_rule.confidence: must be"),
    (lambda i: i.update(time_rule={"confidence": "M"}), "time_rule.rule: required key is missing"),
    (lambda i: i.update(time_rule={"rule": "none", "year": 2568}), "time_rule.year: unknown key 'year'"),
    (lambda i: i.update(time_rule={"rule": "none", "sources": ["nowhere"]}), "time_rule.sources[0]"),
    (lambda i: i.update(time_rule="none", data_year="current"), "data_year: give either time_rule or the older"),
    (lambda i: i.update(data_year="now"), "data_year: must be 'current', 'previous' or 'any', not 'now'"),
], ids=["unknown rule", "bad confidence", "no rule", "unknown key", "unknown source", "both keys", "bad old value"])
def test_bad_time_rules_are_reported_with_their_path(change, expected):
    data = sample_data()
    change(oit_item(data, 1))
    found = errors_of(data)
    assert any(expected in e and "items[1]" in e for e in found), found


def test_time_rule_is_only_for_oit_items():
    data = sample_data()
    data["instruments"][0]["indicators"][0]["items"][0]["time_rule"] = "none"
    assert any("time_rule: is only for items of an instrument answered by the agency" in e
               for e in errors_of(data))


@given(st.one_of(
    st.builds(lambda r: {"time_rule": {"rule": r}}, st.sampled_from(S.TIME_RULES)),
    st.builds(lambda r: {"time_rule": r}, st.sampled_from(S.TIME_RULES)),
    st.builds(lambda r: {"data_year": r}, st.sampled_from(S.DATA_YEARS)),
    st.just({}), st.just({"data_year": None}),
))
def test_item_time_rule_reads_every_stored_form(item):
    rule = S.item_time_rule(item)
    assert rule in S.TIME_RULES
    if "time_rule" in item:
        assert rule == (item["time_rule"]["rule"] if isinstance(item["time_rule"], dict) else item["time_rule"])
    elif item.get("data_year"):
        assert rule == S.DATA_YEAR_TO_TIME_RULE[item["data_year"]]
    else:
        assert rule == "none"


# ------------------------------------------------------------------------------------------- workbook


def _workbook(fw: dict, change) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(framework_to_xlsx_bytes(fw)))
    change(workbook["items"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row_of(ws, code: str) -> int:
    column = _column(ws, "code")
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=column).value == code)


def _column(ws, key: str) -> int:
    return next(c.column for c in ws[1] if c.value and str(c.value).splitlines()[-1] == key)


def test_workbook_carries_the_rule_with_its_note_confidence_and_sources():
    fw = load_data(sample_data())
    data = framework_to_xlsx_bytes(fw)
    ws = openpyxl.load_workbook(io.BytesIO(data))["items"]
    row = _row_of(ws, "o1")
    values = {key: ws.cell(row=row, column=_column(ws, key)).value
              for key in ("time_rule", "time_rule_note", "time_rule_confidence", "time_rule_sources")}
    assert values == {"time_rule": "none", "time_rule_note": "structure needs no year",
                      "time_rule_confidence": "M", "time_rule_sources": "school-mirror"}
    headers = [str(c.value).splitlines()[-1] for c in ws[1] if c.value]
    assert "data_year" not in headers  # the older column is read, never written
    assert load_xlsx(data) == fw


def test_an_older_workbook_with_a_data_year_column_converts():
    fw = load_data(sample_data())

    def older(ws):
        column = ws.max_column + 1
        ws.cell(row=1, column=column, value="ปีของข้อมูล (OIT)\ndata_year")
        row = _row_of(ws, "o3")
        ws.cell(row=row, column=column, value="previous")
    back = load_xlsx(_workbook(fw, older))
    assert S.find_item(back, "o3").item["time_rule"] == {"rule": "previous_year"}

    def both(ws):
        older(ws)
        ws.cell(row=_row_of(ws, "o3"), column=_column(ws, "time_rule"), value="none")
    with pytest.raises(FrameworkError) as caught:
        load_xlsx(_workbook(fw, both))
    assert any("give either time_rule or the older data_year" in e.describe() for e in caught.value.errors)


def test_a_rule_typed_in_the_workbook_is_checked_with_its_cell():
    fw = load_data(sample_data())

    def typo(ws):
        ws.cell(row=_row_of(ws, "o12"), column=_column(ws, "time_rule"), value="current")
    with pytest.raises(FrameworkError) as caught:
        load_xlsx(_workbook(fw, typo))
    [error] = [e.describe() for e in caught.value.errors]
    assert "time_rule" in error and "sheet items" in error and "'current'" in error


# --------------------------------------------------------------------------------------- shipped files


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_oit_item_has_a_time_rule_with_source_and_confidence(path):
    fw = S.load_file(path)
    text = path.read_text(encoding="utf-8")
    assert "data_year:" not in text  # migrated
    oit = [ref.item for ref in S.iter_items(fw) if ref.instrument["respondents"] == "agency"]
    assert oit
    for item in oit:
        rule = item.get("time_rule")
        assert rule and rule["rule"] in S.TIME_RULES, item["code"]
        assert rule.get("confidence") in ("H", "M", "L"), item["code"]
        assert rule.get("sources") and rule.get("note"), item["code"]


@pytest.mark.parametrize(("name", "code", "rule"), [
    # the ita-facts-2026-12 table: structure, executives, contact, laws need no year; a plan covers
    # the current year; news is of the current year; annual reports of the previous year
    ("nacc-ita-2568", "o1", "none"), ("nacc-ita-2568", "o2", "current_holder"), ("nacc-ita-2568", "o3", "none"),
    ("nacc-ita-2568", "o4", "current_year"), ("nacc-ita-2568", "o5", "covers_current_year"),
    ("nacc-ita-2568", "o13", "previous_year"), ("nacc-ita-2568", "o18", "none"),
    ("nacc-ita-2569", "o1", "none"), ("nacc-ita-2569", "o3", "none"), ("nacc-ita-2569", "o17", "none"),
    ("nacc-ita-2569", "o5", "covers_current_year"), ("nacc-ita-2569", "o12", "previous_year"),
    ("nacc-ita-2566", "o6", "none"), ("nacc-ita-2566", "o12", "first_half_current_year"),
    ("nacc-ita-2566", "o29", "first_half_current_year"), ("nacc-ita-2567", "o2", "current_holder"),
])
def test_shipped_rules_follow_the_researched_table(name, code, rule):
    fw = S.load_file(S.FRAMEWORKS_DIR / f"{name}.yaml")
    assert S.item_time_rule(S.find_item(fw, code).item) == rule
