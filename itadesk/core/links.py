"""Links for long tables: ``reverse()`` once per page, not once per row.

Django's ``reverse`` (and the ``{% url %}`` tag) costs about a third of a millisecond a call; a page of 50
rows with two links each spends more on its links than on its data. ``filler(name, **fixed)`` reverses the
URL once with a marker for each argument not fixed, and returns a function that puts the values in — the
same string ``reverse`` gives for integers and for the text of a path converter (quoted as ``reverse``
quotes it; tests/core/test_links.py compares the two)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse

# Digits only, so that an ``int`` converter accepts them; long enough never to occur in a URL by chance.
_MARKER = "9071{}8264531097"


def filler(viewname: str, varying: list[str], **fixed) -> Callable[..., str]:
    """A function of the ``varying`` URL arguments (keyword or positional, in that order) giving the URL of
    ``viewname`` with them and the ``fixed`` ones: ``filler("evidence:item", ["agency_id", "code"],
    round_id=3)(12, "o1")`` == ``reverse("evidence:item", kwargs={"round_id": 3, "agency_id": 12, "code": "o1"})``."""
    markers = {name: _MARKER.format(n) for n, name in enumerate(varying)}
    pattern = reverse(viewname, kwargs={**fixed, **markers})
    parts = [(name, marker) for name, marker in markers.items() if marker in pattern]
    if len(parts) != len(markers):
        raise ValueError(f"{viewname}: every varying argument must appear in the path")

    def fill(*args, **kwargs) -> str:
        values = dict(zip(varying, args, strict=False)) | kwargs
        url = pattern
        for name, marker in parts:
            url = url.replace(marker, quote(str(values[name]), safe="!$&'()*+,;=:@~"))
        return url
    return fill
