"""Sample frameworks for the scoring tests and the benchmark (YAML text → ``yaml.safe_load``).

* ``NACC_YAML``: the 10-indicator NACC shape — IIT indicators 1–5 with the 30 items and 51
  sub-questions of the 2564 IIT form (ita-facts-addendum §4.1), EIT 6–8 with 15 items, OIT 9–10
  with the 2568 sub-indicators and 26 items (addendum §1.1); weights 30/30/40, half_even rounding at
  [indicator, component, total], the 5-level Rating Score and the old letter grades.
* ``TINY_YAML``: three instruments and seven indicators small enough to compute by hand
  (test_engine.py). Its ``yes_no_inverted`` scale uses unquoted ``yes``/``no``, which YAML 1.1 reads
  as booleans, on purpose.
* ``MINI_YAML``: one instrument, one indicator with two items, for rounding stages.
"""

from __future__ import annotations

import copy

import yaml

HEADER = """schema: itadesk-framework/1
id: {id}
version: 1
scheme: test
fiscal_year: 2568
name_th: {name}
status: unofficial
sources:
  - {{id: tests, title: "ITA Desk scoring tests (tests/scoring/samples.py)"}}
pass_mark: 85
rounding: {{decimals: 2, mode: half_even, stages: [indicator, component, total]}}
total: {{rule: weighted_sum}}
"""

SCALES = """scales:
  four_level:
    type: choice
    options:
      - {value: 1, score: 0, label_th: น้อยที่สุดหรือไม่มีเลย}
      - {value: 2, score: 33.33, label_th: น้อย}
      - {value: 3, score: 66.67, label_th: มาก}
      - {value: 4, score: 100, label_th: มากที่สุด}
  four_level_rev:
    type: choice
    options:
      - {value: 1, score: 100, label_th: น้อยที่สุดหรือไม่มีเลย}
      - {value: 2, score: 66.67, label_th: น้อย}
      - {value: 3, score: 33.33, label_th: มาก}
      - {value: 4, score: 0, label_th: มากที่สุด}
  yes_no_inverted:
    type: choice
    options:
      - {value: yes, score: 0, label_th: มี}
      - {value: no, score: 100, label_th: ไม่มี}
  yes_no:
    type: choice
    options:
      - {value: "yes", score: 100, label_th: มี}
      - {value: "no", score: 0, label_th: ไม่มี}
  evidence:
    type: choice
    options:
      - {value: has, score: 100, label_th: มี}
      - {value: has_not, score: 0, label_th: ไม่มี}
"""

LEVELS = """levels:
  - {code: excellent, label_th: ผ่านดีเยี่ยม, label_en: "Pass – excellent", min_total: 95, min_each_instrument: 95, passing: true}
  - {code: good, label_th: ผ่านดี, label_en: "Pass – good", min_total: 85, min_each_instrument: 85, passing: true}
  - {code: pass, label_th: ผ่าน, label_en: Pass, min_total: 85, passing: true}
  - {code: improve, label_th: ต้องปรับปรุง, label_en: Needs improvement, min_total: 70, passing: false}
  - {code: urgent, label_th: ต้องปรับปรุงโดยด่วน, label_en: Needs urgent improvement, min_total: 0, passing: false}
level_sets:
  letter:
    - {code: AA, label_th: AA, min_total: 95}
    - {code: A, label_th: A, min_total: 85}
    - {code: B, label_th: B, min_total: 75}
    - {code: C, label_th: C, min_total: 65}
    - {code: D, label_th: D, min_total: 55}
    - {code: E, label_th: E, min_total: 50}
    - {code: F, label_th: F, min_total: 0}
"""

# IIT 2564 layout: item → (indicator, scale or per-sub-question scales). L4 = four_level,
# L4R = four_level_rev, YN- = yes_no_inverted, YN+ = yes_no.
_L4, _L4R, _YNM, _YNP = "four_level", "four_level_rev", "yes_no_inverted", "yes_no"
IIT_ITEMS = {
    1: [(1, [_L4] * 2), (2, [_L4]), (3, [_L4] * 3), (4, [_YNM] * 3), (5, [_YNM] * 3), (6, [_YNM] * 3)],
    2: [(7, [_L4]), (8, [_L4] * 2), (9, [_L4R]), (10, [_L4R]), (11, [_L4, _L4R]), (12, [_L4] * 3)],
    3: [(13, [_L4]), (14, [_L4]), (15, [_L4]), (16, [_L4R]), (17, [_L4R]), (18, [_L4R] * 3)],
    4: [(19, [_L4R]), (20, [_L4]), (21, [_L4]), (22, [_L4R]), (23, [_L4]), (24, [_L4])],
    5: [(25, [_L4]), (26, [_YNP] * 2), (27, [_L4]), (28, [_L4] * 3), (29, [_L4]), (30, [_L4] * 4)],
}
OIT_GROUPS = {
    "9": {"9.1": range(1, 5), "9.2": range(5, 12), "9.3": range(12, 14), "9.4": range(14, 17),
          "9.5": range(17, 21)},
    "10": {"10.1": range(21, 25), "10.2": range(25, 27)},
}


