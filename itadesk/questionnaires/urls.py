from django.urls import path

from itadesk.questionnaires import views

app_name = "questionnaires"

AGENCY = "rounds/<int:round_id>/agencies/<int:agency_id>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(AGENCY, views.agency, name="agency"),
    path(AGENCY + "create/", views.create, name="create"),
    path(AGENCY + "results/", views.results, name="results"),
    path("<int:questionnaire_id>/", views.detail, name="detail"),
    path("<int:questionnaire_id>/publish/", views.publish, name="publish"),
    path("<int:questionnaire_id>/close/", views.close, name="close"),
    path("<int:questionnaire_id>/tokens/", views.tokens, name="tokens"),
    path("<int:questionnaire_id>/qr.<str:fmt>", views.qr, name="qr"),
    path("<int:questionnaire_id>/export.<str:fmt>", views.export, name="export"),
]
