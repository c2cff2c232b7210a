"""Requests that race each other's writes get SQLite's outcome on PostgreSQL too: one answer per question and
scores that hold every answer, one place per browser, capped flags and rate limits, one account per e-mail.

SQLite runs write transactions one at a time; PostgreSQL runs them side by side, so each of these paths locks
what it reads first (quizapp/database.py). Every browser here is a test client of its own app (its own engine
and connections) on the test's database, released together by a barrier; a pause inside the write
(`pause_before`) holds each one between its check and its write, so without the locks the race is lost every
time on PostgreSQL. On SQLite the same requests simply run one after the other.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.pool import NullPool
from werkzeug.test import TestResponse

from quizapp.extensions import db
from quizapp.models import Attempt, ClassSession, Participant, QuestionFlag, RateLimitHit, Response, Teacher
from quizapp.services import classroom
from tests.conftest import get_token, start_quiz
from tests.databases import ON_POSTGRES
from tests.web.account_steps import NEW_PASSWORD
from tests.web.classroom_steps import class_of, flag, join_student, open_session, slot_at, step, token
from tests.web.taking import attempt_slots, fields_for
from tests.web.teachers import ADA, sign_in_teacher

PAUSE = 0.3  # seconds each racer waits inside its write, between its check and its write


def pause_before(app: Flask, statement: str, seconds: float = PAUSE) -> None:
    """Make the app's database connections wait `seconds` before each statement starting with `statement`."""
    with app.app_context():
        engine = db.engine

    def pause(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if sql.lstrip().upper().startswith(statement):
            time.sleep(seconds)

    event.listen(engine, "before_cursor_execute", pause)


def browser(app_with: Callable[..., Flask], like: FlaskClient | None = None, **config: object) -> FlaskClient:
    """A browser on an app of its own; with `like`, the same browser (its session cookie) in another tab."""
    client = app_with(**config).test_client()
    if like is not None:
        cookie = like.get_cookie("session")
        assert cookie is not None
        client.set_cookie("session", cookie.value)
    return client


def race(*calls: Callable[[], TestResponse]) -> list[TestResponse]:
    """Run the calls in threads of their own, released together; their responses in order."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], TestResponse]) -> TestResponse:
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.result(timeout=60) for future in futures]


def statuses(responses: list[TestResponse]) -> list[int]:
    return sorted(response.status_code for response in responses)


def test_two_clicks_on_one_answer_store_it_once(app: Flask, client: FlaskClient, app_with: Callable) -> None:
    public_id = start_quiz(client, mode="test")
    data = {**fields_for(attempt_slots(app, public_id)[0], "right"), "csrf_token": get_token(client)}
    tabs = [browser(app_with, like=client) for _ in range(3)]
    for tab in tabs:
        pause_before(tab.application, "INSERT INTO RESPONSE")

    clicks = race(*(lambda tab=tab: tab.post(f"/attempts/{public_id}/1", data=data) for tab in tabs))

    assert statuses(clicks) == [302, 302, 302]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_answers_being_saved_when_the_teacher_closes_count_in_the_scores(
    app: Flask, client: FlaskClient, app_with: Callable
) -> None:
    """Every answer is either refused or saved before the close, and counted in its student's score."""
    teacher = sign_in_teacher(app, client, ADA)
    run = open_session(teacher, count=3, pacing="student")
    students = [join_student(app, app.test_client(), run.code, name) for name in ("Ana", "Ben", "Cai")]
    assert step(teacher, run, "start").status_code == 302
    calls = []
    for student in students:
        tab = browser(app_with, like=student.client)
        pause_before(tab.application, "INSERT INTO RESPONSE")
        path = f"/attempts/{student.attempt_id}/1"
        assert tab.get(path).status_code == 200  # the app warmed up: the race starts at the barrier
        data = {**fields_for(slot_at(app, student, 1), "right"), "csrf_token": token(student.client)}
        calls.append(lambda tab=tab, path=path, data=data: tab.post(path, data=data))
    board = browser(app_with, like=teacher)
    assert board.get(run.board).status_code == 200
    close = {"csrf_token": token(teacher), "position": "0", "confirmed": "yes"}

    def close_soon() -> TestResponse:
        time.sleep(PAUSE / 2)  # the students are inside their writes by then
        return board.post(f"{run.board}/close", data=close)

    responses = race(*calls, close_soon)

    assert statuses(responses) == [302, 302, 302, 302]
    with app.app_context():
        session = db.session.scalar(db.select(ClassSession).where(ClassSession.public_id == run.public_id))
        assert session is not None and session.state == "closed"
        attempts = db.session.scalars(db.select(Attempt).where(Attempt.session_id == session.id)).all()
        assert [a.state for a in attempts] == ["finished"] * 3
        for attempt in attempts:
            answers = db.session.scalars(db.select(Response).where(Response.attempt_id == attempt.id)).all()
            assert attempt.score == sum(answer.points or 0 for answer in answers), attempt.id
            assert all(answer.answered_at <= session.closed_at for answer in answers)


def test_a_double_click_on_join_gives_one_place(app: Flask, client: FlaskClient, app_with: Callable) -> None:
    run = open_session(sign_in_teacher(app, client, ADA))
    student = app.test_client()
    start_quiz(student)  # the browser has its learner, as one that opened the site before
    data = {"csrf_token": token(student), "code": run.code, "name": "Ana"}
    tabs = [browser(app_with, like=student) for _ in range(2)]
    for tab in tabs:
        pause_before(tab.application, "INSERT INTO ATTEMPT")

    joins = race(*(lambda tab=tab: tab.post("/join", data=data) for tab in tabs))

    assert statuses(joins) == [302, 302]
    assert {response.headers["Location"] for response in joins} == {f"/play/{run.public_id}"}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Participant.id))) == 1


