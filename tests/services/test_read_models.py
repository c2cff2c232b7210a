"""Read models (frozen dataclasses filled from Core selects): each field holds what the ORM reads, value and
type; a field that was not read is an AttributeError, never None; they cannot be written through; they are
read in the request's transaction, in one statement."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy.orm.exc import UnmappedInstanceError

from quizapp.extensions import db
from quizapp.models import Attempt, Learner, QuestionSet
from quizapp.services.attempt_views import AttemptRow, load_attempt
from quizapp.services.attempts import finish_attempt
from quizapp.services.question_sets import ARTICLE_BANK, SetRow
from tests.conftest import counted_statements
from tests.services.attempt_steps import start
from tests.services.conftest import right_form
from tests.services.indexed_forms import save_indexed
from tests.services.read_checks import assert_holds_what_the_orm_reads


def test_an_attempt_holds_what_the_orm_reads(learner: Learner) -> None:
    view = start(learner, count=2)
    save_indexed(view, 1, right_form(view.slot(1).question))
    finish_attempt(view.attempt)  # a score, a finishing time: floats and dates, and JSON settings
    read = load_attempt(view.attempt.public_id, learner).attempt
    db.session.expire_all()
    stored = db.session.scalar(db.select(Attempt).where(Attempt.public_id == view.attempt.public_id))
    assert stored is not None and stored.finished_at is not None and stored.score == 1.0
    assert isinstance(read, AttemptRow) and isinstance(read.question_set, SetRow)
    assert_holds_what_the_orm_reads(read, Attempt, stored, nested=("question_set",))
    assert_holds_what_the_orm_reads(read.question_set, QuestionSet, stored.question_set)
    assert (read.question_set.slug, read.question_set.is_builtin) == (ARTICLE_BANK, True)


def test_nothing_is_written_through_a_read_model(learner: Learner) -> None:
    view = start(learner, count=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.attempt.state = "finished"  # type: ignore[misc]
    with pytest.raises(UnmappedInstanceError):  # not an ORM object: no session takes it, no commit writes it
        db.session.add(view.attempt)


def test_an_attempt_is_read_in_the_request_transaction_in_one_statement(learner: Learner) -> None:
    view = start(learner, count=5)
    save_indexed(view, 2, right_form(view.slot(2).question))
    stored = db.session.scalar(db.select(Attempt).where(Attempt.id == view.attempt.id))
    assert stored is not None
    stored.state = "finished"
    db.session.flush()  # written in this transaction only
    with counted_statements() as statements:
        again = load_attempt(view.attempt.public_id, learner)
    assert [s.split()[0] for s in statements if not s.startswith("BEGIN")] == ["SELECT"]
    assert again.attempt.state == "finished"
    assert [s.position for s in again.slots] == [1, 2, 3, 4, 5]
    assert again.slot(2).points == 1.0 and again.slot(1).given is None
    assert again.attempt.question_set.slug == ARTICLE_BANK
    db.session.rollback()
    assert load_attempt(view.attempt.public_id, learner).attempt.state == "in_progress"
