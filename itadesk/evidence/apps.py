from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from itadesk.core import versions


def _item_scopes(item) -> list[str]:
    return [f"round:{item.round_id}", f"agency:{item.agency_id}"]


def _of_item(obj) -> list[str]:
    return _item_scopes(obj.item)


class EvidenceConfig(AppConfig):
    name = "itadesk.evidence"
    label = "evidence"
    verbose_name = _("OIT evidence")

    def ready(self):
        # The writes of deadline day bump the round and the agency of the item (core.versions), not every
        # cached page: items, their log, the reviewers' decisions and the checker's snapshots and findings.
        versions.track("evidence.EvidenceItem", _item_scopes)
        for label in ("evidence.EvidenceEvent", "evidence.ElementDecision", "evidence.Snapshot", "evidence.Finding"):
            versions.track(label, _of_item)
