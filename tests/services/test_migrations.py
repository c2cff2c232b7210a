"""Migrations create the schema, and upgrade a database made before migrations existed, in place."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import inspect

from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.services.setup import BASELINE, initialise_database
from tests.conftest import make_app

FIRST_RELEASE_TABLES = [
    "learner",
    "question_set",
    "question",
    "question_version",
    "attempt",
    "attempt_question",
    "response",
]


def test_a_new_database_gets_every_table_and_the_latest_revision(tmp_path: Path) -> None:
    app = make_app(tmp_path / "new.sqlite3")
    with app.app_context():
        initialise_database(Path(app.config["QUESTIONS_DIR"]))
        tables = set(inspect(db.engine).get_table_names())
        version = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
        db.engine.dispose()
    assert {"teacher", "rate_limit_hit", "class_session", "participant", *FIRST_RELEASE_TABLES} <= tables
    assert version == "0008"


def test_a_first_release_database_is_upgraded_without_losing_attempts(tmp_path: Path) -> None:
    app = make_app(tmp_path / "old.sqlite3")
    with app.app_context():
        # The first release's schema, made by create_all() and so without alembic's version table.
        upgrade(revision=BASELINE)
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE alembic_version")
            connection.exec_driver_sql(
                "INSERT INTO question_set (slug, title, description, is_builtin, created_at, updated_at)"
                " VALUES ('article-bank', 'Old', '', 1, '2026-01-01', '2026-01-01')"
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
        db.engine.dispose()
