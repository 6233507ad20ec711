from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from itadesk.core import versions


def _of_item(obj) -> list[str]:
    """An item's log, decisions, snapshots and findings: its round and agency (no cached page that reads the
    round's "review" scope shows them)."""
    return [f"round:{obj.item.round_id}", f"agency:{obj.item.agency_id}"]


class EvidenceConfig(AppConfig):
    name = "itadesk.evidence"
    label = "evidence"
    verbose_name = _("OIT evidence")

    def ready(self):
        # The writes of deadline day bump the round and the agency of the item (core.versions), not every
        # cached page: items, their log, the reviewers' decisions and the checker's snapshots and findings.
        # An item's own write also bumps the round's "review" scope when the row is or was past the agency's
        # draft (``models.item_scopes``): a draft saved as a draft leaves the queues and dashboards cached.
        from django.db.models.signals import pre_save

        from itadesk.evidence import models

        pre_save.connect(models.state_before_save, sender=models.EvidenceItem,
                         dispatch_uid="itadesk.evidence.state_before_save")
        versions.track("evidence.EvidenceItem", models.item_scopes)
        for label in ("evidence.EvidenceEvent", "evidence.ElementDecision", "evidence.Snapshot", "evidence.Finding"):
            versions.track(label, _of_item)
