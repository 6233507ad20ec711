"""Deadline reminder digests by e-mail.

On each day that a milestone's deadline is exactly N Bangkok calendar days ahead (N in
``settings.ITADESK_REMINDER_DAYS``), two kinds of digest go out:

* an **office digest** per supervising office of the round's province, to every active user holding
  the officer role of that office plus the office's own e-mail address: the office's participating
  agencies that are not done on that milestone, grouped by district. Agencies an office only *helps*
  follow (oversight rule role "assist") are included and marked, so both the lead and the assisting
  office are reminded. No digest when nothing is open.
* an **agency digest** per participating agency that is not done on a milestone hitting N, to each
  active agency admin: all of the agency's open milestones of that round with deadline and countdown.
  When several milestones hit a reminder day at once, the agency gets one digest.

``due_reminders(now)`` only reads; ``send_due_reminders(now)`` sends each (digest, recipient) once,
guarded by ``ReminderLog`` rows (one per triggering milestone) written in the transaction that decides
to send, together with the message's rows in the notification outbox (``itadesk.notifications``: by e-mail
or LINE as each user chose; an office's digest also to the office's linked LINE group). The messages are
delivered after that commit (no database lock is held while talking to the mail server); a failed delivery
stays in the outbox and is retried from there, so the claim is kept and nobody gets the digest twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from itadesk.accounts.models import Membership, Role
from itadesk.core.thai import BANGKOK, format_countdown, format_date, to_bangkok
from itadesk.cycles import sources
from itadesk.cycles.models import (
    DONE_STATUSES,
    Milestone,
    Participation,
    Progress,
    ReminderLog,
    Round,
    Status,
)
from itadesk.cycles.selectors import participants
from itadesk.notifications import delivery as notify_delivery
from itadesk.notifications import services as notify_services
from itadesk.notifications.models import Kind as NotifyKind
from itadesk.notifications.models import Notification
from itadesk.notifications.models import State as NotifyState
from itadesk.registry.models import Agency, OversightRule, SupervisingOffice

logger = logging.getLogger(__name__)

# E-mails are always in Thai, whatever the compiled translations say.
STATUS_TH = {
    Status.NOT_STARTED: "ยังไม่เริ่ม",
    Status.IN_PROGRESS: "กำลังดำเนินการ",
    Status.DONE: "เสร็จแล้ว",
    Status.APPROVED: "อนุมัติแล้ว",
}
NO_DISTRICT = "ไม่ระบุอำเภอ"


def reminder_days() -> list[int]:
    days = getattr(settings, "ITADESK_REMINDER_DAYS", None)
    if days is None:
        days = [14, 7, 3, 1]
    return sorted({int(d) for d in days if int(d) >= 0}, reverse=True)


def bangkok_date(value: dt.datetime) -> dt.date:
    return to_bangkok(value).date()


def days_until(deadline: dt.datetime, now: dt.datetime) -> int:
    """Bangkok calendar days from ``now`` to ``deadline`` (0 = today, 1 = tomorrow …)."""
    return (bangkok_date(deadline) - bangkok_date(now)).days


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _district_heading(name: str | None) -> str:
    if not name:
        return NO_DISTRICT
    return name if name.startswith(("อำเภอ", "เขต")) else f"อำเภอ{name}"


@dataclass
class AgencyLine:
    agency: Agency
    status: str
    assist: bool = False

    @property
    def name(self) -> str:
        return self.agency.name_th

    @property
    def district(self) -> str:
        return self.agency.district.name_th if self.agency.district_id else NO_DISTRICT

    @property
    def status_th(self) -> str:
        return STATUS_TH.get(self.status, self.status)


@dataclass
class DistrictGroup:
    name: str
    lines: list[AgencyLine]


@dataclass
class MilestoneLine:
    milestone: Milestone
    status: str
    now: dt.datetime
    days_before: int | None = None  # set when this milestone is what triggered the digest

    @property
    def name(self) -> str:
        return self.milestone.name_th

    @property
    def deadline_th(self) -> str:
        return format_date(self.milestone.deadline)

    @property
    def countdown_th(self) -> str:
        return format_countdown(self.milestone.deadline - self.now)

    @property
    def overdue(self) -> bool:
        return self.milestone.deadline <= self.now

    @property
    def status_th(self) -> str:
        return STATUS_TH.get(self.status, self.status)


@dataclass
class SurveyLine:
    """An agency without approved stakeholder data, or below the minimum sample on a questionnaire."""

    name: str
    district: str
    detail: str


SURVEY_MILESTONES = ("stakeholders", "iit-eit")
STAKE_TH = {"none": "ยังไม่บันทึกข้อมูล", "draft": "บันทึกแล้ว รอผู้บริหารอนุมัติ", "approved": "อนุมัติแล้ว"}


def survey_followup(round: Round):
    """The stakeholder and response follow-up of the round's participants (three queries)."""
    followup = sources.source().followup(round, participants(round), trend="below")
    # Progress recorded as done on the progress page (e.g. read from ITAS) counts: the agency is not open.
    followup.progress_done = set(Progress.objects.filter(
        milestone__round=round, milestone__code="stakeholders", status__in=DONE_STATUSES)
        .values_list("agency_id", flat=True))
    return followup


