"""Imports refuse files that unpack or grow too big — a decompression bomb, a million rows, a huge cell, a
value far to the right — with a clear message, before they cost the server its memory."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile

import openpyxl
import pytest

from itadesk.core import tabular
from itadesk.core.tabular import TableError, read_table


def _small_xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["ชื่อหน่วยงาน", "รหัส ITAS"])
    book.active.append(["เทศบาลตำบลนาดอกคำ", "1234"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bomb(cell_bytes: int) -> bytes:
    """A real workbook whose first sheet is replaced by one holding a single cell of ``cell_bytes``
    letters: about 1 MB on disk for 1 GiB unpacked."""
    source = zipfile.ZipFile(io.BytesIO(_small_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, source.read(info))
                continue
            with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
                block = b"A" * (1 << 20)
                for _ in range(cell_bytes // len(block)):
                    sheet.write(block)
                sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return out.getvalue()


def test_a_one_megabyte_file_with_a_gigabyte_cell_is_refused_cheaply():
    data = _bomb(1 << 30)
    assert len(data) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(TableError) as refused:
            read_table(data, "agencies.xlsx")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024
    assert "เมื่อขยายแล้วมีขนาด" in refused.value.th and "unpacks to 1024.0 MB" in refused.value.en


def test_the_bomb_gets_the_message_on_the_import_page(client, world, monkeypatch, django_capture_on_commit_callbacks):
    from huey.contrib.djhuey import HUEY

    monkeypatch.setattr(HUEY, "immediate", True)
    client.force_login(world.secretariat)
    upload = io.BytesIO(_bomb(256 << 20))
    upload.name = "agencies.xlsx"
    with django_capture_on_commit_callbacks(execute=True):  # it unpacks to more than 1 MB: a background job
        response = client.post("/registry/agencies/import/", {"file": upload})
    assert response.status_code == 302 and "?job=" in response["Location"]
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "เมื่อขยายแล้วมีขนาด" in response.content.decode()


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 50)
    ok = "ชื่อ,รหัส\n" + "".join(f"หน่วยงาน{n},{n}\n" for n in range(50))
    assert len(read_table(ok.encode(), "a.csv").rows) == 50
    with pytest.raises(TableError, match="more than 50 rows"):
        read_table((ok + "หน่วยงานเกิน,99\n").encode(), "a.csv")


def test_a_million_row_csv_stops_at_the_limit():
    data = ("ชื่อ,รหัส\n" + "x,1\n" * 1_000_000).encode()
    with pytest.raises(TableError, match="more than 100,000 rows"):
        read_table(data, "a.csv", max_bytes=None)


def test_a_huge_cell_is_named_by_row_and_column():
    data = ("ชื่อ,หมายเหตุ\nเทศบาล," + "ก" * 40_000 + "\n").encode()
    with pytest.raises(TableError) as refused:
        read_table(data, "a.csv")
    assert "แถวที่ 2 คอลัมน์ หมายเหตุ" in refused.value.th and "40,000" in refused.value.en


def _wide_xlsx(column: int, *, declare: bool = True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ชื่อ", "รหัส"])
    sheet.cell(row=2, column=1, value="เทศบาล")
    sheet.cell(row=2, column=column, value="ไกลเกินไป")
    out = io.BytesIO()
    book.save(out)
    if declare:
        return out.getvalue()
    source, stripped = zipfile.ZipFile(out), io.BytesIO()  # a file from a program that writes no <dimension>
    with zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            target.writestr(info, data)
    return stripped.getvalue()


def test_a_value_far_to_the_right_is_refused_without_reading_every_empty_cell():
    with pytest.raises(TableError, match="data up to column 5,000, beyond the 200 allowed"):
        read_table(_wide_xlsx(5000), "a.xlsx")
    with pytest.raises(TableError, match="row 2 has data beyond 200 columns"):
        read_table(_wide_xlsx(201, declare=False), "a.xlsx")
    assert read_table(_wide_xlsx(200), "a.xlsx").rows[0][199] == "ไกลเกินไป"
