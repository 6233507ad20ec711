"""One framework parser: the scoring engine and the framework loader read a file the same way."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itadesk.methodology import schema
from itadesk.scoring import engine
from tests.scoring import samples
from tests.scoring.test_properties import agency_answers, frameworks

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


def test_a_loaded_framework_passes_the_scoring_check_unchanged():
    # The engine re-reads stored frameworks through the parser: that must not change them.
    from itadesk.framework import load_for_scoring

    for path in sorted(schema.FRAMEWORKS_DIR.glob("*.yaml")):
        loaded = schema.load_file(path)
        assert load_for_scoring(loaded) == loaded, path.name
        plan = engine.compile_framework(loaded)
        assert plan.rounding.mode == loaded["rounding"]["mode"]
        assert [it.code for it in sorted(plan.items, key=lambda it: it.sort_key)
                if plan.instruments[it.instrument].code == loaded["instruments"][-1]["code"]] == [
            ref.item["code"] for ref in schema.iter_items(loaded)
            if ref.instrument["code"] == loaded["instruments"][-1]["code"]]


def test_the_engine_reports_every_problem_with_the_loaders_paths():
    fw = samples.tiny()
    fw["rounding"]["mode"] = "bankers"
    fw["instruments"][0]["weight"] = 31
    del fw["instruments"][1]["indicators"][0]["items"][0]["scale"]
    with pytest.raises(schema.FrameworkError) as caught:
        engine.compile_framework(fw)
    assert {e.path for e in caught.value.errors} == {
        "rounding.mode", "instruments", "instruments[1].indicators[0].items[0].scale"}
    assert schema.validate(fw) and {e.path for e in schema.validate(fw)} >= {e.path for e in caught.value.errors}


def test_descriptive_keys_are_optional_only_for_the_engine():
    fw = samples.mini()
    for key in ("schema", "name_th", "status", "sources", "scheme", "fiscal_year"):
        del fw[key]
    del fw["instruments"][0]["name_th"]
    del fw["instruments"][0]["indicators"][0]["items"][0]["text_th"]
    assert engine.compile_framework(fw).rounding.mode == "half_even"
    assert {e.path for e in schema.validate(fw)} >= {"schema", "name_th", "status", "sources",
                                                     "instruments[0].name_th"}


def _imports(path):
    import ast

    tree = ast.parse(path.read_text())
    top = {node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((a.name, node in top) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module or "", node in top


@pytest.mark.parametrize(("package", "allowed"), [
    ("framework", ("itadesk.framework",)),
    ("scoring", ("itadesk.scoring", "itadesk.framework")),
])
def test_the_parser_and_the_engine_are_pure_and_point_one_way(package, allowed):
    from pathlib import Path

    import itadesk

    for path in sorted((Path(itadesk.__file__).parent / package).glob("*.py")):
        for module, at_top in _imports(path):
            assert not module.startswith("django"), (path.name, module)
            if module.startswith("itadesk"):
                assert module.startswith(allowed), (path.name, module)
                assert at_top, (path.name, module)           # no import hidden inside a function


# --- property: a framework handed to the engine scores as the same file loaded ------------------

def _as_file(raw: dict) -> dict:
    """``raw`` (a framework with only what scoring reads) completed into a valid file's content: the
    descriptive keys filled in, and an instrument's explicit item orders dropped if two are equal."""
    import copy

    fw = copy.deepcopy(raw)
    position = 0
    fw.update(schema="itadesk-framework/1", id="random", scheme="test", fiscal_year=2568, name_th="สุ่ม",
              status="unofficial", sources=[{"id": "tests", "title": "tests"}])
    for ins in fw["instruments"]:
        ins["name_th"] = ins["code"]
        items = []
        for ind in ins["indicators"]:
            ind["name_th"] = ind["code"]
            for sub in ind.get("subindicators", []):
                sub["name_th"] = sub["code"]
                items += sub["items"]
            items += ind.get("items", [])
        start, position = position, position + len(items)
        # An item without order has its position in the file (counted over the whole file).
        orders = [it.get("order", start + n + 1) for n, it in enumerate(items)]
        if len(set(orders)) != len(orders):
            for it in items:
                it.pop("order", None)
        for it in items:
            it.update(text_th=None, text_status="unknown")
    return fw


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_engine_on_raw_dict_equals_loader_then_engine(data):

    raw = data.draw(frameworks())
    if data.draw(st.booleans()):
        del raw["rounding"]["mode"]                    # the default must be the same both ways
    as_file = _as_file(raw)
    direct = engine.compile_framework(as_file)          # the raw path (a safe_load-like dict)
    loaded = engine.compile_framework(schema.load_data(as_file))
    assert direct.rounding == loaded.rounding
    assert direct.rounding.mode == raw["rounding"].get("mode", "half_up")
    assert [it.sort_key for it in direct.items] == [it.sort_key for it in loaded.items]
    answers = data.draw(agency_answers(direct))
    assert engine.score_agency(direct, answers) == engine.score_agency(loaded, answers)
