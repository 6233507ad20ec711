"""Action items (ข้อสั่งการ/มอบหมาย) after a meeting, the agencies asked to act and their updates.
One transaction and one audit event per write."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from itadesk.accounts import access
from itadesk.committee.models import (
    ActionItem,
    ActionStatus,
    ActionTarget,
    ActionUpdate,
    TargetStatus,
)
from itadesk.core import audit
from itadesk.core.services import actor_user, apply_changes
from itadesk.core.thai import format_date, to_bangkok
from itadesk.notifications import services as notify
from itadesk.notifications.models import Kind

# --- action items ------------------------------------------------------------------------------------------

ACTION_FIELDS = ["kind", "title", "detail", "office_id", "due_date", "meeting_id", "agenda_item_id",
                 "targets_description"]

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
    update = ActionUpdate(action=action, target=target, actor=actor_user(actor), from_status=from_status,
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
            raise ValidationError({"due_date": _("The due date %(due)s is before the meeting of %(date)s that "
                                                 "decided it.") % {"due": format_date(action.due_date),
                                                                   "date": format_date(action.meeting.date)}})
        if not action.meeting_id and action.due_date < _today():
            raise ValidationError({"due_date": _("The due date %(due)s is in the past.")
                                   % {"due": format_date(action.due_date)}})


@transaction.atomic
def create_action(*, actor, province, changes: dict, agencies=None, targets_description: str = "",
                  at=None) -> ActionItem:
    """A new action item (status open). An item of the "agencies" kind needs at least one agency.
    ``at`` (the services' common keyword) records when it happened, for records entered after the fact
    (the demo, imports); pages never pass it."""
    action = ActionItem(province=province, created_by=actor_user(actor))
    if at is not None:
        action.created_at = at
    apply_changes(action, changes, ACTION_FIELDS)
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
    apply_changes(action, changes, ACTION_FIELDS)
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
                                                   updated_by=actor_user(actor)) for a in new])
    targets = ActionTarget.objects.filter(action=action, agency__in=new)
    ActionUpdate.objects.bulk_create([ActionUpdate(action=action, target=t, actor=actor_user(actor), at=now,
                                                   from_status="", to_status=TargetStatus.PENDING)
                                      for t in targets])
    audit.record(actor=actor, action="committee.action_targets_add", obj=action,
                 after={"agencies": sorted(a.pk for a in new)}, note=str(len(new)))
    for target in targets.select_related("agency"):
        _notify_asked(action, target)
    return len(new)


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _notify_asked(action: ActionItem, target: ActionTarget, *, returned_with: str = "") -> None:
    """To the agency's admins: the committee asks the agency to act (or returns its answer)."""
    link = notify.site_url(reverse("committee:request", args=[target.pk]))
    due = f"\nกำหนดเสร็จ: {format_date(action.due_date)}" if action.due_date else ""
    office = f"\nหน่วยงานที่ติดตาม: {action.office.name_th}" if action.office_id else ""
    if returned_with:
        subject = f"[ITA Desk] ข้อสั่งการส่งกลับให้ดำเนินการเพิ่มเติม: {_one_line(action.title)[:200]}"
        lead = f"ผลการดำเนินการที่รายงานไว้ถูกส่งกลับ เหตุผล: {returned_with}"
    else:
        subject = f"[ITA Desk] ข้อสั่งการถึง{_one_line(target.agency.name_th)}: {_one_line(action.title)[:200]}"
        lead = "คณะกรรมการขอให้หน่วยงานดำเนินการตามข้อสั่งการต่อไปนี้ แล้วรายงานผลพร้อมแนบเอกสารใน ITA Desk"
    body = (f"เรียน ผู้ดูแลระบบของ{target.agency.name_th}\n\n{lead}\n\nเรื่อง: {action.title}\n"
            f"{action.detail}{due}{office}\n\nรายงานผลได้ที่: {link}\n\nITA Desk")
    notify.notify_agency(notify.Message(Kind.ACTION_ASKED, subject, body, link), target.agency)


def _notify_answered(action: ActionItem, target: ActionTarget, text: str) -> None:
    """To the responsible office (or the secretariat when none): an agency reported what it did."""
    link = notify.site_url(reverse("committee:action", args=[action.pk]))
    subject = f"[ITA Desk] {_one_line(target.agency.name_th)} รายงานผลตามข้อสั่งการ: {_one_line(action.title)[:200]}"
    body = (f"{target.agency.name_th} รายงานผลการดำเนินการตามข้อสั่งการ\n\nเรื่อง: {action.title}\n"
            + (f"รายละเอียดที่รายงาน: {text}\n" if text else "")
            + f"\nตรวจและรับรองผลได้ที่: {link}\n\nITA Desk")
    message = notify.Message(Kind.ACTION_ANSWERED, subject, body, link)
    if action.office_id:
        notify.notify_office(message, action.office)
    else:
        notify.notify_secretariat(message, action.province_id)


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
            target.updated_by = actor_user(actor)
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
            if step == "submit":
                _notify_answered(action, target, text.strip())
            elif step == "return":
                _notify_asked(action, target, returned_with=text.strip())
    except Exception:
        _store_cleanup(stored)
        raise
    return target
