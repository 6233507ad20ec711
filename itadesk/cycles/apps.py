from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from itadesk.core import versions


class CyclesConfig(AppConfig):
    name = "itadesk.cycles"
    label = "cycles"
    verbose_name = _("Cycles")

    def ready(self):
        # Progress is written on deadline day: a save bumps its round, its round's progress and its agency, not
        # every cached page.
        from itadesk.cycles.models import PROGRESS, round_scope

        versions.track("cycles.Progress", lambda p: [f"round:{p.milestone.round_id}", f"agency:{p.agency_id}",
                                                     round_scope(p.milestone.round_id, PROGRESS)])
