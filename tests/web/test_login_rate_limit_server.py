"""The sign-in limit holds across every server worker: gunicorn with several worker processes (as `make run`
starts it), a teacher made with `flask users create-teacher`, and failed sign-ins each on a new connection, so
they are served by more than one worker. The counts live in the database, so exactly 5 failures are let
through in all.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import requests

from tests.conftest import csrf_token
from tests.web.live_gunicorn import Server, flask_command, gunicorn

EMAIL, PASSWORD = "ada@school.org", "correct horse battery"
ATTEMPTS = 12
TIMEOUT = 30


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """gunicorn with an access log naming the worker (its pid) that served each request."""
    folder = tmp_path_factory.mktemp("rate-limit")
    access = ["--access-logfile", str(folder / "access.log"), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s"]
    with gunicorn(folder, *access, SECRET_KEY="rate-limit-test", ARGON2_MEMORY_KIB="1024") as running:
        yield running


@dataclass(frozen=True)
class Browser:
    """A browser's session cookie and the CSRF token of its session."""

    cookies: dict[str, str]
    token: str


@pytest.fixture(scope="module")
def created(server: Server) -> subprocess.CompletedProcess[str]:
    """Ada's account, made on the command line in the server's environment."""
    return flask_command(server.env, "users", "create-teacher", EMAIL, "--password", PASSWORD)


def open_sign_in_page(server: Server) -> Browser:
    """A new browser that has opened the sign-in page."""
    page = requests.get(f"{server.url}/teacher/login", timeout=TIMEOUT)
    return Browser(dict(page.cookies), csrf_token(page.text))


def sign_in(server: Server, browser: Browser, password: str) -> requests.Response:
    """One sign-in attempt on a new connection, which the server closes after answering."""
    response = requests.post(
        f"{server.url}/teacher/login",
        data={"email": EMAIL, "password": password, "csrf_token": browser.token},
        cookies=browser.cookies,
        headers={"Connection": "close"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.headers.get("Connection") == "close"
    return response


def workers_that_served_sign_ins(server: Server) -> set[str]:
    """The pids of the workers that answered POST /teacher/login, from the access log."""
    log = (server.log.parent / "access.log").read_text()
    return set(re.findall(r"^<(\d+)> POST /teacher/login ", log, re.M))


def test_create_teacher_on_the_command_line(created: subprocess.CompletedProcess[str]) -> None:
    assert created.returncode == 0, created.stderr
    assert f"Created the teacher account {EMAIL}." in created.stdout
    assert PASSWORD not in created.stdout + created.stderr


def test_five_failures_in_all_workers_then_even_the_right_password_waits(
    server: Server, created: subprocess.CompletedProcess[str]
) -> None:
    browser = open_sign_in_page(server)
    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:  # all at once, so that several workers get some
        responses = list(pool.map(lambda _: sign_in(server, browser, "not the password"), range(ATTEMPTS)))
    assert sorted(r.status_code for r in responses) == [400] * 5 + [429] * (ATTEMPTS - 5)
    assert len(workers_that_served_sign_ins(server)) >= 2
    refused = sign_in(server, browser, PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many attempts" in refused.text
    assert "Traceback" not in server.log.read_text()
