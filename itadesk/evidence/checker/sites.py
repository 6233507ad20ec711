"""Sites and domains: the agency's main domain, well-known outside sites (file sharing, social media, link
shorteners, free hosts) and home pages. Pure functions, no Django."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .config import normalise_host

__all__ = ["is_home_page", "known_site", "on_domain", "registered_domain"]

# host suffix -> (name, category); category "file" = a place to keep documents outside one's website
_SITES: dict[str, tuple[str, str]] = {
    "drive.google.com": ("Google Drive", "file"), "docs.google.com": ("Google Docs/Sheets/Slides", "file"),
    "sites.google.com": ("Google Sites", "file"), "storage.googleapis.com": ("Google Cloud Storage", "file"),
    "photos.google.com": ("Google Photos", "file"), "photos.app.goo.gl": ("Google Photos", "file"),
    "forms.gle": ("Google Forms", "file"), "onedrive.live.com": ("OneDrive", "file"),
    "1drv.ms": ("OneDrive", "file"), "sharepoint.com": ("SharePoint/OneDrive", "file"),
    "dropbox.com": ("Dropbox", "file"), "box.com": ("Box", "file"), "mega.nz": ("MEGA", "file"),
    "slideshare.net": ("SlideShare", "file"), "canva.com": ("Canva", "file"), "canva.site": ("Canva", "file"),
    "anyflip.com": ("AnyFlip", "file"), "fliphtml5.com": ("FlipHTML5", "file"), "pubhtml5.com": ("PubHTML5", "file"),
    "issuu.com": ("Issuu", "file"), "scribd.com": ("Scribd", "file"), "heyzine.com": ("Heyzine", "file"),
    "mediafire.com": ("MediaFire", "file"), "wetransfer.com": ("WeTransfer", "file"),
    "facebook.com": ("Facebook", "social"), "fb.com": ("Facebook", "social"), "fb.watch": ("Facebook", "social"),
    "instagram.com": ("Instagram", "social"), "x.com": ("X (Twitter)", "social"),
    "twitter.com": ("X (Twitter)", "social"), "tiktok.com": ("TikTok", "social"), "line.me": ("LINE", "social"),
    "youtube.com": ("YouTube", "social"), "youtu.be": ("YouTube", "social"),
    "bit.ly": ("Bitly", "shortener"), "tinyurl.com": ("TinyURL", "shortener"), "shorturl.at": ("ShortURL", "shortener"),
    "cutt.ly": ("Cutt.ly", "shortener"), "is.gd": ("is.gd", "shortener"), "rebrand.ly": ("Rebrandly", "shortener"),
    "goo.gl": ("goo.gl", "shortener"), "t.ly": ("t.ly", "shortener"), "s.id": ("s.id", "shortener"),
    "blogspot.com": ("Blogger", "hosting"), "wordpress.com": ("WordPress.com", "hosting"),
    "wixsite.com": ("Wix", "hosting"), "github.io": ("GitHub Pages", "hosting"),
}
_CATEGORY_TH = {"file": "ที่เก็บไฟล์/เอกสารออนไลน์", "social": "สื่อสังคมออนไลน์", "shortener": "บริการย่อลิงก์",
                "hosting": "บริการสร้างเว็บไซต์สำเร็จรูป"}
_CATEGORY_EN = {"file": "a file-sharing or document site", "social": "a social media site",
                "shortener": "a link shortener", "hosting": "a free website host"}


def known_site(host: str) -> tuple[str, str] | None:
    """``(name, category)`` of a well-known outside site (``drive.google.com`` -> Google Drive)."""
    host = normalise_host(host)
    parts = host.split(".")
    for i in range(len(parts) - 1):
        hit = _SITES.get(".".join(parts[i:]))
        if hit:
            return hit
    return None


def registered_domain(value: str) -> str:
    """The agency's main domain as given (``https://www.loei.go.th/``, ``www.loei.go.th`` or
    ``loei.go.th``) -> ``loei.go.th``: host only, lower case, IDNA, without a leading ``www.``."""
    value = value.strip()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    else:
        value = value.split("/", 1)[0].rsplit("@", 1)[-1]
        if value.count(":") == 1:
            value = value.split(":", 1)[0]
    host = normalise_host(value)
    return host[4:] if host.startswith("www.") else host


def on_domain(host: str, main_domain: str) -> bool:
    """``host`` is the main domain or one of its subdomains."""
    host, domain = normalise_host(host), registered_domain(main_domain)
    return bool(domain) and (host == domain or host.endswith("." + domain))


_HOME_PATH = re.compile(r"^/?(?:(?:index|default|home|main|hom)(?:\.(?:php|html?|aspx?|jsp|cfm|shtml))?/?)?$",
                        re.IGNORECASE)
_LANG_PATHS = re.compile(r"^/(?:th|en|thai|english)/?$", re.IGNORECASE)
_TRIVIAL_QUERY_KEYS = {"lang", "language", "l", "hl", "locale"}


def is_home_page(url: str) -> bool:
    """The site's home page: path ``/``, ``/index.php``, ``/home``, ``/th/`` … with no query other
    than a language (``?lang=th``); a fragment (``#ita``) does not make it a data page."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if not (_HOME_PATH.match(path) or _LANG_PATHS.match(path)):
        return False
    keys = {kv.split("=", 1)[0].lower() for kv in parts.query.split("&") if kv}
    return keys <= _TRIVIAL_QUERY_KEYS


def _host_of(url: str | None) -> str:
    if not url:
        return ""
    try:
        return normalise_host(urlsplit(url).hostname or "")
    except ValueError:
        return ""


def _site_label(host: str) -> tuple[str, str]:
    """(Thai, English) descriptions of an outside host: 'drive.google.com (Google Drive)'."""
    site = known_site(host)
    if site is None:
        return host, host
    name, _category = site
    return f"{host} ({name})", f"{host} ({name})"
