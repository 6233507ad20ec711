"""Pages of the committee: members, meetings with their agenda and attendance, and the minutes."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.committee import selectors, services
from itadesk.committee.forms import (
    ActionForm,
    AdoptForm,
    AgencyChoiceForm,
    AttachmentForm,
    AttendanceForm,
    ItemForm,
    MeetingForm,
    MemberForm,
    ProblemForm,
    UpdateForm,
)
from itadesk.committee.models import (
    ActionStatus,
    ActionTarget,
    ActionUpdate,
    AgendaAttachment,
    AgendaItem,
    Attendance,
    CommitteeMember,
    MinutesStatus,
    TargetStatus,
)
from itadesk.core import audit, downloads, once
from itadesk.core.forms import add_service_errors, form_changes
from itadesk.core.views import run_service
from itadesk.registry.models import SupervisingOffice


def _do(request, meeting, action, success):
    """Run a service action from a button on the meeting page, say how it went, and go back there.
    ``success`` is the message, or a function of the action's result that gives it."""
    return run_service(request, action, success=success, redirect_to=("committee:meeting", meeting.pk))


def _meeting(request, meeting_id, action="view_meeting"):
    meeting = selectors.meeting_for(request.user, meeting_id)
    access.require(request.user, action, meeting)
    return meeting


def _draft_or_back(request, meeting):
    """None when the meeting can be edited; else a redirect with the reason."""
    if meeting.minutes_status != MinutesStatus.DRAFT:
        messages.error(request, _("The minutes are %(status)s; only draft minutes can be changed. "
                                  "Return them to draft first.") % {"status": meeting.get_minutes_status_display()})
        return redirect("committee:meeting", meeting.pk)
    return None


# --- members ------------------------------------------------------------------------------------------

@login_required
def members(request):
    access.require(request.user, "view_committee")
    return render(request, "committee/members.html", {
        "members": selectors.members_for(request.user),
        "can_manage": access.can(request.user, "manage_committee"),
    })


@login_required
def member_edit(request, member_id=None):
    province = access.province_to_work_on(request, "manage_committee")
    member = get_object_or_404(CommitteeMember, pk=member_id, province=province) if member_id else None
    if member is None and (repeat := once.repeat_response(request)) is not None:  # the same new form sent again
        return repeat
    form = MemberForm(request.POST or None, instance=member, province=province)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.save_member(actor=request.user, province=province, member=member,
                                                  changes=form_changes(form)),
            success=_("Committee member saved."), redirect_to="committee:members", form=form, once=member is None)
        if done:
            return done
    title = _("Edit committee member") if member else _("Add a committee member")
    history = audit.history_for(member)[:30] if member else []
    return render(request, "committee/form.html", {"form": form, "title": title, "history": history,
                                                   "cancel": "committee:members"},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def member_move(request, member_id):
    province = access.province_to_work_on(request, "manage_committee")
    member = get_object_or_404(CommitteeMember, pk=member_id, province=province)
    return run_service(
        request, lambda: services.move_member(actor=request.user, member=member,
                                              direction=request.POST.get("direction", "")),
        redirect_to="committee:members")


# --- meetings -----------------------------------------------------------------------------------------

@login_required
def meetings(request):
    access.require(request.user, "view_committee")
    return render(request, "committee/meetings.html", {
        "meetings": selectors.meetings_for(request.user),
        "can_edit": access.can(request.user, "manage_committee"),
    })


@login_required
def meeting_edit(request, meeting_id=None):
    if meeting_id:
        meeting = _meeting(request, meeting_id, "edit_meeting")
        province = meeting.province
        if (back := _draft_or_back(request, meeting)) is not None:
            return back
    else:
        meeting, province = None, access.province_to_work_on(request, "manage_committee")
        if (repeat := once.repeat_response(request)) is not None:  # the same new-meeting form sent again
            return repeat
    form = MeetingForm(request.POST or None, instance=meeting, province=province)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.save_meeting(actor=request.user, province=province, meeting=meeting,
                                                   changes=form_changes(form)),
            success=_("Meeting saved."), redirect_to=lambda saved: ("committee:meeting", saved.pk), form=form,
            once=meeting is None)
        if done:
            return done
    title = _("Edit meeting") if meeting else _("New meeting")
    return render(request, "committee/form.html", {"form": form, "title": title, "meeting": meeting,
                                                   "cancel": "committee:meetings"},
                  status=400 if form.errors else 200)


