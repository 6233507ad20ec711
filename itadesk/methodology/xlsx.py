"""The XLSX authoring template of framework files, for people who maintain a framework in Excel.

``framework_to_xlsx(fw, target)`` writes a loaded framework as a workbook with one sheet per kind of
thing (framework, sources, scales, levels, sample_rules, instruments, indicators, subindicators, items,
subquestions, elements) plus a ``help`` sheet; ``framework_from_xlsx(source)`` reads such a workbook back
into the plain dict of the YAML format, to be checked with :func:`~itadesk.methodology.schema.validate`
or completed with :func:`~itadesk.methodology.schema.load_data`; ``load_xlsx`` does both. For every valid
framework ``fw`` (as loaded, defaults filled in), ``framework_from_xlsx(framework_to_xlsx(fw)) == fw``.

Each sheet has one header row; a header cell holds the Thai label and, on a second line, the English key
(either alone is accepted when reading). Rows refer to each other by code: an indicator row names its
instrument, an item row its indicator (and sub-indicator), a sub-question or element row its item. Lists
(keywords, source ids, rounding stages) are written one per line or separated by ``;`` (regular
expressions: one per line only). Numbers may be typed with Thai digits (``๘๕``). Empty cells are
"not given". A problem in the workbook is reported with its sheet, row and column; a framework error
found afterwards is reported with its framework path *and* the cell it comes from.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itadesk.core.tabular import cell_text, compact_key, display_width
from itadesk.core.thai import arabic_digits
from itadesk.methodology import schema as S
from itadesk.methodology.schema import FieldError, FrameworkError

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
           Col("detect", "ตรวจจากสิ่งที่ไม่ใช่คำ (image, table, phone, email, map, pdf_link, office_link)", "list"),
           Col("min_count", "จำนวนขั้นต่ำที่ต้องพบ", "int"),
           *COMMON), freeze="C2"),
)
SHEET_BY_NAME = {s.name: s for s in SHEETS}

_TRUE = {"true", "t", "yes", "y", "1", "ใช่", "จริง", "ถูก"}
_FALSE = {"false", "f", "no", "n", "0", "ไม่ใช่", "เท็จ", "ไม่"}
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_GROUPED_RE = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EMPTY = object()


# ================================================================================================ writing


def framework_to_xlsx(fw: dict, path_or_stream) -> None:
    """Write a loaded framework (see :func:`itadesk.methodology.schema.load_file`) to ``path_or_stream``:
    a path or a binary file object."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    _write_help(workbook)
    for sheet in SHEETS:
        _write_sheet(workbook, sheet, list(_ROWS[sheet.name](fw)))
    if isinstance(path_or_stream, Path):
        path_or_stream = str(path_or_stream)
    workbook.save(path_or_stream)


def framework_to_xlsx_bytes(fw: dict) -> bytes:
    buffer = io.BytesIO()
    framework_to_xlsx(fw, buffer)
    return buffer.getvalue()


def _rows_framework(fw: dict):
    for key, label, _kind, _choices in FRAMEWORK_ROWS:
        parent, _, child = key.partition(".")
        value = (fw.get(parent) or {}).get(child) if child else fw.get(key)
        yield {"key": key, "label": label, "value": value}


def _rows_sources(fw: dict):
    yield from fw.get("sources", [])


def _rows_scales(fw: dict):
    for name, scale in fw.get("scales", {}).items():
        for index, option in enumerate(scale.get("options", [])):
            row = {"scale": name, "type": scale.get("type"), **option}
            if index == 0:
                row.update(scale_note=scale.get("note"), scale_confidence=scale.get("confidence"),
                           scale_sources=scale.get("sources"))
            yield row


def _rows_levels(fw: dict):
    for level in fw.get("levels", []):
        yield {"set": None, **level}
    for name, levels in fw.get("level_sets", {}).items():
        for level in levels:
            yield {"set": name, **level}


def _rows_sample_rules(fw: dict):
    for group, rule in fw.get("sample_rules", {}).items():
        yield {"respondents": group, **rule}


def _rows_instruments(fw: dict):
    yield from fw.get("instruments", [])


