"""PostgreSQL arrays of text built without a regular expression per quote.

Django's bulk inserts on PostgreSQL send each column as one array (``INSERT … SELECT * FROM UNNEST(%s::text[],
…)``), and psycopg builds the text of an array in Python: each element that holds a double quote or a backslash
is escaped with ``re.sub`` and a replacement template, which Python 3.11 expands in Python once per match. The
outbox rows of a submission (HTML mails: ~110 quotes each) and the audit records of the items it approves and
sends (their JSON) hold thousands of them: a fifth of the CPU of the executive's "approve and send" went there.
:class:`ListDumper` escapes the same two characters with ``bytes.replace`` (in C), byte for byte the same text
(tests/core/test_pgarrays.py compares it with psycopg's own dumper); :func:`install` registers it for every
connection made after it (``core.apps``)."""

from __future__ import annotations

import psycopg
from psycopg.types import array


class _Escape:
    """What ``array.ListDumper._re_esc.sub(rb"\\\\\\1", item)`` does — a backslash before every double quote and
    every backslash — without the regular expression. Backslashes first, so that the ones put before the quotes
    are not doubled."""

    @staticmethod
    def sub(_template, item) -> bytes:
        return bytes(item).replace(b"\\", b"\\\\").replace(b'"', b'\\"')


class ListDumper(array.ListDumper):
    """psycopg's text dumper of Python lists with :class:`_Escape`."""

    _re_esc = _Escape()


def install() -> None:
    """Dump lists with :class:`ListDumper` on the connections made from now on (Django copies psycopg's global
    adapters into each new connection's)."""
    psycopg.adapters.register_dumper(list, ListDumper)
