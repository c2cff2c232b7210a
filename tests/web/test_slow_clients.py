"""Slow and idle clients cost the server no worker (issue 10).

The server is started as `make run` starts it. 32 connections send their request headers a byte at a time,
8 send a POST's headers and then trickle its 5,000-byte body (a phone on a weak classroom network); meanwhile
everyone else's pages must keep answering within a second, and after gunicorn's worker timeout (30 s) has
passed the log must show no worker killed. Idle kept-alive connections (phones between two pages) must stay
usable and hold no worker either.
"""

from __future__ import annotations

import http.client
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests

from tests.web.live_gunicorn import MAKE_RUN, Server, gunicorn

HEADER_TRICKLERS = 32
BODY_TRICKLERS = 8
ATTACK_SECONDS = 35  # past gunicorn's 30 s worker timeout, so a killed worker would show in the log
TRICKLE_EVERY = 0.5  # seconds between two bytes of each slow connection
PAGES = ("/", "/join", "/article")
KILLED = ("WORKER TIMEOUT", "Worker exiting", "was sent SIGKILL", "Booting worker")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """quizapp served as `make run` serves it, on a fresh database."""
    with gunicorn(tmp_path_factory.mktemp("slow-clients"), SECRET_KEY="slow-clients-test") as running:
        yield running


def address(server: Server) -> tuple[str, int]:
    """The server's (host, port)."""
    parts = urlsplit(server.url)
    assert parts.hostname and parts.port
    return parts.hostname, parts.port


class Trickler:
    """Slow connections, each sending its request one byte every TRICKLE_EVERY seconds, never finishing.

    A connection the server closes is opened again (as an attacker would), so the pressure never drops.
    """

    def __init__(self, where: tuple[str, int], requests_sent: list[bytes]) -> None:
        self.where, self.requests_sent = where, requests_sent
        self.sockets: list[tuple[socket.socket, int]] = [
            (self._open(i), 0) for i in range(len(requests_sent))
        ]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _open(self, index: int) -> socket.socket:
        slow = socket.create_connection(self.where, timeout=5)
        head, _ = self._split(self.requests_sent[index])
        slow.sendall(head)  # a POST's headers go at once, then its body trickles; a GET's first byte
        return slow

    def _split(self, request: bytes) -> tuple[bytes, bytes]:
        """What is sent at once and what trickles: a POST's headers, or a GET's first byte."""
        if request.startswith(b"POST"):
            head_end = request.index(b"\r\n\r\n") + 4
            return request[:head_end], request[head_end:]
        return request[:1], request[1:]

    def _run(self) -> None:
        while not self.stop.wait(TRICKLE_EVERY):
            for index, (slow, sent) in enumerate(self.sockets):
                _, rest = self._split(self.requests_sent[index])
                try:
                    slow.sendall(rest[sent : sent + 1])
                    self.sockets[index] = (slow, sent + 1)
                except OSError:  # closed by the server: come back
                    slow.close()
                    self.sockets[index] = (self._open(index), 0)

    def __enter__(self) -> Trickler:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()
        for slow, _ in self.sockets:
            slow.close()


def slow_requests(host: str) -> list[bytes]:
    """32 GETs whose headers never end within the test, and 8 POSTs whose 5,000-byte body never does."""
    padding = "x" * int(ATTACK_SECONDS / TRICKLE_EVERY * 2)
    get = f"GET / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: slow-phone\r\nX-Padding: {padding}\r\n\r\n"
    post = (
        f"POST /quiz HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: 5000\r\n\r\n" + "a" * 5000
    )
    return [get.encode()] * HEADER_TRICKLERS + [post.encode()] * BODY_TRICKLERS


def timed_get(url: str) -> float:
    """Seconds to fetch a page on a new connection (inf if it failed or took over 5 s)."""
    start = time.monotonic()
    try:
        response = requests.get(url, timeout=5)
    except requests.RequestException:
        return float("inf")
    return time.monotonic() - start if response.status_code == 200 else float("inf")


def test_slow_clients_do_not_stop_the_server(server: Server) -> None:
    where = address(server)
    seconds: list[float] = []
    with Trickler(where, slow_requests(f"{where[0]}:{where[1]}")):
        deadline = time.monotonic() + ATTACK_SECONDS
        while time.monotonic() < deadline:
            seconds += [timed_get(server.url + page) for page in PAGES]
            time.sleep(0.2)
    log = server.log.read_text(errors="replace")
    slowest = sorted(seconds)[-5:]
    assert max(seconds) < 1.0, f"{len(seconds)} requests, slowest {slowest} s\n{log[-3000:]}"
    assert statistics.median(seconds) < 0.25, slowest
    assert not [line for line in log.splitlines() if any(word in line for word in KILLED[:3])], log[-3000:]
    assert log.count(KILLED[3]) <= MAKE_RUN[0], log[-3000:]  # only the workers booted at the start


def fetch(connection: socket.socket, host: str, path: str) -> http.client.HTTPResponse:
    """GET `path` on an open connection and read the whole response."""
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    response = http.client.HTTPResponse(connection)
    response.begin()
    response.read()
    return response


def test_idle_kept_alive_connections_stay_open_and_hold_no_worker(server: Server) -> None:
    where = address(server)
    host = f"{where[0]}:{where[1]}"
    idle = [socket.create_connection(where, timeout=5) for _ in range(4 * MAKE_RUN[0] * MAKE_RUN[1])]
    try:
        for connection in idle:
            response = fetch(connection, host, "/join")
            assert response.status == 200 and response.getheader("Connection", "").lower() != "close"
        seconds = []
        deadline = time.monotonic() + 5  # phones reading a page, their connections idle meanwhile
        while time.monotonic() < deadline:
            seconds += [timed_get(server.url + page) for page in PAGES]
            time.sleep(0.2)
        assert max(seconds) < 1.0, sorted(seconds)[-5:]
        for connection in idle:  # each idle connection still answers, without being opened again
            assert fetch(connection, host, "/").status == 200
    finally:
        for connection in idle:
            connection.close()
