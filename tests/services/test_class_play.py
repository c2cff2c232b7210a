"""A student's place in a session read in one statement (services/class_play.py): the same facts as the ORM
path, as read models, whatever position is asked; after a reveal, their points and their rank in the
class, the rank the projector's leaderboard gives them."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.models import Attempt, ClassSession, Participant
from quizapp.services import NotFound
from quizapp.services.attempt_views import load_attempt
from quizapp.services.class_play import ParticipantRow, SessionRow, Standing, standing, student_place
from quizapp.services.classroom_live import live_view
from quizapp.services.session_flow import next_question, reveal_question, start_session
from tests.conftest import counted_statements
from tests.services.class_steps import NewSession, answer, join_class, question, right_form
from tests.services.read_checks import assert_holds_what_the_orm_reads


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
    assert [s.split()[0] for s in statements if s != "BEGIN"] == ["SELECT"]  # BEGIN: SQLite's own
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
    assert place.view.attempt == expected.attempt  # the same read model as the quiz pages'


def test_no_question_at_a_position_outside_the_quiz(new_session: NewSession) -> None:
    session = new_session(count=3)
    ((_, learner),) = join_class(session, "Ana")
    for position in (0, 4, 999_999):
        place = student_place(session.public_id, learner.token, position)
        assert place.view is not None and place.view.slots == ()
    assert student_place(session.public_id, learner.token).view.slots == ()  # type: ignore[union-attr]  # lobby


def test_a_students_place_holds_what_the_orm_reads(new_session: NewSession) -> None:
    session = new_session(count=2, time_limit=30)
    ((ana, learner),) = join_class(session, "Ana")
    start_session(session)  # a running session: opened at a time, in a state, at a position
    place = student_place(session.public_id, learner.token)
    db.session.expire_all()
    stored_session = db.session.get(ClassSession, session.id)
    stored_participant = db.session.get(Participant, ana.id)
    assert isinstance(place.session, SessionRow) and isinstance(place.participant, ParticipantRow)
    assert stored_session is not None and stored_session.question_opened_at is not None
    assert_holds_what_the_orm_reads(place.session, ClassSession, stored_session)
    assert_holds_what_the_orm_reads(place.participant, Participant, stored_participant)
    assert place.view is not None
    attempt = stored_participant.attempt
    assert_holds_what_the_orm_reads(place.view.attempt, Attempt, attempt, nested=("question_set",))


def test_what_was_not_read_is_an_attribute_error_not_none(new_session: NewSession) -> None:
    session = new_session(count=2)
    ((_, learner),) = join_class(session, "Ana")
    start_session(session)
    place = student_place(session.public_id, learner.token)
    assert place.view is not None
    # A running session's copy used to read these as None (and its participants as []).
    for read, name in [
        (place.session, "started_at"),
        (place.session, "plan"),
        (place.session, "join_code"),
        (place.session, "participants"),
        (place.participant, "joined_at"),
        (place.participant, "attempt"),
        (place.view.attempt, "learner"),
        (place.view.attempt, "slots"),
        (place.view.attempt.question_set, "owner"),
    ]:
        with pytest.raises(AttributeError):
            getattr(read, name)


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


# Each student's points on questions 1 to 3 (partial credit written into the stored answers). Points are
# compared as they are written (two decimals), as the projector does: Cai's 1.004 ties with Eve's 1.
POINTS = {
    "Ana": (1.0, 1.0, 0.0),
    "Ben": (1 / 3, 1 / 3, 1 / 3 + 1.0),
    "Cai": (0.5, 0.5, 0.004),
    "Dan": (0.0, 0.0, 0.0),
    "Eve": (0.1, 0.2, 0.7),
}


def test_the_rank_on_a_phone_is_the_leaderboards(new_session: NewSession) -> None:
    session = new_session(count=3, leaderboard=True)
    joined = join_class(session, *POINTS)
    start_session(session)
    for position in (1, 2, 3):
        for participant, learner in joined:
            answer(participant, learner, position, right_form(question(participant, position)))
        if position < 3:
            next_question(session, position)
    reveal_question(session, 3)
    for participant, _ in joined:
        for slot in participant.attempt.slots:
            slot.response.points = POINTS[participant.display_name][slot.position - 1]
    db.session.commit()
    ranks = {s.name: rank for rank, s in live_view(session).standings()}
    assert ranks == {"Ana": 1, "Ben": 1, "Cai": 3, "Eve": 3, "Dan": 5}
    with counted_statements() as statements:
        places = {p.display_name: standing(session, p) for p, _ in joined}
    assert len(statements) == len(joined)  # one statement each
    assert {name: s.place for name, s in places.items()} == ranks
    assert places["Ben"] == Standing(2.0, 1, 5) and places["Eve"] == Standing(1.0, 3, 5)


def test_without_the_leaderboard_only_the_points(new_session: NewSession) -> None:
    session = new_session(count=2, leaderboard=False)
    (ana, ana_learner), (ben, _) = join_class(session, "Ana", "Ben")
    start_session(session)
    answer(ana, ana_learner, 1, right_form(question(ana, 1)))
    reveal_question(session, 1)
    assert standing(session, ana) == Standing(1.0)
    assert standing(session, ben) == Standing(0.0)
