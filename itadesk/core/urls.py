from django.urls import path

from itadesk.core import import_views

app_name = "core"

urlpatterns = [
    # the owner of a background import job (any logged-in user who uploaded the file): its progress
    path("jobs/<int:job_id>/", import_views.import_job_status, name="import_job"),
]
