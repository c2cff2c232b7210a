"""Homework: the attempts made through a set's share link (not in a class session, not abandoned), for the
set's owner. Their gradebook, item analysis and shaded text are class_reports' over AttemptGroup(set)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quizapp.extensions import db
from quizapp.models import Attempt, QuestionSet
from quizapp.services import NotFound
from quizapp.services.class_reports import Cell, gradebook
from quizapp.services.report_loading import NO_NAME, AttemptGroup, Column, homework_attempts


@dataclass(frozen=True)
class HomeworkAttempt:
    """One go at the set through its link: who (the name typed, if the link asked), when, how, how well."""

    public_id: str
    name: str
    mode: str
    state: str
    started_at: datetime
    finished_at: datetime | None
    score: float | None
    max_score: float
    questions: int
    unmarked: int = 0  # answers awaiting the teacher's mark (not in the score yet)

    @property
    def finished(self) -> bool:
        return self.state == "finished"

    @property
    def percent(self) -> float | None:
        """The score in percent, once finished."""
        if not self.finished or self.score is None:
            return None
        return round(100 * self.score / self.max_score, 1) if self.max_score else 0.0


def homework_list(question_set: QuestionSet) -> list[HomeworkAttempt]:
    """Every attempt made through the set's link, finished or in progress, newest first (one query)."""
    rows = db.session.scalars(
        db.select(Attempt)
        .where(homework_attempts(question_set))
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )
    return [_summary(attempt) for attempt in rows]


def _summary(attempt: Attempt) -> HomeworkAttempt:
    return HomeworkAttempt(
        public_id=attempt.public_id,
        name=attempt.settings.get("student_name") or NO_NAME,
        mode=attempt.mode,
        state=attempt.state,
        started_at=attempt.started_at,
        finished_at=attempt.finished_at,
        score=attempt.score,
        max_score=attempt.max_score,
        questions=attempt.question_count,
        unmarked=attempt.unmarked,
    )


def homework_answers(
    question_set: QuestionSet, public_id: str
) -> tuple[HomeworkAttempt, list[tuple[Column, Cell]]]:
    """One attempt made through the set's link and, for each scored question it asks (in the set's order),
    the answer in words and its points (None: not answered yet). NotFound for any other attempt."""
    attempt = db.session.scalar(
        db.select(Attempt).where(homework_attempts(question_set), Attempt.public_id == public_id)
    )
    if attempt is None:
        raise NotFound("homework attempt")
    book = gradebook(AttemptGroup(question_set))
    row = next(r for r in book.rows if r.participant_id == attempt.id)
    return _summary(attempt), [
        (c, cell) for c, cell in zip(book.columns, row.cells, strict=True) if cell.asked
    ]
