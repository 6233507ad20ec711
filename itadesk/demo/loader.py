"""The Loei FY2568 demonstration (``itadesk demo``): real reference data plus invented progress.

Real, from public sources (see ``data/README.md``): the province, its 14 districts and 101 local
governments. From the seed document (the Loei ITA committee meeting of 24 Dec 2567 BE and its
assignment list): the four supervising offices and their missions, the three deadlines, the 21
agencies picked for coaching and the committee members present. Invented, and marked
``DEMO_MARKER`` in every note: where each agency stands on each milestone. Also invented: the demo
accounts, whose names say "(สาธิต)".

Idempotent: every object is looked up by its natural key (province code, district geocode, agency
dla_code or name, office code, round fiscal year, milestone code, username …) and only created when
missing. Nothing that already exists is changed: not a name someone corrected, not a progress row
someone updated, not a password someone changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from itadesk.accounts.models import Membership, Role
from itadesk.committee.models import CommitteeMember
from itadesk.core import audit
from itadesk.core.thai import BANGKOK, bangkok_datetime, fiscal_year_bounds
from itadesk.cycles.models import Milestone, Mission, Participation, Progress, Round, Status
from itadesk.demo import actions, current_round, meetings, official_documents, people, projects
from itadesk.demo.questionnaires import load as load_questionnaires
from itadesk.demo.results import load_results
from itadesk.demo.seed import COACHING_DLA_CODES, COACHING_REASON, OFFICES
from itadesk.demo.surveys import load as load_surveys
from itadesk.methodology import services as methodology
from itadesk.methodology.models import AssessmentResult, FrameworkVersion
from itadesk.notifications import services as notify_services
from itadesk.registry.models import (
    Agency,
    AgencyKind,
    District,
    OversightRule,
    Province,
    SupervisingOffice,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_MARKER = "[ข้อมูลสาธิต]"
DEMO_PASSWORD = "itadesk-demo"
DEMO_EMAIL_DOMAIN = "demo.itadesk.local"

PROVINCE = {"code": "42", "name_th": "จังหวัดเลย", "name_en": "Loei"}
FISCAL_YEAR = 2568
ROUND_NAME = "การประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2568 จังหวัดเลย"

# DLA's ประเภท อปท. (as written in loei-laos.csv) -> AgencyKind
LAO_KINDS = {
    "อบจ.": AgencyKind.PAO,
    "เทศบาลเมือง": AgencyKind.TOWN_MUNICIPALITY,
    "เทศบาลตำบล": AgencyKind.SUBDISTRICT_MUNICIPALITY,
    "อบต.": AgencyKind.SAO,
}

PROVINCIAL_AGENCY = {
    "name_th": "จังหวัดเลย (ราชการบริหารส่วนภูมิภาค)",
    "name_en": "Loei Province (provincial administration)",
    "website": "http://www.loei.go.th/",
    "source": "seed document",
}

# --- milestones: the three ITAS deadlines the assignment list quotes (17:00 Bangkok time) ----------

MILESTONES = [
    {
        "code": "stakeholders", "order": 1, "deadline": (2568, 1, 31, 17),  # วันศุกร์ที่ ๓๑ มกราคม ๒๕๖๘
        "name_th": "ระบุและอนุมัติข้อมูลผู้มีส่วนได้ส่วนเสียภายในและภายนอก (ส่วนที่ 2) ในระบบ ITAS",
        "name_en": "Stakeholder data identified and approved in ITAS",
    },
    {
        "code": "oit", "order": 2, "deadline": (2568, 4, 30, 17),  # วันพุธที่ ๓๐ เมษายน ๒๕๖๘
        "name_th": "ตอบและอนุมัติแบบวัดการเปิดเผยข้อมูลสาธารณะ (OIT) ในระบบ ITAS",
        "name_en": "OIT answered and approved in ITAS",
    },
    {
        "code": "iit-eit", "order": 3, "deadline": (2568, 6, 30, 17),  # วันจันทร์ที่ ๓๐ มิถุนายน ๒๕๖๘
        "name_th": "เก็บรวบรวมข้อมูลแบบวัด IIT และ EIT ให้แล้วเสร็จ",
        "name_en": "IIT and EIT data collection completed",
    },
]


# --- committee members present (ผู้มาประชุม), spelled as in that list ---------------------------------

_CR = CommitteeMember.CommitteeRole
COMMITTEE = [
    ("นายประยูร อรัญรุท", "รองผู้ว่าราชการจังหวัดเลย", _CR.CHAIR,
     "หนังสือนำส่งลงนามว่า “นายประยูร อริญฺฐ”"),
    ("นายดิษพล บุตรดีวงศ์", "ท้องถิ่นจังหวัดเลย", _CR.MEMBER, ""),
    ("นางสาวศิวารรณ พนม", "ผอ. สปจ.เลย", _CR.MEMBER, ""),
    ("นายวัชร โคตรสุโน", "แทนปลัดจังหวัดเลย", _CR.MEMBER, ""),
    ("นายบรรวุฒิ รัตน์", "ผอ. กลุ่มงานบริหารทรัพยากรบุคคล", _CR.SECRETARY,
     "วาระ 3.3 และ 4.1 เขียนว่า “นายอนุชา รัตน์”; ผู้ตรวจรายงานการประชุมลงนามว่า “นายนราวุฒิ รัตน์ง”"),
    ("นายสิทธิศักดิ์ หอมยศ", "ผอ. กลุ่มงานกฎหมาย", _CR.CO_SECRETARY, ""),
    ("นายนนทชัย วงษ์ถา", "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", _CR.ASSISTANT_SECRETARY,
     "วาระ 4.2 เขียนว่า “นายณนทชัย วงษ์ธา”; ผู้จัดรายงานการประชุมลงนามว่า “นายพนนทชัย วงษ์ธา”"),
]

# --- demo accounts ----------------------------------------------------------------------------------
# (username, first name, role, what it applies to: "province" | ("office", code) | ("agency", dla_code))

ACCOUNTS = [
    ("secretariat", "ฝ่ายเลขานุการคณะกรรมการฯ จังหวัดเลย (สาธิต)", Role.SECRETARIAT, "province"),
    ("nacc", "เจ้าหน้าที่ ป.ป.ช.จังหวัดเลย (สาธิต)", Role.OFFICER, ("office", "nacc")),
    ("provincial", "เจ้าหน้าที่ สนง.จังหวัดเลย (สาธิต)", Role.OFFICER, ("office", "provincial-office")),
    ("local", "เจ้าหน้าที่ สถ.จ.เลย (สาธิต)", Role.OFFICER, ("office", "local-promotion")),
    ("administration", "เจ้าหน้าที่ ปค.จังหวัดเลย (สาธิต)", Role.OFFICER, ("office", "provincial-administration")),
    ("reviewer", "ผู้ตรวจสอบ ป.ป.ช.จังหวัดเลย (สาธิต)", Role.REVIEWER, ("office", "nacc")),
    ("admin-nadokkham", "ผู้ดูแลระบบ ทต.นาดอกคำ (สาธิต)", Role.AGENCY_ADMIN, ("agency", "05420202")),
    ("exec-nadokkham", "ผู้บริหาร ทต.นาดอกคำ (สาธิต)", Role.AGENCY_EXECUTIVE, ("agency", "05420202")),
    ("admin-loeipao", "ผู้ดูแลระบบ อบจ.เลย (สาธิต)", Role.AGENCY_ADMIN, ("agency", "02420101")),
    ("superuser", "ผู้ดูแลระบบ ITA Desk (สาธิต)", None, None),
]
ACCOUNT_USERNAMES = tuple(a[0] for a in ACCOUNTS)

# --- invented progress ---------------------------------------------------------------------------------
# Per milestone: how many agencies are not done (the lowest scores), how many of those are in the
# coaching group (of 21; the other 95 agencies supply the rest), how many of them have not started,
# how many of the done ones finished after the deadline, how many done ones still await approval, and the
# status a finished row gets. Scores are hashes of the agency's natural key, so every run and every
# database gets the same picture; agencies picked for coaching score lower.

PROGRESS_PLAN = {
    "stakeholders": {"not_done": 6, "coaching_not_done": 4, "not_started": 2, "late_done": 2, "awaiting": 0,
                     "finished": Status.APPROVED},
    "oit": {"not_done": 23, "coaching_not_done": 10, "not_started": 8, "late_done": 2, "awaiting": 8,
            "finished": Status.APPROVED},
    "iit-eit": {"not_done": 46, "coaching_not_done": 15, "not_started": 15, "late_done": 2, "awaiting": 0,
                "finished": Status.DONE},
}

PROGRESS_NOTES = {
    "stakeholders": {
        Status.APPROVED: ["ระบุและอนุมัติข้อมูลผู้มีส่วนได้ส่วนเสียภายในและภายนอกในระบบ ITAS แล้ว"],
        Status.IN_PROGRESS: ["อยู่ระหว่างรวบรวมรายชื่อผู้มีส่วนได้ส่วนเสียภายนอก ยังไม่ได้อนุมัติในระบบ",
                             "ระบุข้อมูลผู้มีส่วนได้ส่วนเสียภายในแล้ว ยังขาดข้อมูลผู้มีส่วนได้ส่วนเสียภายนอก"],
        Status.NOT_STARTED: ["ยังไม่ได้เริ่มระบุข้อมูลผู้มีส่วนได้ส่วนเสียในระบบ ITAS"],
    },
    "oit": {
        Status.APPROVED: ["ตอบแบบวัด OIT ครบทุกข้อและผู้บริหารอนุมัติแล้ว"],
        Status.DONE: ["ตอบแบบวัด OIT ครบทุกข้อแล้ว รอผู้บริหารอนุมัติ"],
        Status.IN_PROGRESS: ["ตอบแบบวัด OIT แล้วบางข้อ อยู่ระหว่างจัดทำข้อมูลบนเว็บไซต์",
                             "ส่งข้อมูล OIT ให้ ป.ป.ช.จังหวัดเลย ตรวจแล้ว อยู่ระหว่างแก้ไขตามคำแนะนำ",
                             "อยู่ระหว่างปรับปรุงหน้าเว็บไซต์ให้ครบตามองค์ประกอบของแบบวัด OIT"],
        Status.NOT_STARTED: ["ยังไม่ได้เริ่มตอบแบบวัด OIT"],
    },
    "iit-eit": {
        Status.DONE: ["เก็บข้อมูลแบบวัด IIT และ EIT ครบตามจำนวนขั้นต่ำแล้ว"],
        Status.IN_PROGRESS: ["เก็บข้อมูลแบบวัด IIT ครบแล้ว แบบวัด EIT ยังไม่ครบตามจำนวนขั้นต่ำ",
                             "เก็บข้อมูลได้บางส่วน ยังไม่ครบตามจำนวนขั้นต่ำ",
                             "อยู่ระหว่างประชาสัมพันธ์ QR Code แบบวัด EIT ให้ผู้รับบริการ"],
        Status.NOT_STARTED: ["ยังไม่ได้เริ่มประชาสัมพันธ์แบบวัด IIT และ EIT"],
    },
}
COACHING_WEIGHT = 0.45  # an agency picked for coaching is this much less diligent
DILIGENCE_SHARE = 0.65  # how much of a milestone's score is the agency's diligence (the rest is chance)
LATE_SUFFIX = " (ดำเนินการหลังกำหนด)"
NOT_STARTED_AT = (2568, 1, 6, 9)  # when the untouched rows were "last seen": the first working day of 2568


def _unit(*parts: str) -> float:
    """A stable pseudo-random number in [0, 1) from the given strings."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


