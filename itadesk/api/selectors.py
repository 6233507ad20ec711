"""Reads of the API, scoped by ``accounts.access`` like the pages: which rounds a user may see, and each
object turned into the plain data of ``schemas``."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from itadesk.accounts import access
from itadesk.committee import selectors as committee_selectors
from itadesk.committee.models import ActionItem, ActionTarget
from itadesk.cycles import selectors as cycle_selectors
from itadesk.cycles.models import Progress, Round
from itadesk.evidence import selectors as evidence_selectors
from itadesk.methodology.models import AssessmentResult
from itadesk.registry.models import AgencyKind
from itadesk.surveys import selectors as survey_selectors


def rounds_for(user) -> QuerySet[Round]:
    """The rounds a user may see: every round of a province where the user is the secretariat or in an
    office; for an agency's users, the rounds their agency takes part in (as the round switcher shows)."""
    scope = access.scope_for(user)
    qs = Round.objects.select_related("province", "framework")
    if scope.superuser:
        return qs.order_by("province_id", "-fiscal_year", "id")
    provinces = set(scope.province_ids) | {scope.office_province[o] for o in scope.office_ids}
    q = Q(province_id__in=provinces) | Q(participations__agency_id__in=scope.agency_ids)
    ids = Round.objects.filter(q).values("pk")
    return qs.filter(pk__in=ids).order_by("province_id", "-fiscal_year", "id")


def round_for(user, round_id: int) -> Round:
    round = rounds_for(user).filter(pk=round_id).first()
    if round is None:
        raise Http404
    return round


