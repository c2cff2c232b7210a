"""A learner's review queue: the questions they missed come back on an FSRS schedule (docs/review.md).

The queue fills lazily, never on the answer path: when the learner opens the home page, My results or the
review pages, `fill_queue` reads their answers in quizzes finished since the queue's watermark (and their
review answers not yet counted) and moves each card's schedule on. A review session is an Attempt in
practice mode marked `{"review": true}` in its settings, whose questions may come from several sets.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Text, and_, bindparam, cast, false, func, or_, select, true

from quizapp.database import lock_key, read, write_transaction
from quizapp.domain.generation import plan_question
from quizapp.domain.question_types import SCORED_TYPES
from quizapp.domain.review import Passage, Schedule, outcome_of, passage, review
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    ClassSession,
    Question,
    QuestionSet,
    QuestionVersion,
    Response,
    ReviewCard,
    ReviewQueue,
    domain_question,
)
from quizapp.services.attempt_views import SET_FIELDS, AttemptView, Mode, columns, values
from quizapp.services.attempts import PlannedSlot, new_attempt
from quizapp.services.learners import LearnerRow
from quizapp.services.question_sets import SetRow, set_article

REVIEW_SIZE = 10  # questions in one review session, the longest overdue first
_EPOCH = datetime(1970, 1, 1)

IS_REVIEW = func.coalesce(Attempt.settings["review"].as_boolean(), false())
_SHOWS_ANSWERS = func.coalesce(Attempt.settings["show_answers"].as_boolean(), true())
# When a finished quiz's answers may be reviewed: at once, or (a class session) once the session closed
_OPEN_SINCE = func.coalesce(ClassSession.closed_at, Attempt.finished_at)
_FILLED_TO = func.coalesce(
    select(ReviewQueue.filled_to).where(ReviewQueue.learner_id == bindparam("learner_id")).scalar_subquery(),
    _EPOCH,
)
_SCHEDULE = ("due", "stability", "difficulty", "state", "step", "last_review", "reps", "lapses")

# A learner's scored answers in quizzes finished since the watermark (not review sessions; a class session's
# once it is closed and only if the teacher shows its answers).
_NEW_ANSWERS = (
    select(QuestionVersion.question_id, Response.points, Response.answered_at, _OPEN_SINCE.label("since"))
    .join(Attempt, Attempt.id == Response.attempt_id)
    .join(QuestionVersion, QuestionVersion.id == Response.question_version_id)
    .outerjoin(ClassSession, ClassSession.id == Attempt.session_id)
    .where(
        Attempt.learner_id == bindparam("learner_id"),
        Attempt.state == "finished",
        IS_REVIEW.is_(false()),
        _SHOWS_ANSWERS.is_(true()),
        or_(Attempt.session_id.is_(None), ClassSession.state == "closed"),
        Response.points.is_not(None),
        QuestionVersion.type.in_(SCORED_TYPES),
        _OPEN_SINCE > _FILLED_TO,
    )
)
# A learner's answers in review sessions that their card has not counted yet.
_REVIEW_ANSWERS = (
    select(QuestionVersion.question_id, Response.points, Response.answered_at)
    .join(Attempt, Attempt.id == Response.attempt_id)
    .join(QuestionVersion, QuestionVersion.id == Response.question_version_id)
    .join(
        ReviewCard,
        and_(
            ReviewCard.learner_id == Attempt.learner_id, ReviewCard.question_id == QuestionVersion.question_id
        ),
    )
    .where(
        Attempt.learner_id == bindparam("learner_id"),
        IS_REVIEW.is_(true()),
        Response.points.is_not(None),
        or_(ReviewCard.last_review.is_(None), Response.answered_at > ReviewCard.last_review),
    )
)
# Whether either has anything: the one read of a page view when nothing is new (the usual case)
_ANYTHING_NEW = select(or_(_NEW_ANSWERS.exists(), _REVIEW_ANSWERS.exists()))


def fill_queue(learner: LearnerRow | None) -> None:
    """Bring the learner's queue up to date: a card for each question answered wrong or partly right in a
    quiz finished since the last fill, and every card's schedule moved on by the answers given since (review
    answers included). One read when there is nothing new; idempotent."""
    if learner is None:
        return
    parameters = {"learner_id": learner.id}
    if not read(_ANYTHING_NEW, parameters).scalar():
        return
    with write_transaction():
        lock_key(f"review-queue:{learner.id}")  # two pages filling at once (PostgreSQL): one after the other
        new = db.session.execute(_NEW_ANSWERS, parameters).all()
        answers = sorted(
            [*new, *db.session.execute(_REVIEW_ANSWERS, parameters).all()], key=lambda r: r.answered_at
        )
        _apply(learner.id, answers)
        if new:
            _move_watermark(learner.id, max(row.since for row in new))


def _apply(learner_id: int, answers: Sequence[Any]) -> None:
    """Move each card on by the answers (oldest first), opening a card for a question missed without one."""
    question_ids = {row.question_id for row in answers}
    cards = {
        card.question_id: card
        for card in db.session.scalars(
            select(ReviewCard).where(
                ReviewCard.learner_id == learner_id, ReviewCard.question_id.in_(question_ids)
            )
        )
    }
    for row in answers:
        card = cards.get(row.question_id)
        if card is None:
            if outcome_of(row.points) == "right":
                continue  # a question answered right is not queued
            card = cards[row.question_id] = ReviewCard(learner_id=learner_id, question_id=row.question_id)
            db.session.add(card)
            schedule = None
        elif card.last_review is not None and row.answered_at <= card.last_review:
            continue  # counted already (or older than what was counted)
        else:
            schedule = Schedule(**{name: getattr(card, name) for name in _SCHEDULE})
        moved = review(schedule, row.points, row.answered_at)
        for name in _SCHEDULE:
            setattr(card, name, getattr(moved, name))


def _move_watermark(learner_id: int, filled_to: datetime) -> None:
    queue = db.session.get(ReviewQueue, learner_id)
    if queue is None:
        db.session.add(ReviewQueue(learner_id=learner_id, filled_to=filled_to))
    elif filled_to > queue.filled_to:
        queue.filled_to = filled_to


@dataclass(frozen=True)
class QueueStatus:
    """How many questions are due now, and when the first one is (or the next one will be) due."""

    due: int
    first_due: datetime | None


def queue_status(learner: LearnerRow | None, now: datetime) -> QueueStatus:
    """The learner's count of questions due at `now` and the earliest due time: one query."""
    if learner is None:
        return QueueStatus(0, None)
    row = read(_STATUS, {"learner_id": learner.id, "now": now}).one()
    return QueueStatus(row[0] or 0, row[1])


