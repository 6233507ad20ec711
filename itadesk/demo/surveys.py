"""Demo stakeholder data and IIT/EIT response counts for the Loei FY2568 round (invented, like the demo
progress; every stakeholder data event says ``DEMO_MARKER``).

The data follows the demo progress: an agency whose "stakeholders" milestone is approved has approved
stakeholder data, one in progress has data waiting for approval, one not started has none. Response
counts run day by day over the six weeks before the IIT/EIT deadline: agencies done on "iit-eit" reach the
minimum sample of the round's framework; the others stop below it (so the dashboards have someone to
show). Idempotent: an agency that already has stakeholder data, or a count on a date, is left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction

from itadesk.core import audit
from itadesk.core.thai import to_bangkok
from itadesk.cycles.models import Progress, Round, Status
from itadesk.registry.models import Agency, AgencyKind
from itadesk.surveys import selectors, services
from itadesk.surveys.models import ResponseCount, StakeholderData, StakeholderEvent

DEMO_MARKER = "[ข้อมูลสาธิต]"
DAYS = 42
# staff with ≥ 1 year of service, people served a year: (low, high) by kind of agency
STAFF = {AgencyKind.PAO: (180, 420), AgencyKind.SAO: (18, 70), AgencyKind.DISTRICT: (15, 45),
         AgencyKind.PROVINCIAL: (30, 90)}
STAFF_DEFAULT = (35, 160)  # municipalities and the rest
PEOPLE = (600, 12000)
GROUPS = [("ประชาชนผู้มาติดต่อขอรับบริการ", "เคาน์เตอร์บริการ / QR Code"),
          ("ผู้ประกอบการที่ยื่นขออนุญาต", "อีเมล / LINE Official"),
          ("ผู้นำชุมชนและอาสาสมัคร", "กลุ่ม LINE ผู้นำชุมชน"),
          ("หน่วยงานภาครัฐที่ประสานงาน", "หนังสือราชการ / อีเมล")]


def _unit(*parts) -> float:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _between(low, high, *key) -> int:
    return low + int(_unit(*key) * (high - low + 1))


def _key(agency: Agency) -> str:
    return agency.dla_code or agency.name_th


@transaction.atomic
def load(round_: Round, *, collecting: tuple[dt.date, dt.date] | None = None) -> None:
    """Stakeholder data and response counts of ``round_``. ``collecting`` (first day, last day): the days the
    counts run over in a round still collecting (nothing after the last day); by default the six weeks up to
    the IIT/EIT deadline, for a finished round."""
    milestones = {m.code: m for m in round_.milestones.all()}
    stake_m, resp_m = milestones.get("stakeholders"), milestones.get("iit-eit")
    progress = {(p.milestone_id, p.agency_id): p for p in Progress.objects.filter(milestone__round=round_)}
    agencies = list(Agency.objects.filter(participations__round=round_).order_by("pk"))
    existing = set(StakeholderData.objects.filter(round=round_).values_list("agency_id", flat=True))
    new_data, events = [], []
    for agency in agencies:
        if agency.pk in existing:
            continue
        p = progress.get((stake_m.pk, agency.pk)) if stake_m else None
        status = p.status if p else Status.NOT_STARTED
        if status == Status.NOT_STARTED:
            continue
        key = _key(agency)
        staff = _between(*STAFF.get(agency.kind, STAFF_DEFAULT), key, "staff")
        officials = round(staff * (0.35 + 0.2 * _unit(key, "officials")))
        permanent = round(staff * 0.1 * _unit(key, "permanent"))
        employees = staff - officials - permanent
        people = _between(*PEOPLE, key, "people")
        if agency.kind == AgencyKind.PAO:
            people *= 4
        approved = status == Status.APPROVED
        at = p.updated_at if p else None
        data = StakeholderData(
            round=round_, agency=agency, internal_count=staff,
            internal_breakdown={"officials": officials, "permanent": permanent, "employees": employees},
            external_people=people, external_organizations=_between(5, 60, key, "orgs"),
            external_groups=[{"name": n, "channel": c} for n, c in GROUPS[:_between(1, 4, key, "groups")]],
            state=StakeholderData.State.APPROVED if approved else StakeholderData.State.DRAFT, locked=approved,
            entered_at=at - dt.timedelta(days=_between(1, 6, key, "entered")) if at else at,
            entered_late=False, approved_at=at if approved else None,
            approved_late=bool(approved and p and p.changed_late))
        new_data.append(data)
    StakeholderData.objects.bulk_create(new_data)
    for data in new_data:
        events.append(StakeholderEvent(data=data, actor_label="ข้อมูลสาธิต", action="entered",
                                       reason=DEMO_MARKER, at=data.entered_at,
                                       values=audit.snapshot(data, services.VALUE_FIELDS)))
        if data.locked:
            events.append(StakeholderEvent(data=data, actor_label="ข้อมูลสาธิต", action="approved",
                                           reason=DEMO_MARKER, late=data.approved_late, at=data.approved_at))
    StakeholderEvent.objects.bulk_create(events)
    if resp_m is not None:
        _load_counts(round_, resp_m, agencies, progress, collecting)


def _load_counts(round_, milestone, agencies, progress, collecting=None) -> None:
    insts = selectors.instruments(round_)
    rules = selectors.sample_rules(round_)
    data = {d.agency_id: d for d in StakeholderData.objects.filter(round=round_)}
    have = set(ResponseCount.objects.filter(round=round_).values_list("agency_id", "instrument", "on_date"))
    end = to_bangkok(milestone.deadline).date()
    start = end - dt.timedelta(days=DAYS - 1)
    if collecting is not None:
        start, end = collecting[0], min(end, collecting[1])
    rows = []
    for agency in agencies:
        d = data.get(agency.pk)
        p = progress.get((milestone.pk, agency.pk))
        status = p.status if p else Status.NOT_STARTED
        if d is None or status == Status.NOT_STARTED:
            continue
        key = _key(agency)
        pops = selectors.populations(d)
        mins = selectors._minimums(rules, pops)
        last = to_bangkok(p.updated_at).date() if p and p.updated_at else end
        last = min(end, max(start + dt.timedelta(days=7), last))
        for inst in insts:
            goal = mins[inst.group] or max(1, round(pops[inst.group] * 0.2))
            if status in (Status.DONE, Status.APPROVED):
                final = goal + _between(0, max(2, goal // 5), key, inst.code, "extra")
            elif inst.group == "internal" and _unit(key, "iit-full") < 0.5:
                final = goal
            else:
                final = round(goal * (0.3 + 0.55 * _unit(key, inst.code, "short")))
            final = min(final, pops[inst.group] or final)
            span = (last - start).days or 1
            shape = 0.7 + 0.9 * _unit(key, inst.code, "shape")
            day = start
            while day <= last:
                t = (day - start).days / span
                if (agency.pk, inst.code, day) not in have:
                    rows.append(ResponseCount(round=round_, agency=agency, instrument=inst.code, on_date=day,
                                              count=round(final * t ** shape), source=ResponseCount.Source.IMPORT))
                day += dt.timedelta(days=1)
    ResponseCount.objects.bulk_create(rows, batch_size=2000)
    if rows:
        services.refresh_latest(round=round_)
