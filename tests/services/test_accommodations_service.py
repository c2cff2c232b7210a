"""Extra time in class sessions (issue 14 §3, WCAG 2.2.1): the server's deadline for each multiplier and no
limit, student- and teacher-paced; a teacher-paced question waits for students still in their extra time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizapp.domain.sessions import EXTRA_TIME_KEY, GRACE, AnswerRefused, ExtraTime, Pacing
from quizapp.extensions import db
from quizapp.models import Attempt, ClassSession, Learner, Participant, utc_now
from quizapp.services import NotFound
from quizapp.services.attempt_views import load_attempt
from quizapp.services.attempts import attempt_seconds_left, save_answer
from quizapp.services.classroom import extra_time_for, set_extra_time
from quizapp.services.classroom_live import live_view
from quizapp.services.session_flow import (
    QuestionHeld,
    next_question,
    reveal_question,
    seconds_left,
    start_session,
    still_answering,
)
from tests.conftest import counted_statements
from tests.databases import ON_POSTGRES
from tests.services.class_steps import NewSession, join_class, question, right_form

LIMIT = 60  # seconds: per question (teacher-paced) or for the whole quiz (student-paced)
MULTIPLIERS = {ExtraTime.NONE: 1.0, ExtraTime.HALF: 1.5, ExtraTime.DOUBLE: 2.0}


def started(new_session: NewSession, pacing: Pacing, *names: str) -> tuple[ClassSession, list]:
    """A running 3-question session with a 60 s limit and these students in it."""
    session = new_session(pacing=pacing, time_limit=LIMIT)
    joined = join_class(session, *names)
    assert start_session(session)
    return session, joined


def turn_clock(session: ClassSession, seconds_ago: float) -> None:
    """Pretend the open question (teacher-paced) and every quiz (student-paced) started `seconds_ago` ago."""
    then = utc_now() - timedelta(seconds=seconds_ago)
    db.session.refresh(session)
    session.started_at = then
    if session.question_opened_at is not None:
        session.question_opened_at = then
    db.session.execute(db.update(Attempt).where(Attempt.session_id == session.id).values(started_at=then))
    db.session.commit()
    db.session.expire_all()


def try_answer(participant: Participant, learner: Learner) -> bool:
    """Send a right answer to question 1; True when it was stored, False when refused as late."""
    view = load_attempt(participant.attempt.public_id, learner)
    try:
        return save_answer(view, 1, right_form(question(participant, 1)))
    except AnswerRefused:
        return False


@pytest.mark.parametrize("pacing", [Pacing.STUDENT, Pacing.TEACHER])
@pytest.mark.parametrize("extra", list(MULTIPLIERS))
def test_an_answer_within_the_extended_time_is_stored_and_a_later_one_refused(
    new_session: NewSession, pacing: Pacing, extra: ExtraTime
) -> None:
    session, [(ana, ana_l), (ben, ben_l)] = started(new_session, pacing, "Ana", "Ben")
    set_extra_time(session, ana.id, extra)
    own_limit = LIMIT * MULTIPLIERS[extra]
    grace = GRACE.total_seconds()
    turn_clock(session, own_limit - 5)  # within Ana's own time
    assert try_answer(ana, ana_l)
    if extra is not ExtraTime.NONE:
        assert not try_answer(ben, ben_l)  # past the normal limit: Ben has no extra time
    turn_clock(session, own_limit + grace + 2)  # past Ana's own time and its grace
    assert not try_answer(ana, ana_l)  # a change of answer is refused too
    db.session.expire_all()
    attempt = db.session.get(Attempt, ana.attempt_id)
    assert attempt is not None and attempt.settings.get(EXTRA_TIME_KEY) == (
        None if extra is ExtraTime.NONE else extra.value
    )


@pytest.mark.parametrize("pacing", [Pacing.STUDENT, Pacing.TEACHER])
def test_no_time_limit_accepts_an_answer_long_after_the_limit(
    new_session: NewSession, pacing: Pacing
) -> None:
    session, [(ana, ana_l), (ben, ben_l)] = started(new_session, pacing, "Ana", "Ben")
    set_extra_time(session, ana.id, ExtraTime.NO_LIMIT)
    turn_clock(session, LIMIT * 20)
    assert not try_answer(ben, ben_l)
    assert try_answer(ana, ana_l)


@pytest.mark.parametrize("extra", list(ExtraTime))
def test_the_time_left_a_student_is_shown_is_their_own(new_session: NewSession, extra: ExtraTime) -> None:
    for pacing in Pacing:
        session, [(ana, ana_l)] = started(new_session, pacing, "Ana")
        set_extra_time(session, ana.id, extra)
        turn_clock(session, 10)
        attempt = load_attempt(ana.attempt.public_id, ana_l).attempt
        shown = attempt_seconds_left(attempt) if pacing == Pacing.STUDENT else seconds_left(session, extra)
        if extra is ExtraTime.NO_LIMIT:
            assert shown is None
        else:
            assert abs(shown - (LIMIT * MULTIPLIERS[extra] - 10)) <= 1, shown


def test_the_answer_path_reads_no_more_with_extra_time(new_session: NewSession) -> None:
    """The multiplier comes with the attempt already read: saving an answer runs as many statements."""
    session, [(ana, ana_l), (ben, ben_l)] = started(new_session, Pacing.TEACHER, "Ana", "Ben")
    set_extra_time(session, ana.id, ExtraTime.DOUBLE)
    counts = []
    for participant, learner in ((ana, ana_l), (ben, ben_l)):
        view = load_attempt(participant.attempt.public_id, learner)
        form = right_form(question(participant, 1))
        with counted_statements() as statements:
            assert save_answer(view, 1, form)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_a_class_answer_reads_the_clock_with_the_attempts_state(new_session: NewSession) -> None:
    """The answer path's round trips: the attempt's state and the session's clock in one select (after the
    session's gate on PostgreSQL), the slot's answer in another, then the insert; nothing else."""
    session, [(ana, ana_l)] = started(new_session, Pacing.TEACHER, "Ana")
    view, form = load_attempt(ana.attempt.public_id, ana_l), right_form(question(ana, 1))
    with counted_statements() as statements:
        assert save_answer(view, 1, form)
    kinds = (
        "pg_advisory_xact_lock_shared",
        "FROM attempt JOIN class_session",
        "FROM attempt_question",
        "INSERT",
    )
    run = [next((k for k in kinds if k in statement), statement) for statement in statements]
    # PostgreSQL's BEGIN is sent by the driver's cursor itself (database._begin_when_writing), SQLite's here
    assert run == (list(kinds) if ON_POSTGRES else ["BEGIN IMMEDIATE", *kinds[1:]]), statements


def test_a_question_waits_for_a_student_still_in_their_extra_time(new_session: NewSession) -> None:
    session, [(ana, ana_l), (ben, _)] = started(new_session, Pacing.TEACHER, "Ana", "Ben")
    set_extra_time(session, ana.id, ExtraTime.DOUBLE)
    turn_clock(session, LIMIT + 10)  # the normal time is over, Ana's is not
    waiting = still_answering(session)
    assert [(w.name, w.extra_time) for w in waiting] == [("Ana", ExtraTime.DOUBLE)]
    assert waiting[0].seconds_left is not None and 45 <= waiting[0].seconds_left <= 50
    with pytest.raises(QuestionHeld, match="1 student with extra time is still answering"):
        reveal_question(session, 1)
    with pytest.raises(QuestionHeld):
        next_question(session, 1)
    db.session.rollback()
    assert try_answer(ana, ana_l)  # not cut off
    assert still_answering(session) == []
    assert reveal_question(session, 1)  # once she has answered


@pytest.mark.parametrize(
    ("gone", "said"), [(LIMIT, r"\(0:\d\d at most\)"), (LIMIT * 1.5 - 2, "a few seconds at most")]
)
def test_the_wait_says_how_long_at_most(new_session: NewSession, gone: float, said: str) -> None:
    session, [(ana, _)] = started(new_session, Pacing.TEACHER, "Ana")
    set_extra_time(session, ana.id, ExtraTime.HALF)
    turn_clock(session, gone)
    with pytest.raises(QuestionHeld, match=said):
        reveal_question(session, 1)


def test_a_question_waits_no_longer_than_the_extra_time(new_session: NewSession) -> None:
    session, [(ana, ana_l)] = started(new_session, Pacing.TEACHER, "Ana")
    set_extra_time(session, ana.id, ExtraTime.HALF)
    turn_clock(session, LIMIT * 1.5 + GRACE.total_seconds() + 1)
    assert still_answering(session) == []
    assert reveal_question(session, 1)
    assert not try_answer(ana, ana_l)


def test_no_time_limit_holds_the_question_until_they_answer(new_session: NewSession) -> None:
    session, [(ana, ana_l)] = started(new_session, Pacing.TEACHER, "Ana")
    set_extra_time(session, ana.id, ExtraTime.NO_LIMIT)
    turn_clock(session, LIMIT * 30)
    with pytest.raises(QuestionHeld, match="until they answer"):
        reveal_question(session, 1)
    db.session.rollback()
    set_extra_time(session, ana.id, ExtraTime.NONE)  # the teacher's way out (an absent student)
    assert reveal_question(session, 1)


def test_students_without_extra_time_never_hold_a_question(new_session: NewSession) -> None:
    session, _ = started(new_session, Pacing.TEACHER, "Ana", "Ben")
    assert still_answering(session) == []
    assert reveal_question(session, 1)  # early, as before: the teacher decides
    assert next_question(session, 1)


def test_a_session_without_a_time_limit_is_never_held(new_session: NewSession) -> None:
    session = new_session(pacing=Pacing.TEACHER)
    [(ana, _)] = join_class(session, "Ana")
    assert start_session(session)
    set_extra_time(session, ana.id, ExtraTime.DOUBLE)
    assert still_answering(session) == []
    assert reveal_question(session, 1)


def test_the_live_view_shows_each_students_extra_time(new_session: NewSession) -> None:
    session, [(ana, _), (ben, _)] = started(new_session, Pacing.STUDENT, "Ana", "Ben")
    set_extra_time(session, ana.id, ExtraTime.HALF)
    students = {s.name: s.extra_time for s in live_view(session).students}
    assert students == {"Ana": ExtraTime.HALF, "Ben": ExtraTime.NONE}
    assert extra_time_for(ana) is ExtraTime.HALF
    set_extra_time(session, ana.id, ExtraTime.NONE)
    assert extra_time_for(ana) is ExtraTime.NONE
    assert {s.name: s.extra_time for s in live_view(session).students}["Ana"] is ExtraTime.NONE


def test_setting_extra_time_bumps_the_revision_and_refuses_other_sessions_students(
    new_session: NewSession,
) -> None:
    session, [(ana, _)] = started(new_session, Pacing.STUDENT, "Ana")
    other = new_session(pacing=Pacing.STUDENT)
    revision = session.revision
    set_extra_time(session, ana.id, ExtraTime.DOUBLE)
    db.session.refresh(session)
    assert session.revision == revision + 1
    with pytest.raises(NotFound):
        set_extra_time(other, ana.id, ExtraTime.DOUBLE)
