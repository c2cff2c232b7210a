"""Where a `next` or `back` value sent by a browser may lead: a path on this site, never another site.

Browsers forgive a lot in a Location header: they drop tabs and newlines anywhere, strip leading spaces
and control characters, and read a backslash as a slash. So `/<tab>/evil.example` and `/\\evil.example` both
become `//evil.example`, another site. Rather than guess what a browser makes of an odd address, anything
odd is refused, and the caller goes to its own default page.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2000


def safe_local_path(target: str | None) -> str | None:
    """`target` when it is a plain path on this site ('/play/x?change=1'); None for anything else.

    Refused: other sites ('https://...', '//...'), schemes ('javascript:'), backslashes, control characters
    and spaces (a browser would drop or fold them), and encoded variants of these ('/%2F%2Fevil.example').
    """
    if not target or len(target) > MAX_LENGTH:
        return None
    if any(c.isspace() for c in target) or not _plain_path(target) or not _plain_path(unquote(target)):
        return None
    return target


def _plain_path(text: str) -> bool:
    """One leading slash, no second slash or backslash after it, only printable characters, no authority."""
    if not text.startswith("/") or text[1:2] in ("/", "\\") or "\\" in text or not text.isprintable():
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc
