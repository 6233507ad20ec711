"""The normalisers of ITAS codes, websites and Thai phone numbers (pure functions, no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core.thai import thai_digits
from itadesk.registry.validation import Invalid, normalise_itas_code, normalise_phone, normalise_website


@pytest.mark.parametrize("raw, stored", [
    ("042-811-234", "042 811 234"),
    ("0 4281 1234", "042 811 234"),
    ("(042) 811234", "042 811 234"),
    ("+66 42 811 234", "042 811 234"),
    ("+66 (0) 42 811 234", "042 811 234"),
    ("02-123-4567", "02 123 4567"),
    ("081-234-5678", "081 234 5678"),
    ("๐๔๒๘๑๑๒๓๔ ต่อ ๑๒", "042 811 234 ต่อ 12"),
    ("042811234 ext. 5", "042 811 234 ต่อ 5"),
    ("1111", "1111"),
    ("042 811234 หรือ 089 123 4567", "042 811 234, 089 123 4567"),
    ("042811234; 0812345678", "042 811 234, 081 234 5678"),
    ("", ""),
])
def test_thai_phone_numbers_in_common_forms(raw, stored):
    assert normalise_phone(raw) == stored


@pytest.mark.parametrize("raw", ["12345", "abc", "042 811 23", "+1 202 555 0100", "0123456789", "04281123456"])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(Invalid):
        normalise_phone(raw)


def test_too_many_phone_numbers():
    with pytest.raises(Invalid) as exc:
        normalise_phone(", ".join(["081 234 5678"] * 5))
    assert exc.value.reason == "too_long"


@given(st.sampled_from("3457"), st.integers(0, 9_999_999), st.booleans(), st.sampled_from(["-", " ", ""]))
def test_any_provincial_landline_round_trips(area, rest, thai, sep):
    digits = f"0{area}{rest:07d}"
    typed = f"{digits[:3]}{sep}{digits[3:6]}{sep}{digits[6:]}"
    if thai:
        typed = thai_digits(typed)
    stored = normalise_phone(typed)
    assert stored.replace(" ", "") == digits
    assert normalise_phone(stored) == stored  # stored form is a fixed point


@given(st.text(max_size=30))
def test_phone_normaliser_never_crashes(text):
    try:
        value = normalise_phone(text)
    except Invalid:
        return
    assert len(value) <= 50 and normalise_phone(value) == value


@pytest.mark.parametrize("raw, stored", [
    ("www.wangsaphung.go.th", "http://www.wangsaphung.go.th"),
    ("HTTPS://WWW.Loei.GO.TH/index.php?a=1#top", "https://www.loei.go.th/index.php?a=1"),
    ("https://x.go.th/", "https://x.go.th/"),
    ("x.go.th:8080/a", "http://x.go.th:8080/a"),
    ("", ""),
])
def test_websites_are_normalised(raw, stored):
    assert normalise_website(raw) == stored


@pytest.mark.parametrize("raw, reason", [
    ("ftp://x.go.th", "scheme"), ("mailto:a@x.go.th", "scheme"), ("javascript:alert(1)", "scheme"),
    ("https://www.facebook.com/abt.loei", "shared"), ("bit.ly/abc", "shared"),
    ("https://drive.google.com/file/d/1", "shared"), ("https://itas.nacc.go.th/go/eit/u4gpi2", "shared"),
    ("not a url", "format"), ("http://localhost", "format"), ("http://user:pw@x.go.th", "format"),
    ("https://" + "a" * 300 + ".go.th", "format"),
])
def test_bad_websites_are_refused_with_a_reason(raw, reason):
    with pytest.raises(Invalid) as exc:
        normalise_website(raw)
    assert exc.value.reason == reason


@given(st.text(max_size=60))
def test_website_normaliser_is_idempotent(text):
    try:
        url = normalise_website(text)
    except Invalid:
        return
    assert url == "" or url.startswith(("http://", "https://"))
    assert normalise_website(url) == url


@pytest.mark.parametrize("raw, stored", [("u4gpi2", "u4gpi2"), (" 06420205 ", "06420205"), ("๐๖๔๒๐๒๐๕", "06420205"),
                                         ("AB-12_c", "AB-12_c"), ("", None), (None, None)])
def test_itas_codes(raw, stored):
    assert normalise_itas_code(raw) == stored


@pytest.mark.parametrize("raw", ["u4 gpi2", "ab", "รหัส12", "a/b/c", "x" * 21, "-abc"])
def test_bad_itas_codes(raw):
    with pytest.raises(Invalid):
        normalise_itas_code(raw)