def survey_lines(followup, code: str, agency_ids=None) -> tuple[str, list[SurveyLine]]:
    """(title, lines) for a digest of milestone ``code``: the agencies without approved stakeholder data
    ("stakeholders") or below the minimum sample, largest gap first ("iit-eit"); ``agency_ids`` limits
    them to an office's or one agency."""
    rows = [r for r in followup.rows if agency_ids is None or r.id in agency_ids]
    if code == "stakeholders":
        lines = [SurveyLine(r.name, r.district or NO_DISTRICT, STAKE_TH[r.stake_status])
                 for r in rows if r.stake_status != "approved"
                 and r.id not in getattr(followup, "progress_done", ())]
        return "หน่วยงานที่ยังไม่มีข้อมูลผู้มีส่วนได้ส่วนเสียที่ผู้บริหารอนุมัติแล้ว", lines
    if code == "iit-eit":
        below = [r for r in rows if any(c.below for c in r.cells.values())]
        below.sort(key=lambda r: (-max(c.gap or 0 for c in r.cells.values()), r.name))
        lines = [SurveyLine(r.name, r.district or NO_DISTRICT, ", ".join(
            f"{c.instrument.code} ตอบแล้ว {c.ratio} ขาดอีก {c.gap:,}" for c in r.cells.values() if c.below))
            for r in below]
        return "หน่วยงานที่จำนวนผู้ตอบยังไม่ถึงจำนวนขั้นต่ำ (ตอบแล้ว / ขั้นต่ำ)", lines
    return "", []


@dataclass
class Digest:
    """One reminder e-mail, addressed to ``recipients`` (each gets their own copy)."""

    kind: str  # "office" | "agency"
    round: Round
    milestone: Milestone  # the (nearest) milestone that triggered it
    days_before: int
    now: dt.datetime
    triggers: list[tuple[Milestone, int]]
    office: SupervisingOffice | None = None
    agency: Agency | None = None
    groups: list[DistrictGroup] = field(default_factory=list)  # office digests
    items: list[MilestoneLine] = field(default_factory=list)  # agency digests
    total: int = 0  # office: participating agencies it follows
    recipients: list[str] = field(default_factory=list)
    skipped_users: list[str] = field(default_factory=list)  # usernames without an e-mail address
    followup: list[SurveyLine] = field(default_factory=list)  # "stakeholders" / "iit-eit": from the surveys app
    followup_title: str = ""
    people: dict = field(default_factory=dict)  # e-mail address (lower case) → the user it belongs to

    @property
    def scope(self) -> str:
        return f"office:{self.office.pk}" if self.kind == "office" else f"agency:{self.agency.pk}"

    @property
    def target(self):
        return self.office if self.kind == "office" else self.agency

    @property
    def open_count(self) -> int:
        if self.kind == "office":
            return sum(len(g.lines) for g in self.groups)
        return len(self.items)

    @property
    def lines(self) -> list[AgencyLine]:
        return [line for g in self.groups for line in g.lines]

    @property
    def subject(self) -> str:
        m = self.milestone
        text = (f"[ITA Desk] แจ้งเตือน: อีก {self.days_before} วันถึงกำหนด {_one_line(m.name_th)} "
                f"({format_date(m.deadline)})")
        if self.kind == "agency":
            text += f" – {_one_line(self.agency.name_th)}"
        return text

    def context(self) -> dict:
        return {
            "digest": self,
            "kind": self.kind,
            "round": self.round,
            "milestone": self.milestone,
            "milestone_name": _one_line(self.milestone.name_th),
            "deadline_th": format_date(self.milestone.deadline),
            "countdown_th": format_countdown(self.milestone.deadline - self.now),
            "days_before": self.days_before,
            "office": self.office,
            "agency": self.agency,
            "groups": self.groups,
            "items": self.items,
            "open_count": self.open_count,
            "total": self.total,
            "followup": self.followup,
            "followup_title": self.followup_title,
            "site_url": settings.SITE_URL.rstrip("/") + "/",
            "sent_on_th": format_date(self.now, with_time=False),
        }

    def render(self) -> tuple[str, str]:
        """(plain text, HTML) bodies, in Thai."""
        with translation.override("th"):
            ctx = self.context()
            text = render_to_string(f"cycles/email/{self.kind}_digest.txt", ctx)
            html = render_to_string(f"cycles/email/{self.kind}_digest.html", ctx)
        return text, html

    @property
    def link(self) -> str:
        if self.kind == "office":
            path = reverse("office_dashboard", args=[self.round.pk, self.office.pk])
        else:
            path = reverse("agency_progress", args=[self.round.pk, self.agency.pk])
        return settings.SITE_URL.rstrip("/") + path

    def log_keys(self) -> list[tuple[int, int]]:
        """(milestone id, days before) pairs this digest answers for in ReminderLog."""
        return [(m.pk, n) for m, n in self.triggers]


