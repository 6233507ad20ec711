"""The layout of the XLSX authoring template (see :mod:`itadesk.methodology.xlsx`): its sheets, their
columns (Thai label, English key, kind of value, choices) and the spellings a cell may use."""

from __future__ import annotations

import re
from dataclasses import dataclass

from itadesk.framework import spec as S

HELP_SHEET = "help"


@dataclass(frozen=True)
class Col:
    """A column of a sheet. ``kind`` says how its cells are read and written: ``text``, ``code``,
    ``int``, ``number``, ``bool``, ``value`` (a whole number or text), ``list`` (``;``-separated or one
    per line), ``keywords`` (written one per line, read like ``list``), ``lines`` (one per line only),
    ``ints`` (whole numbers, like ``list``) or ``any`` (the framework sheet's value column)."""

    key: str
    th: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    wide: bool = False
    info: bool = False  # written for people to read, ignored when reading
    legacy: bool = False  # still read (older workbooks), never written


@dataclass(frozen=True)
class Sheet:
    name: str
    th: str
    about: str
    columns: tuple[Col, ...]
    freeze: str = "A2"

    @property
    def written(self) -> tuple[Col, ...]:
        return tuple(c for c in self.columns if not c.legacy)

    def column(self, key: str) -> Col:
        return next(c for c in self.columns if c.key == key)


NOTE = Col("note", "หมายเหตุ", wide=True)
CONFIDENCE = Col("confidence", "ความเชื่อมั่น (H/M/L)", choices=S.CONFIDENCES)
SOURCES = Col("sources", "แหล่งที่มา (รหัส)", "list")
COMMON = (NOTE, CONFIDENCE, SOURCES)

#: The rows of the ``framework`` sheet: (key, Thai label, kind, choices).
FRAMEWORK_ROWS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("schema", "รูปแบบไฟล์ (ห้ามแก้)", "text", ()),
    ("id", "รหัสกรอบการประเมิน (a-z 0-9 -)", "text", ()),
    ("version", "ฉบับที่ (แก้ไขแล้วให้เพิ่มเลข)", "int", ()),
    ("scheme", "ชุดการประเมิน", "text", ()),
    ("fiscal_year", "ปีงบประมาณ พ.ศ. (ว่าง = ไม่ผูกกับปีใดปีหนึ่ง)", "int", ()),
    ("years", "ปีงบประมาณที่ใช้ได้ (เมื่อไม่ผูกกับปีเดียว)", "ints", ()),
    ("name_th", "ชื่อภาษาไทย", "text", ()),
    ("name_en", "ชื่อภาษาอังกฤษ", "text", ()),
    ("status", "สถานะ (official = ทางการ, unofficial = เรียบเรียงจากแหล่งอื่น)", "text", S.STATUSES),
    ("note", "หมายเหตุ", "text", ()),
    ("confidence", "ความเชื่อมั่น (H/M/L)", "text", S.CONFIDENCES),
    ("pass_mark", "คะแนนผ่านเกณฑ์", "number", ()),
    ("rounding.decimals", "การปัดเศษ: จำนวนตำแหน่งทศนิยม", "int", ()),
    ("rounding.mode", "การปัดเศษ: วิธีปัด", "text", S.ROUNDING_MODES),
    ("rounding.stages", "การปัดเศษ: ระดับที่ปัดก่อนนำไปคำนวณต่อ", "list", ()),
    ("rounding.note", "การปัดเศษ: หมายเหตุ", "text", ()),
    ("rounding.confidence", "การปัดเศษ: ความเชื่อมั่น", "text", S.CONFIDENCES),
    ("rounding.sources", "การปัดเศษ: แหล่งที่มา", "list", ()),
    ("total.rule", "คะแนนรวม: วิธีรวมคะแนนเครื่องมือ", "text", S.TOTAL_RULES),
    ("total.note", "คะแนนรวม: หมายเหตุ", "text", ()),
    ("total.confidence", "คะแนนรวม: ความเชื่อมั่น", "text", S.CONFIDENCES),
    ("total.sources", "คะแนนรวม: แหล่งที่มา", "list", ()),
)
_FRAMEWORK_KINDS = {key: (kind, choices) for key, _, kind, choices in FRAMEWORK_ROWS}

