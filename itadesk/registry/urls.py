from django.urls import path, re_path

from itadesk.registry import views

app_name = "registry"
urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/import/", views.agency_import, name="agency_import"),
    re_path(r"^agencies/export\.(?P<fmt>xlsx|csv)$", views.agency_export, name="agency_export"),
    path("agencies/itas-codes/", views.itas_fill, name="itas_fill"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:agency_id>/edit/", views.agency_edit, name="agency_edit"),
    path("offices/", views.office_list, name="office_list"),
    path("offices/<int:office_id>/", views.office_detail, name="office_detail"),
]
