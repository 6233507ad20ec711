"""Meetings: the list, a meeting with its agenda, attachments and attendance, and its minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.committee import selectors, services
from itadesk.committee.forms import (
    AdoptForm,
    AttachmentForm,
    AttendanceForm,
    ItemForm,
    MeetingForm,
)
from itadesk.committee.models import (
    AgendaAttachment,
    AgendaItem,
    Attendance,
    MinutesStatus,
)
from itadesk.core import audit, downloads, once
from itadesk.core.forms import form_changes
from itadesk.core.views import run_service


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
