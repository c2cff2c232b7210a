"""A request's body is read in full before the app sees it.

The server's workers (gevent, `make run`) let a slow phone trickle its form without holding a worker; this
keeps the app from holding anything either: a request reaches Flask, and opens a database session, only once
its whole body has arrived, however slowly it was sent. Bodies larger than the app would ever take are passed
on unread (Flask answers them 413 without reading them); the largest kept is an import's file (10 MB).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CHUNK = 64 * 1024


class BufferedBodies:
    """Wraps the app's WSGI callable; bodies of up to `max_bytes` are read before it is called."""

    def __init__(self, app: WSGIApplication, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        length = str(environ.get("CONTENT_LENGTH") or "")
        if length.isdigit() and 0 < int(length) <= self.max_bytes:
            environ["wsgi.input"] = _read_all(environ["wsgi.input"], int(length))
        return self.app(environ, start_response)


def _read_all(stream: object, length: int) -> io.BytesIO:
    """The body, read from `stream` (a client that leaves early leaves it short: Flask then answers 400)."""
    body = io.BytesIO()
    remaining = length
    while remaining:
        chunk = stream.read(min(remaining, CHUNK))  # type: ignore[attr-defined]
        if not chunk:
            break
        body.write(chunk)
        remaining -= len(chunk)
    body.seek(0)
    return body
