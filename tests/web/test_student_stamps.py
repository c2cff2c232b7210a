"""The phones' stamp poll, answered before Flask from each worker's short-lived memory of the session's state.

Two apps on one database file stand for two gunicorn workers: a change of state made through one is seen by
the other's phones once its memory of the stamp is older than STAMP_CACHE_SECONDS, and at once by its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.config import load_config
from quizapp.extensions import db
from quizapp.web import CONTENT_SECURITY_POLICY
from quizapp.web.student_stamps import SPREAD_MS_PER_PHONE, waits_cheaply
from tests.conftest import close_connections, counted_statements, make_app
from tests.web.classroom_steps import ClassRun, Student, join_student, open_session, step
from tests.web.teachers import ADA, sign_in_teacher


@pytest.fixture
def teacher(app: Flask, client: FlaskClient) -> FlaskClient:
    """Ada, signed in."""
    return sign_in_teacher(app, client, ADA)


@pytest.fixture
def started(app: Flask, teacher: FlaskClient) -> tuple[ClassRun, Student]:
    """A teacher-paced session with one student, question 1 open."""
    run = open_session(teacher, pacing="teacher")
    ana = join_student(app, app.test_client(), run.code, "Ana")
    step(teacher, run, "start")
    return run, ana


def test_the_stamp_is_json_with_the_pages_security_headers(started: tuple[ClassRun, Student]) -> None:
    _, ana = started
    response = ana.client.get(f"{ana.play}/stamp")
    assert (response.status_code, response.json) == (200, {"stamp": "running.1.open"})
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response.headers
    secure = ana.client.get(f"{ana.play}/stamp", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    head = ana.client.head(f"{ana.play}/stamp")
    assert (head.status_code, head.data) == (200, b"")
    assert head.headers["Content-Length"] == str(len(response.data))


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/play/no-such-session/stamp", 404),
        ("GET", "/play/{session}/stamp/more", 404),
        ("GET", "/play/{session}%2Fx/stamp", 404),
        ("POST", "/play/{session}/stamp", 405),
    ],
)
def test_anything_else_goes_on_to_the_app_and_its_error_pages(
    started: tuple[ClassRun, Student], method: str, path: str, status: int
) -> None:
    run, ana = started
    response = ana.client.open(path.format(session=run.public_id), method=method)
    assert response.status_code == status
    assert "<h1" in response.get_data(as_text=True)  # the app's error page, not a bare answer


def test_a_remembered_stamp_costs_no_query(app: Flask, started: tuple[ClassRun, Student]) -> None:
    _, ana = started
    with app.app_context():
        engine = db.engine
    assert ana.client.get(f"{ana.play}/stamp").status_code == 200
    with counted_statements(engine) as statements:
        for _ in range(20):
            assert ana.client.get(f"{ana.play}/stamp").json == {"stamp": "running.1.open"}
    assert statements == []


def test_another_workers_phones_see_the_change_once_its_memory_is_old(
    workers: Callable[..., FlaskClient], teacher: FlaskClient, started: tuple[ClassRun, Student]
) -> None:
    run, ana = started
    other_worker = workers(STAMP_CACHE_SECONDS=0.3)
    other_worker.set_cookie("session", ana.client.get_cookie("session").value)  # type: ignore[union-attr]
    stamp = f"{ana.play}/stamp"
    assert other_worker.get(stamp).json == {"stamp": "running.1.open"}
    step(teacher, run, "reveal", 1)
    assert ana.client.get(stamp).json == {"stamp": "running.1.revealed"}  # the teacher's worker: at once
    assert other_worker.get(stamp).json == {"stamp": "running.1.open"}  # remembered, for 0.3 s at most
    time.sleep(0.35)
    assert other_worker.get(stamp).json == {"stamp": "running.1.revealed"}


# Long polling: `?after=<the page's stamp>` waits for a change (web/student_stamps.py)


@pytest.fixture
def workers(database: Path) -> Iterator[Callable[..., FlaskClient]]:
    """Other workers on this test's database (apps made with the given settings); their connections are
    closed at the end."""
    apps: list[Flask] = []

    def worker(**settings: object) -> FlaskClient:
        apps.append(make_app(database, **settings))
        return apps[-1].test_client()

    yield worker
    for made in apps:
        with made.app_context():
            close_connections()


def held_worker(workers: Callable[..., FlaskClient], hold: float) -> FlaskClient:
    """Another worker whose polls may wait `hold` seconds for a change (its memory of a stamp: 0.1 s)."""
    return workers(STAMP_HOLD_SECONDS=hold, STAMP_CACHE_SECONDS=0.1)


def timed_get(client: FlaskClient, path: str) -> tuple[dict[str, str], float]:
    """The stamp's JSON and the seconds it took."""
    started = time.monotonic()
    response = client.get(path)
    assert response.status_code == 200
    return response.json, time.monotonic() - started  # type: ignore[return-value]


