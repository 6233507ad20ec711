from django.urls import path

from itadesk.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("<int:report_id>/", views.report_detail, name="detail"),
    path("<int:report_id>/issue/", views.report_issue, name="issue"),
    path("<int:report_id>/delete/", views.report_delete, name="delete"),
    path("<int:report_id>/<str:fmt>/", views.report_file, name="file"),
]
