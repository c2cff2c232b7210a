"""Answers first (web/answers_first.py): a worker draws at most `slots` pages at once; a POST, and a teacher's
page, never wait for a slot. Real threads through the WSGI wrapper, around an app that holds its pages until
told to go on."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import pytest

from quizapp.web.answers_first import AnswersFirst

WAIT_S = 5.0


class HeldApp:
    """A WSGI app whose GETs to /held stay inside it until `release` is set; it notes who came in."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.inside: list[str] = []
        self.lock = threading.Lock()
        self.entered = threading.Condition(self.lock)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        name = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}"
        with self.entered:
            self.inside.append(name)
            self.entered.notify_all()
        if environ["PATH_INFO"] == "/held":
            assert self.release.wait(WAIT_S)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [name.encode()]

    def wait_for(self, count: int, timeout: float = WAIT_S) -> bool:
        with self.entered:
            return self.entered.wait_for(lambda: len(self.inside) >= count, timeout=timeout)


def call(app: AnswersFirst, method: str, path: str, done: list[bytes]) -> threading.Thread:
    def run() -> None:
        body = app({"REQUEST_METHOD": method, "PATH_INFO": path}, lambda status, headers: None)
        done.append(b"".join(body))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_post_and_a_teachers_page_go_past_pages_waiting_for_a_slot() -> None:
    held = HeldApp()
    app = AnswersFirst(held, slots=1)  # type: ignore[arg-type]
    done: list[bytes] = []
    first = call(app, "GET", "/held", done)  # takes the only slot and stays
    assert held.wait_for(1)
    second = call(app, "GET", "/play/abc", done)  # a page: waits for the slot
    answer = call(app, "POST", "/play/abc/answer", done)
    teacher = call(app, "GET", "/teacher/sessions/abc/live", done)
    answer.join(WAIT_S)
    teacher.join(WAIT_S)
    assert sorted(done) == [b"GET /teacher/sessions/abc/live", b"POST /play/abc/answer"]
    assert "GET /play/abc" not in held.inside  # still waiting, outside the app
    held.release.set()
    first.join(WAIT_S)
    second.join(WAIT_S)
    assert held.inside[-1] == "GET /play/abc" and b"GET /play/abc" in done and len(done) == 4


@pytest.mark.parametrize("slots", [0, 2])
def test_slots_pages_at_once_and_zero_for_no_limit(slots: int) -> None:
    held = HeldApp()
    app = AnswersFirst(held, slots=slots)  # type: ignore[arg-type]
    done: list[bytes] = []
    threads = [call(app, "GET", "/held", done) for _ in range(3)]
    assert held.wait_for(slots or 3)
    held.wait_for(3, timeout=0.3)  # time for a third page to come in, were there a slot for it
    assert len(held.inside) == (slots or 3)
    held.release.set()
    for thread in threads:
        thread.join(WAIT_S)
    assert len(done) == 3