def _item(code: str, scales: list[str], indent: str) -> str:
    if len(scales) == 1:
        return f"{indent}- {{code: {code}, text_th: null, text_status: unknown, scale: {scales[0]}}}\n"
    text = f"{indent}- code: {code}\n{indent}  text_th: null\n{indent}  text_status: unknown\n"
    text += f"{indent}  scale: {scales[0]}\n{indent}  subquestions:\n"
    for n, scale in enumerate(scales):
        text += f"{indent}    - {{code: {code}.{n + 1}, scale: {scale}}}\n"
    return text


def _nacc_yaml() -> str:
    text = HEADER.format(id="sample-nacc", name="ตัวอย่างรูปแบบ ป.ป.ช.") + SCALES + LEVELS + "instruments:\n"
    text += "  - code: IIT\n    name_th: แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน\n    respondents: internal\n"
    text += "    weight: 30\n    aggregate: mean\n    indicators:\n"
    for ind, items in IIT_ITEMS.items():
        text += f'      - code: "{ind}"\n        name_th: ตัวชี้วัดที่ {ind}\n        items:\n'
        for n, scales in items:
            text += _item(f"i{n}", scales, " " * 10)
    text += "  - code: EIT\n    name_th: แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก\n    respondents: external\n"
    text += "    weight: 30\n    indicators:\n"
    for ind in (6, 7, 8):
        text += f'      - code: "{ind}"\n        name_th: ตัวชี้วัดที่ {ind}\n        items:\n'
        for n in range(5 * ind - 29, 5 * ind - 24):
            text += _item(f"e{n}", [_YNM if n == 3 else _L4], " " * 10)
    text += "  - code: OIT\n    name_th: แบบวัดการเปิดเผยข้อมูลสาธารณะ\n    respondents: agency\n"
    text += "    weight: 40\n    indicators:\n"
    for ind, groups in OIT_GROUPS.items():
        text += f'      - code: "{ind}"\n        name_th: ตัวชี้วัดที่ {ind}\n        aggregate: mean_subindicators\n'
        text += "        subindicators:\n"
        for group, numbers in groups.items():
            text += f'          - code: "{group}"\n            name_th: ตัวชี้วัดย่อย {group}\n            items:\n'
            for n in numbers:
                text += _item(f"o{n}", ["evidence"], " " * 14)
    return text


NACC_YAML = _nacc_yaml()

def _q(code: str, scale: str, extra: str = "") -> str:
    return f"{{code: {code}, text_th: null, text_status: unknown, scale: {scale}{extra}}}"


TINY_YAML = HEADER.format(id="tiny", name="ทดสอบ") + SCALES + LEVELS + f"""instruments:
  - code: IIT
    name_th: ภายใน
    respondents: internal
    weight: 30
    indicators:
      - code: "1"
        name_th: หนึ่ง
        items:
          - {_q("q1", "four_level")}
          - code: q2
            text_th: null
            text_status: unknown
            scale: yes_no_inverted
            subquestions: [{{code: q2a}}, {{code: q2b}}, {{code: q2c}}]
      - code: "2"
        name_th: สอง
        items:
          - {_q("q3", "four_level", ", not_applicable: true")}
  - code: EIT
    name_th: ภายนอก
    respondents: external
    weight: 30
    indicators:
      - code: "3"
        name_th: สาม
        items: [{_q("e1", "four_level")}, {_q("e2", "four_level")}]
  - code: OIT
    name_th: เปิดเผยข้อมูล
    respondents: agency
    weight: 40
    indicators:
      - code: "4"
        name_th: สี่
        subindicators:
          - {{code: "4.1", name_th: สี่หนึ่ง, items: [{_q("o1", "evidence")}, {_q("o2", "evidence")}]}}
          - {{code: "4.2", name_th: สี่สอง, items: [{_q("o3", "evidence")}]}}
      - code: "5"
        name_th: ห้า
        aggregate: mean_items
        subindicators:
          - {{code: "5.1", name_th: ห้าหนึ่ง, items: [{_q("o4", "evidence")}]}}
          - {{code: "5.2", name_th: ห้าสอง, items: [{_q("o5", "evidence")}, {_q("o6", "evidence")}, {_q("o7", "evidence")}]}}
"""

MINI_YAML = HEADER.format(id="mini", name="เล็ก") + SCALES + LEVELS + f"""instruments:
  - code: ALL
    name_th: ทั้งหมด
    respondents: internal
    weight: 100
    indicators:
      - code: "1"
        name_th: หนึ่ง
        items: [{_q("a", "four_level")}, {_q("b", "four_level")}]
"""

_CACHE: dict[str, dict] = {}


def load(text: str) -> dict:
    """A fresh copy of the parsed framework (tests may change it)."""
    if text not in _CACHE:
        _CACHE[text] = yaml.safe_load(text)
    return copy.deepcopy(_CACHE[text])


def nacc() -> dict:
    return load(NACC_YAML)


def tiny() -> dict:
    return load(TINY_YAML)


def mini() -> dict:
    return load(MINI_YAML)


def with_rounding(fw: dict, *, mode: str | None = None, stages: list[str] | None = None,
                  decimals: int | None = None) -> dict:
    """A copy of ``fw`` with other rounding settings."""
    fw = copy.deepcopy(fw)
    if mode is not None:
        fw["rounding"]["mode"] = mode
    if stages is not None:
        fw["rounding"]["stages"] = stages
    if decimals is not None:
        fw["rounding"]["decimals"] = decimals
    return fw