# --- helpers ------------------------------------------------------------------------------------------

_URL = URLValidator(schemes=["http", "https"])


def normalize_website(raw: str) -> str:
    """``www.Example.go.th`` -> ``http://www.example.go.th/``; blank if it is no valid http(s) URL."""
    value = (raw or "").strip()
    if not value:
        return ""
    if not re.match(r"^https?://", value, re.IGNORECASE):
        value = "http://" + value
    parts = urlsplit(value)
    value = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, parts.fragment))
    try:
        _URL(value)
    except ValidationError:
        return ""
    return value


def read_csv(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _agency_key(agency: Agency) -> str:
    return agency.dla_code or agency.name_th


def _local(date: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=BANGKOK)


def _working_day(date: dt.date, *, forward: bool) -> dt.date:
    while date.weekday() >= 5:
        date += dt.timedelta(days=1 if forward else -1)
    return date


class _Tally:
    def __init__(self):
        self.created: dict[str, int] = {}

    def add(self, group: str, created: bool | int = True):
        self.created[group] = self.created.get(group, 0) + int(created)


# --- the loader -----------------------------------------------------------------------------------------

def load_demo(*, stdout=None) -> dict:
    """Load (or complete) the Loei FY2568 demonstration. Returns ``{group: {"created": n, "total": m}}``."""

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    tally = _Tally()
    # The demonstration's hand-offs are a story told after the fact: nobody is notified of them.
    with notify_services.muted(), transaction.atomic():
        province = _load_geography(tally, say)
        agencies = _load_agencies(tally, say, province)
        offices = _load_offices(tally, say, province)
        round_, milestones = _load_round(tally, say, province, offices)
        _load_participations(tally, say, round_, agencies)
        _load_progress(tally, say, round_, milestones, agencies)
        _load_committee(tally, say, province)
        _load_accounts(tally, say, province, offices, agencies)
        _load_methodology(tally, say, round_, agencies)
        _load_meetings(say, province, round_)
        people.load(say, province)
        current_round.load_into(tally, say, province)  # FY2570 in progress, after frameworks and results
        for group, created in tally.created.items():
            if created:
                audit.record(actor=None, action="demo.load", obj=round_,
                             after={"group": group, "created": created},
                             note=f"itadesk demo: {created} {group}")
        totals = _totals(province, round_)
    return {group: {"created": tally.created.get(group, 0), "total": total} for group, total in totals.items()}


def _load_geography(tally, say) -> Province:
    say("Province and districts …")
    province, created = Province.objects.get_or_create(
        code=PROVINCE["code"], defaults={"name_th": PROVINCE["name_th"], "name_en": PROVINCE["name_en"]})
    tally.add("provinces", created)
    for row in read_csv("loei-districts.csv"):
        _, created = District.objects.get_or_create(
            geocode=row["geocode"],
            defaults={"province": province, "name_th": row["name_th"], "name_en": row["name_en"]})
        tally.add("districts", created)
    return province


def _load_agencies(tally, say, province) -> list[Agency]:
    say("Agencies …")
    districts = {d.geocode: d for d in District.objects.filter(province=province)}
    agencies = []
    for row in read_csv("loei-laos.csv"):
        agency, created = Agency.objects.get_or_create(
            dla_code=row["dla_code"],
            defaults={
                "province": province, "district": districts[row["district_geocode"]],
                "kind": LAO_KINDS[row["kind"]], "name_th": row["name_th"],
                "website": normalize_website(row["website"]), "source": row["source"], "is_demo": False,
            })
        tally.add("agencies", created)
        agencies.append(agency)
    for district in sorted(districts.values(), key=lambda d: d.geocode):
        agency, created = Agency.objects.get_or_create(
            province=province, kind=AgencyKind.DISTRICT, name_th=f"อำเภอ{district.name_th}",
            defaults={"district": district, "name_en": f"{district.name_en} District",
                      "source": "DOPA geocode", "is_demo": False})
        tally.add("agencies", created)
        agencies.append(agency)
    agency, created = Agency.objects.get_or_create(
        province=province, kind=AgencyKind.PROVINCIAL, name_th=PROVINCIAL_AGENCY["name_th"],
        defaults={"name_en": PROVINCIAL_AGENCY["name_en"], "website": PROVINCIAL_AGENCY["website"],
                  "source": PROVINCIAL_AGENCY["source"], "is_demo": False})
    tally.add("agencies", created)
    agencies.append(agency)
    return agencies


def _load_offices(tally, say, province) -> dict[str, SupervisingOffice]:
    say("Supervising offices and oversight rules …")
    offices = {}
    for spec in OFFICES:
        office, created = SupervisingOffice.objects.get_or_create(
            province=province, code=spec["code"],
            defaults={"name_th": spec["name_th"], "short_name": spec["short_name"], "name_en": spec["name_en"],
                      "order": spec["order"]})
        tally.add("offices", created)
        offices[spec["code"]] = office
        for rule in spec["rules"]:
            # An office has at most one rule per role in this demo: (office, role) is the rule's key.
            if office.rules.filter(role=rule["role"]).exists():
                tally.add("oversight_rules", False)
                continue
            OversightRule.objects.create(office=office, role=rule["role"], all_agencies=rule["all_agencies"],
                                         kinds=list(rule["kinds"]), description=rule["description"])
            tally.add("oversight_rules")
    return offices


def _load_round(tally, say, province, offices) -> tuple[Round, dict[str, Milestone]]:
    say("Round, milestones and missions …")
    starts_on, ends_on = fiscal_year_bounds(FISCAL_YEAR)
    round_, created = Round.objects.get_or_create(
        province=province, fiscal_year=FISCAL_YEAR,
        defaults={"name": ROUND_NAME, "starts_on": starts_on, "ends_on": ends_on, "is_current": True,
                  "public_dashboard": False})
    tally.add("rounds", created)
    milestones = {}
    for spec in MILESTONES:
        milestone, created = Milestone.objects.get_or_create(
            round=round_, code=spec["code"],
            defaults={"name_th": spec["name_th"], "name_en": spec["name_en"], "order": spec["order"],
                      "deadline": bangkok_datetime(*spec["deadline"])})
        tally.add("milestones", created)
        milestones[spec["code"]] = milestone
    for spec in OFFICES:
        office = offices[spec["code"]]
        for order, (milestone_code, text) in enumerate(spec["missions"], start=1):
            # (round, office, order) is a mission's key
            _, created = Mission.objects.get_or_create(
                round=round_, office=office, order=order,
                defaults={"text": text, "milestone": milestones.get(milestone_code)})
            tally.add("missions", created)
    return round_, milestones


def _load_participations(tally, say, round, agencies) -> None:
    say("Participating agencies …")
    existing = set(round.participations.values_list("agency_id", flat=True))
    coaching = set(COACHING_DLA_CODES)
    new = [
        Participation(round=round, agency=a, needs_coaching=a.dla_code in coaching,
                      coaching_reason=COACHING_REASON if a.dla_code in coaching else "")
        for a in agencies if a.pk not in existing
    ]
    Participation.objects.bulk_create(new)
    tally.add("participations", len(new))
    tally.add("coaching", sum(p.needs_coaching for p in new))


def plan_progress(agencies: list[Agency], milestones: dict[str, Milestone]) -> list[Progress]:
    """The invented progress rows (unsaved) for the demo agencies: the same on every run."""
    coaching = set(COACHING_DLA_CODES)
    keys = {a.pk: _agency_key(a) for a in agencies}

    def diligence(agency) -> float:
        base = _unit(keys[agency.pk], "diligence")
        return base * COACHING_WEIGHT if agency.dla_code in coaching else base

    behind_on_stakeholders: set[int] = set()

    def score(agency, code) -> float:
        if code == "iit-eit" and agency.pk in behind_on_stakeholders:
            return -1.0  # no stakeholder list yet, so no IIT/EIT either
        return DILIGENCE_SHARE * diligence(agency) + (1 - DILIGENCE_SHARE) * _unit(keys[agency.pk], code)

    def order(group, code) -> list[Agency]:
        return sorted(group, key=lambda agency: (score(agency, code), keys[agency.pk]))

    rows: list[Progress] = []
    for code in ("stakeholders", "oit", "iit-eit"):
        milestone, plan = milestones[code], PROGRESS_PLAN[code]
        # the behind ones: so many of the coaching group, the rest from the others (their lowest scores)
        in_coaching = order([a for a in agencies if a.dla_code in coaching], code)
        others = order([a for a in agencies if a.dla_code not in coaching], code)
        k = min(plan["coaching_not_done"], len(in_coaching))
        n = min(plan["not_done"], len(agencies))
        behind = order(in_coaching[:k] + others[:max(0, n - k)], code)
        ranked = behind + order(in_coaching[k:] + others[max(0, n - k):], code)
        deadline_day = milestone.deadline.astimezone(BANGKOK).date()
        for rank, agency in enumerate(ranked):
            key = keys[agency.pk]
            pick = _unit(key, code, "note")
            hour, minute = 9 + int(_unit(key, code, "hour") * 8), int(_unit(key, code, "minute") * 60)
            late = False
            if rank < plan["not_started"]:
                status = Status.NOT_STARTED
                updated_at = bangkok_datetime(*NOT_STARTED_AT)
            elif rank < n:
                status = Status.IN_PROGRESS
                day = deadline_day - dt.timedelta(days=1 + int(_unit(key, code, "day") * 20))
                updated_at = _local(_working_day(day, forward=False), hour, minute)
            else:
                done_rank = rank - n
                late = done_rank < plan["late_done"]
                awaiting = plan["late_done"] <= done_rank < plan["late_done"] + plan["awaiting"]
                status = Status.DONE if awaiting else plan["finished"]
                if late:
                    day = deadline_day + dt.timedelta(days=1 + int(_unit(key, code, "day") * 7))
                    updated_at = _local(_working_day(day, forward=True), hour, minute)
                else:
                    day = deadline_day - dt.timedelta(days=1 + int(_unit(key, code, "day") * 40))
                    updated_at = _local(_working_day(day, forward=False), hour, minute)
            if code == "stakeholders" and status not in (Status.DONE, Status.APPROVED):
                behind_on_stakeholders.add(agency.pk)
            notes = PROGRESS_NOTES[code][status]
            note = f"{DEMO_MARKER} {notes[int(pick * len(notes))]}" + (LATE_SUFFIX if late else "")
            done = status in (Status.DONE, Status.APPROVED)
            rows.append(Progress(
                milestone=milestone, agency=agency, status=status, note=note, updated_at=updated_at,
                done_at=updated_at if done else None, changed_late=updated_at > milestone.deadline))
    return rows


def _load_progress(tally, say, round, milestones, agencies) -> None:
    say("Demo progress …")
    existing = set(Progress.objects.filter(milestone__round=round).values_list("milestone_id", "agency_id"))
    participating = set(round.participations.values_list("agency_id", flat=True))
    new = [p for p in plan_progress(agencies, milestones)
           if (p.milestone.pk, p.agency.pk) not in existing and p.agency.pk in participating]
    Progress.objects.bulk_create(new)
    tally.add("progress", len(new))


def _load_committee(tally, say, province) -> None:
    say("Committee members …")
    for order, (name, position, role, note) in enumerate(COMMITTEE, start=1):
        _, created = CommitteeMember.objects.get_or_create(
            province=province, name=name,
            defaults={"position": position, "committee_role": role, "order": order, "note": note})
        tally.add("committee_members", created)


def _load_accounts(tally, say, province, offices, agencies) -> None:
    say("Demo accounts …")
    User = get_user_model()
    by_dla = {a.dla_code: a for a in agencies if a.dla_code}
    for username, first_name, role, target in ACCOUNTS:
        is_super = role is None
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
                      "is_staff": is_super, "is_superuser": is_super})
        if created:  # never reset a password someone changed
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        tally.add("users", created)
        if role is None:
            continue
        lookup = {"user": user, "role": role, "province": None, "office": None, "agency": None}
        if target == "province":
            lookup["province"] = province
        elif target[0] == "office":
            lookup["office"] = offices[target[1]]
        else:
            lookup["agency"] = by_dla[target[1]]
        _, created = Membership.objects.get_or_create(**lookup)
        tally.add("memberships", created)


