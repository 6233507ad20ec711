"""ITAS questionnaire links and QR codes: an agency's page (preview, PNG/SVG, A4 poster, counter cards)
and the bulk page of the secretariat and the offices (one PDF for every agency they see, one page per
agency). Agencies are fetched through ``access.agencies_for(user)`` (out of scope: 404) and every page
asks ``access.can`` (403)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from itadesk.accounts import access
from itadesk.core import downloads
from itadesk.core.thai import thai_digits
from itadesk.cycles.models import Round
from itadesk.cycles.rounds import round_or_404
from itadesk.cycles.selectors import current_round
from itadesk.documents import posters, qr, selectors
from itadesk.registry.models import Agency, AgencyKind, SupervisingOffice

AGENCY_FILES = {"qr.png": "image/png", "qr.svg": "image/svg+xml", "poster.pdf": "application/pdf",
                "card.pdf": "application/pdf"}
BULK_FILES = {"poster.pdf": "poster", "card.pdf": "card"}
PNG_SCALE = 12  # pixels per module: about 450 px for an ITAS link, sharp enough for LINE and web pages


def _instrument(instrument: str) -> str:
    if instrument not in qr.INSTRUMENTS:
        raise Http404
    return instrument


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "agency"


def _attachment(body, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    downloads.attach(response, filename)
    return response


def _agency(request, agency_id) -> Agency:
    agency = get_object_or_404(access.agencies_for(request.user).select_related("province", "district"),
                               pk=agency_id)
    access.require(request.user, "view_itas_qr", agency)
    return agency


def _instrument_label(instrument: str) -> str:
    labels = {"iit": _("Internal stakeholders' questionnaire (IIT)"),
              "eit": _("External stakeholders' questionnaire (EIT)")}
    return labels[instrument]


def _audience_label(instrument: str) -> str:
    labels = {"iit": _("For the agency's own staff who have worked there for at least one year."),
              "eit": _("For people, businesses and other agencies that used the agency's services or contacted it.")}
    return labels[instrument]


@login_required
def home(request):
    """The QR page of the user's role: the bulk page of the current round, or the agency's own page."""
    round = current_round(access.province_ids_for(request.user))
    if round is not None and access.can(request.user, "print_itas_qr_bulk", round):
        return redirect("documents:bulk", round_id=round.pk)
    scope = access.scope_for(request.user)
    agency = Agency.objects.filter(pk__in=scope.agency_ids).order_by("pk").first()
    if agency is not None:
        return redirect("documents:agency_qr", agency_id=agency.pk)
    if round is None:
        return render(request, "cycles/no_round.html")
    raise PermissionDenied


@login_required
def agency_qr(request, agency_id):
    agency = _agency(request, agency_id)
    round = selectors.round_for_agency(agency)
    code = (agency.itas_code or "").strip()
    instruments = []
    if code:
        for instrument in qr.INSTRUMENTS:
            url = qr.itas_url(code, instrument)
            instruments.append({
                "code": instrument, "label": _instrument_label(instrument), "audience": _audience_label(instrument),
                "url": url,
                # segno's own SVG of our own link: no user text in it
                "svg": mark_safe(qr.qr_svg(url, scale=6)),
                "downloads": [(label, reverse("documents:agency_download", args=[agency.pk, instrument, name]))
                              for name, label in (("poster.pdf", _("A4 poster (PDF)")),
                                                  ("card.pdf", _("Counter cards, 4 per A4 (PDF)")),
                                                  ("qr.png", _("QR code (PNG)")), ("qr.svg", _("QR code (SVG)")))],
            })
    return render(request, "documents/agency_qr.html", {
        "agency": agency, "round": round, "fiscal_year": selectors.fiscal_year(round), "instruments": instruments,
        "can_bulk": round is not None and access.can(request.user, "print_itas_qr_bulk", round),
    })


@login_required
def agency_download(request, agency_id, instrument, filename):
    agency = _agency(request, agency_id)
    instrument = _instrument(instrument)
    if filename not in AGENCY_FILES:
        raise Http404
    code = (agency.itas_code or "").strip()
    if not code:
        messages.error(request, _("%(agency)s has no ITAS code in the registry, so it has no questionnaire link yet.")
                       % {"agency": agency.name_th})
        return redirect("documents:agency_qr", agency_id=agency.pk)
    url = qr.itas_url(code, instrument)
    stem = f"itas-{instrument}-{_safe(code)}"
    if filename == "qr.png":
        return _attachment(qr.qr_png(url, scale=PNG_SCALE), AGENCY_FILES[filename], f"{stem}.png")
    if filename == "qr.svg":
        return _attachment(qr.qr_svg(url), AGENCY_FILES[filename], f"{stem}.svg")
    round = selectors.round_for_agency(agency)
    page = posters.page(agency_name=agency.name_th, itas_code=code, instrument=instrument,
                        fiscal_year=selectors.fiscal_year(round), deadline=selectors.response_deadline(round))
    layout = filename.removesuffix(".pdf")
    return _attachment(posters.layout_pdf(layout, [page]), "application/pdf", f"{stem}-{layout}.pdf")


def _bulk_round(request, round_id) -> Round:
    round = round_or_404(round_id)
    access.require(request.user, "print_itas_qr_bulk", round)
    return round


def _bulk_filters(request, round: Round) -> tuple[list[SupervisingOffice], SupervisingOffice | None, str]:
    offices = list(access.offices_for(request.user).filter(province_id=round.province_id))
    office = None
    office_id = request.GET.get("office", "")
    if office_id.isdigit():
        office = next((o for o in offices if o.pk == int(office_id)), None)
    kind = request.GET.get("kind", "")
    if kind not in AgencyKind.values:
        kind = ""
    return offices, office, kind


@login_required
def bulk(request, round_id):
    round = _bulk_round(request, round_id)
    offices, office, kind = _bulk_filters(request, round)
    agencies = selectors.bulk_agencies(round, access.agencies_for(request.user), office=office, kind=kind)
    with_code = [a for a in agencies if (a.itas_code or "").strip()]
    skipped = [a for a in agencies if not (a.itas_code or "").strip()]
    query = request.GET.urlencode()
    downloads = [
        (instrument, _instrument_label(instrument),
         [(label, reverse("documents:bulk_download", args=[round.pk, instrument, name]) + (f"?{query}" if query else ""))
          for name, label in (("poster.pdf", _("A4 posters (PDF)")), ("card.pdf", _("Counter cards (PDF)")))])
        for instrument in qr.INSTRUMENTS
    ]
    return render(request, "documents/bulk.html", {
        "round": round, "fiscal_year_th": thai_digits(round.fiscal_year), "offices": offices, "office": office,
        "kind": kind, "kinds": AgencyKind.choices, "agencies": with_code, "skipped": skipped,
        "downloads": downloads if with_code else [],
    })


@login_required
def bulk_download(request, round_id, instrument, filename):
    round = _bulk_round(request, round_id)
    instrument = _instrument(instrument)
    if filename not in BULK_FILES:
        raise Http404
    _offices, office, kind = _bulk_filters(request, round)
    agencies = selectors.bulk_agencies(round, access.agencies_for(request.user), office=office, kind=kind)
    plan = posters.plan(agencies, instrument=instrument, fiscal_year=round.fiscal_year,
                        deadline=selectors.response_deadline(round))
    back = reverse("documents:bulk", args=[round.pk]) + (f"?{request.GET.urlencode()}" if request.GET else "")
    if not plan.pages:
        messages.error(request, _("No agency in this list has an ITAS code, so there is nothing to print."))
        return redirect(back)
    layout = BULK_FILES[filename]
    name = f"itas-{instrument}-{layout}s-{round.fiscal_year}" + (f"-{office.code}" if office else "") + ".pdf"
    response = _attachment(posters.layout_pdf(layout, plan.pages), "application/pdf", name)
    response["X-Itadesk-Pages"] = str(len(plan.pages))
    response["X-Itadesk-Skipped"] = str(len(plan.skipped))
    return response
