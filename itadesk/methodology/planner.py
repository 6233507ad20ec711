"""The score calculator and the what-if planner behind the web pages (the engine does the maths)."""

from __future__ import annotations

from dataclasses import dataclass

from itadesk.core.thai import arabic_digits
from itadesk.methodology.analysis import agency_instrument
from itadesk.methodology.models import AssessmentResult, FrameworkVersion
from itadesk.methodology.schema import iter_items
from itadesk.scoring import engine


@dataclass
class Field:
    code: str
    label: str
    value: str = ""
    error: str = ""


def _score_input(raw: str) -> tuple[float | None, str]:
    text = arabic_digits(raw.strip())
    if not text:
        return None, ""
    try:
        value = float(text)
    except ValueError:
        return None, f"'{raw}' ไม่ใช่ตัวเลข / is not a number"
    if "," in text or not 0 <= value <= 100:
        return None, "ต้องอยู่ระหว่าง 0–100 / must be 0–100"
    return value, ""


def calculate(framework: FrameworkVersion, params) -> dict:
    """Indicator inputs (``ind-<code>`` parameters) → the engine's result for the calculator page."""
    fields, values = [], {}
    for instrument in framework.data["instruments"]:
        for indicator in instrument["indicators"]:
            code = indicator["code"]
            raw = params.get(f"ind-{code}", "")
            value, error = _score_input(raw)
            fields.append(Field(code, f"{code}. {indicator.get('name_th') or ''} ({instrument['code']})", raw, error))
            if value is not None:
                values[code] = value
    context = {"fields": fields, "result": None, "missing": []}
    if any(f.error for f in fields) or not values:
        return context
    missing = [f.code for f in fields if f.code not in values]
    if missing:
        context["missing"] = missing
        return context
    context["result"] = engine.score_from_indicators(framework.scoring_plan(), values)
    return context


def plan_for(results: list[AssessmentResult], params, *, round, ready_in_workspace: set[str]) -> dict:
    """What-if planner: last year's IIT/EIT (or the values typed in) and this year's OIT items
    ready (``ready_in_workspace``: the items answered "has" in the agency's OIT workspace for ``round``, its
    current round with a framework; or as ticked on the page) → projected total and level, and the fewest
    further OIT items that reach the pass mark. Without a round, the newest installed framework."""
    if round is not None:
        framework = round.framework
    else:
        framework = FrameworkVersion.objects.order_by("-fiscal_year", "-version").first()
    if framework is None:
        return {"planner": None}
    data = framework.data
    oit_code = agency_instrument(data)
    others = [ins["code"] for ins in data["instruments"] if ins["code"] != oit_code]
    last = results[-1] if results else None
    inputs, values, errors = [], {}, False
    for code in others:
        default = ""
        if last is not None and last.instrument_scores.get(code) is not None:
            default = f"{float(last.instrument_scores[code]):.2f}"
        raw = params.get(f"ins-{code}", default)
        value, error = _score_input(raw)
        errors = errors or bool(error)
        inputs.append(Field(code, code, raw, error))
        if value is not None:
            values[code] = value
    items = [item for ins, _ind, _sub, item in iter_items(data) if ins["code"] == oit_code]
    from_workspace = ready_in_workspace
    if "calc" in params:
        ready = set(params.getlist("ready")) if hasattr(params, "getlist") else set()
    else:
        ready = from_workspace
    planner = {"framework": framework, "inputs": inputs, "items": items, "ready": ready,
               "from_workspace": bool(from_workspace) and "calc" not in params,
               "last": last, "submitted": "calc" in params or bool(from_workspace), "outcome": None,
               "missing": []}
    missing = [f.code for f in inputs if f.code not in values]
    if planner["submitted"] and not errors:
        if missing:
            planner["missing"] = missing
        else:
            answers = {item["code"]: ("has" if item["code"] in ready else "has_not") for item in items}
            planner["outcome"] = engine.what_if_oit(framework.scoring_plan(), instruments=values,
                                                    oit_answers=answers)
    return {"planner": planner}
