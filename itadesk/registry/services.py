"""Every write to the registry goes through here: one transaction, one history event per change."""

from __future__ import annotations

from django.db import transaction

from itadesk.core import audit
from itadesk.registry.models import Agency

AGENCY_FIELDS = ["name_th", "name_en", "kind", "district_id", "itas_code", "dla_code", "website",
                 "contact_name", "phone", "email", "active"]


@transaction.atomic
def save_agency(*, actor, agency: Agency, changes: dict, action: str | None = None) -> bool:
    """Apply ``changes`` (field -> value) to ``agency`` and record history. Returns True if anything
    changed. A new (unsaved) agency is created."""
    creating = agency.pk is None
    before = None if creating else audit.snapshot(agency, AGENCY_FIELDS)
    for name, value in changes.items():
        setattr(agency, name, value)
    after = audit.snapshot(agency, AGENCY_FIELDS)
    if not creating and before == after:
        return False
    agency.full_clean()
    agency.save()
    audit.record(actor=actor, action=action or ("agency.create" if creating else "agency.update"),
                 obj=agency, before=before, after=after)
    return True