@login_required
def meeting_detail(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    can_edit = access.can(request.user, "edit_meeting", meeting)
    return render(request, "committee/meeting_detail.html", {
        "meeting": meeting,
        "agenda": selectors.agenda(meeting),
        "attendance": selectors.attendance_groups(meeting),
        "can_edit": can_edit and meeting.minutes_status == MinutesStatus.DRAFT,
        "can_issue": access.can(request.user, "issue_minutes", meeting),
        "attachment_form": AttachmentForm(),
        "adopt_form": AdoptForm(meeting=meeting) if meeting.minutes_status == MinutesStatus.REVIEWED else None,
        "events": meeting.minutes_events.select_related("actor"),
        "adopts": meeting.adopted_minutes.all(),
        "history": audit.history_for(meeting)[:30] if can_edit else [],
        "can_delete": access.can(request.user, "delete_meeting", meeting)
        and meeting.minutes_status == MinutesStatus.DRAFT,
        "actions": selectors.with_counts(meeting.action_items.select_related("office", "agenda_item")),
        "followups": selectors.followups_for_meeting(meeting),
        "followup_at": selectors.followup_cutoff(meeting),
        "can_add_action": access.can(request.user, "manage_actions", meeting.province),
    })


@login_required
def minutes_print(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    return render(request, "committee/minutes_print.html", {
        "meeting": meeting,
        "agenda": selectors.agenda(meeting),
        "attendance": selectors.attendance_groups(meeting),
    })


@login_required
@require_POST
def minutes_action(request, meeting_id, action):
    meeting = _meeting(request, meeting_id, "issue_minutes")
    note = request.POST.get("note", "")
    try:
        if action == "review":
            services.review_minutes(actor=request.user, meeting=meeting, note=note)
            messages.success(request, _("The minutes are marked as reviewed."))
        elif action == "return":
            services.return_minutes(actor=request.user, meeting=meeting, note=note)
            messages.success(request, _("The minutes are back to draft."))
        elif action == "adopt":
            form = AdoptForm(request.POST, meeting=meeting)
            if not form.is_valid():
                for field, errors in form.errors.items():
                    label = form.fields[field].label if field in form.fields else ""
                    messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
                return redirect("committee:meeting", meeting.pk)
            services.adopt_minutes(actor=request.user, meeting=meeting, at_meeting=form.cleaned_data["at_meeting"],
                                   item=form.cleaned_data["item"], note=form.cleaned_data["note"])
            messages.success(request, _("The adoption of the minutes is recorded."))
        else:
            raise Http404
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("committee:meeting", meeting.pk)


# --- agenda -------------------------------------------------------------------------------------------

@login_required
def item_edit(request, meeting_id, item_id=None):
    meeting = _meeting(request, meeting_id, "edit_meeting")
    if (back := _draft_or_back(request, meeting)) is not None:
        return back
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting) if item_id else None
    if item is None and (repeat := once.repeat_response(request)) is not None:  # the same new form sent again
        return repeat
    initial = {}
    if item is None and request.GET.get("section", "").isdigit():
        initial["section"] = int(request.GET["section"])
    form = ItemForm(request.POST or None, instance=item, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.save_item(actor=request.user, meeting=meeting, item=item,
                                                changes=form_changes(form)),
            success=_("Agenda item saved."), redirect_to=("committee:meeting", meeting.pk), form=form,
            once=item is None)
        if done:
            return done
    if (repeat := once.repeat_after_invalid(request, form, item is None)) is not None:
        return repeat
    title = _("Edit agenda item") if item else _("Add an agenda item")
    history = audit.history_for(item)[:30] if item else []
    return render(request, "committee/form.html", {"form": form, "title": title, "meeting": meeting,
                                                   "history": history, "cancel_meeting": meeting},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def item_delete(request, meeting_id, item_id):
    meeting = _meeting(request, meeting_id, "edit_meeting")
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)
    return _do(request, meeting, lambda: services.delete_item(actor=request.user, item=item),
               _("Agenda item deleted."))


@login_required
@require_POST
def attachment_add(request, meeting_id, item_id):
    meeting = _meeting(request, meeting_id, "edit_meeting")
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, _("Attachment: %(error)s") % {"error": error})
        return redirect("committee:meeting", meeting.pk)
    return _do(request, meeting, lambda: services.add_attachment(actor=request.user, item=item,
                                                                 uploaded=form.cleaned_data["file"]),
               _("Attachment added."))


