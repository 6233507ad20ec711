"""One source of truth: what ITA Desk knows of a milestone beside what the agency declares about ITAS.

Three milestones are fed by a module of ITA Desk:

* ``stakeholders``: the stakeholder data in ITA Desk (none, waiting for approval, approved);
* ``oit``: the OIT items of the round's list approved by the agency's executive in ITA Desk (any state
  after the executive's approval: approved, submitted, passed or returned by the pre-review);
* ``iit-eit``: the latest response counts against the minimum sample (``followup``).

The agency's own declaration is its ``cycles.Progress`` row (status set on the progress page or by an
import of ITAS's status). Neither overwrites the other: the pages and the monitoring report show both,
labelled, and this module says where they disagree:

* ``approved_not_declared``: stakeholder data approved, or every OIT item approved by the executive, in
  ITA Desk, while the agency has not declared the milestone done in ITAS;
* ``declared_below_minimum``: the agency declares IIT/EIT done in ITAS while ITA Desk's latest counts are
  below the minimum of a questionnaire (only where the minimum is known).

A milestone declared done in ITAS with no data in ITA Desk is not a mismatch: an agency may work in ITAS
only. ``checks`` serves the agency, office and province pages (``at`` None: as now) and the monitoring
report (``at`` the cut-off, with the report's progress as at the cut-off), so both count the same.

This module sits in ``surveys`` (which already reads ``cycles``); it reads the OIT items of ``evidence``
through one query inside ``_oit_approved`` and never writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from itadesk.cycles.models import DONE_STATUSES, Progress, Round, Status
from itadesk.evidence.models import EvidenceEvent, EvidenceItem, State
from itadesk.evidence.selectors import oit_refs
from itadesk.surveys.selectors import (
    RESPONSES_MILESTONE,
    STAKEHOLDERS_MILESTONE,
    StakeStatus,
    followup,
    narrowed,
)

OIT_MILESTONE = "oit"  # evidence.selectors.OIT_MILESTONE (not imported: evidence sits beside surveys)
FED = (STAKEHOLDERS_MILESTONE, OIT_MILESTONE, RESPONSES_MILESTONE)

APPROVED_NOT_DECLARED = "approved_not_declared"
DECLARED_BELOW_MINIMUM = "declared_below_minimum"
KINDS = (APPROVED_NOT_DECLARED, DECLARED_BELOW_MINIMUM)

# Thai wording of the documents (the monitoring report is in Thai whatever the UI language).
HERE_TH = "ใน ITA Desk"
DECLARED_TH = "หน่วยงานแจ้งว่าใน ITAS"
KIND_TH = {APPROVED_NOT_DECLARED: "อนุมัติใน ITA Desk แล้ว แต่หน่วยงานยังไม่แจ้งว่าดำเนินการใน ITAS แล้ว",
           DECLARED_BELOW_MINIMUM: "หน่วยงานแจ้งว่าดำเนินการใน ITAS แล้ว แต่จำนวนผู้ตอบยังต่ำกว่าขั้นต่ำ"}
STATUS_TH = {Status.NOT_STARTED: "ยังไม่เริ่ม", Status.IN_PROGRESS: "กำลังดำเนินการ", Status.DONE: "ดำเนินการแล้ว",
             Status.APPROVED: "อนุมัติแล้ว"}
STAKE_TH = {StakeStatus.NONE: "ยังไม่กรอก", StakeStatus.DRAFT: "รออนุมัติ", StakeStatus.APPROVED: "อนุมัติแล้ว"}


@dataclass
class Check:
    """One agency on one fed milestone: ITA Desk's state beside the agency's declaration."""

    code: str  # the milestone's code
    here: str  # stakeholders: none/draft/approved; oit: none/partial/approved; iit-eit: none/below/reached
    declared: str  # the Progress status (not_started when there is no row)
    mismatch: str = ""  # "" or one of KINDS
    approved_items: int = 0  # oit: items approved by the executive
    items: int = 0  # oit: items of the round's list
    counts: list = field(default_factory=list)  # iit-eit: [(code, count or None, minimum or None)]
    milestone_name: str = ""

    @property
    def declared_done(self) -> bool:
        return self.declared in DONE_STATUSES

    def here_text(self) -> str:
        """The state in ITA Desk in words, in the request's language."""
        if self.code == STAKEHOLDERS_MILESTONE:
            return {StakeStatus.NONE: _("Not entered"), StakeStatus.DRAFT: _("Waiting for approval"),
                    StakeStatus.APPROVED: _("Approved")}[self.here]
        if self.code == OIT_MILESTONE:
            return _("%(n)s of %(total)s items approved by the executive") % {"n": self.approved_items,
                                                                              "total": self.items}
        return " · ".join(f"{c} {'—' if n is None else f'{n:,}'} / {'?' if m is None else f'{m:,}'}"
                          for c, n, m in self.counts)

    def here_th(self) -> str:
        """The same in Thai, for the report."""
        if self.code == STAKEHOLDERS_MILESTONE:
            return STAKE_TH[self.here]
        if self.code == OIT_MILESTONE:
            return f"ผู้บริหารอนุมัติแล้ว {self.approved_items} จาก {self.items} รายการ"
        return self.here_text()

    @property
    def here_label(self) -> str:
        return _("In ITA Desk: %(state)s") % {"state": self.here_text()}

    @property
    def declared_label(self) -> str:
        return _("The agency declares in ITAS: %(state)s") % {"state": Status(self.declared).label}

    @property
    def mismatch_label(self) -> str:
        return {APPROVED_NOT_DECLARED: _("Approved in ITA Desk, not declared done in ITAS"),
                DECLARED_BELOW_MINIMUM: _("Declared done in ITAS, respondents below the minimum"),
                }.get(self.mismatch, "")


