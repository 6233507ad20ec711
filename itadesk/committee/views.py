from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from itadesk.accounts import access
from itadesk.committee.models import CommitteeMember


@login_required
def members(request):
    scope = access.scope_for(request.user)
    if not (scope.superuser or scope.province_ids or scope.office_ids):
        access.require(request.user, "view_all_offices")
    province_ids = access.province_ids_for(request.user)
    return render(request, "committee/members.html", {
        "members": CommitteeMember.objects.filter(province_id__in=province_ids).select_related("province"),
    })
