"""Answers first: under a burst, a worker saves what people send before it draws more pages.

When a teacher opens a question, a whole class fetches it within the two seconds of a poll, and answers start
to come while those pages are still being drawn. Each page reads the database and renders a template, and an
answer waited behind every page its worker had taken in before it (in the event loop, and for a database
connection). So each worker draws at most `slots` pages at once (GET and HEAD requests); the others wait for
a free slot outside the event loop's queue and the connection pool, and a POST (an answer, a join, a
teacher's step) goes past them. Under a burst a page waits a little longer and an answer does not
(bench/README.md, "Session 9").

The teacher's pages (`/teacher/...`, a few requests a minute) do not wait either. A slot is held while the app
makes the response, not while it is sent: a slow phone holds none. `slots` 0 turns it off.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

WAITING_PAGES = ("GET", "HEAD")
FIRST_PATHS = ("/teacher/",)


class AnswersFirst:
    """Wraps a WSGI app: at most `slots` page requests of this process in the app at once."""

    def __init__(self, app: WSGIApplication, slots: int) -> None:
        self.app = app
        # gunicorn's gevent workers patch threading first: waiting here then lets the worker's other requests
        # run (a thread's wait with threaded workers).
        self.slots = threading.BoundedSemaphore(slots) if slots else None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if (
            self.slots is None
            or environ.get("REQUEST_METHOD") not in WAITING_PAGES
            or environ.get("PATH_INFO", "").startswith(FIRST_PATHS)
        ):
            return self.app(environ, start_response)
        with self.slots:
            return self.app(environ, start_response)
