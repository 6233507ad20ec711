"""Small framework files shared by the methodology tests.

``SAMPLE_YAML`` is a valid framework with the three ITA instruments: IIT with an item made of
sub-questions (one overriding the scale), EIT with a weighted mean of indicators, OIT with
sub-indicators, required elements, patterns, hints and data years; levels with
``min_each_instrument``, a second level set, sample rules, sources and notes. ``MINIMAL_YAML`` is the
smallest valid framework. ``sample_data()`` gives a fresh parsed copy to break in tests.
"""

from __future__ import annotations

from itadesk.methodology.schema import parse_text

MINIMAL_YAML = """\
schema: itadesk-framework/1
id: tiny
version: 1
scheme: tiny
fiscal_year: 2568
name_th: กรอบทดสอบ
status: official
sources: []
pass_mark: 85
rounding: {mode: half_even}
total: {rule: weighted_sum}
scales:
  evidence:
    type: choice
    options:
      - {value: has, score: 100, label_th: มี}
      - {value: has_not, score: 0, label_th: ไม่มี}
levels:
  - {code: pass, label_th: ผ่าน, min_total: 85}
  - {code: fail, label_th: ไม่ผ่าน, min_total: 0}
instruments:
  - code: OIT
    name_th: แบบวัดการเปิดเผยข้อมูลสาธารณะ
    respondents: agency
    weight: 100
    indicators:
      - code: "9"
        name_th: การเปิดเผยข้อมูล
        items:
          - {code: o1, text_th: โครงสร้าง, text_status: paraphrase, scale: evidence}
"""

