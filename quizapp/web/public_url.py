"""Addresses meant for another device (the projector's join link and QR code, a set's share link).

By default they are built from the request's Host header, which whoever sends the request chooses. When
PUBLIC_URL is set (the address students' phones use, e.g. http://192.168.1.20:5000) they are built from it
instead, whatever Host the request names.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for

from quizapp.web.local_addresses import local_ipv4_addresses


def public_url_for(endpoint: str, **values: Any) -> str:
    """The full address of a page, for a phone or another browser to open."""
    base = current_app.config.get("PUBLIC_URL") or ""
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base.rstrip("/") + url_for(endpoint, **values)


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def phone_bases() -> tuple[str, ...] | None:
    """When the page was opened on this computer's own name (127.0.0.1, localhost) and PUBLIC_URL is not set,
    which a phone cannot use: the addresses it can use instead (this computer's on the local network, same
    scheme and port; may be empty). None when the page's own address does for a phone."""
    if current_app.config.get("PUBLIC_URL"):
        return None
    url = urlsplit(request.host_url)
    if (url.hostname or "") not in LOOPBACK_NAMES and not (url.hostname or "").startswith("127."):
        return None
    port = f":{url.port}" if url.port else ""
    return tuple(f"{url.scheme}://{address}{port}" for address in local_ipv4_addresses())
