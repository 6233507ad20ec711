"""Shared set-up of the surveys tests: the shipped 2568 framework (its sample rules: IIT at least 25, all
if fewer; EIT 10 %, at least 30, at most 400, all if fewer than 30) on the test world's round."""

from __future__ import annotations

import datetime as dt

from itadesk.core.thai import bangkok_datetime
from itadesk.methodology import services as methodology

BEFORE_STAKEHOLDERS = bangkok_datetime(2568, 1, 20, 10)  # 20 Jan 2568: before the 31 Jan deadline
BEFORE_RESPONSES = bangkok_datetime(2568, 6, 23, 10)  # a week before the 30 Jun deadline
AFTER_RESPONSES = bangkok_datetime(2568, 7, 2, 10)


def with_framework(w):
    path = next(p for p in methodology.shipped_files() if p.name == "nacc-ita-2568.yaml")
    fw, _ = methodology.install_framework(actor=None, text=path.read_text(encoding="utf-8"), source=path.name)
    methodology.set_round_framework(actor=None, round=w.round, framework=fw)
    w.round.refresh_from_db()
    return w


def day(y, m, d) -> dt.date:
    """A date given with a BE year."""
    return dt.date(y - 543, m, d)
