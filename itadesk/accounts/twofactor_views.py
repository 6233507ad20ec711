"""Pages of the second factor (``twofactor.py``): the code step of sign-in, one's own set-up page (enrol,
new backup codes, turn off) and the secretariat's reset on a person's page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from itadesk.accounts import access, twofactor
from itadesk.core.forms import add_service_errors
from itadesk.core.services import Refused
from itadesk.core.views import run_service


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "autofocus": True}))


def _next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _eligible(request):
    if not twofactor.may_enrol(request.user):
        raise PermissionDenied


@login_required
def login_code(request):
    """The second step of sign-in for a person with an authenticator."""
    if request.user.is_verified() or not twofactor.has_device(request.user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor.check_code(request.user, form.cleaned_data["code"])
        except Refused as refusal:
            add_service_errors(form, refusal)
            status = 429 if twofactor.locked_until(request.user) else 200
        else:
            otp_login(request, device)
            if device.model_label().endswith("staticdevice"):
                left = twofactor.backup_left(request.user)
                messages.warning(request, _("You signed in with a backup code; %(n)s are left. Make new ones on "
                                            "your two-step sign-in page.") % {"n": left})
            return redirect(_next(request))
    return render(request, "accounts/twofactor/login_code.html", {"form": form, "next": _next(request, "")},
                  status=status)


@login_required
def two_factor(request):
    """One's own sign-in security page (linked from one's name in the menu): the password, and for those who
    may use it, whether two-step sign-in is on and what one can do."""
    return render(request, "accounts/twofactor/status.html", {
        "eligible": twofactor.may_enrol(request.user), "device": twofactor.totp_device(request.user),
        "backup_left": twofactor.backup_left(request.user), "required": twofactor.required_for(request.user),
    })


@login_required
def two_factor_setup(request):
    """Scan the QR code (or type the secret), then confirm with a code: the backup codes are shown once."""
    _eligible(request)
    if twofactor.has_device(request.user):
        return redirect("accounts:two_factor")
    device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.enrol(user=request.user, device=device, code=form.cleaned_data["code"])
        except Refused as refusal:
            add_service_errors(form, refusal)
        else:
            otp_login(request, device)
            return render(request, "accounts/twofactor/codes.html", {"codes": codes, "first": True,
                                                                     "next": _next(request, "")})
    return render(request, "accounts/twofactor/setup.html", {
        "form": form, "qr": twofactor.qr_svg(device), "secret": twofactor.secret_text(device),
        "required": twofactor.required_for(request.user), "next": _next(request, ""),
    })


@login_required
@require_POST
def two_factor_codes(request):
    """New backup codes, shown once, after a code."""
    _eligible(request)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            codes = twofactor.renew_backup_codes(user=request.user, code=form.cleaned_data["code"])
        except Refused as refusal:
            messages.error(request, refusal.text())
        else:
            return render(request, "accounts/twofactor/codes.html", {"codes": codes, "first": False})
    else:
        messages.error(request, _("Type a code from your app or a backup code."))
    return redirect("accounts:two_factor")


@login_required
@require_POST
def two_factor_off(request):
    _eligible(request)
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type a code from your app or a backup code."))
        return redirect("accounts:two_factor")
    return run_service(request, lambda: twofactor.turn_off(user=request.user, code=form.cleaned_data["code"]),
                       success=_("Two-step sign-in is off."), redirect_to="accounts:two_factor")


@login_required
@require_POST
def person_reset(request, user_id):
    """The secretariat removes a person's second factor (a lost phone)."""
    person = get_object_or_404(get_user_model(), pk=user_id)
    access.require(request.user, "reset_second_factor", person)
    return run_service(request, lambda: twofactor.reset(actor=request.user, user=person),
                       success=_("Two-step sign-in of this person was reset."),
                       redirect_to=("accounts:person", person.pk))
