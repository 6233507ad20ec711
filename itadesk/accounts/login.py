"""Login and password-reset views that slow down guessing (rules in ``itadesk/core/throttle.py``); after the
password, the code step of two-step sign-in (``twofactor.py``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse
from django.utils.translation import gettext as _

from itadesk.accounts import twofactor
from itadesk.core import throttle
from itadesk.core.language import page_lang
from itadesk.core.thai import format_date


def _locked_message(until) -> str:
    return _("Too many failed logins for this user name from this computer. Try again after %(time)s, "
             "or reset your password.") % {"time": format_date(until, lang=page_lang())}


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self):
        if self.request is not None:
            until = throttle.login_locked_until(self.request, self.data.get("username", ""))
            if until is not None:
                self.locked_until = until
                raise forms.ValidationError(_locked_message(until), code="locked")
        return super().clean()


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        """After the password, the code step for a person with an authenticator (``twofactor.py``)."""
        url = super().get_success_url()
        if twofactor.has_device(self.request.user):
            return reverse("accounts:login_code") + "?" + urlencode({"next": url})
        return url

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "locked_until", None) is not None:
            response.status_code = 429
        return response


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        if not throttle.reset_allowed(self.request, form.cleaned_data["email"]):
            form.add_error(None, _("Too many password reset requests. Wait an hour, or ask the secretariat "
                                   "of your province to help."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
