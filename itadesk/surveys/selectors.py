"""Reads of stakeholder data, minimum samples and response follow-up.

The minimum sample comes from the round's framework file (``sample_rules``: ``internal`` for the
instruments answered by staff, ``external`` for those answered by service users; see
``methodology.schema.minimum_sample``) applied to the agency's stakeholder data: the staff with at least
one year of service (internal) and the people plus organizations served (external). Nothing about the
rule is in this code.

``followup`` reads a whole province (or an office's share) in three queries whatever the number of
agencies: the stakeholder data, the latest count of each agency and instrument, and the counts of the
last ``trend_days`` days for the daily trend.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from itadesk.core.thai import to_bangkok
from itadesk.cycles.models import Milestone, Round
from itadesk.methodology.models import framework_data
from itadesk.methodology.schema import minimum_sample
from itadesk.surveys.models import ResponseCount, StakeholderData, StakeholderEvent

STAKEHOLDERS_MILESTONE = "stakeholders"
RESPONSES_MILESTONE = "iit-eit"
GROUPS = ("internal", "external")
# Above this many agencies a follow-up reads its round's rows and keeps the agencies' in Python: an ``IN`` of
# hundreds of ids costs more to build and send (Django prepares each value, psycopg splits the query) than
# the other agencies' rows it saves (an office of 351 agencies: 5.7 ms against 1.0 ms of CPU).
IN_LIMIT = 100


def narrowed(qs, ids):
    """``qs`` (rows with an ``agency_id``) narrowed to the agencies ``ids`` by an ``IN`` when they are at most
    ``IN_LIMIT``; above, left whole (the round's rows): the caller keeps its agencies' rows (``agency_id in
    ids``), which it must do either way."""
    return qs.filter(agency_id__in=sorted(ids)) if len(ids) <= IN_LIMIT else qs
# Without a framework a round still follows the two questionnaires by their usual codes (no minimum).
DEFAULT_INSTRUMENTS = (("IIT", "internal", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน"),
                       ("EIT", "external", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก"))


@dataclass(frozen=True)
class Instrument:
    code: str
    group: str  # "internal" | "external"
    name_th: str


def instruments(round: Round) -> list[Instrument]:
    """The questionnaires of the round answered by people (the framework's instruments whose
    ``respondents`` is internal or external), in the framework's order."""
    data = framework_data(round.framework) if round.framework_id else None
    if not data:
        return [Instrument(*i) for i in DEFAULT_INSTRUMENTS]
    return [Instrument(i["code"], i["respondents"], i.get("name_th") or i["code"])
            for i in data.get("instruments", []) if i.get("respondents") in GROUPS]


def sample_rules(round: Round) -> dict[str, dict]:
    """``{"internal": rule, "external": rule}`` from the round's framework (missing groups left out)."""
    if not round.framework_id:
        return {}
    rules = (framework_data(round.framework) or {}).get("sample_rules") or {}
    return {g: r for g, r in rules.items() if g in GROUPS and isinstance(r, dict)}


def populations(data: StakeholderData | None) -> dict[str, int | None]:
    if data is None:
        return {"internal": None, "external": None}
    return {"internal": data.internal_population, "external": data.external_population}


def _minimums(rules: dict, pops: dict) -> dict[str, int | None]:
    return {g: (minimum_sample(rules[g], pops[g]) if g in rules and pops.get(g) is not None else None)
            for g in GROUPS}


def minimum_for(round, agency) -> dict[str, int | None]:
    """The minimum number of respondents of an agency in a round, by the round's framework sample rules
    and the agency's stakeholder data: ``{"internal": n | None, "external": m | None}`` (None when the
    population or the rule is not known yet)."""
    data = StakeholderData.objects.filter(round=round, agency=agency).first()
    return _minimums(sample_rules(round), populations(data))


def milestone(round: Round, code: str) -> Milestone | None:
    return next((m for m in round.milestones.all() if m.code == code), None)


def today(now=None) -> dt.date:
    return to_bangkok(now or timezone.now()).date()


# --------------------------------------------------------------------------------- batch follow-up


@dataclass
class Cell:
    """One agency's standing on one instrument."""

    instrument: Instrument
    count: int | None = None  # latest known count
    on_date: dt.date | None = None
    minimum: int | None = None
    # One point a day, carried forward. Read-only: the cells with no count in the window share one list.
    trend: list[tuple[dt.date, int]] = field(default_factory=list)
    pace: float | None = None  # respondents a day over the trend window
    days_left: int | None = None
    past: bool = False  # the deadline has passed: the gap is the final shortfall

    gap: int | None = field(init=False, default=None)  # respondents still missing (None: no minimum)
    below: bool = field(init=False, default=False)

    def __post_init__(self):
        if self.minimum is not None:
            self.gap = max(0, self.minimum - (self.count or 0))
            self.below = self.gap > 0

    @property
    def ratio(self) -> str:
        """``32 / 40`` (``— / 40`` without a count, ``32 / ?`` without a minimum)."""
        count = "—" if self.count is None else f"{self.count:,}"
        minimum = "?" if self.minimum is None else f"{self.minimum:,}"
        return f"{count} / {minimum}"

    @property
    def days_to_minimum(self) -> int | None:
        """Days still needed at the current pace (None: never at this pace)."""
        if not self.below:
            return 0
        if not self.pace:
            return None
        return math.ceil(self.gap / self.pace)

    @property
    def final_shortfall(self) -> int | None:
        """After the deadline: the respondents that were missing (None before it, or when not below)."""
        return self.gap if self.past and self.below else None

    @property
    def per_day_needed(self) -> int | None:
        if not self.below or self.days_left is None or self.past:
            return None
        return math.ceil(self.gap / max(1, self.days_left))

    @property
    def behind_schedule(self) -> bool:
        """Below the minimum and, at its current pace, not there by the deadline."""
        if not self.below or self.days_left is None or self.past:
            return False
        need = self.days_to_minimum
        return need is None or need > self.days_left

    @property
    def sort_days(self) -> float:
        need = self.days_to_minimum
        return math.inf if need is None else need


class StakeStatus:
    NONE = "none"
    DRAFT = "draft"
    APPROVED = "approved"


def stake_labels() -> dict[str, str]:
    return {"none": _("Not entered"), "draft": _("Waiting for approval"), "approved": _("Approved")}


@dataclass
class FollowRow:
    id: int
    name: str
    district: str
    kind_label: str
    stake_status: str = StakeStatus.NONE
    stake_late: bool = False  # not approved when the stakeholders deadline has passed, or approved after it
    internal: int | None = None
    external: int | None = None
    cells: dict[str, Cell] = field(default_factory=dict)
    stake_label: str = ""

    def cell_list(self, codes):
        return [self.cells[c] for c in codes]


@dataclass
class Followup:
    round: Round
    instruments: list[Instrument]
    rows: list[FollowRow]
    deadline: dt.datetime | None  # of the iit-eit milestone
    stake_deadline: dt.datetime | None
    days_left: int | None
    today: dt.date
    sort: str = "gap"
    now: dt.datetime | None = None

    @property
    def deadline_passed(self) -> bool:
        return self.deadline is not None and self.now is not None and self.now >= self.deadline

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.instruments]

    def below(self, code: str, sort: str | None = None) -> list[FollowRow]:
        """The agencies below the minimum on instrument ``code``: by gap (largest first) or by the days
        they still need at their current pace (never first)."""
        rows = [r for r in self.rows if r.cells[code].below]
        if (sort or self.sort) == "days":
            rows.sort(key=lambda r: (-r.cells[code].sort_days, -r.cells[code].gap, r.name))
        else:
            rows.sort(key=lambda r: (-r.cells[code].gap, -r.cells[code].sort_days, r.name))
        return rows

    def below_by_instrument(self) -> list[tuple[Instrument, list[FollowRow]]]:
        return [(i, self.below(i.code)) for i in self.instruments]

    def stake_counts(self) -> dict[str, int]:
        counts = {"none": 0, "draft": 0, "approved": 0, "late": 0}
        for r in self.rows:
            counts[r.stake_status] += 1
            if r.stake_late and r.stake_status != StakeStatus.APPROVED:
                counts["late"] += 1
        return counts

    def without_approved_stakeholders(self) -> list[FollowRow]:
        return [r for r in self.rows if r.stake_status != StakeStatus.APPROVED]

    def below_any(self) -> list[FollowRow]:
        return [r for r in self.rows if any(c.below for c in r.cells.values())]


