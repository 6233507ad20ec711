"""Every write of the committee's work: one transaction, one audit event each.

The minutes are a state machine (``TRANSITIONS``): draft → reviewed → adopted, and reviewed → draft
to correct them. A meeting's content (details, agenda, attendance, resolutions, attachments) can be
changed only while its minutes are a draft. Adoption happens at a later meeting: under that
meeting's agenda item 2 (adoption of the previous minutes) or with the adopting meeting named.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from itadesk.committee.models import (
    AgendaAttachment,
    AgendaItem,
    Attendance,
    CommitteeMember,
    Meeting,
    MinutesEvent,
    MinutesStatus,
    Section,
)
from itadesk.core import audit

# (status, action) -> new status. Anything else is refused.
TRANSITIONS = {
    (MinutesStatus.DRAFT, "review"): MinutesStatus.REVIEWED,
    (MinutesStatus.REVIEWED, "return"): MinutesStatus.DRAFT,
    (MinutesStatus.REVIEWED, "adopt"): MinutesStatus.ADOPTED,
}

ATTACHMENT_EXTENSIONS = (".pdf", ".docx", ".doc", ".xlsx", ".xls", ".pptx", ".ppt", ".odt", ".ods", ".csv",
                         ".txt", ".png", ".jpg", ".jpeg")
ATTACHMENT_MAX_BYTES = getattr(settings, "ITADESK_COMMITTEE_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)

MEETING_FIELDS = ["round_id", "number", "title", "date", "scheduled_time", "started_time", "ended_time", "place",
                  "online_link", "chair_id", "minutes_taker", "minutes_checker"]
ITEM_FIELDS = ["section", "number", "order", "title", "presenter_office_id", "presenter", "body",
               "resolution_kind", "resolution_text"]
ATTENDANCE_FIELDS = ["member_id", "status", "name", "position", "office", "reason", "delegate_name", "order"]
MEMBER_FIELDS = ["name", "position", "committee_role", "office_id", "order", "note"]


class TransitionRefused(ValidationError):
    """A minutes transition that the state machine does not allow, with the reason."""


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.order_by().select_for_update(of=("self",)).get(pk=meeting.pk)


def _require_draft(meeting: Meeting) -> None:
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise TransitionRefused(
            _("The minutes of %(meeting)s are %(status)s; only draft minutes can be changed. "
              "Return them to draft first.") % {"meeting": meeting.label,
                                                "status": meeting.get_minutes_status_display()})


def _apply(obj, changes: dict, fields: list[str]) -> None:
    for name in fields:
        key = name[:-3] if name.endswith("_id") and name not in changes else name
        if name in changes:
            setattr(obj, name, changes[name])
        elif key in changes:
            setattr(obj, key, changes[key])


# --- members -----------------------------------------------------------------------------------------

@transaction.atomic
def save_member(*, actor, province, member: CommitteeMember | None = None, changes: dict) -> CommitteeMember:
    member = member or CommitteeMember(province=province)
    if member.pk and member.province_id != province.pk:
        raise ValidationError(_("This member belongs to another province."))
    before = audit.snapshot(member, MEMBER_FIELDS) if member.pk else None
    _apply(member, changes, MEMBER_FIELDS)
    if member.office_id and member.office.province_id != province.pk:
        raise ValidationError({"office": _("The office must be in the same province.")})
    if not member.pk and "order" not in changes:
        member.order = (CommitteeMember.objects.filter(province=province).aggregate(m=Max("order"))["m"] or 0) + 1
    member.full_clean(exclude=["province"])
    member.save()
    audit.record(actor=actor, action="committee.member_save", obj=member, before=before,
                 after=audit.snapshot(member, MEMBER_FIELDS))
    return member


@transaction.atomic
def move_member(*, actor, member: CommitteeMember, direction: str) -> None:
    """Move a member one place up or down the list (renumbering the province's list 1..n)."""
    if direction not in {"up", "down"}:
        raise ValidationError(_("Unknown direction %(d)s.") % {"d": direction})
    members = list(CommitteeMember.objects.filter(province_id=member.province_id).order_by()
                   .select_for_update(of=("self",)).order_by("order", "id"))
    index = next(i for i, m in enumerate(members) if m.pk == member.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(members):
        members[index], members[other] = members[other], members[index]
    before = {m.pk: m.order for m in members}
    for position, m in enumerate(members, start=1):
        if m.order != position:
            m.order = position
            m.save(update_fields=["order"])
    after = next(m.order for m in members if m.pk == member.pk)
    audit.record(actor=actor, action="committee.member_move", obj=member,
                 before={"order": before[member.pk]}, after={"order": after})


# --- meetings ------------------------------------------------------------------------------------------

@transaction.atomic
def save_meeting(*, actor, province, meeting: Meeting | None = None, changes: dict) -> Meeting:
    if meeting is not None and meeting.pk:
        meeting = _lock(meeting)
        _require_draft(meeting)
    else:
        meeting = Meeting(province=province)
    before = audit.snapshot(meeting, MEETING_FIELDS) if meeting.pk else None
    _apply(meeting, changes, MEETING_FIELDS)
    if meeting.chair_id and meeting.chair.province_id != province.pk:
        raise ValidationError({"chair": _("The chair must be a member of this province's committee.")})
    if meeting.round_id and meeting.round.province_id != province.pk:
        raise ValidationError({"round": _("The round must be of the same province.")})
    if meeting.started_time and meeting.ended_time and meeting.ended_time < meeting.started_time:
        raise ValidationError({"ended_time": _("The meeting cannot close before it opens.")})
    meeting.full_clean(exclude=["province", "adopted_at_meeting", "adopted_item"])
    meeting.save()
    audit.record(actor=actor, action="committee.meeting_save", obj=meeting, before=before,
                 after=audit.snapshot(meeting, MEETING_FIELDS))
    return meeting


@transaction.atomic
def save_item(*, actor, meeting: Meeting, item: AgendaItem | None = None, changes: dict) -> AgendaItem:
    meeting = _lock(meeting)
    _require_draft(meeting)
    item = item or AgendaItem(meeting=meeting)
    if item.meeting_id != meeting.pk:
        raise ValidationError(_("This agenda item belongs to another meeting."))
    before = audit.snapshot(item, ITEM_FIELDS) if item.pk else None
    _apply(item, changes, ITEM_FIELDS)
    item.number = normalize_number(item.number)
    check_number(item.section, item.number)
    if item.presenter_office_id and item.presenter_office.province_id != meeting.province_id:
        raise ValidationError({"presenter_office": _("The office must be in the same province.")})
    if not item.pk and "order" not in changes:
        item.order = (AgendaItem.objects.filter(meeting=meeting, section=item.section)
                      .aggregate(m=Max("order"))["m"] or 0) + 1
    if item.resolution_kind and not item.resolution_text:
        item.resolution_text = DEFAULT_RESOLUTION_TEXT.get(item.resolution_kind, "")
    clash = AgendaItem.objects.filter(meeting=meeting, section=item.section, number=item.number)
    if clash.exclude(pk=item.pk).exists():
        raise ValidationError({"number": _("This meeting already has agenda item %(n)s.")
                               % {"n": item.number or item.section}})
    item.full_clean(exclude=["meeting"], validate_unique=False, validate_constraints=False)
    item.save()
    audit.record(actor=actor, action="committee.item_save", obj=item, before=before,
                 after=audit.snapshot(item, ITEM_FIELDS), note=meeting.label)
    return item


DEFAULT_RESOLUTION_TEXT = {
    AgendaItem.Resolution.ACKNOWLEDGED: "รับทราบ",
    AgendaItem.Resolution.APPROVED: "เห็นชอบตามที่เสนอ",
    AgendaItem.Resolution.APPROVED_WITH_CHANGES: "เห็นชอบโดยมีการแก้ไข",
    AgendaItem.Resolution.ADOPTED: "รับรองรายงานการประชุม",
    AgendaItem.Resolution.ADOPTED_WITH_CHANGES: "รับรองรายงานการประชุมโดยมีการแก้ไข",
    AgendaItem.Resolution.NOT_APPROVED: "ไม่เห็นชอบ",
    AgendaItem.Resolution.DEFERRED: "เลื่อนการพิจารณา",
}


def normalize_number(value: str) -> str:
    from itadesk.core.thai import arabic_digits

    return arabic_digits((value or "").strip()).rstrip(".")


def check_number(section: int, number: str) -> None:
    """An item is numbered in its section: empty (the section itself) or "<section>.<n>[.<m>]"."""
    if section not in Section.values:
        raise ValidationError({"section": _("The agenda section must be 1 to 5.")})
    if not number:
        return
    parts = number.split(".")
    if parts[0] != str(section) or len(parts) < 2 or not all(p.isdigit() and int(p) > 0 for p in parts[1:]):
        raise ValidationError({"number": _("Agenda item number %(n)s does not fit section %(s)s "
                                           "(expected e.g. %(s)s.1).") % {"n": number, "s": section}})


@transaction.atomic
def delete_item(*, actor, item: AgendaItem) -> None:
    meeting = _lock(item.meeting)
    _require_draft(meeting)
    if item.adopted_minutes.exists():
        raise ValidationError(_("This item records the adoption of earlier minutes and cannot be deleted."))
    if item.action_items.exists():
        raise ValidationError(_("Action items came from this agenda item (%(n)s); it cannot be deleted while they "
                                "exist.") % {"n": item.action_items.count()})
    audit.record(actor=actor, action="committee.item_delete", obj=item, before=audit.snapshot(item, ITEM_FIELDS),
                 note=meeting.label)
    files = [(a.file.storage, a.file.name) for a in item.attachments.all()]
    item.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


def check_attachment(uploaded) -> None:
    name = getattr(uploaded, "name", "") or ""
    if Path(name).suffix.lower() not in ATTACHMENT_EXTENSIONS:
        raise ValidationError({"file": _("File %(name)s: this type is not accepted. Accepted: %(types)s.")
                               % {"name": name, "types": " ".join(ATTACHMENT_EXTENSIONS)}})
    if uploaded.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": _("File %(name)s is %(size)s MB; the limit is %(limit)s MB.")
                               % {"name": name, "size": round(uploaded.size / 1048576, 1),
                                  "limit": ATTACHMENT_MAX_BYTES // 1048576}})
    if uploaded.size == 0:
        raise ValidationError({"file": _("File %(name)s is empty.") % {"name": name}})


def add_attachment(*, actor, item: AgendaItem, uploaded) -> AgendaAttachment:
    check_attachment(uploaded)
    with transaction.atomic():
        meeting = _lock(item.meeting)
        _require_draft(meeting)
        attachment = AgendaAttachment(item=item, name=Path(uploaded.name).name[:255], size=uploaded.size,
                                      uploaded_by=actor if getattr(actor, "pk", None) else None)
        attachment.file.save(Path(uploaded.name).name, uploaded, save=False)
        path = attachment.file.name
        try:
            attachment.save()
            audit.record(actor=actor, action="committee.attachment_add", obj=attachment,
                         after={"item": item.pk, "name": attachment.name, "size": attachment.size},
                         note=meeting.label)
        except Exception:
            attachment.file.storage.delete(path)
            raise
    return attachment


@transaction.atomic
def delete_attachment(*, actor, attachment: AgendaAttachment) -> None:
    meeting = _lock(attachment.item.meeting)
    _require_draft(meeting)
    audit.record(actor=actor, action="committee.attachment_delete", obj=attachment,
                 before={"item": attachment.item_id, "name": attachment.name, "size": attachment.size})
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- attendance ----------------------------------------------------------------------------------------

@transaction.atomic
def save_attendance(*, actor, meeting: Meeting, attendance: Attendance | None = None, changes: dict) -> Attendance:
    meeting = _lock(meeting)
    _require_draft(meeting)
    row = attendance or Attendance(meeting=meeting)
    if row.meeting_id != meeting.pk:
        raise ValidationError(_("This attendance row belongs to another meeting."))
    before = audit.snapshot(row, ATTENDANCE_FIELDS) if row.pk else None
    _apply(row, changes, ATTENDANCE_FIELDS)
    if row.status == Attendance.Status.ATTENDEE:
        if row.member_id:
            raise ValidationError({"member": _("A committee member is present, absent or represented, "
                                               "not an other attendee.")})
        if not row.name.strip():
            raise ValidationError({"name": _("An other attendee needs a name.")})
    else:
        if not row.member_id:
            raise ValidationError({"member": _("Choose the committee member.")})
        if row.member.province_id != meeting.province_id:
            raise ValidationError({"member": _("This person is not a member of this province's committee.")})
        if row.status == Attendance.Status.ABSENT and not row.reason.strip():
            raise ValidationError({"reason": _("Give the reason of the absence.")})
        if row.status == Attendance.Status.DELEGATED and not row.delegate_name.strip():
            raise ValidationError({"delegate_name": _("Name the person who attends in the member's place.")})
        clash = Attendance.objects.filter(meeting=meeting, member_id=row.member_id).exclude(pk=row.pk)
        if clash.exists():
            raise ValidationError({"member": _("%(name)s is already on this meeting's attendance list.")
                                   % {"name": row.member.name}})
    if not row.pk and "order" not in changes:
        row.order = (Attendance.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"] or 0) + 1
    row.full_clean(exclude=["meeting"], validate_constraints=False)
    row.save()
    audit.record(actor=actor, action="committee.attendance_save", obj=row, before=before,
                 after=audit.snapshot(row, ATTENDANCE_FIELDS), note=meeting.label)
    return row


@transaction.atomic
def delete_attendance(*, actor, attendance: Attendance) -> None:
    meeting = _lock(attendance.meeting)
    _require_draft(meeting)
    audit.record(actor=actor, action="committee.attendance_delete", obj=attendance,
                 before=audit.snapshot(attendance, ATTENDANCE_FIELDS), note=meeting.label)
    attendance.delete()


@transaction.atomic
def record_all_members_present(*, actor, meeting: Meeting) -> int:
    """Add every committee member not yet on the list as present; returns how many were added."""
    _require_draft(_lock(meeting))
    listed = set(Attendance.objects.filter(meeting=meeting, member__isnull=False).values_list("member_id", flat=True))
    added = 0
    for member in CommitteeMember.objects.filter(province_id=meeting.province_id).order_by("order", "id"):
        if member.pk not in listed:
            save_attendance(actor=actor, meeting=meeting, changes={"member_id": member.pk, "status": "present"})
            added += 1
    return added


# --- minutes ---------------------------------------------------------------------------------------------

def _transition(meeting: Meeting, action: str) -> str:
    new = TRANSITIONS.get((meeting.minutes_status, action))
    if new is None:
        raise TransitionRefused(
            _("The minutes of %(meeting)s are %(status)s: the action \"%(action)s\" is not possible now.")
            % {"meeting": meeting.label, "status": meeting.get_minutes_status_display(),
               "action": _action_label(action)})
    return new


def _action_label(action: str) -> str:
    return {"review": _("mark as reviewed"), "return": _("return to draft"), "adopt": _("adopt")}.get(action, action)


def _move(*, actor, meeting: Meeting, action: str, note: str = "", **extra) -> Meeting:
    old = meeting.minutes_status
    new = _transition(meeting, action)
    meeting.minutes_status = new
    for name, value in extra.items():
        setattr(meeting, name, value)
    meeting.save(update_fields=["minutes_status", *extra.keys(), "updated_at"])
    MinutesEvent.objects.create(meeting=meeting, action=action, from_status=old, to_status=new,
                                actor=actor if getattr(actor, "pk", None) else None, note=note)
    audit.record(actor=actor, action=f"committee.minutes_{action}", obj=meeting, before={"minutes_status": old},
                 after={"minutes_status": new, **{k: audit._plain(v) for k, v in extra.items()}}, note=note)
    return meeting


@transaction.atomic
def review_minutes(*, actor, meeting: Meeting, note: str = "") -> Meeting:
    meeting = _lock(meeting)
    if meeting.minutes_status == MinutesStatus.DRAFT and not meeting.items.exists():
        raise TransitionRefused(_("The minutes of %(meeting)s have no agenda items yet.")
                                % {"meeting": meeting.label})
    return _move(actor=actor, meeting=meeting, action="review", note=note)


@transaction.atomic
def return_minutes(*, actor, meeting: Meeting, note: str = "") -> Meeting:
    meeting = _lock(meeting)
    if meeting.minutes_status == MinutesStatus.REVIEWED and not note.strip():
        raise TransitionRefused(_("Say why the minutes go back to draft."))
    return _move(actor=actor, meeting=meeting, action="return", note=note)


@transaction.atomic
def adopt_minutes(*, actor, meeting: Meeting, at_meeting: Meeting, item: AgendaItem | None = None,
                  note: str = "") -> Meeting:
    """Record that ``at_meeting`` adopted the minutes of ``meeting`` (under its agenda item 2, if given)."""
    meeting = _lock(meeting)
    if at_meeting.pk == meeting.pk or at_meeting.province_id != meeting.province_id:
        raise TransitionRefused(_("Minutes are adopted at a later meeting of the same committee."))
    if (at_meeting.date, at_meeting.pk) < (meeting.date, meeting.pk):
        raise TransitionRefused(_("Meeting %(at)s is not later than meeting %(meeting)s; minutes are adopted "
                                  "at a later meeting.") % {"at": at_meeting.label, "meeting": meeting.label})
    if item is not None:
        if item.meeting_id != at_meeting.pk or item.section != Section.PREVIOUS_MINUTES:
            raise TransitionRefused(_("The adoption is recorded under agenda item 2 (adoption of the previous "
                                      "minutes) of the adopting meeting."))
    moved = _move(actor=actor, meeting=meeting, action="adopt", note=note, adopted_at_meeting=at_meeting,
                  adopted_item=item)
    if item is not None and not item.resolution_kind:
        AgendaItem.objects.filter(pk=item.pk).update(
            resolution_kind=AgendaItem.Resolution.ADOPTED,
            resolution_text=DEFAULT_RESOLUTION_TEXT[AgendaItem.Resolution.ADOPTED])
    return moved


# --- meetings: deleting, and the order of agenda items ------------------------------------------------------

@transaction.atomic
def delete_meeting(*, actor, meeting: Meeting) -> None:
    """Delete a meeting recorded by mistake, with its agenda, attendance and attachments. Refused once its
    minutes were adopted, when it adopted another meeting's minutes, or when action items came from it."""
    meeting = _lock(meeting)
    if meeting.minutes_status == MinutesStatus.ADOPTED:
        raise ValidationError(_("The minutes of %(meeting)s were adopted; an adopted meeting cannot be deleted.")
                              % {"meeting": meeting.label})
    adopted = list(Meeting.objects.filter(adopted_at_meeting=meeting).order_by("date"))
    if adopted:
        raise ValidationError(_("Meeting %(meeting)s adopted the minutes of %(others)s and cannot be deleted.")
                              % {"meeting": meeting.label, "others": ", ".join(m.label for m in adopted)})
    if meeting.action_items.exists():
        raise ValidationError(_("Action items came from meeting %(meeting)s (%(n)s); it cannot be deleted while "
                                "they exist.") % {"meeting": meeting.label, "n": meeting.action_items.count()})
    if meeting.minutes_events.exists():
        # The minutes log is append-only and protects its meeting: a meeting whose minutes moved is kept.
        raise ValidationError(_("The minutes of %(meeting)s already have a recorded history (now: %(status)s); "
                                "the meeting is kept for the record. Correct it instead of deleting it.")
                              % {"meeting": meeting.label, "status": meeting.get_minutes_status_display()})
    before = audit.snapshot(meeting, MEETING_FIELDS)
    files = [(a.file.storage, a.file.name) for a in AgendaAttachment.objects.filter(item__meeting=meeting)]
    audit.record(actor=actor, action="committee.meeting_delete", obj=meeting, before=before, note=meeting.label)
    from django.db.models import ProtectedError

    try:
        with transaction.atomic():
            AgendaAttachment.objects.filter(item__meeting=meeting).delete()
            meeting.attendance.all().delete()
            meeting.items.all().delete()
            meeting.delete()
    except ProtectedError as e:
        kinds = sorted({str(o._meta.verbose_name) for o in e.protected_objects})
        raise ValidationError(_("Meeting %(meeting)s is still referred to by: %(what)s. It cannot be deleted.")
                              % {"meeting": meeting.label, "what": ", ".join(kinds)}) from None
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def move_item(*, actor, item: AgendaItem, direction: str) -> None:
    """Move a sub-item one place up or down inside its section: it swaps its number and place with its
    neighbour (3.2 becomes 3.1 and 3.1 becomes 3.2), so the numbering stays 1..n in the shown order."""
    if direction not in {"up", "down"}:
        raise ValidationError(_("Unknown direction %(d)s.") % {"d": direction})
    meeting = _lock(item.meeting)
    _require_draft(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    if not item.number:
        raise ValidationError(_("The section itself cannot be moved; move its sub-items."))
    depth = item.number.count(".")
    parent = item.number.rsplit(".", 1)[0]
    siblings = [i for i in AgendaItem.objects.filter(meeting=meeting, section=item.section).exclude(number="")
                if i.number.count(".") == depth and i.number.rsplit(".", 1)[0] == parent]
    siblings.sort(key=lambda i: ([int(p) for p in i.number.split(".")], i.order, i.pk))
    index = next(n for n, i in enumerate(siblings) if i.pk == item.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(siblings):
        return
    other = siblings[other_index]
    mine, theirs = item.number, other.number
    children = [i for i in AgendaItem.objects.filter(meeting=meeting, section=item.section)
                if i.number.startswith(mine + ".") or i.number.startswith(theirs + ".")]
    # Free both numbers first (unique per meeting and section), then give each the other's.
    stash = {}
    for row in [item, other, *children]:
        stash[row.pk] = row.number
        row.number = f"tmp-{row.pk}"
        row.save(update_fields=["number"])
    for row in [item, other, *children]:
        old = stash[row.pk]
        if old == mine or old.startswith(mine + "."):
            row.number = theirs + old[len(mine):]
        else:
            row.number = mine + old[len(theirs):]
    item.order, other.order = other.order, item.order
    for row in [item, other, *children]:
        row.save(update_fields=["number", "order"])
    audit.record(actor=actor, action="committee.item_move", obj=item, before={"number": mine},
                 after={"number": item.number}, note=meeting.label)


# --- action items ------------------------------------------------------------------------------------------

from itadesk.committee.models import (  # noqa: E402
    ActionItem,
    ActionStatus,
    ActionTarget,
    ActionUpdate,
    Problem,
    TargetStatus,
)

ACTION_FIELDS = ["kind", "title", "detail", "office_id", "due_date", "meeting_id", "agenda_item_id",
                 "targets_description"]
PROBLEM_FIELDS = ["office_id", "title", "detail", "since", "action_taken", "request_to_committee", "status",
                  "resolved_at"]

# An action item's status: (from, to) pairs allowed; those marked True need a reason.
ACTION_TRANSITIONS = {
    (ActionStatus.OPEN, ActionStatus.IN_PROGRESS): False,
    (ActionStatus.OPEN, ActionStatus.DONE): False,
    (ActionStatus.IN_PROGRESS, ActionStatus.DONE): False,
    (ActionStatus.IN_PROGRESS, ActionStatus.OPEN): True,
    (ActionStatus.OPEN, ActionStatus.CANCELLED): True,
    (ActionStatus.IN_PROGRESS, ActionStatus.CANCELLED): True,
    (ActionStatus.DONE, ActionStatus.IN_PROGRESS): True,  # reopened
    (ActionStatus.CANCELLED, ActionStatus.OPEN): True,  # revived
}

# One agency asked: (status, step) -> (new status, who may take it: "agency" or "office", reason needed).
TARGET_TRANSITIONS = {
    (TargetStatus.PENDING, "submit"): (TargetStatus.SUBMITTED, "agency", False),
    (TargetStatus.SUBMITTED, "submit"): (TargetStatus.SUBMITTED, "agency", False),
    (TargetStatus.SUBMITTED, "accept"): (TargetStatus.DONE, "office", False),
    (TargetStatus.SUBMITTED, "return"): (TargetStatus.PENDING, "office", True),
    (TargetStatus.PENDING, "done"): (TargetStatus.DONE, "office", False),
    (TargetStatus.PENDING, "not_applicable"): (TargetStatus.NOT_APPLICABLE, "office", True),
    (TargetStatus.SUBMITTED, "not_applicable"): (TargetStatus.NOT_APPLICABLE, "office", True),
    (TargetStatus.DONE, "reopen"): (TargetStatus.PENDING, "office", True),
    (TargetStatus.NOT_APPLICABLE, "reopen"): (TargetStatus.PENDING, "office", True),
}

ACTION_FILE_EXTENSIONS = (".pdf", ".docx", ".doc", ".xlsx", ".xls", ".odt", ".ods", ".png", ".jpg", ".jpeg")
ACTION_FILE_MAX_BYTES = getattr(settings, "ITADESK_COMMITTEE_ACTION_FILE_MAX_BYTES", 10 * 1024 * 1024)


def _step_label(step: str) -> str:
    return {"submit": _("report done"), "accept": _("accept"), "return": _("return"), "done": _("mark done"),
            "not_applicable": _("mark not applicable"), "reopen": _("reopen")}.get(step, step)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def check_action_file(uploaded) -> None:
    """A document attached to an update: one of the accepted types, not empty, not over the limit."""
    name = getattr(uploaded, "name", "") or ""
    if Path(name).suffix.lower() not in ACTION_FILE_EXTENSIONS:
        raise ValidationError({"file": _("File %(name)s: this type is not accepted. Accepted: %(types)s.")
                               % {"name": name, "types": " ".join(ACTION_FILE_EXTENSIONS)}})
    if uploaded.size > ACTION_FILE_MAX_BYTES:
        raise ValidationError({"file": _("File %(name)s is %(size)s MB; the limit is %(limit)s MB.")
                               % {"name": name, "size": round(uploaded.size / 1048576, 1),
                                  "limit": ACTION_FILE_MAX_BYTES // 1048576}})
    if uploaded.size == 0:
        raise ValidationError({"file": _("File %(name)s is empty.") % {"name": name}})


def _lock_action(action: ActionItem) -> ActionItem:
    return ActionItem.objects.order_by().select_for_update(of=("self",)).get(pk=action.pk)


def _log(*, actor, action, target=None, from_status="", to_status="", text="", uploaded=None,
         stored: list | None = None, at=None) -> ActionUpdate:
    update = ActionUpdate(action=action, target=target, actor=_user(actor), from_status=from_status,
                          to_status=to_status, text=text)
    if at is not None:
        update.at = at
    if uploaded is not None:
        update.file_name = Path(uploaded.name).name[:255]
        update.file_size = uploaded.size
        update.file.save(update.file_name, uploaded, save=False)
        if stored is not None:
            stored.append((update.file.storage, update.file.name))
    update.save()
    return update


def _store_cleanup(stored):
    """Files written during a transaction that failed are removed (nothing half-written stays)."""
    for storage, name in stored:
        storage.delete(name)


def _today():
    from django.utils import timezone

    from itadesk.core.thai import to_bangkok

    return to_bangkok(timezone.now()).date()


def _check_action(action: ActionItem, *, province, due_changed: bool) -> None:
    if not (action.title or "").strip():
        raise ValidationError({"title": _("Give the action item a title.")})
    if action.kind not in ActionItem.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of action item.")})
    if action.office_id and action.office.province_id != province.pk:
        raise ValidationError({"office": _("The office must be in the same province.")})
    if action.agenda_item_id:
        if action.meeting_id is None:
            action.meeting_id = action.agenda_item.meeting_id
        if action.agenda_item.meeting_id != action.meeting_id:
            raise ValidationError({"agenda_item": _("This agenda item is not of the chosen meeting.")})
    if action.meeting_id and action.meeting.province_id != province.pk:
        raise ValidationError({"meeting": _("The meeting must be of the same province's committee.")})
    if action.due_date and due_changed:
        # A due date may lie before today only when it records an earlier meeting's decision, and never
        # before the meeting that decided it.
        if action.meeting_id and action.due_date < action.meeting.date:
            from itadesk.core.thai import format_date

            raise ValidationError({"due_date": _("The due date %(due)s is before the meeting of %(date)s that "
                                                 "decided it.") % {"due": format_date(action.due_date),
                                                                   "date": format_date(action.meeting.date)}})
        if not action.meeting_id and action.due_date < _today():
            from itadesk.core.thai import format_date

            raise ValidationError({"due_date": _("The due date %(due)s is in the past.")
                                   % {"due": format_date(action.due_date)}})


@transaction.atomic
def create_action(*, actor, province, changes: dict, agencies=None, targets_description: str = "",
                  at=None) -> ActionItem:
    """A new action item (status open). An item of the "agencies" kind needs at least one agency.
    ``at`` (the services' common keyword) records when it happened, for records entered after the fact
    (the demo, imports); pages never pass it."""
    action = ActionItem(province=province, created_by=_user(actor))
    if at is not None:
        action.created_at = at
    _apply(action, changes, ACTION_FIELDS)
    _check_action(action, province=province, due_changed=True)
    agencies = list(agencies or [])
    if action.kind == ActionItem.Kind.AGENCIES and not agencies:
        raise ValidationError({"agencies": _("A request to agencies needs at least one agency: choose them one by "
                                             "one, by kind, by office or from a target group.")})
    if action.kind == ActionItem.Kind.OFFICE and agencies:
        raise ValidationError({"agencies": _("A task of the office has no agencies; choose the kind "
                                             "\"a request to agencies\".")})
    if targets_description:
        action.targets_description = targets_description[:300]
    action.full_clean(exclude=["province", "created_by"])
    action.save()
    _log(actor=actor, action=action, from_status="", to_status=ActionStatus.OPEN, text=action.title, at=at)
    audit.record(actor=actor, action="committee.action_create", obj=action,
                 after=audit.snapshot(action, ACTION_FIELDS), note=action.meeting.label if action.meeting_id else "")
    if agencies:
        _add_targets(actor=actor, action=action, agencies=agencies, at=at)
    return action


@transaction.atomic
def save_action(*, actor, action: ActionItem, changes: dict) -> ActionItem:
    """Edit an action item's details (not its status: ``set_action_status``)."""
    action = _lock_action(action)
    before = audit.snapshot(action, ACTION_FIELDS)
    old_due, old_kind = action.due_date, action.kind
    _apply(action, changes, ACTION_FIELDS)
    if action.kind != old_kind and action.targets.exists():
        raise ValidationError({"kind": _("This action item already asks %(n)s agencies; its kind cannot change.")
                               % {"n": action.targets.count()}})
    _check_action(action, province=action.province, due_changed=action.due_date != old_due)
    action.full_clean(exclude=["province", "created_by"])
    action.save()
    audit.record(actor=actor, action="committee.action_save", obj=action, before=before,
                 after=audit.snapshot(action, ACTION_FIELDS))
    return action


def _add_targets(*, actor, action: ActionItem, agencies, at=None) -> int:
    present = set(action.targets.values_list("agency_id", flat=True))
    new = []
    for agency in agencies:
        if agency.province_id != action.province_id:
            raise ValidationError({"agencies": _("%(agency)s is not an agency of this province.")
                                   % {"agency": agency.name_th}})
        if agency.pk not in present:
            present.add(agency.pk)
            new.append(agency)
    if not new:
        return 0
    from django.utils import timezone

    now = at or timezone.now()
    ActionTarget.objects.bulk_create([ActionTarget(action=action, agency=a, created_at=now, updated_at=now,
                                                   updated_by=_user(actor)) for a in new])
    targets = ActionTarget.objects.filter(action=action, agency__in=new)
    ActionUpdate.objects.bulk_create([ActionUpdate(action=action, target=t, actor=_user(actor), at=now,
                                                   from_status="", to_status=TargetStatus.PENDING)
                                      for t in targets])
    audit.record(actor=actor, action="committee.action_targets_add", obj=action,
                 after={"agencies": sorted(a.pk for a in new)}, note=str(len(new)))
    return len(new)


@transaction.atomic
def add_targets(*, actor, action: ActionItem, agencies, description: str = "", at=None) -> int:
    """Ask more agencies (those already asked are skipped); returns how many were added."""
    action = _lock_action(action)
    agencies = list(agencies)
    if action.kind != ActionItem.Kind.AGENCIES:
        raise ValidationError({"agencies": _("Only a request to agencies asks agencies.")})
    if action.is_closed:
        raise ValidationError(_("The action item is %(status)s; reopen it first.")
                              % {"status": action.get_status_display()})
    if not agencies:
        raise ValidationError({"agencies": _("No agency was chosen.")})
    added = _add_targets(actor=actor, action=action, agencies=agencies, at=at)
    if description and added:
        action.targets_description = "; ".join(x for x in [action.targets_description, description] if x)[:300]
        action.save(update_fields=["targets_description", "updated_at"])
    return added


def set_action_status(*, actor, action: ActionItem, status: str, text: str = "", uploaded=None,
                      at=None) -> ActionItem:
    """Move an action item to another status, with the reason (needed to cancel, reopen or step back)."""
    if uploaded is not None:
        check_action_file(uploaded)
    stored: list = []
    try:
        with transaction.atomic():
            action = _lock_action(action)
            old = action.status
            need_reason = ACTION_TRANSITIONS.get((old, status))
            if need_reason is None:
                labels = dict(ActionStatus.choices)
                raise ValidationError({"status": _("The action item is %(from)s; it cannot become %(to)s.")
                                       % {"from": labels.get(old, old), "to": labels.get(status, status)}})
            if need_reason and not text.strip():
                raise ValidationError({"text": _("Say why the status changes from %(from)s to %(to)s.")
                                       % {"from": dict(ActionStatus.choices)[old],
                                          "to": dict(ActionStatus.choices)[status]}})
            action.status = status
            action.save(update_fields=["status", "updated_at"])
            _log(actor=actor, action=action, from_status=old, to_status=status, text=text.strip(),
                 uploaded=uploaded, stored=stored, at=at)
            audit.record(actor=actor, action="committee.action_status", obj=action, before={"status": old},
                         after={"status": status}, note=text.strip())
    except Exception:
        _store_cleanup(stored)
        raise
    return action


def add_action_note(*, actor, action: ActionItem, text: str = "", uploaded=None,
                    target: ActionTarget | None = None) -> ActionUpdate:
    """An update without a status change: a text and/or a file, on the action item or on one agency asked."""
    if uploaded is not None:
        check_action_file(uploaded)
    if not text.strip() and uploaded is None:
        raise ValidationError({"text": _("Write the update or attach a file.")})
    stored: list = []
    try:
        with transaction.atomic():
            action = _lock_action(action)
            if target is not None and target.action_id != action.pk:
                raise ValidationError(_("This agency is not asked by this action item."))
            update = _log(actor=actor, action=action, target=target, text=text.strip(), uploaded=uploaded,
                          stored=stored)
            if target is not None and uploaded is not None:
                ActionTarget.objects.filter(pk=target.pk).update(document=update)
            audit.record(actor=actor, action="committee.action_note", obj=target or action,
                         after={"text": text.strip(), "file": update.file_name}, note=str(action.pk))
    except Exception:
        _store_cleanup(stored)
        raise
    return update


def _role_for_target(actor, target: ActionTarget, role: str) -> bool:
    if actor is None:  # the system (demo, imports)
        return True
    from itadesk.accounts import access

    if role == "agency":
        return access.can(actor, "respond_target", target)
    return access.can(actor, "follow_action", target.action)


def move_target(*, actor, target: ActionTarget, step: str, text: str = "", uploaded=None,
                at=None) -> ActionTarget:
    """One agency's answer moves on: the agency reports it done (with its document), the responsible office
    accepts or returns it, marks it done or not applicable itself, or reopens it (``TARGET_TRANSITIONS``)."""
    if uploaded is not None:
        check_action_file(uploaded)
    stored: list = []
    try:
        with transaction.atomic():
            action = _lock_action(target.action)
            target = ActionTarget.objects.order_by().select_for_update(of=("self",)).get(pk=target.pk)
            if action.is_closed:
                raise ValidationError(_("The action item is %(status)s; its agencies' answers cannot change.")
                                      % {"status": action.get_status_display()})
            rule = TARGET_TRANSITIONS.get((target.status, step))
            if rule is None:
                raise ValidationError(_("%(agency)s is %(status)s: \"%(step)s\" is not possible now.")
                                      % {"agency": target.agency.name_th, "status": target.get_status_display(),
                                         "step": _step_label(step)})
            new, role, need_reason = rule
            if not _role_for_target(actor, target, role):
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied
            if need_reason and not text.strip():
                raise ValidationError({"text": _("Say why (%(step)s).") % {"step": _step_label(step)}})
            if step == "submit" and uploaded is None and target.document_id is None and not text.strip():
                raise ValidationError({"file": _("Attach the document (e.g. the appointment order) or write what "
                                                 "was done.")})
            old = target.status
            update = _log(actor=actor, action=action, target=target, from_status=old, to_status=new,
                          text=text.strip(), uploaded=uploaded, stored=stored, at=at)
            from django.utils import timezone

            target.status = new
            target.note = text.strip() or target.note
            target.updated_by = _user(actor)
            target.updated_at = at or timezone.now()
            if uploaded is not None:
                target.document = update
            target.save(update_fields=["status", "note", "updated_by", "updated_at", "document"])
            if action.status == ActionStatus.OPEN and new in (TargetStatus.SUBMITTED, TargetStatus.DONE):
                action.status = ActionStatus.IN_PROGRESS
                action.save(update_fields=["status", "updated_at"])
                _log(actor=actor, action=action, from_status=ActionStatus.OPEN, to_status=ActionStatus.IN_PROGRESS,
                     text=_("First answer from an agency: %(agency)s") % {"agency": target.agency.name_th}, at=at)
            audit.record(actor=actor, action=f"committee.target_{step}", obj=target, before={"status": old},
                         after={"status": new, "file": update.file_name}, note=text.strip())
    except Exception:
        _store_cleanup(stored)
        raise
    return target


# --- problems and obstacles ------------------------------------------------------------------------------

@transaction.atomic
def save_problem(*, actor, province, problem: Problem | None = None, changes: dict, agencies=None,
                 at=None) -> Problem:
    """Record or edit one office's problem. Resolving and reopening go through ``set_problem_status``."""
    if problem is not None and problem.pk:
        problem = Problem.objects.order_by().select_for_update(of=("self",)).get(pk=problem.pk)
        before = audit.snapshot(problem, PROBLEM_FIELDS)
        before["agencies"] = sorted(problem.agencies.values_list("pk", flat=True))
    else:
        problem, before = Problem(province=province, created_by=_user(actor)), None
        if at is not None:
            problem.created_at = at
    if problem.province_id != province.pk:
        raise ValidationError(_("This problem belongs to another province."))
    changes = {k: v for k, v in changes.items() if k not in {"status", "resolved_at"}}
    _apply(problem, changes, PROBLEM_FIELDS)
    if not problem.office_id:
        raise ValidationError({"office": _("Choose the office that met the problem.")})
    if problem.office.province_id != province.pk:
        raise ValidationError({"office": _("The office must be in the same province.")})
    if not (problem.title or "").strip():
        raise ValidationError({"title": _("Say what the problem is.")})
    if problem.since and problem.since > _today():
        from itadesk.core.thai import format_date

        raise ValidationError({"since": _("The date %(date)s is in the future.") % {"date": format_date(problem.since)}})
    problem.full_clean(exclude=["province", "created_by", "agencies"])
    problem.save()
    if agencies is not None:
        agencies = list(agencies)
        foreign = [a.name_th for a in agencies if a.province_id != province.pk]
        if foreign:
            raise ValidationError({"agencies": _("Not agencies of this province: %(names)s.")
                                   % {"names": ", ".join(foreign)}})
        problem.agencies.set(agencies)
    after = audit.snapshot(problem, PROBLEM_FIELDS)
    after["agencies"] = sorted(problem.agencies.values_list("pk", flat=True))
    audit.record(actor=actor, action="committee.problem_save", obj=problem, before=before, after=after)
    return problem


@transaction.atomic
def set_problem_status(*, actor, problem: Problem, status: str, note: str = "", at=None) -> Problem:
    """Resolve a problem (it leaves the reports from that moment) or reopen it."""
    from django.utils import timezone

    problem = Problem.objects.order_by().select_for_update(of=("self",)).get(pk=problem.pk)
    if status not in Problem.Status.values:
        raise ValidationError({"status": _("Unknown status %(s)s.") % {"s": status}})
    if status == problem.status:
        raise ValidationError({"status": _("The problem is already %(status)s.")
                               % {"status": problem.get_status_display()}})
    before = {"status": problem.status, "resolved_at": audit._plain(problem.resolved_at)}
    problem.status = status
    problem.resolved_at = (at or timezone.now()) if status == Problem.Status.RESOLVED else None
    problem.save(update_fields=["status", "resolved_at", "updated_at"])
    audit.record(actor=actor, action=f"committee.problem_{status}", obj=problem, before=before,
                 after={"status": status, "resolved_at": audit._plain(problem.resolved_at)}, note=note)
    return problem
