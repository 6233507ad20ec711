"""Reads for the QR pages, posters and cards, scoped by the caller (pass ``agencies_for(user)``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from itadesk.accounts import access
from itadesk.core.thai import fiscal_year_of
from itadesk.cycles.models import Milestone, Round
from itadesk.cycles.selectors import current_round
from itadesk.documents.models import DocumentRegister, IssuedDocument
from itadesk.registry.models import Agency, Province, SupervisingOffice

# The milestone whose deadline closes the IIT/EIT questionnaires (printed on posters when the round has it).
RESPONSE_MILESTONE = "iit-eit"


def round_for_agency(agency: Agency) -> Round | None:
    """The current round of the agency's province (the newest one when none is marked current)."""
    return current_round([agency.province_id])


def fiscal_year(round: Round | None) -> int:
    return round.fiscal_year if round is not None else fiscal_year_of(timezone.now())


def response_deadline(round: Round | None) -> dt.datetime | None:
    if round is None:
        return None
    return (Milestone.objects.filter(round=round, code=RESPONSE_MILESTONE)
            .values_list("deadline", flat=True).first())


def bulk_agencies(round: Round, agencies: QuerySet[Agency], *, office: SupervisingOffice | None = None,
                  kind: str = "") -> list[Agency]:
    """The round's participants among ``agencies`` (what the user sees), optionally only those an office
    follows or of one kind, in registry order (district, kind, name)."""
    qs = agencies.filter(province_id=round.province_id, participations__round=round)
    if office is not None:
        qs = qs.filter(office.agency_q())
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.select_related("district").order_by("district__geocode", "kind", "name_th", "pk").distinct())


# --- official letters, registers, templates, share links --------------------------------------------------

def document_province_ids(user, action: str = "view_issued_documents") -> set[int]:
    """Provinces whose letters the user may read (``view_issued_documents``) or write (``manage_documents``)."""
    return {pid for pid in access.province_ids_for(user) if access.can(user, action, Province(pk=pid))}


def registers_for(user):
    return (DocumentRegister.objects.filter(province_id__in=document_province_ids(user))
            .select_related("province").order_by("province", "-is_active", "prefix", "id"))


def documents_for(user):
    """Letters the user may read: all of the provinces they keep; only issued ones elsewhere."""
    from django.db.models import Q

    keeps = document_province_ids(user, "manage_documents")
    reads = document_province_ids(user)
    return (IssuedDocument.objects
            .filter(Q(province_id__in=keeps) | Q(province_id__in=reads, status=IssuedDocument.Status.ISSUED))
            .select_related("register", "province", "meeting"))


def document_for(user, document_id):
    from django.http import Http404

    try:
        return documents_for(user).get(pk=document_id)
    except IssuedDocument.DoesNotExist:
        raise Http404 from None