@login_required
def attachment_file(request, meeting_id, attachment_id):
    meeting = _meeting(request, meeting_id)
    attachment = get_object_or_404(AgendaAttachment, pk=attachment_id, item__meeting=meeting)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return downloads.attach(FileResponse(handle, as_attachment=True), attachment.name)


@login_required
@require_POST
def attachment_delete(request, meeting_id, attachment_id):
    meeting = _meeting(request, meeting_id, "edit_meeting")
    attachment = get_object_or_404(AgendaAttachment, pk=attachment_id, item__meeting=meeting)
    return _do(request, meeting, lambda: services.delete_attachment(actor=request.user, attachment=attachment),
               _("Attachment deleted."))


# --- attendance ---------------------------------------------------------------------------------------

@login_required
def attendance_edit(request, meeting_id, attendance_id=None):
    meeting = _meeting(request, meeting_id, "edit_meeting")
    if (back := _draft_or_back(request, meeting)) is not None:
        return back
    row = get_object_or_404(Attendance, pk=attendance_id, meeting=meeting) if attendance_id else None
    if row is None and (repeat := once.repeat_response(request)) is not None:  # the same new form sent again
        return repeat
    form = AttendanceForm(request.POST or None, instance=row, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.save_attendance(actor=request.user, meeting=meeting, attendance=row,
                                                      changes=form_changes(form)),
            success=_("Attendance saved."), redirect_to=("committee:meeting", meeting.pk), form=form,
            once=row is None)
        if done:
            return done
    if (repeat := once.repeat_after_invalid(request, form, row is None)) is not None:
        return repeat
    title = _("Edit attendance") if row else _("Add to the attendance list")
    return render(request, "committee/form.html", {"form": form, "title": title, "meeting": meeting,
                                                   "cancel_meeting": meeting},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def attendance_delete(request, meeting_id, attendance_id):
    meeting = _meeting(request, meeting_id, "edit_meeting")
    row = get_object_or_404(Attendance, pk=attendance_id, meeting=meeting)
    return _do(request, meeting, lambda: services.delete_attendance(actor=request.user, attendance=row),
               _("Removed from the attendance list."))


@login_required
@require_POST
def attendance_all_present(request, meeting_id):
    meeting = _meeting(request, meeting_id, "edit_meeting")
    return _do(request, meeting, lambda: services.record_all_members_present(actor=request.user, meeting=meeting),
               lambda added: _("%(n)s members added as present.") % {"n": added})


# --- meetings: delete, reorder agenda items ------------------------------------------------------------

@login_required
@require_POST
def meeting_delete(request, meeting_id):
    meeting = _meeting(request, meeting_id, "delete_meeting")
    label = meeting.label
    return run_service(
        request, lambda: services.delete_meeting(actor=request.user, meeting=meeting),
        success=_("Meeting %(meeting)s deleted.") % {"meeting": label}, redirect_to="committee:meetings",
        refused_to=("committee:meeting", meeting.pk))


@login_required
@require_POST
def item_move(request, meeting_id, item_id):
    meeting = _meeting(request, meeting_id, "edit_meeting")
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)
    return _do(request, meeting, lambda: services.move_item(actor=request.user, item=item,
                                                            direction=request.POST.get("direction", "")),
               _("Agenda item moved."))


# --- action items ---------------------------------------------------------------------------------------

def _action(request, action_id, action="view_actions"):
    item = selectors.action_for(request.user, action_id)
    access.require(request.user, action, item)
    return item



