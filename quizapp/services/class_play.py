"""A student's place in a class session and the question they are on, read in one query.

When the teacher moves on, every phone of the class asks for its page within two seconds, and a teacher-paced
class sends its answers in the same minute: these two requests are most of a session's work. Loading the
session, the participant, the attempt and the one question as ORM objects took 7 queries' worth of Python;
here one prepared statement reads the columns the pages need, and the objects handed back are built from
them, transient (never added to the database session: read their columns only, not their relationships).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Integer, Select, and_, bindparam, func, select

from quizapp.extensions import db
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
from quizapp.services import NotFound
from quizapp.services.attempts import AttemptView, slot_view
from quizapp.services.question_sets import set_article

_SESSION = ("id", "public_id", "title", "state", "pacing", "position", "question_state", "question_opened_at")
_PARTICIPANT = ("id", "session_id", "learner_id", "display_name", "removed", "attempt_id")
_ATTEMPT = ("id", "public_id", "learner_id", "set_id", "mode", "state", "started_at", "question_count")
_SLOT = ("id", "attempt_id", "position", "question_version_id", "item_order", "option_order")


@dataclass(frozen=True)
class Place:
    """The session; this browser's participant (None: it did not join); their attempt with one question."""

    session: ClassSession
    participant: Participant | None
    view: AttemptView | None


def _columns(model: type, names: tuple[str, ...], prefix: str) -> list:  # type: ignore[type-arg]
    return [getattr(model, name).label(f"{prefix}_{name}") for name in names]


@cache
def _statement() -> Select:  # type: ignore[type-arg]
    """Built once: the session by public id, the participant by learner token, the question at `position`
    (NULL: the session's current one)."""
    learner = select(Learner.id).where(Learner.token == bindparam("token")).scalar_subquery()
    position = func.coalesce(bindparam("position", type_=Integer), ClassSession.position)
    return (
        select(
            *_columns(ClassSession, _SESSION, "s"),
            ClassSession.settings.label("s_settings"),
            *_columns(Participant, _PARTICIPANT, "p"),
            *_columns(Attempt, _ATTEMPT, "a"),
            Attempt.settings.label("a_settings"),
            *_columns(AttemptQuestion, _SLOT, "q"),
            QuestionVersion.content.label("v_content"),
            QuestionVersion.content_hash.label("v_content_hash"),
            Response.id.label("r_id"),
            Response.given.label("r_given"),
            Response.points.label("r_points"),
            QuestionSet.source_text.label("set_source_text"),
            QuestionSet.is_builtin.label("set_is_builtin"),
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


def _pick(row: object, names: tuple[str, ...], prefix: str) -> dict[str, object]:
    mapping = row._mapping  # type: ignore[attr-defined]
    return {name: mapping[f"{prefix}_{name}"] for name in names}


def student_place(public_id: str, learner_token: str | None, position: int | None = None) -> Place:
    """Session `public_id`, the place in it of the learner with this cookie token, and their question at
    `position` (default: the one on the board); NotFound when there is no such session."""
    row = db.session.execute(
        _statement(), {"public_id": public_id, "token": learner_token or "", "position": position}
    ).first()
    if row is None:
        raise NotFound(public_id)
    session = ClassSession(**_pick(row, _SESSION, "s"), settings=row.s_settings)
    if row.p_id is None:
        return Place(session, None, None)
    participant = Participant(**_pick(row, _PARTICIPANT, "p"))
    attempt = Attempt(**_pick(row, _ATTEMPT, "a"), settings=row.a_settings, session_id=session.id)
    slots = ()
    if row.q_id is not None:
        slot = AttemptQuestion(**_pick(row, _SLOT, "q"))
        version = QuestionVersion(
            id=slot.question_version_id, content=row.v_content, content_hash=row.v_content_hash
        )
        response = Response(given=row.r_given, points=row.r_points) if row.r_id is not None else None
        article = (
            set_article(QuestionSet(source_text=row.set_source_text, is_builtin=row.set_is_builtin))
            if row.set_source_text
            else None
        )
        slots = (slot_view(slot, version, response, article),)
    return Place(session, participant, AttemptView(attempt, slots))
