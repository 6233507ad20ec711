"""Pages of improvement projects and their events: budget and spending, programme, invitations,
registration, tickets, check-in by QR code and at the desk, the attendance report and the outcome of
a targeted event."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.core import audit, downloads, once
from itadesk.core.forms import form_changes
from itadesk.core.language import page_lang as _lang
from itadesk.core.views import run_service
from itadesk.projects import documents, selectors, services
from itadesk.projects.forms import (
    EventForm,
    InviteForm,
    LineForm,
    ProjectForm,
    QuotaForm,
    RegistrationForm,
    SessionForm,
    SpendingForm,
)
from itadesk.projects.models import BudgetLine, Invitation, Registration, Session, Spending
from itadesk.registry.models import Agency


def _project(request, project_id, action="view_projects"):
    project = selectors.project_for(request.user, project_id)
    access.require(request.user, action, project)
    return project


def _event(request, event_id, action="view_event"):
    event = selectors.event_for(request.user, event_id)
    access.require(request.user, action, event)
    return event


def _form_page(request, form, title, *, back, history=None, multipart=False):
    return render(request, "projects/form.html", {"form": form, "title": title, "back": back,
                                                  "history": history or [], "multipart": multipart},
                  status=400 if form.errors else 200)


# --- projects -----------------------------------------------------------------------------------

@login_required
def project_list(request):
    access.require(request.user, "view_event_list")
    can_read = access.can(request.user, "view_projects")
    return render(request, "projects/list.html", {
        "projects": selectors.projects_for(request.user) if can_read else [],
        "events": selectors.events_for(request.user).order_by("-date", "id") if not can_read else [],
        "can_read": can_read,
        "can_manage": access.can(request.user, "manage_projects"),
    })


@login_required
def project_edit(request, project_id=None):
    if project_id:
        project = _project(request, project_id, "manage_projects")
        province = project.province
    else:
        project, province = None, access.province_to_work_on(request, "manage_projects")
        if (repeat := once.repeat_response(request)) is not None:  # the same new-project form sent again
            return repeat
    form = ProjectForm(request.POST or None, instance=project, province=province)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.save_project(actor=request.user, province=province, project=project,
                                                   changes=form_changes(form)),
            success=_("Project saved."), redirect_to=lambda saved: ("projects:project", saved.pk), form=form,
            once=project is None)
        if done:
            return done
    title = _("Edit project") if project else _("New project")
    back = project.get_absolute_url() if project else None
    return _form_page(request, form, title, back=back, history=audit.history_for(project)[:30] if project else [])


@login_required
def project_detail(request, project_id):
    project = _project(request, project_id)
    return render(request, "projects/project_detail.html", {
        "project": project,
        "money": selectors.money(project),
        "spendings": Spending.objects.filter(line__project=project).select_related("line", "recorded_by")
        .order_by("date", "id"),
        "events": project.events.all(),
        "can_manage": access.can(request.user, "manage_projects", project),
        "history": audit.history_for(project)[:30],
    })


@login_required
def project_pdf(request, project_id):
    project = _project(request, project_id)
    response = HttpResponse(documents.project_pdf(project), content_type="application/pdf")
    downloads.attach(response, downloads.download_name(f"project-{project.pk}", "pdf"), inline=True)
    return response


@login_required
def line_edit(request, project_id, line_id=None):
    project = _project(request, project_id, "manage_projects")
    line = get_object_or_404(BudgetLine, pk=line_id, project=project) if line_id else None
    if line is None and (repeat := once.repeat_response(request)) is not None:  # the same new form sent again
        return repeat
    form = LineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.save_line(actor=request.user, project=project, line=line,
                                                changes=form_changes(form)),
            success=_("Budget line saved."), redirect_to=("projects:project", project.pk), form=form,
            once=line is None)
        if done:
            return done
    title = _("Edit budget line") if line else _("Add a budget line")
    return _form_page(request, form, title, back=project.get_absolute_url(),
                      history=audit.history_for(line)[:30] if line else [])


@login_required
@require_POST
def line_delete(request, project_id, line_id):
    project = _project(request, project_id, "manage_projects")
    line = get_object_or_404(BudgetLine, pk=line_id, project=project)
    return run_service(
        request, lambda: services.delete_line(actor=request.user, line=line),
        success=_("Budget line deleted."), redirect_to=("projects:project", project.pk))


@login_required
def spending_new(request, project_id):
    project = _project(request, project_id, "manage_projects")
    if (repeat := once.repeat_response(request)) is not None:  # the same spending form sent again
        return repeat
    form = SpendingForm(request.POST or None, request.FILES or None, project=project,
                        initial={"line": request.GET.get("line")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request, lambda: services.add_spending(actor=request.user, line=data["line"], date=data["date"],
                                                   amount=data["amount"], note=data["note"],
                                                   receipt=data.get("receipt")),
            success=_("Spending recorded."), redirect_to=("projects:project", project.pk), form=form, once=True)
        if done:
            return done
    return _form_page(request, form, _("Record spending"), back=project.get_absolute_url(), multipart=True)


@login_required
def receipt(request, project_id, spending_id):
    project = _project(request, project_id)
    spending = get_object_or_404(Spending, pk=spending_id, line__project=project)
    if not spending.receipt:
        raise Http404
    try:
        handle = spending.receipt.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return downloads.attach(FileResponse(handle, as_attachment=True), spending.receipt.name.rsplit("/", 1)[-1])


# --- events -------------------------------------------------------------------------------------

@login_required
def event_edit(request, project_id=None, event_id=None):
    if event_id:
        event = _event(request, event_id, "manage_projects")
        project = event.project
    else:
        event, project = None, _project(request, project_id, "manage_projects")
        if (repeat := once.repeat_response(request)) is not None:  # the same new form sent again
            return repeat
    form = EventForm(request.POST or None, instance=event, province=project.province)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.save_event(actor=request.user, project=project, event=event,
                                                 changes=form_changes(form)),
            success=_("Event saved."), redirect_to=lambda saved: ("projects:event", saved.pk), form=form,
            once=event is None)
        if done:
            return done
    title = _("Edit event") if event else _("New event")
    back = event.get_absolute_url() if event else project.get_absolute_url()
    return _form_page(request, form, title, back=back, history=audit.history_for(event)[:30] if event else [])


def _my_agencies(request, event) -> set[int] | None:
    """None for province staff (they see every agency); else the agencies the admin registers for."""
    if access.can(request.user, "view_projects", event.project):
        return None
    mine = access.predicates.admin_agencies(access.scope_for(request.user))
    return set(event.invitations.filter(agency_id__in=mine).values_list("agency_id", flat=True))


@login_required
def event_detail(request, event_id):
    event = _event(request, event_id)
    mine = _my_agencies(request, event)
    staff = mine is None
    invitations = event.invitations.select_related("agency")
    if not staff:
        invitations = invitations.filter(agency_id__in=mine)
    att = selectors.attendance(event, agency_ids=mine)
    return render(request, "projects/event_detail.html", {
        "event": event,
        "programme": selectors.programme(event),
        "invitations": invitations,
        "attendance": att,
        "registrations": att.people,
        "staff": staff,
        "can_manage": access.can(request.user, "manage_projects", event),
        "can_check_in": access.can(request.user, "check_in", event),
        "can_register": staff and access.can(request.user, "register_anyone", event) or bool(mine),
        "history": audit.history_for(event)[:30] if staff else [],
    })


@login_required
def session_edit(request, event_id, session_id=None):
    event = _event(request, event_id, "manage_projects")
    session = get_object_or_404(Session, pk=session_id, event=event) if session_id else None
    if session is None and (repeat := once.repeat_response(request)) is not None:  # the same new form sent again
        return repeat
    form = SessionForm(request.POST or None, instance=session, province=event.project.province,
                       initial=None if session else {"order": event.sessions.count() + 1})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.save_session(actor=request.user, event=event, session=session,
                                                   changes=form_changes(form)),
            success=_("Session saved."), redirect_to=("projects:event", event.pk), form=form,
            once=session is None)
        if done:
            return done
    title = _("Edit session") if session else _("Add a session")
    return _form_page(request, form, title, back=event.get_absolute_url())


@login_required
@require_POST
def session_delete(request, event_id, session_id):
    event = _event(request, event_id, "manage_projects")
    session = get_object_or_404(Session, pk=session_id, event=event)
    services.delete_session(actor=request.user, session=session)
    messages.success(request, _("Session deleted."))
    return redirect("projects:event", event.pk)


@login_required
def invite(request, event_id):
    event = _event(request, event_id, "manage_projects")
    province = event.project.province
    form = InviteForm(request.POST or None, province=province, initial={"quota": event.default_quota})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agencies = Agency.objects.filter(province=province, active=True)
        group = None
        if data["who"] == "kind":
            agencies = agencies.filter(kind=data["kind"])
        elif data["who"] == "group":
            group = data["group"]
            agencies = Agency.objects.filter(pk__in=group.members.values("agency_id"))
        done = run_service(
            request, lambda: services.invite(actor=request.user, event=event,
                                             agencies=agencies.order_by("name_th"), quota=data["quota"],
                                             target_group=group),
            success=lambda n: _("%(n)s agencies invited.") % {"n": n},
            redirect_to=("projects:event", event.pk), form=form)
        if done:
            return done
    return _form_page(request, form, _("Invite agencies"), back=event.get_absolute_url())


@login_required
@require_POST
def quota(request, event_id, invitation_id):
    event = _event(request, event_id, "manage_projects")
    invitation = get_object_or_404(Invitation, pk=invitation_id, event=event)
    form = QuotaForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("%(agency)s: the quota must be a whole number from 1 to 500.")
                       % {"agency": invitation.agency.name_th})
        return redirect("projects:event", event.pk)
    return run_service(
        request, lambda: services.set_quota(actor=request.user, invitation=invitation,
                                            quota=form.cleaned_data["quota"]),
        success=_("Quota saved."), redirect_to=("projects:event", event.pk))


@login_required
@require_POST
def uninvite(request, event_id, invitation_id):
    event = _event(request, event_id, "manage_projects")
    invitation = get_object_or_404(Invitation, pk=invitation_id, event=event)
    return run_service(
        request, lambda: services.uninvite(actor=request.user, invitation=invitation),
        success=_("Invitation withdrawn."), redirect_to=("projects:event", event.pk))


# --- registration, tickets, check-in --------------------------------------------------------------

@login_required
def register(request, event_id):
    event = _event(request, event_id)
    staff = access.can(request.user, "register_anyone", event)
    if staff:
        agencies = Agency.objects.filter(province_id=event.project.province_id).order_by("kind", "name_th")
    else:
        mine = _my_agencies(request, event) or set()
        agencies = Agency.objects.filter(pk__in=mine).order_by("name_th")
        if not mine:
            raise PermissionDenied
    initial = {"agency": request.GET.get("agency")} if request.GET.get("agency") else {}
    if not staff and len(agencies) == 1:
        initial["agency"] = agencies[0].pk
    form = RegistrationForm(request.POST or None, agencies=agencies, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = data.get("agency")
        if agency is not None and not staff:
            access.require(request.user, "register_agency",
                           Invitation.objects.filter(event=event, agency=agency).first())
        done = run_service(
            request, lambda: services.register(actor=request.user, event=event, agency=agency,
                                               name=data["name"], position=data["position"],
                                               kind=data["kind"], phone=data["phone"], email=data["email"],
                                               walk_in=bool(data.get("walk_in")),
                                               over_quota=bool(data.get("over_quota")) and staff),
            success=lambda reg: _("%(name)s is registered.") % {"name": reg.name},
            redirect_to=("projects:event", event.pk), form=form)
        if done:
            return done
    return _form_page(request, form, _("Register for %(event)s") % {"event": event.title},
                      back=event.get_absolute_url())


@login_required
@require_POST
def registration_cancel(request, event_id, registration_id):
    event = _event(request, event_id)
    reg = get_object_or_404(Registration, pk=registration_id, event=event)
    if not access.can(request.user, "register_anyone", event):
        inv = Invitation.objects.filter(event=event, agency_id=reg.agency_id).first()
        if inv is None or not access.can(request.user, "register_agency", inv):
            raise PermissionDenied
    return run_service(
        request, lambda: services.cancel_registration(actor=request.user, registration=reg),
        success=_("The registration of %(name)s is cancelled.") % {"name": reg.name},
        redirect_to=("projects:event", event.pk))


@login_required
def tickets(request, event_id):
    """The tickets of an event as a PDF: every person, or one agency's (``?agency=ID``); an agency
    admin gets their own agency's."""
    event = _event(request, event_id)
    mine = _my_agencies(request, event)
    regs = Registration.objects.filter(event=event).select_related("agency").order_by("agency__name_th", "name", "id")
    if mine is not None:
        regs = regs.filter(agency_id__in=mine)
    wanted = request.GET.get("agency", "")
    if wanted.isdigit():
        regs = regs.filter(agency_id=int(wanted))
    body = documents.tickets_pdf(event, list(regs))
    response = HttpResponse(body, content_type="application/pdf")
    downloads.attach(response, downloads.download_name(f"tickets-event-{event.pk}", "pdf"), inline=True)
    return response