def page(items, params) -> dict:
    """One page of a list or queryset: ``count`` (all), ``limit``, ``offset`` and the page's ``items``."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    return {"count": count, "limit": params.limit, "offset": params.offset,
            "items": list(items[params.offset:params.offset + params.limit])}


def _name(user) -> str | None:
    return (user.get_full_name() or user.get_username()) if user is not None else None


def round_data(r: Round) -> dict:
    return {"id": r.pk, "province_id": r.province_id, "province": r.province.name_th, "fiscal_year": r.fiscal_year,
            "name": r.name, "starts_on": r.starts_on, "ends_on": r.ends_on, "is_current": r.is_current,
            "state": r.state,
            "framework": f"{r.framework.code} v{r.framework.version}" if r.framework_id else None}


def milestone_data(m) -> dict:
    return {"id": m.pk, "code": m.code, "name_th": m.name_th, "name_en": m.name_en, "opens_at": m.opens_at,
            "deadline": m.deadline, "order": m.order}


def agencies(round: Round, user) -> list[dict]:
    rows = cycle_selectors.participants(round, access.agencies_for(user))
    extra = {a: (en, itas, web) for a, en, itas, web in round.participations.filter(
        agency_id__in=[r.id for r in rows]).values_list("agency_id", "agency__name_en", "agency__itas_code",
                                                        "agency__website")}
    labels = {k: str(label) for k, label in AgencyKind.choices}
    return [{"id": r.id, "name_th": r.name, "name_en": extra[r.id][0], "kind": r.kind,
             "kind_label": labels.get(r.kind, r.kind), "district": r.district, "itas_code": extra[r.id][1],
             "website": extra[r.id][2], "needs_coaching": r.needs_coaching} for r in rows]


def progress(round: Round, agency, now=None) -> list[dict]:
    return [{"milestone_id": m.pk, "milestone_code": m.code, "milestone_name_th": m.name_th, "deadline": m.deadline,
             "status": p.status if p else "not_started", "note": p.note if p else "",
             "done_at": p.done_at if p else None, "changed_late": bool(p and p.changed_late), "late": late,
             "updated_at": p.updated_at if p else None, "updated_by": _name(p.updated_by) if p else None}
            for m, p, late in cycle_selectors.agency_timeline(round, agency, now)]


def round_progress(round: Round, agency_rows: list[dict]) -> list[dict]:
    """Each agency of ``agency_rows`` (one page) with its status on every milestone of the round."""
    milestones = list(round.milestones.all())
    cells = {(p.agency_id, p.milestone_id): p for p in Progress.objects.filter(
        milestone__round=round, agency_id__in=[a["id"] for a in agency_rows])}
    result = []
    for a in agency_rows:
        row = []
        for m in milestones:
            p = cells.get((a["id"], m.pk))
            row.append({"milestone_id": m.pk, "status": p.status if p else "not_started",
                        "done_at": p.done_at if p else None, "changed_late": bool(p and p.changed_late)})
        result.append({"agency_id": a["id"], "agency": a["name_th"], "milestones": row})
    return result


def progress_row(round: Round, agency, milestone_id: int) -> dict:
    return next(r for r in progress(round, agency) if r["milestone_id"] == milestone_id)


def _finding(f) -> dict:
    return {"url": f.url, "code": f.code, "element_code": f.element_code, "passed": f.passed,
            "severity": f.severity, "message_th": f.message_th, "message_en": f.message_en,
            "checked_at": f.created_at}


def oit_row(row) -> dict:
    item = row.item
    return {"code": row.code, "number": row.number, "title": row.title, "data_year": row.data_year,
            "state": item.state if row.saved else "not_started", "answer": item.answer, "urls": list(item.urls),
            "explanation": item.explanation, "revision": item.revision,
            "updated_at": item.updated_at if row.saved else None, "ready": bool(item.is_ready),
            "elements": [{"code": e.code, "text": e.text, "decision": e.decision.decision if e.decision else None}
                         for e in row.elements],
            "findings": [_finding(f) for f in row.all_findings]}


def oit(round: Round, agency):
    """The agency's OIT workspace (items in ITAS order, with the checker's latest findings)."""
    return evidence_selectors.workspace(round, agency)


def oit_item(round: Round, agency, code: str) -> dict:
    ws = oit(round, agency)
    row = next((r for r in ws.rows if r.code == code), None)
    if row is None:
        raise Http404
    return oit_row(row)


def _count(rc) -> dict:
    return {"on_date": rc.on_date, "count": rc.count, "source": rc.source, "entered_by": _name(rc.entered_by)}


def response_counts(round: Round, agency) -> list[dict]:
    history = survey_selectors.agency_history(round, agency)
    minimum = survey_selectors.minimum_for(round, agency)
    result = []
    for ins in survey_selectors.instruments(round):
        rows = history.get(ins.code, [])
        result.append({"code": ins.code, "group": ins.group, "name_th": ins.name_th, "minimum": minimum.get(ins.group),
                       "latest": _count(rows[-1]) if rows else None, "history": [_count(r) for r in rows]})
    return result


def action_items(user, province_id: int | None = None) -> list[dict]:
    """The action items the user may read (the committee's readers: all agencies asked; an agency's users:
    the requests to their own agencies, not cancelled), each with the agencies asked that the user may see."""
    scope = access.scope_for(user)
    readable = committee_selectors.actions_for(user)
    asked = ActionItem.objects.filter(targets__agency_id__in=scope.agency_ids).exclude(status="cancelled")
    items = (ActionItem.objects.filter(Q(pk__in=readable.values("pk")) | Q(pk__in=asked.values("pk")))
             .select_related("office").order_by("due_date", "id"))
    if province_id is not None:
        items = items.filter(province_id=province_id)
    items = list(items)
    full = set(readable.filter(pk__in=[i.pk for i in items]).values_list("pk", flat=True))
    targets: dict[int, list] = {}
    for t in (ActionTarget.objects.filter(action__in=items).select_related("agency")
              .order_by("action_id", "agency__name_th", "id")):
        if t.action_id in full or t.agency_id in scope.agency_ids:
            targets.setdefault(t.action_id, []).append(
                {"id": t.pk, "agency_id": t.agency_id, "agency": t.agency.name_th, "status": t.status,
                 "note": t.note, "updated_at": t.updated_at})
    return [{"id": i.pk, "province_id": i.province_id, "kind": i.kind, "title": i.title, "detail": i.detail,
             "office_id": i.office_id, "office": i.office.name_th if i.office_id else None,
             "meeting_id": i.meeting_id, "due_date": i.due_date, "status": i.status,
             "targets": targets.get(i.pk, [])} for i in items]


def _score(value):
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def results(user, *, fiscal_year: int | None = None, agency_id: int | None = None) -> QuerySet[AssessmentResult]:
    """Past results (published and recomputed totals) of the agencies the user sees, in provinces where the
    user may read results."""
    provinces = access.provinces_for(user, "view_results")
    qs = AssessmentResult.objects.filter(agency__in=access.agencies_for(user))
    if provinces is not None:
        qs = qs.filter(agency__province_id__in=provinces)
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs.select_related("agency", "framework").order_by("-fiscal_year", "agency__name_th", "id")


def result_data(r: AssessmentResult) -> dict:
    return {"agency_id": r.agency_id, "agency": r.agency.name_th, "fiscal_year": r.fiscal_year,
            "framework": f"{r.framework.code} v{r.framework.version}", "total": _score(r.total),
            "published_total": _score(r.published_total), "level_code": r.level_code, "level_label": r.level_label,
            "passed": r.passed,
            "instrument_scores": {str(k): _score(v) for k, v in (r.instrument_scores or {}).items()},
            "indicator_scores": {str(k): _score(v) for k, v in (r.indicator_scores or {}).items()}}
