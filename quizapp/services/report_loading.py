"""What a report over a group of attempts is read from (services/class_reports.py draws the reports): the
group (a class session's students, or the attempts made through a set's share link), its questions as
columns, its students, their stored answers and the hints they took, and the students' flags; each in a
fixed number of queries, never one per student or per question. Students removed by the teacher (their
attempts are 'abandoned') are left out, their flags too. In homework each attempt is a row and asks its own
draw of the set's questions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_

from quizapp.domain.questions import Question as DomainQuestion
from quizapp.domain.sessions import Pacing, student_paced_switch
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptQuestion,
    ClassSession,
    Participant,
    Question,
    QuestionFlag,
    QuestionSet,
    QuestionVersion,
    Response,
)
from quizapp.richtext import to_plain

NO_NAME = "No name"  # a homework attempt made through a link that did not ask for names


@dataclass(frozen=True)
class AttemptGroup:
    """The attempts a report analyses: a class session's students, or (session None) the attempts made through
    the set's share link: set_id is the set's and session_id is NULL."""

    question_set: QuestionSet
    session: ClassSession | None = None

    @property
    def title(self) -> str:
        return self.session.title if self.session else self.question_set.title


@dataclass(frozen=True)
class Column:
    """A question of the session, numbered in the session's order (keyed by version: shuffles differ)."""

    number: int
    version_id: int
    question_id: int  # the set's question (for links to the editor and to flags)
    question: DomainQuestion
    withdrawn: bool  # deleted from the set since the session

    @property
    def label(self) -> str:
        """The question in a few plain words (its title, or the start of its prompt)."""
        text = self.question.title or to_plain(self.question.prompt, self.question.format)
        return text if len(text) <= 60 else text[:57].rstrip() + "…"


@dataclass(frozen=True)
class StudentFlag:
    """A student's 'this looks wrong' on a question, with their comment."""

    question_id: int
    name: str
    comment: str
    created_at: datetime


@dataclass(frozen=True)
class ReportStudent:
    """A row of a report: a class session's student (or, in homework, an attempt) and their attempt."""

    participant_id: int
    name: str
    attempt_id: int
    finished: bool
    key: str = ""  # default: the name (unique in a session)


@dataclass(frozen=True)
class Loaded:
    """Everything a report is drawn from, read in a fixed number of queries (`load`)."""

    group: AttemptGroup
    columns: tuple[Column, ...]
    students: tuple[ReportStudent, ...]
    responses: dict[tuple[int, int], tuple[Any, float | None]]  # (attempt, version) -> (given, points: None
    # while awaiting the teacher's mark)
    asked: dict[int, frozenset[int]] | None = None  # homework: attempt -> the versions it asks
    hints: dict[tuple[int, int], int] = field(default_factory=dict)  # (attempt, version) -> hint steps taken
    cbm: bool = False  # certainty-based marking: a session opened with it, or a set with it on (homework)
    certainty: dict[tuple[int, int], int] = field(default_factory=dict)  # (attempt, version) -> 1-3 chosen


def _columns(session: ClassSession) -> tuple[Column, ...]:
    """The session's scored questions in plan order (one query); a teacher-paced session ended early has only
    those it got to (a question nobody was asked is not 'too hard')."""
    plan = session.plan[: session.position] if session.pacing == Pacing.TEACHER else session.plan
    return _columns_of([p["version_id"] for p in plan])


def _columns_of(ids: Sequence[int]) -> tuple[Column, ...]:
    """These question versions, scored ones only, numbered in this order (one query)."""
    rows = {
        row.QuestionVersion.id: row
        for row in db.session.execute(
            db.select(QuestionVersion, Question.hidden)
            .join(Question, Question.id == QuestionVersion.question_id)
            .where(QuestionVersion.id.in_(ids))
        )
    }
    columns = []
    for version_id in ids:
        version, hidden = rows[version_id]
        question = version.to_domain()
        if question.scored:
            columns.append(Column(len(columns) + 1, version.id, version.question_id, question, hidden))
    return tuple(columns)


def load(group: AttemptGroup) -> Loaded:
    """The group's students, answers and questions: a session's, or the set's homework."""
    return _load_session(group) if group.session else _load_homework(group)


