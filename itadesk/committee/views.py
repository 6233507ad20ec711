"""Pages of the committee: members, meetings with their agenda and attendance, and the minutes."""

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
    MemberForm,
)
from itadesk.committee.models import AgendaAttachment, AgendaItem, Attendance, CommitteeMember, MinutesStatus
from itadesk.core import audit
from itadesk.registry.models import Province


def _province_to_write(request) -> Province:
    """The province whose committee the user keeps (the secretariat's; a superuser may choose)."""
    access.require(request.user, "manage_committee")
    wanted = request.GET.get("province") or request.POST.get("province")
    ids = sorted(selectors.province_ids(request.user))
    if wanted and wanted.isdigit() and int(wanted) in ids:
        ids = [int(wanted)]
    for pid in ids:
        province = Province.objects.get(pk=pid)
        if access.can(request.user, "manage_committee", province):
            return province
    raise Http404


def _service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _do(request, meeting, action, success):
    """Run a service action from a button on the meeting page, say how it went, and go back there.
    ``success`` is the message, or a function of the action's result that gives it."""
    try:
        result = action()
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect("committee:meeting", meeting.pk)


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
    province = _province_to_write(request)
    member = get_object_or_404(CommitteeMember, pk=member_id, province=province) if member_id else None
    form = MemberForm(request.POST or None, instance=member, province=province)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_member(actor=request.user, province=province, member=member,
                                 changes={k: form.cleaned_data[k] for k in form.fields})
        except ValidationError as e:
            _service_errors(form, e)
        else:
            messages.success(request, _("Committee member saved."))
            return redirect("committee:members")
    title = _("Edit committee member") if member else _("Add a committee member")
    history = audit.history_for(member)[:30] if member else []
    return render(request, "committee/form.html", {"form": form, "title": title, "history": history,
                                                   "cancel": "committee:members"},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def member_move(request, member_id):
    province = _province_to_write(request)
    member = get_object_or_404(CommitteeMember, pk=member_id, province=province)
    try:
        services.move_member(actor=request.user, member=member, direction=request.POST.get("direction", ""))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("committee:members")


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
        meeting, province = None, _province_to_write(request)
    form = MeetingForm(request.POST or None, instance=meeting, province=province)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_meeting(actor=request.user, province=province, meeting=meeting,
                                          changes={k: form.cleaned_data[k] for k in form.fields})
        except ValidationError as e:
            _service_errors(form, e)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("committee:meeting", saved.pk)
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
    initial = {}
    if item is None and request.GET.get("section", "").isdigit():
        initial["section"] = int(request.GET["section"])
    form = ItemForm(request.POST or None, instance=item, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_item(actor=request.user, meeting=meeting, item=item,
                               changes={k: form.cleaned_data[k] for k in form.fields})
        except ValidationError as e:
            _service_errors(form, e)
        else:
            messages.success(request, _("Agenda item saved."))
            return redirect("committee:meeting", meeting.pk)
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
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


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
    form = AttendanceForm(request.POST or None, instance=row, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_attendance(actor=request.user, meeting=meeting, attendance=row,
                                     changes={k: form.cleaned_data[k] for k in form.fields})
        except ValidationError as e:
            _service_errors(form, e)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("committee:meeting", meeting.pk)
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
