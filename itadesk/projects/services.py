"""Every write of projects and events: one transaction, one audit event each.

Money rules: the budget lines of a project may not add up to more than its budget; spending against a
line may not take it past the line's amount; a budget or a line cannot be cut below what is already
planned or spent. Seats: an event never has more registrations than its capacity, an invited agency
never more than its quota (the secretariat may go over a quota, never over the capacity). Both are
checked with the event's row locked, so two registrations racing for the last seat cannot both win.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from itadesk.core import audit
from itadesk.core.services import apply_changes
from itadesk.core.thai import format_date
from itadesk.notifications import services as notify
from itadesk.notifications.models import Kind
from itadesk.projects.models import BudgetLine, Event, Invitation, Project, Registration, Session, Spending

PROJECT_FIELDS = ["round_id", "name", "owner_office_id", "objective", "budget", "budget_source"]
LINE_FIELDS = ["order", "name", "amount"]
EVENT_FIELDS = ["title", "date", "start_time", "end_time", "place", "capacity", "default_quota", "target_group_id",
                "description"]
SESSION_FIELDS = ["order", "topic", "speaker", "speaker_office_id", "speaker_office_name", "duration_minutes",
                  "break_after_minutes"]
REGISTRATION_FIELDS = ["agency_id", "name", "position", "kind", "phone", "email", "walk_in"]


def baht(value) -> str:
    """90000 -> '90,000.00' (for messages)."""
    return f"{Decimal(value or 0):,.2f}"


def _lock(model, pk):
    return model.objects.order_by().select_for_update(of=("self",)).get(pk=pk)


def _lines_total(project_id, exclude_pk=None) -> Decimal:
    qs = BudgetLine.objects.filter(project_id=project_id)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(s=Sum("amount"))["s"] or Decimal("0")


def _spent(line_id) -> Decimal:
    return Spending.objects.filter(line_id=line_id).aggregate(s=Sum("amount"))["s"] or Decimal("0")


# --- projects and money -------------------------------------------------------------------------

@transaction.atomic
def save_project(*, actor, province, project: Project | None = None, changes: dict) -> Project:
    if project is not None and project.pk:
        project = _lock(Project, project.pk)
        if project.province_id != province.pk:
            raise ValidationError(_("This project belongs to another province."))
    else:
        project = Project(province=province)
    before = audit.snapshot(project, PROJECT_FIELDS) if project.pk else None
    apply_changes(project, changes, PROJECT_FIELDS)
    if project.budget is None or project.budget < 0:
        raise ValidationError({"budget": _("The budget must be zero or more baht.")})
    if project.owner_office_id and project.owner_office.province_id != province.pk:
        raise ValidationError({"owner_office": _("The owner office must be in the same province.")})
    if project.round_id and project.round.province_id != province.pk:
        raise ValidationError({"round": _("The round must be of the same province.")})
    if project.pk:
        planned = _lines_total(project.pk)
        if project.budget < planned:
            raise ValidationError({"budget": _(
                "The budget cannot be %(budget)s baht: its budget lines already add up to %(planned)s baht.")
                % {"budget": baht(project.budget), "planned": baht(planned)}})
    project.full_clean(exclude=["province"])
    project.save()
    audit.record(actor=actor, action="projects.project_save", obj=project, before=before,
                 after=audit.snapshot(project, PROJECT_FIELDS))
    return project


@transaction.atomic
def save_line(*, actor, project: Project, line: BudgetLine | None = None, changes: dict) -> BudgetLine:
    """Add or change a budget line; all lines together may not exceed the project's budget."""
    project = _lock(Project, project.pk)
    if line is not None and line.pk:
        line = _lock(BudgetLine, line.pk)
        if line.project_id != project.pk:
            raise ValidationError(_("This budget line belongs to another project."))
    else:
        line = BudgetLine(project=project)
    before = audit.snapshot(line, LINE_FIELDS) if line.pk else None
    apply_changes(line, changes, LINE_FIELDS)
    if line.amount is None or line.amount <= 0:
        raise ValidationError({"amount": _("The amount of a budget line must be more than zero.")})
    others = _lines_total(project.pk, exclude_pk=line.pk)
    if others + line.amount > project.budget:
        raise ValidationError({"amount": _(
            "Budget line “%(line)s”: %(amount)s baht would bring the lines to %(total)s baht, more than the "
            "project's budget of %(budget)s baht (%(left)s baht left to plan).") % {
            "line": line.name, "amount": baht(line.amount), "total": baht(others + line.amount),
            "budget": baht(project.budget), "left": baht(project.budget - others)}})
    if line.pk:
        spent = _spent(line.pk)
        if line.amount < spent:
            raise ValidationError({"amount": _(
                "Budget line “%(line)s” cannot be %(amount)s baht: %(spent)s baht is already spent on it.")
                % {"line": line.name, "amount": baht(line.amount), "spent": baht(spent)}})
    if not line.pk and "order" not in changes:
        line.order = (BudgetLine.objects.filter(project=project).aggregate(m=Max("order"))["m"] or 0) + 1
    line.full_clean(exclude=["project"])
    line.save()
    audit.record(actor=actor, action="projects.line_save", obj=line, before=before,
                 after=audit.snapshot(line, LINE_FIELDS))
    return line