SAMPLE_YAML = """\
schema: itadesk-framework/1
id: sample-ita-2568
version: 2
scheme: sample-ita
fiscal_year: 2568
name_th: กรอบการประเมินตัวอย่าง ปีงบประมาณ พ.ศ. 2568
name_en: Sample ITA framework, FY 2568
status: unofficial
note: |
  ใช้ทดสอบเท่านั้น
  Test data only.
confidence: M
sources:
  - {id: nacc-2564, title: รายงานผลการประเมิน ITA 2564, url: "https://example.org/ita-2564.pdf"}
  - {id: school-mirror, title: School site mirroring the 2568 checklist, note: public code}
pass_mark: 85
rounding:
  decimals: 2
  mode: half_even
  stages: [indicator, component, total]
  note: Inferred from the 2564 tables.
  confidence: M
  sources: [nacc-2564]
total: {rule: weighted_sum, confidence: H}
scales:
  four_level:
    type: choice
    options:
      - {value: 1, score: 0, label_th: น้อยที่สุดหรือไม่มีเลย, label_en: least or none}
      - {value: 2, score: 33.33, label_th: น้อย, label_en: little}
      - {value: 3, score: 66.67, label_th: มาก, label_en: much}
      - {value: 4, score: 100, label_th: มากที่สุด, label_en: most}
  yes_no_inverted:
    type: choice
    note: a "yes" means misconduct
    options:
      - {value: yes, score: 0, label_th: มี}
      - {value: no, score: 100, label_th: ไม่มี}
  evidence:
    type: choice
    options:
      - {value: has, score: 100, label_th: มี}
      - {value: has_not, score: 0, label_th: ไม่มี}
levels:
  - {code: excellent, label_th: ผ่านดีเยี่ยม, label_en: "Pass – excellent", min_total: 95, min_each_instrument: 95, passing: true, confidence: M}
  - {code: good, label_th: ผ่านดี, min_total: 85, min_each_instrument: 85, passing: true}
  - {code: pass, label_th: ผ่าน, min_total: 85, passing: true}
  - {code: improve, label_th: ต้องปรับปรุง, min_total: 70, passing: false}
  - {code: urgent, label_th: ต้องปรับปรุงโดยด่วน, min_total: 0, passing: false}
level_sets:
  letters:
    - {code: AA, label_th: ผ่านดีเยี่ยม, min_total: 95}
    - {code: A, label_th: ผ่าน, min_total: 85}
    - {code: F, label_th: ไม่ผ่าน, min_total: 0, confidence: L}
sample_rules:
  external: {percent: 10, min: 30, max: 400, all_below: 30, confirmed: false, sources: [nacc-2564]}
  internal: {min: 25, all_below: 25}
instruments:
  - code: IIT
    name_th: แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน
    name_en: Internal Integrity and Transparency Assessment
    respondents: internal
    weight: 30
    aggregate: mean
    indicators:
      - code: "1"
        name_th: การปฏิบัติหน้าที่
        items:
          - code: i1
            text_th: บุคลากรปฏิบัติงานตามขั้นตอนและระยะเวลาที่กำหนด
            text_status: verbatim_other_year
            wording_year: 2564
            scale: four_level
            subquestions:
              - {code: a, text_th: ตามขั้นตอนที่กำหนด}
              - {code: b, text_th: ตามระยะเวลาที่กำหนด}
          - code: i4
            text_th: null
            text_status: unknown
            scale: four_level
            note: three sub-questions, the third answered yes/no
            confidence: L
            subquestions:
              - {code: a}
              - {code: b}
              - {code: c, scale: yes_no_inverted}
      - code: "2"
        name_th: การใช้งบประมาณ
        items:
          - {code: i7, text_th: รู้แผนการใช้จ่ายงบประมาณประจำปี, text_status: paraphrase, scale: four_level, not_applicable: true}
  - code: EIT
    name_th: แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก
    respondents: external
    weight: 30
    aggregate: weighted_mean
    indicators:
      - code: "6"
        name_th: คุณภาพการดำเนินงาน
        weight: 2
        items:
          - {code: e1, text_th: ปฏิบัติงานตามขั้นตอน, text_en: follows the procedures, text_status: paraphrase, scale: four_level}
      - code: "7"
        name_th: ประสิทธิภาพการสื่อสาร
        weight: 1.5
        confidence: M
        items:
          - {code: e6, text_th: null, text_status: unknown, scale: four_level, order: 40}
  - code: OIT
    name_th: แบบวัดการเปิดเผยข้อมูลสาธารณะ
    respondents: agency
    weight: 40
    indicators:
      - code: "9"
        name_th: การเปิดเผยข้อมูล
        subindicators:
          - code: "9.1"
            name_th: ข้อมูลพื้นฐาน
            items:
              - code: o1
                text_th: โครงสร้างและอำนาจหน้าที่
                text_status: paraphrase
                scale: evidence
                time_rule: {rule: none, note: structure needs no year, confidence: M, sources: [school-mirror]}
                sources: [school-mirror]
                hints: {keywords: [โครงสร้าง, อำนาจหน้าที่], document_types: [html, pdf, image]}
                elements:
                  - code: structure
                    text_th: แผนภูมิโครงสร้างการแบ่งส่วนราชการ
                    keywords: [โครงสร้าง, แผนภูมิ]
                  - code: duties
                    text_th: อำนาจหน้าที่ของหน่วยงาน
                    text_en: powers and duties
                    patterns: ['อำนาจ\\s*หน้าที่', '(?i)duties;powers']
                    note: not the full text of a law
              - {code: o3, text_th: ข้อมูลการติดต่อ, text_status: paraphrase, scale: evidence}
          - code: "9.2"
            name_th: การจัดซื้อจัดจ้าง
            items:
              - {code: o12, text_th: รายการการจัดซื้อจัดจ้างและความก้าวหน้า, text_status: paraphrase, scale: evidence, time_rule: current_year}
      - code: "10"
        name_th: การป้องกันการทุจริต
        aggregate: mean_items
        subindicators:
          - code: "10.1"
            name_th: การดำเนินการเพื่อป้องกันการทุจริต
            items:
              - {code: o21, text_th: null, text_status: unknown, scale: evidence, data_year: previous, hints: {keywords: ["No Gift; Policy"]}}
"""


def sample_data() -> dict:
    """A fresh, parsed (not yet validated) copy of SAMPLE_YAML, to change in a test."""
    return parse_text(SAMPLE_YAML)


def minimal_data() -> dict:
    return parse_text(MINIMAL_YAML)
