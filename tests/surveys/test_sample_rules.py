"""Minimum samples: the framework's rule against populations (property tests), and minimum_for."""

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itadesk.methodology.schema import minimum_sample
from itadesk.surveys import selectors, services
from itadesk.surveys.parsing import CountError, parse_count
from itadesk.surveys.selectors import Cell, Instrument
from tests.surveys.helpers import BEFORE_STAKEHOLDERS, with_framework

populations = st.integers(min_value=0, max_value=200_000)


@st.composite
def rules(draw):
    rule = {}
    if draw(st.booleans()):
        rule["percent"] = draw(st.sampled_from([1, 2.5, 5, 10, 12.5, 20, 33.33, 50, 100]))
    if draw(st.booleans()):
        rule["min"] = draw(st.integers(0, 500))
    if draw(st.booleans()):
        rule["max"] = draw(st.integers(rule.get("min", 0), 5000))
    if draw(st.booleans()):
        # what the framework validator accepts: the rule answers all_below - 1 in full
        rule["all_below"] = draw(st.integers(0, max(0, rule.get("min", 0)) + 1))
    return rule


@given(rules(), populations)
def test_minimum_is_between_zero_and_the_population(rule, population):
    assert 0 <= minimum_sample(rule, population) <= population


@given(rules(), populations)
def test_everyone_when_fewer_than_all_below(rule, population):
    if rule.get("all_below") is not None and population < rule["all_below"]:
        assert minimum_sample(rule, population) == population


@given(rules(), populations)
def test_floor_cap_and_percentage(rule, population):
    needed = minimum_sample(rule, population)
    if rule.get("max") is not None:
        assert needed <= rule["max"]
    if rule.get("min") is not None and rule.get("all_below") is None:
        assert needed >= min(rule["min"], population)
    if rule.get("percent") is not None and rule.get("max") is None:
        assert needed >= min(population, math.ceil(rule["percent"] * population / 100 - 1e-9))


@given(st.one_of(st.integers(0, 100), st.decimals(0, 100, places=3).map(float),
                 st.fractions(0, 100, max_denominator=1000).map(lambda f: round(float(f), 4))), populations)
def test_the_percentage_is_the_exact_ceiling(percent, population):
    """The integer ceiling equals the exact rational one (``Fraction`` of the percentage as written)."""
    assert minimum_sample({"percent": percent}, population) == min(
        population, math.ceil(Fraction(str(percent)) * population / 100))


@given(rules(), populations, st.integers(1, 1000))
def test_a_bigger_population_never_needs_fewer(rule, population, more):
    assert minimum_sample(rule, population + more) >= minimum_sample(rule, population)


@pytest.mark.parametrize("population, expected", [(0, 0), (12, 12), (29, 29), (30, 30), (299, 30), (300, 30),
                                                  (301, 31), (4000, 400), (4001, 400), (100_000, 400)])
def test_the_2568_external_rule(population, expected):
    rule = {"percent": 10, "min": 30, "max": 400, "all_below": 30}
    assert minimum_sample(rule, population) == expected


@given(st.integers(0, 10**9))
def test_counts_with_thousands_separators_and_thai_digits(n):
    from itadesk.core.thai import thai_digits

    assert parse_count(f"{n:,}") == n
    assert parse_count(thai_digits(f"{n:,}")) == n
    assert parse_count(f" {n} ") == n


@pytest.mark.parametrize("raw, code", [("-5", "negative"), ("2.5", "fraction"), ("สิบ", "text"), ("", "empty"),
                                       ("1,23", "grouping"), ("12a", "text")])
def test_bad_counts(raw, code):
    with pytest.raises(CountError) as exc:
        parse_count(raw)
    assert exc.value.code == code


def test_minimum_for_uses_the_framework_rule_and_the_stakeholder_data(world):
    w = with_framework(world)
    assert selectors.minimum_for(w.round, w.sao1) == {"internal": None, "external": None}
    services.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=40,
                               external_people=1200, external_organizations=50, now=BEFORE_STAKEHOLDERS)
    assert selectors.minimum_for(w.round, w.sao1) == {"internal": 25, "external": 125}
    services.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao2, internal_count=18,
                               external_people=20, now=BEFORE_STAKEHOLDERS)
    assert selectors.minimum_for(w.round, w.sao2) == {"internal": 18, "external": 20}


def test_no_framework_means_no_minimum(world):
    services.save_stakeholders(actor=world.admin_a, round=world.round, agency=world.sao1, internal_count=40,
                               external_people=1200, now=BEFORE_STAKEHOLDERS)
    assert selectors.minimum_for(world.round, world.sao1) == {"internal": None, "external": None}
    assert [i.code for i in selectors.instruments(world.round)] == ["IIT", "EIT"]


def test_ratio_text():
    inst = Instrument("IIT", "internal", "")
    assert Cell(inst, 32, None, 40).ratio == "32 / 40"
    assert Cell(inst, 32, None, 40).gap == 8
    assert Cell(inst, None, None, 40).ratio == "— / 40"
    assert Cell(inst, 1250, None, None).ratio == "1,250 / ?"
    assert not Cell(inst, 45, None, 40).below
