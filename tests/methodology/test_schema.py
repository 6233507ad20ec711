"""The framework format: loading with defaults, every kind of error with its path, helpers. No database."""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itadesk.methodology import schema as S
from itadesk.methodology.schema import FieldError, FrameworkError, load_data, load_text, validate

from .samples import MINIMAL_YAML, SAMPLE_YAML, minimal_data, sample_data

IIT_I1 = "instruments[0].indicators[0].items[0]"
OIT_O1 = "instruments[2].indicators[0].subindicators[0].items[0]"


def errors_of(data) -> list[str]:
    return [str(e) for e in validate(data)]


# ------------------------------------------------------------------------------------------- valid files


def test_minimal_framework_loads_with_defaults():
    fw = load_text(MINIMAL_YAML)
    assert fw["rounding"] == {"decimals": 2, "mode": "half_even", "stages": ["total"]}
    assert fw["level_sets"] == {} and fw["sample_rules"] == {}
    instrument = fw["instruments"][0]
    assert instrument["aggregate"] == "mean"
    indicator = instrument["indicators"][0]
    assert indicator["aggregate"] == "mean_items"
    assert indicator["items"][0] == {
        "code": "o1", "text_th": "โครงสร้าง", "text_status": "paraphrase", "scale": "evidence",
        "not_applicable": False, "order": 1, "subquestions": [], "elements": [],
    }


def test_sample_defaults_and_values():
    fw = load_text(SAMPLE_YAML)
    iit, eit, oit = fw["instruments"]
    # order defaults to the position in the whole file; an explicit order is kept
    orders = {ref.item["code"]: ref.item["order"] for ref in S.iter_items(fw)}
    assert orders == {"i1": 1, "i4": 2, "i7": 3, "e1": 4, "e6": 40, "o1": 6, "o3": 7, "o12": 8, "o21": 9}
    # aggregate: mean_subindicators when there are sub-indicators, unless given
    assert [i["aggregate"] for i in oit["indicators"]] == ["mean_subindicators", "mean_items"]
    assert eit["indicators"][1]["weight"] == 1.5
    # YAML 1.2 booleans: yes/no stay text
    assert [o["value"] for o in fw["scales"]["yes_no_inverted"]["options"]] == ["yes", "no"]
    # elements only on the agency's items; sub-questions everywhere
    assert "elements" not in iit["indicators"][0]["items"][0]
    assert oit["indicators"][0]["subindicators"][0]["items"][1]["elements"] == []
    assert [q["code"] for q in iit["indicators"][0]["items"][1]["subquestions"]] == ["a", "b", "c"]
    assert iit["indicators"][0]["items"][1]["text_th"] is None
    assert fw["sample_rules"]["internal"] == {"min": 25, "all_below": 25, "confirmed": False}
    assert fw["note"] == "ใช้ทดสอบเท่านั้น\nTest data only."  # a block scalar's final line break is dropped
    assert list(fw) == [k for k in S.KEYS["framework"] if k in fw]  # keys in the order of the specification


def test_loading_is_idempotent_and_dump_round_trips():
    fw = load_text(SAMPLE_YAML)
    assert validate(fw) == []
    assert load_data(copy.deepcopy(fw)) == fw
    text = S.dump_text(fw)
    assert load_text(text) == fw
    assert "order: 1\n" not in text and "not_applicable: false" not in text  # defaults are not written
    assert "value: 'yes'" in text  # quoted, so that YAML 1.1 readers also see text


def test_empty_optional_values_count_as_absent():
    data = minimal_data()
    data["name_en"] = "  "
    data["note"] = None
    data["instruments"][0]["indicators"][0]["items"][0]["sources"] = []
    fw = load_data(data)
    assert "name_en" not in fw and "note" not in fw
    assert "sources" not in fw["instruments"][0]["indicators"][0]["items"][0]


def test_scheme_not_tied_to_one_year():
    data = minimal_data()
    data["fiscal_year"] = None
    data["years"] = [2563, 2566]
    assert load_data(data)["years"] == [2563, 2566]
    data["fiscal_year"] = 2568
    assert errors_of(data) == ["years: is only for a framework not tied to one year (fiscal_year: null); "
                               "this one is for fiscal year 2568"]


