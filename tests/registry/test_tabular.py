"""Reading and writing tables (itadesk.core.tabular): no database needed."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itadesk.core.tabular import (
    Column,
    RowError,
    TableError,
    compact_key,
    display_width,
    map_headers,
    read_table,
    sniff_delimiter,
    text_key,
    write_table,
)

THAI_ROWS = [["รหัส ITAS", "ชื่อหน่วยงาน", "อำเภอ"],
             ["06420115", "องค์การบริหารส่วนตำบลนาดี", "นาด้วง"],
             ["00000042", "เทศบาลเมืองเลย", "เมืองเลย"]]


def xlsx_bytes(rows, setup=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if setup:
        setup(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_text(rows, delimiter=",") -> str:
    return "\r\n".join(delimiter.join(r) for r in rows) + "\r\n"


# ------------------------------------------------------------------------------------------------ CSV


@pytest.mark.parametrize("encoding, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("cp874", "cp874"),
                                                ("tis-620", "cp874"), ("utf-16", "utf-16")])
def test_csv_encodings(encoding, expected):
    table = read_table(csv_text(THAI_ROWS).encode(encoding), "agencies.csv")
    assert table.headers == THAI_ROWS[0]
    assert [list(r.values) for r in table.rows] == THAI_ROWS[1:]
    assert [r.number for r in table.rows] == [2, 3]
    assert table.encoding == expected
    assert not table.headers[0].startswith("\ufeff")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters(delimiter):
    rows = [["a", "b", "c"], ["1", "x, y", "3"]] if delimiter != "," else [["a", "b", "c"], ["1", '"x; y"', "3"]]
    table = read_table(csv_text(rows, delimiter).encode(), "f.csv")
    assert table.delimiter == delimiter
    assert table.headers == ["a", "b", "c"]
    assert table.rows[0].values[1] in ("x, y", "x; y")


def test_semicolon_csv_with_commas_in_names():
    data = "ชื่อหน่วยงาน;อำเภอ\r\nเทศบาลตำบลนาดี, นาด้วง;นาด้วง\r\n".encode()
    table = read_table(data, "f.csv")
    assert table.delimiter == ";"
    assert table.rows[0].values == ("เทศบาลตำบลนาดี, นาด้วง", "นาด้วง")


def test_sniff_defaults_to_comma():
    assert sniff_delimiter("single\nvalue\n") == ","


def test_empty_rows_skipped_and_numbers_kept():
    data = b"a,b\r\n\r\n1,2\r\n,\r\n  ,  \r\n3,4\r\n"
    table = read_table(data, "f.csv")
    assert [(r.number, r.values) for r in table.rows] == [(3, ("1", "2")), (6, ("3", "4"))]


def test_short_rows_are_padded_and_multiline_cells_keep_numbering():
    data = b'a,b,c\r\n1\r\n"line one\nline two",x,y\r\nlast,,\r\n'
    table = read_table(data, "f.csv")
    assert table.rows[0].values == ("1", "", "")
    assert [r.number for r in table.rows] == [2, 3, 5]


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_empty_file(data):
    with pytest.raises(TableError) as exc:
        read_table(data, "f.csv")
    assert "ไฟล์ว่างเปล่า" in str(exc.value) and "empty" in str(exc.value)


def test_no_header_row():
    with pytest.raises(TableError) as exc:
        read_table(b",,,\r\n,,\r\n", "f.csv")
    assert "หัวตาราง" in exc.value.th and "header" in exc.value.en


def test_undecodable_csv():
    with pytest.raises(TableError) as exc:
        read_table(b"a,b\r\n\xff\xfe\xfd,\xdb\r\n", "f.csv")
    assert "UTF-8" in str(exc.value)


def test_too_big():
    with pytest.raises(TableError) as exc:
        read_table(b"a,b\r\n" * 100, "f.csv", max_bytes=100)
    assert "ใหญ่เกิน" in exc.value.th and "larger" in exc.value.en


@pytest.mark.parametrize("name", ["f.pdf", "f", "f.ods", "f.xls"])
def test_unsupported_extension(name):
    with pytest.raises(TableError) as exc:
        read_table(b"a,b\r\n1,2\r\n", name)
    assert ".xlsx" in str(exc.value)


def test_xlsx_named_csv():
    with pytest.raises(TableError) as exc:
        read_table(xlsx_bytes(THAI_ROWS), "agencies.csv")
    assert "Excel" in exc.value.en


# ------------------------------------------------------------------------------------------------ XLSX


def test_xlsx_values_become_strings():
    def setup(ws):
        ws["E2"].number_format = "00000000"

    rows = [["text", "int", "float", "whole float", "padded", "date", "bool", "empty"],
            ["06420115", 12, 1.5, 12.0, 6420115, dt.datetime(2025, 1, 31), True, None]]
    table = read_table(xlsx_bytes(rows, setup), "f.xlsx")
    assert table.format == "xlsx"
    assert table.rows[0].values == ("06420115", "12", "1.5", "12", "06420115", "2025-01-31", "TRUE", "")


def test_xlsx_formulas_give_cached_values_and_first_sheet_is_read():
    wb = openpyxl.Workbook()
    wb.active.append(["a"])
    wb.active.append(["first"])
    wb.create_sheet("second").append(["other"])
    buf = io.BytesIO()
    wb.save(buf)
    table = read_table(buf.getvalue(), "f.xlsx")
    assert table.headers == ["a"] and table.rows[0].values == ("first",)


def test_xlsx_skips_empty_rows_and_keeps_row_numbers():
    def setup(ws):
        ws["A6"] = "last"

    table = read_table(xlsx_bytes([["h1", "h2"], ["a", "b"], [None, None], ["", " "]], setup), "f.xlsx")
    assert [(r.number, r.values) for r in table.rows] == [(2, ("a", "b")), (6, ("last", ""))]


def test_xlsx_header_not_on_first_row():
    def setup(ws):
        ws["B3"], ws["C3"], ws["B4"] = "h1", "h2", "v"

    table = read_table(xlsx_bytes([], setup), "f.xlsx")
    assert table.header_row == 3
    assert table.headers == ["", "h1", "h2"]
    assert table.rows[0].number == 4 and table.rows[0].values == ("", "v", "")


@pytest.mark.parametrize("data", [b"not a zip at all", b"PK\x03\x04garbage" + b"\0" * 100,
                                  xlsx_bytes(THAI_ROWS)[:500]])
def test_corrupt_xlsx(data):
    with pytest.raises(TableError) as exc:
        read_table(data, "f.xlsx")
    assert "เสียหาย" in exc.value.th and "damaged" in exc.value.en


def test_zip_that_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(TableError):
        read_table(buf.getvalue(), "f.xlsx")


def test_empty_xlsx():
    with pytest.raises(TableError) as exc:
        read_table(xlsx_bytes([]), "f.xlsx")
    assert "header" in exc.value.en


# ------------------------------------------------------------------------------------------------ writing


def test_write_xlsx_layout(tmp_path):
    path = tmp_path / "out.xlsx"
    write_table(path, THAI_ROWS[0], THAI_ROWS[1:] + [["=1+2", "x", "y"]])
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.b
    assert ws["A2"].value == "06420115" and ws["A2"].data_type == "s" and ws["A2"].number_format == "@"
    assert ws["A4"].value == "=1+2" and ws["A4"].data_type == "s"  # text, not a formula
    assert 8 <= ws.column_dimensions["B"].width <= 60
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width


def test_write_csv_has_bom_and_crlf():
    buf = io.BytesIO()
    write_table(buf, ["ชื่อ"], [["นาดี"], [None], [12]], "csv")
    assert buf.getvalue().startswith(b"\xef\xbb\xbf")
    assert buf.getvalue().decode("utf-8-sig") == '"ชื่อ"\r\n"นาดี"\r\n""\r\n"12"\r\n'


def test_write_needs_a_format_for_buffers():
    with pytest.raises(ValueError):
        write_table(io.BytesIO(), ["a"], [])
    with pytest.raises(ValueError):
        write_table(io.BytesIO(), ["a"], [], "ods")


def test_display_width_ignores_thai_marks():
    assert display_width("ที่") == 1
    assert display_width("นาด้วง") == 5
    assert display_width("ab\nabcd") == 4


# Text people may type in a cell: Thai, Latin, digits, punctuation, spaces (no control characters,
# which XLSX cannot hold).
cell_text_strategy = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Co", "Cn", "Zl", "Zp"]) | st.sampled_from(
        list("กขคงจฉชซญดตถทนบปผพฟมยรลวศษสหอฮะัาำิีึืุูเแโใไ็่้๊๋์๐๑๒๙0123456789 ,;\t\"'=-+.")),
    max_size=15,
).filter(lambda s: s.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fmt=st.sampled_from(["xlsx", "csv"]),
       headers=st.lists(cell_text_strategy, min_size=1, max_size=4),
       body=st.lists(st.lists(cell_text_strategy, min_size=4, max_size=4), max_size=5))
def test_write_then_read_gives_the_same_strings(fmt, headers, body):
    rows = [r[:len(headers)] for r in body]
    buf = io.BytesIO()
    write_table(buf, headers, rows, fmt)
    table = read_table(buf.getvalue(), f"t.{fmt}")
    assert table.headers == headers
    assert [list(r.values) for r in table.rows] == rows
    assert [r.number for r in table.rows] == list(range(2, 2 + len(rows)))


# ------------------------------------------------------------------------------------------------ helpers


def test_keys_fold_case_space_and_sara_am():
    assert compact_key("รหัส อปท.") == compact_key("รหัสอปท")
    assert compact_key("E-mail") == compact_key("email")
    assert text_key("อ\u0e4d\u0e32เภอ  เมือง") == text_key("อำเภอ เมือง")


def test_map_headers_reports_everything_at_once():
    table = read_table("ชื่อ,Foo,name,,Bar\r\nx,1,2,3,\r\n".encode(), "f.csv")
    columns = [Column("name", "ชื่อ", "name", required=True), Column("kind", "ประเภท", "kind", required=True)]
    found, errors = map_headers(table, columns)
    assert found == {"name": 0}
    text = "\n".join(str(e) for e in errors)
    assert "'Foo'" in text and "'Bar'" in text  # unknown
    assert "repeats" in text  # name = ชื่อ
    assert "column 4 has values but no header" in text
    assert "required column 'ประเภท'" in text
    assert all(e.row == 1 for e in errors)


def test_row_error_text():
    error = RowError(7, "อำเภอ", "ไม่พบอำเภอ 'เมืองเล' ในจังหวัดเลย", "unknown district 'เมืองเล' in Loei")
    assert str(error) == ("แถว 7 คอลัมน์ อำเภอ: ไม่พบอำเภอ 'เมืองเล' ในจังหวัดเลย / "
                          "Row 7, column อำเภอ: unknown district 'เมืองเล' in Loei")
    assert str(RowError(None, "", "ไฟล์ว่างเปล่า", "the file is empty")) == "ไฟล์ว่างเปล่า / the file is empty"
