"""The address of the person behind a request, for login throttling and the questionnaires' flood flags.

``REMOTE_ADDR`` is the peer of the TCP connection: the client itself, or the reverse proxy in front of
ITA Desk. Only when that peer is one of ``ITADESK_TRUSTED_PROXIES`` (addresses or networks, e.g.
``127.0.0.1,::1`` for Caddy on the same machine) is ``X-Forwarded-For`` read, from the right: each
proxy appends the address it received the request from, so the first address from the right that is
not itself a trusted proxy is the client. Anything to the left of it was written by the client and
is never believed. A malformed header falls back to the peer address.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_ip(meta, trusted_proxies=None) -> str:
    """The client's address from a WSGI environ / ``request.META``."""
    peer = (meta.get("REMOTE_ADDR") or "").strip()
    networks = _networks(tuple(settings.ITADESK_TRUSTED_PROXIES if trusted_proxies is None else trusted_proxies))
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [h.strip() for h in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer
        if not _trusted(hop, networks):
            return hop
    return peer
