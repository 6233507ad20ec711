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
from itadesk.core.services import Refused, apply_changes
from itadesk.core.thai import arabic_digits

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


class TransitionRefused(Refused):
    """A minutes transition that the state machine does not allow, with the reason."""


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.order_by().select_for_update(of=("self",)).get(pk=meeting.pk)


def _require_draft(meeting: Meeting) -> None:
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise TransitionRefused(
            _("The minutes of %(meeting)s are %(status)s; only draft minutes can be changed. "
              "Return them to draft first.") % {"meeting": meeting.label,
                                                "status": meeting.get_minutes_status_display()})


# --- members -----------------------------------------------------------------------------------------

@transaction.atomic
def save_member(*, actor, province, member: CommitteeMember | None = None, changes: dict) -> CommitteeMember:
    member = member or CommitteeMember(province=province)
    if member.pk and member.province_id != province.pk:
        raise ValidationError(_("This member belongs to another province."))
    before = audit.snapshot(member, MEMBER_FIELDS) if member.pk else None
    apply_changes(member, changes, MEMBER_FIELDS)
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
    apply_changes(meeting, changes, MEETING_FIELDS)
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
    apply_changes(item, changes, ITEM_FIELDS)
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
    apply_changes(row, changes, ATTENDANCE_FIELDS)
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
