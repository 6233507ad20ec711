from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from itadesk.core import versions


class SurveysConfig(AppConfig):
    name = "itadesk.surveys"
    verbose_name = _("Stakeholders and IIT/EIT follow-up")

    def ready(self):
        # Models are loaded only now; cycles sits below surveys and asks through cycles.sources.
        from itadesk.cycles import sources
        from itadesk.surveys import consistency, selectors, services
        from itadesk.surveys.models import stakeholder_scopes

        sources.register(sources.MilestoneSource(
            responses_milestone=selectors.RESPONSES_MILESTONE,
            followup=selectors.followup,
            checks=consistency.checks,
            mismatches=consistency.mismatches,
            below_minimum_ids=consistency.below_minimum_ids,
            refuse_reset=services.refuse_reset_while_locked,
        ))
        # Stakeholder data is entered and approved on deadline day: a save bumps its round, its round's
        # stakeholder data and its agency only.
        versions.track("surveys.StakeholderData", stakeholder_scopes)
        # IIT/EIT response counts are entered by every agency through the collection weeks (each count bumped
        # "global" before, so every cached page of the country was computed again): the dashboards read them with
        # the stakeholder data (their follow-up and checks, cycles.views.PIECE_READS), the agency's page under its
        # agency (surveys.views._history).
        versions.track("surveys.ResponseCount", stakeholder_scopes)
