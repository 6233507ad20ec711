from django.urls import path, re_path

from itadesk.methodology import views

app_name = "methodology"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("heatmap/", views.heatmap, name="heatmap"),
    path("needs-help/", views.needs_help, name="needs_help"),
    re_path(r"^export/(?P<which>failing|oit-low|needs-help)\.(?P<fmt>xlsx|csv)$", views.export_list,
            name="export_list"),
    path("groups/", views.target_groups, name="target_groups"),
    path("groups/<int:group_id>/", views.target_group, name="target_group"),
    path("groups/<int:group_id>/delete/", views.target_group_delete, name="target_group_delete"),
    path("results/import/", views.results_import, name="results_import"),
    re_path(r"^results/export\.(?P<fmt>xlsx|csv)$", views.results_export, name="results_export"),
    path("agencies/<int:agency_id>/", views.agency_results, name="agency_results"),
    path("calculator/", views.calculator, name="calculator"),
]
