from django.urls import path

from itadesk.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_edit, name="project_new"),
    path("<int:project_id>/", views.project_detail, name="project"),
    path("<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("<int:project_id>/project.pdf", views.project_pdf, name="project_pdf"),
    path("<int:project_id>/lines/new/", views.line_edit, name="line_new"),
    path("<int:project_id>/lines/<int:line_id>/", views.line_edit, name="line_edit"),
    path("<int:project_id>/lines/<int:line_id>/delete/", views.line_delete, name="line_delete"),
    path("<int:project_id>/spending/new/", views.spending_new, name="spending_new"),
    path("<int:project_id>/spending/<int:spending_id>/receipt/", views.receipt, name="receipt"),
    path("<int:project_id>/events/new/", views.event_edit, name="event_new"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
    path("events/<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:event_id>/sessions/new/", views.session_edit, name="session_new"),
    path("events/<int:event_id>/sessions/<int:session_id>/", views.session_edit, name="session_edit"),
    path("events/<int:event_id>/sessions/<int:session_id>/delete/", views.session_delete, name="session_delete"),
    path("events/<int:event_id>/invite/", views.invite, name="invite"),
    path("events/<int:event_id>/invitations/<int:invitation_id>/quota/", views.quota, name="quota"),
    path("events/<int:event_id>/invitations/<int:invitation_id>/delete/", views.uninvite, name="uninvite"),
    path("events/<int:event_id>/register/", views.register, name="register"),
    path("events/<int:event_id>/registrations/<int:registration_id>/cancel/", views.registration_cancel,
         name="registration_cancel"),
    path("events/<int:event_id>/tickets.pdf", views.tickets, name="tickets"),
    path("events/<int:event_id>/desk/", views.desk, name="desk"),
    path("events/<int:event_id>/registrations/<int:registration_id>/checkin/", views.desk_checkin,
         name="desk_checkin"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("events/<int:event_id>/attendance/", views.attendance, name="attendance"),
    path("events/<int:event_id>/attendance.<str:fmt>", views.attendance_export, name="attendance_export"),
    path("events/<int:event_id>/outcome/", views.outcome, name="outcome"),
]
