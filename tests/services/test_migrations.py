"""Migrations create the schema, upgrade a database of every earlier revision (and one made before
migrations existed) in place, and go back down: on SQLite, and on PostgreSQL in the PostgreSQL run
(tests/databases.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.services.setup import BASELINE, initialise_database
from tests.conftest import make_app
from tests.databases import close_connections, empty_database

FIRST_RELEASE_TABLES = [
    "learner",
    "question_set",
    "question",
    "question_version",
    "attempt",
    "attempt_question",
    "response",
]


HEAD = "0011"
EARLIER = ["0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010"]


def test_a_new_database_gets_every_table_and_the_latest_revision(tmp_path: Path) -> None:
    app = make_app(empty_database(tmp_path, "new"))
    with app.app_context():
        initialise_database(Path(app.config["QUESTIONS_DIR"]))
        tables = set(inspect(db.engine).get_table_names())
        version = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
        close_connections()
    assert {"teacher", "rate_limit_hit", "class_session", "participant", *FIRST_RELEASE_TABLES} <= tables
    assert version == HEAD


@pytest.mark.parametrize("revision", EARLIER)
def test_a_database_of_every_earlier_revision_is_upgraded_and_loaded(tmp_path: Path, revision: str) -> None:
    app = make_app(empty_database(tmp_path, f"at_{revision}"))
    with app.app_context():
        upgrade(revision=revision)
        reports = initialise_database(Path(app.config["QUESTIONS_DIR"]))
        version = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
        tables = set(inspect(db.engine).get_table_names())
        close_connections()
    assert version == HEAD
    assert {"class_session", "participant", *FIRST_RELEASE_TABLES} <= tables
    assert reports[0].added


def test_every_migration_goes_down_to_nothing_and_back_up(tmp_path: Path) -> None:
    app = make_app(empty_database(tmp_path, "down_and_up"))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        version = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
        close_connections()
    assert version == HEAD


def test_a_first_release_database_is_upgraded_without_losing_attempts(tmp_path: Path) -> None:
    app = make_app(empty_database(tmp_path, "old"))
    with app.app_context():
        # The first release's schema, made by create_all() and so without alembic's version table.
        upgrade(revision=BASELINE)
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE alembic_version")
            connection.exec_driver_sql(
                "INSERT INTO question_set (slug, title, description, is_builtin, created_at, updated_at)"
                " VALUES ('article-bank', 'Old', '', TRUE, '2026-01-01', '2026-01-01')"
            )
            connection.exec_driver_sql("INSERT INTO learner (token, created_at) VALUES ('t', '2026-01-01')")
            connection.exec_driver_sql(
                "INSERT INTO attempt (public_id, learner_id, set_id, mode, settings, seed, state, started_at,"
                " max_score, question_count)"
                " VALUES ('a1', 1, 1, 'test', '{}', 1, 'in_progress', '2026-01-01', 0, 0)"
            )
        assert set(inspect(db.engine).get_table_names()) == set(FIRST_RELEASE_TABLES)

        reports = initialise_database(Path(app.config["QUESTIONS_DIR"]))

        assert "teacher" in inspect(db.engine).get_table_names()
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 1
        assert len(reports[0].added) > 0
        close_connections()


# One answer of 0007's schema: a set, its question and version, a learner's attempt, its slot and response.
_ROWS_0007 = (
    "INSERT INTO question_set (id, slug, title, description, is_builtin, created_at, updated_at)"
    " VALUES (1, 's', 'Set', '', FALSE, '2026-01-01', '2026-01-01')",
    "INSERT INTO question (id, set_id, key, position, current_number, hidden)"
    " VALUES (1, 1, 'q', 0, 1, FALSE)",
    "INSERT INTO question_version (id, question_id, number, type, content, content_hash, created_at)"
    " VALUES (1, 1, 1, 'numeric', '{}', 'h', '2026-01-01')",
    "INSERT INTO learner (id, token, created_at) VALUES (1, 't', '2026-01-01')",
    "INSERT INTO attempt (id, public_id, learner_id, set_id, mode, settings, seed, state, started_at,"
    " max_score, question_count)"
    " VALUES (1, 'a1', 1, 1, 'test', '{}', 1, 'finished', '2026-01-01', 1, 1)",
    "INSERT INTO attempt_question (id, attempt_id, position, question_version_id, item_order, option_order)"
    " VALUES (1, 1, 1, 1, '[]', '[]')",
    "INSERT INTO response (id, slot_id, attempt_id, question_version_id, given, points, answered_at)"
    " VALUES (1, 1, 1, 1, '200', 1.0, '2026-01-01')",
)


def test_0008_lets_an_answer_await_marking_and_keeps_the_answers_given(tmp_path: Path) -> None:
    """Upgrading to 0008 keeps every response and makes points nullable; going back counts unmarked as 0."""
    app = make_app(empty_database(tmp_path, "essays"))
    with app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as connection:
            for sql in _ROWS_0007:
                connection.exec_driver_sql(sql)
        upgrade(revision="0008")
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("response")}
        assert columns["points"]["nullable"] and {"comment", "marked_at", "marked_by"} <= set(columns)
        assert "unmarked" in {c["name"] for c in inspect(db.engine).get_columns("attempt")}
        with db.engine.begin() as connection:
            assert connection.exec_driver_sql("SELECT points, comment FROM response").all() == [(1.0, None)]
            assert connection.exec_driver_sql("SELECT unmarked FROM attempt").scalar() == 0
            connection.exec_driver_sql("UPDATE response SET points = NULL WHERE id = 1")  # awaiting marking
        downgrade(revision="0007")
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("response")}
        assert not columns["points"]["nullable"] and "comment" not in columns
        with db.engine.begin() as connection:
            assert connection.exec_driver_sql("SELECT points FROM response").scalar() == 0.0
        close_connections()


# A student's notes at 0008: two on the same question (a race on PostgreSQL could leave them), one on another,
# and two without a participant (kept: the rule is per student).
_FLAGS_0008 = (
    "INSERT INTO teacher (id, email, name, password_hash, session_token, created_at)"
    " VALUES (1, 't@example.org', 'T', 'h', 's', '2026-01-01')",
    "INSERT INTO question (id, set_id, key, position, current_number, hidden)"
    " VALUES (2, 1, 'q2', 1, 1, FALSE)",
    "INSERT INTO question_version (id, question_id, number, type, content, content_hash, created_at)"
    " VALUES (2, 2, 1, 'numeric', '{}', 'h2', '2026-01-01')",
    "INSERT INTO class_session (id, public_id, owner_id, set_id, title, join_code, pacing, settings, seed,"
    " plan, state, position, revision, created_at)"
    " VALUES (1, 's1', 1, 1, 'S', 'K7P3QM', 'student', '{}', 1, '[]', 'running', 0, 0, '2026-01-01')",
    "INSERT INTO participant (id, session_id, learner_id, display_name, name_key, attempt_id, removed,"
    " joined_at) VALUES (1, 1, 1, 'Ana', 'ana', 1, FALSE, '2026-01-01')",
    *(
        "INSERT INTO question_flag (id, question_id, question_version_id, session_id, participant_id,"
        f" comment, created_at) VALUES ({n}, {question}, {question}, 1, {participant}, 'n', '2026-01-01')"
        for n, question, participant in ((1, 1, 1), (2, 1, 1), (3, 2, 1), (4, 1, "NULL"), (5, 1, "NULL"))
    ),
)


def test_0009_keeps_one_note_per_student_and_question(tmp_path: Path) -> None:
    """Upgrading to 0009 drops a student's second note on a question (keeping the first) and refuses another;
    going back drops the rule and keeps the notes."""
    app = make_app(empty_database(tmp_path, "flags"))
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as connection:
            for sql in (*_ROWS_0007, *_FLAGS_0008):
                connection.exec_driver_sql(sql)
        upgrade(revision="0009")
        with db.engine.begin() as connection:
            assert connection.exec_driver_sql("SELECT id FROM question_flag ORDER BY id").scalars().all() == [
                1,
                3,
                4,
                5,
            ]
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO question_flag (question_id, question_version_id, session_id, participant_id,"
                " comment, created_at) VALUES (2, 2, 1, 1, 'again', '2026-01-01')"
            )
        downgrade(revision="0008")
        indexes = {i["name"] for i in inspect(db.engine).get_indexes("question_flag")}
        assert "uq_question_flag_participant_question" not in indexes
        with db.engine.begin() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM question_flag").scalar() == 4
        close_connections()
