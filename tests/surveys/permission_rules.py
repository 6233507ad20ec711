"""Permission rules of the surveys URLs (merged into tests/test_permissions.py RULES)."""

from tests.permission_kit import CAST, LOGIN, NOT_SEE_SAO1, OFFICERS, REDIRECT, SEE_SAO1, expect, only  # noqa: F401


def _agency(w, **extra):
    return {"round_id": w.round.pk, "agency_id": w.sao1.pk, **extra}


def _approvable(w):
    """sao1 with stakeholder data waiting for approval (entered once per world)."""
    from itadesk.surveys import services
    from itadesk.surveys.models import StakeholderData

    data = StakeholderData.objects.filter(round=w.round, agency=w.sao1).first()
    if data is None or data.locked:
        if data is not None:
            services.unlock_stakeholders(actor=w.secretariat, round=w.round, agency=w.sao1, reason="test")
        else:
            services.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=40,
                                       external_people=500)
    return _agency(w)


def _locked(w):
    """sao1 with approved (locked) stakeholder data, before each user's try."""
    from itadesk.surveys import services
    from itadesk.surveys.models import StakeholderData

    data = StakeholderData.objects.filter(round=w.round, agency=w.sao1).first()
    if data is None or not data.locked:
        _approvable(w)
        services.approve_stakeholders(actor=w.exec_a, round=w.round, agency=w.sao1)
    return _agency(w)


OFFICE_MEMBERS = [*OFFICERS, "reviewer"]

# name -> (method, kwargs(world), expected per user)
RULES = {
    "surveys:home": ("get", lambda w: {}, expect(REDIRECT)),
    "surveys:agency": ("get", _agency, only(SEE_SAO1, **NOT_SEE_SAO1)),
    # The matrix posts no values: a permitted user gets the form back with its errors (400).
    "surveys:stakeholders_save": ("post", _agency, only(["secretariat", "admin_a", "superuser"], ok=400,
                                                        **NOT_SEE_SAO1)),
    "surveys:stakeholders_approve": ("post", _approvable, only(["exec_a"], ok=REDIRECT, **NOT_SEE_SAO1)),
    "surveys:stakeholders_unlock": ("post", _locked, only(["secretariat", "superuser"], ok=REDIRECT,
                                                          **NOT_SEE_SAO1)),
    "surveys:responses_save": ("post", _agency, only(["secretariat", "nacc_officer", "local_officer",
                                                      "admin_officer", "admin_a", "superuser"], ok=400,
                                                     **NOT_SEE_SAO1)),
    "surveys:followup": ("get", lambda w: {"round_id": w.round.pk},
                         only(["secretariat", "superuser", *OFFICE_MEMBERS])),
    "surveys:import": ("get", lambda w: {"round_id": w.round.pk}, only(["secretariat", "superuser", *OFFICERS])),
    "surveys:export_province": ("get", lambda w: {"round_id": w.round.pk},
                                only(["secretariat", "superuser", *OFFICE_MEMBERS])),
    "surveys:export_office": ("get", lambda w: {"round_id": w.round.pk, "office_id": w.local.pk},
                              only(["secretariat", "local_officer", "superuser"])),
}
