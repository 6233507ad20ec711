from django.urls import path, re_path

from itadesk.calendars import views

app_name = "calendars"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("help/", views.help_page, name="help"),
    path("mine/new/", views.user_new, name="user_new"),
    path("mine/revoke/", views.user_revoke, name="user_revoke"),
    path("offices/<int:office_id>/new/", views.office_new, name="office_new"),
    path("offices/<int:office_id>/revoke/", views.office_revoke, name="office_revoke"),
    path("agencies/<int:agency_id>/new/", views.agency_new, name="agency_new"),
    path("agencies/<int:agency_id>/revoke/", views.agency_revoke, name="agency_revoke"),
    # The secret address a calendar application subscribes to (public: the token is the permission).
    re_path(r"^(?P<token>[A-Za-z0-9_-]{16,128})\.ics$", views.feed, name="feed"),
]
