"""Amounts in words (``core.thai.bahttext``): the cases official documents print, and properties
checked against an independent reading of the words back into a number."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itadesk.core.thai import bahttext, number_words


@pytest.mark.parametrize(("amount", "words"), [
    (90000, "เก้าหมื่นบาทถ้วน"),
    ("90,000.00", "เก้าหมื่นบาทถ้วน"),
    (Decimal("21.50"), "ยี่สิบเอ็ดบาทห้าสิบสตางค์"),
    (1000001, "หนึ่งล้านเอ็ดบาทถ้วน"),
    (0, "ศูนย์บาทถ้วน"),
    (1, "หนึ่งบาทถ้วน"),
    (10, "สิบบาทถ้วน"),
    (11, "สิบเอ็ดบาทถ้วน"),
    (20, "ยี่สิบบาทถ้วน"),
    (101, "หนึ่งร้อยเอ็ดบาทถ้วน"),
    (111, "หนึ่งร้อยสิบเอ็ดบาทถ้วน"),
    (1000000, "หนึ่งล้านบาทถ้วน"),
    (1000011, "หนึ่งล้านสิบเอ็ดบาทถ้วน"),
    (21000000, "ยี่สิบเอ็ดล้านบาทถ้วน"),
    (10**12 + 1, "หนึ่งล้านล้านเอ็ดบาทถ้วน"),
    (Decimal("0.01"), "หนึ่งสตางค์"),
    (Decimal("0.25"), "ยี่สิบห้าสตางค์"),
    (Decimal("100.25"), "หนึ่งร้อยบาทยี่สิบห้าสตางค์"),
    (Decimal("1.005"), "หนึ่งบาทหนึ่งสตางค์"),  # half a satang rounds up
    (Decimal("-5"), "ลบห้าบาทถ้วน"),
    (24500, "สองหมื่นสี่พันห้าร้อยบาทถ้วน"),
])
def test_known_amounts(amount, words):
    assert bahttext(amount) == words


def test_rejects_what_is_not_an_amount():
    for bad in ("abc", "", "NaN", "Infinity"):
        with pytest.raises(ValueError):
            bahttext(bad)
    with pytest.raises(ValueError):
        number_words(-1)


# --- an independent reading: Thai number words back to a number -------------------------------------

DIGITS = {"ศูนย์": 0, "หนึ่ง": 1, "เอ็ด": 1, "สอง": 2, "ยี่": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6, "เจ็ด": 7,
          "แปด": 8, "เก้า": 9}
PLACES = {"สิบ": 10, "ร้อย": 100, "พัน": 1000, "หมื่น": 10_000, "แสน": 100_000}
TOKEN = re.compile("|".join(sorted([*DIGITS, *PLACES, "ล้าน"], key=len, reverse=True)))


def read_number(words: str) -> int:
    tokens = TOKEN.findall(words)
    assert "".join(tokens) == words, f"unreadable words: {words!r}"
    total, group, digit = 0, 0, None
    for t in tokens:
        if t in DIGITS:
            assert digit is None, f"two digits in a row in {words!r}"
            digit = DIGITS[t]
        elif t in PLACES:
            group += (1 if digit is None else digit) * PLACES[t]
            digit = None
        else:  # ล้าน multiplies everything read so far
            total = (total + group + (digit or 0)) * 1_000_000
            group, digit = 0, None
    return total + group + (digit or 0)


def read_baht(text: str) -> Decimal:
    negative = text.startswith("ลบ")
    text = text.removeprefix("ลบ")
    baht, satang = 0, 0
    if text.endswith("บาทถ้วน"):
        baht = read_number(text.removesuffix("บาทถ้วน"))
    else:
        assert text.endswith("สตางค์"), text
        head, _, tail = text.removesuffix("สตางค์").rpartition("บาท")
        baht = read_number(head) if head else 0
        satang = read_number(tail)
        assert 0 < satang < 100
    value = Decimal(baht) + Decimal(satang) / 100
    return -value if negative else value


amounts = st.decimals(min_value=Decimal("-10") ** 15, max_value=Decimal(10) ** 15, places=2,
                      allow_nan=False, allow_infinity=False)


@settings(max_examples=500)
@given(amounts)
def test_words_read_back_to_the_amount(amount):
    assert read_baht(bahttext(amount)) == amount


@settings(max_examples=300)
@given(amounts)
def test_shape_of_the_words(amount):
    text = bahttext(amount)
    whole = amount == amount.to_integral_value()
    assert text.endswith("ถ้วน") == whole
    assert text.endswith("สตางค์") == (not whole)
    assert "หนึ่งสิบ" not in text and "สองสิบ" not in text  # 10 is สิบ, 20 is ยี่สิบ
    assert not re.search("(^|บาท|ลบ)เอ็ด", text)  # เอ็ด only after a higher place
    if abs(amount) >= 1 or amount == 0:
        assert "บาท" in text
    else:
        assert "บาท" not in text  # 0.25 is ยี่สิบห้าสตางค์, not ศูนย์บาท…


@given(st.integers(min_value=0, max_value=10**18))
def test_whole_numbers_read_back(n):
    assert read_number(number_words(n)) == n


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=3))
def test_one_after_a_higher_place_is_et(tens, millions):
    assert number_words(tens * 10 + 1).endswith("เอ็ด")
    assert number_words(10 ** (6 * millions) + 1).endswith("ล้านเอ็ด")