@login_required
def actions(request):
    access.require(request.user, "view_actions")
    qs = selectors.with_counts(selectors.actions_for(request.user))

    offices = SupervisingOffice.objects.filter(province_id__in=selectors.action_province_ids(request.user))
    office, status = request.GET.get("office", ""), request.GET.get("status", "active")
    if office.isdigit():
        qs = qs.filter(office_id=int(office))
    rows = list(qs.order_by("due_date", "id"))
    rollup = selectors.rollup_by_office(rows)
    if status == "active":
        rows = [a for a in rows if not a.is_closed]
    elif status == "late":
        rows = [a for a in rows if a.is_late()]
    elif status in ActionStatus.values:
        rows = [a for a in rows if a.status == status]
    rows.sort(key=lambda a: (a.due_date is None, a.due_date or dt.date.max, a.pk))
    return render(request, "committee/actions.html", {
        "actions": rows, "rollup": rollup, "offices": offices, "office": office, "status": status,
        "statuses": [("active", _("Not done")), ("late", _("Late")), *ActionStatus.choices, ("all", _("All"))],
        "can_manage": access.can(request.user, "manage_actions"),
    })


@login_required
def action_new(request):
    province = access.province_to_work_on(request, "manage_actions")
    initial = {}
    meeting_id, item_id = request.GET.get("meeting", ""), request.GET.get("item", "")
    if item_id.isdigit():
        item = AgendaItem.objects.filter(pk=int(item_id), meeting__province=province).select_related("meeting").first()
        if item:
            initial.update(agenda_item=item.pk, meeting=item.meeting_id, title=item.title[:500],
                           detail=item.resolution_text, office=item.presenter_office_id)
    elif meeting_id.isdigit():
        initial["meeting"] = int(meeting_id)
    if (done := once.already_done(request)) is not None:  # the same form sent again: no second item
        messages.info(request, _("This form was already sent; here is what it created."))
        return redirect(done)
    form = ActionForm(request.POST or None, province=province, initial=initial)
    ask = AgencyChoiceForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid() and ask.is_valid():
        kind = form.cleaned_data["kind"]
        if kind == "agencies" and not ask.cleaned_data["chosen"]:
            ask.add_error("mode", _("A request to agencies needs at least one agency: choose them one by one, "
                                    "by kind, by office or from a target group."))
        else:
            try:
                saved, url = once.create_once(request, lambda: services.create_action(
                    actor=request.user, province=province, changes=form_changes(form),
                    agencies=ask.cleaned_data["chosen"] if kind == "agencies" else [],
                    targets_description=ask.cleaned_data["description"] if kind == "agencies" else ""),
                    lambda action: reverse("committee:action", args=[action.pk]))
            except ValidationError as e:
                add_service_errors(form, e)
                if hasattr(e, "error_dict") and "agencies" in e.error_dict:
                    ask.add_error(None, e.message_dict["agencies"])
            else:
                if saved is None:
                    messages.info(request, _("This form was already sent; here is what it created."))
                else:
                    messages.success(request, _("Action item saved."))
                return redirect(url)
    return render(request, "committee/action_form.html", {"form": form, "ask": ask, "title": _("New action item")},
                  status=400 if (form.errors or ask.errors) else 200)


@login_required
def action_edit(request, action_id):
    item = _action(request, action_id, "manage_actions")
    form = ActionForm(request.POST or None, instance=item, province=item.province)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.save_action(actor=request.user, action=item,
                                                  changes={k: form.cleaned_data[k] for k in form.fields if not form.fields[k].disabled}),
            success=_("Action item saved."), redirect_to=("committee:action", item.pk), form=form)
        if done:
            return done
    return render(request, "committee/action_form.html", {
        "form": form, "title": _("Edit action item"), "action": item,
        "history": audit.history_for(item)[:30]}, status=400 if form.errors else 200)