def _registration_by_token(token) -> Registration:
    try:
        return Registration.objects.select_related("event__project", "agency").get(token=token)
    except Registration.DoesNotExist:
        raise Http404 from None


@login_required
def checkin(request, token):
    """The page a ticket's QR code opens: staff of the province see the person and confirm with one
    POST; a second confirmation changes nothing and says when the first was."""
    reg = _registration_by_token(token)
    access.require(request.user, "check_in", reg.event)
    if request.method == "POST":
        reg, first = services.check_in(actor=request.user, registration=reg)
        if first:
            messages.success(request, _("%(name)s is checked in.") % {"name": reg.name})
        else:
            messages.info(request, services.already_checked_in_message(reg, _lang()))
        return redirect("projects:checkin", token=reg.token)
    return render(request, "projects/checkin.html", {"reg": reg, "event": reg.event})


@login_required
def desk(request, event_id):
    """The check-in desk: search people without their ticket and check them in."""
    event = _event(request, event_id, "check_in")
    query = request.GET.get("q", "").strip()
    att = selectors.attendance(event)
    return render(request, "projects/desk.html", {
        "event": event, "q": query,
        "results": selectors.search_registrations(event, query) if query else [],
        "attendance": att,
        "can_register": access.can(request.user, "register_anyone", event),
    })


