"""The demo's round in progress: FY2570, started from the seed's FY2568 round by the same code as the
secretariat's page and ``itadesk round new`` (``cycles.round_setup.plan_next_round`` / ``create_round``).

Its deadlines are set relative to the day the demo is first loaded, so that a new user sees a round with time
left, one deadline already passed (late agencies) and open work: the stakeholder list was due ten days ago,
OIT evidence is due in three weeks, IIT/EIT responses in nine weeks (each at 17:00 Bangkok on a working day).
The progress is invented and every note starts with ``DEMO_MARKER``; stakeholder data follows it (approved,
awaiting approval, none), and IIT/EIT response counts run from two weeks before the load day to that day. Idempotent: a second run adds only what
is missing and never moves the deadlines chosen the first time. FY2570 becomes the current round.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone

from itadesk.core.thai import BANGKOK
from itadesk.cycles import round_setup
from itadesk.cycles.models import DONE_STATUSES, Progress, Round, Status
from itadesk.demo import surveys
from itadesk.methodology.models import FrameworkVersion
from itadesk.registry.models import Province

FISCAL_YEAR = 2570
SOURCE_YEAR = 2568
DEMO_MARKER = "[ข้อมูลสาธิต]"
#: milestone code -> days from the load day to its deadline (moved to the next working day)
OFFSETS = {"stakeholders": -10, "oit": 21, "iit-eit": 63}
#: milestone code -> (share done, share in progress) of the agencies; the rest have not started
SHARES = {"stakeholders": (0.78, 0.12), "oit": (0.15, 0.45), "iit-eit": (0.0, 0.2)}
#: the status a finished agency gets, as in the FY2568 demo: stakeholder data and OIT are approved in ITAS
FINISHED = {"stakeholders": Status.APPROVED, "oit": Status.APPROVED}
#: IIT/EIT collection opened this many days before the load day (the response counts start there)
COLLECTING_DAYS = 14
NOTES = {
    Status.APPROVED: "อนุมัติในระบบ ITAS แล้ว",
    Status.DONE: "ส่งในระบบ ITAS แล้ว",
    Status.IN_PROGRESS: "กำลังดำเนินการ",
    Status.NOT_STARTED: "ยังไม่เริ่ม",
}


def _unit(*parts) -> float:
    """A stable number in [0, 1) from the parts (the same on every run and machine)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _working_day(day: dt.date, holidays: dict[dt.date, list[str]]) -> dt.date:
    while round_setup.day_flags(day, holidays):
        day += dt.timedelta(days=1)
    return day


def relative_deadlines(today: dt.date) -> dict[str, dt.datetime]:
    holidays = round_setup.holidays_for({today.year, today.year + 1})
    out = {}
    for code, days in OFFSETS.items():
        day = _working_day(today + dt.timedelta(days=days), holidays)
        out[code] = dt.datetime(day.year, day.month, day.day, round_setup.DEADLINE_HOUR, tzinfo=BANGKOK)
    return out


def load(province: Province, say=lambda message: None) -> dict[str, int]:
    """Create (or complete) the FY2570 round; returns what was created: ``{"rounds", "frameworks", "progress"}``."""
    created = {"rounds": 0, "frameworks": 0, "progress": 0}
    round_ = Round.objects.filter(province=province, fiscal_year=FISCAL_YEAR).first()
    if round_ is None:
        source = Round.objects.filter(province=province, fiscal_year=SOURCE_YEAR).first()
        if source is None:
            return created
        say(f"Round in progress FY{FISCAL_YEAR} (copied from FY{SOURCE_YEAR}) …")
        today = timezone.localdate(timezone=BANGKOK)
        frameworks = FrameworkVersion.objects.count()
        plan = round_setup.plan_next_round(province=province, fiscal_year=FISCAL_YEAR, source=source,
                                      participants="previous", deadlines=relative_deadlines(today),
                                      adopt_coaching=True, make_current=True)
        round_ = round_setup.create_round(actor=None, plan=plan)
        created["rounds"] = 1
        created["frameworks"] = FrameworkVersion.objects.count() - frameworks
    created["progress"] = _load_progress(round_)
    if round_.framework_id is not None:  # stakeholder data as the progress says; responses counted so far
        today = timezone.localdate(timezone=BANGKOK)
        surveys.load(round_, collecting=(today - dt.timedelta(days=COLLECTING_DAYS - 1), today))
    return created


def _load_progress(round: Round) -> int:
    now = timezone.now()
    existing = set(Progress.objects.filter(milestone__round=round).values_list("milestone_id", "agency_id"))
    agency_ids = sorted(round.participations.values_list("agency_id", flat=True))
    rows = []
    for milestone in round.milestones.all():
        done_share, doing_share = SHARES.get(milestone.code, (0.0, 0.0))
        for agency_id in agency_ids:
            if (milestone.pk, agency_id) in existing:
                continue
            pick = _unit(FISCAL_YEAR, milestone.code, agency_id)
            if pick < done_share:
                status = FINISHED.get(milestone.code, Status.DONE)
            elif pick < done_share + doing_share:
                status = Status.IN_PROGRESS
            else:
                continue  # not started: no row, as for a real agency that has not begun
            # done or touched some days before the load (and never after the deadline)
            at = min(now, milestone.deadline) - dt.timedelta(days=1 + int(_unit("day", milestone.code, agency_id) * 20),
                                                             hours=int(_unit("hour", agency_id) * 6))
            rows.append(Progress(milestone=milestone, agency_id=agency_id, status=status,
                                 note=f"{DEMO_MARKER} {NOTES[status]}", updated_at=at,
                                 done_at=at if status in DONE_STATUSES else None, changed_late=False))
    Progress.objects.bulk_create(rows)
    return len(rows)


def load_into(tally, say, province: Province) -> None:
    """``load`` counted in the demo loader's tally (``current_rounds``, ``current_progress``, ``frameworks``)."""
    for group, n in load(province, say).items():
        tally.add(group if group == "frameworks" else f"current_{group}", n)


def totals(province: Province, history: Round) -> dict[str, int]:
    """What the demo holds besides the seed's round ``history``."""
    return {
        "current_rounds": Round.objects.filter(province=province).exclude(pk=history.pk).count(),
        "current_progress": Progress.objects.filter(milestone__round__province=province)
        .exclude(milestone__round=history).count(),
    }
