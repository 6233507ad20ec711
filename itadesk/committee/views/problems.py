"""Problems and obstacles reported by the supervising offices at every meeting."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.committee import selectors, services
from itadesk.committee.forms import ProblemForm
from itadesk.core import audit, once
from itadesk.core.views import run_service
from itadesk.registry.models import SupervisingOffice


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
