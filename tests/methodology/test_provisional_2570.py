"""The provisional FY2570 framework (a copy of 2569 while the NACC revises the ITA, every item marked
unconfirmed), and the State Audit Office's 2568 case on every shipped NACC level scheme: a total of 94.64
(≥ 85) with the EIT below 85 is ผ่าน, not ผ่านดี."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from itadesk.cycles.models import Progress, Round, Status
from itadesk.methodology import schema as S
from itadesk.methodology.models import FrameworkVersion
from itadesk.methodology.xlsx import framework_to_xlsx_bytes, load_xlsx
from itadesk.scoring import engine

F2569 = S.load_file(S.FRAMEWORKS_DIR / "nacc-ita-2569.yaml")
F2570 = S.load_file(S.FRAMEWORKS_DIR / "nacc-ita-2570.yaml")


def test_2570_is_provisional_and_names_the_nacc_revision():
    assert (F2570["id"], F2570["version"], F2570["fiscal_year"], F2570["status"]) == ("nacc-ita-2570", 2, 2570,
                                                                                      "unofficial")
    assert F2570["confidence"] == "L"
    note = F2570["note"]
    assert "six subcommittees" in note and "revision" in note and "nacc-ita-2569" in note
    assert "XLSX template" in note and "ยังไม่ยืนยัน" in F2570["name_th"]
    assert {s["id"] for s in F2570["sources"]} >= {"pattayamail-2569", "itadesk-facts-2026-12"}


def test_every_2570_item_is_marked_unconfirmed():
    for ref in S.iter_items(F2570):
        item = ref.item
        assert item["note"].startswith("Unconfirmed for FY2570"), item["code"]
        assert item["confidence"] == "L", item["code"]
        assert item["text_status"] != "official", item["code"]  # nothing is NACC's wording for 2570


def test_2570_keeps_2569s_structure_and_moves_element_years_forward():
    def shape(fw):
        return [(r.instrument["code"], r.indicator["code"], r.item["code"], S.item_time_rule(r.item))
                for r in S.iter_items(fw)]
    assert shape(F2570) == shape(F2569)
    assert [(i["code"], i["weight"]) for i in F2570["instruments"]] == [
        (i["code"], i["weight"]) for i in F2569["instruments"]]
    patterns = [p for r in S.iter_items(F2570) for e in r.item.get("elements", []) for p in e.get("patterns", [])]
    assert patterns and all("2570" in p and "2569" not in p for p in patterns)


def test_2570_goes_through_the_xlsx_template_unchanged():
    assert load_xlsx(framework_to_xlsx_bytes(F2570)) == F2570


@pytest.mark.parametrize("name", ["nacc-ita-2568", "nacc-ita-2569", "nacc-ita-2570"])
def test_state_audit_office_2568_total_over_85_with_eit_below_85_is_pass_not_good(name):
    fw = S.load_file(S.FRAMEWORKS_DIR / f"{name}.yaml")
    # 0.3 × 99.30 + 0.3 × 84.50 + 0.4 × 98.75 = 29.79 + 25.35 + 39.50 = 94.64, as published for 2568
    score = engine.score_from_instruments(fw, {"IIT": 99.30, "EIT": 84.50, "OIT": 98.75})
    assert score.total == 94.64
    assert score.level.label_th == "ผ่าน" and score.level.code == "pass" and score.passed
    good = engine.score_from_instruments(fw, {"IIT": 99.30, "EIT": 85.00, "OIT": 98.75})
    assert good.level.label_th == "ผ่านดี"


@pytest.mark.parametrize("path", sorted(S.FRAMEWORKS_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_no_shipped_framework_carries_demonstration_text(path):
    text = path.read_text(encoding="utf-8")
    assert "ข้อความสาธิต" not in text and "demonstration text" not in text.lower()
    eit = next(i for i in S.load_file(path)["instruments"] if i["code"] == "EIT")
    for indicator in eit["indicators"]:
        for item in indicator.get("items", []):
            assert item["text_th"] is None or item["text_status"] != "unknown"


def test_replacing_the_provisional_2570_framework_as_docs_frameworks_md_says(world, tmp_path):
    """The steps of docs/frameworks.md, 'Replacing the provisional 2570 framework', with the commands it names:
    export the workbook, edit it (version 3, the NACC's manual as note and source, an item's title), validate,
    install it beside the shipped versions (which stay as they are), and point a FY2570 round without data at
    it; a round with data keeps its version."""
    def run(*args):
        out = io.StringIO()
        call_command("framework", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    run("install", "--shipped")
    assert FrameworkVersion.objects.get(code="nacc-ita-2570").version == 2
    round_2570 = Round.objects.create(province=world.province, fiscal_year=2570, name="ITA 2570",
                                      starts_on="2026-10-01", ends_on="2027-09-30")
    run("use", "nacc-ita-2570", "--round", "2570")
    book = tmp_path / "nacc-ita-2570.xlsx"
    run("to-xlsx", str(S.FRAMEWORKS_DIR / "nacc-ita-2570.yaml"), str(book))   # step 1
    wb = openpyxl.load_workbook(book)                                          # step 2
    ws = wb["framework"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "version":
            row[2].value = 3
        elif row[0].value == "note":
            row[2].value = "From the NACC's ITA 2570 manual (test)."
    items = wb["items"]
    header = [str(c.value).splitlines()[-1] for c in items[1]]
    for row in items.iter_rows(min_row=2):
        if row[header.index("code")].value == "o2":
            row[header.index("text_th")].value = "ข้อมูลผู้บริหาร"
            row[header.index("text_status")].value = "official"
    wb.save(book)
    assert "OK nacc-ita-2570 v3" in run("validate", str(book))                # step 3
    assert "nacc-ita-2570 v3" in run("install", str(book))                     # step 4
    assert sorted(FrameworkVersion.objects.filter(code="nacc-ita-2570").values_list("version", flat=True)) == [2, 3]
    run("use", "nacc-ita-2570@3", "--round", "2570")                           # step 5
    round_2570.refresh_from_db()
    assert str(round_2570.framework) == "nacc-ita-2570 v3"
    assert S.find_item(round_2570.framework.data, "o2").item["text_th"] == "ข้อมูลผู้บริหาร"
    assert round_2570.framework.data["note"] == "From the NACC's ITA 2570 manual (test)."
    # a round with data keeps the version it has
    run("use", "nacc-ita-2570@2", "--round", "2568")
    Progress.objects.create(milestone=world.m1, agency=world.sao1, status=Status.DONE)
    with pytest.raises(CommandError, match="cannot be changed"):
        run("use", "nacc-ita-2570@3", "--round", "2568")
