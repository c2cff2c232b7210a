"""Marking: a teacher gives points and a comment to the answers no machine scores (essays), in a class session
or in a set's homework (an AttemptGroup of services/report_loading.py), one student at a time.

An answer awaiting marking has no points (NULL): it counts nothing in scores and is left out of the item
analysis. Marking stores the points, recounts the attempt's answers awaiting marking and, when the attempt is
finished, its score: results, gradebooks, CSV files and standings read the new figures at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, update

from quizapp.database import lock_row, write_transaction
from quizapp.domain.marking import clean_comment
from quizapp.extensions import db
from quizapp.models import Attempt, Participant, Response, Teacher, utc_now
from quizapp.services import NotFound
from quizapp.services.attempts import count_unmarked
from quizapp.services.class_reports import gradebook
from quizapp.services.report_loading import NO_NAME, AttemptGroup, Column, homework_attempts


@dataclass(frozen=True)
class EssayQuestion:
    """A question of the group that the teacher marks, with its number of answers and of those marked."""

    column: Column
    answers: int
    marked: int

    @property
    def unmarked(self) -> int:
        return self.answers - self.marked


@dataclass(frozen=True)
class EssayAnswer:
    """One student's answer to the question, as the marking page shows it."""

    response_id: int
    name: str
    text: str
    points: float | None  # None: not marked yet
    comment: str | None
    marked_at: datetime | None
    finished: (
        bool  # the student's quiz is finished (else they may still change the answer, clearing the mark)
    )
    answered_at: datetime  # when the text shown was saved: a mark is refused once it changed

    @property
    def version(self) -> str:
        """The answer as shown, for the marking form to send back (`mark_answer(..., seen=)`)."""
        return self.answered_at.isoformat()

    @property
    def marked(self) -> bool:
        return self.points is not None


@dataclass(frozen=True)
class MarkingQueue:
    """The answers to one question, in the order the teacher goes through them (by name)."""

    question: EssayQuestion
    answers: tuple[EssayAnswer, ...]

    @property
    def marked(self) -> int:
        return sum(1 for answer in self.answers if answer.marked)

    def answer(self, number: int) -> EssayAnswer:
        """The `number`-th answer (1-based); NotFound outside the list."""
        if not 1 <= number <= len(self.answers):
            raise NotFound(f"answer {number}")
        return self.answers[number - 1]

    def next_unmarked(self, after: int) -> int | None:
        """The number of the first answer not marked after `after` (then from the start); None: all are."""
        numbers = [*range(after + 1, len(self.answers) + 1), *range(1, after + 1)]
        return next((n for n in numbers if not self.answers[n - 1].marked), None)


def _in_group(group: AttemptGroup) -> Any:
    """The condition on Attempt that picks the group's attempts (students the teacher removed left out)."""
    if group.session is not None:
        return (Attempt.session_id == group.session.id) & (Attempt.state != "abandoned")
    return homework_attempts(group.question_set)


def essay_questions(group: AttemptGroup) -> list[EssayQuestion]:
    """The group's questions a teacher marks, in the gradebook's order, each with its answers and marks
    counted (the gradebook's columns, then one aggregate)."""
    columns = [c for c in gradebook(group).columns if not c.question.kind.auto_scored]
    if not columns:
        return []
    counts = {
        row.question_version_id: (row.answers, row.marked)
        for row in db.session.execute(
            select(
                Response.question_version_id,
                func.count(Response.id).label("answers"),
                func.count(Response.points).label("marked"),
            )
            .join(Attempt, Attempt.id == Response.attempt_id)
            .where(_in_group(group), Response.question_version_id.in_([c.version_id for c in columns]))
            .group_by(Response.question_version_id)
        )
    }
    return [EssayQuestion(c, *counts.get(c.version_id, (0, 0))) for c in columns]


def marking_queue(group: AttemptGroup, version_id: int) -> MarkingQueue:
    """Every answer to question version `version_id` of the group, by student name; NotFound when it is not a
    question of the group that the teacher marks."""
    question = next((q for q in essay_questions(group) if q.column.version_id == version_id), None)
    if question is None:
        raise NotFound(f"essay question {version_id}")
    columns = [
        Response.id,
        Response.given,
        Response.points,
        Response.comment,
        Response.marked_at,
        Response.answered_at,
        Attempt.state,
        Attempt.settings,
    ]
    statement = (
        select(*columns, Participant.display_name)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .outerjoin(Participant, Participant.attempt_id == Attempt.id)
        .where(_in_group(group), Response.question_version_id == version_id)
    )
    answers = [
        EssayAnswer(
            row.id,
            row.display_name or row.settings.get("student_name") or NO_NAME,
            str(row.given),
            row.points,
            row.comment,
            row.marked_at,
            row.state == "finished",
            row.answered_at,
        )
        for row in db.session.execute(statement)
    ]
    answers.sort(key=lambda a: (a.name.casefold(), a.response_id))
    return MarkingQueue(question, tuple(answers))


class AnswerChanged(Exception):
    """The student saved a new answer after the teacher's page showed it: the mark would go to a text the
    teacher has not read."""


def mark_answer(
    group: AttemptGroup,
    version_id: int,
    response_id: int,
    points: float,
    comment: str | None,
    teacher: Teacher,
    seen: str | None = None,
) -> None:
    """Give answer `response_id` (to the group's question `version_id`, marked by the teacher) `points` (0..1)
    and `comment`; the attempt's count of answers awaiting marking and, once finished, its score follow in the
    same transaction. NotFound for an answer outside the group or to another question; InvalidMark for a
    comment too long; AnswerChanged when `seen` (the `EssayAnswer.version` the teacher read) is no longer the
    answer's, and nothing is written."""
    if not 0 <= points <= 1:
        raise ValueError(points)
    comment = clean_comment(comment)
    marking_queue(group, version_id)  # the question is the group's, and the teacher marks it
    with write_transaction():
        attempt_id = db.session.scalar(
            select(Response.attempt_id)
            .join(Attempt, Attempt.id == Response.attempt_id)
            .where(Response.id == response_id, Response.question_version_id == version_id, _in_group(group))
        )
        if attempt_id is None:
            raise NotFound(f"answer {response_id}")
        # On PostgreSQL: one change to the attempt's answers at a time (another teacher's mark, the student's
        # new answer), so the count and the score below are read after it, not beside it.
        lock_row(Attempt, attempt_id)
        answered_at = db.session.scalar(select(Response.answered_at).where(Response.id == response_id))
        if seen is not None and answered_at is not None and answered_at.isoformat() != seen:
            raise AnswerChanged(response_id)
        db.session.execute(
            update(Response)
            .where(Response.id == response_id)
            .values(points=points, comment=comment, marked_at=utc_now(), marked_by=teacher.id)
        )
        count_unmarked(attempt_id)
        total = select(func.coalesce(func.sum(Response.points), 0.0)).where(Response.attempt_id == attempt_id)
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt_id)
            .values(
                score=case((Attempt.state == "in_progress", Attempt.score), else_=total.scalar_subquery())
            )
        )