@transaction.atomic
def delete_line(*, actor, line: BudgetLine) -> None:
    line = _lock(BudgetLine, line.pk)
    if Spending.objects.filter(line=line).exists():
        raise ValidationError(_("Budget line “%(line)s” has spending recorded against it and cannot be deleted.")
                              % {"line": line.name})
    before = audit.snapshot(line, LINE_FIELDS)
    audit.record(actor=actor, action="projects.line_delete", obj=line, before=before)
    line.delete()


@transaction.atomic
def add_spending(*, actor, line: BudgetLine, date, amount, note: str = "", receipt=None) -> Spending:
    """Record money spent against a line; refused when the line would be overspent (the line is named)."""
    line = _lock(BudgetLine, line.pk)
    amount = Decimal(amount) if amount is not None else None
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount spent must be more than zero.")})
    spent = _spent(line.pk)
    if spent + amount > line.amount:
        raise ValidationError({"amount": _(
            "Budget line “%(line)s” has %(left)s baht left (%(amount)s baht planned, %(spent)s baht spent); "
            "%(wanted)s baht would overspend it.") % {
            "line": line.name, "left": baht(line.amount - spent), "amount": baht(line.amount),
            "spent": baht(spent), "wanted": baht(amount)}})
    spending = Spending(line=line, date=date, amount=amount, note=note, recorded_by=actor)
    if receipt is not None:
        spending.receipt = receipt
    spending.full_clean(exclude=["line", "recorded_by", "receipt"])
    spending.save()
    after = audit.snapshot(spending, ["line_id", "date", "amount", "note"])
    after["receipt"] = spending.receipt.name if spending.receipt else ""
    audit.record(actor=actor, action="projects.spending_add", obj=spending, after=after)
    return spending


# --- events, sessions, invitations ----------------------------------------------------------------

@transaction.atomic
def save_event(*, actor, project: Project, event: Event | None = None, changes: dict) -> Event:
    if event is not None and event.pk:
        event = _lock(Event, event.pk)
        if event.project_id != project.pk:
            raise ValidationError(_("This event belongs to another project."))
    else:
        event = Event(project=project)
    before = audit.snapshot(event, EVENT_FIELDS) if event.pk else None
    apply_changes(event, changes, EVENT_FIELDS)
    if event.capacity is None or event.capacity < 1:
        raise ValidationError({"capacity": _("The capacity must be at least one seat.")})
    if event.end_time and event.start_time and event.end_time <= event.start_time:
        raise ValidationError({"end_time": _("The event must end after it starts.")})
    if event.target_group_id and event.target_group.province_id != project.province_id:
        raise ValidationError({"target_group": _("The target group must be of the same province.")})
    if event.pk:
        registered = Registration.objects.filter(event=event).count()
        if event.capacity < registered:
            raise ValidationError({"capacity": _(
                "The capacity cannot be %(capacity)s: %(registered)s people are already registered.")
                % {"capacity": event.capacity, "registered": registered}})
    event.full_clean(exclude=["project"])
    event.save()
    audit.record(actor=actor, action="projects.event_save", obj=event, before=before,
                 after=audit.snapshot(event, EVENT_FIELDS))
    return event


