"""Reading the XLSX authoring template back into the plain dict of the YAML format (see
:mod:`itadesk.methodology.xlsx`): every problem is reported with its sheet, row and column, and each
framework path read remembers the cell it came from."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itadesk.core.tabular import cell_text, compact_key
from itadesk.core.thai import arabic_digits
from itadesk.framework import spec as S
from itadesk.framework.errors import FieldError, FrameworkError, did_you_mean
from itadesk.methodology.xlsx_layout import (
    _EMPTY,
    _FALSE,
    _FRAMEWORK_KINDS,
    _GROUPED_RE,
    _NUMBER_RE,
    _TRUE,
    FRAMEWORK_ROWS,
    HELP_SHEET,
    SHEETS,
    Sheet,
)


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
                hint = did_you_mean(key, known)
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
                hint = did_you_mean(code, known)
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

