from django.urls import path

from itadesk.evidence import views

app_name = "evidence"

AGENCY = "rounds/<int:round_id>/agencies/<int:agency_id>/"
OFFICE = "rounds/<int:round_id>/offices/<int:office_id>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(AGENCY, views.workspace, name="workspace"),
    path(AGENCY + "items/<str:code>/", views.item, name="item"),
    path(AGENCY + "items/<str:code>/withdraw/", views.withdraw, name="withdraw"),
    path(AGENCY + "items/<str:code>/review/", views.review, name="review"),
    path(AGENCY + "approve/", views.approve, name="approve"),
    path(AGENCY + "submit/", views.submit, name="submit"),
    path(AGENCY + "check/", views.check_agency, name="check_agency"),
    path(AGENCY + "export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(AGENCY + "export.pdf", views.export_pdf, name="export_pdf"),
    path(AGENCY + "print/", views.print_view, name="print"),
    path(AGENCY + "snapshots/<int:snapshot_id>/", views.snapshot, name="snapshot"),
    path(AGENCY + "snapshots/<int:snapshot_id>/file", views.snapshot_file, name="snapshot_file"),
    path(OFFICE + "queue/", views.queue, name="queue"),
    path(OFFICE + "check/", views.check_office, name="check_office"),
    path(OFFICE + "examples/", views.examples, name="examples"),
    path(OFFICE + "examples/<int:example_id>/delete/", views.example_delete, name="example_delete"),
    path("rounds/<int:round_id>/queues/", views.queues, name="queues"),
    path("rounds/<int:round_id>/check/", views.check_province, name="check_province"),
    path("rounds/<int:round_id>/jobs/<int:job_id>/", views.job, name="job"),
]
