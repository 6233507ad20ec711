"""The framework files ITA Desk ships (itadesk/methodology/frameworks/*.yaml): each loads without errors
and holds what itadesk/methodology/frameworks/README.md and docs/frameworks.md say it holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from itadesk.methodology.schema import FRAMEWORKS_DIR, FrameworkError, iter_items, load_file, parse_text

FILES = sorted(Path(FRAMEWORKS_DIR).glob("*.yaml"))
EXPECTED = {"nacc-ita-2566", "nacc-ita-2567", "nacc-ita-2568", "nacc-ita-2569", "nacc-ita-2570"}


def by_id(name: str) -> Path:
    return Path(FRAMEWORKS_DIR) / f"{name}.yaml"


def loaded(name: str) -> dict:
    return load_file(by_id(name))


def raw(path: Path) -> dict:
    """The file as written (no defaults filled in)."""
    return parse_text(path.read_text(encoding="utf-8"), source=str(path))


def counts(fw: dict) -> dict[str, int]:
    result: dict[str, int] = {}
    for ref in iter_items(fw):
        result[ref.instrument["code"]] = result.get(ref.instrument["code"], 0) + 1
    return result


def walk(node, path=""):
    """Every (path, value) pair of a parsed YAML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}[{index}]")
    else:
        yield path, node


def test_the_expected_files_are_shipped():
    assert {p.stem for p in FILES} >= EXPECTED


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_loads_without_errors(path):
    try:
        load_file(path)
    except FrameworkError as exc:  # pragma: no cover - the message is the point
        pytest.fail(f"{path.name} does not load:\n{exc}")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_id_matches_the_file_name(path):
    assert load_file(path)["id"] == path.stem


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_weights_sum_to_100(path):
    assert sum(instrument["weight"] for instrument in load_file(path)["instruments"]) == 100


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_shipped_reconstructions_say_so_and_cite_sources(path):
    fw = raw(path)
    assert fw["status"] == "unofficial"
    assert fw["sources"], "an unofficial framework must list its sources"
    assert fw.get("note"), "say what is known and what is not"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_unknown_wording_is_null_never_empty_or_invented(path):
    doc = raw(path)
    empty = [p for p, value in walk(doc) if isinstance(value, str) and not value.strip()]
    assert not empty, f"empty strings (write null for an unknown wording): {empty}"
    for ref in iter_items(load_file(path)):
        item = ref.item
        if item["text_status"] == "unknown":
            assert item["text_th"] is None, item["code"]
            assert not item.get("text_en"), item["code"]
        else:
            assert item["text_th"], item["code"]
        if item["text_status"] == "verbatim_other_year":
            assert item.get("wording_year"), item["code"]


@pytest.mark.parametrize(("name", "expected"), [
    ("nacc-ita-2566", {"IIT": 30, "EIT": 15, "OIT": 43}),
    ("nacc-ita-2567", {"IIT": 30, "EIT": 15, "OIT": 26}),
    ("nacc-ita-2568", {"IIT": 30, "EIT": 15, "OIT": 26}),
    ("nacc-ita-2569", {"IIT": 30, "EIT": 15, "OIT": 26}),
])
def test_item_counts(name, expected):
    assert counts(loaded(name)) == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_item_codes_run_without_gaps(name):
    fw = loaded(name)
    for prefix, instrument in (("i", "IIT"), ("e", "EIT"), ("o", "OIT")):
        codes = [ref.item["code"] for ref in iter_items(fw) if ref.instrument["code"] == instrument]
        assert codes == [f"{prefix}{n}" for n in range(1, len(codes) + 1)]


def test_every_2568_oit_item_has_a_time_rule():
    # (every shipped file, with source and confidence: tests/methodology/test_time_rules.py)
    doc = raw(by_id("nacc-ita-2568"))
    oit = next(i for i in doc["instruments"] if i["code"] == "OIT")
    missing = [item["code"] for indicator in oit["indicators"] for sub in indicator["subindicators"]
               for item in sub["items"] if not (item.get("time_rule") or {}).get("rule")]
    assert not missing


def test_2568_levels_are_the_five_level_rating_score():
    fw = loaded("nacc-ita-2568")
    labels = [level["label_th"] for level in fw["levels"]]
    assert labels == ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ต้องปรับปรุง", "ต้องปรับปรุงโดยด่วน"]
    top_two = fw["levels"][:2]
    assert [level["min_each_instrument"] for level in top_two] == [95, 85]
    assert [level["code"] for level in fw["level_sets"]["letters"]] == ["AA", "A", "B", "C", "D", "E", "F"]


def test_2568_structure_and_scales_follow_the_2564_form():
    fw = loaded("nacc-ita-2568")
    items = {ref.item["code"]: ref for ref in iter_items(fw)}
    iit = [ref for ref in items.values() if ref.instrument["code"] == "IIT"]
    assert all(ref.item["text_status"] == "verbatim_other_year" and ref.item["wording_year"] == 2564 for ref in iit)
    assert sum(max(1, len(ref.item["subquestions"])) for ref in iit) == 51
    by_indicator = {}
    for ref in iit:
        by_indicator.setdefault(ref.indicator["code"], []).append(ref.item["code"])
    assert by_indicator == {
        "1": [f"i{n}" for n in range(1, 7)], "2": [f"i{n}" for n in range(7, 13)],
        "3": [f"i{n}" for n in range(13, 19)], "4": [f"i{n}" for n in range(19, 25)],
        "5": [f"i{n}" for n in range(25, 31)],
    }
    reversed_items = {"i9", "i10", "i16", "i17", "i18", "i19", "i22"}
    for code, ref in items.items():
        if ref.instrument["code"] != "IIT":
            continue
        expected = ("four_level_reversed" if code in reversed_items else
                    "yes_no_inverted" if code in ("i4", "i5", "i6") else
                    "yes_no" if code == "i26" else "four_level")
        assert ref.item["scale"] == expected, code
    assert [q.get("scale") for q in items["i11"].item["subquestions"]] == [None, "four_level_reversed"]
    assert items["e3"].item["scale"] == "yes_no_inverted"
    assert items["o1"].item["elements"] and len(items["o1"].item["elements"]) == 2


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_oit_patterns_are_valid_regexes(path):
    for ref in iter_items(load_file(path)):
        for element in ref.item.get("elements") or []:
            for pattern in element.get("patterns") or []:
                re.compile(pattern)


def test_2566_reproduces_the_published_2564_figures_for_trat():
    """Trat province, ITA 2564: IIT 89.95, EIT 89.27, OIT 69.23 → 26.98 + 26.78 + 27.69 = 81.45 (grade B)."""
    from itadesk.scoring.engine import score_from_instruments

    score = score_from_instruments(loaded("nacc-ita-2566"), {"IIT": 89.95, "EIT": 89.27, "OIT": 69.23})
    assert score.components == {"IIT": 26.98, "EIT": 26.78, "OIT": 27.69}
    assert score.total == 81.45
    assert score.level.code == "B" and score.passed is False


def test_2566_has_the_seven_oit_subindicators():
    fw = loaded("nacc-ita-2566")
    oit = next(i for i in fw["instruments"] if i["code"] == "OIT")
    subs = {ind["code"]: [s["code"] for s in ind["subindicators"]] for ind in oit["indicators"]}
    assert subs == {"9": ["9.1", "9.2", "9.3", "9.4", "9.5"], "10": ["10.1", "10.2"]}
