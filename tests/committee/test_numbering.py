"""Agenda numbering (pure): "<section>.<n>[.<m>]" in Arabic or Thai digits, nothing else."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from itadesk.committee.services import check_number, normalize_number
from itadesk.core.thai import thai_digits

sections = st.integers(min_value=1, max_value=5)
parts = st.lists(st.integers(min_value=1, max_value=999), min_size=1, max_size=3)


@given(sections, parts, st.booleans())
def test_numbers_of_the_section_are_accepted_in_either_digits(section, rest, thai):
    number = ".".join(str(p) for p in [section, *rest])
    typed = thai_digits(number) if thai else number
    assert normalize_number(f" {typed}. ") == number
    check_number(section, normalize_number(typed))


@given(sections, sections, parts)
def test_numbers_of_another_section_are_refused(section, other, rest):
    if section == other:
        return
    with pytest.raises(ValidationError):
        check_number(section, ".".join(str(p) for p in [other, *rest]))


@pytest.mark.parametrize("number", ["3", "3.", "3.0", "3.a", "3..1", "x"])
def test_malformed_numbers_are_refused(number):
    with pytest.raises(ValidationError):
        check_number(3, normalize_number(number) if number != "3." else "3")