DEMO_FRAMEWORK = "nacc-ita-2568"


def _load_methodology(tally, say, round, agencies) -> None:
    """The shipped framework files, the round's framework, and synthetic past results."""
    say("Frameworks and (synthetic) past results …")
    for path in methodology.shipped_files():
        try:
            _fw, outcome = methodology.install_framework(actor=None, text=path.read_text(encoding="utf-8"),
                                                         source=path.name)
        except methodology.FrameworkLocked as exc:
            say(f"  {path.name}: {exc.en}; the installed version is kept")
            continue
        tally.add("frameworks", outcome == "created")
    if round.framework_id is None:
        fw = FrameworkVersion.objects.filter(code=DEMO_FRAMEWORK).order_by("-version").first()
        if fw is not None:
            methodology.set_round_framework(actor=None, round=round, framework=fw)
    tally.add("results", load_results(agencies, set(COACHING_DLA_CODES)))
    round.refresh_from_db()
    if round.framework_id is not None:
        say("Stakeholder data, response counts and mock questionnaires …")
        load_surveys(round)
        load_questionnaires(round)


def _load_meetings(say, province, round) -> None:
    """The committee's meeting of 24 Dec 2567 as recorded in the seed (after members and offices)."""
    say("Committee meeting of 24 Dec 2567 …")
    meetings.load(province, round)

    say("Action items, problems and obstacles …")
    actions.load(province, round)
    say("Document registers and the letter sending the minutes …")
    official_documents.load(province, round)
    say("The workshop project and its event …")
    projects.load(province, round)


