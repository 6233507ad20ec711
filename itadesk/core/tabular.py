"""Read and write simple tables (one header row, then data rows) as XLSX or CSV. Pure Python, no Django.

Reading accepts what people actually send: XLSX (first sheet; formulas give their cached values) and
CSV/TSV text in UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text") or Windows-874 /
TIS-620, separated by commas, semicolons or tabs. Every cell comes back as a string (``12`` and not
``12.0``); rows that are entirely empty are skipped, and each row keeps its spreadsheet row number so
that errors can point at it (the header row is row 1 when the sheet starts at the top).

Writing produces a file that Excel opens correctly: XLSX with a bold, frozen header row, column widths
fitted to the text and strings stored as text (codes such as ``06420115`` keep their leading zero and a
value such as ``=1+2`` is never run as a formula); CSV in UTF-8 with a BOM so that Excel shows Thai.
"""

from __future__ import annotations

import contextvars
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# What an XLSX may unpack to, and how big a table may be, whatever its compressed size: a 1 MB file can
# hold a 1 GiB cell or a million rows (a "decompression bomb"). Checked before and while parsing, so such
# a file costs little memory and gets a clear message.
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
TEXT_EXTENSIONS = (".csv", ".tsv", ".txt")
DELIMITERS = (",", ";", "\t")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other OLE2 files)
_ZERO_PAD_FORMAT = re.compile(r"^0+$")

# Who wants to hear how far reading has got: ``progress(phase, done, total)`` (total 0 when unknown). Set by a
# background import job (``core.imports``) around the importer's plan; None (no reporting) everywhere else.
progress: contextvars.ContextVar = contextvars.ContextVar("tabular_progress", default=None)
PROGRESS_EVERY = 500  # rows between two reports


class TableError(ValueError):
    """A file that cannot be read as a table. ``th`` and ``en`` hold the message in each language;
    ``str()`` gives both, Thai first."""

    def __init__(self, th: str, en: str):
        self.th, self.en = th, en
        super().__init__(f"{th} / {en}")


@dataclass(frozen=True)
class Row:
    number: int  # 1-based row number in the spreadsheet (or line of the CSV record)
    values: tuple[str, ...]  # one string per header (padded with ""), more if the row is wider

    def __getitem__(self, index: int) -> str:
        return self.values[index] if index < len(self.values) else ""


@dataclass
class Table:
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    header_row: int = 1
    format: str = ""  # "xlsx" or "csv"
    encoding: str = ""  # CSV only: the encoding the text was decoded with
    delimiter: str = ""  # CSV only

    def __len__(self) -> int:
        return len(self.rows)


# ---------------------------------------------------------------------------------------------- reading


def read_table(data: bytes, filename: str, *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Table:
    """Parse ``data`` (the bytes of a file called ``filename``) into a :class:`Table`.

    The first non-empty row holds the headers. Raises :class:`TableError` for an empty or too large
    file, an unknown extension, an XLSX file that cannot be opened, or a file with no header row.
    """
    fmt = _format_of(filename)
    if max_bytes is not None and len(data) > max_bytes:
        raise TableError(
            f"ไฟล์มีขนาด {_size(len(data))} ใหญ่เกินกว่าที่รับได้ ({_size(max_bytes)})",
            f"the file is {_size(len(data))}, larger than the {_size(max_bytes)} allowed",
        )
    if not data.strip() or data.strip() in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        raise TableError("ไฟล์ว่างเปล่า", "the file is empty")
    if fmt == "xlsx":
        table = _read_xlsx(data)
    else:
        if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC):
            raise TableError(
                "ไฟล์นี้เป็นไฟล์ Excel แต่ตั้งชื่อเป็นไฟล์ข้อความ กรุณาบันทึกเป็น .xlsx หรือ CSV",
                "this is an Excel file with a text-file name; save it as .xlsx or CSV",
            )
        table = _read_csv(data)
    return table


def read_import(data: bytes, filename: str, errors: list) -> Table | None:
    """:func:`read_table` for an importer's plan: the file within ``ITADESK_IMPORT_MAX_BYTES``; a file that
    cannot be read is one :class:`RowError` appended to ``errors`` and None."""
    from django.conf import settings  # importers run inside Django; read_table itself stays Django-free

    try:
        table = read_table(data, filename, max_bytes=getattr(settings, "ITADESK_IMPORT_MAX_BYTES", None))
    except TableError as exc:
        errors.append(RowError(None, "", exc.th, exc.en))
        return None
    report = progress.get()
    if report is not None:  # a background job: count the importer's pass over the rows too
        table.rows = _CountedRows(table.rows, report)
    return table


