from django.urls import path

from itadesk.committee import views

app_name = "committee"
urlpatterns = [path("", views.members, name="members")]
