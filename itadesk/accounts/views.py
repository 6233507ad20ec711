"""People pages: the people list of a province (or of an office's agencies), the people import, one
person's page with its history, resending an invitation, (de)activating, the invitation link itself, and
the contacts page of agencies without an admin or an executive with an e-mail."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access, importing, selectors, services, twofactor
from itadesk.accounts.invitations import user_from_link
from itadesk.accounts.models import Membership
from itadesk.core import audit, imports
from itadesk.core.import_views import upload_preview_apply
from itadesk.core.tabular import ImportRefused
from itadesk.core.views import run_service
from itadesk.registry.models import Province, SupervisingOffice

STATES = ("not_sent", "sent", "expired", "failed", "accepted", "none")


def _contact_offices(user, province):
    """The offices whose contacts page the user may open in ``province``."""
    offices = SupervisingOffice.objects.filter(province=province).order_by("order", "pk")
    return [o for o in offices if access.can(user, "view_contacts", o)]


@login_required
def people(request):
    province = access.province_to_work_on(request, "manage_people")
    qs = (selectors.people_for(request.user, province)
          .select_related("invitation", "itadesk_profile")
          .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related(
              "province", "office", "agency").order_by("pk")))
          .order_by("first_name", "last_name", "pk"))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
                       | Q(memberships__agency__name_th__icontains=q)
                       | Q(memberships__office__name_th__icontains=q)).distinct()
    state = request.GET.get("state", "")
    now = timezone.now()
    if state in STATES:
        people_list = [u for u in qs if _state(u, now) == state]
    else:
        state, people_list = "", qs
    page = Paginator(people_list, 100).get_page(request.GET.get("page"))
    rows = [{"user": u, "state": _state(u, now), "invitation": getattr(u, "invitation", None),
             "line_id": getattr(getattr(u, "itadesk_profile", None), "line_id", ""),
             "memberships": list(u.memberships.all())} for u in page]
    return render(request, "accounts/people/list.html", {
        "province": province, "page": page, "rows": rows, "q": q, "state": state, "states": _state_labels(),
        "offices": _contact_offices(request.user, province),
        "can_province_contacts": access.can(request.user, "view_contacts", province),
        "officer": not access.can(request.user, "manage_round", province),
    })


def _state(user, now) -> str:
    invitation = getattr(user, "invitation", None)
    return invitation.state_at(now) if invitation is not None else "none"


def _state_labels() -> list[tuple[str, str]]:
    return [("not_sent", _("Invitation not sent")), ("sent", _("Invitation sent")),
            ("expired", _("Invitation expired")), ("failed", _("Sending failed")),
            ("accepted", _("Password set")), ("none", _("No invitation"))]


@imports.importer
def people_importer(user, *, province_id):
    """Plan and apply of the people import (run by the page, or by a background job for a large file)."""

    province = Province.objects.get(pk=province_id)

    def apply(plan):
        return _("Import applied: %(s)s") % {"s": importing.apply_people_import(actor=user, plan=plan)}

    return (lambda data, name: importing.plan_people_import(
        data=data, filename=name, province=province, actor=user)), apply


@login_required
def people_import(request):
    province = access.province_to_work_on(request, "manage_people")
    here = reverse("accounts:people_import") + f"?province={province.pk}"
    try:
        return upload_preview_apply(
            request, importer=people_importer, params={"province_id": province.pk},
            done=reverse("accounts:people") + f"?province={province.pk}", restart=here,
            template="accounts/people/import.html",
            context={"province": province, "headers": importing.HEADERS,
                     "officer": not access.can(request.user, "manage_round", province)})
    except ImportRefused as exc:  # the accounts changed between the check and the confirmation
        messages.error(request, f"{exc.th} / {exc.en}")
        return redirect(here)


def _person(request, user_id):
    person = get_object_or_404(get_user_model().objects.select_related("invitation", "itadesk_profile"), pk=user_id)
    access.require(request.user, "manage_person", person)
    return person


@login_required
def person(request, user_id):
    person = _person(request, user_id)
    invitation = getattr(person, "invitation", None)
    return render(request, "accounts/people/person.html", {
        "person": person, "invitation": invitation, "state": _state(person, timezone.now()),
        "line_id": getattr(getattr(person, "itadesk_profile", None), "line_id", ""),
        "memberships": person.memberships.select_related("province", "office", "agency").order_by("pk"),
        "history": audit.history_for(person).order_by("-at")[:200], "states": dict(_state_labels()),
        "two_step": twofactor.has_device(person),
        "can_reset_two_step": access.can(request.user, "reset_second_factor", person),
    })


def _back(request, person):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("accounts:person", user_id=person.pk)


@login_required
@require_POST
def person_resend(request, user_id):
    person = _person(request, user_id)
    return run_service(request, lambda: services.resend_invitation(actor=request.user, user=person),
                       success=_("The invitation was sent again to %(email)s; earlier links no longer work.")
                       % {"email": person.email}, redirect_to=lambda _result: _back(request, person))


@login_required
@require_POST
def person_active(request, user_id):
    person = _person(request, user_id)
    active = request.POST.get("active") == "1"
    return run_service(
        request, lambda: services.set_active(actor=request.user, user=person, active=active,
                                             reason=request.POST.get("reason", "")),
        success=_("The account was reactivated.") if active else _("The account was deactivated."),
        redirect_to=lambda _result: _back(request, person))


def invitation(request, uidb64, token):
    """The link of an invitation e-mail: set a password, then be logged in and sent home."""
    user = user_from_link(uidb64, token)
    if user is None:
        return render(request, "accounts/people/invitation.html", {"validlink": False})
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.accept_invitation(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(request, _("Welcome to ITA Desk. Your password is set."))
        return redirect("home")
    return render(request, "accounts/people/invitation.html", {"validlink": True, "form": form, "person": user})


@login_required
def contacts(request, office_id=None):
    """Agencies without an active admin or executive with an e-mail address: of one office (its officers
    and reviewers, the secretariat), or of the whole province (the secretariat)."""
    office = None
    if office_id is not None:
        office = get_object_or_404(SupervisingOffice.objects.select_related("province"), pk=office_id)
        access.require(request.user, "view_contacts", office)
        province = office.province
        agencies = office.province.agencies.filter(office.agency_q())
    else:
        province = access.province_to_work_on(request, "view_contacts")
        agencies = province.agencies.all()
    agencies = agencies.filter(active=True)
    round_ = None
    round_id = request.GET.get("round", "")
    if round_id.isdigit():
        round_ = apps.get_model("cycles", "Round").objects.filter(pk=int(round_id), province=province).first()
        if round_ is not None:
            agencies = agencies.filter(participations__round=round_)
    everyone = selectors.agency_contacts(agencies.distinct())
    labels = dict(_state_labels())
    for row in everyone:
        for contact in row.admins + row.executives:
            contact.state_label = labels.get(contact.invitation_state, "")
    show = request.GET.get("show", "missing")
    if show == "unreachable":
        rows = [r for r in everyone if not r.reachable]
    elif show == "all":
        rows = everyone
    else:
        show, rows = "missing", [r for r in everyone if not r.complete]
    return render(request, "accounts/people/contacts.html", {
        "office": office, "province": province, "round": round_, "rows": rows, "show": show,
        "total": len(everyone), "missing": sum(1 for r in everyone if not r.complete),
        "unreachable": sum(1 for r in everyone if not r.reachable),
        "offices": _contact_offices(request.user, province),
        "can_people": access.can(request.user, "manage_people", province),
    })

