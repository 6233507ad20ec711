from django.urls import path

from itadesk.notifications import views

app_name = "line"
urlpatterns = [
    path("webhook/", views.line_webhook, name="webhook"),
]
