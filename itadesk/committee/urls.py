from django.urls import path

from itadesk.committee import views

app_name = "committee"
urlpatterns = [
    path("", views.members, name="members"),
    path("members/new/", views.member_edit, name="member_new"),
    path("members/<int:member_id>/", views.member_edit, name="member_edit"),
    path("members/<int:member_id>/move/", views.member_move, name="member_move"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_edit, name="meeting_new"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/minutes/", views.minutes_print, name="minutes"),
    path("meetings/<int:meeting_id>/minutes/<str:action>/", views.minutes_action, name="minutes_action"),
    path("meetings/<int:meeting_id>/items/new/", views.item_edit, name="item_new"),
    path("meetings/<int:meeting_id>/items/<int:item_id>/", views.item_edit, name="item_edit"),
    path("meetings/<int:meeting_id>/items/<int:item_id>/delete/", views.item_delete, name="item_delete"),
    path("meetings/<int:meeting_id>/items/<int:item_id>/attachments/", views.attachment_add,
         name="attachment_add"),
    path("meetings/<int:meeting_id>/attachments/<int:attachment_id>/", views.attachment_file,
         name="attachment_file"),
    path("meetings/<int:meeting_id>/attachments/<int:attachment_id>/delete/", views.attachment_delete,
         name="attachment_delete"),
    path("meetings/<int:meeting_id>/attendance/new/", views.attendance_edit, name="attendance_new"),
    path("meetings/<int:meeting_id>/attendance/<int:attendance_id>/", views.attendance_edit,
         name="attendance_edit"),
    path("meetings/<int:meeting_id>/attendance/<int:attendance_id>/delete/", views.attendance_delete,
         name="attendance_delete"),
    path("meetings/<int:meeting_id>/attendance/all-present/", views.attendance_all_present,
         name="attendance_all_present"),
]