def _oit_approved(round: Round, ids, at) -> tuple[int, dict[int, int]]:
    """(items on the round's OIT list, {agency id: items approved by its executive}) as now, or at ``at``
    (items with an event after ``at`` are put back in the state their log left them in)."""
    if not round.framework_id:
        return 0, {}
    codes = [ref.item["code"] for ref in oit_refs(round)]
    wanted = set(ids)
    items = EvidenceItem.objects.filter(round=round, item_code__in=codes)
    if at is None:  # as now: counted in the database
        return len(codes), {a_id: n for a_id, n in items.exclude(state=State.DRAFT).values("agency_id")
                            .annotate(n=Count("id")).order_by().values_list("agency_id", "n") if a_id in wanted}
    items = items.filter(created_at__lte=at)
    state_of = {pk: (a_id, state) for pk, a_id, state in items.values_list("pk", "agency_id", "state")
                if a_id in wanted}
    if state_of:
        later = set(EvidenceEvent.objects.filter(item_id__in=list(state_of), at__gt=at)
                    .values_list("item_id", flat=True))
        then = {pk: State.DRAFT for pk in later}
        for item_id, to_state in (EvidenceEvent.objects.filter(item_id__in=list(later), at__lte=at)
                                  .order_by("at", "id").values_list("item_id", "to_state")):
            then[item_id] = to_state
        for pk, state in then.items():
            state_of[pk] = (state_of[pk][0], state)
    approved = defaultdict(int)
    for a_id, state in state_of.values():
        if state != State.DRAFT:
            approved[a_id] += 1
    return len(codes), dict(approved)


def _declared(round: Round, ids) -> dict[tuple[int, int], str]:
    wanted = set(ids)
    qs = narrowed(Progress.objects.filter(milestone__round=round, milestone__code__in=FED), wanted)
    return {(m, a): s for m, a, s in qs.values_list("milestone_id", "agency_id", "status") if a in wanted}


def checks(round: Round, agency_rows, *, at=None, declared=None, follow=None) -> dict[int, dict[str, Check]]:
    """``{agency id: {milestone code: Check}}`` for the fed milestones the round has, for the given
    participants (``cycles.selectors.participants`` rows). ``at``: as at that instant (the monitoring
    report), with ``declared`` the report's ``{(milestone id, agency id): status}`` at ``at``; ``follow``:
    a ``followup`` of the same rows at the same instant when the caller has it. Four to six queries."""
    out: dict[int, dict[str, Check]] = {}
    for a_id, code, check in _checks(round, list(agency_rows), at=at, declared=declared, follow=follow):
        out.setdefault(a_id, {})[code] = check
    return out


