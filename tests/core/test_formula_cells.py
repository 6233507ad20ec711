"""No export hands a spreadsheet program a formula: text that starts with =, +, -, @, tab or CR is written as
text in XLSX and escaped with an apostrophe in CSV (and read back as typed by our importers)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core.tabular import FORMULA_START, csv_field, read_table, write_table

HOSTILE = '=HYPERLINK("http://evil.example/","x")'


@given(st.text(max_size=40))
def test_a_csv_field_never_starts_like_a_formula_and_reads_back_as_typed(text):
    text = text.replace("\x00", "")
    field = csv_field(text)
    if field.startswith(FORMULA_START):
        assert field.lstrip("+-")[:1].isdigit()  # only a plain number, such as -5 or +66
    buffer = io.BytesIO()
    write_table(buffer, ["หัวข้อ", "ค่า"], [["แถว", text]], fmt="csv")
    table = read_table(buffer.getvalue(), "x.csv")
    got = table.rows[0][1]

    def norm(s):
        return s.replace("\r\n", "\n").replace("\r", "\n").strip()

    assert norm(got) == norm(text)


def test_numbers_are_not_escaped():
    assert csv_field(-5) == "-5"
    assert csv_field("-12.50") == "-12.50"
    assert csv_field("+66") == "+66"
    assert csv_field("-") == "'-"
    assert csv_field("=1+2") == "'=1+2"
    assert csv_field("@SUM(A1)") == "'@SUM(A1)"


def test_xlsx_keeps_formula_looking_text_as_text():
    buffer = io.BytesIO()
    write_table(buffer, ["a"], [[HOSTILE], ["+cmd|' /C calc'!A0"], ["-1+1"], [-3]], fmt="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s", "s", "s", "n"]
    assert cells[0].value == HOSTILE


# --- every export URL, with hostile data in the records they list ----------------------------------------

EXPORTS = {"progress_export", "registry:agency_export", "methodology:export_list", "methodology:results_export",
           "evidence:export_xlsx", "surveys:export_province", "surveys:export_office", "questionnaires:export",
           "projects:attendance_export", "reports:file"}


def _hostile(world):
    """Every free-text field the exports print starts like a formula."""
    from itadesk.registry.models import Agency

    for n, agency in enumerate(Agency.objects.all()):
        Agency.objects.filter(pk=agency.pk).update(name_th=f"{HOSTILE}{n}", contact_name="+cmd|'/C calc'!A0",
                                                   phone="@SUM(1+1)", email=f"x{n}@test.go.th")


def _spreadsheet_cells(response) -> list[tuple[str, str]]:
    """(data type, text) of every cell of an XLSX or CSV download."""
    payload = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response["Content-Type"]
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(payload))
        return [(c.data_type, str(c.value)) for ws in book.worksheets for row in ws.iter_rows() for c in row
                if c.value is not None]
    text = payload.decode("utf-8-sig")
    return [("csv", field) for row in csv.reader(io.StringIO(text)) for field in row]


@pytest.mark.django_db
def test_no_export_url_writes_a_formula(world, client):
    from tests.test_permissions import RULES

    _hostile(world)
    client.force_login(world.superuser)
    checked = {}
    for name, (_method, kwargs_for, _expect) in RULES.items():
        base = name.split(":")[-1]
        if name not in EXPORTS and "export" not in base:
            continue
        kwargs = kwargs_for(world)
        variants = [kwargs]
        if "fmt" in kwargs:
            variants = [{**kwargs, "fmt": fmt} for fmt in ("xlsx", "csv")]
        for kw in variants:
            response = client.get(reverse(name, kwargs=kw))
            if response.status_code != 200:
                continue
            if not any(t in response["Content-Type"] for t in ("spreadsheetml", "csv")):
                continue
            cells = _spreadsheet_cells(response)
            formulas = [text for kind, text in cells if kind == "f"]
            assert not formulas, (name, kw, formulas[:3])
            unescaped = [text for kind, text in cells if kind == "csv" and text.startswith(FORMULA_START)
                         and not text.lstrip("+-")[:1].isdigit()]
            assert not unescaped, (name, kw, unescaped[:3])
            checked[(name, kw.get("fmt", "xlsx"))] = any(HOSTILE[:10] in text or "'=" in text for _k, text in cells)
    names = {name for name, _fmt in checked}
    # the test reached the exports that list agencies, and the hostile names were in them
    assert {"progress_export", "registry:agency_export", "methodology:results_export",
            "surveys:export_province"} <= names, names
    assert checked[("registry:agency_export", "csv")] and checked[("registry:agency_export", "xlsx")]
    assert checked[("progress_export", "xlsx")]


@pytest.mark.parametrize("typed", ["'=", "''=1+2", "'-5", "'+66", "'abc", "'", "=1", "-5"])
def test_apostrophes_typed_before_a_formula_sign_read_back_as_typed(typed):
    buffer = io.BytesIO()
    write_table(buffer, ["หัวข้อ", "ค่า"], [["แถว", typed]], fmt="csv")
    assert read_table(buffer.getvalue(), "x.csv").rows[0][1] == typed
