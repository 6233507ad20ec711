"""An importer that takes its time over each row, for the fault tests: a worker can be killed in the middle of it.
Used by a real Huey worker (tests/core/test_faults.py), which imports it by its dotted path like any importer."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from itadesk.core import imports
from itadesk.core.tabular import read_import


@dataclass
class SlowPlan:
    rows: int = 0
    errors: list = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"{self.rows} rows"


@imports.importer
def slow_importer(user, *, seconds_per_row: float):
    def plan(data: bytes, name: str) -> SlowPlan:
        result = SlowPlan()
        table = read_import(data, name, result.errors)
        for _row in table.rows if table is not None else ():
            time.sleep(seconds_per_row)
            result.rows += 1
        return result

    def apply(plan: SlowPlan) -> str:
        return plan.summary

    return plan, apply
