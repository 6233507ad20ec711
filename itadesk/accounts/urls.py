from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from itadesk.accounts import login

app_name = "accounts"
urlpatterns = [
    path("login/", login.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", login.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done")), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete")), name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"), name="password_reset_complete"),
    path("password/change/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("home")), name="password_change"),
]

from itadesk.accounts import twofactor_views, views  # noqa: E402

urlpatterns += [
    path("people/", views.people, name="people"),
    path("people/import/", views.people_import, name="people_import"),
    path("people/<int:user_id>/", views.person, name="person"),
    path("people/<int:user_id>/resend/", views.person_resend, name="person_resend"),
    path("people/<int:user_id>/active/", views.person_active, name="person_active"),
    path("people/contacts/", views.contacts, name="province_contacts"),
    path("people/offices/<int:office_id>/contacts/", views.contacts, name="office_contacts"),
    path("invitation/<uidb64>/<token>/", views.invitation, name="invitation"),
    # two-step sign-in (itadesk/accounts/twofactor.py)
    path("login/code/", twofactor_views.login_code, name="login_code"),
    path("two-step/", twofactor_views.two_factor, name="two_factor"),
    path("two-step/setup/", twofactor_views.two_factor_setup, name="two_factor_setup"),
    path("two-step/codes/", twofactor_views.two_factor_codes, name="two_factor_codes"),
    path("two-step/off/", twofactor_views.two_factor_off, name="two_factor_off"),
    path("people/<int:user_id>/two-step/reset/", twofactor_views.person_reset, name="person_2fa_reset"),
]