class _CountedRows(list):
    """The rows of a table, reporting ("check", rows seen, all rows) as an importer walks through them."""

    def __init__(self, rows, report):
        super().__init__(rows)
        self._report = report

    def __reduce__(self):  # a plan kept for its preview holds plain rows
        return (list, (list(self),))

    def __iter__(self):
        total = len(self)
        for index, row in enumerate(super().__iter__(), start=1):
            if index % PROGRESS_EVERY == 0 or index == total:
                self._report("check", index, total)
            yield row


def _format_of(filename: str) -> str:
    suffix = Path(filename or "").suffix.lower()
    if suffix in XLSX_EXTENSIONS:
        return "xlsx"
    if suffix in TEXT_EXTENSIONS:
        return "csv"
    if suffix == ".xls":
        raise TableError(
            "ไม่รองรับไฟล์ Excel รุ่นเก่า (.xls) กรุณาบันทึกเป็น .xlsx หรือ CSV",
            "old Excel files (.xls) are not supported; save the file as .xlsx or CSV",
        )
    shown = suffix or "(ไม่มีนามสกุล)"
    raise TableError(
        f"ไม่รองรับไฟล์ชนิด {shown} (รับเฉพาะ .xlsx และ .csv)",
        f"unsupported file type {suffix or '(no extension)'} (only .xlsx and .csv are accepted)",
    )


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} B"


def _build(raw_rows: Iterable[tuple[int, list[str]]], **meta) -> Table:
    """Turn (row number, cell strings) pairs into a Table: first non-empty row = headers."""
    headers: list[str] | None = None
    header_row = 0
    rows: list[Row] = []
    report = progress.get()
    estimate = meta.pop("estimate", 0)
    for number, cells in raw_rows:
        if report is not None and number % PROGRESS_EVERY == 0:
            report("read", number, max(estimate, number))
        if not any(c.strip() for c in cells):
            continue
        _check_size(number, headers, cells, len(rows))
        if headers is None:
            while cells and not cells[-1].strip():
                cells = cells[:-1]
            headers, header_row = list(cells), number
            continue
        if len(cells) < len(headers):
            cells = cells + [""] * (len(headers) - len(cells))
        else:  # keep values beyond the headers only if there are any
            while len(cells) > len(headers) and not cells[-1].strip():
                cells = cells[:-1]
        rows.append(Row(number, tuple(cells)))
    if headers is None:
        raise TableError("ไม่พบแถวหัวตาราง (ไฟล์ไม่มีข้อมูล)", "no header row found (the file holds no data)")
    return Table(headers=headers, rows=rows, header_row=header_row, **meta)


def _check_size(number: int, headers, cells: list[str], n_rows: int) -> None:
    if n_rows >= MAX_ROWS:
        raise TableError(f"ไฟล์มีข้อมูลเกิน {MAX_ROWS:,} แถว กรุณาแบ่งเป็นหลายไฟล์",
                         f"the file has more than {MAX_ROWS:,} rows; split it into several files")
    if len(cells) > MAX_COLUMNS and any(c.strip() for c in cells[MAX_COLUMNS:]):
        raise TableError(f"แถวที่ {number} มีข้อมูลเกิน {MAX_COLUMNS} คอลัมน์",
                         f"row {number} has data beyond {MAX_COLUMNS} columns")
    for index, cell in enumerate(cells):
        if len(cell) > MAX_CELL_CHARS:
            column = headers[index] if headers and index < len(headers) else f"#{index + 1}"
            raise TableError(
                f"แถวที่ {number} คอลัมน์ {column}: ข้อความยาว {len(cell):,} ตัวอักษร เกินที่รับได้ ({MAX_CELL_CHARS:,})",
                f"row {number}, column {column}: {len(cell):,} characters, more than the {MAX_CELL_CHARS:,} allowed")


