"""Migrations create the schema, and upgrade a database made before migrations existed, in place."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from quizapp.domain.generation import QuizSpec
from quizapp.extensions import db
from quizapp.models import Attempt, Learner
from quizapp.services.attempts import Mode, start_attempt
from quizapp.services.question_sets import ARTICLE_BANK
from quizapp.services.setup import initialise_database
from tests.conftest import make_app

FIRST_RELEASE_TABLES = [
    "learner", "question_set", "question", "question_version", "attempt", "attempt_question", "response",
]


def test_a_new_database_gets_every_table_and_the_latest_revision(tmp_path: Path) -> None:
    app = make_app(tmp_path / "new.sqlite3")
    with app.app_context():
        initialise_database(Path(app.config["QUESTIONS_DIR"]))
        tables = set(inspect(db.engine).get_table_names())
        version = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
        db.engine.dispose()
    assert {"teacher", "rate_limit_hit", *FIRST_RELEASE_TABLES} <= tables
    assert version == "0003"


def test_a_first_release_database_is_upgraded_without_losing_attempts(tmp_path: Path) -> None:
    app = make_app(tmp_path / "old.sqlite3")
    with app.app_context():
        old_tables = [db.metadata.tables[name] for name in FIRST_RELEASE_TABLES]
        db.metadata.create_all(db.engine, tables=old_tables)  # what the first release's create_all() made
        from quizapp.services.question_sets import sync_bank_folder

        sync_bank_folder(Path(app.config["QUESTIONS_DIR"]))
        learner = Learner(token="t")
        db.session.add(learner)
        db.session.commit()
        start_attempt(learner, QuizSpec(count=5), Mode.TEST, ARTICLE_BANK)
        assert "teacher" not in inspect(db.engine).get_table_names()

        reports = initialise_database(Path(app.config["QUESTIONS_DIR"]))

        assert "teacher" in inspect(db.engine).get_table_names()
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 1
        assert reports[0].added == [] and reports[0].unchanged > 0
        db.engine.dispose()
