"""Links as QR codes: inline SVG made here by segno (no request to anyone else, works offline)."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup


@lru_cache(maxsize=256)
def qr_svg(url: str, title: str) -> Markup:
    """`url` as an inline SVG QR code named `title` for screen readers; kept per link, as the pages showing
    one (the projector) are fetched again at every change of a running session."""
    svg = segno.make(url, error="m").svg_inline(scale=10, omitsize=True, title=title)
    return Markup(svg)  # noqa: S704 -- segno's own SVG: no user text in it but the URL and title, which it escapes
