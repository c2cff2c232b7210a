"""A student's place in a class session and the question they are on, read in one query; after a reveal,
their points and their rank in the class, in one more.

When the teacher moves on, every phone of the class asks for its page within two seconds, and a teacher-paced
class sends its answers in the same minute: these two requests are most of a session's work. Loading the
session, the participant, the attempt and the one question as ORM objects took 7 queries' worth of Python;
here one select reads the columns the pages need into read models (frozen dataclasses: what is not in them was
not read, and raises AttributeError). Writes go through the services, by the ids these hold.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Numeric, Select, and_, bindparam, case, cast, func, select

from quizapp.database import read
from quizapp.models import (
    Attempt,
    AttemptQuestion,
    ClassSession,
    Participant,
    QuestionSet,
    QuestionVersion,
    Response,
)
from quizapp.services import NotFound
from quizapp.services.attempt_views import (
    AttemptView,
    attempt_columns,
    attempt_from_row,
    columns,
    slot_columns,
    slot_from_row,
    values,
)
from quizapp.services.learners import LEARNER_ID_BY_TOKEN
from quizapp.services.question_sets import set_article


@dataclass(frozen=True)
class SessionRow:
    """A class session as its students' pages read it (read model): no plan, join code or start time."""

    id: int
    public_id: str
    title: str
    state: str
    pacing: str
    settings: dict[str, Any]
    position: int
    question_state: str | None
    question_opened_at: datetime | None


@dataclass(frozen=True)
class ParticipantRow:
    """A student in a session (read model)."""

    id: int
    session_id: int
    learner_id: int
    display_name: str
    removed: bool
    attempt_id: int


@dataclass(frozen=True)
class StudentPlace:
    """The session; this browser's participant (None: it did not join); their attempt with the question asked
    (none when there is no question at that position)."""

    session: SessionRow
    participant: ParticipantRow | None
    view: AttemptView | None


_SESSION_FIELDS = tuple(f.name for f in fields(SessionRow))
_PARTICIPANT_FIELDS = tuple(f.name for f in fields(ParticipantRow))

# The session by public id, the participant by learner token, the question at `position` (NULL: the
# session's current one).
_POSITION = func.coalesce(bindparam("position", type_=Integer), ClassSession.position)
_PLACE = (
    select(
        *columns(ClassSession, "s", _SESSION_FIELDS),
        *columns(Participant, "p", _PARTICIPANT_FIELDS),
        *attempt_columns(),
        *slot_columns(),
    )
    .select_from(ClassSession)
    .outerjoin(
        Participant,
        and_(Participant.session_id == ClassSession.id, Participant.learner_id == LEARNER_ID_BY_TOKEN),
    )
    .outerjoin(Attempt, Attempt.id == Participant.attempt_id)
    .outerjoin(QuestionSet, QuestionSet.id == Attempt.set_id)
    .outerjoin(
        AttemptQuestion, and_(AttemptQuestion.attempt_id == Attempt.id, AttemptQuestion.position == _POSITION)
    )
    .outerjoin(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
    .outerjoin(Response, Response.slot_id == AttemptQuestion.id)
    .where(ClassSession.public_id == bindparam("public_id"))
)


def student_place(public_id: str, learner_token: str | None, position: int | None = None) -> StudentPlace:
    """Session `public_id`, the place in it of the learner with this cookie token, and their question at
    `position` (default: the one on the board); NotFound when there is no such session. One statement."""
    parameters = {"public_id": public_id, "token": learner_token or "", "position": position}
    row = read(_PLACE, parameters).first()
    if row is None:
        raise NotFound(public_id)
    session = SessionRow(**values(row, "s", _SESSION_FIELDS))
    if row.p_id is None:
        return StudentPlace(session, None, None)
    participant = ParticipantRow(**values(row, "p", _PARTICIPANT_FIELDS))
    attempt = attempt_from_row(row)
    slots = (slot_from_row(row, set_article(attempt.question_set)),) if row.slot_id is not None else ()
    return StudentPlace(session, participant, AttemptView(attempt, slots))


@dataclass(frozen=True)
class Standing:
    """A student's points so far and, when the session shows a leaderboard, their place among the class
    (`place` of `of`; tied points share a place, as on the projector's leaderboard)."""

    points: float
    place: int | None = None
    of: int | None = None


# The points of one attempt's answers.
_POINTS = select(func.coalesce(func.sum(Response.points), 0.0).label("points")).where(
    Response.attempt_id == bindparam("attempt_id", type_=Integer)
)


def _ranked(points: object) -> object:
    """Points as the leaderboard compares them: rounded to two decimals, as they are written."""
    return func.round(cast(points, Numeric(18, 6)), 2)


def _standing_statement() -> Select[Any]:
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


_STANDING = _standing_statement()


def standing(session: SessionRow | ClassSession, participant: ParticipantRow | Participant) -> Standing:
    """The participant's points and, if the session shows a leaderboard, their place: one query either way."""
    if not session.settings.get("leaderboard"):
        row = read(_POINTS, {"attempt_id": participant.attempt_id}).one()
        return Standing(round(row.points or 0.0, 2))
    parameters = {"session_id": session.id, "participant_id": participant.id}
    row = read(_STANDING, parameters).one()
    return Standing(round(row.points or 0.0, 2), int(row.ahead) + 1, int(row.class_size))
