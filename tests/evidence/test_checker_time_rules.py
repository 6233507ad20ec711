"""The fiscal-year finding follows the item's time rule: an item with no time rule (none, the current
holders, any year) never gets one; the others are held to the year their rule names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itadesk.evidence.checker import check
from itadesk.evidence.checker.rules import time_rule_target
from itadesk.methodology import schema
from tests.evidence.servers import page
from tests.evidence.test_checker_rules import fetched

YEARLESS = ("none", "current_holder", "any_year")


def item(rule: str, *, old: bool = False) -> dict:
    key = {"data_year": rule} if old else {"time_rule": {"rule": rule}}
    return {"code": "x1", "text_th": "ข้อทดสอบ", **key}


def year_finding(body: str, it: dict, fiscal_year: int = 2569):
    result = fetched("https://www.loei.go.th/ita/x1", page("ข้อมูล", body).encode())
    found = [f for f in check(result, item=it, fiscal_year=fiscal_year) if f.code == "fiscal_year"]
    assert len(found) <= 1
    return found[0] if found else None


@settings(max_examples=40, deadline=None)
@given(rule=st.sampled_from(YEARLESS),
       year=st.integers(2550, 2580),
       words=st.sampled_from(["ข้อมูลผู้บริหาร", "ช่องทางการติดต่อ โทร 042-811-111", "ปีงบประมาณ พ.ศ. {y}",
                              "ข่าวประจำวันที่ 3 มี.ค. {y}", "Fiscal Year {c}", "ไม่มีปีใดเลย"]))
def test_an_item_without_a_year_rule_never_gets_a_fiscal_year_finding(rule, year, words):
    body = "<h1>" + words.format(y=year, c=year - 543) + "</h1><p>" + "เนื้อหาของหน่วยงาน " * 8 + "</p>"
    assert year_finding(body, item(rule), fiscal_year=2569) is None


def test_no_rule_at_all_is_none():
    assert year_finding("<p>ไม่มีปี " * 20 + "</p>", {"code": "x1"}) is None


@pytest.mark.parametrize(("rule", "target"), [("current_year", 2569), ("previous_year", 2568),
                                              ("covers_current_year", 2569), ("first_half_current_year", 2569),
                                              ("none", None), ("current_holder", None), ("any_year", None)])
def test_targets(rule, target):
    assert time_rule_target(rule, 2569) == target


def test_a_plan_covering_the_year_passes_and_one_that_ended_does_not():
    plan = "<h1>แผนพัฒนาท้องถิ่น (พ.ศ. 2566 – 2570)</h1><p>" + "ยุทธศาสตร์การพัฒนา " * 10 + "</p>"
    passed = year_finding(plan, item("covers_current_year"))
    assert passed.passed and passed.detail["time_rule"] == "covers_current_year"
    ended = year_finding(plan.replace("2566 – 2570", "2561 – 2565"), item("covers_current_year"))
    assert not ended.passed and ended.severity == "error" and "ครอบคลุมปีงบประมาณ พ.ศ. 2569" in ended.message_th


def test_first_six_months():
    body = ("<h1>สถิติเรื่องร้องเรียนการทุจริต รอบ 6 เดือน (1 ต.ค. 2568 – 31 มี.ค. 2569)</h1><p>"
            + "จำนวนเรื่องร้องเรียน 0 เรื่อง " * 5 + "</p>")
    found = year_finding(body, item("first_half_current_year"))
    assert found.passed and found.detail["expected"] == 2569
    old = year_finding(body.replace("2568", "2566").replace("2569", "2567"), item("first_half_current_year"))
    assert not old.passed and "6 เดือนแรก" in old.message_th


@pytest.mark.parametrize(("old", "new"), list(schema.DATA_YEAR_TO_TIME_RULE.items()))
def test_the_older_data_year_of_a_stored_framework_still_works(old, new):
    body = "<h1>รายงาน ประจำปีงบประมาณ พ.ศ. 2566</h1><p>" + "ผลการดำเนินงาน " * 10 + "</p>"
    a, b = year_finding(body, item(old, old=True)), year_finding(body, item(new))
    assert (a is None) == (b is None)
    if a is not None:
        assert a.to_dict() == b.to_dict()
