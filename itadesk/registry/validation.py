"""What a person may type for an agency's ITAS code, website and phone numbers, and the one form each is
stored in. Plain functions without the database: each returns the normalised value or raises
:class:`Invalid` with a reason the service turns into a message naming the field and the value.

- ITAS code: 3–20 letters (a–z), digits (Thai digits accepted), ``-`` or ``_``; no spaces. NACC hands out
  six-character codes such as ``u4gpi2``; some lists use the DLA code, so digits only are accepted too.
- Website: the agency's own main website, ``http://`` or ``https://`` only. A bare host
  (``www.example.go.th``) gets ``http://`` (the same rule as the agency import); the scheme and host are
  lower-cased and a ``#fragment`` dropped. Social networks, link shorteners, file hosts and ITAS itself are
  refused: OIT answers must point to the agency's own site.
- Phone: Thai numbers in their common forms — ``042-811-234``, ``0 4281 1234``, ``(042) 811234``,
  ``+66 42 811 234``, ``081-234-5678``, Thai digits, an extension (``ต่อ 12``, ``ext. 12``, ``#12``), a
  four-digit hotline (``1111``) — several separated by ``,`` ``;`` or ``หรือ``. Stored as ``042 811 234``,
  ``02 123 4567``, ``081 234 5678``, ``042 811 234 ต่อ 12``, joined by ``, ``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from itadesk.core.thai import arabic_digits


class Invalid(ValueError):
    """A value that cannot be stored; ``reason`` says why (a short code)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- ITAS code ---------------------------------------------------------------------------------------------
ITAS_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,19}$")


def normalise_itas_code(raw: str | None) -> str | None:
    """The code as stored (None when empty); Invalid("format") otherwise."""
    code = arabic_digits(raw or "").strip()
    if not code:
        return None
    if not ITAS_CODE.match(code):
        raise Invalid("format")
    return code


# --- website -----------------------------------------------------------------------------------------------
WEBSITE_MAX = 300
# Hosts that are never an agency's own main website (the host itself or any sub-domain of it).
SHARED_HOSTS = (
    "facebook.com", "fb.com", "fb.me", "m.me", "line.me", "lin.ee", "youtube.com", "youtu.be", "instagram.com",
    "x.com", "twitter.com", "tiktok.com", "bit.ly", "tinyurl.com", "shorturl.at", "cutt.ly", "rb.gy", "t.co",
    "goo.gl", "forms.gle", "drive.google.com", "docs.google.com", "sites.google.com", "dropbox.com",
    "onedrive.live.com", "itas.nacc.go.th",
)
_HOST = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _shared(host: str) -> bool:
    return any(host == h or host.endswith("." + h) for h in SHARED_HOSTS)


def normalise_website(raw: str | None) -> str:
    """The address as stored ("" when empty). Invalid reasons: "scheme" (not http/https), "format",
    "shared" (a social network, shortener, file host or ITAS), "too_long"."""
    text = (raw or "").strip()
    if not text:
        return ""
    if re.search(r"\s", text):
        raise Invalid("format")
    if "://" not in text:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", text) and not re.match(r"^[^:/]+:\d+(?:[/?#]|$)", text):
            raise Invalid("scheme")  # mailto:, javascript:, …
        text = "http://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise Invalid("format") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Invalid("scheme")
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.username or parts.password or not _HOST.match(host):
        raise Invalid("format")
    if _shared(host):
        raise Invalid("shared")
    netloc = host if port is None else f"{host}:{port}"
    url = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    if url.endswith("/") and not parts.path:
        url = url[:-1]  # "http://www.x.go.th" stays as typed, without a trailing slash
    if len(url) > WEBSITE_MAX:
        raise Invalid("too_long")
    return url


# --- phone numbers -----------------------------------------------------------------------------------------
PHONE_MAX = 50
_SPLIT = re.compile(r"\s*(?:[,;]|\s(?:หรือ|or)\s)\s*", re.IGNORECASE)
_EXTENSION = re.compile(r"\s*(?:ต่อ|ext\.?|extension|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_NUMBER_CHARS = re.compile(r"^[\d\s().+-]+$")


def _one_phone(part: str) -> str:
    extension = ""
    match = _EXTENSION.search(part)
    if match:
        extension, part = match.group(1), part[:match.start()]
    if not _NUMBER_CHARS.match(part) or part.count("+") > 1 or ("+" in part and not part.lstrip("( ").startswith("+")):
        raise Invalid("format")
    digits = re.sub(r"\D", "", part)
    if "+" in part:
        if not digits.startswith("66"):
            raise Invalid("format")  # only Thai numbers
        digits = "0" + digits[2:].removeprefix("0")
    if len(digits) == 4 and digits[0] == "1" and not extension:
        return digits  # a hotline such as 1111
    if len(digits) == 9 and digits[:2] == "02":
        number = f"02 {digits[2:5]} {digits[5:]}"
    elif len(digits) == 9 and digits[1] in "34567":
        number = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    elif len(digits) == 10 and digits[1] in "689":
        number = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    else:
        raise Invalid("format")
    return f"{number} ต่อ {extension}" if extension else number


def normalise_phone(raw: str | None) -> str:
    """The numbers as stored ("" when empty). Invalid reasons: "format", "too_long"."""
    text = arabic_digits(raw or "").strip()
    if not text:
        return ""
    numbers = [_one_phone(part) for part in _SPLIT.split(text) if part.strip()]
    value = ", ".join(numbers)
    if len(value) > PHONE_MAX:
        raise Invalid("too_long")
    return value
