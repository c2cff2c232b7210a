"""Across a set's sessions: each student's best and latest scores, and students' flags on its questions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_

from quizapp.domain.sessions import State, name_key
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    ClassSession,
    Participant,
    Question,
    QuestionFlag,
    QuestionSet,
    Teacher,
)
from quizapp.services import NotFound

# ---- across sessions


@dataclass(frozen=True)
class SessionSummary:
    """A closed session counted in a set's gradebook."""

    public_id: str
    title: str
    closed_at: datetime | None
    students: int


@dataclass(frozen=True)
class StudentRecord:
    """A student (by name, case ignored) over a set's sessions: how many, their best and latest scores."""

    name: str
    sessions: int
    best: float
    latest: float


@dataclass(frozen=True)
class SetGradebook:
    """A set's closed sessions (newest first) and its students over them (by name)."""

    question_set: QuestionSet
    sessions: tuple[SessionSummary, ...]
    rows: tuple[StudentRecord, ...]


def reportable_set(teacher: Teacher, set_id: int) -> QuestionSet:
    """A set the teacher may run sessions on: one of theirs or a built-in one; NotFound otherwise."""
    question_set = db.session.get(QuestionSet, set_id)
    if question_set is None or not (question_set.is_builtin or question_set.owner_id == teacher.id):
        raise NotFound(f"set {set_id}")
    return question_set


def set_gradebook(teacher: Teacher, question_set: QuestionSet) -> SetGradebook:
    """Every student of the teacher's closed sessions on the set, matched by name (case ignored): sessions
    taken, best and latest percentage. Two queries whatever the number of sessions and students."""
    sessions = db.session.execute(
        db.select(ClassSession.id, ClassSession.public_id, ClassSession.title, ClassSession.closed_at)
        .where(
            ClassSession.owner_id == teacher.id,
            ClassSession.set_id == question_set.id,
            ClassSession.state == State.CLOSED,
        )
        .order_by(ClassSession.closed_at, ClassSession.id)
    ).all()
    results = db.session.execute(
        db.select(ClassSession.id, Participant.display_name, Attempt.score, Attempt.max_score)
        .join(Participant, Participant.session_id == ClassSession.id)
        .join(Attempt, Attempt.id == Participant.attempt_id)
        .where(
            ClassSession.owner_id == teacher.id,
            ClassSession.set_id == question_set.id,
            ClassSession.state == State.CLOSED,
            Participant.removed.is_(False),
            Attempt.state != "abandoned",
        )
    ).all()
    order = {row.id: n for n, row in enumerate(sessions)}  # oldest first: the last one seen is the latest
    taken: dict[int, int] = defaultdict(int)
    by_name: dict[str, list[tuple[int, str, float]]] = defaultdict(list)
    for row in results:
        pct = round(100 * (row.score or 0.0) / row.max_score, 1) if row.max_score else 0.0
        by_name[name_key(row.display_name)].append((order[row.id], row.display_name, pct))
        taken[row.id] += 1
    records = []
    for entries in by_name.values():
        entries.sort()
        records.append(
            StudentRecord(entries[-1][1], len(entries), max(e[2] for e in entries), entries[-1][2])
        )
    return SetGradebook(
        question_set,
        tuple(SessionSummary(r.public_id, r.title, r.closed_at, taken[r.id]) for r in reversed(sessions)),
        tuple(sorted(records, key=lambda r: r.name.casefold())),
    )


# ---- flags beside the questions of a set


@dataclass(frozen=True)
class FlagNote:
    """A flag as the set page lists it: the comment, who, and in which session."""

    comment: str
    name: str
    session_public_id: str | None
    session_title: str
    created_at: datetime


def flags_by_question(question_set: QuestionSet) -> dict[int, list[FlagNote]]:
    """The students' flags on each question of the set (by question id), oldest first; one query.

    Flags of students the teacher removed are left out.
    """
    rows = db.session.execute(
        db.select(
            QuestionFlag.question_id,
            QuestionFlag.comment,
            QuestionFlag.created_at,
            Participant.display_name,
            ClassSession.public_id,
            ClassSession.title,
        )
        .join(Question, Question.id == QuestionFlag.question_id)
        .outerjoin(Participant, Participant.id == QuestionFlag.participant_id)
        .outerjoin(ClassSession, ClassSession.id == QuestionFlag.session_id)
        .where(
            Question.set_id == question_set.id,
            or_(Participant.id.is_(None), Participant.removed.is_(False)),
        )
        .order_by(QuestionFlag.created_at, QuestionFlag.id)
    )
    notes: dict[int, list[FlagNote]] = defaultdict(list)
    for row in rows:
        name, title = row.display_name or "A student", row.title or ""
        notes[row.question_id].append(FlagNote(row.comment, name, row.public_id, title, row.created_at))
    return dict(notes)
