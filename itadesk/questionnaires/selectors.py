"""Reads of hosted questionnaires: counts against the minimum sample, flags, the mock scores by the
scoring engine and the projected total with the agency's OIT pre-check."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from itadesk.evidence.selectors import ready_in_workspace
from itadesk.methodology.analysis import agency_instrument
from itadesk.methodology.schema import iter_items
from itadesk.questionnaires import services
from itadesk.questionnaires.models import Flag, Questionnaire, Response, State
from itadesk.scoring import engine
from itadesk.surveys import selectors as surveys_selectors

COUNT_CACHE_SECONDS = 5


def minimum_of(q: Questionnaire, *, cached: bool = False) -> int | None:
    """The minimum sample of the questionnaire's respondents (None: not known yet). ``cached``: the
    public page may show a value up to a minute old."""
    key = f"questionnaires:minimum:{q.pk}"
    if cached and (hit := cache.get(key)) is not None:
        return hit or None
    try:
        value = (surveys_selectors.minimum_for(q.round, q.agency) or {}).get(q.respondents)
    except Exception:  # the minimum is advisory: a failing sample rule never blocks a page
        value = None
    if cached:
        cache.set(key, value or 0, 60)
    return value


def response_count(q: Questionnaire, *, cached: bool = False) -> int:
    """Responses stored. ``cached``: the public page's counter may be a few seconds old."""
    if not cached:
        return Response.objects.filter(questionnaire=q).count()
    key = f"questionnaires:count:{q.pk}"
    n = cache.get(key)
    if n is None:
        n = Response.objects.filter(questionnaire=q).count()
        cache.set(key, n, COUNT_CACHE_SECONDS)
    return n


def pattern_flags(q: Questionnaire) -> list[dict]:
    """Days with a burst of identical complete answer sets (a coaching or copy signal)."""
    counts = Counter((day, services.pattern_key(a))
                     for day, a in Response.objects.filter(questionnaire=q).values_list("day", "answers"))
    return sorted(({"day": day, "count": n} for (day, _k), n in counts.items() if n >= services.PATTERN_FLAG),
                  key=lambda f: (f["day"], -f["count"]))


def flags(q: Questionnaire) -> dict:
    network = [{"starts_at": f.starts_at, "count": f.count}
               for f in Flag.objects.filter(questionnaire=q, kind=Flag.Kind.NETWORK)]
    if q.state == State.PUBLISHED:
        network += services.network_flags(q)
    return {"network": network, "pattern": pattern_flags(q), "any": bool(network) or bool(pattern_flags(q))}


def anonymised_rows(q: Questionnaire) -> tuple[list[str], list[list]]:
    """Export: one column per question in the frozen order; rows sorted by their answers (never by
    arrival), ties in random order. Only released responses (``services.released_answers``): an open
    questionnaire's export changes only when k more responses have come in."""
    cols = [c["code"] for c in services.columns(q.questions)]
    rows = [[a.get(c, "") for c in cols] for a in services.released_answers(q)]
    random.SystemRandom().shuffle(rows)
    rows.sort(key=lambda r: [str(v) for v in r])
    return cols, rows


@dataclass
class InstrumentResult:
    questionnaire: Questionnaire
    code: str
    name: str
    responses: int
    minimum: int | None
    released: int = 0
    score: float | None = None
    indicators: list[tuple[str, str, float | None]] = field(default_factory=list)
    flags: dict = field(default_factory=dict)

    @property
    def reached(self) -> bool | None:
        return None if self.minimum is None else self.responses >= self.minimum


def engine_answers(plan: engine.Plan, qs: list[Questionnaire]) -> dict[str, list]:
    """The stored responses as the engine's ``answers`` (one list entry per respondent per item)."""
    answers: dict[str, list] = {}
    for q in qs:
        known = [item for item in q.questions if item["item"] in plan._item_by_code]
        for a in services.released_answers(q):
            for item in known:
                cols = item["columns"]
                if len(cols) == 1 and cols[0]["code"] == item["item"]:
                    value = a.get(item["item"])
                else:
                    value = {c["code"]: a.get(c["code"]) for c in cols}
                answers.setdefault(item["item"], []).append(value)
    return answers


def results(round, agency) -> dict:
    """Mock IIT/EIT scores per indicator, counts against the minimum, the projected total."""
    qs = list(Questionnaire.objects.filter(round=round, agency=agency).exclude(state=State.DRAFT)
              .select_related("round__framework", "agency"))
    framework = round.framework
    if framework is None:
        return {"framework": None, "instruments": [], "projection": None}
    plan = framework.scoring_plan()
    score = engine.score_agency(plan, engine_answers(plan, qs))
    by_code = {q.instrument: q for q in qs}
    instruments = []
    for ins in services.instruments_of(framework.data):
        q = by_code.get(ins["code"])
        if q is None:
            continue
        released = len(services.released_answers(q)) if q.state == State.CLOSED else q.released_count
        r = InstrumentResult(q, ins["code"], ins.get("name_th") or ins["code"], response_count(q), minimum_of(q),
                             released, score.instruments.get(ins["code"]), flags=flags(q))
        r.indicators = [(str(ind["code"]), ind.get("name_th") or "", score.indicators.get(str(ind["code"])))
                        for ind in ins["indicators"]]
        instruments.append(r)
    return {"framework": framework, "instruments": instruments, "release_k": services.release_k(),
            "projection": projection(plan, framework.data, round, agency, score)}


def projection(plan, data, round, agency, score) -> dict:
    """The total projected from the mock IIT/EIT and the OIT items the agency has ready in its OIT
    workspace (the same what-if as the planner page)."""
    oit = agency_instrument(data)
    others = {ins.code: score.instruments.get(ins.code) for ins in plan.respondent_instruments}
    lacking = [code for code, v in others.items() if v is None]
    if oit is None:
        return {"lacking": lacking, "outcome": None, "ready": 0, "oit_items": 0}
    items = [item["code"] for ins, _i, _s, item in iter_items(data) if ins["code"] == oit]
    ready = ready_in_workspace(agency, round) & set(items)
    out = {"lacking": lacking, "outcome": None, "ready": len(ready), "oit_items": len(items)}
    if not lacking:
        answers = {code: ("has" if code in ready else "has_not") for code in items}
        out["outcome"] = engine.what_if_oit(plan, instruments=others, oit_answers=answers)
    return out


def now():
    return timezone.now()
