"""A request reaches the app only once its whole body has arrived (quizapp/web/buffered_bodies.py): a phone
trickling a form holds no database session and no request context while it sends."""

from __future__ import annotations

import io
import time
from collections.abc import Iterable
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder

from quizapp.web.buffered_bodies import BufferedBodies


class Trickle(io.RawIOBase):
    """A body that arrives a few bytes per read, noting when its last byte was read."""

    def __init__(self, data: bytes, step: int = 7) -> None:
        self.data, self.step, self.at, self.done_at = data, step, 0, 0.0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.data[self.at : self.at + min(self.step, size if size >= 0 else self.step)]
        self.at += len(chunk)
        if self.at == len(self.data):
            self.done_at = self.done_at or time.monotonic()
        return chunk


def called(app: Any, body: bytes, length: int | None = None) -> tuple[dict[str, Any], Trickle]:
    """Run `app` behind BufferedBodies on a trickled POST of `body`; what the app saw, and the body."""
    seen: dict[str, Any] = {}
    trickle = Trickle(body)

    def inner(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        seen["at"] = time.monotonic()
        seen["read_before"] = trickle.at
        seen["body"] = environ["wsgi.input"].read()
        start_response("200 OK", [])
        return [b""]

    environ = EnvironBuilder(method="POST", data=b"").get_environ()
    environ.update({"wsgi.input": trickle, "CONTENT_LENGTH": str(len(body) if length is None else length)})
    served(BufferedBodies(inner, max_bytes=app)(environ, lambda *a: None))
    return seen, trickle


def served(response: Iterable[bytes]) -> None:
    """Consume and close a WSGI response, as a server does."""
    list(response)
    if hasattr(response, "close"):
        response.close()


def test_the_app_is_called_after_the_last_byte() -> None:
    body = b"answer=" + b"x" * 5000
    seen, trickle = called(10_000, body)
    assert seen["read_before"] == len(body) and seen["at"] >= trickle.done_at > 0
    assert seen["body"] == body


def test_a_body_larger_than_the_app_takes_is_passed_on_unread() -> None:
    seen, _ = called(100, b"x" * 500)
    assert seen["read_before"] == 0  # Flask answers 413 without reading it


def test_a_client_that_leaves_early_gets_a_400_not_a_500(app: Flask) -> None:
    """The body is shorter than its Content-Length: Flask sees the short body and refuses the form."""
    environ = EnvironBuilder(path="/quiz", method="POST").get_environ()
    environ.update({"wsgi.input": Trickle(b"count=5&mode=te"), "CONTENT_LENGTH": "500"})
    environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    statuses: list[str] = []
    served(app.wsgi_app(environ, lambda status, headers, *a: statuses.append(status)))
    assert statuses and statuses[0].startswith("400")


@pytest.mark.parametrize("length", ["", "0", "abc"])
def test_no_body_or_a_malformed_length_is_left_alone(length: str) -> None:
    seen: dict[str, Any] = {}
    stream = io.BytesIO(b"")

    def inner(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        seen["input"] = environ["wsgi.input"]
        return [b""]

    environ = {"CONTENT_LENGTH": length, "wsgi.input": stream}
    list(BufferedBodies(inner, 1000)(environ, lambda *a: None))  # type: ignore[arg-type]
    assert seen["input"] is stream