def _days_left(deadline, now) -> int | None:
    if deadline is None:
        return None
    return (to_bangkok(deadline).date() - to_bangkok(now).date()).days


def stakeholders_at(round: Round, agency_ids, at) -> dict[int, dict]:
    """Each agency's stakeholder data as it stood at ``at``: ``{agency id: {"state", "internal_count",
    "external_people", "external_organizations", "approved_late"}}`` (agencies with no data entered by
    then are left out). Two queries.

    The values are those of the newest ``StakeholderEvent`` at or before ``at`` that carries values; an
    event without values (an approval, or a log written by an import or the demo) keeps the values the
    data had before it, and when no event at or before ``at`` carries values the row's current values are
    read (they are then the only ones ever known). The state is the newest event's: approved after
    "approved", waiting for approval after "entered", "changed" or "unlocked"."""
    wanted = set(agency_ids)
    rows = {d["pk"]: d for d in StakeholderData.objects.filter(round=round, agency_id__in=wanted).values(
        "pk", "agency_id", "state", "internal_count", "external_people", "external_organizations",
        "approved_late", "entered_at")}
    logs: dict[int, list] = {}
    for data_id, action, values, late in (StakeholderEvent.objects.filter(data_id__in=list(rows), at__lte=at)
                                          .order_by("at", "id").values_list("data_id", "action", "values", "late")):
        logs.setdefault(data_id, []).append((action, values, late))
    seen = {data_id: replay(log) for data_id, log in logs.items()}
    has_events = set(StakeholderEvent.objects.filter(data_id__in=list(rows)).values_list("data_id", flat=True)
                     .distinct()) - set(seen) if len(seen) < len(rows) else set()
    result = {}
    for pk, d in rows.items():
        entry = seen.get(pk)
        if entry is None:
            if pk in has_events or d["entered_at"] is None or d["entered_at"] > at:
                continue  # entered after the cut-off
            entry = {"values": None, "state": d["state"], "approved_late": d["approved_late"]}
        values = entry["values"] or d
        result[d["agency_id"]] = {
            "state": entry["state"], "approved_late": entry["approved_late"],
            "internal_count": values.get("internal_count"),
            "external_people": values.get("external_people") or 0,
            "external_organizations": values.get("external_organizations") or 0,
        }
    return result