@login_required
def action_detail(request, action_id):
    item = _action(request, action_id)
    targets = list(item.targets.select_related("agency", "document", "updated_by").order_by("agency__name_th"))
    counts = {s: sum(1 for t in targets if t.status == s) for s in TargetStatus.values}
    counted = len(targets) - counts["not_applicable"]
    can_follow = access.can(request.user, "follow_action", item)
    can_manage = access.can(request.user, "manage_actions", item)
    if can_follow and not item.is_closed:
        steps = {}
        for (status, step), (_new, role, reason) in services.TARGET_TRANSITIONS.items():
            if role == "office":
                steps.setdefault(status, []).append((step, services._step_label(step), reason))
        for t in targets:
            t.office_steps = steps.get(t.status, [])
    status_filter = request.GET.get("targets", "")
    shown = [t for t in targets if t.status == status_filter] if status_filter in TargetStatus.values else targets
    return render(request, "committee/action_detail.html", {
        "action": item, "targets": shown, "all_targets": len(targets), "counts": counts, "counted": counted,
        "percent": round(100 * counts["done"] / counted) if counted else None, "targets_filter": status_filter,
        "target_statuses": TargetStatus.choices,
        "updates": item.updates.filter(target__isnull=True).select_related("actor"),
        "target_updates": item.updates.filter(target__isnull=False).select_related("actor", "target__agency")
        .order_by("-at", "-id")[:100],
        "can_follow": can_follow, "can_manage": can_manage,
        "next_statuses": [(to, ActionStatus(to).label, reason) for (frm, to), reason
                          in services.ACTION_TRANSITIONS.items() if frm == item.status],
        "update_form": UpdateForm(), "is_late": item.is_late(),
        "ask": AgencyChoiceForm(province=item.province) if can_manage and item.kind == "agencies"
        and not item.is_closed else None,
        "history": audit.history_for(item)[:30] if can_manage else [],
    })


