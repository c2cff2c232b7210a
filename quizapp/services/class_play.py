"""A student's place in a class session and the question they are on, read in one query; after a reveal,
their points and their rank in the class, in one more.

When the teacher moves on, every phone of the class asks for its page within two seconds, and a teacher-paced
class sends its answers in the same minute: these two requests are most of a session's work. Loading the
session, the participant, the attempt and the one question as ORM objects took 7 queries' worth of Python;
here one prepared statement reads the columns the pages need, and the objects handed back are built from
them, transient (never added to the database session: read their columns only, not their relationships).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, Numeric, Select, and_, bindparam, case, cast, func, select

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


@dataclass(frozen=True)
class Standing:
    """A student's points so far and, when the session shows a leaderboard, their place among the class
    (`place` of `of`; tied points share a place, as on the projector's leaderboard)."""

    points: float
    place: int | None = None
    of: int | None = None


def _points_statement() -> Select:  # type: ignore[type-arg]
    """The points of one attempt's answers."""
    points = func.coalesce(func.sum(Response.points), 0.0).label("points")
    return select(points).where(Response.attempt_id == bindparam("attempt_id", type_=Integer))


def _ranked(points: object) -> object:
    """Points as the leaderboard compares them: rounded to two decimals, as they are written."""
    return func.round(cast(points, Numeric(18, 6)), 2)


def _place_statement() -> Select:  # type: ignore[type-arg]
    """Over the session's students (not removed): how many, how many have more points than this participant,
    and this participant's points. One aggregate, whatever the size of the class."""
    totals = (
        select(
            Participant.id.label("participant_id"),
            func.coalesce(func.sum(Response.points), 0.0).label("points"),
        )
        .outerjoin(Response, Response.attempt_id == Participant.attempt_id)
        .where(
            Participant.session_id == bindparam("session_id", type_=Integer),
            Participant.removed.is_(False),
        )
        .group_by(Participant.id)
        .cte("totals")
    )
    mine = (
        select(totals.c.points)
        .where(totals.c.participant_id == bindparam("participant_id", type_=Integer))
        .scalar_subquery()
    )
    ahead = func.coalesce(func.sum(case((_ranked(totals.c.points) > _ranked(mine), 1), else_=0)), 0)
    return select(
        func.count(totals.c.participant_id).label("class_size"),
        ahead.label("ahead"),
        mine.label("points"),
    )


_POINTS = Prepared(_points_statement)
_STANDING = Prepared(_place_statement)


def standing(session: ClassSession, participant: Participant) -> Standing:
    """The participant's points and, if the session shows a leaderboard, their place: one query either way."""
    if not session.settings.get("leaderboard"):
        row = _POINTS.first(attempt_id=participant.attempt_id)
        return Standing(round(row.points or 0.0, 2))
    row = _STANDING.first(session_id=session.id, participant_id=participant.id)
    return Standing(round(row.points or 0.0, 2), int(row.ahead) + 1, int(row.class_size))
