"""The settings of an existing round — its name, being current, closing and reopening, who takes part and who
needs coaching, picking agencies in bulk — and the public holidays the deadlines avoid. Every write in one
transaction with its history event; a refusal is a :class:`~itadesk.cycles.round_setup.RoundRefused`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from itadesk.core import audit
from itadesk.core.models import AuditEvent
from itadesk.core.thai import arabic_digits
from itadesk.cycles.models import Milestone, Participation, PublicHoliday, Round
from itadesk.cycles.round_setup import PARTICIPATION_FIELDS, RoundRefused
from itadesk.registry.models import Agency, Province, SupervisingOffice

HOLIDAY_FIELDS = ["year", "month", "day", "name_th", "name_en", "source"]


@transaction.atomic
def add_holiday(*, actor, year_ce: int | None, month: int, day: int, name_th: str, name_en: str = "",
                source: str) -> PublicHoliday:
    """Add a public holiday (every year when ``year_ce`` is None). Its source is required."""
    try:
        dt.date(year_ce or 2028, month, day)  # 2028: a leap year, so 29 February is allowed for every year
    except ValueError as exc:
        raise RoundRefused(f"วันที่ {day}/{month} ไม่มีจริง", f"{day}/{month} is not a date") from exc
    if not source.strip() or not name_th.strip():
        raise RoundRefused("ต้องระบุชื่อวันหยุดและแหล่งที่มา", "a holiday needs a name and its source")
    if PublicHoliday.objects.filter(year=year_ce, month=month, day=day, name_th=name_th.strip()).exists():
        raise RoundRefused("มีวันหยุดนี้อยู่แล้ว", "this holiday is already listed")
    holiday = PublicHoliday.objects.create(year=year_ce, month=month, day=day, name_th=name_th.strip(),
                                           name_en=name_en.strip(), source=source.strip())
    audit.record(actor=actor, action="holiday.create", obj=holiday, after=audit.snapshot(holiday, HOLIDAY_FIELDS))
    return holiday


@transaction.atomic
def delete_holiday(*, actor, holiday: PublicHoliday) -> None:
    audit.record(actor=actor, action="holiday.delete", obj=holiday, before=audit.snapshot(holiday, HOLIDAY_FIELDS))
    holiday.delete()


# --- settings of an existing round ---------------------------------------------------------------------------

@transaction.atomic
def update_round(*, actor, round: Round, name: str, public_dashboard: bool) -> bool:
    before = audit.snapshot(round, ["name", "public_dashboard"])
    name = name.strip()
    if not name:
        raise RoundRefused("กรุณาระบุชื่อรอบ", "the round needs a name")
    if before == {"name": name, "public_dashboard": public_dashboard}:
        return False
    round.name, round.public_dashboard = name, public_dashboard
    round.save(update_fields=["name", "public_dashboard"])
    audit.record(actor=actor, action="round.update", obj=round, before=before,
                 after=audit.snapshot(round, ["name", "public_dashboard"]))
    return True


@transaction.atomic
def make_current(*, actor, round: Round) -> bool:
    """Make ``round`` the one current round of its province (exactly one at a time)."""
    if round.is_current and not Round.objects.filter(province_id=round.province_id, is_current=True
                                                     ).exclude(pk=round.pk).exists():
        return False
    others = list(Round.objects.select_for_update(of=("self",)).filter(province_id=round.province_id, is_current=True)
                  .exclude(pk=round.pk).values_list("pk", flat=True))
    Round.objects.filter(pk__in=others).update(is_current=False)
    Round.objects.filter(pk=round.pk).update(is_current=True)
    round.is_current = True
    audit.record(actor=actor, action="round.current", obj=round, before={"current_before": others},
                 after={"is_current": True})
    return True


@transaction.atomic
def set_state(*, actor, round: Round, state: str) -> bool:
    """Close a round (its progress is frozen; reports stay issuable) or open it again."""
    if state not in Round.State.values:
        raise RoundRefused(f"สถานะ {state} ไม่ถูกต้อง", f"unknown state {state}")
    if round.state == state:
        return False
    before = {"state": round.state}
    round.state = state
    round.save(update_fields=["state"])
    audit.record(actor=actor, action="round.close" if state == Round.State.CLOSED else "round.reopen", obj=round,
                 before=before, after={"state": state})
    return True



def agencies_with_data(round: Round, agency_ids: Iterable[int]) -> dict[int, list[str]]:
    """For each of ``agency_ids`` that has data in ``round`` (progress, evidence, stakeholder data …: any table
    linked to the round or its milestones that names the agency), what kind of data (model names)."""
    ids = list(agency_ids)
    found: dict[int, list[str]] = {}
    links = [(rel.related_model, rel.field.name) for rel in Round._meta.related_objects]
    links += [(rel.related_model, f"{rel.field.name}__round") for rel in Milestone._meta.related_objects]
    for model, path in links:
        if model is Participation or not any(f.name == "agency" and f.many_to_one for f in model._meta.get_fields()):
            continue
        for agency_id in (model.objects.filter(**{path: round}, agency_id__in=ids)
                          .values_list("agency_id", flat=True).distinct()):
            found.setdefault(agency_id, []).append(str(model._meta.verbose_name))
    return found


@transaction.atomic
def add_participants(*, actor, round: Round, agency_ids: Iterable[int]) -> int:
    """Add agencies of the round's province (others are ignored); one history event per new participant."""
    existing = set(round.participations.values_list("agency_id", flat=True))
    agencies = Agency.objects.filter(province_id=round.province_id, pk__in=set(agency_ids) - existing)
    created = Participation.objects.bulk_create([Participation(round=round, agency=a) for a in agencies])
    AuditEvent.objects.bulk_create([
        audit.build(actor=actor, action="participation.create", obj=p, after=audit.snapshot(p, PARTICIPATION_FIELDS))
        for p in created])
    return len(created)


