from django.contrib import admin
from django.urls import include, path

from itadesk.core.admin_site import superuser_only_admin
from itadesk.core.health import healthz

superuser_only_admin(admin.site)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),  # public: database and job queue up (docs/deploy.md)
    path("i18n/", include("django.conf.urls.i18n")),
    path("imports/", include("itadesk.core.urls")),
    path("accounts/", include("itadesk.accounts.urls")),
    path("registry/", include("itadesk.registry.urls")),
    path("committee/", include("itadesk.committee.urls")),
    path("analysis/", include("itadesk.methodology.urls")),
    path("oit/", include("itadesk.evidence.urls")),
    path("surveys/", include("itadesk.surveys.urls")),
    path("mock/", include("itadesk.questionnaires.urls")),
    path("q/", include("itadesk.questionnaires.public_urls")),
    path("documents/", include("itadesk.documents.urls")),
    path("reports/", include("itadesk.reports.urls")),
    path("projects/", include("itadesk.projects.urls")),
    path("calendar/", include("itadesk.calendars.urls")),

    path("api/", include("itadesk.api.urls")),
    path("notifications/", include("itadesk.notifications.urls")),
    path("line/", include("itadesk.notifications.webhook_urls")),  # public: LINE's signed webhook
    path("", include("itadesk.cycles.urls")),
]

# Error pages in the user's language with the site's navigation (used when DEBUG is off).
handler403 = "itadesk.core.errors.permission_denied"
handler404 = "itadesk.core.errors.page_not_found"
handler500 = "itadesk.core.errors.server_error"
