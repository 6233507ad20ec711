"""Hosted questionnaires in the test world: the NACC-shaped test framework (items without wording,
so the organiser supplies it) or the shipped NACC 2568 file, and published IIT/EIT questionnaires
of sao1 that are open now."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

from itadesk.methodology.services import install_framework, set_round_framework
from itadesk.questionnaires import services
from itadesk.questionnaires.models import Questionnaire
from tests.methodology.frameworks import nacc_shaped

SHIPPED_2568 = Path(__file__).resolve().parents[2] / "itadesk/methodology/frameworks/nacc-ita-2568.yaml"


def use_framework(w, which="test"):
    text = SHIPPED_2568.read_text(encoding="utf-8") if which == "2568" else nacc_shaped(fiscal_year=2568)
    fw, _ = install_framework(actor=None, text=text)
    set_round_framework(actor=None, round=w.round, framework=fw)
    w.round.refresh_from_db()
    return fw


def wording(questions) -> dict:
    return {code: f"ข้อความคำถาม {code}" for code in services.missing_wording(questions)}


def make(w, instrument="IIT", *, agency=None, publish=True, tokens=False, opens_in=-1, closes_in=240,
         actor=None) -> Questionnaire:
    """A questionnaire of sao1 (or ``agency``), open from ``opens_in`` to ``closes_in`` hours from now."""
    if w.round.framework_id is None:
        use_framework(w)
    actor = actor or w.admin_a
    q, _ = services.create_questionnaire(actor=actor, round=w.round, agency=agency or w.sao1, instrument=instrument)
    now = timezone.now()
    draft = services.draft_questions(w.round.framework.data, instrument)
    services.save_settings(actor=actor, questionnaire=q, opens_at=now + dt.timedelta(hours=opens_in),
                           closes_at=now + dt.timedelta(hours=closes_in), uses_tokens=tokens,
                           custom_texts=wording(draft))
    if publish:
        services.publish(actor=actor, questionnaire=q)
    q.refresh_from_db()
    return q


def full_answers(q: Questionnaire, pick=lambda col, i: col["options"][-1]["value"]) -> dict:
    """Answers to every column: by default the last option of each."""
    return {col["code"]: pick(col, i) for i, col in enumerate(services.columns(q.questions))}


def post_data(answers: dict) -> dict:
    return {f"a-{code}": str(value) for code, value in answers.items()}
