"""Starting the next round of a province from the last one (its settings afterwards: ``round_admin``).

``plan_next_round`` reads and writes nothing: it returns a :class:`RoundPlan` (plain data a page, the CLI or a
test can look at and edit). ``create_round`` writes a plan in one transaction with one history event per created
object, in bulk. The secretariat's page ``/rounds/new/`` and ``itadesk round new`` both use these two functions.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from itadesk.core import audit
from itadesk.core.models import AuditEvent
from itadesk.core.thai import BANGKOK, be_year, fiscal_year_bounds, fiscal_year_of, to_bangkok
from itadesk.cycles.models import Milestone, Mission, Participation, PublicHoliday, Round
from itadesk.methodology import analysis
from itadesk.methodology import services as methodology
from itadesk.methodology.models import AssessmentResult, FrameworkVersion
from itadesk.methodology.schema import parse_text
from itadesk.registry.models import Agency, Province, SupervisingOffice

DEADLINE_HOUR = 17
PROVISIONAL_PREFIX = "provisional-"
ROUND_FIELDS = ["province_id", "fiscal_year", "name", "starts_on", "ends_on", "is_current", "public_dashboard",
                "framework_id", "state", "copied_from_id"]
MILESTONE_FIELDS = ["round_id", "code", "name_th", "name_en", "opens_at", "deadline", "order"]
MISSION_FIELDS = ["round_id", "office_id", "milestone_id", "order", "text"]
PARTICIPATION_FIELDS = ["round_id", "agency_id", "needs_coaching", "coaching_reason"]
FRAMEWORK_BODY = ("data", "source_text")  # large: not read when only the framework's identity is needed
_RULES: dict[tuple[int, str], tuple[float, str | None]] = {}  # (framework id, sha256) -> (pass mark, OIT code)
WEEKDAYS_TH = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")


class RoundRefused(Exception):
    """A round change that is not allowed; nothing has been written. ``th`` and ``en`` say why."""

    def __init__(self, th: str, en: str):
        self.th, self.en = th, en
        super().__init__(f"{th} / {en}")

    def text(self, language: str | None = None) -> str:
        return self.en if (language or "th").startswith("en") else self.th


def refuse_if_closed(round: Round) -> None:
    """Raise :class:`RoundRefused` when ``round`` is closed (its progress may not change)."""
    if round.state == Round.State.CLOSED:
        raise RoundRefused(f"{round.name} ปิดรอบแล้ว จึงแก้ไขความคืบหน้าไม่ได้ (ผู้ดูแลรอบเปิดรอบอีกครั้งได้ที่หน้าตั้งค่า)",
                           f"{round.name} is closed, so its progress cannot change "
                           f"(the secretariat may reopen it in the round settings)")


# --- pure date logic -----------------------------------------------------------------------------------------

def move_date(value: dt.date, years: int) -> tuple[dt.date, bool]:
    """The same day and month ``years`` later. 29 February in a year without one becomes 28 February;
    the second value says so (True: the day had to change)."""
    year = value.year + years
    if value.month == 2 and value.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28), True
    return value.replace(year=year), False


def move_deadline(value: dt.datetime, years: int, *, hour: int = DEADLINE_HOUR) -> tuple[dt.datetime, bool]:
    """A deadline (stored UTC) moved ``years`` fiscal years on: the same Bangkok day and month at ``hour``:00."""
    local = to_bangkok(value)
    day, changed = move_date(local.date(), years)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BANGKOK), changed


def move_opening(value: dt.datetime, years: int) -> dt.datetime:
    """An opening time moved ``years`` on, keeping its Bangkok time of day."""
    local = to_bangkok(value)
    day, _changed = move_date(local.date(), years)
    return dt.datetime(day.year, day.month, day.day, local.hour, local.minute, tzinfo=BANGKOK)


def day_flags(day: dt.date, holidays: dict[dt.date, list[str]]) -> list[str]:
    """Why ``day`` is not a working day (Thai words), empty when it is one."""
    flags = []
    if day.weekday() >= 5:
        flags.append(f"วัน{WEEKDAYS_TH[day.weekday()]}")
    flags.extend(holidays.get(day, []))
    return flags


# --- holidays as data ----------------------------------------------------------------------------------------

def holidays_for(years_ce: Iterable[int]) -> dict[dt.date, list[str]]:
    """The public holidays of the given CE years, from the ``PublicHoliday`` table (the shipped list plus
    what the secretariat or a superuser added)."""
    years_ce = sorted(set(years_ce))
    out: dict[dt.date, list[str]] = {}
    for h in PublicHoliday.objects.filter(Q(year__isnull=True) | Q(year__in=years_ce)):
        for year in ([h.year] if h.year else years_ce):
            try:
                day = dt.date(year, h.month, h.day)
            except ValueError:
                continue  # 29 February of a year without one
            out.setdefault(day, []).append(h.name_th)
    return out


# --- the plan ------------------------------------------------------------------------------------------------

@dataclass
class PlannedMilestone:
    code: str
    name_th: str
    name_en: str
    description: str
    order: int
    deadline: dt.datetime
    opens_at: dt.datetime | None = None
    previous_deadline: dt.datetime | None = None
    flags: list[str] = field(default_factory=list)
    day_changed: bool = False  # 29 February moved to the 28th
    edited: bool = False

    @property
    def local_deadline(self) -> dt.datetime:
        return to_bangkok(self.deadline)


@dataclass
class PlannedMission:
    office: SupervisingOffice
    text: str
    order: int
    milestone_code: str | None


@dataclass
class CoachingProposal:
    agency: Agency
    reason: str


@dataclass
class RoundPlan:
    province: Province
    fiscal_year: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    source: Round | None
    framework: object | None  # FrameworkVersion installed for the year, or None (then ``provisional_from``)
    provisional_from: object | None = None
    milestones: list[PlannedMilestone] = field(default_factory=list)
    missions: list[PlannedMission] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    coaching: list[CoachingProposal] = field(default_factory=list)
    coaching_year: int | None = None
    adopt_coaching: bool = False
    make_current: bool = True
    public_dashboard: bool = False

    @property
    def flagged(self) -> list[PlannedMilestone]:
        return [m for m in self.milestones if m.flags or m.day_changed]

    def missions_by_office(self) -> list[tuple[SupervisingOffice, list[PlannedMission]]]:
        groups: dict[int, tuple[SupervisingOffice, list[PlannedMission]]] = {}
        for mission in self.missions:
            groups.setdefault(mission.office.pk, (mission.office, []))[1].append(mission)
        return list(groups.values())

    def coaching_for(self, agency_id: int) -> str | None:
        for c in self.coaching:
            if c.agency.pk == agency_id:
                return c.reason
        return None

    def summary(self) -> str:
        fw = (self.framework.label if self.framework is not None else
              f"ชั่วคราว คัดลอกจาก / provisional copy of {self.provisional_from}" if self.provisional_from else "-")
        lines = [
            f"รอบ / round: {self.name} ({self.starts_on} – {self.ends_on})",
            f"คัดลอกจาก / copied from: {self.source.name if self.source else '-'}",
            f"เกณฑ์ / framework: {fw}",
            f"กำหนดการ / milestones: {len(self.milestones)} · ภารกิจ / missions: {len(self.missions)} · "
            f"หน่วยงาน / agencies: {len(self.agencies)}",
            f"กลุ่มเป้าหมายที่เสนอ / proposed coaching group: {len(self.coaching)}"
            + (f" (ผลปี / results of {self.coaching_year})" if self.coaching_year else "")
            + (" — รับไปใช้ / adopted" if self.adopt_coaching else ""),
        ]
        for m in self.milestones:
            local = m.local_deadline
            flag = f"  ⚠ {', '.join(m.flags)}" if m.flags else ""
            if m.day_changed:
                flag += "  ⚠ 29 ก.พ. ไม่มีในปีนี้ / no 29 February this year"
            lines.append(f"  {m.code}: {local.day}/{local.month}/{be_year(local.year)} {local:%H:%M}{flag}")
        return "\n".join(lines)


def round_name(fiscal_year: int) -> str:
    return f"การประเมิน ITA ประจำปีงบประมาณ พ.ศ. {fiscal_year}"


def framework_for_year(fiscal_year: int):
    """The framework installed for ``fiscal_year`` (an official one before a reconstruction; never a
    provisional copy), else None."""
    return (FrameworkVersion.objects.filter(fiscal_year=fiscal_year).exclude(code__startswith=PROVISIONAL_PREFIX)
            .defer(*FRAMEWORK_BODY).order_by("status", "-version").first())


def newest_framework():
    return (FrameworkVersion.objects.exclude(code__startswith=PROVISIONAL_PREFIX).defer(*FRAMEWORK_BODY)
            .order_by("-fiscal_year", "status", "-version").first())


def previous_round(province: Province, fiscal_year: int) -> Round | None:
    return Round.objects.filter(province=province, fiscal_year__lt=fiscal_year).order_by("-fiscal_year").first()


def _check_new(province: Province, fiscal_year: int, source: Round | None) -> None:
    if Round.objects.filter(province=province, fiscal_year=fiscal_year).exists():
        raise RoundRefused(
            f"จังหวัด{province.name_th}มีรอบปีงบประมาณ {fiscal_year} อยู่แล้ว จึงสร้างซ้ำไม่ได้ "
            f"(เปิดหน้าตั้งค่าของรอบนั้นเพื่อแก้ไข)",
            f"{province.name_en or province.name_th} already has a round for fiscal year {fiscal_year}; "
            f"open that round's settings to change it")
    if source is not None and source.province_id != province.pk:
        raise RoundRefused(
            f"รอบที่จะคัดลอก ({source.name}) เป็นของจังหวัดอื่น จึงคัดลอกไม่ได้",
            f"the round to copy ({source.name}) belongs to another province")
    if source is not None and source.fiscal_year >= fiscal_year:
        raise RoundRefused(
            f"รอบที่จะคัดลอกต้องเป็นปีก่อน {fiscal_year} (ได้ {source.fiscal_year})",
            f"the round to copy must be from before {fiscal_year} (got {source.fiscal_year})")
    if not 2500 <= fiscal_year <= 2700:
        raise RoundRefused(f"ปีงบประมาณ {fiscal_year} ไม่ถูกต้อง (ใช้ปี พ.ศ. เช่น 2570)",
                           f"fiscal year {fiscal_year} is not valid (give a Buddhist-era year, e.g. 2570)")


def plan_next_round(*, province: Province, fiscal_year: int | None = None, source: Round | None = None,
                    framework=None, participants: str = "province", add: Iterable[int] = (),
                    remove: Iterable[int] = (), only: Iterable[int] | None = None, deadlines: dict[str, dt.datetime] | None = None,
                    adopt_coaching: bool = False, make_current: bool = True, today: dt.date | None = None,
                    ) -> RoundPlan:
    """What ``create_round`` would write for ``province``'s next round; reads only.

    ``fiscal_year`` defaults to the current one (Bangkok date); ``source`` to the province's latest earlier
    round. ``participants``: ``province`` (every active agency of the province) or ``previous`` (the source
    round's), or exactly ``only`` (agency ids, e.g. the boxes ticked on the preview), then ``add``/``remove``. ``deadlines`` replaces moved deadlines by milestone code.
    Raises :class:`RoundRefused` for a year the province already has or a source from another province."""
    if fiscal_year is None:
        fiscal_year = fiscal_year_of(today or timezone.localdate(timezone=BANGKOK))
    if source is None:
        source = previous_round(province, fiscal_year)
    _check_new(province, fiscal_year, source)
    starts_on, ends_on = fiscal_year_bounds(fiscal_year)
    plan = RoundPlan(province=province, fiscal_year=fiscal_year, name=round_name(fiscal_year), starts_on=starts_on,
                     ends_on=ends_on, source=source, framework=framework, adopt_coaching=adopt_coaching,
                     make_current=make_current)
    if framework is None:
        plan.framework = framework_for_year(fiscal_year)
        if plan.framework is None:
            plan.provisional_from = newest_framework()
    if source is not None:
        plan.public_dashboard = source.public_dashboard
        years = fiscal_year - source.fiscal_year
        deadlines = deadlines or {}
        for m in source.milestones.order_by("order", "deadline"):
            deadline, changed = move_deadline(m.deadline, years)
            edited = m.code in deadlines and deadlines[m.code] != deadline
            plan.milestones.append(PlannedMilestone(
                code=m.code, name_th=m.name_th, name_en=m.name_en, description=m.description, order=m.order,
                deadline=deadlines.get(m.code, deadline), previous_deadline=m.deadline,
                opens_at=move_opening(m.opens_at, years) if m.opens_at else None,
                day_changed=changed and not edited, edited=edited))
        codes = {m.id: m.code for m in source.milestones.all()}
        for mission in source.missions.select_related("office").order_by("office__order", "order", "id"):
            plan.missions.append(PlannedMission(office=mission.office, text=mission.text, order=mission.order,
                                                milestone_code=codes.get(mission.milestone_id)))
    holidays = holidays_for({m.local_deadline.year for m in plan.milestones})
    for m in plan.milestones:
        m.flags = day_flags(m.local_deadline.date(), holidays)

    if only is not None:
        ids = set(Agency.objects.filter(province=province, pk__in=list(only)).values_list("pk", flat=True))
    elif participants == "previous" and source is not None:
        ids = set(source.participations.values_list("agency_id", flat=True))
    elif participants in ("province", "previous"):
        ids = set(Agency.objects.filter(province=province, active=True).values_list("pk", flat=True))
    else:
        raise ValueError(f"participants must be 'province' or 'previous', not {participants!r}")
    ids |= set(Agency.objects.filter(province=province, pk__in=list(add)).values_list("pk", flat=True))
    ids -= set(remove)
    # by province and filtered here: a long ``pk__in`` list costs more than the rows it leaves out
    plan.agencies = [a for a in Agency.objects.filter(province=province).select_related("district").only(
        "pk", "province_id", "name_th", "kind", "active", "itas_code", "dla_code", "district__name_th") if a.pk in ids]
    if source is not None:
        plan.coaching_year, plan.coaching = propose_coaching(province, plan.agencies, source.fiscal_year)
    return plan


def propose_coaching(province: Province, agencies: list[Agency], up_to_year: int
                     ) -> tuple[int | None, list[CoachingProposal]]:
    """Among ``agencies`` of ``province``, the agencies the last published results say need coaching (the
    seed's rule, ``methodology.analysis``): those that did not pass, and those that passed with their own
    instrument (OIT) below the pass mark. Uses the newest result year up to ``up_to_year``; (None, []) when
    there are no results."""
    year = (AssessmentResult.objects.filter(agency__province=province, fiscal_year__lte=up_to_year)
            .order_by("-fiscal_year").values_list("fiscal_year", flat=True).first())
    if year is None:
        return None, []
    # The same rule as analysis.failing + analysis.passed_but_oit_low, read as plain values: building full
    # findings (agency, district, previous year …) for every agency of a big province took most of the plan.
    rows = list(AssessmentResult.objects.filter(agency__province=province, fiscal_year=year).values_list(
        "agency_id", "published_total", "total", "instrument_scores", "framework_id"))
    rules = {}
    for pk, digest in FrameworkVersion.objects.filter(pk__in={r[4] for r in rows}).values_list("pk", "sha256"):
        if (pk, digest) not in _RULES:  # a framework's data is large: read it once per version and content
            data = FrameworkVersion.objects.values_list("data", flat=True).get(pk=pk)
            _RULES[pk, digest] = (float(data["pass_mark"]), analysis.agency_instrument(data))
        rules[pk] = _RULES[pk, digest]
    by_id = {a.pk: a for a in agencies}
    out = []
    for agency_id, published, total, scores, fw_id in rows:
        if agency_id not in by_id:
            continue
        shown = published if published is not None else total
        mark, oit_code = rules[fw_id]
        oit = scores.get(oit_code) if oit_code else None
        if shown is not None and float(shown) < mark:
            priority = 100 + (mark - float(shown))
            reason = _("did not pass: total %(t).2f, %(g).2f below %(m)g") % {
                "t": float(shown), "g": mark - float(shown), "m": mark}
        elif shown is not None and oit is not None and float(oit) < mark:
            priority = 50 + (mark - float(oit)) / 2
            reason = _("passed with %(t).2f but %(i)s is %(o).2f, below %(m)g") % {
                "t": float(shown), "i": oit_code, "o": float(oit), "m": mark}
        else:
            continue
        out.append((priority, CoachingProposal(agency=by_id[agency_id], reason=f"ผลปี {year}: {reason}")))
    out.sort(key=lambda t: (-t[0], t[1].agency.name_th))
    return year, [c for _p, c in out]


# --- writing -------------------------------------------------------------------------------------------------

def _provisional_framework(*, actor, fiscal_year: int, base):
    """A copy of ``base`` for ``fiscal_year`` with every item marked unconfirmed (low confidence and a note),
    installed as ``provisional-<code>-<year>``; the same copy is reused by every province."""
    import yaml

    code = f"{PROVISIONAL_PREFIX}{base.code}-{fiscal_year}"
    existing = FrameworkVersion.objects.filter(code=code).defer(*FRAMEWORK_BODY).order_by("-version").first()
    if existing is not None:  # made for another province (or an earlier attempt): the same copy
        return existing
    data = parse_text(base.source_text)
    data["id"] = code
    data["version"] = 1
    data["fiscal_year"] = fiscal_year
    data.pop("years", None)
    data["status"] = "unofficial"
    data["name_th"] = f"เกณฑ์ชั่วคราวปีงบประมาณ {fiscal_year} (คัดลอกจาก {base.code} v{base.version})"
    data["name_en"] = f"Provisional framework FY{fiscal_year} (copy of {base.code} v{base.version})"
    data["note"] = (f"ยังไม่ยืนยัน: คัดลอกจาก {base.code} v{base.version} จนกว่า ป.ป.ช. จะประกาศเกณฑ์ปี {fiscal_year} / "
                    f"unconfirmed: a copy of {base.code} v{base.version} until the NACC publishes FY{fiscal_year}")
    for instrument in data["instruments"]:
        for indicator in instrument["indicators"]:
            for holder in [indicator, *(indicator.get("subindicators") or [])]:
                for item in holder.get("items") or []:
                    item["confidence"] = "L"
                    item["note"] = (f"ยังไม่ยืนยันสำหรับปี {fiscal_year} / unconfirmed for {fiscal_year}"
                                    + (f" — {item['note']}" if item.get("note") else ""))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    fw, _outcome = methodology.install_framework(actor=actor, text=text, source=f"provisional copy of {base}")
    return fw


def create_round(*, actor, plan: RoundPlan) -> Round:
    """Write ``plan``: the round, its milestones, missions and participants, in one transaction, with one
    history event per created object. Refused (:class:`RoundRefused`, nothing written) when the year exists
    by now or the source round is of another province."""
    with transaction.atomic():
        Province.objects.select_for_update(of=("self",)).filter(pk=plan.province.pk).first()  # one creator at a time
        _check_new(plan.province, plan.fiscal_year, plan.source)
        framework = plan.framework
        if framework is None and plan.provisional_from is not None:
            framework = _provisional_framework(actor=actor, fiscal_year=plan.fiscal_year, base=plan.provisional_from)
        events: list[AuditEvent] = []
        if plan.make_current:
            for old in Round.objects.filter(province=plan.province, is_current=True):
                Round.objects.filter(pk=old.pk).update(is_current=False)
                events.append(audit.build(actor=actor, action="round.current", obj=old,
                                          before={"is_current": True}, after={"is_current": False}))
        round_ = Round.objects.create(
            province=plan.province, fiscal_year=plan.fiscal_year, name=plan.name, starts_on=plan.starts_on,
            ends_on=plan.ends_on, is_current=plan.make_current, public_dashboard=plan.public_dashboard,
            framework=framework, copied_from=plan.source)
        events.append(audit.build(actor=actor, action="round.create", obj=round_,
                                  after=audit.snapshot(round_, ROUND_FIELDS),
                                  note=f"copied from {plan.source.name}" if plan.source else ""))
        milestones = Milestone.objects.bulk_create([
            Milestone(round=round_, code=m.code, name_th=m.name_th, name_en=m.name_en, description=m.description,
                      order=m.order, deadline=m.deadline, opens_at=m.opens_at) for m in plan.milestones])
        by_code = {m.code: m for m in milestones}
        missions = Mission.objects.bulk_create([
            Mission(round_id=round_.pk, office_id=p.office.pk, text=p.text, order=p.order,
                    milestone_id=by_code[p.milestone_code].pk if p.milestone_code in by_code else None)
            for p in plan.missions])
        reasons = {c.agency.pk: c.reason for c in plan.coaching} if plan.adopt_coaching else {}
        participations = Participation.objects.bulk_create([
            Participation(round_id=round_.pk, agency_id=a.pk, needs_coaching=a.pk in reasons,
                          coaching_reason=reasons.get(a.pk, "")[:300]) for a in plan.agencies])
        names = {a.pk: a.name_th for a in plan.agencies}
        for action, objs, fields, label in (
                ("milestone.create", milestones, MILESTONE_FIELDS, str),
                ("mission.create", missions, MISSION_FIELDS, lambda o: o.text[:80]),
                ("participation.create", participations, PARTICIPATION_FIELDS,
                 lambda o: f"{names[o.agency_id]} ({plan.fiscal_year})")):
            events.extend(_created_events(actor, action, objs, fields, label))
        AuditEvent.objects.bulk_create(events, batch_size=1000)
    return round_


def _created_events(actor, action: str, objs, fields: list[str], label) -> list[AuditEvent]:
    """One "created" history event per object, as ``audit.build`` makes them (who, what, the object and its
    values), built with ids: hundreds of participants at a time."""
    if not objs:
        return []
    first = audit.build(actor=actor, action=action, obj=objs[0])
    return [AuditEvent(actor_id=first.actor_id, actor_label=first.actor_label, action=action,
                       content_type_id=first.content_type_id, object_id=str(o.pk), object_repr=label(o)[:300],
                       after=audit.snapshot(o, fields)) for o in objs]
