"""Reads of projects and events, scoped by ``itadesk.accounts.access``: the money summary, an event's
programme with computed start times, the attendance report and the outcome of a targeted event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from itadesk.accounts import access
from itadesk.core.thai import bahttext
from itadesk.cycles.models import DONE_STATUSES, Milestone, Progress, Round
from itadesk.projects.models import BudgetLine, Event, Invitation, Project, Registration

ZERO = Decimal("0")


def _admin_agencies(user) -> set[int]:
    return access.predicates.admin_agencies(access.scope_for(user))


def projects_for(user) -> QuerySet[Project]:
    provinces = access.provinces_for(user, "view_projects")
    qs = Project.objects.select_related("owner_office", "round")
    return qs if provinces is None else qs.filter(province_id__in=provinces)


def events_for(user) -> QuerySet[Event]:
    provinces = access.provinces_for(user, "view_projects")
    qs = Event.objects.select_related("project")
    if provinces is None:
        return qs
    agencies = _admin_agencies(user)
    return qs.filter(Q(project__province_id__in=provinces) | Q(invitations__agency_id__in=agencies)).distinct()


def project_for(user, project_id) -> Project:
    try:
        return projects_for(user).get(pk=project_id)
    except Project.DoesNotExist:
        raise Http404 from None


def event_for(user, event_id) -> Event:
    try:
        return events_for(user).get(pk=event_id)
    except Event.DoesNotExist:
        raise Http404 from None


# --- money -------------------------------------------------------------------------------------

@dataclass
class LineRow:
    line: BudgetLine
    spent: Decimal
    left: Decimal


@dataclass
class Money:
    budget: Decimal
    budget_words: str
    planned: Decimal
    unplanned: Decimal
    spent: Decimal
    left: Decimal
    lines: list[LineRow] = field(default_factory=list)

    @property
    def lines_left(self) -> Decimal:
        return self.planned - self.spent


def money(project: Project) -> Money:
    lines = list(project.lines.annotate(spent_sum=Sum("spendings__amount")))
    rows = [LineRow(line=ln, spent=ln.spent_sum or ZERO, left=ln.amount - (ln.spent_sum or ZERO)) for ln in lines]
    planned = sum((r.line.amount for r in rows), ZERO)
    spent = sum((r.spent for r in rows), ZERO)
    return Money(budget=project.budget, budget_words=bahttext(project.budget), planned=planned,
                 unplanned=project.budget - planned, spent=spent, left=project.budget - spent, lines=rows)


# --- programme ---------------------------------------------------------------------------------

@dataclass
class ProgrammeRow:
    session: object
    start: dt.time
    end: dt.time


def programme(event: Event) -> list[ProgrammeRow]:
    """The sessions in order with their start and end times: each starts when the one before ends
    plus its break."""
    at = dt.datetime.combine(event.date, event.start_time)
    rows = []
    for s in event.sessions.select_related("speaker_office"):
        end = at + dt.timedelta(minutes=s.duration_minutes)
        rows.append(ProgrammeRow(session=s, start=at.time(), end=end.time()))
        at = end + dt.timedelta(minutes=s.break_after_minutes)
    return rows


def duration_label(minutes: int, lang: str = "th") -> str:
    """90 -> '1 ชั่วโมง 30 นาที' ('1 h 30 min' in English)."""
    hours, rest = divmod(minutes, 60)
    h, m = ("h", "min") if lang == "en" else ("ชั่วโมง", "นาที")
    parts = [f"{hours} {h}" if hours else "", f"{rest} {m}" if rest else ""]
    return " ".join(p for p in parts if p) or f"0 {m}"


# --- attendance ----------------------------------------------------------------------------------

@dataclass
class AgencyRow:
    agency_id: int | None
    name: str
    kind: str
    quota: int
    registered: int
    attended: int
    invited: bool


@dataclass
class Attendance:
    event: Event
    rows: list[AgencyRow]
    people: list[Registration]
    capacity: int
    invited_agencies: int
    invited_seats: int
    registered: int
    attended: int
    walk_ins: int

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.registered)


def attendance(event: Event, *, agency_ids: set[int] | None = None) -> Attendance:
    """Per agency: seats offered, people registered and people checked in; the people; totals against
    the capacity. ``agency_ids`` limits the rows and people (an agency admin sees their own)."""
    invitations = Invitation.objects.filter(event=event).select_related("agency")
    regs = Registration.objects.filter(event=event).select_related("agency").order_by("agency__name_th", "name", "id")
    if agency_ids is not None:
        invitations = invitations.filter(agency_id__in=agency_ids)
        regs = regs.filter(agency_id__in=agency_ids)
    counts = {r["agency_id"]: r for r in regs.order_by().values("agency_id").annotate(
        n=Count("id"), came=Count("id", filter=Q(checked_in_at__isnull=False)))}
    rows = []
    for inv in sorted(invitations, key=lambda i: (i.agency.kind, i.agency.name_th)):
        c = counts.pop(inv.agency_id, {"n": 0, "came": 0})
        rows.append(AgencyRow(agency_id=inv.agency_id, name=inv.agency.name_th, kind=inv.agency.get_kind_display(),
                              quota=inv.quota, registered=c["n"], attended=c["came"], invited=True))
    others = {r.agency_id: r.agency for r in regs if r.agency_id in counts and r.agency_id is not None}
    for agency_id, c in counts.items():
        if agency_id is None:
            continue
        agency = others[agency_id]
        rows.append(AgencyRow(agency_id=agency_id, name=agency.name_th, kind=agency.get_kind_display(), quota=0,
                              registered=c["n"], attended=c["came"], invited=False))
    if None in counts:
        c = counts[None]
        rows.append(AgencyRow(agency_id=None, name="", kind="", quota=0, registered=c["n"], attended=c["came"],
                              invited=False))
    people = list(regs)
    return Attendance(
        event=event, rows=rows, people=people, capacity=event.capacity,
        invited_agencies=sum(1 for r in rows if r.invited), invited_seats=sum(r.quota for r in rows),
        registered=len(people), attended=sum(1 for p in people if p.checked_in_at),
        walk_ins=sum(1 for p in people if p.walk_in))


def search_registrations(event: Event, query: str, limit: int = 50) -> list[Registration]:
    """The check-in desk's search: by name, position, phone or agency name (all words must match)."""
    qs = Registration.objects.filter(event=event).select_related("agency").order_by("name", "id")
    for word in (query or "").split():
        qs = qs.filter(Q(name__icontains=word) | Q(position__icontains=word) | Q(phone__icontains=word)
                       | Q(agency__name_th__icontains=word))
    return list(qs[:limit])


