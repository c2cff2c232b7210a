"""Reads built once (quizapp/prepared.py): rows hold what the ORM reads, in the request's transaction, seen
by the engine's listeners; the copies built from them stay out of the database session."""

from __future__ import annotations

from sqlalchemy import bindparam, inspect, select

from quizapp.extensions import db
from quizapp.models import Attempt, Learner, QuestionSet
from quizapp.prepared import Prepared, column_names, columns_of, copy_of, transient
from quizapp.services.attempt_views import load_attempt
from quizapp.services.attempts import finish_attempt
from quizapp.services.question_sets import ARTICLE_BANK
from tests.conftest import counted_statements
from tests.services.conftest import right_form
from tests.services.indexed_forms import save_indexed
from tests.services.test_attempts_service import start

ATTEMPT = Prepared(
    lambda: (
        select(*columns_of(Attempt, "a"), *columns_of(QuestionSet, "set"))
        .join(QuestionSet, QuestionSet.id == Attempt.set_id)
        .where(Attempt.public_id == bindparam("public_id"))
    )
)


def test_a_row_holds_what_the_orm_reads(learner: Learner) -> None:
    view = start(learner, count=2)
    save_indexed(view, 1, right_form(view.slot(1).question))
    finish_attempt(view.attempt)  # a score, a finishing time: floats and dates, and JSON settings
    row = ATTEMPT.first(public_id=view.attempt.public_id)
    db.session.expire_all()
    stored = db.session.scalar(db.select(Attempt).where(Attempt.public_id == view.attempt.public_id))
    assert stored is not None and stored.finished_at is not None and stored.score == 1.0
    copy = copy_of(Attempt, row, "a")
    for name in column_names(Attempt):
        assert getattr(copy, name) == getattr(stored, name), name
        assert type(getattr(copy, name)) is type(getattr(stored, name)), name
    bank = copy_of(QuestionSet, row, "set")
    assert (bank.slug, bank.is_builtin, bank.share_token) == (ARTICLE_BANK, True, None)
    assert bank.is_builtin is True  # a boolean, not SQLite's 1


def test_no_row_is_none(ctx: object) -> None:
    assert ATTEMPT.first(public_id="nobody") is None
    assert ATTEMPT.rows(public_id="nobody") == []


def test_it_reads_in_the_request_transaction_and_is_counted(ctx: object) -> None:
    by_token = Prepared(lambda: select(Learner.id, Learner.token).where(Learner.token == bindparam("token")))
    db.session.add(Learner(token="not-committed-yet"))
    db.session.flush()  # written in this transaction only
    with counted_statements() as statements:
        row = by_token.first(token="not-committed-yet")
    assert row is not None and row.token == "not-committed-yet"
    assert [s.split()[0] for s in statements] == ["SELECT"]
    db.session.rollback()
    assert by_token.first(token="not-committed-yet") is None


def test_a_list_parameter_is_expanded(ctx: object) -> None:
    db.session.add_all([Learner(token="one"), Learner(token="two"), Learner(token="three")])
    db.session.flush()
    listed = Prepared(
        lambda: select(Learner.token).where(Learner.token.in_(bindparam("tokens", expanding=True)))
    )
    assert sorted(row.token for row in listed.rows(tokens=["one", "three"])) == ["one", "three"]


def test_a_copy_stays_out_of_the_database_session(ctx: object) -> None:
    copy = transient(Learner, {"id": 12345, "token": "copy", "display_name": None})
    assert inspect(copy).transient and copy not in db.session
    assert (copy.id, copy.token, copy.display_name) == (12345, "copy", None)
    db.session.commit()
    assert db.session.get(Learner, 12345) is None  # nothing was written


def test_an_attempt_is_loaded_in_one_statement(learner: Learner) -> None:
    view = start(learner, count=5)
    save_indexed(view, 2, right_form(view.slot(2).question))
    with counted_statements() as statements:
        again = load_attempt(view.attempt.public_id, learner)
    assert [s.split()[0] for s in statements if not s.startswith("BEGIN")] == ["SELECT"]
    assert [s.position for s in again.slots] == [1, 2, 3, 4, 5]
    assert again.slot(2).points == 1.0 and again.slot(1).given is None
    assert again.attempt.question_set.slug == ARTICLE_BANK and again.attempt.learner is learner
