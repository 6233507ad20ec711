"""The refusal shape: pure parts property-tested, the rest through a ValidationError of each kind."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from itadesk.api import errors
from itadesk.core.services import Refused

side = st.text(min_size=1).filter(lambda s: " / " not in s and s.strip() == s and s)


@given(side, side)
def test_a_thai_slash_english_message_splits_into_its_halves(th, en):
    assert errors._split(f"{th} / {en}") == (th, en)


@given(side)
def test_any_other_message_is_both(text):
    assert errors._split(text) == (text, text)


def test_refused_keeps_both_languages_and_the_field():
    body = errors.refusal(Refused("วันที่ไม่ถูกต้อง", "Bad date", field="on_date"))
    assert (body["status"], body["message_th"], body["message_en"], body["field"]) == \
        (400, "วันที่ไม่ถูกต้อง", "Bad date", "on_date")


def test_a_field_error_names_its_field_and_several_are_listed():
    body = errors.refusal(ValidationError({"IIT": ["ต้องเป็นจำนวนเต็ม / must be whole"], "on_date": ["x"]}))
    assert body["field"] == "IIT" and body["message_th"].startswith("ต้องเป็นจำนวนเต็ม")
    assert [(e["field"], e["message_en"]) for e in body["errors"]] == [("IIT", "must be whole"), ("on_date", "x")]


def test_a_plain_refusal_has_no_field():
    body = errors.refusal(ValidationError("ไม่ได้เข้ารับการประเมิน / does not take part"))
    assert (body["field"], body["message_th"], body["message_en"], body["errors"]) == \
        (None, "ไม่ได้เข้ารับการประเมิน", "does not take part", [])
