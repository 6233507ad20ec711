"""Document numbers: one after the other per register and period, restarting each calendar year (or fiscal
year), never two letters with one number even when clerks issue at the same moment, and no gap when an
issue fails half-way."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core import audit
from itadesk.core.models import AuditEvent
from itadesk.core.thai import arabic_digits
from itadesk.documents import services
from itadesk.documents.models import DocumentRegister, IssuedDocument, RegisterCounter
from itadesk.registry.models import Province


def make_register(province, prefix="ลย ๐๐๑๗.๕/ว", reset=DocumentRegister.Reset.CALENDAR_YEAR):
    return services.save_register(actor=None, province=province, changes={
        "name": "หนังสือเวียน", "prefix": prefix, "reset": reset, "office_name": "สำนักงานจังหวัดเลย",
        "office_address": "ศาลากลางจังหวัดเลย", "contact": "", "is_active": True})


def draft(province, register, subject="เรื่องทดสอบ", date=None):
    return services.save_document(actor=None, province=province, changes={
        "register": register, "kind": "letter", "subject": subject, "addressee": "ท้องถิ่นจังหวัดเลย",
        "body": "ข้อความ", "date": date})


@pytest.fixture
def province(db):
    return Province.objects.create(code="42", name_th="เลย", name_en="Loei")


def test_numbers_follow_each_other_and_restart_each_calendar_year(province):
    register = make_register(province)
    issued = [services.issue_document(actor=None, document=draft(province, register), date=dt.date(2024, 12, d))
              for d in (27, 30, 31)]
    assert [(d.year, d.number) for d in issued] == [(2567, 1), (2567, 2), (2567, 3)]
    assert [d.full_number for d in issued] == ["ลย ๐๐๑๗.๕/ว ๑", "ลย ๐๐๑๗.๕/ว ๒", "ลย ๐๐๑๗.๕/ว ๓"]
    new_year = services.issue_document(actor=None, document=draft(province, register), date=dt.date(2025, 1, 2))
    assert (new_year.year, new_year.number, new_year.full_number) == (2568, 1, "ลย ๐๐๑๗.๕/ว ๑")
    # a late letter dated in the old year continues the old year's numbers
    late = services.issue_document(actor=None, document=draft(province, register), date=dt.date(2024, 12, 31))
    assert (late.year, late.number) == (2567, 4)
    assert AuditEvent.objects.filter(action="documents.letter_issue").count() == 5


def test_fiscal_year_and_never_reset(province):
    fiscal = make_register(province, prefix="ลย ๐๐๑๗.๕/", reset=DocumentRegister.Reset.FISCAL_YEAR)
    a = services.issue_document(actor=None, document=draft(province, fiscal), date=dt.date(2024, 9, 30))
    b = services.issue_document(actor=None, document=draft(province, fiscal), date=dt.date(2024, 10, 1))
    c = services.issue_document(actor=None, document=draft(province, fiscal), date=dt.date(2025, 1, 5))
    assert [(x.year, x.number) for x in (a, b, c)] == [(2567, 1), (2568, 1), (2568, 2)]
    assert c.full_number == "ลย ๐๐๑๗.๕/๒"  # after a slash: no space
    never = make_register(province, prefix="ลย 0017/ว", reset=DocumentRegister.Reset.NEVER)
    d = services.issue_document(actor=None, document=draft(province, never), date=dt.date(2024, 1, 1))
    e = services.issue_document(actor=None, document=draft(province, never), date=dt.date(2030, 1, 1))
    assert [(x.year, x.number) for x in (d, e)] == [(0, 1), (0, 2)]
    assert e.full_number == "ลย ๐๐๑๗/ว ๒"  # prefixes typed with Arabic digits print in Thai digits


def test_continue_after_a_paper_register_and_never_below_an_issued_number(province):
    register = make_register(province)
    services.set_last_number(actor=None, register=register, year=2567, last_number=871)
    letter = services.issue_document(actor=None, document=draft(province, register), date=dt.date(2024, 12, 27))
    assert letter.full_number == "ลย ๐๐๑๗.๕/ว ๘๗๒"
    with pytest.raises(ValidationError, match="872"):
        services.set_last_number(actor=None, register=register, year=2567, last_number=800)


def test_issued_letters_are_final(province):
    register = make_register(province)
    letter = services.issue_document(actor=None, document=draft(province, register), date=dt.date(2024, 12, 27))
    with pytest.raises(ValidationError):
        services.issue_document(actor=None, document=letter)
    with pytest.raises(ValidationError):
        services.save_document(actor=None, province=province, document=letter, changes={"subject": "แก้"})
    with pytest.raises(ValidationError):  # the numbering basis of a register in use cannot change
        services.save_register(actor=None, province=province, register=register,
                               changes={"reset": DocumentRegister.Reset.FISCAL_YEAR})


def test_a_failure_mid_issue_takes_no_number(province, monkeypatch):
    register = make_register(province)
    first = services.issue_document(actor=None, document=draft(province, register), date=dt.date(2024, 12, 1))
    second = draft(province, register)
    real = audit.record

    def failing(**kwargs):
        if kwargs.get("action") == "documents.letter_issue":
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError):
        services.issue_document(actor=None, document=second, date=dt.date(2024, 12, 2))
    second.refresh_from_db()
    assert second.number is None and not second.is_issued
    assert RegisterCounter.objects.get(register=register, year=2567).last_number == 1
    monkeypatch.setattr(audit, "record", real)
    again = services.issue_document(actor=None, document=second, date=dt.date(2024, 12, 2))
    assert (first.number, again.number) == (1, 2)  # no gap


@given(st.integers(min_value=1, max_value=99999))
def test_full_number_is_the_prefix_and_the_number_in_thai_digits(number):
    register = DocumentRegister(prefix="ลย ๐๐๑๗.๕/ว")
    text = register.full_number(number)
    assert text.startswith("ลย ๐๐๑๗.๕/ว ")
    assert int(arabic_digits(text.rsplit(" ", 1)[1])) == number
    assert not any(c.isascii() and c.isdigit() for c in text)


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_consecutive_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time (IMMEDIATE transactions), so issuing cannot race; "
                    "the row locks are exercised on PostgreSQL")
    province = Province.objects.create(code="42", name_th="เลย", name_en="Loei")
    register = make_register(province)
    drafts = [draft(province, register, subject=f"หนังสือ {i}") for i in range(12)]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def issue(document):
        try:
            barrier.wait(timeout=30)
            services.issue_document(actor=None, document=document, date=dt.date(2025, 3, 1))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    numbers = sorted(IssuedDocument.objects.filter(register=register).values_list("number", flat=True))
    assert numbers == list(range(1, len(drafts) + 1))
    assert RegisterCounter.objects.get(register=register, year=2568).last_number == len(drafts)
