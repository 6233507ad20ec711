"""The agency page's own read (surveys.views._agency_page): the agency's stakeholder data with its log, in one
query whose shape never changes, built by the ORM once per process and database (``core.compiled``) and turned
into a model instance as the ORM would."""

from __future__ import annotations

from itadesk.core.compiled import Compiled, attnames, instances
from itadesk.surveys.models import StakeholderData

DATA_COLUMNS = attnames(StakeholderData)
# what the page shows of each step of the log (not its values)
EVENT_COLUMNS = ("id", "at", "actor_label", "action", "late", "reason")

# the data joined to its log, newest step first: one row per step, or one row without a step (the data has no
# log yet), or none (no data); a round and an agency have one row of data at most (stakeholder_data_unique)
DATA_WITH_LOG = Compiled(lambda round_id, agency_id: (
    StakeholderData.objects.filter(round_id=round_id, agency_id=agency_id).order_by("-events__at", "-events__id")
    .values_list(*DATA_COLUMNS, *(f"events__{c}" for c in EVENT_COLUMNS))))


def data_with_log(round_id: int, agency_id: int) -> tuple[StakeholderData | None, list[tuple]]:
    """The agency's stakeholder data in the round (None: not entered) and its log, newest first: ``(at,
    actor_label, action, late, reason)`` of each step."""
    rows = DATA_WITH_LOG.rows(model=StakeholderData, round_id=round_id, agency_id=agency_id)
    if not rows:
        return None, []
    n = len(DATA_COLUMNS)
    return (instances(StakeholderData, DATA_COLUMNS, rows[:1])[0],
            [row[n + 1:] for row in rows if row[n] is not None])