def _rows_indicators(fw: dict):
    for instrument in fw.get("instruments", []):
        for indicator in instrument.get("indicators", []):
            yield {"instrument": instrument["code"], **indicator}


def _rows_subindicators(fw: dict):
    for instrument in fw.get("instruments", []):
        for indicator in instrument.get("indicators", []):
            for sub in indicator.get("subindicators", []):
                yield {"indicator": indicator["code"], **sub}


def _file_items(fw: dict):
    for instrument in fw.get("instruments", []):
        for indicator in instrument.get("indicators", []):
            for sub in indicator.get("subindicators") or [None]:
                for item in (sub or indicator).get("items", []):
                    yield indicator, sub, item


def _rows_items(fw: dict):
    for indicator, sub, item in _file_items(fw):
        hints = item.get("hints") or {}
        rule = item.get("time_rule") or {}
        if isinstance(rule, str):
            rule = {"rule": rule}
        yield {"indicator": indicator["code"], "subindicator": sub["code"] if sub else None, **item,
               "hint_keywords": hints.get("keywords"), "hint_document_types": hints.get("document_types"),
               "time_rule": rule.get("rule"), "time_rule_note": rule.get("note"),
               "time_rule_confidence": rule.get("confidence"), "time_rule_sources": rule.get("sources")}


def _rows_subquestions(fw: dict):
    for _indicator, _sub, item in _file_items(fw):
        for question in item.get("subquestions", []):
            yield {"item": item["code"], **question}


def _rows_elements(fw: dict):
    for _indicator, _sub, item in _file_items(fw):
        for element in item.get("elements", []):
            yield {"item": item["code"], **element}


_ROWS = {
    "framework": _rows_framework, "sources": _rows_sources, "scales": _rows_scales, "levels": _rows_levels,
    "sample_rules": _rows_sample_rules, "instruments": _rows_instruments, "indicators": _rows_indicators,
    "subindicators": _rows_subindicators, "items": _rows_items, "subquestions": _rows_subquestions,
    "elements": _rows_elements,
}


def _cell_value(kind: str, value: Any) -> tuple[Any, bool]:
    """(what to put in the cell, whether it must be stored as text)."""
    if value is None or value == []:
        return None, False
    if kind in ("list", "ints"):
        return "; ".join(str(v) for v in value), True
    if kind == "keywords":
        text = "\n".join(str(v) for v in value)
        if len(value) == 1 and ";" in text:
            text += "\n"  # one keyword containing ";": the line break keeps it from being split
        return text, True
    if kind == "lines":
        return "\n".join(value), True
    if isinstance(value, str):
        return value, True
    return value, False


