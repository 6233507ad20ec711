"""A small framework with the NACC shape (IIT 1–5, EIT 6–8, OIT 9–10, weights 30/30/40) for the
Django-side tests: one item per IIT/EIT indicator, two OIT sub-indicators with two items each."""

from __future__ import annotations


def nacc_shaped(*, code="test-ita", version=1, fiscal_year=2567, pass_mark=85) -> str:
    def item(c, scale="four_level"):
        return f"""          - code: {c}
            text_th: null
            text_status: unknown
            scale: {scale}
"""

    def indicator(code, name):
        return f"""      - code: "{code}"
        name_th: {name}
        items:
{item("i" + code)}"""

    iit = "".join(indicator(str(n), f"ตัวชี้วัด {n}") for n in range(1, 6))
    eit = "".join(indicator(str(n), f"ตัวชี้วัด {n}") for n in range(6, 9))
    return f"""schema: itadesk-framework/1
id: {code}
version: {version}
scheme: test
fiscal_year: {fiscal_year}
name_th: เกณฑ์ทดสอบ {fiscal_year}
status: unofficial
sources:
  - {{id: tests, title: "A framework for the tests"}}
pass_mark: {pass_mark}
rounding: {{decimals: 2, mode: half_even, stages: [indicator, component, total]}}
total: {{rule: weighted_sum}}
scales:
  four_level:
    type: choice
    options:
      - {{value: 1, score: 0, label_th: น้อยที่สุดหรือไม่มีเลย}}
      - {{value: 2, score: 33.33, label_th: น้อย}}
      - {{value: 3, score: 66.67, label_th: มาก}}
      - {{value: 4, score: 100, label_th: มากที่สุด}}
  evidence:
    type: choice
    options:
      - {{value: has, score: 100, label_th: มี}}
      - {{value: has_not, score: 0, label_th: ไม่มี}}
levels:
  - {{code: good, label_th: ผ่านดี, min_total: 85, min_each_instrument: 85, passing: true}}
  - {{code: pass, label_th: ผ่าน, min_total: 85, passing: true}}
  - {{code: improve, label_th: ต้องปรับปรุง, min_total: 70, passing: false}}
  - {{code: urgent, label_th: ต้องปรับปรุงโดยด่วน, min_total: 0, passing: false}}
instruments:
  - code: IIT
    name_th: แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน
    respondents: internal
    weight: 30
    aggregate: mean
    indicators:
{iit}  - code: EIT
    name_th: แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก
    respondents: external
    weight: 30
    aggregate: mean
    indicators:
{eit}  - code: OIT
    name_th: แบบวัดการเปิดเผยข้อมูลสาธารณะ
    respondents: agency
    weight: 40
    aggregate: mean
    indicators:
      - code: "9"
        name_th: การเปิดเผยข้อมูล
        subindicators:
          - code: "9.1"
            name_th: ข้อมูลพื้นฐาน
            items:
              - {{code: o1, text_th: โครงสร้าง, text_status: paraphrase, scale: evidence, data_year: current}}
              - {{code: o2, text_th: ข้อมูลผู้บริหาร, text_status: paraphrase, scale: evidence, data_year: current}}
      - code: "10"
        name_th: การป้องกันการทุจริต
        subindicators:
          - code: "10.1"
            name_th: การป้องกันการทุจริต
            items:
              - {{code: o3, text_th: แผนป้องกันการทุจริต, text_status: paraphrase, scale: evidence, data_year: current}}
              - {{code: o4, text_th: รายงานผล, text_status: paraphrase, scale: evidence, data_year: previous}}
"""
