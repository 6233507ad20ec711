from django.urls import path

from itadesk.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("line/code/", views.line_code, name="line_code"),
    path("line/unlink/", views.line_unlink, name="line_unlink"),
    path("outbox/", views.outbox, name="outbox"),
    path("<int:notification_id>/retry/", views.retry, name="retry"),
    path("line/settings/", views.line_settings, name="line_settings"),
    path("offices/<int:office_id>/line/", views.office_line, name="office_line"),
    path("offices/<int:office_id>/line/code/", views.office_line_code, name="office_line_code"),
    path("offices/<int:office_id>/line/unlink/", views.office_line_unlink, name="office_line_unlink"),
]
