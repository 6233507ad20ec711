"""Names of downloaded files: every export, document and QR code gets its name here.

``download_name("progress-2570", "xlsx")`` → ``progress-2570-2569-12-07-0630.xlsx``: the stem, then the moment
of the download (or ``when``) in Bangkok time with a Buddhist-era year, so two exports of one day sort and
never overwrite each other, and the date reads as the user's calendar does. ``content_disposition`` writes the
header per RFC 6266: a plain ``filename="…"`` for ASCII names, and for Thai names an ASCII fallback plus
``filename*=UTF-8''…`` (percent-encoded), which every current browser prefers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

from itadesk.core.thai import BANGKOK, be_year

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')


def be_stamp(when: dt.datetime | None = None) -> str:
    """``2569-12-07-0630``: Bangkok date and time of ``when`` (now by default), Buddhist-era year."""
    local = (when or timezone.now()).astimezone(BANGKOK)
    return f"{be_year(local.year)}-{local:%m-%d-%H%M}"


def be_date(value: dt.date) -> str:
    """``2567-12-24``: a calendar date (a meeting's, a letter's) in file-name form, Buddhist-era year."""
    return f"{be_year(value.year)}-{value:%m-%d}"


def clean(name: str) -> str:
    """A file name without path separators, quotes or control characters (Thai letters are kept)."""
    return _UNSAFE.sub("-", unicodedata.normalize("NFC", name)).strip(" .-") or "itadesk"


def download_name(stem: str, ext: str, *, when: dt.datetime | None = None) -> str:
    """``<stem>-<BE date>-<HHMM>.<ext>`` in Bangkok time (``when``: the download's moment by default)."""
    return f"{clean(stem)}-{be_stamp(when)}.{ext.lstrip('.')}"


def ascii_fallback(name: str) -> str:
    """The name for old clients that read only ``filename=``: non-ASCII letters dropped (Latin accents
    folded), and ``itadesk`` in front when nothing of the stem is left."""
    stem, dot, ext = clean(name).rpartition(".")
    if not dot:
        stem, ext = ext, ""
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    folded = re.sub(r"[^A-Za-z0-9._-]+", "-", folded)
    folded = re.sub(r"-{2,}", "-", folded).strip("-.")
    if not re.search(r"[A-Za-z]", folded):
        folded = f"itadesk-{folded}".rstrip("-")
    return f"{folded}.{ext}" if ext else folded


def content_disposition(name: str, *, inline: bool = False) -> str:
    kind = "inline" if inline else "attachment"
    name = clean(name)
    if name.isascii():
        return f'{kind}; filename="{name}"'
    return f"{kind}; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def attach(response: HttpResponse, name: str, *, inline: bool = False) -> HttpResponse:
    """Set ``response``'s Content-Disposition for ``name``; returns the response."""
    response["Content-Disposition"] = content_disposition(name, inline=inline)
    return response
