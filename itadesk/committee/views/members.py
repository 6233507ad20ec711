"""The committee's members: the list, adding, editing and moving a member."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.committee import selectors, services
from itadesk.committee.forms import MemberForm
from itadesk.committee.models import CommitteeMember
from itadesk.core import audit, once
from itadesk.core.forms import form_changes
from itadesk.core.views import run_service


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