def _load_session(group: AttemptGroup) -> Loaded:
    """The session's students (not removed), their responses, and its questions: three queries."""
    session = group.session
    assert session is not None
    students = tuple(
        ReportStudent(row.id, row.display_name, row.attempt_id, row.state == "finished")
        for row in db.session.execute(
            db.select(Participant.id, Participant.display_name, Attempt.id.label("attempt_id"), Attempt.state)
            .join(Attempt, Attempt.id == Participant.attempt_id)
            .where(
                Participant.session_id == session.id,
                Participant.removed.is_(False),
                Attempt.state != "abandoned",
            )
            .order_by(Participant.joined_at, Participant.id)
        )
    )
    responses, hints, certainty = {}, {}, {}
    for row in db.session.execute(
        db.select(
            Response.attempt_id,
            Response.question_version_id,
            Response.given,
            Response.points,
            Response.certainty,
            AttemptQuestion.hints_taken,
        )
        .join(Attempt, Attempt.id == Response.attempt_id)
        .join(AttemptQuestion, AttemptQuestion.id == Response.slot_id)
        .where(Attempt.session_id == session.id, Attempt.state != "abandoned")
    ):
        responses[(row.attempt_id, row.question_version_id)] = (row.given, row.points)
        if row.hints_taken:
            hints[(row.attempt_id, row.question_version_id)] = row.hints_taken
        if row.certainty:
            certainty[(row.attempt_id, row.question_version_id)] = row.certainty
    cbm = student_paced_switch(session.pacing, session.settings, "certainty")
    return Loaded(group, _columns(session), students, responses, hints=hints, cbm=cbm, certainty=certainty)


def homework_attempts(question_set: QuestionSet) -> Any:
    """The condition that picks the attempts made through the set's share link (not in a class session, not
    abandoned, not the set's owner trying the link: settings.owner_try)."""
    return (
        (Attempt.set_id == question_set.id)
        & Attempt.session_id.is_(None)
        & (Attempt.state != "abandoned")
        & Attempt.settings["owner_try"].as_boolean().is_not(True)
    )


def _load_homework(group: AttemptGroup) -> Loaded:
    """The share-link attempts at the set, oldest first (a row each, named as the student typed it, if the
    link asked), their answers, and every question any of them asks: three queries."""
    chosen = homework_attempts(group.question_set)
    attempts = db.session.execute(
        db.select(Attempt.id, Attempt.public_id, Attempt.settings, Attempt.state)
        .where(chosen)
        .order_by(Attempt.started_at, Attempt.id)
    ).all()
    students = tuple(
        ReportStudent(
            a.id, a.settings.get("student_name") or NO_NAME, a.id, a.state == "finished", a.public_id
        )
        for a in attempts
    )
    asked: dict[int, set[int]] = defaultdict(set)
    responses, certainty = {}, {}
    for row in db.session.execute(
        db.select(
            AttemptQuestion.attempt_id,
            AttemptQuestion.question_version_id,
            Response.id.label("response_id"),
            Response.given,
            Response.points,
            Response.certainty,
        )
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .outerjoin(Response, Response.slot_id == AttemptQuestion.id)
        .where(chosen)
    ):
        asked[row.attempt_id].add(row.question_version_id)
        if row.response_id is not None:
            responses[(row.attempt_id, row.question_version_id)] = (row.given, row.points)
        if row.certainty:
            certainty[(row.attempt_id, row.question_version_id)] = row.certainty
    versions = db.session.execute(
        db.select(QuestionVersion.id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(QuestionVersion.id.in_({v for vs in asked.values() for v in vs}))
        .order_by(Question.position, Question.id, QuestionVersion.number)
    ).scalars()
    frozen = {attempt_id: frozenset(vs) for attempt_id, vs in asked.items()}
    columns = _columns_of(list(versions))
    cbm = group.question_set.certainty_marking
    return Loaded(group, columns, students, responses, frozen, cbm=cbm, certainty=certainty)


def student_flags(session: ClassSession | None) -> dict[int, list[StudentFlag]]:
    """The session's flags by set question, oldest first, without those of removed students (one query);
    none in homework (flags are a class session's)."""
    if session is None:
        return {}
    rows = db.session.execute(
        db.select(
            QuestionFlag.question_id, QuestionFlag.comment, QuestionFlag.created_at, Participant.display_name
        )
        .outerjoin(Participant, Participant.id == QuestionFlag.participant_id)
        .where(
            QuestionFlag.session_id == session.id,
            or_(Participant.id.is_(None), Participant.removed.is_(False)),
        )
        .order_by(QuestionFlag.created_at, QuestionFlag.id)
    )
    flags: dict[int, list[StudentFlag]] = defaultdict(list)
    for row in rows:
        name = row.display_name or "A student"
        flags[row.question_id].append(StudentFlag(row.question_id, name, row.comment, row.created_at))
    return flags
