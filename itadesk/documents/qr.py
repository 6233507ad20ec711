"""QR codes (segno, pure Python) and the official ITAS questionnaire links they carry."""

from __future__ import annotations

import functools
import io
from urllib.parse import quote

import segno
from django.conf import settings

INSTRUMENTS = ("iit", "eit")


def itas_url(itas_code: str, instrument: str) -> str:
    """The official ITAS questionnaire link of an agency (``ITADESK_ITAS_QUESTIONNAIRE_URL``)."""
    instrument = instrument.lower()
    if instrument not in INSTRUMENTS:
        raise ValueError(f"instrument must be one of {', '.join(INSTRUMENTS)}, not {instrument!r}")
    code = (itas_code or "").strip()
    if not code:
        raise ValueError("the agency has no ITAS code")
    return settings.ITADESK_ITAS_QUESTIONNAIRE_URL.format(instrument=instrument, code=quote(code, safe=""))


@functools.lru_cache(maxsize=1024)
def make(data: str) -> segno.QRCode:
    """The QR code of ``data`` (cached: choosing the best mask costs ~15 ms, and the same links are
    asked for again and again). Callers only read it."""
    # Error correction M: survives a crease or a smudge on a printed poster, still small for a URL.
    return segno.make(data, error="m", micro=False)


def qr_png(data: str, *, scale: int = 10, border: int = 4) -> bytes:
    """A black-on-white PNG; ``scale`` pixels per module, ``border`` modules of quiet zone."""
    out = io.BytesIO()
    make(data).save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


def qr_svg(data: str, *, scale: int = 10, border: int = 4) -> str:
    """An SVG document (no XML declaration) with a white background, so it also reads on dark pages."""
    out = io.BytesIO()
    make(data).save(out, kind="svg", scale=scale, border=border, xmldecl=False, svgns=True, light="#fff")
    return out.getvalue().decode("utf-8")
