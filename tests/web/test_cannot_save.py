"""When the database cannot be written (a full disk, a read-only file), a write gets a page that says so in
plain words, status 503, and nothing half-written; the server keeps reading."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from quizapp.domain.bank import QuestionBank
from quizapp.extensions import db
from quizapp.models import QuestionSet
from tests.databases import close_connections
from tests.web.taking import attempt_row, start_selection, token
from tests.web.teachers import ADA, sign_in_teacher

CANNOT_SAVE = "The server cannot save right now"


def read_only(app: Flask) -> None:
    """From now on every connection of the app may read but not write (SQLite's query_only: as a read-only
    file would, for tests run as root, whom file permissions do not stop; PostgreSQL's read-only
    transactions: as a hot standby or a revoked grant would)."""
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")

    def no_writes(connection: Any, _record: Any) -> None:
        if sqlite:
            connection.execute("PRAGMA query_only = ON")
        else:
            connection.execute("SET default_transaction_read_only = on")
            connection.commit()

    with app.app_context():
        event.listen(db.engine, "connect", no_writes)
        close_connections()  # the pooled connections could still write


def assert_cannot_save_page(response: Any) -> None:
    """503 with the app's page, and no trace of the error in it."""
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert CANNOT_SAVE in body and "earlier answers are safe" in body
    assert "Traceback" not in body and "readonly" not in body and "read-only" not in body
    assert response.headers["Retry-After"] == "60"


def test_finishing_a_quiz_on_a_read_only_database_says_so(
    app: Flask, client: FlaskClient, bank: QuestionBank, caplog: pytest.LogCaptureFixture
) -> None:
    public_id = start_selection(client, [bank.questions[0].id])
    read_only(app)
    with caplog.at_level(logging.ERROR):
        finished = client.post(f"/attempts/{public_id}/finish", data={"csrf_token": token(client)})
    assert_cannot_save_page(finished)
    assert "Cannot write the database" in caplog.text
    assert attempt_row(app, public_id).state == "in_progress"
    assert client.get(f"/attempts/{public_id}/1").status_code == 200  # reading still works


def test_a_new_set_on_a_read_only_database_says_so(app: Flask, client: FlaskClient) -> None:
    teacher = sign_in_teacher(app, client, ADA)
    read_only(app)
    created = teacher.post("/teacher/sets/new", data={"title": "Moon", "csrf_token": token(teacher)})
    assert_cannot_save_page(created)
    with app.app_context():
        assert (
            db.session.scalar(db.select(db.func.count(QuestionSet.id)).where(QuestionSet.title == "Moon"))
            == 0
        )


def test_no_free_connection_in_the_pool_says_try_again(app_with: Any, database: str) -> None:
    """Every connection of the worker's pool busy past its timeout (a year group's burst): the 503 page with
    Retry-After, not a 500."""
    crowded = app_with(
        SQLALCHEMY_DATABASE_URI=database,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2},
    )
    with crowded.app_context():
        held = db.engine.connect()  # another request of the same worker, still running
        try:
            response = crowded.test_client().get("/")
        finally:
            held.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert CANNOT_SAVE in response.get_data(as_text=True)
