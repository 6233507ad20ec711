from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from itadesk.core import pgarrays, pgdates, versions


class CoreConfig(AppConfig):
    name = "itadesk.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        versions.install()  # every write bumps the versions of the cached pages (core.versions)
        pgarrays.install()  # bulk inserts' text arrays without a regular expression per quote (core.pgarrays)
        pgdates.install()  # timestamps read by psycopg's C loader, not Django's Python one (core.pgdates)
