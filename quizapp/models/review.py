"""Storage for spaced review: a learner's card per question they missed, and how far their queue is filled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models import utc_now


class ReviewCard(db.Model):
    """A question a learner missed, with its FSRS schedule in typed columns (naive UTC times).

    The card follows the question (its stable id), not a version: a review asks the question as it is now,
    so a teacher's correction reaches the learner. `state` is fsrs.State's number (1 learning, 2 review,
    3 relearning); `step` the learning step (None in review); `reps` answers counted, `lapses` times a
    learned question was forgotten.
    """

    __tablename__ = "review_card"
    __table_args__ = (
        UniqueConstraint("learner_id", "question_id"),
        Index("ix_review_card_learner_due", "learner_id", "due"),  # the "N due" count and the queue's order
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    due: Mapped[datetime]
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    state: Mapped[int]
    step: Mapped[int | None]
    last_review: Mapped[datetime | None]
    reps: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class ReviewQueue(db.Model):
    """How far a learner's queue is filled: their quizzes finished (or class sessions closed) up to
    `filled_to` have been read for mistakes."""

    __tablename__ = "review_queue"

    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id", ondelete="CASCADE"), primary_key=True)
    filled_to: Mapped[datetime]
