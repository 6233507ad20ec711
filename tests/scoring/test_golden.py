"""Published NACC figures (ITA 2564 reports) reproduced by the engine.

Sources (ita-facts.md §1.1, §3; docs/framework-format.md "Rounding"):
* Trat province 2564: IIT 89.95, EIT 89.27, OIT 69.23, total 81.45.
* anyflip 2564 report p.138: OIT indicators 9 = 93.50 and 10 = 100 → OIT weighted 38.70;
  9 = 97.78 and 10 = 93.75 → 38.31. p.111: IIT 91.68 → 27.50.

Why ``half_even``: 0.3 × 89.95 = 26.985 lies exactly on a half. Half-even gives 26.98 and the
published total 81.45; half-up gives 26.99 and 81.46, which is not what NACC printed. (Binary
floats cannot tell: 26.985 is 26.98499999… as a double, so ``round(0.3 * 89.95, 2)`` says 26.98 for
the wrong reason — the engine reads scores as decimals.) And the OIT component must be computed from
the *unrounded* OIT: (97.78 + 93.75) / 2 = 95.765 → 0.4 × 95.765 = 38.306 → 38.31, while rounding
OIT first (95.76, half-even) would give 38.304 → 38.30. Hence stages [indicator, component, total].
"""

from __future__ import annotations

import pytest

from itadesk.scoring import engine
from tests.scoring import samples

TRAT = {"IIT": 89.95, "EIT": 89.27, "OIT": 69.23}


@pytest.fixture(scope="module")
def plan():
    return engine.compile_framework(samples.nacc())


def test_trat_2564(plan):
    s = engine.score_from_instruments(plan, TRAT)
    assert s.components == {"IIT": 26.98, "EIT": 26.78, "OIT": 27.69}   # 26.985, 26.781, 27.692
    assert s.total == 81.45
    assert s.level.code == "improve" and s.passed is False
    assert s.level_sets["letter"].code == "B"


def test_trat_2564_half_up_would_not_match(plan):
    up = engine.score_from_instruments(samples.with_rounding(samples.nacc(), mode="half_up"), TRAT)
    assert up.components["IIT"] == 26.99
    assert up.total == 81.46                    # ≠ the published 81.45


def test_oit_component_from_indicators(plan):
    s = engine.score_from_indicators(plan, {"9": 93.50, "10": 100})
    assert s.instruments["OIT"] == 96.75 and s.components["OIT"] == 38.70
    s = engine.score_from_indicators(plan, {"9": 97.78, "10": 93.75})
    assert s.components["OIT"] == 38.31         # 0.4 × 95.765 = 38.306
    assert s.instruments["OIT"] == 95.76        # shown half-even, but not used rounded
    assert s.total is None and s.missing == ("IIT", "EIT")


def test_oit_rounded_first_would_not_match():
    fw = samples.with_rounding(samples.nacc(), stages=["indicator", "instrument", "component", "total"])
    assert engine.score_from_indicators(fw, {"9": 97.78, "10": 93.75}).components["OIT"] == 38.30


def test_iit_component(plan):
    assert engine.score_from_instruments(plan, {"IIT": 91.68}).components["IIT"] == 27.50   # 27.504


def test_oit_subindicator_means_2564(plan):
    # p.138: indicator 10 = 93.75 = mean(87.5, 100); indicator 9 = 97.78 = mean(100, 100, 100, 100, 88.89).
    # In the sample's 2568 grouping 10.1 has 4 items and 10.2 two: 10.1 at 75 gives 87.5.
    answers = {f"o{n}": "has" for n in range(1, 27)}
    answers["o21"] = "has_not"
    s = engine.score_agency(plan, answers)
    assert s.subindicators["10.1"] == 75.0 and s.indicators["10"] == 87.5
    assert s.indicators["9"] == 100.0 and s.instruments["OIT"] == 93.75

