"""A student's place in a class session and the question they are on, read in one query.

When the teacher moves on, every phone of the class asks for its page within two seconds, and a teacher-paced
class sends its answers in the same minute: these two requests are most of a session's work. Loading the
session, the participant, the attempt and the one question as ORM objects took 7 queries' worth of Python;
here one prepared statement reads the columns the pages need, and the objects handed back are built from
them, transient (never added to the database session: read their columns only, not their relationships).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, Select, and_, bindparam, func, select

from quizapp.models import (
    Attempt,
    AttemptQuestion,
    ClassSession,
    Learner,
    Participant,
    QuestionSet,
    QuestionVersion,
    Response,
)
from quizapp.prepared import Prepared, columns_of, copy_of
from quizapp.services import NotFound
from quizapp.services.attempt_views import AttemptView, slot_columns, slot_from_row
from quizapp.services.question_sets import set_article

# The columns the students' pages read.
_SESSION = (
    "id",
    "public_id",
    "title",
    "state",
    "pacing",
    "settings",
    "position",
    "question_state",
    "question_opened_at",
)
_SET = ("source_text", "is_builtin")  # what the question's quote is looked up in
_PARTICIPANT = ("id", "session_id", "learner_id", "display_name", "removed", "attempt_id")
_ATTEMPT = (
    "id",
    "public_id",
    "learner_id",
    "set_id",
    "mode",
    "settings",
    "state",
    "started_at",
    "question_count",
)


@dataclass(frozen=True)
class Place:
    """The session; this browser's participant (None: it did not join); their attempt with one question."""

    session: ClassSession
    participant: Participant | None
    view: AttemptView | None


def _statement() -> Select:  # type: ignore[type-arg]
    """The session by public id, the participant by learner token, the question at `position`
    (NULL: the session's current one)."""
    learner = select(Learner.id).where(Learner.token == bindparam("token")).scalar_subquery()
    position = func.coalesce(bindparam("position", type_=Integer), ClassSession.position)
    return (
        select(
            *columns_of(ClassSession, "s", _SESSION),
            *columns_of(Participant, "p", _PARTICIPANT),
            *columns_of(Attempt, "a", _ATTEMPT),
            *slot_columns(),
            *columns_of(QuestionSet, "set", _SET),
        )
        .select_from(ClassSession)
        .outerjoin(
            Participant, and_(Participant.session_id == ClassSession.id, Participant.learner_id == learner)
        )
        .outerjoin(Attempt, Attempt.id == Participant.attempt_id)
        .outerjoin(QuestionSet, QuestionSet.id == Attempt.set_id)
        .outerjoin(
            AttemptQuestion,
            and_(AttemptQuestion.attempt_id == Attempt.id, AttemptQuestion.position == position),
        )
        .outerjoin(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .outerjoin(Response, Response.slot_id == AttemptQuestion.id)
        .where(ClassSession.public_id == bindparam("public_id"))
    )


_PLACE = Prepared(_statement)


def student_place(public_id: str, learner_token: str | None, position: int | None = None) -> Place:
    """Session `public_id`, the place in it of the learner with this cookie token, and their question at
    `position` (default: the one on the board); NotFound when there is no such session."""
    row = _PLACE.first(public_id=public_id, token=learner_token or "", position=position)
    if row is None:
        raise NotFound(public_id)
    session = copy_of(ClassSession, row, "s", _SESSION)
    if row.p_id is None:
        return Place(session, None, None)
    participant = copy_of(Participant, row, "p", _PARTICIPANT)
    attempt = copy_of(Attempt, row, "a", _ATTEMPT, session_id=session.id)
    slots = ()
    if row.q_id is not None:
        slots = (slot_from_row(row, set_article(copy_of(QuestionSet, row, "set", _SET))),)
    return Place(session, participant, AttemptView(attempt, slots))
