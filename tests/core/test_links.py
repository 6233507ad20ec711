"""core.links.filler gives the very string reverse() gives, for every value reverse accepts."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core.links import filler

IDS = st.integers(min_value=0, max_value=10**12)
CODES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


@given(round_id=IDS, agency_id=IDS, code=CODES)
def test_the_filled_url_is_what_reverse_gives(round_id, agency_id, code):
    kwargs = {"round_id": round_id, "agency_id": agency_id, "code": code}
    try:
        expected = reverse("evidence:review", kwargs=kwargs)
    except NoReverseMatch:
        return  # a value the path refuses (a slash in a code): not a link anyone can have
    assert filler("evidence:review", ["agency_id", "code"], round_id=round_id)(agency_id, code) == expected
    assert filler("evidence:review", ["code"], round_id=round_id, agency_id=agency_id)(code=code) == expected


@given(round_id=IDS, agency_id=IDS)
def test_integer_arguments(round_id, agency_id):
    assert (filler("evidence:workspace", ["agency_id"], round_id=round_id)(agency_id)
            == reverse("evidence:workspace", args=[round_id, agency_id]))


def test_an_argument_that_is_not_in_the_path_is_refused():
    with pytest.raises(NoReverseMatch):
        filler("evidence:workspace", ["code"], round_id=1, agency_id=2)
