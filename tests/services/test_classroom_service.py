"""Classroom sessions through the services (quizapp/services/classroom.py, classroom_live.py): the state
machine, join codes, joining and rejoining, closing and removing, and the live view's fixed number of queries.

Sessions ask from the article's bank; students are new learners (browsers) joining under a name.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy.exc import IntegrityError

from quizapp.domain.questions import QuestionType
from quizapp.domain.sessions import Pacing
from quizapp.extensions import db
from quizapp.models import ClassSession, Participant, Teacher
from quizapp.services import NotFound
from quizapp.services.accounts import create_teacher
from quizapp.services.attempt_views import SlotView, load_attempt
from quizapp.services.class_reports import session_report
from quizapp.services.classroom import (
    JoinRefused,
    NameTaken,
    Removed,
    flag_question,
    join_session,
    owned_session,
    remove_participant,
    session_by_code,
)
from quizapp.services.classroom_live import live_view
from quizapp.services.session_flow import close_session, next_question, reveal_question, start_session
from tests.conftest import counted_statements
from tests.services.class_steps import Form, NewSession, answer, form_for, join_class, question, right_form


def refreshed(session: ClassSession) -> ClassSession:
    """The session as stored now (another request would read it so)."""
    db.session.refresh(session)
    return session


def where(session: ClassSession) -> tuple[str, int, str | None, int]:
    """(state, position, question_state, revision) as stored now."""
    s = refreshed(session)
    return s.state, s.position, s.question_state, s.revision


def wrong_form(slot: SlotView) -> Form:
    return form_for(slot, "wrong")


# ---- the state machine: each change once, and only from the right state

# The moves, each applied to a session in the state the previous ones left it in.
MOVES: dict[str, Callable[[ClassSession], bool]] = {
    "start": start_session,
    "reveal 1": lambda s: reveal_question(s, 1),
    "reveal 2": lambda s: reveal_question(s, 2),
    "next 1": lambda s: next_question(s, 1),
    "next 2": lambda s: next_question(s, 2),
    "next 3": lambda s: next_question(s, 3),
    "close": close_session,
}


@pytest.mark.parametrize(
    ("before", "move", "after"),
    [
        ([], "start", ("running", 1, "open")),
        (["start"], "reveal 1", ("running", 1, "revealed")),
        (["start"], "next 1", ("running", 2, "open")),
        (["start", "reveal 1"], "next 1", ("running", 2, "open")),
        (["start", "next 1"], "reveal 2", ("running", 2, "revealed")),
        (["start", "next 1", "next 2"], "close", ("closed", 3, "open")),
        ([], "close", ("closed", 0, None)),
    ],
)
def test_each_change_applies_once(
    new_session: NewSession, before: list[str], move: str, after: tuple[str, int, str | None]
) -> None:
    session = new_session()
    for done in before:
        assert MOVES[done](session)
    revision = where(session)[3]
    assert MOVES[move](session) is True
    assert where(session) == (*after, revision + 1)
    assert MOVES[move](session) is False  # the second click
    assert where(session) == (*after, revision + 1)


@pytest.mark.parametrize(
    ("before", "move"),
    [
        ([], "reveal 1"),
        ([], "next 1"),
        (["start"], "start"),
        (["start"], "reveal 2"),
        (["start"], "next 2"),
        (["start", "next 1"], "reveal 1"),
        (["start", "next 1"], "next 1"),
        (["start", "next 1", "next 2"], "next 3"),  # there is no question 4
        (["start", "close"], "start"),
        (["start", "close"], "reveal 1"),
        (["start", "close"], "next 1"),
        (["start", "close"], "close"),
    ],
)
def test_a_change_from_the_wrong_state_does_nothing(
    new_session: NewSession, before: list[str], move: str
) -> None:
    session = new_session()
    for done in before:
        assert MOVES[done](session)
    stored = where(session)
    assert MOVES[move](session) is False
    assert where(session) == stored


def test_a_student_paced_start_opens_no_question(new_session: NewSession) -> None:
    session = new_session(pacing=Pacing.STUDENT)
    (participant, _), *_ = join_class(session, "Ana")
    assert start_session(session)
    assert where(session)[:3] == ("running", 0, None)
    assert reveal_question(session, 0) is False
    db.session.refresh(participant.attempt)
    assert participant.attempt.started_at == refreshed(session).started_at  # the time limit counts from here


# ---- join codes


def test_a_code_is_unique_among_open_sessions_and_free_again_once_closed(
    new_session: NewSession, teacher: Teacher
) -> None:
    first = new_session()
    second = new_session()
    assert first.join_code != second.join_code

    def insert_with(code: str) -> ClassSession:
        row = ClassSession(
            public_id=f"chosen-{code}-{db.session.scalar(db.select(db.func.count(ClassSession.id)))}",
            owner_id=teacher.id,
            set_id=first.set_id,
            title="Chosen code",
            join_code=code,
            pacing="teacher",
            settings={},
            seed=1,
            plan=first.plan,
        )
        db.session.add(row)
        db.session.commit()
        return row

    with pytest.raises(IntegrityError):
        insert_with(first.join_code)
    db.session.rollback()
    assert close_session(first)
    reused = insert_with(first.join_code)  # a closed session frees its code
    assert session_by_code(first.join_code.lower()).id == reused.id
    assert close_session(reused)
    insert_with(first.join_code)  # two closed sessions may share it too
    with pytest.raises(JoinRefused, match="No open session"):
        session_by_code(second.join_code[:5] + ("2" if second.join_code[5] != "2" else "3"))


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDEFG", "ABCDE0", "abcde1"])
def test_a_malformed_code_is_refused(ctx: Flask, typed: str) -> None:
    with pytest.raises(JoinRefused, match="6 letters and digits"):
        session_by_code(typed)


# ---- joining


def test_joining_late_when_it_is_off(new_session: NewSession) -> None:
    session = new_session(late_join=False)
    (early, learner), *_ = join_class(session, "Early")
    assert start_session(session)
    with pytest.raises(JoinRefused, match="late arrivals"):
        join_class(session, "Late")
    assert join_session(session, learner, "Early").id == early.id  # who was there keeps their place
    assert [p.display_name for p in refreshed(session).participants] == ["Early"]


def test_joining_late_when_it_is_on(new_session: NewSession) -> None:
    session = new_session()
    assert start_session(session)
    (late, learner), *_ = join_class(session, "Late")
    answer(late, learner, 1, right_form(question(late, 1)))


def test_a_closed_session_takes_nobody(new_session: NewSession) -> None:
    session = new_session()
    (_, learner), *_ = join_class(session, "Ana")
    assert close_session(session)
    with pytest.raises(JoinRefused, match="closed"):
        join_class(session, "Ben")


@pytest.mark.parametrize("taken", ["Li Wei", "li wei", "LI WEI", "  Li  Wei ", "Ｌｉ Ｗｅｉ"])
def test_a_name_is_taken_whatever_its_case(new_session: NewSession, taken: str) -> None:
    session = new_session()
    join_class(session, "Li Wei")
    with pytest.raises(NameTaken, match="already called"):
        join_class(session, taken)
    other = new_session()
    join_class(other, taken)  # another session is another class


def test_a_rejoin_gets_the_same_place_and_keeps_the_answers(new_session: NewSession) -> None:
    session = new_session()
    (ana, learner), *_ = join_class(session, "Ana")
    assert start_session(session)
    answer(ana, learner, 1, right_form(question(ana, 1)))
    again = join_session(session, learner, "A different name")
    assert again.id == ana.id and again.display_name == "Ana" and again.attempt_id == ana.attempt_id
    db.session.expire_all()  # as the next request would
    view = load_attempt(again.attempt.public_id, learner)
    assert [s.points for s in view.slots] == [1.0, None, None]
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 1


# ---- closing and removing


def test_closing_scores_every_attempt(new_session: NewSession) -> None:
    session = new_session(count=3)
    joined = join_class(session, "All right", "One right", "Nothing", "Removed")
    assert start_session(session)
    for position in (1, 2, 3):
        for (participant, learner), form in zip(
            joined,
            [right_form, right_form if position == 1 else wrong_form, None, right_form],
            strict=True,
        ):
            if form is not None:
                answer(participant, learner, position, form(question(participant, position)))
        if position < 3:
            assert next_question(session, position)
    remove_participant(session, joined[3][0].id)
    assert close_session(session)
    db.session.expire_all()
    attempts = [p.attempt for p, _ in joined]
    assert [(a.state, a.score) for a in attempts[:3]] == [
        ("finished", 3.0),
        ("finished", 1.0),
        ("finished", 0.0),
    ]
    assert attempts[3].state == "abandoned"
    assert all(a.finished_at is not None for a in attempts)
    assert close_session(session) is False


def test_removing_frees_the_name(new_session: NewSession) -> None:
    session = new_session()
    (rude, learner), (ana, _) = join_class(session, "Rude", "Ana")
    removed = remove_participant(session, rude.id)
    assert removed.removed and removed.attempt.state == "abandoned"
    with pytest.raises(Removed):
        join_session(session, learner, "Nice name")  # the same browser cannot come back
    (newcomer, _), *_ = join_class(session, "rude")  # someone else may use the name
    assert newcomer.id != rude.id
    with pytest.raises(NotFound):
        remove_participant(session, rude.id)  # already removed
    other = new_session()
    with pytest.raises(NotFound):
        remove_participant(other, ana.id)  # not a student of that session
    assert [s.name for s in live_view(refreshed(session)).students] == ["Ana", "rude"]


def test_a_flag_names_the_question_version_and_keeps_a_short_comment(new_session: NewSession) -> None:
    session = new_session()
    (ana, _), *_ = join_class(session, "Ana")
    flag = flag_question(ana, 2, "  Two   answers\ncould be right " + "x" * 400)
    slot = ana.attempt.slots[1]
    assert (flag.question_version_id, flag.question_id) == (slot.version.id, slot.version.question_id)
    assert flag.comment.startswith("Two answers could be right x") and len(flag.comment) == 300
    for position in (0, 4):
        with pytest.raises(NotFound):
            flag_question(ana, position, "")


def test_only_the_owner_finds_a_session(new_session: NewSession, teacher: Teacher) -> None:
    session = new_session()
    grace = create_teacher("grace@school.org", "Grace", "correct horse battery")
    assert owned_session(teacher, session.public_id).id == session.id
    with pytest.raises(NotFound):
        owned_session(grace, session.public_id)
    with pytest.raises(NotFound):
        owned_session(teacher, "no-such-session")


# ---- the live view: the same queries for 3 students as for 30


def class_answering(new_session: NewSession, students: int) -> ClassSession:
    """A started teacher-paced session of 4 single-choice questions where every student answered the first
    two (every other one right), one student was removed, and the session is on question 3."""
    session = new_session(count=4, types=frozenset({QuestionType.SINGLE_CHOICE}))
    joined = join_class(session, *(f"Student {n}" for n in range(students)))
    assert start_session(session)
    for position in (1, 2):
        for n, (participant, learner) in enumerate(joined):
            form = right_form if n % 2 else wrong_form
            answer(participant, learner, position, form(question(participant, position)))
        assert next_question(session, position)
    remove_participant(session, joined[0][0].id)
    db.session.expire_all()
    return refreshed(session)


def test_the_live_view_runs_the_same_queries_for_3_and_30_students(
    new_session: NewSession, ctx: Flask
) -> None:
    counts = []
    for students in (3, 30):
        session = class_answering(new_session, students)
        db.session.expire_all()
        session = db.session.get(ClassSession, session.id)
        assert session is not None
        with counted_statements() as statements:
            view = live_view(session)
        assert len(view.students) == students - 1
        assert [q.answered for q in view.questions] == [students - 1, students - 1, 0, 0]
        assert view.current is not None and view.current.position == 3
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 6, counts


def test_the_live_view_counts_answers_and_scores(new_session: NewSession) -> None:
    session = class_answering(new_session, 5)
    view = live_view(session)
    assert [s.name for s in view.students] == [f"Student {n}" for n in range(1, 5)]
    assert {s.name: (s.answered, s.score) for s in view.students} == {
        "Student 1": (2, 2.0),
        "Student 2": (2, 0.0),
        "Student 3": (2, 2.0),
        "Student 4": (2, 0.0),
    }
    first = view.questions[0]
    assert (first.answered, first.correct, first.percent_correct) == (4, 2, 50)
    assert sum(bar.count for bar in first.bars) == 4  # single choice: a bar per choice, one choice each
    assert [(bar.count, bar.percent) for bar in first.bars if bar.correct] == [(2, 50)]
    assert view.seconds_left is None


def test_a_session_ended_early_counts_only_the_questions_asked(new_session: NewSession) -> None:
    session = new_session(count=3)
    (participant, _), *_ = join_class(session, "Ana")
    assert start_session(session) and next_question(session, 1)
    assert close_session(session)
    db.session.refresh(participant.attempt)
    assert participant.attempt.max_score == 2.0  # questions 1 and 2 were asked; 3 never was
    report = session_report(refreshed(session))
    assert [c.number for c in report.gradebook.columns] == [1, 2]
    assert len(report.items) == 2
