"""Fixtures for service and CLI tests: an app context, more apps on their own files, banks to edit."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from quizapp import create_app
from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.bank import read_bank_file
from quizapp.domain.generation import QuizSpec
from quizapp.domain.questions import Question, QuestionType
from quizapp.domain.sessions import Pacing
from quizapp.extensions import db
from quizapp.models import Attempt, ClassSession, Learner, QuestionSet, QuestionVersion, Response, Teacher
from quizapp.models import Question as QuestionRow
from quizapp.paths import resource_root
from quizapp.services.accounts import create_teacher
from quizapp.services.classroom import SessionOptions, create_session
from quizapp.services.learners import ensure_learner
from quizapp.services.question_sets import ARTICLE_BANK, current_questions, get_set
from tests.databases import close_connections, sqlite_url
from tests.services.class_steps import NewSession
from tests.web.taking import answer_fields

BUILTIN_QUESTIONS = resource_root() / "questions"


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """The test's app, with its application context pushed."""
    with app.app_context():
        yield app


@pytest.fixture
def make_test_app() -> Iterator[Callable[..., Flask]]:
    """Build more apps (each on its own SQLite file); their connections are closed after the test."""
    apps: list[Flask] = []

    def build(database: str | Path, **overrides: Any) -> Flask:
        url = sqlite_url(database) if isinstance(database, Path) else database
        config = {"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url}
        apps.append(create_app({**config, **overrides}))
        return apps[-1]

    yield build
    for app in apps:
        with app.app_context():
            close_connections()


@pytest.fixture(scope="session")
def bank_size() -> int:
    """How many questions the built-in bank file holds (92 when this was written)."""
    check = read_bank_file(BUILTIN_QUESTIONS / "article-bank.yaml")
    assert check.bank is not None, [str(p) for p in check.problems]
    return len(check.bank.questions)


@pytest.fixture
def questions_copy(tmp_path: Path) -> Path:
    """A copy of the built-in questions folder (article and bank) that the test may edit."""
    folder = tmp_path / "questions"
    shutil.copytree(BUILTIN_QUESTIONS, folder)
    return folder


@pytest.fixture
def learner(ctx: Flask) -> Learner:
    """A new anonymous learner."""
    return ensure_learner(None)


@pytest.fixture
def single_choice_id(ctx: Flask) -> str:
    """The id of the first single-choice question of the loaded article bank."""
    versions = [v for _, v in current_questions(get_set(ARTICLE_BANK))]
    return next(v.content["id"] for v in versions if v.type == QuestionType.SINGLE_CHOICE)


def right_form(question: Question) -> dict[str, list[str]]:
    """The form fields a learner submits to answer `question` fully right, any type, written in authored
    indexes (indexed_forms.save_indexed sends them in the slot's tokens)."""
    indexes = AnswerTokens(
        items=tuple(str(i) for i in range(len(question.items))),
        options=tuple(str(j) for j in range(len(question.match_options))),
    )
    fields = answer_fields(question, question.kind.key_answer(question), indexes)
    return {name: value if isinstance(value, list) else [value] for name, value in fields.items()}


@pytest.fixture
def answer_right() -> Callable[[Question], dict[str, list[str]]]:
    """A function giving the form that answers a question fully right."""
    return right_form


def row_counts() -> dict[str, int]:
    """Rows per table (sets, questions, versions, attempts, responses); needs an app context."""
    models = {
        "sets": QuestionSet,
        "questions": QuestionRow,
        "versions": QuestionVersion,
        "attempts": Attempt,
        "responses": Response,
    }
    return {name: db.session.scalar(db.select(db.func.count()).select_from(m)) for name, m in models.items()}


@pytest.fixture
def counts() -> Callable[[Flask], dict[str, int]]:
    """A function giving `row_counts()` of an app, in an app context of its own."""

    def count(app: Flask) -> dict[str, int]:
        with app.app_context():
            return row_counts()

    return count


@pytest.fixture
def teacher(ctx: Flask) -> Teacher:
    """Ada, a teacher (the classroom service tests' and test_class_play.py's)."""
    return create_teacher("ada@school.org", "Ada", "correct horse battery")


@pytest.fixture
def new_session(teacher: Teacher) -> NewSession:
    """Open a session of Ada's on the article's bank: 3 questions of any type, teacher-paced unless told
    otherwise."""

    def make(count: int = 3, types: frozenset[QuestionType] = frozenset(), **options: Any) -> ClassSession:
        chosen = SessionOptions(**{"pacing": Pacing.TEACHER, **options})
        return create_session(teacher, get_set(ARTICLE_BANK), QuizSpec(count=count, types=types), chosen)[0]

    return make
