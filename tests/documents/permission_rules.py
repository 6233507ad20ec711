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


# --- official documents: registers, letters, meeting documents, templates, share links ---------------------
# The secretariat (and superusers) keep the registers and issue letters; the province's offices read issued
# letters and the meeting's documents; agency users see none of it (403 on the lists, 404 on one letter or
# meeting). A share link's download is public while the link is active.

KEEPERS = ["secretariat", "superuser"]
READERS = [*KEEPERS, *OFFICERS, "reviewer"]
NO_AGENCY = {"admin_a": 404, "admin_b": 404, "exec_a": 404}


def _letters(w):
    """A register with one issued letter and a meeting (once per world)."""
    import datetime as dt

    from itadesk.committee.models import Meeting
    from itadesk.documents import services
    from itadesk.documents.models import DocumentRegister, IssuedDocument

    register = DocumentRegister.objects.filter(province=w.province).first()
    if register is None:
        register = services.save_register(actor=None, province=w.province, changes={
            "name": "หนังสือเวียน", "prefix": "ลย ๐๐๑๗.๕/ว", "reset": "calendar_year", "is_active": True})
        letter = services.save_document(actor=None, province=w.province, changes={
            "register": register, "subject": "รายงานการประชุม", "addressee": "ท้องถิ่นจังหวัดเลย", "body": "ข้อความ"})
        services.issue_document(actor=None, document=letter, date=dt.date(2024, 12, 27))
        Meeting.objects.create(province=w.province, date="2024-12-24", place="ศาลากลางจังหวัด")
    return {"register": register, "letter": IssuedDocument.objects.get(register=register, year=2567, number=1),
            "meeting": Meeting.objects.filter(province=w.province).first()}


def _spare_draft(w):
    from itadesk.documents import services

    register = _letters(w)["register"]
    draft = services.save_document(actor=None, province=w.province, changes={
        "register": register, "subject": "ร่าง", "addressee": "ท้องถิ่นจังหวัดเลย", "body": "ข้อความ"})
    return {"document_id": draft.pk}


def _link(w, *, revoked=False):
    from itadesk.documents import services

    link = services.create_share_link(actor=None, province=w.province, document=_letters(w)["letter"])
    return link


def _spare_link(w):
    from itadesk.documents.models import ShareLink

    letter = _letters(w)["letter"]
    ShareLink.objects.filter(document=letter).update(revoked_at="2025-01-01T00:00:00Z")
    return {"link_id": _link(w).pk}


RULES.update({
    "documents:registers": ("get", lambda w: {}, only(READERS)),
    "documents:register_new": ("get", lambda w: {}, only(KEEPERS)),
    "documents:register_edit": ("get", lambda w: {"register_id": _letters(w)["register"].pk}, only(KEEPERS)),
    "documents:register_last_number": ("post", lambda w: {"register_id": _letters(w)["register"].pk},
                                       only(KEEPERS, ok=REDIRECT)),
    "documents:letters": ("get", lambda w: {}, only(READERS)),
    "documents:letter_new": ("get", lambda w: {}, only(KEEPERS)),
    "documents:letter": ("get", lambda w: {"document_id": _letters(w)["letter"].pk}, only(READERS, **NO_AGENCY)),
    "documents:letter_edit": ("get", _spare_draft, only(KEEPERS)),
    # a draft is the secretariat's: the offices do not see it (404)
    "documents:letter_issue": ("post", _spare_draft, only(KEEPERS, ok=REDIRECT, denied=404)),
    "documents:letter_download": ("get", lambda w: {"document_id": _letters(w)["letter"].pk, "kind": "letter",
                                                    "fmt": "docx"}, only(READERS, **NO_AGENCY)),
    "documents:meeting_download": ("get", lambda w: {"meeting_id": _letters(w)["meeting"].pk, "kind": "agenda",
                                                     "fmt": "pdf"}, only(READERS, **NO_AGENCY)),
    "documents:meeting_share_attachments": ("post", lambda w: {"meeting_id": _letters(w)["meeting"].pk},
                                            only(KEEPERS, ok=REDIRECT, **NO_AGENCY)),
    "documents:templates": ("get", lambda w: {}, only(KEEPERS)),
    "documents:template_download": ("get", lambda w: {"kind": "minutes", "which": "current"}, only(KEEPERS)),
    "documents:template_upload": ("post", lambda w: {"kind": "letter"}, only(KEEPERS, ok=REDIRECT)),
    "documents:template_reset": ("post", lambda w: {"kind": "letter"}, only(KEEPERS, ok=REDIRECT)),
    "documents:shares": ("get", lambda w: {}, only(KEEPERS)),
    "documents:share_create": ("post", lambda w: {}, only(KEEPERS, ok=REDIRECT)),
    "documents:share_revoke": ("post", _spare_link, only(KEEPERS, ok=REDIRECT)),
    "documents:share_qr": ("get", lambda w: {"link_id": _link(w).pk}, only(KEEPERS)),
    # public: anyone with an active link downloads (a revoked link is a 404: tests/documents/test_official_views.py)
    "documents:share": ("get", lambda w: {"token": _link(w).token}, expect(200, anonymous=200)),
})


def _emblem(w):
    """The province's Garuda emblem (a small drawing made here: no emblem file is shipped)."""
    from itadesk.documents.models import Emblem

    Emblem.objects.get_or_create(province=w.province, defaults={
        "name": "emblem.svg", "content_type": "image/svg+xml",
        "content": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="12"><circle cx="5" cy="6" r="4"/></svg>'})
    return {}


RULES.update({
    # the Garuda emblem of the letters: the secretariat uploads it and sees it
    "documents:emblem_upload": ("post", lambda w: {}, only(KEEPERS, ok=REDIRECT)),
    "documents:emblem_image": ("get", _emblem, only(KEEPERS)),
})