def _check_unpacked_size(data: bytes) -> None:
    """Refuse an XLSX whose parts unpack to more than MAX_UNCOMPRESSED_BYTES, before any is unpacked.
    The sizes come from the zip's directory; Python's zipfile never inflates a part beyond its declared
    size (a part that lies fails its CRC check), so the declared total is an upper bound."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl reports the damaged file below
    if total > MAX_UNCOMPRESSED_BYTES:
        raise TableError(
            f"ไฟล์ Excel นี้เมื่อขยายแล้วมีขนาด {_size(total)} เกินที่รับได้ ({_size(MAX_UNCOMPRESSED_BYTES)}) "
            "กรุณาตรวจสอบไฟล์ หรือแบ่งเป็นหลายไฟล์",
            f"this Excel file unpacks to {_size(total)}, more than the {_size(MAX_UNCOMPRESSED_BYTES)} allowed; "
            "check the file or split it")


def cell_text(value, number_format: str | None = None) -> str:
    """One cell value as a string: integers without ``.0``, dates in ISO form, booleans TRUE/FALSE."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if number_format and value >= 0 and _ZERO_PAD_FORMAT.match(number_format):
            text = text.zfill(len(number_format))  # a code shown as 00000000 keeps its zeros
        return text
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    import openpyxl  # imported here: CSV-only callers don't pay for it

    corrupt = TableError(
        "เปิดไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ .xlsx",
        "cannot open the Excel file: it is damaged or not an .xlsx file",
    )
    if not data.startswith(_ZIP_MAGIC):
        if data.startswith(_OLE_MAGIC):
            raise TableError(
                "ไฟล์นี้เป็น Excel รุ่นเก่า (.xls) หรือมีการเข้ารหัสผ่าน กรุณาบันทึกเป็น .xlsx",
                "this is an old-format (.xls) or password-protected Excel file; save it as .xlsx",
            )
        raise corrupt
    _check_unpacked_size(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # BadZipFile, KeyError, XML parse errors… anything inside a damaged file
        raise corrupt from exc
    try:
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        if not sheets:
            raise TableError("ไม่พบแผ่นงานในไฟล์ Excel", "the Excel file has no worksheet")
        sheet = sheets[0]
        declared = sheet.max_column if sheet.max_row else None  # from the sheet's <dimension ref>
        estimate = sheet.max_row or 0  # only to draw the progress bar
        if declared and declared > MAX_COLUMNS:
            raise TableError(
                f"แผ่นงานมีข้อมูลถึงคอลัมน์ที่ {declared:,} เกินที่รับได้ ({MAX_COLUMNS}) กรุณาลบคอลัมน์ที่ไม่ใช้",
                f"the sheet has data up to column {declared:,}, beyond the {MAX_COLUMNS} allowed; "
                "delete the unused columns")
        # Don't trust the stored size for rows (some programs write it wrong); columns are read up to one
        # past the limit, so a row reaching past it is refused without building thousands of empty cells.
        sheet.reset_dimensions()

        def rows():
            for number, cells in enumerate(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS + 1), start=1):
                # the number format is only needed to restore zero-padded codes (format 00000000)
                yield number, [cell_text(c.value, c.number_format if type(c.value) is int else None)
                               for c in cells]

        try:
            return _build(rows(), format="xlsx", estimate=estimate)
        except TableError:
            raise
        except Exception as exc:
            raise corrupt from exc
    finally:
        workbook.close()


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-16 if it has that BOM, else strict UTF-8 (BOM optional), else Windows-874."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874"), "cp874"
    except UnicodeDecodeError as exc:
        raise TableError(
            "อ่านตัวอักษรในไฟล์ไม่ได้ กรุณาบันทึก CSV เป็น UTF-8 หรือ Windows-874 (TIS-620)",
            "cannot decode the text: save the CSV as UTF-8 or Windows-874 (TIS-620)",
        ) from exc


def sniff_delimiter(text: str) -> str:
    """The delimiter (comma, semicolon or tab) that splits the first lines into the most consistent
    rows of more than one field: the header's width, repeated by the most rows. Comma if none does."""
    lines = [line for line in text.splitlines()[:200] if line.strip()][:20]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            records = [r for r in csv.reader(lines, delimiter=delimiter) if r]
        except csv.Error:
            continue
        width = len(records[0]) if records else 0
        if width < 2:
            continue
        score = (sum(1 for r in records if len(r) == width), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data: bytes) -> Table:
    text, encoding = decode_text(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows():
        try:
            for cells in reader:
                # line_num is the last physical line of the record; use the record's first line
                yield reader.line_num - _extra_lines(cells), [csv_unescape(c) for c in cells]
        except csv.Error as exc:
            raise TableError(f"อ่านไฟล์ CSV ไม่ได้ที่บรรทัด {reader.line_num}: {exc}",
                             f"cannot read the CSV at line {reader.line_num}: {exc}") from exc

    return _build(rows(), format="csv", encoding=encoding, delimiter=delimiter,
                  estimate=text.count("\n") if progress.get() is not None else 0)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _extra_lines(cells: list[str]) -> int:
    return sum(len(_LINE_BREAK.findall(c)) for c in cells)


# ---------------------------------------------------------------------------------------------- writing


def write_table(path_or_buffer, headers: Sequence[str], rows: Iterable[Sequence], fmt: str | None = None) -> None:
    """Write ``headers`` and ``rows`` to a path or a binary file object as ``"xlsx"`` or ``"csv"``
    (``fmt`` may be left out when a path with one of these extensions is given)."""
    fmt = (fmt or "").lower().lstrip(".")
    if not fmt:
        if isinstance(path_or_buffer, str | Path):
            fmt = _format_of(str(path_or_buffer))
        else:
            raise ValueError("fmt is required when writing to a buffer")
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"unknown format {fmt!r} (use 'xlsx' or 'csv')")
    rows = [list(r) for r in rows]
    if fmt == "xlsx":
        _write_xlsx(path_or_buffer, list(headers), rows)
    else:
        _write_csv(path_or_buffer, list(headers), rows)


