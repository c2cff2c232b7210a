"""The phones' stamp poll, answered before Flask from each worker's short-lived memory of the session's state.

Two apps on one database file stand for two gunicorn workers: a change of state made through one is seen by
the other's phones once its memory of the stamp is older than STAMP_CACHE_SECONDS, and at once by its own.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.web import CONTENT_SECURITY_POLICY
from tests.conftest import counted_statements, make_app
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
    app: Flask, database: Path, teacher: FlaskClient, started: tuple[ClassRun, Student]
) -> None:
    run, ana = started
    other_worker = make_app(database, STAMP_CACHE_SECONDS=0.3).test_client()
    other_worker.set_cookie("session", ana.client.get_cookie("session").value)  # type: ignore[union-attr]
    stamp = f"{ana.play}/stamp"
    assert other_worker.get(stamp).json == {"stamp": "running.1.open"}
    step(teacher, run, "reveal", 1)
    assert ana.client.get(stamp).json == {"stamp": "running.1.revealed"}  # the teacher's worker: at once
    assert other_worker.get(stamp).json == {"stamp": "running.1.open"}  # remembered, for 0.3 s at most
    time.sleep(0.35)
    assert other_worker.get(stamp).json == {"stamp": "running.1.revealed"}