def _totals(province, round) -> dict[str, int]:
    User = get_user_model()
    return {
        "provinces": Province.objects.filter(pk=province.pk).count(),
        "districts": province.districts.count(),
        "agencies": province.agencies.count(),
        "offices": province.offices.count(),
        "oversight_rules": OversightRule.objects.filter(office__province=province).count(),
        "rounds": Round.objects.filter(pk=round.pk).count(),
        "milestones": round.milestones.count(),
        "missions": round.missions.count(),
        "participations": round.participations.count(),
        "coaching": round.participations.filter(needs_coaching=True).count(),
        "progress": Progress.objects.filter(milestone__round=round).count(),
        "committee_members": province.committee_members.count(),
        "users": User.objects.filter(username__in=ACCOUNT_USERNAMES).count(),
        "frameworks": FrameworkVersion.objects.count(),
        "results": AssessmentResult.objects.filter(agency__province=province).count(),
        **current_round.totals(province, round),
        "memberships": Membership.objects.filter(user__username__in=ACCOUNT_USERNAMES).count(),
    }


def account_rows() -> list[dict]:
    """The demo accounts as rows for printing: username, role and what the role applies to."""
    rows = []
    for username, first_name, role, target in ACCOUNTS:
        if role is None:
            applies = "Django superuser"
            role_label = "superuser"
        else:
            role_label = str(role.value)
            if target == "province":
                applies = PROVINCE["name_th"]
            elif target[0] == "office":
                applies = next(o["short_name"] for o in OFFICES if o["code"] == target[1])
            else:
                agency = Agency.objects.filter(dla_code=target[1]).first()
                applies = f"{agency.name_th if agency else '?'} ({target[1]})"
        rows.append({"username": username, "password": DEMO_PASSWORD, "role": role_label, "applies_to": applies,
                     "name": first_name})
    return rows
