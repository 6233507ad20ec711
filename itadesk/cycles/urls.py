from django.urls import path

from itadesk.cycles import round_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("national/", views.national, name="national"),
    path("rounds/<int:round_id>/", views.round_dashboard, name="round_dashboard"),
    path("rounds/<int:round_id>/offices/<int:office_id>/", views.office_dashboard, name="office_dashboard"),
    path("rounds/<int:round_id>/offices/<int:office_id>/agencies/", views.office_agencies, name="office_agencies"),
    path("rounds/<int:round_id>/agencies/<int:agency_id>/", views.agency_progress, name="agency_progress"),
    path("rounds/<int:round_id>/agencies/<int:agency_id>/milestones/<int:milestone_id>/",
         views.set_progress, name="set_progress"),
    path("rounds/<int:round_id>/milestones/", views.milestone_list, name="milestone_list"),
    path("rounds/<int:round_id>/milestones/new/", views.milestone_edit, name="milestone_new"),
    path("rounds/<int:round_id>/milestones/<int:milestone_id>/", views.milestone_edit, name="milestone_edit"),
    path("rounds/<int:round_id>/milestones/<int:milestone_id>/delete/", views.milestone_delete,
         name="milestone_delete"),
    path("rounds/<int:round_id>/public/", views.toggle_public, name="toggle_public"),
    path("rounds/<int:round_id>/progress/import/", views.progress_import, name="progress_import"),
    path("rounds/<int:round_id>/progress/export.xlsx", views.progress_export, name="progress_export"),
    path("rounds/new/", round_views.round_new, name="round_new"),
    path("rounds/<int:round_id>/settings/", round_views.round_settings, name="round_settings"),
    path("rounds/<int:round_id>/participants/", round_views.round_participants, name="round_participants"),
    path("holidays/", round_views.holidays, name="holidays"),
    path("public/rounds/<int:round_id>/", views.public_dashboard, name="public_dashboard"),
]
