from django.urls import path

from itadesk.api import views
from itadesk.api.api import api

app_name = "api"
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke, name="revoke"),
    path("v1/docs/", views.docs, name="docs"),
    path("v1/", api.urls),
]
