"""Helpers for the people tests: a people file as CSV or XLSX bytes."""

from __future__ import annotations

import io

from itadesk.accounts.importing import HEADERS
from itadesk.core.tabular import write_table


def csv_bytes(rows, headers=HEADERS, encoding="utf-8-sig") -> bytes:
    lines = [",".join(headers)] + [",".join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    buffer = io.BytesIO()
    write_table(buffer, headers, rows, "xlsx")
    return buffer.getvalue()