def _checks(round: Round, rows: list, *, at, declared, follow, mismatches_only: bool = False):
    """``(agency id, milestone code, Check)`` of :func:`checks`, agency by agency in the rows' order and the
    round's milestones' order; with ``mismatches_only`` only the checks that are a mismatch, the others decided
    without being built (a dashboard shows the mismatches of hundreds of agencies, a few of them)."""
    milestones = {m.code: m for m in round.milestones.all() if m.code in FED}
    ids = [r.id for r in rows]
    if not milestones or not ids:
        return
    if declared is None:
        declared = _declared(round, ids)
    if follow is None:
        follow = followup(round, rows, at=at, trend="none")
    by_id = {r.id: r for r in follow.rows}
    total, approved = (_oit_approved(round, ids, at) if OIT_MILESTONE in milestones else (0, {}))
    if not total:  # no framework, so no OIT list to compare with
        milestones.pop(OIT_MILESTONE, None)
    fed = [(code, m.pk, m.name_th) for code, m in milestones.items()]
    codes = [i.code for i in follow.instruments]
    not_started = Status.NOT_STARTED
    for a_id in ids:
        frow = by_id[a_id]
        for code, m_pk, name in fed:
            status = declared.get((m_pk, a_id), not_started)
            done = status in DONE_STATUSES
            if code == STAKEHOLDERS_MILESTONE:
                mismatch = APPROVED_NOT_DECLARED if frow.stake_status == StakeStatus.APPROVED and not done else ""
                if mismatches_only and not mismatch:
                    continue
                c = Check(code, frow.stake_status, status, mismatch)
            elif code == OIT_MILESTONE:
                n = approved.get(a_id, 0)
                here = "none" if not n else ("approved" if total and n >= total else "partial")
                mismatch = APPROVED_NOT_DECLARED if here == "approved" and not done else ""
                if mismatches_only and not mismatch:
                    continue
                c = Check(code, here, status, mismatch, approved_items=n, items=total)
            else:
                cells = [frow.cells[c] for c in codes]
                below = any(cell.below for cell in cells)
                mismatch = DECLARED_BELOW_MINIMUM if done and below else ""
                if mismatches_only and not mismatch:
                    continue
                known = [cell for cell in cells if cell.count is not None]
                here = "below" if below else ("reached" if known and all(
                    cell.minimum is not None for cell in cells) else "none")
                c = Check(code, here, status, mismatch, counts=[(cell.instrument.code, cell.count, cell.minimum)
                                                                for cell in cells])
            c.milestone_name = name
            yield a_id, code, c


@dataclass
class Mismatch:
    agency_id: int
    name: str
    district: str
    check: Check


def mismatches(round: Round, agency_rows, *, at=None, declared=None, follow=None,
               checked=None) -> list[Mismatch]:
    """Every mismatch of the given participants, in the milestones' order then by agency name."""
    rows = list(agency_rows)
    if checked is None:
        found = _checks(round, rows, at=at, declared=declared, follow=follow, mismatches_only=True)
    else:
        found = ((r.id, code, c) for r in rows for code, c in checked.get(r.id, {}).items() if c.mismatch)
    by_id = {r.id: r for r in rows}
    order = {code: n for n, code in enumerate(FED)}
    out = [Mismatch(a_id, by_id[a_id].name, by_id[a_id].district, c) for a_id, _code, c in found]
    out.sort(key=lambda m: (order[m.check.code], m.name))
    return out


def below_minimum_ids(round: Round, agency_ids) -> dict[int, list[tuple[str, int, int]]]:
    """``{agency id: [(questionnaire code, count, minimum)]}`` of the agencies below a minimum now (one
    follow-up for all of them)."""
    rows = [_Row(pk) for pk in agency_ids]
    f = followup(round, rows, trend="none")
    return {r.id: [(c.instrument.code, c.count or 0, c.minimum) for c in r.cells.values() if c.below]
            for r in f.rows if any(c.below for c in r.cells.values())}


class _Row:
    """The least a follow-up needs of an agency."""

    def __init__(self, agency):
        self.id = getattr(agency, "pk", agency)
        self.name = getattr(agency, "name_th", "")
        self.district = ""
        self.kind_label = ""