def display_width(text: str) -> int:
    """Width of a string in columns: Thai vowels and tone marks above/below the line take none."""
    longest = 0
    for line in str(text).split("\n"):
        width = 0
        for ch in line:
            if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
                continue
            width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        longest = max(longest, width)
    return longest


def _write_xlsx(target, headers: list[str], rows: list[list]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.freeze_panes = "A2"
    ncols = max([len(headers), *(len(r) for r in rows)] or [0])
    widths = [display_width(h) for h in headers] + [0] * (ncols - len(headers))
    for row in rows[:2000]:  # a sample is enough to size the columns
        for i, value in enumerate(row):
            widths[i] = max(widths[i], display_width(cell_text(value)))
    for i, width in enumerate(widths, start=1):
        dimension = sheet.column_dimensions[get_column_letter(i)]
        dimension.width = min(max(width + 2, 8), 60)
        dimension.number_format = "@"  # what people type into new rows stays text too

    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=_clean_xml(h))
        cell.data_type = "s"
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                value = _clean_xml(value)
                if value[:1].isdigit() or value.startswith(FORMULA_START):
                    # Looks like a number or a formula: a text cell formatted as text ("@"), so that
                    # Excel keeps the leading zeros of 06420115 and never runs =1+2, even when edited.
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"
                    cell.number_format = "@"
                    value = cell
            cells.append(value)
        sheet.append(cells)
    workbook.save(target)


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean_xml(text: str) -> str:
    """XLSX cannot hold control characters (other than tab and newlines): drop them."""
    return _ILLEGAL_XML.sub("", text)


# A spreadsheet program runs a cell that starts with one of these as a formula (=HYPERLINK(…), +cmd|…,
# @SUM(…); tab and carriage return hide the start). Exports never hand it one: XLSX cells are written as
# text (data type "s"), CSV fields get a leading apostrophe, which spreadsheets hide and our importers
# drop again. A number is left as it is (a negative number is not a formula).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d,]*(\.\d+)?%?")


def csv_field(value) -> str:
    """One CSV field as written by our exports: formula-looking text escaped with a leading apostrophe."""
    text = cell_text(value)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_START):
        # Text that already starts with apostrophes before a formula sign ("'=" typed as such) gets one
        # more, so that reading it back (which drops one) gives the text as typed.
        return "'" + text
    return text


def csv_unescape(text: str) -> str:
    """Undo :func:`csv_field` on a field read back from a file."""
    return text[1:] if text[:1] == "'" and text.lstrip("'").startswith(FORMULA_START) else text


def append_text_safe(sheet, values) -> None:
    """``sheet.append(values)`` on a normal (not write-only) openpyxl worksheet, keeping every string a
    string: openpyxl stores a value starting with "=" as a live formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _write_csv(target, headers: list[str], rows: list[list]) -> None:
    buffer = io.StringIO(newline="")
    # every field quoted: a ";" or a tab in a value can never be taken for the delimiter
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([csv_field(h) for h in headers])
    for row in rows:
        writer.writerow([csv_field(v) for v in row])
    payload = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if isinstance(target, str | Path):
        Path(target).write_bytes(payload)
    else:
        target.write(payload)


# ---------------------------------------------------------------------------------- helpers for importers


def text_key(value: str) -> str:
    """A comparison key for Thai/English text: NFC, ``ํา`` folded to ``ำ``, case folded, runs of
    white space collapsed. Used to match names typed by people against stored ones."""
    text = unicodedata.normalize("NFC", str(value)).replace("\u0e4d\u0e32", "\u0e33").replace("\u00a0", " ")
    return " ".join(text.casefold().split())


_COMPACT_DROP = re.compile(r"[\s._\-()\[\]/:*]+")


def compact_key(value: str) -> str:
    """:func:`text_key` without spaces and punctuation: for headers and short labels
    (``"รหัส อปท."`` and ``"รหัสอปท"`` give the same key, so do ``"E-mail"`` and ``"email"``)."""
    return _COMPACT_DROP.sub("", text_key(value))


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file, in Thai and English. ``row`` is the spreadsheet row number
    (None for the file as a whole); ``column`` is the header as written in the file."""

    row: int | None
    column: str
    th: str
    en: str

    @property
    def text_th(self) -> str:
        where = " ".join(p for p in (f"แถว {self.row}" if self.row else "",
                                     f"คอลัมน์ {self.column}" if self.column else "") if p)
        return f"{where}: {self.th}" if where else self.th

    @property
    def text_en(self) -> str:
        where = ", ".join(p for p in (f"Row {self.row}" if self.row else "",
                                      f"column {self.column}" if self.column else "") if p)
        return f"{where}: {self.en}" if where else self.en

    def __str__(self) -> str:
        return f"{self.text_th} / {self.text_en}"