def _write_sheet(workbook, sheet: Sheet, rows: list[dict]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = workbook.create_sheet(sheet.name)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE6F0")
    top = Alignment(vertical="top")
    wrap = Alignment(vertical="top", wrap_text=True)
    widths = []
    for index, col in enumerate(sheet.written, start=1):
        cell = ws.cell(row=1, column=index, value=f"{col.th}\n{col.key}")
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        widths.append(max(display_width(col.th), display_width(col.key)))
    for number, row in enumerate(rows, start=2):
        for index, col in enumerate(sheet.written, start=1):
            kind = col.kind
            if sheet.name == "framework" and col.key == "value":
                kind = _FRAMEWORK_KINDS[row["key"]][0]
            value, as_text = _cell_value(kind, row.get(col.key))
            if value is None:
                continue
            if isinstance(value, str):
                value = _ILLEGAL_XML.sub("", value)
            cell = ws.cell(row=number, column=index)
            cell.value = value
            if as_text:  # never a formula, and codes such as 9.10 stay text when edited
                cell.data_type = "s"
                cell.number_format = "@"
            cell.alignment = wrap if (col.wide or "\n" in str(value)) else top
            widths[index - 1] = max(widths[index - 1], display_width(cell_text(value)))
    for index, col in enumerate(sheet.written, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = min(max(widths[index - 1] + 2, 8), 60 if col.wide else 30)
        if col.kind in ("text", "code", "list", "keywords", "lines", "value") and col.key != "value":
            ws.column_dimensions[letter].number_format = "@"
        if col.choices:
            _add_choices(ws, DataValidation, col.choices, f"{letter}2:{letter}{max(len(rows) + 200, 500)}")
    if sheet.name == "framework":
        value_letter = get_column_letter(len(sheet.written))
        for number, row in enumerate(rows, start=2):
            choices = _FRAMEWORK_KINDS[row["key"]][1]
            if choices:
                _add_choices(ws, DataValidation, choices, f"{value_letter}{number}")
            ws.cell(row=number, column=1).font = bold
    ws.freeze_panes = sheet.freeze
    ws.row_dimensions[1].height = 32


def _add_choices(ws, validation_class, choices, cells: str) -> None:
    listed = ", ".join(choices)
    validation = validation_class(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                  showErrorMessage=True, errorTitle="ค่าที่ใช้ได้ / allowed values",
                                  error=f"เลือกจาก / choose from: {listed}")
    ws.add_data_validation(validation)
    validation.add(cells)


def _write_help(workbook) -> None:
    from openpyxl.styles import Alignment, Font

    ws = workbook.create_sheet(HELP_SHEET)
    lines = [
        ("แม่แบบกรอบการประเมิน (ITA Desk)", "Framework authoring template (ITA Desk)"),
        ("แก้ไขในแผ่นงานต่าง ๆ แล้วตรวจด้วยคำสั่ง itadesk framework validate FILE.xlsx",
         "Edit the sheets, then check with: itadesk framework validate FILE.xlsx"),
        ("แปลงเป็นไฟล์ YAML ด้วย itadesk framework from-xlsx FILE.xlsx OUT.yaml",
         "Convert to YAML with: itadesk framework from-xlsx FILE.xlsx OUT.yaml"),
        ("ห้ามเปลี่ยนชื่อแผ่นงานหรือลบแผ่นงาน แผ่นงานที่ขึ้นต้นด้วย _ จะถูกข้าม",
         "Keep every sheet and its name; sheets whose name starts with _ are ignored"),
        ("เซลล์ว่าง = ไม่ระบุ รายการหลายค่าให้ใส่บรรทัดละค่า หรือคั่นด้วย ;",
         "An empty cell means not given; put lists one per line or separated by ;"),
        ("พิมพ์ตัวเลขไทยได้ (๘๕) รายละเอียดรูปแบบอยู่ใน docs/framework-format.md",
         "Thai digits are accepted (๘๕); the format is described in docs/framework-format.md"),
        ("", ""),
        ("แผ่นงาน / sheet", "เนื้อหา / contents"),
    ]
    for th, en in lines:
        ws.append([th, en])
    for sheet in SHEETS:
        ws.append([sheet.name, f"{sheet.th}: {sheet.about}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws["A8"].font = ws["B8"].font = Font(bold=True)
    ws.column_dimensions["A"].width = 70
    ws.column_dimensions["B"].width = 90
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)


# ================================================================================================ reading


@dataclass
class _Record:
    """One data row: converted values by column key (empty cells left out) and where each came from."""

    sheet: Sheet
    row: int
    values: dict[str, Any]
    letters: dict[str, str]

    def where(self, key: str | None = None) -> str:
        if key is None or key not in self.letters:
            return f"sheet {self.sheet.name}, row {self.row}"
        return f"sheet {self.sheet.name}, row {self.row}, column {self.letters[key]} ({key})"


class _Reader:
    def __init__(self):
        self.errors: list[FieldError] = []
        self.places: dict[str, str] = {}

    def error(self, where: str, th: str, en: str) -> None:
        self.errors.append(FieldError(where, f"{th} / {en}"))

    # --- sheets and cells ------------------------------------------------------------------------

    def read(self, path_or_stream) -> dict:
        import openpyxl

        if isinstance(path_or_stream, bytes | bytearray):
            path_or_stream = io.BytesIO(path_or_stream)
        elif isinstance(path_or_stream, Path):
            path_or_stream = str(path_or_stream)
        try:
            workbook = openpyxl.load_workbook(path_or_stream, read_only=True, data_only=True)
        except OSError:
            raise
        except Exception as exc:  # not a zip, damaged XML, …
            raise FrameworkError([FieldError("(file)", "เปิดไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ .xlsx / "
                                                       f"cannot open the workbook: it is damaged or not an .xlsx "
                                                       f"file ({type(exc).__name__})")]) from None
        try:
            sheets = self.sheets(workbook)
        finally:
            workbook.close()
        if self.errors:
            raise FrameworkError(self.errors)
        data = self.build(sheets)
        if self.errors:
            raise FrameworkError(self.errors)
        return data

    def sheets(self, workbook) -> dict[str, list[_Record]]:
        found = {}
        for ws in workbook.worksheets:
            name = ws.title.strip()
            if name.casefold() in (s.name for s in SHEETS):
                found[name.casefold()] = ws
            elif name.casefold() != HELP_SHEET and not name.startswith("_"):
                expected = ", ".join(s.name for s in SHEETS)
                self.error(f"sheet {ws.title}",
                           f"ไม่รู้จักแผ่นงาน '{ws.title}' (แผ่นงานของแม่แบบ: {expected}) ให้ลบหรือตั้งชื่อขึ้นต้นด้วย _",
                           f"unknown sheet '{ws.title}' (the template's sheets are: {expected}); delete it or "
                           f"start its name with _ to have it ignored")
        records = {}
        for sheet in SHEETS:
            ws = found.get(sheet.name)
            if ws is None:
                self.error(f"sheet {sheet.name}", f"ไม่มีแผ่นงาน '{sheet.name}' ({sheet.th}) ซึ่งต้องมี (ว่างได้)",
                           f"the workbook has no sheet '{sheet.name}' ({sheet.th}); keep it, even empty")
                continue
            records[sheet.name] = self.records(sheet, ws)
        return records

    def records(self, sheet: Sheet, ws) -> list[_Record]:
        from openpyxl.utils import get_column_letter

        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        rows = [(n, list(cells)) for n, cells in enumerate(ws.iter_rows(values_only=True), start=1)]
        rows = [(n, cells) for n, cells in rows if any(not _blank(c) for c in cells)]
        if not rows:
            headers, header_row, rows = [], 1, []
        else:
            header_row, headers = rows[0][0], [cell_text(c) for c in rows[0][1]]
            rows = rows[1:]
        columns: dict[str, int] = {}
        lookup = {}
        for col in sheet.columns:
            for name in (col.key, col.th):
                lookup.setdefault(compact_key(name), col)
        for index, header in enumerate(headers):
            letter = get_column_letter(index + 1)
            if not header.strip():
                if any(index < len(cells) and not _blank(cells[index]) for _, cells in rows):
                    self.error(f"sheet {sheet.name}, row {header_row}, column {letter}",
                               f"คอลัมน์ {letter} มีข้อมูลแต่ไม่มีหัวคอลัมน์", f"column {letter} has values but no header")
                continue
            candidates = [header, *header.splitlines()]
            col = next((lookup[k] for k in map(compact_key, candidates) if k in lookup), None)
            shown = " ".join(header.split())
            if col is None:
                accepted = ", ".join(c.key for c in sheet.columns)
                self.error(f"sheet {sheet.name}, row {header_row}, column {letter}",
                           f"ไม่รู้จักหัวคอลัมน์ '{shown}' (คอลัมน์ที่ใช้ได้: {accepted})",
                           f"unknown column '{shown}' (the columns of this sheet are: {accepted})")
            elif col.key in columns:
                first = get_column_letter(columns[col.key] + 1)
                self.error(f"sheet {sheet.name}, row {header_row}, column {letter}",
                           f"คอลัมน์ {col.key} ซ้ำกับคอลัมน์ {first}", f"column {col.key} repeats column {first}")
            else:
                columns[col.key] = index
        for col in sheet.columns:
            if col.required and col.key not in columns:
                self.error(f"sheet {sheet.name}, row {header_row}",
                           f"ไม่มีคอลัมน์ '{col.key}' ({col.th}) ซึ่งต้องมี",
                           f"the required column '{col.key}' ({col.th}) is missing")
        records = []
        letters = {key: get_column_letter(index + 1) for key, index in columns.items()}
        for number, cells in rows:
            record = _Record(sheet, number, {}, letters)
            for key, index in columns.items():
                col = sheet.column(key)
                raw = cells[index] if index < len(cells) else None
                if col.info or col.kind == "any":
                    if not _blank(raw):
                        record.values[key] = raw
                    continue
                value = self.convert(col.kind, raw, record, key)
                if value is not _EMPTY:
                    record.values[key] = value
            if record.values:
                records.append(record)
        return records

    def convert(self, kind: str, raw: Any, record: _Record, key: str) -> Any:
        """A cell's value as the framework wants it, _EMPTY for an empty cell; errors name the cell."""
        if _blank(raw):
            return _EMPTY
        where = record.where(key)
        shown = cell_text(raw).strip()
        if kind in ("text", "code"):
            text = cell_text(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
            if kind == "code" and "\n" in text:
                self.error(where, f"รหัสต้องอยู่บรรทัดเดียว แต่พบ '{shown}'", f"a code must be on one line, found '{shown}'")
                return _EMPTY
            return text
        if kind == "int":
            number = _to_number(raw)
            if number is None:
                self.error(where, f"ต้องเป็นจำนวนเต็ม แต่พบ '{shown}'", f"must be a whole number, found '{shown}'")
                return _EMPTY
            if isinstance(number, float):
                if not number.is_integer():
                    self.error(where, f"ต้องเป็นจำนวนเต็ม แต่พบ '{shown}'", f"must be a whole number, found '{shown}'")
                    return _EMPTY
                number = int(number)
            return number
        if kind == "number":
            number = _to_number(raw)
            if number is None:
                self.error(where, f"ต้องเป็นตัวเลข แต่พบ '{shown}'", f"must be a number, found '{shown}'")
                return _EMPTY
            return number
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            word = arabic_digits(shown).casefold()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
            self.error(where, f"ต้องเป็น TRUE หรือ FALSE (ใช่/ไม่ใช่) แต่พบ '{shown}'",
                       f"must be TRUE or FALSE, found '{shown}'")
            return _EMPTY
        if kind == "value":
            if isinstance(raw, bool):
                self.error(where, f"ค่าคำตอบต้องเป็นข้อความหรือจำนวนเต็ม แต่พบ {shown}",
                           f"an answer value must be text or a whole number, found {shown}")
                return _EMPTY
            if isinstance(raw, int | float):
                if isinstance(raw, float) and not raw.is_integer():
                    self.error(where, f"ค่าคำตอบต้องเป็นข้อความหรือจำนวนเต็ม แต่พบ {shown}",
                               f"an answer value must be text or a whole number, found {shown}")
                    return _EMPTY
                return int(raw)
            text = shown
            if S.INTEGER_TEXT_RE.match(text):
                return int(arabic_digits(text))
            return text
        if kind in ("list", "keywords", "lines", "ints"):
            text = cell_text(raw).replace("\r\n", "\n").replace("\r", "\n")
            if kind == "lines" or "\n" in text:
                parts = text.split("\n")
            else:
                parts = text.split(";")
            parts = [p.strip() for p in parts if p.strip()]
            if kind != "ints":
                return parts
            result = []
            for part in parts:
                number = _to_number(part)
                if number is None or (isinstance(number, float) and not number.is_integer()):
                    self.error(where, f"ต้องเป็นจำนวนเต็ม แต่พบ '{part}'", f"must be whole numbers, found '{part}'")
                    return _EMPTY
                result.append(int(number))
            return result
        raise ValueError(f"unknown column kind {kind!r}")

    # --- building the framework ----------------------------------------------------------------

    def fill(self, out: dict, record: _Record, keys: tuple[str, ...], path: str) -> dict:
        """Copy the record's values for ``keys`` into ``out``, remembering where each comes from."""
        for key in keys:
            if key in record.values:
                out[key] = record.values[key]
            if key in record.letters:
                self.places.setdefault(f"{path}.{key}", record.where(key))
        self.places.setdefault(path, record.where())
        return out

    def require(self, record: _Record, key: str, what_th: str, what_en: str) -> str | None:
        value = record.values.get(key)
        if value is None:
            self.error(record.where(key), f"ต้องระบุ{what_th}", f"the {what_en} must be given")
        return value

    def build(self, sheets: dict[str, list[_Record]]) -> dict:
        data: dict = {}
        self.build_framework(sheets["framework"], data)
        data["sources"] = []
        for index, record in enumerate(sheets["sources"]):
            data["sources"].append(self.fill({}, record, S.KEYS["source"], f"sources[{index}]"))
        data["scales"] = self.build_scales(sheets["scales"])
        self.build_levels(sheets["levels"], data)
        self.build_sample_rules(sheets["sample_rules"], data)
        self.build_instruments(sheets, data)
        return data

    def build_framework(self, records: list[_Record], data: dict) -> None:
        seen: dict[str, int] = {}
        for record in records:
            key = record.values.get("key")
            if key is None:
                if "value" in record.values:
                    self.error(record.where("key"), "แถวนี้มีค่าแต่ไม่มีคีย์", "this row has a value but no key")
                continue
            if key not in _FRAMEWORK_KINDS:
                known = [k for k, *_ in FRAMEWORK_ROWS]
                hint = S.did_you_mean(key, known)
                self.error(record.where("key"), f"ไม่รู้จักคีย์ '{key}'{hint}", f"unknown key '{key}'{hint}")
                continue
            if key in seen:
                self.error(record.where("key"), f"คีย์ '{key}' ซ้ำกับแถว {seen[key]}",
                           f"the key '{key}' is also on row {seen[key]}")
                continue
            seen[key] = record.row
            kind = _FRAMEWORK_KINDS[key][0]
            value = self.convert(kind, record.values.get("value"), record, "value")
            parent, _, child = key.partition(".")
            if child:
                target = data.setdefault(parent, {})
                self.places.setdefault(parent, record.where())
            else:
                target, child = data, key
            if value is not _EMPTY:
                target[child] = value
            elif key == "fiscal_year":
                target[child] = None  # an empty fiscal year is the null of a scheme not tied to one year
            self.places.setdefault(key, record.where("value"))

    def build_scales(self, records: list[_Record]) -> dict:
        scales: dict[str, dict] = {}
        shared: dict[str, dict[str, tuple[Any, _Record]]] = {}
        for record in records:
            name = self.require(record, "scale", "ชื่อมาตรวัด", "scale name")
            if name is None:
                continue
            path = f"scales.{name}"
            scale = scales.setdefault(name, {"options": []})
            given = shared.setdefault(name, {})
            for key, column in (("type", "type"), ("note", "scale_note"), ("confidence", "scale_confidence"),
                                ("sources", "scale_sources")):
                if column not in record.values:
                    continue
                value = record.values[column]
                if key in given and given[key][0] != value:
                    first = given[key][1]
                    self.error(record.where(column),
                               f"ไม่ตรงกับแถว {first.row} ของมาตรวัด {name} (ให้ระบุครั้งเดียวหรือให้เหมือนกัน)",
                               f"differs from row {first.row} of scale {name}: give it once, or the same everywhere")
                    continue
                if key not in given:
                    given[key] = (value, record)
                    scale[key] = value
                    self.places.setdefault(f"{path}.{key}", record.where(column))
            self.places.setdefault(path, record.where("scale"))
            option_path = f"{path}.options[{len(scale['options'])}]"
            scale["options"].append(self.fill({}, record, S.KEYS["option"], option_path))
        return scales

    def build_levels(self, records: list[_Record], data: dict) -> None:
        data["levels"], data["level_sets"] = [], {}
        for record in records:
            name = record.values.get("set")
            if name is None:
                target, path = data["levels"], "levels"
            else:
                target, path = data["level_sets"].setdefault(name, []), f"level_sets.{name}"
                self.places.setdefault(path, record.where("set"))
            target.append(self.fill({}, record, S.KEYS["level"], f"{path}[{len(target)}]"))

    def build_sample_rules(self, records: list[_Record], data: dict) -> None:
        data["sample_rules"] = {}
        rows: dict[str, int] = {}
        for record in records:
            group = self.require(record, "respondents", "กลุ่มผู้ตอบ (internal หรือ external)",
                                 "respondent group (internal or external)")
            if group is None:
                continue
            if group in rows:
                self.error(record.where("respondents"), f"กลุ่ม {group} ซ้ำกับแถว {rows[group]}",
                           f"group {group} is also on row {rows[group]}")
                continue
            rows[group] = record.row
            data["sample_rules"][group] = self.fill({}, record, S.KEYS["sample_rule"], f"sample_rules.{group}")

    def build_instruments(self, sheets: dict[str, list[_Record]], data: dict) -> None:
        """Instruments, then the rows that name them (indicators), and so on down to sub-questions and
        elements. A row whose parent cannot be found is reported once; rows below it are left out
        without a second error."""
        data["instruments"] = []
        instruments: dict[str, tuple[dict, str]] = {}
        for record in sheets["instruments"]:
            path = f"instruments[{len(data['instruments'])}]"
            instrument = self.fill({}, record, S.KEYS["instrument"][:-1], path)
            data["instruments"].append(instrument)
            if "code" in instrument:
                instruments.setdefault(instrument["code"], (instrument, path))

        left_out: set[tuple[str, str]] = set()  # (sheet, code) of rows that could not be placed

        def parent(record: _Record, column: str, sheet: str, known: dict, what_th: str, what_en: str):
            code = record.values.get(column)
            if code is None:
                self.error(record.where(column), f"ต้องระบุรหัส{what_th}", f"the {what_en} code must be given")
            elif code in known:
                return known[code]
            elif (sheet, code) not in left_out:
                hint = S.did_you_mean(code, known)
                self.error(record.where(column), f"ไม่พบ{what_th} '{code}' ในแผ่นงาน {sheet}{hint}",
                           f"unknown {what_en} '{code}' (not on sheet {sheet}){hint}")
            return None

        def leave_out(record: _Record) -> None:
            if "code" in record.values:
                left_out.add((record.sheet.name, record.values["code"]))

        indicators: dict[str, tuple[dict, str, dict]] = {}
        for record in sheets["indicators"]:
            found = parent(record, "instrument", "instruments", instruments, "เครื่องมือ", "instrument")
            if found is None:
                leave_out(record)
                continue
            instrument, path = found
            siblings = instrument.setdefault("indicators", [])
            path = f"{path}.indicators[{len(siblings)}]"
            indicator = self.fill({}, record, S.KEYS["indicator"][:-2], path)
            siblings.append(indicator)
            if "code" in indicator:
                indicators.setdefault(indicator["code"], (indicator, path, instrument))

        subindicators: dict[str, tuple[dict, str, dict]] = {}
        for record in sheets["subindicators"]:
            found = parent(record, "indicator", "indicators", indicators, "ตัวชี้วัด", "indicator")
            if found is None:
                leave_out(record)
                continue
            indicator, path, _instrument = found
            siblings = indicator.setdefault("subindicators", [])
            path = f"{path}.subindicators[{len(siblings)}]"
            sub = self.fill({}, record, S.KEYS["subindicator"][:-1], path)
            siblings.append(sub)
            if "code" in sub:
                subindicators.setdefault(sub["code"], (sub, path, indicator))

        items: dict[str, tuple[dict, str]] = {}
        for record in sheets["items"]:
            found = parent(record, "indicator", "indicators", indicators, "ตัวชี้วัด", "indicator")
            if found is None:
                leave_out(record)
                continue
            indicator, path, instrument = found
            code = indicator.get("code")
            if "subindicator" in record.values:
                found = parent(record, "subindicator", "subindicators", subindicators, "ตัวชี้วัดย่อย", "sub-indicator")
                if found is None:
                    leave_out(record)
                    continue
                container, path, owner = found
                if owner is not indicator:
                    self.error(record.where("subindicator"),
                               f"ตัวชี้วัดย่อย {container.get('code')} อยู่ในตัวชี้วัด {owner.get('code')} ไม่ใช่ {code}",
                               f"sub-indicator {container.get('code')} belongs to indicator {owner.get('code')}, "
                               f"not {code}")
                    leave_out(record)
                    continue
            elif indicator.get("subindicators"):
                self.error(record.where("subindicator") if "subindicator" in record.letters else record.where(),
                           f"ตัวชี้วัด {code} มีตัวชี้วัดย่อย ต้องระบุตัวชี้วัดย่อยของข้อนี้",
                           f"indicator {code} has sub-indicators: give the sub-indicator of this item")
                leave_out(record)
                continue
            else:
                container = indicator
            siblings = container.setdefault("items", [])
            path = f"{path}.items[{len(siblings)}]"
            item = self.fill({}, record, S.KEYS["item"][:-2], path)
            item.setdefault("text_th", None)  # an empty text is the null of a wording not known
            hints = {}
            for key, column in (("keywords", "hint_keywords"), ("document_types", "hint_document_types")):
                if column in record.values:
                    hints[key] = record.values[column]
                if column in record.letters:
                    self.places.setdefault(f"{path}.hints.{key}", record.where(column))
            if hints:
                item["hints"] = hints
            rule = item.pop("time_rule", None)
            time_rule = {"rule": rule} if rule is not None else {}
            for key in ("note", "confidence", "sources"):
                column = f"time_rule_{key}"
                if column in record.values:
                    time_rule[key] = record.values[column]
                if column in record.letters:
                    self.places.setdefault(f"{path}.time_rule.{key}", record.where(column))
            if "time_rule" in record.letters:
                self.places.setdefault(f"{path}.time_rule.rule", record.where("time_rule"))
            if time_rule:
                item["time_rule"] = time_rule
            if "data_year" in record.values:  # an older workbook: converted by the loader
                item["data_year"] = record.values["data_year"]
            if "data_year" in record.letters:
                self.places.setdefault(f"{path}.data_year", record.where("data_year"))
            item["subquestions"] = []
            if instrument.get("respondents") == "agency":
                item["elements"] = []
            siblings.append(item)
            if "code" in item:
                items.setdefault(item["code"], (item, path))

        for sheet, kind in (("subquestions", "subquestion"), ("elements", "element")):
            for record in sheets[sheet]:
                found = parent(record, "item", "items", items, "ข้อ", "item")
                if found is None:
                    continue
                item, path = found
                siblings = item.setdefault(sheet, [])
                siblings.append(self.fill({}, record, S.KEYS[kind], f"{path}.{sheet}[{len(siblings)}]"))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _to_number(raw: Any) -> int | float | None:
    """A number from a cell: numbers as they are; text with Arabic or Thai digits, an optional sign,
    decimal point and thousands commas. None if it is not a number."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return raw
    if not isinstance(raw, str):
        return None
    text = arabic_digits(raw).strip().replace("\u00a0", "").replace(" ", "")
    if _GROUPED_RE.match(text):
        text = text.replace(",", "")
    if not _NUMBER_RE.match(text):
        return None
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    return float(text)


def read_xlsx(path_or_stream) -> tuple[dict, dict[str, str]]:
    """The framework dict of a workbook (not validated) and, for each framework path read, where it is
    in the workbook (``sheet items, row 9, column F (scale)``). ``path_or_stream``: a path, a binary file
    object or bytes. Raises :class:`FrameworkError` (each error naming sheet, row and column) when the
    workbook cannot be read: a missing sheet or column, text in a number cell, a row naming an unknown
    indicator, …"""
    reader = _Reader()
    data = reader.read(path_or_stream)
    return data, reader.places


def framework_from_xlsx(path_or_stream) -> dict:
    """The framework dict of a workbook written by :func:`framework_to_xlsx` (and edited by people), not
    yet validated: check it with ``schema.validate`` or complete it with ``schema.load_data``."""
    return read_xlsx(path_or_stream)[0]


def load_xlsx(path_or_stream, *, source: str = "") -> dict:
    """Read, validate and complete a framework workbook. Raises :class:`FrameworkError` (``source`` names
    the file in it); a framework error carries in ``where`` the sheet, row and column it comes from."""
    try:
        data, places = read_xlsx(path_or_stream)
    except FrameworkError as exc:
        raise FrameworkError(exc.errors, source=source) from None
    try:
        return S.load_data(data, source=source)
    except FrameworkError as exc:
        raise FrameworkError(S.locate_errors(exc.errors, places), source=source) from None
