"""Addresses meant for another device (the projector's join link and QR code, a set's share link).

By default they are built from the request's Host header, which whoever sends the request chooses. When
PUBLIC_URL is set (the address students' phones use, e.g. http://192.168.1.20:5000) they are built from it
instead, whatever Host the request names.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for


def public_url_for(endpoint: str, **values: Any) -> str:
    """The full address of a page, for a phone or another browser to open."""
    base = current_app.config.get("PUBLIC_URL") or ""
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base.rstrip("/") + url_for(endpoint, **values)
