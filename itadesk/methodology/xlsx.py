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
from pathlib import Path
from typing import Any

from itadesk.core.tabular import cell_text, display_width
from itadesk.framework.errors import FrameworkError, locate_errors
from itadesk.framework.loading import load_data
from itadesk.methodology.xlsx_layout import (
    _FRAMEWORK_KINDS,
    _ILLEGAL_XML,
    DETECTOR_HELP,
    FRAMEWORK_ROWS,
    HELP_SHEET,
    SHEETS,
    Sheet,
)
from itadesk.methodology.xlsx_reader import _Reader

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
    ws.append(["", ""])
    ws.append(["ตัวตรวจ: คอลัมน์ detect ของแผ่น elements (ใส่ได้หลายตัว พบตัวใดตัวหนึ่งหรือพบคำสำคัญ = พบองค์ประกอบ)",
               "Detectors: the detect column of the elements sheet (several may be given; the element is found when "
               "its keywords or any of its detectors find it)"])
    detectors_row = ws.max_row
    for name, (th, en) in DETECTOR_HELP.items():
        ws.append([f"{name}: {th}", f"{name}: {en}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws["A8"].font = ws["B8"].font = Font(bold=True)
    ws[f"A{detectors_row}"].font = ws[f"B{detectors_row}"].font = Font(bold=True)
    ws.column_dimensions["A"].width = 70
    ws.column_dimensions["B"].width = 90
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)



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
        return load_data(data, source=source)
    except FrameworkError as exc:
        raise FrameworkError(locate_errors(exc.errors, places), source=source) from None

