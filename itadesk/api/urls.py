from django.urls import path

from itadesk.api import views
from itadesk.api.api import api

app_name = "api"
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke, name="revoke"),
    path("v1/docs/", views.docs, name="docs"),
    path("v1/", views.root, name="root"),  # before ninja's own (empty) root, which answered the HTML 404
    path("v1/", api.urls),
    # Anything else under /api/v1/ answers as the API does (JSON 404), not with the HTML error page.
    path("v1/<path:rest>", views.not_found, name="not_found"),
]
