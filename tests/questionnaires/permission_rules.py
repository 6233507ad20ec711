"""Permission rules of the questionnaires URLs (merged into tests/test_permissions.py RULES)."""

from tests.permission_kit import CAST, LOGIN, NOT_SEE_SAO1, REDIRECT, SEE_SAO1, expect, only  # noqa: F401

MANAGE_SAO1 = ["secretariat", "nacc_officer", "local_officer", "admin_officer", "admin_a", "superuser"]
REVIEW_SAO1 = [*MANAGE_SAO1, "reviewer"]


def _q(w, instrument="IIT", **kw):
    """sao1's published questionnaire (once per world)."""
    from itadesk.questionnaires.models import Questionnaire
    from tests.questionnaires.qworld import make

    found = Questionnaire.objects.filter(round=w.round, agency=w.sao1, instrument=instrument).first()
    return found or make(w, instrument, **kw)


def _tokens_q(w):
    return {"questionnaire_id": _q(w, "IIT", tokens=True).pk}


def _spare_q(w):
    """A fresh published EIT for each user, since a successful close closes it."""
    from itadesk.questionnaires.models import Questionnaire
    from tests.questionnaires.qworld import make

    Questionnaire.objects.filter(round=w.round, agency=w.sao1, instrument="EIT").delete()
    return {"questionnaire_id": make(w, "EIT").pk}


def _round(w):
    from tests.questionnaires.qworld import use_framework

    if w.round.framework_id is None:
        use_framework(w)
    return {"round_id": w.round.pk, "agency_id": w.sao1.pk}


# name -> (method, kwargs(world), expected per user)
RULES = {
    "questionnaires:home": ("get", lambda w: {}, expect(200)),
    "questionnaires:agency": ("get", _round, only(SEE_SAO1, **NOT_SEE_SAO1)),
    "questionnaires:create": ("post", _round, only(MANAGE_SAO1, ok=REDIRECT, **NOT_SEE_SAO1)),
    "questionnaires:results": ("get", _round, only(SEE_SAO1, **NOT_SEE_SAO1)),
    "questionnaires:detail": ("get", lambda w: {"questionnaire_id": _q(w).pk}, only(SEE_SAO1, **NOT_SEE_SAO1)),
    "questionnaires:publish": ("post", lambda w: {"questionnaire_id": _q(w).pk},
                               only(MANAGE_SAO1, ok=REDIRECT, **NOT_SEE_SAO1)),
    "questionnaires:close": ("post", _spare_q, only(MANAGE_SAO1, ok=REDIRECT, **NOT_SEE_SAO1)),
    "questionnaires:tokens": ("post", _tokens_q, only(MANAGE_SAO1, ok=REDIRECT, **NOT_SEE_SAO1)),
    "questionnaires:qr": ("get", lambda w: {"questionnaire_id": _q(w).pk, "fmt": "svg"},
                          only(SEE_SAO1, **NOT_SEE_SAO1)),
    "questionnaires:export": ("get", lambda w: {"questionnaire_id": _q(w).pk, "fmt": "csv"},
                              only(REVIEW_SAO1, **NOT_SEE_SAO1)),
    "q:form": ("get", lambda w: {"public_id": _q(w).public_id}, {who: 200 for who in CAST}),
    "q:thanks": ("get", lambda w: {"public_id": _q(w).public_id}, {who: 200 for who in CAST}),
}
