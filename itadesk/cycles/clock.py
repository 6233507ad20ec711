"""What of the time a cached page shows, kept out of its cache key: a page kept under the data versions is keyed
on ``clock`` (the round's deadlines passed and the Bangkok day), not on the minute, and its countdowns are filled in
on every request (``fill_countdowns``) and ticked by the browser (core's itadesk.js). The dashboards and the OIT
workspace."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from django.utils.safestring import mark_safe

from itadesk.core import versions
from itadesk.core.thai import format_countdown, to_bangkok


def clock(round, now) -> tuple:
    """What of the time a cached page shows, for its cache key: how many of the round's deadlines have
    passed (who is late, the cards' colours, the follow-up's "deadline passed") and the day in Bangkok (the
    follow-up's days left and 14-day trend). The key changes at each deadline and at midnight, not every
    minute: the countdowns, which change every minute, are filled in on every request (``fill_countdowns``) and
    ticked by the browser (core's itadesk.js). The deadlines are kept under the "global" version, like the
    milestones they come from."""
    deadlines = versions.cached("round_deadlines", (round.pk,), [],
                                lambda: list(round.milestones.values_list("deadline", flat=True)))
    return sum(now >= d for d in deadlines), to_bangkok(now).date()


# A countdown as templates write it (core's itadesk.js reads the same attributes in the browser).
_COUNTDOWN = re.compile(r'(<span class="countdown[^"]*" data-deadline="([^"]+)" data-lang="(\w*)">)[^<]*</span>')


def fill_countdowns(body: str, now) -> str:
    """A cached body with its countdowns set to ``now``: the same words the ``countdown`` filter writes."""
    return mark_safe(_COUNTDOWN.sub(
        lambda m: f"{m[1]}{escape(format_countdown(dt.datetime.fromisoformat(m[2]) - now, lang=m[3]))}</span>",
        body))
