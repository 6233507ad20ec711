"""Permission rules of the agency-editing URLs (merged into tests/test_permissions.py RULES).

The secretariat of the province (and superusers) edit every field of an agency and fill ITAS codes in bulk;
an agency's own admin edits its contact fields (same URL, a smaller form); its executive and the offices
read only (403); users who cannot see the agency get 404."""

from tests.permission_kit import CAST, LOGIN, NOT_SEE_SAO1, OFFICERS, REDIRECT, SEE_SAO1, expect, only  # noqa: F401

RULES = {
    "registry:agency_edit": ("get", lambda w: {"agency_id": w.sao1.pk},
                             only(["secretariat", "superuser", "admin_a"], **NOT_SEE_SAO1)),
    "registry:itas_fill": ("get", lambda w: {}, only(["secretariat", "superuser"])),
}