def test_schema_module_does_not_import_django():
    code = ("import sys, itadesk.methodology.schema; "
            "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# ---------------------------------------------------------------------------------------------- errors


def _set(path_keys, value):
    def change(data):
        target = data
        for key in path_keys[:-1]:
            target = target[key]
        target[path_keys[-1]] = value
    return change


def _delete(path_keys):
    def change(data):
        target = data
        for key in path_keys[:-1]:
            target = target[key]
        del target[path_keys[-1]]
    return change


IIT = ["instruments", 0]
EIT = ["instruments", 1]
OIT = ["instruments", 2]
I1 = [*IIT, "indicators", 0, "items", 0]
O1 = [*OIT, "indicators", 0, "subindicators", 0, "items", 0]


def _dup_item_code(data):
    data["instruments"][2]["indicators"][0]["subindicators"][0]["items"][1]["code"] = "i1"


def _both_items_and_subs(data):
    data["instruments"][2]["indicators"][0]["items"] = [{"code": "o99", "text_th": "x", "text_status": "paraphrase",
                                                         "scale": "evidence"}]


CASES = [
    # (id, change, expected error text)
    ("unknown key", _set([*IIT, "weigth"], 30), "instruments[0].weigth: unknown key 'weigth' (did you mean 'weight'?)"),
    ("unknown top key", _set(["colour"], "red"), "colour: unknown key 'colour'"),
    ("schema", _set(["schema"], "itadesk-framework/2"),
     "schema: must be 'itadesk-framework/1' (the only format this version of ITA Desk reads), not "
     "'itadesk-framework/2'"),
    ("required key", _delete(["name_th"]), "name_th: required key is missing"),
    ("required but empty", _set([*IIT, "name_th"], ""), "instruments[0].name_th: is required and may not be empty"),
    ("slug", _set(["id"], "NACC ITA"),
     "id: must be a slug of lower-case letters, digits and '-' (e.g. 'nacc-ita-2568'), not 'NACC ITA'"),
    ("status", _set(["status"], "draft"), "status: must be 'official' or 'unofficial', not 'draft'"),
    ("fiscal year range", _set(["fiscal_year"], 2025), "fiscal_year: must be between 2500 and 2700, not 2025"),
    ("fiscal year missing", _delete(["fiscal_year"]),
     "fiscal_year: required key is missing (a Buddhist-era year, or null for a scheme not tied to one year)"),
    ("version type", _set(["version"], "2"), "version: must be a whole number, not '2'"),
    ("version range", _set(["version"], 0), "version: must be at least 1, not 0"),
    ("code not quoted", _set([*IIT, "indicators", 0, "code"], 1),
     "instruments[0].indicators[0].code: must be text (a code of letters, digits, '.', '_' or '-' without "
     "spaces (e.g. 'i12', '9.1')), not the number 1: write it in quotes (\"1\")"),
    ("duplicate instrument", _set([*EIT, "code"], "IIT"),
     "instruments[1].code: duplicate instrument code 'IIT' (already used at instruments[0])"),
    ("duplicate indicator across instruments", _set([*EIT, "indicators", 0, "code"], "1"),
     "instruments[1].indicators[0].code: duplicate indicator code '1' (already used at instruments[0].indicators[0])"),
    ("duplicate item across file", _dup_item_code,
     f"instruments[2].indicators[0].subindicators[0].items[1].code: duplicate item code 'i1' (already used at {IIT_I1})"),
    ("duplicate sub-question", _set([*IIT, "indicators", 0, "items", 1, "subquestions", 1, "code"], "a"),
     "instruments[0].indicators[0].items[1].subquestions[1].code: duplicate sub-question code 'a' "
     "(already used at instruments[0].indicators[0].items[1].subquestions[0])"),
    ("duplicate element", _set([*O1, "elements", 1, "code"], "structure"),
     f"{OIT_O1}.elements[1].code: duplicate element code 'structure' (already used at {OIT_O1}.elements[0])"),
    ("duplicate option value", _set(["scales", "four_level", "options", 1, "value"], 1),
     "scales.four_level.options[1].value: duplicate value the number 1 in this scale "
     "(already used at scales.four_level.options[0])"),
    ("unknown scale", _set([*I1, "scale"], "five"), f"{IIT_I1}.scale: unknown scale 'five'"),
    ("unknown scale, close", _set([*I1, "scale"], "four_levels"),
     f"{IIT_I1}.scale: unknown scale 'four_levels' (did you mean 'four_level'?)"),
    ("unknown sub-question scale", _set([*IIT, "indicators", 0, "items", 1, "subquestions", 2, "scale"], "yes_no"),
     "instruments[0].indicators[0].items[1].subquestions[2].scale: unknown scale 'yes_no' "
     "(did you mean 'yes_no_inverted'?)"),
    ("score range", _set(["scales", "evidence", "options", 0, "score"], 120),
     "scales.evidence.options[0].score: must be between 0 and 100, not 120"),
    ("score type", _set(["scales", "evidence", "options", 0, "score"], "100"),
     "scales.evidence.options[0].score: must be a number, not '100'"),
    ("weights", _set([*OIT, "weight"], 30),
     "instruments: the instrument weights must add up to 100, but they add up to 90 (IIT 30 + EIT 30 + OIT 30)"),
    ("last level", _set(["levels", 4, "min_total"], 50),
     "levels[4].min_total: must be 0 for the last level (so that every total gets a level), not 50"),
    ("levels increase", _set(["levels", 3, "min_total"], 90),
     "levels[3].min_total: 90 is higher than the 85 of the level above (pass); levels are listed best first"),
    ("level codes", _set(["level_sets", "letters", 1, "code"], "AA"),
     "level_sets.letters[1].code: duplicate level code 'AA' (already used at level_sets.letters[0])"),
    ("passing below pass mark", _set(["levels", 3, "passing"], True),
     "levels[3].passing: is true, but min_total 70 is below pass_mark 85"),
    ("pass mark", _set(["pass_mark"], 101), "pass_mark: must be between 0 and 100, not 101"),
    ("rounding mode", _set(["rounding", "mode"], "bankers"),
     "rounding.mode: must be 'half_even', 'half_up' or 'truncate', not 'bankers'"),
    ("rounding stage", _set(["rounding", "stages"], ["indicator", "totals"]),
     "rounding.stages[1]: must be 'item', 'subindicator', 'indicator', 'instrument', 'component' or 'total', "
     "not 'totals' (did you mean 'total'?)"),
    ("rounding decimals", _set(["rounding", "decimals"], 7), "rounding.decimals: must be between 0 and 6, not 7"),
    ("data_year on IIT", _set([*I1, "data_year"], "current"),
     f"{IIT_I1}.data_year: is only for items of an instrument answered by the agency (respondents: agency); "
     "instruments[0] (IIT) has respondents: internal"),
    ("elements on EIT", _set([*EIT, "indicators", 0, "items", 0, "elements"], [{"code": "x", "text_th": "x"}]),
     "instruments[1].indicators[0].items[0].elements: is only for items of an instrument answered by the agency "
     "(respondents: agency); instruments[1] (EIT) has respondents: external"),
    ("hints on IIT", _set([*I1, "hints"], {"keywords": ["x"]}),
     f"{IIT_I1}.hints: is only for items of an instrument answered by the agency (respondents: agency); "
     "instruments[0] (IIT) has respondents: internal"),
    ("both items and subindicators", _both_items_and_subs,
     "instruments[2].indicators[0]: has both items and subindicators: give one of them (items go inside the "
     "subindicators)"),
    ("neither items nor subindicators", _delete([*IIT, "indicators", 1, "items"]),
     "instruments[0].indicators[1]: needs items or subindicators (neither is given)"),
    ("empty items", _set([*IIT, "indicators", 1, "items"], []),
     "instruments[0].indicators[1].items: must list at least one of the items"),
    ("mean_subindicators without subindicators", _set([*IIT, "indicators", 0, "aggregate"], "mean_subindicators"),
     "instruments[0].indicators[0].aggregate: is mean_subindicators, but this indicator has no subindicators "
     "(its items are listed directly): use mean_items or leave it out"),
    ("weighted mean without weight", _delete([*EIT, "indicators", 1, "weight"]),
     "instruments[1].indicators[1].weight: required key is missing (instruments[1].aggregate is weighted_mean)"),
    ("weighted mean, zero weight", _set([*EIT, "indicators", 1, "weight"], 0),
     "instruments[1].indicators[1].weight: must be more than 0, not 0"),
    ("weight without weighted mean", _set([*IIT, "indicators", 0, "weight"], 2),
     "instruments[0].indicators[0].weight: is only used when the instrument's aggregate is weighted_mean "
     "(instruments[0].aggregate is mean): remove it or set that aggregate"),
    ("bad regex", _set([*O1, "elements", 1, "patterns"], ["อำนาจ(หน้าที่"]),
     f"{OIT_O1}.elements[1].patterns[0]: is not a valid regular expression: missing ), unterminated subpattern "
     "at position 6"),
    ("unknown source", _set([*O1, "sources"], ["school-mirror", "nacc-manual"]),
     f"{OIT_O1}.sources[1]: unknown source 'nacc-manual' (not listed in the top-level sources)"),
    ("unknown source in rounding", _set(["rounding", "sources"], ["nacc-2654"]),
     "rounding.sources[0]: unknown source 'nacc-2654' (not listed in the top-level sources) "
     "(did you mean 'nacc-2564'?)"),
    ("duplicate source id", _set(["sources", 1, "id"], "nacc-2564"),
     "sources[1].id: duplicate source id 'nacc-2564' (already used at sources[0])"),
    ("source url", _set(["sources", 0, "url"], "www.nacc.go.th"),
     "sources[0].url: must be a web address starting with http:// or https://, not 'www.nacc.go.th'"),
    ("unofficial without sources", _set(["sources"], []),
     "sources: must not be empty: an unofficial framework must say where it comes from"),
    ("confidence", _set([*IIT, "confidence"], "high"), "instruments[0].confidence: must be 'H', 'M' or 'L', not 'high'"),
    ("sample negative", _set(["sample_rules", "internal", "min"], -1),
     "sample_rules.internal.min: must be at least 0, not -1"),
    ("sample min above max", _set(["sample_rules", "external", "max"], 20),
     "sample_rules.external.min: 30 is more than max (20)"),
    ("sample all_below does not fit", _set(["sample_rules", "internal", "min"], 10),
     "sample_rules.internal.all_below: does not fit the rest of the rule: a population of 24 answers in full (24), "
     "but a population of 25 would need only 10; set min (and max) to at least 24, or lower all_below"),
    ("sample group", _set(["sample_rules", "externel"], {"min": 1}),
     "sample_rules.externel: unknown key 'externel': use internal or external (did you mean 'external'?)"),
    ("unknown wording is null", _set([*IIT, "indicators", 0, "items", 1, "text_th"], "เดาเอา"),
     "instruments[0].indicators[0].items[1].text_th: must be null when text_status is 'unknown' (never invent a "
     "wording); if this is an approximate wording, use text_status: paraphrase"),
    ("null wording must be unknown", _set([*I1, "text_th"], None),
     f"{IIT_I1}.text_status: must be 'unknown' when text_th is null (not 'verbatim_other_year')"),
    ("wording year", _delete([*I1, "wording_year"]),
     f"{IIT_I1}.wording_year: is required when text_status is verbatim_other_year (the Buddhist-era year the "
     "wording comes from)"),
    ("YAML 1.1 boolean value", _set(["scales", "yes_no_inverted", "options", 0, "value"], True),
     "scales.yes_no_inverted.options[0].value: must be text or a whole number, not the boolean true (a YAML 1.1 "
     "reader takes yes/no/on/off for booleans: write the value in quotes, e.g. 'yes')"),
    ("number as text value", _set(["scales", "four_level", "options", 0, "value"], "1"),
     "scales.four_level.options[0].value: is the number 1 written as text: write it without quotes, as a number"),
    ("order used twice", _set([*IIT, "indicators", 1, "items", 0, "order"], 1),
     "instruments[0].indicators[1].items[0].order: 1 is also the order of item 'i1' (instruments[0].indicators[0]"
     ".items[0]) in the same instrument (an item without order gets its position in the file)"),
    ("instruments not a list", _set(["instruments"], {"IIT": {}}),
     "instruments: must be a list of instruments, not a mapping (key: value)"),
    ("respondents", _set([*IIT, "respondents"], "staff"),
     "instruments[0].respondents: must be 'internal', 'external' or 'agency', not 'staff'"),
    ("control character", _set([*IIT, "name_th"], "แบบวัด\x07"),
     "instruments[0].name_th: contains the control character U+0007; remove it"),
    ("document type", _set([*O1, "hints", "document_types"], ["PDF file"]),
     f"{OIT_O1}.hints.document_types[0]: must be a lower-case word such as html, pdf, image or video, not 'PDF file'"),
    ("repeated keyword", _set([*O1, "elements", 0, "keywords"], ["แผนภูมิ", "แผนภูมิ"]),
     f"{OIT_O1}.elements[0].keywords[1]: keyword 'แผนภูมิ' is listed twice (also {OIT_O1}.elements[0].keywords[0])"),
]


@pytest.mark.parametrize("change, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_error_names_its_path(change, expected):
    data = sample_data()
    assert validate(data) == []
    change(data)
    assert expected in errors_of(data)


def test_field_error_str_and_framework_error():
    error = FieldError("instruments[0].indicators[3].items[2].scale", "unknown scale 'five'", where="line 9")
    assert str(error) == "instruments[0].indicators[3].items[2].scale: unknown scale 'five'"
    assert error.describe() == "instruments[0].indicators[3].items[2].scale: unknown scale 'five' (line 9)"
    assert error == FieldError(error.path, error.message)  # where is not part of equality
    exc = FrameworkError([error], source="fw.yaml")
    assert str(exc) == "fw.yaml: instruments[0].indicators[3].items[2].scale: unknown scale 'five' (line 9)"


def test_all_errors_are_collected():
    data = sample_data()
    data["instruments"][0]["weigth"] = 30
    data["instruments"][0]["indicators"][0]["items"][0]["scale"] = "five"
    data["levels"][-1]["min_total"] = 10
    data["pass_mark"] = "85"
    del data["instruments"][1]["name_th"]
    with pytest.raises(FrameworkError) as caught:
        load_data(data)
    assert [str(e) for e in caught.value.errors] == [
        "pass_mark: must be a number, not '85'",
        "levels[4].min_total: must be 0 for the last level (so that every total gets a level), not 10",
        "instruments[0].weigth: unknown key 'weigth' (did you mean 'weight'?)",
        f"{IIT_I1}.scale: unknown scale 'five'",
        "instruments[1].name_th: required key is missing",
    ]


def test_not_a_mapping():
    assert errors_of([1, 2]) == ["(file): must be a mapping of keys (schema, id, version, ... as in "
                                 "docs/framework-format.md), not a list"]


# ------------------------------------------------------------------------------------------------ YAML


def test_yaml_syntax_error_has_line_and_column():
    text = MINIMAL_YAML.replace("scheme: tiny", "scheme: [tiny")
    with pytest.raises(FrameworkError) as caught:
        load_text(text, source="tiny.yaml")
    (error,) = caught.value.errors
    assert error.path.startswith("line ") and ", column " in error.path
    assert error.message.startswith("YAML syntax error: ")
    assert str(caught.value).startswith("tiny.yaml: line ")


def test_yaml_tab_indentation_is_reported_at_its_line():
    text = MINIMAL_YAML.replace("  evidence:\n", "\tevidence:\n")
    with pytest.raises(FrameworkError) as caught:
        load_text(text)
    line = MINIMAL_YAML.splitlines().index("  evidence:") + 1
    assert caught.value.errors[0].path == f"line {line}, column 1"


def test_yaml_duplicate_key_is_an_error():
    text = MINIMAL_YAML.replace("pass_mark: 85\n", "pass_mark: 85\npass_mark: 80\n")
    with pytest.raises(FrameworkError) as caught:
        load_text(text)
    line = MINIMAL_YAML.splitlines().index("pass_mark: 85") + 1
    assert [str(e) for e in caught.value.errors] == [
        f"pass_mark: key 'pass_mark' is given twice in the same mapping (lines {line} and {line + 1}); keep one"]


def test_yaml_empty_file():
    with pytest.raises(FrameworkError) as caught:
        load_text("# nothing yet\n")
    assert [str(e) for e in caught.value.errors] == ["(file): the file is empty"]


def test_yaml_errors_carry_their_line():
    text = MINIMAL_YAML.replace("scale: evidence}", "scale: five}")
    with pytest.raises(FrameworkError) as caught:
        load_text(text)
    (error,) = caught.value.errors
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if "scale: five" in t)
    assert str(error) == "instruments[0].indicators[0].items[0].scale: unknown scale 'five'"
    assert error.where == f"line {line}"


def test_yaml_booleans_are_only_true_and_false():
    data = S.parse_text("a: yes\nb: no\nc: on\nd: true\ne: False\n")
    assert data == {"a": "yes", "b": "no", "c": "on", "d": True, "e": False}


def test_load_file(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL_YAML.encode())  # a BOM is accepted
    assert S.load_file(path)["id"] == "tiny"
    path.write_bytes(MINIMAL_YAML.encode("cp874"))
    with pytest.raises(FrameworkError) as caught:
        S.load_file(path)
    assert caught.value.errors[0].path == "(file)" and "is not UTF-8 text" in caught.value.errors[0].message
    assert caught.value.source == str(path)


# --------------------------------------------------------------------------------------------- helpers


def test_iter_items_in_itas_order_and_find_item():
    data = sample_data()
    data["instruments"][0]["indicators"][1]["items"][0]["order"] = 1  # i7 asked first ...
    data["instruments"][0]["indicators"][0]["items"][0]["order"] = 5  # ... and i1 after i4
    fw = load_data(data)
    assert [ref.item["code"] for ref in S.iter_items(fw)] == ["i7", "i4", "i1", "e1", "e6", "o1", "o3", "o12", "o21"]
    ref = S.find_item(fw, "o12")
    assert (ref.instrument["code"], ref.indicator["code"], ref.subindicator["code"]) == ("OIT", "9", "9.2")
    instrument, indicator, subindicator, item = S.find_item(fw, "i1")
    assert (instrument["code"], indicator["code"], subindicator, item["order"]) == ("IIT", "1", None, 5)
    with pytest.raises(KeyError):
        S.find_item(fw, "o99")
    assert S.find_instrument(fw, "EIT")["weight"] == 30
    assert S.counts(fw) == {"instruments": 3, "indicators": 6, "subindicators": 3, "items": 9,
                            "items_by_instrument": {"IIT": 3, "EIT": 2, "OIT": 4}}


@pytest.mark.parametrize("rule, population, expected", [
    ({"percent": 10, "min": 30, "max": 400, "all_below": 30}, 29, 29),
    ({"percent": 10, "min": 30, "max": 400, "all_below": 30}, 30, 30),
    ({"percent": 10, "min": 30, "max": 400, "all_below": 30}, 301, 31),
    ({"percent": 10, "min": 30, "max": 400, "all_below": 30}, 5000, 400),
    ({"percent": 10}, 30, 3),  # exact: 10 % of 30 is 3, not 3.0000000000000004 → 4
    ({"percent": 7}, 100, 7),
    ({"min": 25, "all_below": 25}, 24, 24),
    ({"min": 25, "all_below": 25}, 1000, 25),
    ({}, 50, 0),
    ({"min": 10}, 4, 4),
    ({"percent": 12.5, "max": 5}, 100, 5),
])
def test_minimum_sample(rule, population, expected):
    assert S.minimum_sample(rule, population) == expected


def test_minimum_sample_rejects_a_negative_population():
    with pytest.raises(ValueError):
        S.minimum_sample({"min": 1}, -1)


@st.composite
def sample_rules(draw):
    rule = {}
    for key, strategy in (("percent", st.one_of(st.integers(0, 100), st.floats(0, 100, allow_nan=False))),
                          ("min", st.integers(0, 500)), ("max", st.integers(0, 5000)),
                          ("all_below", st.integers(0, 600))):
        if draw(st.booleans()):
            rule[key] = draw(strategy)
    return rule


_MINIMAL = minimal_data()


def _valid_rule(rule) -> bool:
    data = copy.deepcopy(_MINIMAL)
    data["sample_rules"] = {"external": rule}
    return validate(data) == []


@given(rule=sample_rules(), population=st.integers(0, 20000))
def test_minimum_sample_properties(rule, population):
    if not _valid_rule(rule):
        return
    n = S.minimum_sample(rule, population)
    assert 0 <= n <= population
    assert n >= min(population, rule.get("min", 0))
    assert S.minimum_sample(rule, population + 1) >= n  # more people never need fewer answers


@given(rule=sample_rules())
def test_minimum_sample_is_monotone_across_all_below(rule):
    """The validator refuses exactly the rules whose minimum would drop at the all_below boundary."""
    below = rule.get("all_below")
    if not below or rule.get("min", 0) > rule.get("max", 10**9):
        return
    drops = S.minimum_sample(rule, below) < S.minimum_sample(rule, below - 1)
    assert _valid_rule(rule) == (not drops)
