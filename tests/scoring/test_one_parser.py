"""One framework parser: the scoring engine and the framework loader read a file the same way."""

from __future__ import annotations

import pytest
import yaml

from itadesk.methodology import schema
from itadesk.scoring import engine
from tests.scoring import samples

# MINI without a rounding mode: the format's documented default applies.
NO_MODE_YAML = samples.MINI_YAML.replace("mode: half_even, ", "")


def test_sample_has_no_rounding_mode():
    assert "mode" not in yaml.safe_load(NO_MODE_YAML)["rounding"]


def test_default_rounding_is_the_same_through_both_paths():
    loaded = schema.load_text(NO_MODE_YAML)
    assert loaded["rounding"]["mode"] == schema.DEFAULT_MODE == "half_up"
    from_loader = engine.compile_framework(loaded)
    from_raw = engine.compile_framework(yaml.safe_load(NO_MODE_YAML))
    assert from_loader.rounding == from_raw.rounding
    assert from_raw.rounding.mode == "half_up"


def test_a_tie_rounds_the_same_through_both_paths():
    # Item a = (33.33 + 100) / 2 = 66.665, a tie: half_up gives 66.67 (half_even would give 66.66).
    answers = {"a": [2, 4], "b": [4]}
    from_loader = engine.score_agency(schema.load_text(NO_MODE_YAML), answers)
    from_raw = engine.score_agency(yaml.safe_load(NO_MODE_YAML), answers)
    assert from_loader == from_raw
    assert from_raw.items["a"] == 66.67


def test_one_framework_error_class():
    assert engine.FrameworkError is schema.FrameworkError
    fw = yaml.safe_load(NO_MODE_YAML)
    fw["rounding"]["mode"] = "bankers"
    with pytest.raises(schema.FrameworkError) as caught:
        engine.compile_framework(fw)
    assert [e.path for e in caught.value.errors] == ["rounding.mode"]
