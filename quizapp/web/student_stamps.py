"""`GET /play/<session>/stamp` answered before Flask: the one request every phone of a class keeps out.

Through Flask a stamp costs ~3.5 ms of CPU under gunicorn (request context, session cookie, routing, the
response's hooks), of which the stamp itself is a dictionary lookup (`services/stamp_cache.py`). This WSGI
middleware answers it in ~0.7 ms with the same JSON and the same security headers; anything else, and an
unknown session (a 404 page), goes on to Flask.

Long polling: `?after=<the page's stamp>` asks to be answered only when the stamp differs from it, or after
`hold` seconds with the same stamp. A waiting request rereads the worker's memory of the stamp every `step`
seconds (no query: one request per worker reads the database when that memory is older than
STAMP_CACHE_SECONDS), so a phone hears of a change within `STAMP_CACHE_SECONDS + step` and sends one request
per change (and one per `hold`) instead of one every two seconds. A request waits only in a worker that
waits cheaply (gunicorn's gevent workers: a greenlet); elsewhere `hold` is 0 and the stamp is answered at
once, and static/js/live.js asks again after its `data-every`.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from quizapp.services.stamp_cache import StampCache

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

STAMP_PATH = re.compile(r"/play/([A-Za-z0-9_-]{1,64})/stamp")
HOLD_IN_GEVENT_S = 20.0  # a held poll's longest wait: under gunicorn's graceful timeout (30 s) and proxies'


def waits_cheaply() -> bool:
    """True in a process whose sockets and sleeps gevent has patched (gunicorn's gevent workers): a waiting
    request is a greenlet there, not a worker."""
    monkey = sys.modules.get("gevent.monkey")
    return bool(monkey and monkey.is_module_patched("socket"))


class StudentStamps:
    """Wraps the app's WSGI callable; `headers` are the security headers every response carries; `hold`
    (seconds) is how long a poll with `?after=` may wait for a change, None: `HOLD_IN_GEVENT_S` in a gevent
    worker and 0 elsewhere (decided at the first poll, after gunicorn patched the worker)."""

    def __init__(
        self,
        app: WSGIApplication,
        cache: StampCache,
        headers: Iterable[tuple[str, str]],
        hold: float | None = None,
    ) -> None:
        self.app, self.cache, self.headers, self.hold = app, cache, list(headers), hold
        self.step = min(0.5, max(0.05, cache.seconds))
        self.released = threading.Event()  # set: no poll waits any more (a server stopping)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        match = STAMP_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        public_id = match.group(1)
        stamp = self.cache.get(public_id)
        after = parse_qs(environ.get("QUERY_STRING", "")).get("after", [None])[0]
        if stamp is not None and stamp == after:
            stamp = self.wait_for_change(public_id, stamp)
        if stamp is None:
            return self.app(environ, start_response)
        body = json.dumps({"stamp": stamp}).encode() + b"\n"
        headers: list[tuple[str, Any]] = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            *self.headers,
        ]
        if environ.get("wsgi.url_scheme") == "https":
            headers.append(("Strict-Transport-Security", "max-age=31536000"))
        start_response("200 OK", headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def wait_for_change(self, public_id: str, stamp: str) -> str | None:
        """The session's stamp once it is no longer `stamp`, or `stamp` after `hold` seconds (None: the
        session is gone)."""
        if self.hold is None:
            self.hold = HOLD_IN_GEVENT_S if waits_cheaply() else 0.0
        deadline = time.monotonic() + self.hold
        now: str | None = stamp
        while now == stamp and (left := deadline - time.monotonic()) > 0:
            if self.released.wait(min(self.step, left)):
                break
            now = self.cache.get(public_id)
        return now

    def release(self) -> None:
        """Answer every waiting poll now, and every later one at once (a server about to stop)."""
        self.released.set()