SHEETS: tuple[Sheet, ...] = (
    Sheet("framework", "ข้อมูลกรอบการประเมิน",
          "ข้อมูลทั่วไป คะแนนผ่าน การปัดเศษ และวิธีรวมคะแนน (แถวละหนึ่งรายการ) / identity, pass mark, rounding, total",
          (Col("key", "คีย์", "text", required=True), Col("label", "รายการ", info=True, wide=True),
           Col("value", "ค่า", "any", required=True, wide=True)), freeze="C2"),
    Sheet("sources", "แหล่งที่มา", "แหล่งข้อมูลที่อ้างถึงด้วยรหัสในคอลัมน์ sources / sources cited by id",
          (Col("id", "รหัสแหล่งที่มา", required=True), Col("title", "ชื่อเอกสาร/แหล่งข้อมูล", required=True, wide=True),
           Col("url", "ที่อยู่เว็บ (URL)", wide=True), NOTE)),
    Sheet("scales", "มาตรวัดคำตอบ", "แถวละหนึ่งตัวเลือกคำตอบ / one row per answer option",
          (Col("scale", "ชื่อมาตรวัด", "code", required=True), Col("type", "ชนิด", choices=S.SCALE_TYPES),
           Col("value", "ค่าคำตอบ", "value", required=True), Col("score", "คะแนน (0-100)", "number", required=True),
           Col("label_th", "คำตอบภาษาไทย", required=True, wide=True), Col("label_en", "คำตอบภาษาอังกฤษ", wide=True),
           *COMMON,
           Col("scale_note", "หมายเหตุของมาตรวัด", wide=True),
           Col("scale_confidence", "ความเชื่อมั่นของมาตรวัด", choices=S.CONFIDENCES),
           Col("scale_sources", "แหล่งที่มาของมาตรวัด", "list")), freeze="C2"),
    Sheet("levels", "ระดับผลการประเมิน",
          "เรียงจากดีที่สุด ชุดว่าง = ระดับหลัก / best first; empty set = the main levels",
          (Col("set", "ชุดระดับ (ว่าง = ระดับหลัก)", "code"), Col("code", "รหัสระดับ", "code", required=True),
           Col("label_th", "ชื่อระดับภาษาไทย", required=True, wide=True), Col("label_en", "ชื่อระดับภาษาอังกฤษ", wide=True),
           Col("min_total", "คะแนนรวมขั้นต่ำ", "number", required=True),
           Col("min_each_instrument", "คะแนนขั้นต่ำของทุกเครื่องมือ", "number"),
           Col("passing", "ผ่านเกณฑ์ (TRUE/FALSE)", "bool"), *COMMON), freeze="C2"),
    Sheet("sample_rules", "จำนวนผู้ตอบขั้นต่ำ", "กฎจำนวนผู้ตอบขั้นต่ำ / minimum respondents",
          (Col("respondents", "กลุ่มผู้ตอบ", required=True, choices=S.SAMPLE_GROUPS),
           Col("percent", "ร้อยละของประชากร", "number"), Col("min", "ไม่น้อยกว่า (คน)", "int"),
           Col("max", "ไม่เกิน (คน)", "int"), Col("all_below", "ทุกคน ถ้ามีน้อยกว่า (คน)", "int"),
           Col("confirmed", "ยืนยันแล้ว (TRUE/FALSE)", "bool"), *COMMON)),
    Sheet("instruments", "เครื่องมือการประเมิน", "เช่น IIT EIT OIT / e.g. IIT, EIT, OIT",
          (Col("code", "รหัสเครื่องมือ", "code", required=True), Col("name_th", "ชื่อเครื่องมือภาษาไทย", required=True, wide=True),
           Col("name_en", "ชื่อเครื่องมือภาษาอังกฤษ", wide=True),
           Col("respondents", "ผู้ตอบ", required=True, choices=S.RESPONDENTS),
           Col("weight", "น้ำหนัก (ร้อยละ)", "number", required=True),
           Col("aggregate", "วิธีรวมคะแนนตัวชี้วัด", choices=S.INSTRUMENT_AGGREGATES), *COMMON), freeze="B2"),
    Sheet("indicators", "ตัวชี้วัด", "ตัวชี้วัดของแต่ละเครื่องมือ / indicators of each instrument",
          (Col("instrument", "รหัสเครื่องมือ", "code", required=True), Col("code", "รหัสตัวชี้วัด", "code", required=True),
           Col("name_th", "ชื่อตัวชี้วัดภาษาไทย", required=True, wide=True), Col("name_en", "ชื่อตัวชี้วัดภาษาอังกฤษ", wide=True),
           Col("aggregate", "วิธีรวมคะแนน", choices=S.INDICATOR_AGGREGATES),
           Col("weight", "น้ำหนัก (เฉพาะ weighted_mean)", "number"), *COMMON), freeze="C2"),
    Sheet("subindicators", "ตัวชี้วัดย่อย", "ตัวชี้วัดย่อยของแต่ละตัวชี้วัด / sub-indicators",
          (Col("indicator", "รหัสตัวชี้วัด", "code", required=True), Col("code", "รหัสตัวชี้วัดย่อย", "code", required=True),
           Col("name_th", "ชื่อตัวชี้วัดย่อยภาษาไทย", required=True, wide=True),
           Col("name_en", "ชื่อตัวชี้วัดย่อยภาษาอังกฤษ", wide=True), *COMMON), freeze="C2"),
    Sheet("items", "ข้อคำถาม/ข้อการประเมิน",
          "แถวละหนึ่งข้อ ระบุตัวชี้วัด (และตัวชี้วัดย่อยถ้ามี) / one row per item",
          (Col("indicator", "รหัสตัวชี้วัด", "code", required=True), Col("subindicator", "รหัสตัวชี้วัดย่อย", "code"),
           Col("code", "รหัสข้อ", "code", required=True),
           Col("text_th", "ข้อความภาษาไทย (ว่าง = ไม่ทราบถ้อยคำ)", required=True, wide=True),
           Col("text_en", "ข้อความภาษาอังกฤษ", wide=True),
           Col("text_status", "ที่มาของถ้อยคำ", required=True, choices=S.TEXT_STATUSES),
           Col("wording_year", "ปีของถ้อยคำ (พ.ศ.)", "int"), Col("scale", "มาตรวัดคำตอบ", "code", required=True),
           Col("not_applicable", "ตอบว่าไม่เกี่ยวข้องได้ (TRUE/FALSE)", "bool"),
           Col("order", "ลำดับใน ITAS", "int"),
           Col("time_rule", "เงื่อนไขเวลาของข้อมูล (OIT)", choices=S.TIME_RULES),
           Col("time_rule_note", "เงื่อนไขเวลา: หมายเหตุ", wide=True),
           Col("time_rule_confidence", "เงื่อนไขเวลา: ความเชื่อมั่น (H/M/L)", choices=S.CONFIDENCES),
           Col("time_rule_sources", "เงื่อนไขเวลา: แหล่งที่มา (รหัส)", "list"),
           Col("data_year", "ปีของข้อมูล แบบเดิม (current/previous/any)", choices=S.DATA_YEARS, legacy=True),
           Col("hint_keywords", "คำค้นช่วยตรวจ (OIT)", "keywords", wide=True),
           Col("hint_document_types", "ชนิดเอกสาร (OIT)", "list"), *COMMON), freeze="D2"),
    Sheet("subquestions", "ข้อคำถามย่อย", "ข้อย่อยของแต่ละข้อ ตามลำดับ / sub-questions, in order",
          (Col("item", "รหัสข้อ", "code", required=True), Col("code", "รหัสข้อย่อย", "code", required=True),
           Col("text_th", "ข้อความภาษาไทย", wide=True), Col("text_en", "ข้อความภาษาอังกฤษ", wide=True),
           Col("scale", "มาตรวัด (ถ้าต่างจากข้อหลัก)", "code"), *COMMON), freeze="C2"),
    Sheet("elements", "องค์ประกอบที่ต้องมี (OIT)", "องค์ประกอบที่ต้องมีของแต่ละข้อ OIT / required elements",
          (Col("item", "รหัสข้อ", "code", required=True), Col("code", "รหัสองค์ประกอบ", "code", required=True),
           Col("text_th", "องค์ประกอบภาษาไทย", required=True, wide=True), Col("text_en", "องค์ประกอบภาษาอังกฤษ", wide=True),
           Col("keywords", "คำสำคัญ (บรรทัดละคำ)", "keywords", wide=True),
           Col("patterns", "รูปแบบ regex (บรรทัดละรูปแบบ)", "lines", wide=True),
           Col("detect", f"ตรวจจากสิ่งที่ไม่ใช่คำ ({', '.join(S.DETECTORS)}; ดูแผ่น help)", "list"),
           Col("min_count", "จำนวนขั้นต่ำที่ต้องพบ", "int"),
           *COMMON), freeze="C2"),
)
SHEET_BY_NAME = {s.name: s for s in SHEETS}

