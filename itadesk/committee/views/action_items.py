"""Action items the committee assigns to agencies, their updates and files, and the agencies' own
requests page."""

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
    AgencyChoiceForm,
    UpdateForm,
)
from itadesk.committee.models import (
    ActionStatus,
    ActionTarget,
    ActionUpdate,
    AgendaItem,
    TargetStatus,
)
from itadesk.core import audit, downloads, once
from itadesk.core.forms import add_service_errors, form_changes
from itadesk.core.views import run_service
from itadesk.registry.models import SupervisingOffice


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
