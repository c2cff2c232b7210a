"""The teacher's laptop in bench/classroom.py: the live view asked for every few seconds, from a process of
its own (run by classroom.py's Watcher, not by hand).

A process of its own because a teacher's laptop is another machine: in the bench's process, the time a request
takes would also count the wait for the Python interpreter that the students' 300 threads share. It prints one
JSON line per request: {"at": time.monotonic() when sent, "ms": latency, "error": "" or what went wrong}, and
stops when its standard input is closed.

    python bench/_watch.py BASE PATH EVERY_S   (cookies "name=value; ..." in the environment: WATCH_COOKIES)
"""

from __future__ import annotations

import json
import os
import select
import sys
import time

import requests

PROBLEMS = ("database is locked", "Traceback")
LIVE_PAGE = "Answers per question"


def main(argv: list[str]) -> int:
    base, path, every = argv[0], argv[1], float(argv[2])
    session = requests.Session()
    session.trust_env = False  # never a proxy: the bench talks to 127.0.0.1 only
    for pair in filter(None, os.environ.get("WATCH_COOKIES", "").split("; ")):
        name, _, value = pair.partition("=")
        session.cookies.set(name, value)
    while True:
        at, started, error = time.monotonic(), time.perf_counter(), ""
        try:
            response = session.get(base + path, timeout=30, allow_redirects=False)
            if response.status_code != 200 or LIVE_PAGE not in response.text:
                error = f"live: HTTP {response.status_code}, not the live view"
            elif any(problem in response.text for problem in PROBLEMS):
                error = f"live: the page says {response.text[:200]!r}"
        except requests.RequestException as exc:
            error = f"live: {type(exc).__name__}: {exc}"
        ms = (time.perf_counter() - started) * 1000
        print(json.dumps({"at": at, "ms": ms, "error": error}), flush=True)
        ready, _, _ = select.select([sys.stdin], [], [], max(0.0, every - (time.monotonic() - at)))
        if ready and not sys.stdin.readline():  # closed: the session is over
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