#: What each detector of an element's ``detect`` finds, in Thai and English: the help sheet lists them, so
#: whoever fills the ``elements`` sheet from the NACC's manual knows which to name (every name in
#: ``spec.DETECTORS``, in its order).
DETECTOR_HELP: dict[str, tuple[str, str]] = {
    "image": ("รูปภาพในเนื้อหาของหน้า (ไม่นับเมนู หัว และท้ายหน้า)",
              "an image in the page's content (not in the menus, header or footer)"),
    "person_photo": ("รูปถ่ายบุคคลที่มีชื่อ (คำนำหน้า ชื่อ นามสกุล) และตำแหน่งกำกับอยู่ข้างรูป เช่น รูปผู้บริหาร",
                     "a person's photo with a name (title, first and family name) and a position beside it, "
                     "e.g. an executive's photo"),
    "table": ("ตารางในเนื้อหา", "a table in the content"),
    "phone": ("หมายเลขโทรศัพท์", "a phone number"),
    "email": ("ที่อยู่อีเมล", "an e-mail address"),
    "map": ("แผนที่ที่ฝังหรือลิงก์ไว้ (Google Maps, OpenStreetMap)", "an embedded or linked map (Google Maps, OpenStreetMap)"),
    "pdf_link": ("ลิงก์ไปยังไฟล์ PDF ในเนื้อหา", "a link to a PDF file in the content"),
    "office_link": ("ลิงก์ไปยังไฟล์ Word/Excel/PowerPoint ในเนื้อหา", "a link to a Word, Excel or PowerPoint file in the content"),
}

_TRUE = {"true", "t", "yes", "y", "1", "ใช่", "จริง", "ถูก"}
_FALSE = {"false", "f", "no", "n", "0", "ไม่ใช่", "เท็จ", "ไม่"}
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_GROUPED_RE = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EMPTY = object()