def replay(log) -> dict:
    """The stakeholder data a log leaves, from its entries ``[(action, values, late)]`` oldest first (pure):
    ``{"values": the newest values carried (None: none carried), "state": "approved" | "draft",
    "approved_late": bool}``. An entry without values keeps the values before it."""
    entry = {"values": None, "state": "draft", "approved_late": False}
    for action, values, late in log:
        if values:
            entry["values"] = values
        if action == "approved":
            entry["state"], entry["approved_late"] = "approved", bool(late)
        else:
            entry["state"], entry["approved_late"] = "draft", False
    return entry


def counts_at(round: Round, agency_ids, codes, at) -> dict[tuple[int, str], tuple[int, dt.date]]:
    """``{(agency id, instrument code): (count, date)}``: the newest count of each agency and instrument
    dated on or before ``at``'s day (Bangkok) and entered at or before ``at``. One query when nothing was
    counted or corrected since, two otherwise."""
    from django.db.models import Q

    day = today(at)
    wanted = set(agency_ids)
    counts = {}
    latest = ResponseCount.objects.filter(round=round, instrument__in=codes, is_latest=True)
    redo = set()
    for a_id, code, n, on_date, entered_at in latest.values_list("agency_id", "instrument", "count", "on_date",
                                                                   "entered_at"):
        if a_id not in wanted:
            continue
        if on_date <= day and entered_at <= at:
            counts[(a_id, code)] = (n, on_date)
        else:
            redo.add(a_id)
    if redo:
        for a_id, code, n, on_date in (ResponseCount.objects.filter(
                Q(on_date__lte=day) & Q(entered_at__lte=at), round=round, instrument__in=codes,
                agency_id__in=sorted(redo)).order_by("on_date").values_list("agency_id", "instrument", "count",
                                                                            "on_date")):
            counts[(a_id, code)] = (n, on_date)
    return counts