# ---------------------------------------------------------------------------------------- reading


def due_milestones(now: dt.datetime, days: list[int] | None = None) -> list[tuple[Milestone, int]]:
    """Milestones whose deadline falls exactly N Bangkok days after ``now``'s Bangkok date."""
    days = reminder_days() if days is None else days
    today = bangkok_date(now)
    q = Q(pk__in=[])
    for n in days:
        start = dt.datetime.combine(today + dt.timedelta(days=n), dt.time(0), tzinfo=BANGKOK)
        q |= Q(deadline__gte=start, deadline__lt=start + dt.timedelta(days=1))
    milestones = (Milestone.objects.filter(q).select_related("round", "round__province")
                  .order_by("deadline", "round_id", "order", "id"))
    return [(m, days_until(m.deadline, now)) for m in milestones]


def _emails(memberships) -> tuple[list[str], list[str]]:
    """Distinct addresses of the members' users, and the usernames that have none."""
    emails, skipped, seen_users = [], [], set()
    for ms in memberships:
        user = ms.user
        if user.pk in seen_users:
            continue
        seen_users.add(user.pk)
        email = (user.email or "").strip()
        if email:
            emails.append(email)
        else:
            skipped.append(user.get_username())
    return emails, skipped


def _people(memberships) -> dict:
    """The members' users by e-mail address (lower case), so that each one's own choice of channel applies."""
    return {(ms.user.email or "").strip().lower(): ms.user for ms in memberships if (ms.user.email or "").strip()}


def _add_unique(emails: list[str], extra: str) -> list[str]:
    extra = (extra or "").strip()
    if extra and extra.lower() not in {e.lower() for e in emails}:
        emails = [*emails, extra]
    return emails


def _open_agency_ids(milestone: Milestone):
    """Participating agencies of the milestone's round that are not done on it (a subquery-based qs)."""
    done = Progress.objects.filter(milestone=milestone, status__in=DONE_STATUSES).values("agency_id")
    participating = Participation.objects.filter(round_id=milestone.round_id).values("agency_id")
    return Agency.objects.filter(pk__in=participating).exclude(pk__in=done)