# --- outcome of a targeted event -------------------------------------------------------------------

@dataclass
class OutcomeRow:
    agency: object
    reason: str
    registered: int
    attended: int
    milestones: list[bool | None]  # per milestone: met (done by the deadline), not met, or None (not due yet)

    @property
    def came(self) -> bool:
        return self.attended > 0


@dataclass
class Outcome:
    event: Event
    group: object
    milestones: list
    rows: list[OutcomeRow]
    attended_met: list[tuple[int, int]]  # per milestone: (met, due) among agencies that came
    absent_met: list[tuple[int, int]]  # the same among agencies that did not


def outcome(event: Event, *, now=None) -> Outcome | None:
    """For a targeted event: each agency of its target group, whether it came, and whether it met
    each milestone of the round (done by the deadline, from cycles' progress). A milestone whose
    deadline has not passed yet counts as met when done already, else as not due (None)."""
    from django.utils import timezone

    group = event.target_group
    if group is None:
        return None
    now = now or timezone.now()
    round_ = event.project.round or Round.objects.filter(province_id=event.project.province_id,
                                                         is_current=True).first()
    milestones = list(Milestone.objects.filter(round=round_).order_by("order", "deadline")) if round_ else []
    members = list(group.members.select_related("agency").order_by("rank", "id"))
    agency_ids = [m.agency_id for m in members]
    progress = {(p.agency_id, p.milestone_id): p for p in Progress.objects.filter(
        milestone__in=milestones, agency_id__in=agency_ids)}
    counts = {r["agency_id"]: r for r in Registration.objects.filter(event=event, agency_id__in=agency_ids)
              .order_by().values("agency_id").annotate(n=Count("id"),
                                                       came=Count("id", filter=Q(checked_in_at__isnull=False)))}
    rows = []
    for m in members:
        marks = []
        for ms in milestones:
            p = progress.get((m.agency_id, ms.pk))
            done_in_time = p is not None and p.status in DONE_STATUSES and (
                p.done_at is None or p.done_at < ms.deadline)
            if done_in_time:
                marks.append(True)
            elif ms.deadline <= now:
                marks.append(False)
            else:
                marks.append(None)
        c = counts.get(m.agency_id, {"n": 0, "came": 0})
        rows.append(OutcomeRow(agency=m.agency, reason=m.reason, registered=c["n"], attended=c["came"],
                               milestones=marks))

    def tally(subset):
        out = []
        for i in range(len(milestones)):
            due = [r.milestones[i] for r in subset if r.milestones[i] is not None]
            out.append((sum(1 for x in due if x), len(due)))
        return out

    return Outcome(event=event, group=group, milestones=milestones, rows=rows,
                   attended_met=tally([r for r in rows if r.came]),
                   absent_met=tally([r for r in rows if not r.came]))
