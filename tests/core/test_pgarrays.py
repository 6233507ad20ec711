"""core.pgarrays: psycopg's text arrays escaped without a regular expression per quote, byte for byte what
psycopg's own dumper writes (any text, nested lists, NULLs), and used by the app's connections on PostgreSQL."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg.adapt import PyFormat, Transformer
from psycopg.types import array

from itadesk.core import pgarrays

# quotes, backslashes, braces, commas, spaces and Thai mixed in: what the escaping and the quoting are about
TEXT = (st.text(alphabet=st.sampled_from(list('"\\{},; \tabก\u3000NUL')), max_size=30)
        | st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=30))
ELEMENT = st.none() | TEXT


def _dump(dumper_class, value) -> bytes:
    tx = Transformer(psycopg.adapt.AdaptersMap(psycopg.postgres.adapters))
    tx.adapters.register_dumper(list, dumper_class)
    return bytes(tx.get_dumper(value, PyFormat.TEXT).dump(value))


@settings(max_examples=300, deadline=None)
@given(st.lists(ELEMENT, min_size=1, max_size=8) | st.lists(st.lists(TEXT, min_size=2, max_size=2), min_size=1,
                                                                   max_size=4))
def test_the_same_text_as_psycopg_writes(value):
    assert _dump(pgarrays.ListDumper, value) == _dump(array.ListDumper, value)


def test_quotes_and_backslashes_escaped_once():
    assert pgarrays._Escape.sub(None, b'a\\"b"\\') == b'a\\\\\\"b\\"\\\\'
    assert pgarrays._Escape.sub(None, memoryview(b'x"y')) == b'x\\"y'


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's arrays: runs in the PostgreSQL half")
def test_the_connections_use_it_and_postgresql_reads_back_what_was_sent():
    value = ['{"a": "b\\\\c"}', "<p style=\"x\">ก</p>", None, "", "NULL", "a,b", "\\"]
    with connection.cursor() as cursor:
        tx = Transformer(cursor.connection)
        assert type(tx.get_dumper(value, PyFormat.AUTO)) is pgarrays.ListDumper
        cursor.execute("SELECT %s::text[]", [value])
        assert cursor.fetchone()[0] == value