def review_status(learner: LearnerRow | None, now: datetime) -> QueueStatus:
    """The queue filled up to now, then its status (what the home page and My results show)."""
    fill_queue(learner)
    return queue_status(learner, now)


def _askable(statement: Select[Any]) -> Select[Any]:
    """`statement` over the learner's cards whose question can be asked: its current version, leaving out
    questions withdrawn from their set and those a teacher marks (no review answer could be scored)."""
    return (
        statement.select_from(ReviewCard)
        .join(Question, Question.id == ReviewCard.question_id)
        .join(
            QuestionVersion,
            and_(
                QuestionVersion.question_id == Question.id, QuestionVersion.number == Question.current_number
            ),
        )
        .where(
            ReviewCard.learner_id == bindparam("learner_id"),
            Question.hidden.is_(False),
            QuestionVersion.type.in_(SCORED_TYPES),
        )
    )


# The questions due for a learner at `now`, oldest due first, as asked now.
_DUE = (
    _askable(
        select(
            QuestionVersion.id,
            QuestionVersion.content_hash,
            cast(QuestionVersion.content, Text).label("content"),
            Question.set_id,
        )
    )
    .where(ReviewCard.due <= bindparam("now"))
    .order_by(ReviewCard.due, ReviewCard.id)
)
# How many are due at `now`, and the earliest due time.
_STATUS = _askable(
    select(func.count(ReviewCard.id).filter(ReviewCard.due <= bindparam("now")), func.min(ReviewCard.due))
)


def open_review(learner: LearnerRow | None) -> Attempt | None:
    """The learner's review session still in progress, if any (the newest)."""
    if learner is None:
        return None
    return db.session.scalars(
        select(Attempt)
        .where(Attempt.learner_id == learner.id, Attempt.state == "in_progress", IS_REVIEW.is_(true()))
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(1)
    ).first()


def start_review(learner: LearnerRow, now: datetime, size: int = REVIEW_SIZE) -> Attempt | None:
    """A review session of the questions due at `now` (at most `size`, across sets), or the one still in
    progress; None when nothing is due."""
    fill_queue(learner)
    ongoing = open_review(learner)
    if ongoing is not None:
        return ongoing
    rows = read(_DUE.limit(size), {"learner_id": learner.id, "now": now}).all()
    if not rows:
        return None
    seed = secrets.randbits(31)
    rng = random.Random(seed)
    slots = []
    for row in rows:
        planned = plan_question(domain_question(row.content_hash, row.content), rng)
        slots.append(PlannedSlot(row.id, planned.item_order, planned.option_order))
    settings = {"review": True, "count": len(slots)}
    with write_transaction():
        lock_key(f"review-queue:{learner.id}")
        ongoing = open_review(learner)  # a second click that started one meanwhile: that one
        if ongoing is not None:
            return ongoing
        attempt = new_attempt(learner.id, rows[0].set_id, slots, Mode.PRACTICE, settings, seed)
        db.session.add(attempt)
    return attempt


@dataclass(frozen=True)
class ReviewSlot:
    """What a review page adds to a question of the session: its own set, the passage it quotes (with the
    sentences around it) and, once answered, when it comes back."""

    question_set: SetRow
    passage: Passage | None
    due: datetime | None


def review_slots(view: AttemptView) -> dict[int, ReviewSlot]:
    """Each question of a review session by position, with its set, passage and card (one query)."""
    rows = db.session.execute(
        select(
            QuestionVersion.id.label("version_id"),
            ReviewCard.due,
            *columns(QuestionSet, "set", SET_FIELDS),
        )
        .join(Question, Question.id == QuestionVersion.question_id)
        .join(QuestionSet, QuestionSet.id == Question.set_id)
        .outerjoin(
            ReviewCard,
            and_(ReviewCard.question_id == Question.id, ReviewCard.learner_id == view.attempt.learner_id),
        )
        .where(QuestionVersion.id.in_({slot.version_id for slot in view.slots}))
    ).all()
    by_version = {row.version_id: row for row in rows}
    found = {}
    for slot in view.slots:
        row = by_version[slot.version_id]
        question_set = SetRow(**values(row, "set", SET_FIELDS))
        found[slot.position] = ReviewSlot(
            question_set, passage(set_article(question_set), slot.question.source), row.due
        )
    return found


def is_review(view: AttemptView) -> bool:
    """Whether the attempt is a review session."""
    return bool(view.attempt.settings.get("review"))


def outcome_counts(view: AttemptView) -> dict[str, int]:
    """How many answers of the session were right, partly right and wrong."""
    counts = {"right": 0, "partial": 0, "wrong": 0}
    for slot in view.slots:
        if slot.points is not None:
            counts[outcome_of(slot.points)] += 1
    return counts
