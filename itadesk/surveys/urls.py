from django.urls import path

from itadesk.surveys import views

app_name = "surveys"

AGENCY = "rounds/<int:round_id>/agencies/<int:agency_id>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(AGENCY, views.agency, name="agency"),
    path(AGENCY + "stakeholders/", views.stakeholders_save, name="stakeholders_save"),
    path(AGENCY + "stakeholders/approve/", views.stakeholders_approve, name="stakeholders_approve"),
    path(AGENCY + "stakeholders/unlock/", views.stakeholders_unlock, name="stakeholders_unlock"),
    path(AGENCY + "responses/", views.responses_save, name="responses_save"),
    path("rounds/<int:round_id>/", views.followup, name="followup"),
    path("rounds/<int:round_id>/import/", views.responses_import, name="import"),
    path("rounds/<int:round_id>/followup.xlsx", views.export_province, name="export_province"),
    path("rounds/<int:round_id>/offices/<int:office_id>/followup.xlsx", views.export_office, name="export_office"),
]