def test_two_students_taking_one_name_at_once_get_one_place(
    app: Flask, client: FlaskClient, app_with: Callable
) -> None:
    """Joins hold the session's gate shared on PostgreSQL (a class joins side by side): the name's unique
    constraint decides, and the second student is asked for another name, with nothing of theirs stored."""
    run = open_session(sign_in_teacher(app, client, ADA))
    students = [app.test_client() for _ in range(2)]
    for student in students:
        start_quiz(student)
    tabs = [browser(app_with, like=student) for student in students]
    for tab in tabs:
        pause_before(tab.application, "INSERT INTO ATTEMPT")
    forms = [{"csrf_token": token(student), "code": run.code, "name": "Ana"} for student in students]

    joins = race(
        *(
            lambda tab=tab, form=form: tab.post("/join", data=form)
            for tab, form in zip(tabs, forms, strict=True)
        )
    )

    assert statuses(joins) == [302, 409]
    refused = next(response for response in joins if response.status_code == 409)
    assert "already called" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Participant.id))) == 1
        assert (
            db.session.scalar(db.select(db.func.count(Attempt.id)).where(Attempt.session_id.is_not(None)))
            == 1
        )


def test_notes_sent_at_once_stop_at_the_limit(
    app: Flask, client: FlaskClient, app_with: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a limit of 4 (a session asked for MAX_FLAGS + 1 = 21 questions can come out shorter: the bank's
    questions that can be asked together are ~20, so the last position could be missing and answer 404)."""
    limit = 4
    monkeypatch.setattr(classroom, "MAX_FLAGS", limit)
    ana = class_of(app, client, limit + 1)
    for position in range(1, limit - 1):
        assert flag(ana, position).status_code == 302
    data = {"csrf_token": token(ana.client), "comment": "Looks wrong"}
    tabs = [browser(app_with, like=ana.client) for _ in range(3)]
    for tab in tabs:
        pause_before(tab.application, "INSERT INTO QUESTION_FLAG")
    positions = (limit - 1, limit, limit + 1)

    sent = race(
        *(
            lambda t=t, p=p: t.post(f"{ana.play}/flag/{p}", data=data)
            for t, p in zip(tabs, positions, strict=True)
        )
    )

    assert statuses(sent) == [302, 302, 429]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(QuestionFlag.id))) == limit


def test_a_question_flagged_twice_at_once_is_flagged_once(
    app: Flask, client: FlaskClient, app_with: Callable
) -> None:
    ana = class_of(app, client, 2)
    data = {"csrf_token": token(ana.client), "comment": "Looks wrong"}
    tabs = [browser(app_with, like=ana.client) for _ in range(2)]
    for tab in tabs:
        pause_before(tab.application, "INSERT INTO QUESTION_FLAG")

    sent = race(*(lambda tab=tab: tab.post(f"{ana.play}/flag/1", data=data) for tab in tabs))

    assert statuses(sent) == [302, 409]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(QuestionFlag.id))) == 1


def test_wrong_codes_sent_at_once_are_counted_up_to_the_limit(app_with: Callable) -> None:
    phones = [browser(app_with, JOIN_LIMIT="2/900") for _ in range(5)]
    calls = []
    for phone in phones:
        pause_before(phone.application, "INSERT INTO RATE_LIMIT_HIT")
        data = {"csrf_token": token(phone), "code": "ZZZZZZ", "name": "Ana"}
        calls.append(lambda phone=phone, data=data: phone.post("/join", data=data))

    tries = race(*calls)

    assert statuses(tries) == [404, 404, 429, 429, 429]
    with phones[0].application.app_context():
        assert db.session.scalar(db.select(db.func.count(RateLimitHit.id))) == 2


def test_one_email_registered_twice_at_once_makes_one_account(app: Flask, app_with: Callable) -> None:
    """Both get the answer a new e-mail gets (the form tells nobody who has an account), not an error."""
    forms = [browser(app_with) for _ in range(2)]
    calls = []
    for form in forms:
        pause_before(form.application, "INSERT INTO TEACHER")
        data = {
            "name": "Ada Lovelace",
            "email": ADA,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": get_token(form, "/teacher/login"),
        }
        calls.append(lambda form=form, data=data: form.post("/teacher/register", data=data))

    registered = race(*calls)

    assert statuses(registered) == [302, 302]
    assert {response.headers["Location"] for response in registered} == {"/teacher/login"}
    with app.app_context():
        assert db.session.scalars(db.select(Teacher.email)).all() == [ADA]


def test_an_answer_waiting_too_long_for_a_lock_is_told_to_try_again(
    app_with: Callable, database: str
) -> None:
    """A lock held past the timeout (SQLITE_BUSY_TIMEOUT_MS: SQLite's busy timeout, PostgreSQL's lock_timeout)
    gives the 503 page that a database that cannot write gives, and nothing is saved."""
    impatient = app_with(SQLITE_BUSY_TIMEOUT_MS=200)
    client = impatient.test_client()
    public_id = start_quiz(client, mode="test")
    data = {**fields_for(attempt_slots(impatient, public_id)[0], "right"), "csrf_token": get_token(client)}
    other = create_engine(database, poolclass=NullPool)
    try:
        with other.connect() as connection:  # another server holds the attempt, and does not let go
            if ON_POSTGRES:
                connection.execute(
                    text("SELECT id FROM attempt WHERE public_id = :p FOR UPDATE"), {"p": public_id}
                )
            else:  # SQLite locks the whole database for a writer
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            response = client.post(f"/attempts/{public_id}/1", data=data)
            connection.rollback()
    finally:
        other.dispose()

    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "The server cannot save right now" in response.get_data(as_text=True)
    with impatient.app_context():
        assert db.session.scalar(db.select(db.func.count(Response.id))) == 0