@login_required
@require_POST
def desk_checkin(request, event_id, registration_id):
    event = _event(request, event_id, "check_in")
    reg = get_object_or_404(Registration, pk=registration_id, event=event)
    reg, first = services.check_in(actor=request.user, registration=reg)
    if first:
        messages.success(request, _("%(name)s is checked in.") % {"name": reg.name})
    else:
        messages.info(request, services.already_checked_in_message(reg, _lang()))
    back = request.POST.get("q", "")
    url = event.get_absolute_url() + "desk/"
    return redirect(f"{url}?q={back}" if back else url)


# --- reports --------------------------------------------------------------------------------------

@login_required
def attendance(request, event_id):
    event = _event(request, event_id, "view_projects")
    return render(request, "projects/attendance.html", {"event": event, "attendance": selectors.attendance(event)})


@login_required
def attendance_export(request, event_id, fmt):
    event = _event(request, event_id, "view_projects")
    att = selectors.attendance(event)
    if fmt == "pdf":
        response = HttpResponse(documents.attendance_pdf(att), content_type="application/pdf")
    elif fmt == "xlsx":
        response = HttpResponse(documents.attendance_xlsx(att), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        raise Http404
    downloads.attach(response, downloads.download_name(f"attendance-event-{event.pk}", fmt))
    return response


@login_required
def outcome(request, event_id):
    event = _event(request, event_id, "view_projects")
    result = selectors.outcome(event)
    if result is None:
        messages.info(request, _("This event has no target group: its invitees did not come from one."))
        return redirect("projects:event", event.pk)
    return render(request, "projects/outcome.html", {"event": event, "outcome": result})
