from django.urls import path

from itadesk.documents import views

app_name = "documents"

urlpatterns = [
    path("qr/", views.home, name="home"),
    path("agencies/<int:agency_id>/qr/", views.agency_qr, name="agency_qr"),
    path("agencies/<int:agency_id>/qr/<slug:instrument>/<str:filename>", views.agency_download,
         name="agency_download"),
    path("rounds/<int:round_id>/qr/", views.bulk, name="bulk"),
    path("rounds/<int:round_id>/qr/<slug:instrument>/<str:filename>", views.bulk_download, name="bulk_download"),
]