def office_digests(milestone: Milestone, days_before: int, now: dt.datetime, *,
                   include_empty: bool = False) -> list[Digest]:
    """One digest per supervising office of the round's province (only those with open agencies,
    unless ``include_empty``)."""
    open_agencies = _open_agency_ids(milestone)
    statuses = dict(Progress.objects.filter(milestone=milestone).values_list("agency_id", "status"))
    participating = Participation.objects.filter(round_id=milestone.round_id).values("agency_id")
    offices = (SupervisingOffice.objects.filter(province_id=milestone.round.province_id)
               .prefetch_related("rules"))
    followup = survey_followup(milestone.round) if milestone.code in SURVEY_MILESTONES else None
    digests = []
    for office in offices:
        agencies = list(open_agencies.filter(office.agency_q()).select_related("district")
                        .order_by("district__geocode", "kind", "name_th", "pk"))
        title, survey = "", []
        if followup is not None:
            followed = set(Agency.objects.filter(office.agency_q(), pk__in=participating).values_list("pk", flat=True))
            title, survey = survey_lines(followup, milestone.code, followed)
        if not agencies and not survey and not include_empty:
            continue
        lead_ids = set(open_agencies.filter(office.agency_q(role=OversightRule.Role.LEAD))
                       .values_list("pk", flat=True))
        groups: dict[object, DistrictGroup] = {}
        for agency in agencies:
            key = agency.district.geocode if agency.district_id else None
            if key not in groups:
                groups[key] = DistrictGroup(_district_heading(agency.district.name_th if agency.district_id
                                                              else None), [])
            groups[key].lines.append(AgencyLine(agency, statuses.get(agency.pk, Status.NOT_STARTED),
                                                assist=agency.pk not in lead_ids))
        ordered = [groups[k] for k in sorted(groups, key=lambda k: (k is None, k or ""))]
        members = (Membership.objects.filter(role=Role.OFFICER, office=office, user__is_active=True)
                   .select_related("user").order_by("user_id"))
        emails, skipped = _emails(members)
        people = _people(members)
        digests.append(Digest(
            kind="office", round=milestone.round, milestone=milestone, days_before=days_before, now=now,
            triggers=[(milestone, days_before)], office=office, groups=ordered,
            total=Agency.objects.filter(office.agency_q(), pk__in=participating).count(),
            recipients=_add_unique(emails, office.email), skipped_users=skipped,
            followup=survey, followup_title=title, people=people,
        ))
    return digests


def agency_digests(round: Round, triggers: list[tuple[Milestone, int]], now: dt.datetime,
                   *, agencies=None) -> list[Digest]:
    """One digest per participating agency that is not done on at least one triggering milestone,
    listing all its open milestones of the round."""
    milestones = list(round.milestones.order_by("deadline", "order", "id"))
    status = {(m_id, a_id): s for m_id, a_id, s in
              Progress.objects.filter(milestone__round=round).values_list("milestone_id", "agency_id", "status")}
    participants = Agency.objects.filter(participations__round=round).select_related("district")
    if agencies is not None:
        participants = participants.filter(pk__in=[a.pk for a in agencies])
    participants = list(participants.order_by("district__geocode", "kind", "name_th", "pk"))
    admins = defaultdict(list)
    for ms in (Membership.objects.filter(role=Role.AGENCY_ADMIN, agency__in=participants, user__is_active=True)
               .select_related("user").order_by("user_id")):
        admins[ms.agency_id].append(ms)

    def is_open(m, a):
        return status.get((m.pk, a.pk), Status.NOT_STARTED) not in DONE_STATUSES

    survey_codes = [m.code for m, _n in triggers if m.code in SURVEY_MILESTONES]
    followup = survey_followup(round) if survey_codes else None
    digests = []
    for agency in participants:
        hit = sorted(((m, n) for m, n in triggers if is_open(m, agency)),
                     key=lambda t: (t[1], t[0].deadline, t[0].order, t[0].pk))
        if not hit:
            continue
        trigger_days = {m.pk: n for m, n in hit}
        items = [MilestoneLine(m, status.get((m.pk, agency.pk), Status.NOT_STARTED), now, trigger_days.get(m.pk))
                 for m in milestones if is_open(m, agency)]
        emails, skipped = _emails(admins.get(agency.pk, []))
        people = _people(admins.get(agency.pk, []))
        primary, n = hit[0]
        title, survey = "", []
        for code in survey_codes:
            if any(m.code == code for m, _n in hit):
                title, lines = survey_lines(followup, code, {agency.pk})
                survey += lines
        digests.append(Digest(
            kind="agency", round=round, milestone=primary, days_before=n, now=now, triggers=hit,
            agency=agency, items=items, recipients=_add_unique(emails, agency.email), skipped_users=skipped,
            followup=survey, followup_title=title if len(survey_codes) == 1 else "ข้อมูลผู้มีส่วนได้ส่วนเสียและจำนวนผู้ตอบ",
            people=people,
        ))
    return digests


def due_reminders(now: dt.datetime | None = None, *, days: list[int] | None = None) -> list[Digest]:
    """All digests due on ``now``'s Bangkok date: office digests first, then agency digests."""
    now = now or timezone.now()
    due = due_milestones(now, days)
    digests: list[Digest] = []
    by_round: dict[int, list[tuple[Milestone, int]]] = defaultdict(list)
    rounds: dict[int, Round] = {}
    for milestone, n in due:
        digests.extend(office_digests(milestone, n, now))
        by_round[milestone.round_id].append((milestone, n))
        rounds[milestone.round_id] = milestone.round
    for round_id, triggers in by_round.items():
        digests.extend(agency_digests(rounds[round_id], triggers, now))
    return digests


