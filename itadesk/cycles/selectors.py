"""Reads for dashboards and reports, scoped by the caller (pass ``agencies_for(user)``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from itadesk.cycles.models import DONE_STATUSES, Milestone, Participation, Progress, Round, Status
from itadesk.registry.models import Agency, AgencyKind, OversightRule, SupervisingOffice


@dataclass
class AgencyRow:
    id: int
    name: str
    kind: str
    district_id: int | None
    district: str
    needs_coaching: bool
    status: str = Status.NOT_STARTED
    done_at: object = None
    changed_late: bool = False
    note: str = ""
    province_id: int | None = None
    status_label: str = ""  # filled by round_dashboard, in the request's language
    kind_label: str = ""
    cells: list = field(default_factory=list)  # per milestone (status, label, late), by progress_cells

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    def get_status_display(self):
        return self.status_label or Status(self.status).label

    def get_kind_display(self):
        return self.kind_label or AgencyKind(self.kind).label


@dataclass
class MilestoneStat:
    milestone: Milestone
    total: int = 0
    counts: dict = field(default_factory=dict)  # status -> count
    late: list[AgencyRow] = field(default_factory=list)
    open: list[AgencyRow] = field(default_factory=list)
    done_late: int = 0
    late_by_office: list = field(default_factory=list)  # [(office, [rows])]
    late_by_district: list = field(default_factory=list)  # [(district name, [rows])]
    now: object = None  # the time the stats were computed for (round_dashboard's ``now``)

    @property
    def done(self) -> int:
        return sum(self.counts.get(s, 0) for s in DONE_STATUSES)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def is_past(self) -> bool:
        return self.now >= self.milestone.deadline if self.now else self.milestone.is_past()


def current_round(province_ids) -> Round | None:
    return (Round.objects.filter(province_id__in=province_ids)
            .order_by("-is_current", "-fiscal_year").select_related("province").first())


def framework_round(agency) -> Round | None:
    """The agency's current round that has a framework (the what-if planner's round)."""
    return (Round.objects.filter(province_id=agency.province_id, framework__isnull=False)
            .order_by("-is_current", "-fiscal_year").select_related("framework").first())


def _participations(round: Round, agencies: QuerySet[Agency] | None = None, *, kind: str = "",
                    district_id: int | None = None) -> QuerySet[Participation]:
    qs = Participation.objects.filter(round=round)
    if agencies is not None:
        qs = qs.filter(agency__in=agencies)
    if kind:
        qs = qs.filter(agency__kind=kind)
    if district_id:
        qs = qs.filter(agency__district_id=district_id)
    return qs


def participants(round: Round, agencies: QuerySet[Agency] | None = None, *, kind: str = "",
                 district_id: int | None = None) -> list[AgencyRow]:
    qs = _participations(round, agencies, kind=kind, district_id=district_id)
    rows = qs.values_list("agency_id", "agency__name_th", "agency__kind", "agency__district_id",
                          "agency__district__name_th", "needs_coaching", "agency__province_id").order_by(
        "agency__district__geocode", "agency__kind", "agency__name_th")
    kind_labels = {k: str(label) for k, label in AgencyKind.choices}
    return [AgencyRow(id=a, name=n, kind=k, district_id=d, district=dn or "", needs_coaching=c,
                      province_id=p, kind_label=kind_labels.get(k, k))
            for a, n, k, d, dn, c, p in rows]


def office_agency_ids(round: Round, rows: list[AgencyRow] | None = None) -> list[tuple[SupervisingOffice, set[int]]]:
    """Each office of the round's province with the ids of the participants it follows (lead or
    assist). The offices' rules are matched in memory against the participant rows: two queries
    whatever the number of offices (the same result as ``Agency.objects.filter(office.agency_q())``
    restricted to the participants)."""
    if rows is None:
        rows = participants(round)
    offices = list(SupervisingOffice.objects.filter(province_id=round.province_id).prefetch_related("rules"))
    picked = defaultdict(set)  # rule id -> hand-picked agency ids
    through = OversightRule.agencies.through.objects.filter(oversightrule__office__province_id=round.province_id)
    for rule_id, agency_id in through.values_list("oversightrule_id", "agency_id"):
        picked[rule_id].add(agency_id)
    result = []
    for office in offices:
        rules = list(office.rules.all())
        if any(rule.all_agencies for rule in rules):
            ids = {r.id for r in rows if r.province_id == office.province_id}
        else:
            kinds = {k for rule in rules for k in rule.kinds}
            chosen = set().union(*(picked[rule.id] for rule in rules)) if rules else set()
            ids = {r.id for r in rows if r.province_id == office.province_id and (r.kind in kinds or r.id in chosen)}
        result.append((office, ids))
    return result


def _progress(round, milestones, agencies, kind, district_id) -> dict:
    """{milestone id: {agency id: (status, done late, changed_late, note)}} of the participants
    ``participants(round, agencies, kind=..., district_id=...)`` gives: one query (the participants in a
    subquery, not a list of hundreds of ids to prepare and send; "done late", done at or after the deadline,
    compared in SQL rather than a timestamp parsed a row). An open milestone has no ``done_at``
    (``services.set_progress`` clears it), so a row copied for the late lists loses nothing."""
    progress = defaultdict(dict)
    prog_qs = Progress.objects.filter(milestone_id__in=[m.pk for m in milestones])
    if agencies is not None or kind or district_id:
        prog_qs = prog_qs.filter(agency_id__in=_participations(round, agencies, kind=kind, district_id=district_id)
                                 .values("agency_id"))
    prog_qs = prog_qs.annotate(done_late=ExpressionWrapper(Q(done_at__gte=F("milestone__deadline")),
                                                           output_field=BooleanField()))
    for m_id, a_id, status, done_late, late, note in prog_qs.values_list(
            "milestone_id", "agency_id", "status", "done_late", "changed_late", "note"):
        progress[m_id][a_id] = (status, bool(done_late), late, note)
    return progress


def round_dashboard(round: Round, agencies: QuerySet[Agency] | None = None, *, kind: str = "",
                    district_id: int | None = None, now=None, group_by_office: bool = True,
                    rows: list[AgencyRow] | None = None) -> list[MilestoneStat]:
    """Per milestone: counts by status, the late agencies grouped by office and by district (an agency table's
    cells per milestone: ``progress_cells``). ``rows``: the result of ``participants(round, agencies,
    kind=..., district_id=...)`` when the caller already has it."""
    now = now or timezone.now()
    if rows is None:
        rows = participants(round, agencies, kind=kind, district_id=district_id)
    milestones = list(round.milestones.all())
    progress = _progress(round, milestones, agencies, kind, district_id)
    offices = office_agency_ids(round, rows) if group_by_office else []
    status_labels = {s: str(label) for s, label in Status.choices}
    not_started = (Status.NOT_STARTED, False, False, "")
    stats = []
    for m in milestones:
        stat = MilestoneStat(milestone=m, total=len(rows), counts={s: 0 for s in Status.values}, now=now)
        past = now >= m.deadline
        by_agency = progress[m.id]
        for r in rows:
            status, done_late, late, note = by_agency.get(r.id, not_started)
            stat.counts[status] += 1
            if status in DONE_STATUSES:
                if done_late:
                    stat.done_late += 1
                continue
            row = object.__new__(AgencyRow)  # a copy with this milestone's progress (no __init__: hundreds a page)
            row.__dict__ = {**r.__dict__, "cells": [], "status": status, "done_at": None, "changed_late": late,
                            "note": note, "status_label": status_labels[status]}
            stat.open.append(row)
            if past:
                stat.late.append(row)
        if stat.late:
            by_district = defaultdict(list)
            for row in stat.late:
                by_district[row.district or "—"].append(row)
            stat.late_by_district = sorted(by_district.items())
            stat.late_by_office = [(o, [r for r in stat.late if r.id in office_ids])
                                   for o, office_ids in offices]
            stat.late_by_office = [(o, lst) for o, lst in stat.late_by_office if lst]
        stats.append(stat)
    return stats


def progress_cells(round: Round, rows: list[AgencyRow], *, now=None, agencies: QuerySet[Agency] | None = None,
                   kind: str = "", district_id: int | None = None) -> list[Milestone]:
    """The round's milestones; each of ``rows`` (``participants(round, agencies, kind=..., district_id=...)``)
    gets ``cells``: per milestone (status, label, is late), for an agency table. Two queries."""
    now = now or timezone.now()
    milestones = list(round.milestones.all())
    progress = _progress(round, milestones, agencies, kind, district_id)
    status_labels = {s: str(label) for s, label in Status.choices}
    not_started = (Status.NOT_STARTED, None, False, "")
    for r in rows:
        r.cells = []
    for m in milestones:
        past = now >= m.deadline
        by_agency = progress[m.id]
        for r in rows:
            status = by_agency.get(r.id, not_started)[0]
            r.cells.append((status, status_labels[status], past and status not in DONE_STATUSES))
    return milestones


def agency_timeline(round: Round, agency: Agency, now=None):
    """[(milestone, progress or None, is_late)] for one agency."""
    now = now or timezone.now()
    by_m = {p.milestone_id: p for p in Progress.objects.filter(milestone__round=round, agency=agency)
            .select_related("updated_by")}
    result = []
    for m in round.milestones.all():
        p = by_m.get(m.id)
        done = p is not None and p.status in DONE_STATUSES
        result.append((m, p, not done and now >= m.deadline))
    return result


def national_rollup(now=None):
    """Per province (current round): participants and, per milestone order, done and late counts.
    Three grouped queries whatever the number of agencies."""
    now = now or timezone.now()
    rounds = {r.pk: r for r in Round.objects.filter(is_current=True).select_related("province")}
    totals = dict(Participation.objects.filter(round_id__in=rounds).values("round_id")
                  .annotate(n=Count("id")).values_list("round_id", "n"))
    milestones = defaultdict(list)
    for m in Milestone.objects.filter(round_id__in=rounds).order_by("round_id", "order", "deadline"):
        milestones[m.round_id].append(m)
    done = dict(((m_id), n) for m_id, n in Progress.objects.filter(
        milestone__round_id__in=rounds, status__in=DONE_STATUSES).values("milestone_id")
        .annotate(n=Count("id")).values_list("milestone_id", "n"))
    result = []
    for r_id, r in sorted(rounds.items(), key=lambda kv: kv[1].province.code):
        total = totals.get(r_id, 0)
        cells = []
        for m in milestones[r_id]:
            d = done.get(m.id, 0)
            cells.append({"milestone": m, "done": d, "total": total,
                          "late": (total - d) if now >= m.deadline else 0,
                          "percent": round(100 * d / total) if total else 0})
        result.append({"round": r, "province": r.province, "total": total, "cells": cells})
    return result


def status_filter_q(status: str) -> Q:
    return Q(status__in=DONE_STATUSES) if status == "done" else Q(status=status)
