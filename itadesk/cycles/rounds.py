"""The right round everywhere: where a user lands in a round, what the round switcher offers, and the page
an agency user gets for a round their agency does not take part in (instead of a bare 404).

- ``landings(user, rounds)``: for each round, the page the user starts from there (the province dashboard
  for the secretariat, the office's dashboard for an office, the agency's progress page for an agency in
  the round), or None when the user has nothing to see in it.
- ``switcher(request)``: on a page whose URL has a ``round_id``, the province's rounds the user can use with,
  for each, the same kind of page (same URL name, other round id) when that exists there, else the landing.
- ``NotInRound``: raised by views for an agency that the user may see but that is not in the round of the
  URL; ``NotInRoundMiddleware`` turns it into ``not_in_round_response``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from itadesk.accounts import access
from itadesk.core import versions
from itadesk.core.compiled import Compiled, attnames, instances
from itadesk.cycles.models import Participation, Round
from itadesk.registry.models import Agency, District, Province, SupervisingOffice

# URL arguments that mean the same thing in every round of a province; any other ``*_id`` (a milestone,
# a questionnaire, a job…) belongs to one round, so the switcher sends the user to the landing instead.
PORTABLE_IDS = {"round_id", "agency_id", "office_id"}


class NotInRound(Http404):
    """An agency (that the user may see) does not take part in the round of the URL."""

    def __init__(self, round: Round, agency: Agency | None = None):
        super().__init__(f"agency {getattr(agency, 'pk', None)} is not in round {round.pk}")
        self.round = round
        self.agency = agency


def round_or_404(round_id):
    """The round of the URL, with its province and framework (without the framework's file and data, 200 KB
    read and decoded on every page otherwise: ``methodology.models.framework_data`` has them, cached). Kept
    under the data versions with the page cache on (``versions.kept``: rounds, provinces and frameworks are
    under "global")."""
    try:
        pk = int(round_id)
    except (TypeError, ValueError):
        raise Http404("no such round") from None
    round = versions.kept("round", [pk], [], lambda: (
        Round.objects.select_related("province", "framework").defer("framework__data", "framework__source_text")
        .filter(pk=pk).first()))
    if round is None:
        raise Http404("no such round")
    return round


def office_or_404(round, office_id) -> SupervisingOffice:
    """The supervising office of the URL, in the round's province, with its oversight rules (a queue and a
    dashboard filter by them: ``agency_q``): 404 otherwise. Kept under the data versions with the page cache on,
    as the round is (offices and their rules are under "global")."""
    try:
        pk = int(office_id)
    except (TypeError, ValueError):
        raise Http404("no such office") from None
    office = versions.kept("office", [pk, round.province_id], [], lambda: (
        SupervisingOffice.objects.filter(pk=pk, province_id=round.province_id).prefetch_related("rules").first()))
    if office is None:
        raise Http404("no such office")
    return office


def participant_or_404(user, round, agency_id) -> Agency:
    """The agency of the URL, when the user may see it and it is in the round's province: 404 otherwise, and
    ``NotInRound`` (a 404 that says so) when it does not take part in the round. Kept under the data versions
    with the page cache on, for the user (whose scope says what they may see), the round and the agency."""
    try:
        pk = int(agency_id)
    except (TypeError, ValueError):
        raise Http404("no such agency") from None
    agency = versions.kept("participant", [user.pk, user.is_superuser, round.pk, round.province_id, pk], [],
                           lambda: _participant(user, round, pk))
    if agency is None:
        raise Http404("no such agency")
    if not agency._in_round:
        raise NotInRound(round, agency)
    return agency


# The agency of a URL with its district, province and whether it takes part in the round: one query whose shape
# never changes, built by the ORM once per process (core.compiled), the instances made as select_related makes them.
_AGENCY, _DISTRICT, _PROVINCE = attnames(Agency), attnames(District), attnames(Province)
_PARTICIPANT = Compiled(lambda agency_id, province_id, round_id: (
    Agency.objects.filter(pk=agency_id, province_id=province_id)
    .annotate(in_round=Exists(Participation.objects.filter(round_id=round_id, agency=OuterRef("pk"))))
    .values_list(*_AGENCY, *(f"district__{name}" for name in _DISTRICT), *(f"province__{name}" for name in _PROVINCE),
                 "in_round")))


def _participant(user, round, agency_id) -> Agency | None:
    """The agency of the round's province with its district and province and ``_in_round``, when it is one of
    ``access.agencies_for(user)``: decided in memory from the user's scope (``access.can_see_agency``, its
    oversight rules read with it), so that the query is the agency's alone (a reviewer opens a new agency with
    nearly every item)."""
    rows = _PARTICIPANT.rows(model=Agency, agency_id=agency_id, province_id=round.province_id, round_id=round.pk)
    if not rows:
        return None
    row = rows[0]
    agency = instances(Agency, _AGENCY, rows)[0]
    start = len(_AGENCY)
    district = instances(District, _DISTRICT, rows, start=start)[0] if row[start] is not None else None
    Agency.district.field.set_cached_value(agency, district)
    Agency.province.field.set_cached_value(agency, instances(Province, _PROVINCE, rows,
                                                             start=start + len(_DISTRICT))[0])
    agency._in_round = row[-1]
    return agency if access.can_see_agency(user, agency) else None


def landings(user, rounds) -> dict[int, str | None]:
    """Round id → the URL the user starts from in that round (None: nothing there for this user).
    Two queries whatever the number of rounds."""
    rounds = list(rounds)
    scope = access.scope_for(user)
    province_ids = {r.province_id for r in rounds}
    offices = {}
    if scope.office_ids:
        for office in SupervisingOffice.objects.filter(pk__in=scope.office_ids, province_id__in=province_ids):
            offices.setdefault(office.province_id, office)  # the model's order, as the home page always did
    in_round = {}
    if scope.agency_ids:
        for round_id, agency_id in (Participation.objects.filter(round__in=rounds, agency_id__in=scope.agency_ids)
                                    .order_by("agency_id").values_list("round_id", "agency_id")):
            in_round.setdefault(round_id, agency_id)
    result = {}
    for r in rounds:
        if scope.superuser or r.province_id in scope.province_ids:
            result[r.pk] = reverse("round_dashboard", args=[r.pk])
        elif r.province_id in offices:
            result[r.pk] = reverse("office_dashboard", args=[r.pk, offices[r.province_id].pk])
        elif r.pk in in_round:
            result[r.pk] = reverse("agency_progress", args=[r.pk, in_round[r.pk]])
        else:
            result[r.pk] = None
    return result


def landing_url(user, round: Round) -> str | None:
    return landings(user, [round])[round.pk]


@dataclass
class Choice:
    round: Round
    url: str
    selected: bool
    is_current: bool
    is_past: bool


def _same_page(view_name: str, kwargs: dict, round: Round) -> str | None:
    try:
        return reverse(view_name, kwargs={**kwargs, "round_id": round.pk})
    except NoReverseMatch:
        return None


def _province_rounds(round_id) -> list[Round]:
    try:
        pk = int(round_id)
    except (TypeError, ValueError):
        return []
    return versions.kept("province-rounds", [pk], [], lambda: list(
        Round.objects.filter(province_id=Subquery(Round.objects.filter(pk=pk).values("province_id")[:1]))
        .order_by("-fiscal_year")))


def switcher(request) -> dict | None:
    """The round switcher of a round page, or None (not a round page, not logged in, one round only)."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or "round_id" not in match.kwargs or not getattr(user, "is_authenticated", False):
        return None
    # The rounds of the shown round's province, in one query (most provinces have one round: nothing to show),
    # kept under the data versions with the page cache on.
    rounds = _province_rounds(match.kwargs["round_id"])
    shown = next((r for r in rounds if str(r.pk) == str(match.kwargs["round_id"])), None)
    if shown is None or len(rounds) < 2:
        return None
    landing = landings(user, rounds)
    kwargs = dict(match.kwargs)
    portable = not any(k.endswith("_id") and k not in PORTABLE_IDS for k in kwargs)
    agency_rounds = None
    if portable and kwargs.get("agency_id"):
        agency_rounds = set(Participation.objects.filter(agency_id=kwargs["agency_id"], round__in=rounds)
                            .values_list("round_id", flat=True))
    current = next((r for r in rounds if r.is_current), rounds[0])
    choices = []
    for r in rounds:
        selected = r.pk == shown.pk
        url = request.get_full_path() if selected else None
        if url is None and portable and (agency_rounds is None or r.pk in agency_rounds):
            url = _same_page(match.view_name, kwargs, r)
        url = url or landing[r.pk]
        if url is None:
            continue  # e.g. an agency user's agency is not in that round
        choices.append(Choice(round=r, url=url, selected=selected, is_current=r.pk == current.pk,
                              is_past=r.fiscal_year < current.fiscal_year))
    selected = next((c for c in choices if c.selected), None)
    if selected is None or len(choices) < 2:
        return None
    return {"choices": choices, "selected": selected}