# ---------------------------------------------------------------------------------------- sending


@dataclass
class Delivery:
    digest: Digest
    recipient: str
    outcome: str  # "sent" | "already_sent" | "would_send" | "failed"
    error: str = ""


@dataclass
class SendSummary:
    now: dt.datetime
    dry_run: bool = False
    digests: list[Digest] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for d in self.deliveries if d.outcome == outcome)

    @property
    def sent(self) -> int:
        return self.count("sent")

    @property
    def already_sent(self) -> int:
        return self.count("already_sent")

    @property
    def would_send(self) -> int:
        return self.count("would_send")

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def skipped_no_email(self) -> int:
        return sum(len(d.skipped_users) for d in self.digests)

    @property
    def without_recipients(self) -> int:
        return sum(1 for d in self.digests if not d.recipients)

    def as_dict(self) -> dict:
        return {"now": self.now.isoformat(), "dry_run": self.dry_run, "digests": len(self.digests),
                "sent": self.sent, "already_sent": self.already_sent, "would_send": self.would_send,
                "failed": self.failed, "skipped_no_email": self.skipped_no_email,
                "without_recipients": self.without_recipients}


def _already_logged(digest: Digest, recipient: str) -> bool:
    keys = digest.log_keys()
    q = Q(pk__in=[])
    for m_id, n in keys:
        q |= Q(milestone_id=m_id, days_before=n)
    return not (ReminderLog.objects.filter(q, recipient=recipient, scope=digest.scope).count() < len(keys))


def _claim(digest: Digest, recipient: str, message=None) -> tuple[list[int], list[int]]:
    """Write the ReminderLog rows for (digest, recipient) that do not exist yet, and the recipient's rows in
    the notification outbox, in one transaction (the decision to send): (log ids, outbox ids). No log ids
    means everything was already sent."""
    created = []
    with transaction.atomic():
        for m_id, n in digest.log_keys():
            try:
                with transaction.atomic():
                    log = ReminderLog.objects.create(milestone_id=m_id, days_before=n, recipient=recipient,
                                                     scope=digest.scope, open_count=digest.open_count)
            except IntegrityError:
                continue
            created.append(log.pk)
        rows = []
        if created and message is not None:
            user = digest.people.get(recipient.lower())
            rows = notify_services.notify(
                message, province=digest.round.province_id, users=[user] if user else [],
                emails=[] if user else [recipient], office=digest.office if user is None else None,
                after_commit=False)
    return created, [r.pk for r in rows]


def send_due_reminders(now: dt.datetime | None = None, *, dry_run: bool = False,
                       days: list[int] | None = None) -> SendSummary:
    """Send every due digest once per recipient. A re-run the same day sends nothing new."""
    now = now or timezone.now()
    summary = SendSummary(now=now, dry_run=dry_run, digests=due_reminders(now, days=days))
    for digest in summary.digests:
        if not digest.recipients:
            continue
        if dry_run:
            for recipient in digest.recipients:
                outcome = "already_sent" if _already_logged(digest, recipient) else "would_send"
                summary.deliveries.append(Delivery(digest, recipient, outcome))
            continue
        message = None
        for recipient in digest.recipients:
            try:
                if message is None:
                    text, html = digest.render()
                    message = notify_services.Message(kind=NotifyKind.DEADLINE_DIGEST, subject=digest.subject,
                                                      body=text, html=html, link=digest.link)
                claimed, ids = _claim(digest, recipient, message)
            except Exception as exc:  # nothing was claimed: a re-run retries
                logger.exception("Reminder to %s (%s) failed", recipient, digest.scope)
                summary.deliveries.append(Delivery(digest, recipient, "failed", str(exc)))
                continue
            if not claimed:
                summary.deliveries.append(Delivery(digest, recipient, "already_sent"))
                continue
            notify_delivery.deliver(ids=ids)
            failed = Notification.objects.filter(pk__in=ids, state=NotifyState.FAILED).first()
            if failed is not None:  # stays in the outbox, which retries it; the claim is kept
                summary.deliveries.append(Delivery(digest, recipient, "failed", failed.last_error))
            else:
                summary.deliveries.append(Delivery(digest, recipient, "sent"))
    logger.info("Reminders %s: %s", now.isoformat(), summary.as_dict())
    return summary
