"""A student's place in a session read in one statement (services/class_play.py): the same facts as the ORM
path, as read-only copies, whatever position is asked."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from quizapp.extensions import db
from quizapp.services import NotFound
from quizapp.services.attempt_views import load_attempt
from quizapp.services.class_play import student_place
from quizapp.services.session_flow import next_question, start_session
from tests.conftest import counted_statements
from tests.services.test_classroom_service import (  # noqa: F401  (teacher and new_session are fixtures)
    NewSession,
    answer,
    join_class,
    new_session,
    question,
    right_form,
    teacher,
)


def test_the_place_holds_what_the_orm_reads_in_one_statement(new_session: NewSession) -> None:
    session = new_session(count=3)
    ((ana, learner),) = join_class(session, "Ana")
    start_session(session)
    answer(ana, learner, 1, right_form(question(ana, 1)))
    next_question(session, 1)
    public_id, token = session.public_id, learner.token
    db.session.expire_all()
    with counted_statements() as statements:
        place = student_place(public_id, token, 1)
    assert [s.split()[0] for s in statements] == ["BEGIN", "SELECT"]
    assert (place.session.id, place.session.state, place.session.position) == (session.id, "running", 2)
    assert place.session.settings == session.settings and place.session.title == session.title
    assert (place.participant.id, place.participant.display_name, place.participant.removed) == (  # type: ignore[union-attr]
        ana.id,
        "Ana",
        False,
    )
    expected = load_attempt(ana.attempt.public_id, learner)
    assert place.view is not None
    assert place.view.attempt.public_id == expected.attempt.public_id
    assert (
        place.view.attempt.question_count == 3
        and place.view.attempt.started_at == expected.attempt.started_at
    )
    assert place.view.slots == (expected.slot(1),)  # answered: given and points as stored
    assert place.view.slots[0].points == 1.0
    current = student_place(session.public_id, learner.token)
    assert current.view.slots == (expected.slot(2),)  # type: ignore[union-attr]  # the board's question
    for copy in (place.session, place.participant, place.view.attempt):
        assert inspect(copy).transient  # never added to the database session


def test_no_question_at_a_position_outside_the_quiz(new_session: NewSession) -> None:
    session = new_session(count=3)
    ((_, learner),) = join_class(session, "Ana")
    for position in (0, 4, 999_999):
        place = student_place(session.public_id, learner.token, position)
        assert place.view is not None and place.view.slots == ()
    assert student_place(session.public_id, learner.token).view.slots == ()  # type: ignore[union-attr]  # lobby


@pytest.mark.parametrize("token", [None, "", "someone-else"])
def test_a_browser_that_did_not_join_has_no_place(new_session: NewSession, token: str | None) -> None:
    session = new_session()
    join_class(session, "Ana")
    place = student_place(session.public_id, token)
    assert (place.session.id, place.participant, place.view) == (session.id, None, None)


def test_an_unknown_session_is_not_found(new_session: NewSession) -> None:
    new_session()
    with pytest.raises(NotFound):
        student_place("no-such-session", None)
