"""A student flags each question once, and sends at most MAX_FLAGS notes in a session: beyond, the flag page
says why beside the comment, with 409 or 429, and nothing is written."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import QuestionFlag
from quizapp.services import classroom
from quizapp.services.classroom import MAX_FLAGS
from tests.web.classroom_steps import class_of, flag, text_of
from tests.web.teachers import field_errors


def flag_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(QuestionFlag.id)))


def test_a_question_is_flagged_once_per_student(app: Flask, client: FlaskClient) -> None:
    ana = class_of(app, client, 3)
    assert flag(ana, 1).status_code == 302
    again = flag(ana, 1, "Still wrong")
    assert again.status_code == 409
    assert field_errors(text_of(again), "comment") == [
        "You already told your teacher about this question: they have your note."
    ]
    assert flag_count(app) == 1
    assert flag(ana, 2).status_code == 302  # another question still can be
    assert flag_count(app) == 2


def test_a_student_sends_at_most_the_limit_of_notes(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a limit of 4 (the bank's questions that can be asked together are ~20: a session of MAX_FLAGS + 1
    may hold fewer, so the limit is lowered rather than the session grown)."""
    assert MAX_FLAGS == 20
    monkeypatch.setattr(classroom, "MAX_FLAGS", 4)
    ana = class_of(app, client, 5)
    for position in range(1, 5):
        assert flag(ana, position).status_code == 302, position
    over = flag(ana, 5)
    assert over.status_code == 429
    assert field_errors(text_of(over), "comment") == [
        "You have sent 4 notes in this session, the most one student can."
    ]
    assert flag_count(app) == 4
