"""Permission rules of the documents URLs (merged into tests/test_permissions.py RULES), and of the
evidence PDF export made with the document engine."""

from tests.permission_kit import CAST, LOGIN, NOT_SEE_SAO1, OFFICERS, REDIRECT, SEE_SAO1, expect, only  # noqa: F401


def _codes(w):
    """ITAS codes for every agency of the world (once per world), so that every office has something to print."""
    for i, agency in enumerate(w.agencies):
        if not agency.itas_code:
            agency.itas_code = f"t{i}code"
            agency.save(update_fields=["itas_code"])
    return w


def _agency(w, **extra):
    return {"agency_id": _codes(w).sao1.pk, **extra}


def _round(w, **extra):
    return {"round_id": _codes(w).round.pk, **extra}


def _oit_agency(w):
    from tests.evidence.oit_world import setup_oit

    if w.round.framework_id is None:
        setup_oit(w)
    return {"round_id": w.round.pk, "agency_id": w.sao1.pk}


BULK = ["secretariat", *OFFICERS, "reviewer", "superuser"]

# name -> (method, kwargs(world), expected per user)
RULES = {
    "documents:home": ("get", lambda w: {}, expect(REDIRECT)),
    "documents:agency_qr": ("get", _agency, only(SEE_SAO1, **NOT_SEE_SAO1)),
    "documents:agency_download": ("get", lambda w: _agency(w, instrument="eit", filename="qr.png"),
                                  only(SEE_SAO1, **NOT_SEE_SAO1)),
    "documents:bulk": ("get", _round, only(BULK)),
    "documents:bulk_download": ("get", lambda w: _round(w, instrument="iit", filename="card.pdf"), only(BULK)),
    "evidence:export_pdf": ("get", _oit_agency, only(SEE_SAO1, **NOT_SEE_SAO1)),
}