@transaction.atomic
def remove_participants(*, actor, round: Round, agency_ids: Iterable[int]) -> int:
    """Remove agencies from a round. Refused, for all of them, when any has data in the round: removing it
    would hide that data from every page (remove the data first, or keep the agency)."""
    ids = set(agency_ids)
    with_data = agencies_with_data(round, ids)
    if with_data:
        names = ", ".join(sorted(Agency.objects.filter(pk__in=with_data).values_list("name_th", flat=True))[:10])
        raise RoundRefused(
            f"นำหน่วยงานที่มีข้อมูลในรอบนี้แล้วออกไม่ได้ ({len(with_data)} แห่ง: {names}) ไม่ได้นำหน่วยงานใดออก",
            f"{len(with_data)} of these agencies already have data in this round ({names}); none was removed")
    participations = list(round.participations.filter(agency_id__in=ids).select_related("agency"))
    AuditEvent.objects.bulk_create([
        audit.build(actor=actor, action="participation.delete", obj=p, before=audit.snapshot(p, PARTICIPATION_FIELDS))
        for p in participations])
    Participation.objects.filter(pk__in=[p.pk for p in participations]).delete()
    return len(participations)


@transaction.atomic
def set_coaching(*, actor, round: Round, reasons: dict[int, str]) -> int:
    """Adopt a coaching group in one click: flag these participants (with the reason), one event each."""
    changed = 0
    for p in round.participations.filter(agency_id__in=list(reasons)):
        before = audit.snapshot(p, PARTICIPATION_FIELDS)
        p.needs_coaching, p.coaching_reason = True, reasons[p.agency_id][:300]
        if before != audit.snapshot(p, PARTICIPATION_FIELDS):
            p.save(update_fields=["needs_coaching", "coaching_reason"])
            audit.record(actor=actor, action="participation.coaching", obj=p, before=before,
                         after=audit.snapshot(p, PARTICIPATION_FIELDS))
            changed += 1
    return changed


# --- picking agencies in bulk --------------------------------------------------------------------------------

def select_agencies(province: Province, *, kind: str = "", district_id: int | None = None,
                    office: SupervisingOffice | None = None, active_only: bool = False):
    qs = Agency.objects.filter(province=province)
    if kind:
        qs = qs.filter(kind=kind)
    if district_id:
        qs = qs.filter(district_id=district_id)
    if office is not None:
        qs = qs.filter(office.agency_q())
    if active_only:
        qs = qs.filter(active=True)
    return qs


def agencies_from_codes(province: Province, text: str) -> tuple[list[int], list[str]]:
    """Agency ids for a list of codes (ITAS or DLA code, or the exact Thai name), one per line or the first
    column of a CSV; and an error per line that names no agency of the province."""
    ids, errors = [], []
    agencies = list(Agency.objects.filter(province=province).only("pk", "itas_code", "dla_code", "name_th"))
    index: dict[str, int] = {}
    for a in agencies:
        for key in (a.itas_code, a.dla_code, a.name_th):
            if key:
                index[key.strip()] = a.pk
    for n, line in enumerate(text.splitlines(), start=1):
        code = arabic_digits(line.split(",")[0].strip().strip('"').lstrip("\ufeff"))
        if not code or (n == 1 and code.lower() in {"code", "itas_code", "dla_code", "รหัส"}):
            continue
        if code in index:
            ids.append(index[code])
        else:
            errors.append(f"บรรทัด {n}: ไม่พบหน่วยงานรหัส “{code}” ในจังหวัด{province.name_th} / "
                          f"line {n}: no agency with code “{code}” in {province.name_en or province.name_th}")
    return ids, errors


def agencies_in_no_round(province: Province):
    """Active agencies of the province that take part in none of its rounds."""
    return (Agency.objects.filter(province=province, active=True)
            .exclude(pk__in=Participation.objects.filter(round__province=province).values("agency_id")))