@transaction.atomic
def save_session(*, actor, event: Event, session: Session | None = None, changes: dict) -> Session:
    event = _lock(Event, event.pk)
    session = session or Session(event=event)
    if session.event_id != event.pk:
        raise ValidationError(_("This session belongs to another event."))
    before = audit.snapshot(session, SESSION_FIELDS) if session.pk else None
    apply_changes(session, changes, SESSION_FIELDS)
    session.break_after_minutes = session.break_after_minutes or 0
    if not session.duration_minutes:
        raise ValidationError({"duration_minutes": _("A session lasts at least one minute.")})
    if not session.order:
        session.order = before["order"] if before and before["order"] else (
            Session.objects.filter(event=event).aggregate(m=Max("order"))["m"] or 0) + 1
    session.full_clean(exclude=["event"])
    session.save()
    audit.record(actor=actor, action="projects.session_save", obj=session, before=before,
                 after=audit.snapshot(session, SESSION_FIELDS))
    return session


@transaction.atomic
def delete_session(*, actor, session: Session) -> None:
    before = audit.snapshot(session, SESSION_FIELDS)
    audit.record(actor=actor, action="projects.session_delete", obj=session, before=before)
    session.delete()


@transaction.atomic
def invite(*, actor, event: Event, agencies, quota: int | None = None, target_group=None) -> int:
    """Invite agencies (those not invited yet) with ``quota`` seats each (the event's default when
    None). With ``target_group`` the event becomes a targeted event of that group. Returns how many
    invitations were created."""
    given, event = event, _lock(Event, event.pk)
    quota = event.default_quota if quota is None else quota
    if quota < 1:
        raise ValidationError({"quota": _("Each agency needs at least one seat.")})
    province_id = event.project.province_id
    agencies = list(agencies)
    foreign = [a for a in agencies if a.province_id != province_id]
    if foreign:
        raise ValidationError(_("%(agency)s is not an agency of this province.") % {"agency": foreign[0].name_th})
    already = set(Invitation.objects.filter(event=event).values_list("agency_id", flat=True))
    new = [Invitation(event=event, agency=a, quota=quota) for a in agencies if a.pk not in already]
    Invitation.objects.bulk_create(new)
    if target_group is not None and event.target_group_id != target_group.pk:
        if target_group.province_id != province_id:
            raise ValidationError(_("The target group must be of the same province."))
        event.target_group = given.target_group = target_group
        event.save(update_fields=["target_group"])
    audit.record(actor=actor, action="projects.invite", obj=event,
                 after={"agencies": [i.agency_id for i in new], "quota": quota,
                        "target_group": target_group.pk if target_group is not None else None})
    for invitation in new:
        _notify_invited(event, invitation)
    return len(new)


def _notify_invited(event: Event, invitation: Invitation) -> None:
    """To the invited agency's admins and its address: the invitation, in Thai with the link to register."""
    link = notify.site_url(reverse("projects:event", args=[event.pk]))
    agency = invitation.agency
    when = format_date(event.date, with_time=False) + f" เวลา {event.start_time:%H.%M} น."
    subject = f"[ITA Desk] ขอเชิญเข้าร่วม {' '.join(event.title.split())[:200]} ({format_date(event.date, with_time=False)})"
    body = (f"เรียน {agency.name_th}\n\nขอเชิญหน่วยงานส่งผู้แทนเข้าร่วม {event.title}\n"
            f"วันที่ {when}\nสถานที่ {event.place}\nจำนวนที่นั่งของหน่วยงาน {invitation.quota} ที่\n\n"
            f"ลงทะเบียนผู้เข้าร่วมได้ที่: {link}\n\nITA Desk")
    notify.notify_agency(notify.Message(Kind.EVENT_INVITATION, subject, body, link), agency)


@transaction.atomic
def set_quota(*, actor, invitation: Invitation, quota: int) -> Invitation:
    _lock(Event, invitation.event_id)
    invitation = _lock(Invitation, invitation.pk)
    registered = Registration.objects.filter(event_id=invitation.event_id, agency_id=invitation.agency_id).count()
    if quota < max(1, registered):
        raise ValidationError({"quota": _("%(agency)s: the quota cannot be %(quota)s, %(registered)s people are "
                                          "already registered.") % {"agency": invitation.agency.name_th,
                                                                   "quota": quota, "registered": registered}})
    before = {"quota": invitation.quota}
    invitation.quota = quota
    invitation.save(update_fields=["quota"])
    audit.record(actor=actor, action="projects.quota", obj=invitation, before=before, after={"quota": quota})
    return invitation