def _form_errors(request, form) -> bool:
    """Put a small form's errors in the messages, each with its field's label; True when there were any."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return bool(form.errors)


@login_required
@require_POST
def action_status(request, action_id):
    item = _action(request, action_id, "follow_action")
    form = UpdateForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("committee:action", item.pk)

    def done(_result):
        item.refresh_from_db()
        return _("The action item is now: %(status)s.") % {"status": item.get_status_display()}

    return run_service(
        request, lambda: services.set_action_status(actor=request.user, action=item,
                                                    status=request.POST.get("status", ""),
                                                    text=form.cleaned_data["text"],
                                                    uploaded=form.cleaned_data["file"]),
        success=done, redirect_to=("committee:action", item.pk))


@login_required
@require_POST
def action_note(request, action_id):
    item = _action(request, action_id, "follow_action")
    form = UpdateForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("committee:action", item.pk)
    return run_service(
        request, lambda: services.add_action_note(actor=request.user, action=item,
                                                  text=form.cleaned_data["text"],
                                                  uploaded=form.cleaned_data["file"]),
        success=_("Update recorded."), redirect_to=("committee:action", item.pk))


@login_required
@require_POST
def action_targets(request, action_id):
    item = _action(request, action_id, "manage_actions")
    form = AgencyChoiceForm(request.POST, province=item.province, required=True)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("committee:action", item.pk)
    return run_service(
        request, lambda: services.add_targets(actor=request.user, action=item,
                                              agencies=form.cleaned_data["chosen"],
                                              description=form.cleaned_data["description"]),
        success=lambda added: _("%(n)s agencies added (those already asked are skipped).") % {"n": added},
        redirect_to=("committee:action", item.pk))


@login_required
@require_POST
def target_step(request, action_id, target_id, step):
    item = _action(request, action_id, "follow_action")
    target = get_object_or_404(ActionTarget, pk=target_id, action=item)
    form = UpdateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.move_target(actor=request.user, target=target, step=step, text=form.cleaned_data["text"],
                                 uploaded=form.cleaned_data["file"])
        except ValidationError as e:
            messages.error(request, f"{target.agency.name_th}: {' '.join(e.messages)}")
        else:
            target.refresh_from_db()
            messages.success(request, _("%(agency)s: %(status)s.") % {"agency": target.agency.name_th,
                                                                      "status": target.get_status_display()})
    else:
        _form_errors(request, form)
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/committee/") else reverse("committee:action", args=[item.pk]))


@login_required
def update_file(request, update_id):
    update = get_object_or_404(ActionUpdate.objects.select_related("action", "target", "target__action"),
                               pk=update_id)
    if update.target_id:
        selectors.target_for(request.user, update.target_id)
    else:
        _action(request, update.action_id)
    if not update.file:
        raise Http404
    try:
        handle = update.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return downloads.attach(FileResponse(handle, as_attachment=True), update.file_name or "file")


# --- requests from the committee (agency users) -------------------------------------------------------

@login_required
def requests(request):
    access.require(request.user, "view_requests")
    rows = list(selectors.requests_for(request.user))
    return render(request, "committee/requests.html", {"rows": rows})


@login_required
def request_detail(request, target_id):
    target = selectors.target_for(request.user, target_id)
    can_respond = access.can(request.user, "respond_target", target)
    form = UpdateForm(request.POST or None, request.FILES or None)
    updates = list(target.updates.select_related("actor").order_by("at", "id"))
    moves = [u for u in updates if u.to_status]
    if request.method == "POST":
        if not can_respond:
            raise PermissionDenied
        step = request.POST.get("step", "submit")
        if form.is_valid():
            try:
                if step == "note":
                    services.add_action_note(actor=request.user, action=target.action, target=target,
                                             text=form.cleaned_data["text"], uploaded=form.cleaned_data["file"])
                else:
                    services.move_target(actor=request.user, target=target, step="submit",
                                         text=form.cleaned_data["text"], uploaded=form.cleaned_data["file"])
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Sent to %(office)s.") % {
                    "office": target.action.office or _("the committee's secretariat")})
                return redirect("committee:request", target.pk)
    return render(request, "committee/request_detail.html", {
        "target": target, "action": target.action, "form": form, "can_respond": can_respond,
        "can_submit": can_respond and not target.action.is_closed and target.status in ("pending", "submitted"),
        "updates": updates,
        "returned": bool(moves) and moves[-1].from_status == "submitted" and moves[-1].to_status == "pending",
    }, status=400 if form.errors else 200)


# --- problems and obstacles -------------------------------------------------------------------------------

@login_required
def problems(request):
    access.require(request.user, "view_problems")
    offices = selectors.problem_offices_for(request.user)
    qs = selectors.problems_for(request.user)
    office, status = request.GET.get("office", ""), request.GET.get("status", "open")
    if office.isdigit():
        qs = qs.filter(office_id=int(office))
    if status in ("open", "resolved"):
        qs = qs.filter(status=status)
    editable = {o.pk for o in offices if access.can(request.user, "edit_problems", o)}
    return render(request, "committee/problems.html", {
        "problems": qs, "offices": offices, "office": office, "status": status, "editable": editable,
        "can_add": bool(editable)})


@login_required
def problem_edit(request, problem_id=None):
    access.require(request.user, "view_problems")
    problem = selectors.problem_for(request.user, problem_id) if problem_id else None
    if problem is not None:
        access.require(request.user, "edit_problems", problem.office)
    else:
        access.require(request.user, "edit_problems")
        if (repeat := once.repeat_response(request)) is not None:  # the same new form sent again
            return repeat
    offices = SupervisingOffice.objects.filter(
        pk__in=[o.pk for o in selectors.problem_offices_for(request.user)
                if access.can(request.user, "edit_problems", o)])
    if problem is None and not offices.exists():
        raise PermissionDenied
    province = problem.province if problem else offices.first().province
    offices = offices.filter(province=province)
    form = ProblemForm(request.POST or None, instance=problem, offices=offices, province=province)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.fields if k != "agencies"}
        done = run_service(
            request, lambda: services.save_problem(actor=request.user, province=province, problem=problem,
                                                   changes=data, agencies=form.cleaned_data["agencies"]),
            success=_("Problem saved."),
            redirect_to=lambda saved: f"{reverse('committee:problems')}?office={saved.office_id}", form=form,
            once=problem is None)
        if done:
            return done
    return render(request, "committee/problem_form.html", {
        "form": form, "problem": problem,
        "title": _("Edit problem or obstacle") if problem else _("Record a problem or obstacle"),
        "history": audit.history_for(problem)[:30] if problem else []}, status=400 if form.errors else 200)


@login_required
@require_POST
def problem_status(request, problem_id):
    access.require(request.user, "view_problems")
    problem = selectors.problem_for(request.user, problem_id)
    access.require(request.user, "edit_problems", problem.office)

    def done(_result):
        problem.refresh_from_db()
        return _("%(problem)s: %(status)s.") % {"problem": problem.title[:80], "status": problem.get_status_display()}

    return run_service(
        request, lambda: services.set_problem_status(actor=request.user, problem=problem,
                                                     status=request.POST.get("status", ""),
                                                     note=request.POST.get("note", "")),
        success=done,
        redirect_to=lambda _result: f"{reverse('committee:problems')}?office={problem.office_id}")