def not_in_round_response(request, round: Round, agency: Agency | None = None, *, status: int = 404):
    """The page for an agency that is not in ``round``: says so and links to the rounds it is in (the same
    kind of page there when the URL allows it). ``agency`` None: the user's own agencies."""
    scope = access.scope_for(request.user)
    agencies = [agency] if agency is not None else list(
        Agency.objects.filter(pk__in=scope.agency_ids).order_by("name_th"))
    participations = (Participation.objects.filter(agency__in=agencies).select_related("round")
                      .order_by("-round__fiscal_year"))
    match = getattr(request, "resolver_match", None)
    kwargs = dict(match.kwargs) if match and "round_id" in match.kwargs else None
    rows = []
    for a in agencies:
        links = []
        for p in participations:
            if p.agency_id != a.pk:
                continue
            url = None
            if kwargs is not None and not any(k.endswith("_id") and k not in PORTABLE_IDS for k in kwargs):
                url = _same_page(match.view_name, kwargs, p.round)
            links.append((p.round, url or reverse("agency_progress", args=[p.round_id, a.pk])))
        rows.append((a, links))
    return render(request, "cycles/not_in_round.html", {"round": round, "rows": rows}, status=status)


class NotInRoundMiddleware:
    """Turns ``NotInRound`` raised by any view into the page that says so (status 404, never a bare one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotInRound):
            return not_in_round_response(request, exception.round, exception.agency)
        return None