@dataclass(kw_only=True)
class BasePlan:
    """What an import found in a file before anything is written; each importer's plan derives from it and
    adds its rows to create or change. A plan with any error is refused whole. :meth:`summary` reads, in Thai
    then English, the file's rows, the counts of :meth:`counts` (Thai label with ``{}`` where the number goes,
    else after it; English label after the number), the errors, then :meth:`counts_after_errors`."""

    filename: str = ""
    rows: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> list[tuple[str, str, int]]:
        return []

    def counts_after_errors(self) -> list[tuple[str, str, int]]:
        return []

    def summary(self) -> str:
        counts = [*self.counts(), ("ข้อผิดพลาด", "errors", len(self.errors)), *self.counts_after_errors()]
        th = " ".join(label.format(n) if "{}" in label else f"{label} {n}" for label, _en, n in counts)
        en = ", ".join(f"{n} {label}" for _th, label, n in counts)
        return f"{self.rows} แถว: {th} / {self.rows} rows: {en}"


class ImportRefused(Exception):
    """An import that may not be applied (the plan has errors, or the data changed since it was
    checked). Nothing has been written when this is raised."""

    def __init__(self, th: str, en: str, errors: Sequence[RowError] = ()):
        self.th, self.en, self.errors = th, en, list(errors)
        super().__init__(f"{th} / {en}")


@dataclass(frozen=True)
class Column:
    """A column of an import format: ``key`` is what the importer calls it, ``header`` the (Thai)
    header written on export, ``aliases`` other headers accepted (compared with :func:`compact_key`).
    ``info`` columns are written on export for people to read and ignored on import."""

    key: str
    header: str
    label_en: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    info: bool = False

    def keys(self) -> set[str]:
        return {compact_key(self.header), compact_key(self.key), compact_key(self.label_en),
                *(compact_key(a) for a in self.aliases)}


def map_headers(table: Table, columns: Sequence[Column]) -> tuple[dict[str, int], list[RowError]]:
    """Match the table's headers to ``columns``. Returns {column key: index} and the errors: every
    unknown, duplicated and missing required header at once."""
    lookup: dict[str, Column] = {}
    for column in columns:
        for key in column.keys():
            lookup.setdefault(key, column)
    found: dict[str, int] = {}
    errors: list[RowError] = []
    accepted = ", ".join(c.header for c in columns)
    row = table.header_row
    for index, header in enumerate(table.headers):
        if not header.strip():
            if any(r[index].strip() for r in table.rows):
                errors.append(RowError(row, f"#{index + 1}", f"คอลัมน์ที่ {index + 1} มีข้อมูลแต่ไม่มีหัวคอลัมน์",
                                       f"column {index + 1} has values but no header"))
            continue
        column = lookup.get(compact_key(header))
        if column is None:
            errors.append(RowError(row, header.strip(), f"ไม่รู้จักหัวคอลัมน์ '{header.strip()}' (หัวคอลัมน์ที่ใช้ได้: {accepted})",
                                   f"unknown column header '{header.strip()}' (accepted headers: {accepted})"))
        elif column.key in found:
            first = table.headers[found[column.key]].strip()
            errors.append(RowError(row, header.strip(),
                                   f"คอลัมน์ '{header.strip()}' ซ้ำกับคอลัมน์ '{first}' (ทั้งสองคือ {column.header})",
                                   f"column '{header.strip()}' repeats column '{first}' (both mean {column.label_en})"))
        else:
            found[column.key] = index
    for column in columns:
        if column.required and column.key not in found:
            errors.append(RowError(row, column.header, f"ไม่มีคอลัมน์ '{column.header}' ซึ่งต้องมี",
                                   f"required column '{column.header}' ({column.label_en}) is missing"))
    return found, errors