@transaction.atomic
def uninvite(*, actor, invitation: Invitation) -> None:
    _lock(Event, invitation.event_id)
    if Registration.objects.filter(event_id=invitation.event_id, agency_id=invitation.agency_id).exists():
        raise ValidationError(_("%(agency)s has people registered; cancel their registrations first.")
                              % {"agency": invitation.agency.name_th})
    audit.record(actor=actor, action="projects.uninvite", obj=invitation.event,
                 before={"agency": invitation.agency_id, "quota": invitation.quota})
    invitation.delete()


# --- registration and check-in ------------------------------------------------------------------

@transaction.atomic
def register(*, actor, event: Event, agency=None, name: str, position: str = "", kind: str = "staff",
             phone: str = "", email: str = "", walk_in: bool = False, over_quota: bool = False) -> Registration:
    """Register one person. An agency's people need its invitation and stay within its quota unless
    ``over_quota`` (the secretariat's choice); nobody goes over the event's capacity. A walk-in may
    have no agency."""
    event = _lock(Event, event.pk)  # serialises registrations of this event: the seat count is exact
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("The name of the person is required.")})
    taken = Registration.objects.filter(event=event).count()
    if taken >= event.capacity:
        raise ValidationError(_("%(event)s is full: all %(capacity)s seats are taken.")
                              % {"event": event.title, "capacity": event.capacity})
    if agency is not None:
        invitation = Invitation.objects.filter(event=event, agency=agency).first()
        if invitation is None and not over_quota:
            raise ValidationError(_("%(agency)s is not invited to %(event)s.")
                                  % {"agency": agency.name_th, "event": event.title})
        mine = Registration.objects.filter(event=event, agency=agency).count()
        if invitation is not None and mine >= invitation.quota and not over_quota:
            raise ValidationError(_("%(agency)s has used all its %(quota)s seats for %(event)s.")
                                  % {"agency": agency.name_th, "quota": invitation.quota, "event": event.title})
        if Registration.objects.filter(event=event, agency=agency, name=name).exists():
            raise ValidationError({"name": _("%(name)s of %(agency)s is already registered.")
                                   % {"name": name, "agency": agency.name_th}})
    elif not walk_in:
        raise ValidationError({"agency": _("Choose the person's agency, or mark them as a walk-in.")})
    registration = Registration(event=event, agency=agency, name=name, position=position, kind=kind, phone=phone,
                                email=email, walk_in=walk_in, registered_by=actor)
    registration.full_clean(exclude=["event", "agency", "registered_by", "checked_in_by", "token"])
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:  # a token collision: astronomically unlikely, try once more
        registration.token = Registration._meta.get_field("token").default()
        registration.save()
    audit.record(actor=actor, action="projects.register", obj=registration,
                 after=audit.snapshot(registration, REGISTRATION_FIELDS + ["event_id"]))
    return registration


@transaction.atomic
def cancel_registration(*, actor, registration: Registration) -> None:
    registration = _lock(Registration, registration.pk)
    if registration.checked_in_at:
        raise ValidationError(_("%(name)s has already checked in; the registration stays.")
                              % {"name": registration.name})
    audit.record(actor=actor, action="projects.cancel_registration", obj=registration,
                 before=audit.snapshot(registration, REGISTRATION_FIELDS + ["event_id"]))
    registration.delete()


@transaction.atomic
def check_in(*, actor, registration: Registration, now=None) -> tuple[Registration, bool]:
    """Mark a person as present. Returns (registration, first_time); a second check-in changes
    nothing and says when the first one was."""
    registration = _lock(Registration, registration.pk)
    if registration.checked_in_at is not None:
        return registration, False
    registration.checked_in_at = now or timezone.now()
    registration.checked_in_by = actor
    registration.save(update_fields=["checked_in_at", "checked_in_by"])
    audit.record(actor=actor, action="projects.check_in", obj=registration,
                 after={"checked_in_at": registration.checked_in_at.isoformat()})
    return registration, True


def already_checked_in_message(registration: Registration, lang: str = "th") -> str:
    return _("%(name)s already checked in at %(when)s") % {
        "name": registration.name, "when": format_date(registration.checked_in_at, lang=lang)}
