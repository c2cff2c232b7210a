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

A change answers every waiting phone of the class at once, and each then fetches its page: a year group's
1,000 pages in the same second would queue for seconds (and the answers behind them). So the answer to a
waiting poll also says `spread` (ms): the phone waits a random moment up to that before fetching its page.
It is `SPREAD_MS_PER_PHONE` for each poll of that session waiting in this worker when the change was heard,
so it grows with the load each worker is about to get and costs a small class nothing: 30 phones over 4
workers wait at most ~0.1 s, 1,000 phones up to 2.5 s (bench/README.md, "Session 11").
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from quizapp.services.stamp_cache import StampCache

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

STAMP_PATH = re.compile(r"/play/([A-Za-z0-9_-]{1,64})/stamp")
HOLD_IN_GEVENT_S = 20.0  # a held poll's longest wait: under gunicorn's graceful timeout (30 s) and proxies'
# Pages a worker is asked to draw after a change, per waiting phone: 10 ms each is 100 pages a second per
# worker, ~400 a second for 4 workers on 2 CPUs (at 1,000 phones, spreads of 1.5 s let the pages queue, 2.5 s
# did not: bench/README.md, "Session 11").
SPREAD_MS_PER_PHONE = 10
MOST_SPREAD_MS = 4_000


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
        self._lock = threading.Lock()
        self._waiting: Counter[str] = Counter()  # session -> polls waiting in this worker
        self._spreads: dict[str, tuple[str, int]] = {}  # session -> (the stamp it changed to, its spread)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        match = STAMP_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        public_id = match.group(1)
        stamp = self.cache.get(public_id)
        after = parse_qs(environ.get("QUERY_STRING", "")).get("after", [None])[0]
        answer: dict[str, object] = {"stamp": stamp}
        if stamp is not None and stamp == after:
            answer = self.wait_for_change(public_id, stamp)
        if answer["stamp"] is None:
            return self.app(environ, start_response)
        body = json.dumps(answer).encode() + b"\n"
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

    def wait_for_change(self, public_id: str, stamp: str) -> dict[str, object]:
        """{"stamp": the session's stamp once it is no longer `stamp`, "spread": ms}, or {"stamp": `stamp`}
        after `hold` seconds ({"stamp": None}: the session is gone)."""
        if self.hold is None:
            self.hold = HOLD_IN_GEVENT_S if waits_cheaply() else 0.0
        deadline = time.monotonic() + self.hold
        now: str | None = stamp
        with self._lock:
            self._waiting[public_id] += 1
        try:
            while now == stamp and (left := deadline - time.monotonic()) > 0:
                if self.released.wait(min(self.step, left)):
                    break
                now = self.cache.get(public_id)
            if now is None or now == stamp:
                return {"stamp": now}
            return {"stamp": now, "spread": self._spread(public_id, now)}
        finally:
            with self._lock:
                self._waiting[public_id] -= 1
                if not self._waiting[public_id]:
                    del self._waiting[public_id]
                    self._spreads.pop(public_id, None)

    def _spread(self, public_id: str, stamp: str) -> int:
        """The spread of the change to `stamp`: set by the first waiting poll to hear of it, from the polls
        waiting then (the later ones, answered one by one, would count fewer)."""
        with self._lock:
            changed_to, spread = self._spreads.get(public_id, ("", 0))
            if changed_to != stamp:
                spread = min(MOST_SPREAD_MS, SPREAD_MS_PER_PHONE * self._waiting[public_id])
                self._spreads[public_id] = (stamp, spread)
            return spread

    def release(self) -> None:
        """Answer every waiting poll now, and every later one at once (a server about to stop)."""
        self.released.set()