def followup(round: Round, agency_rows, *, now=None, trend_days: int = 14, sort: str = "gap",
             trend: str = "all", at=None, stakeholders: dict | None = None, count_rows=None,
             milestones=None) -> Followup:
    """The follow-up of the given participants (``cycles.selectors.participants`` rows, or any objects
    with ``id``, ``name``, ``district`` and ``kind_label``). Three queries whatever their number (four with
    the milestones). ``trend="below"`` reads the daily trend of the agencies below a minimum only;
    ``trend="none"`` none.

    ``at``: the follow-up as it stood at that instant (the monitoring report), from the stakeholder data's
    log and the dated counts (``stakeholders_at``, ``counts_at``) instead of the current rows; without it,
    the current rows (the same numbers when ``at`` is now).

    Without ``at``, a caller that has read them already may give the current rows instead of the queries:
    ``stakeholders`` ({agency id: {"agency_id", "state", "internal_count", "external_people",
    "external_organizations", "approved_late"}}, a key missing: no data) and ``count_rows`` (every
    ``ResponseCount`` of the agencies in the round: the latest counts and the trend are taken from them), and
    ``milestones`` (the round's milestones, instead of ``round.milestones.all()``)."""
    now = at or now or timezone.now()
    day = today(now)
    insts = instruments(round)
    rules = sample_rules(round)
    milestones = {m.code: m for m in (round.milestones.all() if milestones is None else milestones)}
    deadline = getattr(milestones.get(RESPONSES_MILESTONE), "deadline", None)
    stake_deadline = getattr(milestones.get(STAKEHOLDERS_MILESTONE), "deadline", None)
    days_left = _days_left(deadline, now)
    if deadline is not None:  # after the deadline the trend shows the last days before it
        day = min(day, to_bangkok(deadline).date())
    stake_past = stake_deadline is not None and now >= stake_deadline
    past = deadline is not None and now >= deadline
    ids = [r.id for r in agency_rows]

    codes = [i.code for i in insts]
    if at is not None:
        data = stakeholders_at(round, ids, at)
        latest = counts_at(round, ids, codes, at)
    else:
        wanted_ids = set(ids)
        if stakeholders is None:
            stake = narrowed(StakeholderData.objects.filter(round=round), wanted_ids)
            stakeholders = {d["agency_id"]: d for d in stake.values(
                "agency_id", "state", "internal_count", "external_people", "external_organizations", "approved_late")}
        data = {a: d for a, d in stakeholders.items() if a in wanted_ids}
        if count_rows is None:
            counts = narrowed(ResponseCount.objects.filter(round=round, instrument__in=codes, is_latest=True),
                              wanted_ids)
            current = counts.values_list("agency_id", "instrument", "count", "on_date")
        else:
            current = [(c.agency_id, c.instrument, c.count, c.on_date) for c in count_rows
                       if c.is_latest and c.instrument in codes]
        latest = {(a, c): (n, d) for a, c, n, d in current if a in wanted_ids}
    labels = stake_labels()
    minimums: dict[tuple[str, int], int] = {}  # by group and population: computed once for agencies of one size

    def minimum(group: str, population: int | None) -> int | None:
        if group not in rules or population is None:
            return None
        found = minimums.get((group, population))
        if found is None:
            found = minimums[group, population] = minimum_sample(rules[group], population)
        return found

    rows = []
    for r in agency_rows:
        d = data.get(r.id)
        row = FollowRow(id=r.id, name=r.name, district=r.district, kind_label=getattr(r, "kind_label", ""))
        if d is not None:
            row.stake_status = StakeStatus.APPROVED if d["state"] == "approved" else StakeStatus.DRAFT
            row.internal = d["internal_count"]
            row.external = d["external_people"] + d["external_organizations"]
            row.stake_late = bool(d["approved_late"]) if row.stake_status == StakeStatus.APPROVED else stake_past
        else:
            row.stake_late = stake_past
        row.stake_label = labels[row.stake_status]
        mins = {"internal": minimum("internal", row.internal), "external": minimum("external", row.external)}
        for inst in insts:
            count, on_date = latest.get((r.id, inst.code), (None, None))
            row.cells[inst.code] = Cell(inst, count, on_date, mins[inst.group], days_left=days_left, past=past)
        rows.append(row)
    # The daily trend (and the pace) of every agency, or only of those below a minimum (the dashboards).
    if trend == "none":
        wanted = []
    else:
        wanted = rows if trend == "all" else [r for r in rows if any(c.below for c in r.cells.values())]
    start = day - dt.timedelta(days=trend_days - 1)
    window: dict[tuple[int, str], list[tuple[dt.date, int]]] = {}
    if wanted:
        wanted_ids = {r.id for r in wanted}
        if count_rows is None:
            counts = narrowed(ResponseCount.objects.filter(round=round, instrument__in=codes, on_date__gte=start,
                                                           on_date__lte=day), wanted_ids)
            points = counts.order_by("on_date").values_list("agency_id", "instrument", "count", "on_date")
        else:  # one count per agency, instrument and day (a unique constraint): on_date orders them fully
            points = sorted(((c.agency_id, c.instrument, c.count, c.on_date) for c in count_rows
                             if c.instrument in codes and start <= c.on_date <= day), key=lambda p: p[3])
        for a, c, n, d in points:
            if a in wanted_ids:
                window.setdefault((a, c), []).append((d, n))
    days = [start + dt.timedelta(days=i) for i in range((day - start).days + 1)]
    flat: dict[int | None, tuple[list, float | None]] = {}  # a window without counts: by the count before it
    for r in wanted:
        for cell in r.cells.values():
            points = window.get((r.id, cell.instrument.code))
            before = cell.count if cell.on_date and cell.on_date < start else None
            if not points and before in flat:  # the same series and pace as every other such cell
                cell.trend, cell.pace = flat[before]
                continue
            cell.trend = _daily(points or [], start, day, before=before, days=days)
            known = [(dd, n) for dd, n in cell.trend if n is not None]
            if len(known) >= 2:  # respondents a day over the window (days without news count too)
                cell.pace = max(0.0, (known[-1][1] - known[0][1]) / (known[-1][0] - known[0][0]).days)
            if not points:
                flat[before] = (cell.trend, cell.pace)
    return Followup(round, insts, rows, deadline, stake_deadline, days_left, day, sort=sort, now=now)


def _daily(points, start: dt.date, end: dt.date, *, before: int | None,
           days: list[dt.date] | None = None) -> list[tuple[dt.date, int | None]]:
    """One value a day from ``start`` to ``end`` (``days``: those days, when the caller has them): the last
    count known that day (None before any)."""
    if days is None:
        days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    by_day = dict(points)
    if not by_day:
        return [(d, before) for d in days]
    value = before
    series = []
    for d in days:
        value = by_day.get(d, value)
        series.append((d, value))
    return series


def agency_history(round: Round, agency) -> dict[str, list[ResponseCount]]:
    """Every count of the agency by instrument code, oldest first, with who entered it (without the person's
    password hash: the page keeps these rows in the cache)."""
    result: dict[str, list[ResponseCount]] = {}
    for rc in (ResponseCount.objects.filter(round=round, agency=agency).select_related("entered_by")
               .defer("entered_by__password").order_by("instrument", "on_date")):
        result.setdefault(rc.instrument, []).append(rc)
    return result
