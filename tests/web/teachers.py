"""A teacher's account and sets for the web tests: signing a teacher in, making and sharing a set through the
services, reading a set back, and reading a page's text, its form errors and a report's row names."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from quizapp.extensions import db
from quizapp.models import Question, QuestionSet
from quizapp.services import teacher_sets
from quizapp.services.accounts import create_teacher, find_teacher
from quizapp.services.question_sets import current_questions
from tests.conftest import get_token
from tests.unit.factories import make_question

PASSWORD = "correct horse battery"


ADA, GRACE = "ada@school.org", "grace@school.org"


FIRST = (
    "On Tuesday, the Chang’e 6 probe, which landed on the far side of the moon, proudly displayed a "
    "Chinese flag."
)


SECOND = "This significant event was shared by China Daily."


TEXT = f"{FIRST} {SECOND}\nThe samples came back to Earth in June. Scientists are studying them now."


BANK_QUESTION = "flag-displayed-on-tuesday"  # a bank question quoting FIRST


def sign_in_teacher(app: Flask, client: FlaskClient, email: str, name: str = "Ada Lovelace") -> FlaskClient:
    """Open an account for `email` and sign `client` in with it."""
    with app.app_context():
        create_teacher(email, name, PASSWORD)
    data = {"email": email, "password": PASSWORD, "csrf_token": get_token(client, "/teacher/login")}
    response = client.post("/teacher/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def make_set(
    app: Flask,
    email: str,
    title: str = "Flag set",
    text: str = TEXT,
    questions: list[dict[str, Any]] | None = None,
) -> int:
    """A set of `email`'s with source text `text` and `questions` (default: two quoting SECOND)."""
    with app.app_context():
        question_set = teacher_sets.create_set(find_teacher(email), title, "A short reading", text)
        teacher_sets.add_questions(question_set, questions if questions is not None else two_questions())
        return question_set.id


def two_questions() -> list[dict[str, Any]]:
    """A single-choice and a true-or-false question, both quoting SECOND."""
    return [make_question("single_choice", id="q1"), make_question("true_false", id="q2")]


def share_set(app: Flask, set_id: int) -> str:
    """Turn the set's share link on; returns its token."""
    with app.app_context():
        return teacher_sets.share(db.session.get(QuestionSet, set_id))


def set_row(app: Flask, set_id: int) -> QuestionSet:
    """The set as stored now."""
    with app.app_context():
        return db.session.get(QuestionSet, set_id)


def set_keys(app: Flask, set_id: int) -> list[str]:
    """The set's current question ids, in order."""
    with app.app_context():
        return [row.key for row, _ in current_questions(db.session.get(QuestionSet, set_id))]


def database_state(app: Flask) -> tuple[object, ...]:
    """Every set's fields, share link and questions with their versions: whatever a POST could change."""
    with app.app_context():
        sets = db.session.execute(
            db.select(
                QuestionSet.id,
                QuestionSet.title,
                QuestionSet.description,
                QuestionSet.source_text,
                QuestionSet.share_token,
            )
        ).all()
        questions = db.session.execute(
            db.select(
                Question.set_id, Question.key, Question.position, Question.current_number, Question.hidden
            )
        ).all()
        return tuple(map(tuple, sets)), tuple(map(tuple, questions))


def page_text(response: TestResponse) -> str:
    """The page's HTML with entities decoded."""
    return unescape(response.get_data(as_text=True))


def field_errors(html: str, field: str) -> list[str]:
    """The error messages shown beside a form field."""
    return [unescape(m) for m in re.findall(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)]


def row_names(html: str) -> list[str]:
    return [name.strip() for name in re.findall(r'<th scope="row">([^<]+)', html)]
