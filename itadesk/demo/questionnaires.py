"""Demo: published mock IIT and EIT questionnaires of ทต.นาดอกคำ with some anonymous responses.

Idempotent: an agency that already has a questionnaire of an instrument in the round is left alone.
The EIT wording of 2568 is not known, so the demo supplies placeholder wording that says so."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from itadesk.questionnaires import services
from itadesk.questionnaires.models import Questionnaire
from itadesk.registry.models import Agency

DEMO_AGENCIES = ("05420202",)   # ทต.นาดอกคำ (its admin and executive are demo accounts)
RESPONSES = {"IIT": 18, "EIT": 36}


def _pick(rng: random.Random, options: list[dict]) -> object:
    # mostly good answers, as in a typical agency: the last options of a 4-level scale, or "no" misconduct
    weights = [1] * len(options)
    weights[-1] += 4 if len(options) > 2 else 0
    return rng.choices(options, weights=weights)[0]["value"]


def load(round) -> None:
    if round is None or round.framework_id is None:
        return
    rng = random.Random(2568)
    now = timezone.now()
    for agency in Agency.objects.filter(province_id=round.province_id, dla_code__in=DEMO_AGENCIES):
        if not round.participations.filter(agency=agency).exists():
            continue
        for ins in services.instruments_of(round.framework.data):
            code = ins["code"]
            if Questionnaire.objects.filter(round=round, agency=agency, instrument=code).exists():
                continue
            q, _ = services.create_questionnaire(actor=None, round=round, agency=agency, instrument=code)
            draft = services.draft_questions(round.framework.data, code)
            texts = {c: f"(ข้อความสาธิต ไม่ใช่ข้อความทางการ) คำถามข้อ {c}" for c in services.missing_wording(draft)}
            services.save_settings(actor=None, questionnaire=q, opens_at=now - dt.timedelta(days=3),
                                   closes_at=now + dt.timedelta(days=30), uses_tokens=False, custom_texts=texts)
            services.publish(actor=None, questionnaire=q, now=now)
            q.refresh_from_db()
            cols = services.columns(q.questions)
            for n in range(RESPONSES.get(code, 10)):
                answers = {c["code"]: _pick(rng, c["options"]) for c in cols}
                services.submit_response(questionnaire=q, answers=answers, ip=f"192.0.2.{n % 3 + 1}",
                                         now=now - dt.timedelta(days=n % 3))
