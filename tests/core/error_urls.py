"""The site's URLs plus views that fail, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from itadesk.urls import handler403, handler404, handler500  # noqa: F401
from itadesk.urls import urlpatterns as site


def boom(request):
    raise RuntimeError("the database is on fire")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [path("boom/", boom), path("forbidden/", forbidden), *site]
