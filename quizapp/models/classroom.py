"""Storage for classroom sessions: the session and its state, who joined, and questions flagged as wrong."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models import Attempt, Learner, Question, QuestionSet, QuestionVersion, Teacher, utc_now

_OPEN = text("state != 'closed'")


class ClassSession(db.Model):
    """A quiz a teacher runs with a class: `lobby -> running -> closed`.

    Teacher-paced sessions also have the current question (`position`, 1-based) and whether it is 'open' or
    'revealed'. Every change of state is one conditional UPDATE that also adds one to `revision`, the number
    the students' and the teacher's pages watch to know when to update.
    `plan` is the questions in order: [{"version_id", "item_order", "option_order"}, ...].
    """

    __tablename__ = "class_session"
    __table_args__ = (
        # A join code is unique among the sessions not yet closed (closed ones free their code).
        Index(
            "uq_class_session_open_code", "join_code", unique=True, sqlite_where=_OPEN, postgresql_where=_OPEN
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("teacher.id"), index=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("question_set.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    join_code: Mapped[str] = mapped_column(String(6))
    pacing: Mapped[str] = mapped_column(String(20))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    seed: Mapped[int]
    plan: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(20), default="lobby")
    position: Mapped[int] = mapped_column(default=0)
    question_state: Mapped[str | None] = mapped_column(String(20))
    question_opened_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    started_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    owner: Mapped[Teacher] = relationship()
    question_set: Mapped[QuestionSet] = relationship()
    participants: Mapped[list[Participant]] = relationship(
        back_populates="session", order_by="Participant.joined_at", cascade="all, delete-orphan"
    )


class Participant(db.Model):
    """A student in a session, bound to their browser's learner; `attempt` holds their answers."""

    __table_args__ = (
        UniqueConstraint("session_id", "name_key", name="uq_participant_session_name"),
        UniqueConstraint("session_id", "learner_id", name="uq_participant_session_learner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id"))
    display_name: Mapped[str] = mapped_column(String(40))
    name_key: Mapped[str] = mapped_column(String(60))
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), unique=True)
    removed: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(default=utc_now)

    session: Mapped[ClassSession] = relationship(back_populates="participants")
    learner: Mapped[Learner] = relationship()
    attempt: Mapped[Attempt] = relationship()


class QuestionFlag(db.Model):
    """A student's report that a question looks wrong, with their short comment (one per question each)."""

    __table_args__ = (
        Index("uq_question_flag_participant_question", "participant_id", "question_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("class_session.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    comment: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    question: Mapped[Question] = relationship()
    version: Mapped[QuestionVersion] = relationship()
    participant: Mapped[Participant | None] = relationship()