def while_waiting(phone: FlaskClient, path: str, then: Callable[[], object]) -> tuple[dict[str, str], float]:
    """Send the poll `path`, check that it waits, do `then`; the poll's answer and the seconds it took."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        waiting = pool.submit(timed_get, phone, path)
        time.sleep(0.5)
        assert not waiting.done()  # nothing changed: the poll waits
        then()
        return waiting.result(timeout=15)


def test_a_poll_after_another_stamp_is_answered_at_once(
    workers: Callable[..., FlaskClient], started: tuple[ClassRun, Student]
) -> None:
    _, ana = started
    phone = held_worker(workers, hold=30)
    answer, seconds = timed_get(phone, f"{ana.play}/stamp?after=lobby.0.")
    assert answer == {"stamp": "running.1.open"}
    assert seconds < 15  # not held for the 30 s


def test_a_poll_after_the_same_stamp_waits_for_the_change(
    workers: Callable[..., FlaskClient], teacher: FlaskClient, started: tuple[ClassRun, Student]
) -> None:
    run, ana = started
    phone = held_worker(workers, hold=30)
    # the teacher's step is made in the teacher's worker (another app): the phone's worker reads it
    reveal = lambda: step(teacher, run, "reveal", 1)  # noqa: E731
    answer, seconds = while_waiting(phone, f"{ana.play}/stamp?after=running.1.open", reveal)
    assert answer == {"stamp": "running.1.revealed", "spread": SPREAD_MS_PER_PHONE}  # one phone waited
    assert 0.5 <= seconds < 15


def test_the_more_phones_wait_the_more_their_page_fetches_are_spread(
    workers: Callable[..., FlaskClient], teacher: FlaskClient, started: tuple[ClassRun, Student]
) -> None:
    run, ana = started
    phone = held_worker(workers, hold=30)
    path = f"{ana.play}/stamp?after=running.1.open"
    with ThreadPoolExecutor(max_workers=6) as pool:
        waiting = [pool.submit(timed_get, phone, path) for _ in range(6)]
        time.sleep(0.5)
        assert not any(poll.done() for poll in waiting)
        step(teacher, run, "reveal", 1)
        answers = [poll.result(timeout=15)[0] for poll in waiting]
    assert answers == [{"stamp": "running.1.revealed", "spread": 6 * SPREAD_MS_PER_PHONE}] * 6
    # the next change, with one phone waiting: its own spread
    answer, _ = while_waiting(
        phone, f"{ana.play}/stamp?after=running.1.revealed", lambda: step(teacher, run, "next", 1)
    )
    assert answer == {"stamp": "running.2.open", "spread": SPREAD_MS_PER_PHONE}


def test_a_poll_with_nothing_new_ends_after_the_hold_with_the_same_stamp(
    workers: Callable[..., FlaskClient], started: tuple[ClassRun, Student]
) -> None:
    _, ana = started
    phone = held_worker(workers, hold=0.4)
    answer, seconds = timed_get(phone, f"{ana.play}/stamp?after=running.1.open")
    assert answer == {"stamp": "running.1.open"}
    assert seconds >= 0.4


def test_outside_gevent_a_poll_never_waits(started: tuple[ClassRun, Student]) -> None:
    _, ana = started  # the test app: STAMP_HOLD_SECONDS unset, so automatic
    assert not waits_cheaply()  # pytest's threads: a waiting poll would hold a whole thread
    answer, seconds = timed_get(ana.client, f"{ana.play}/stamp?after=running.1.open")
    assert answer == {"stamp": "running.1.open"}
    assert seconds < 5


def test_a_stopping_server_lets_its_waiting_polls_go(
    workers: Callable[..., FlaskClient], started: tuple[ClassRun, Student]
) -> None:
    _, ana = started
    phone = held_worker(workers, hold=30)
    release = phone.application.extensions["student_stamps"].release
    answer, seconds = while_waiting(phone, f"{ana.play}/stamp?after=running.1.open", release)
    assert answer == {"stamp": "running.1.open"}  # unchanged: the page asks again, on another server
    assert seconds < 15


@pytest.mark.parametrize(("value", "held"), [("", None), ("0", 0.0), ("12.5", 12.5), ("60", 60.0)])
def test_the_hold_is_a_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, held: float | None
) -> None:
    monkeypatch.setenv("STAMP_HOLD_SECONDS", value)
    assert load_config(tmp_path)["STAMP_HOLD_SECONDS"] == held


@pytest.mark.parametrize("value", ["-1", "61", "soon", "nan"])
def test_a_bad_hold_stops_the_start_with_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("STAMP_HOLD_SECONDS", value)
    with pytest.raises(
        ValueError, match=f"^STAMP_HOLD_SECONDS must be a number of seconds from 0 to 60 .*not '{value}'$"
    ):
        load_config(tmp_path)
