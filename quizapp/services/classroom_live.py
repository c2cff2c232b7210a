"""What the teacher watches in a session: who joined, how far each student is, and the answers so far.

Counts are aggregated in SQL: the number of queries does not grow with the students or the questions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Select, Text, bindparam, cast, func, select

from quizapp.caches import Cache
from quizapp.database import read
from quizapp.domain.analysis import Bar, answer_bars
from quizapp.domain.answers import answer_from_json
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.domain.scoring import is_correct
from quizapp.domain.sessions import EXTRA_TIME_KEY, ExtraTime, Pacing, shared_ranks
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    ClassSession,
    Participant,
    QuestionVersion,
    Response,
    domain_question,
    utc_now,
)
from quizapp.services.session_flow import session_clock_of, teacher_stamp_of


@dataclass(frozen=True)
class StudentProgress:
    participant_id: int
    name: str
    answered: int
    score: float
    finished: bool
    extra_time: ExtraTime = ExtraTime.NONE

    @property
    def score_text(self) -> str:
        """The score as the table shows it: 2, 2.5 (never 2.0)."""
        return f"{round(self.score, 1):g}"


@dataclass(frozen=True)
class QuestionLive:
    """One question of the session with its answers so far."""

    position: int
    version_id: int
    question: DomainQuestion
    answered: int
    correct: int
    bars: tuple[Bar, ...]

    @property
    def percent_correct(self) -> int:
        return round(100 * self.correct / self.answered) if self.answered else 0


@dataclass(frozen=True)
class LiveView:
    session: ClassSession
    students: tuple[StudentProgress, ...]
    questions: tuple[QuestionLive, ...]
    seconds_left: int | None
    stamp: str  # session_flow.teacher_stamp's value, as of this view

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def current(self) -> QuestionLive | None:
        """Teacher-paced: the question on the board."""
        if self.session.pacing != Pacing.TEACHER or not 1 <= self.session.position <= self.total:
            return None
        return self.questions[self.session.position - 1]

    def leaderboard(self, top: int = 10) -> list[StudentProgress]:
        return sorted(self.students, key=lambda s: (-s.score, s.name.casefold()))[:top]

    def standings(self, top: int = 10) -> list[tuple[int, StudentProgress]]:
        """The leaderboard's students, best first, each with their rank (ties share one: 1, 2, 2, 4)."""
        best = self.leaderboard(top)
        return list(zip(shared_ranks([s.score for s in best]), best, strict=True))


def _students_statement() -> Select[Any]:
    """The students who joined (not removed), first come first, with their answers so far and the time of
    their latest answer (the page's stamp is made from those)."""
    session_id = bindparam("session_id", type_=Integer)
    progress = (
        select(
            Response.attempt_id.label("attempt_id"),
            func.count(Response.id).label("answered"),
            func.coalesce(func.sum(Response.points), 0.0).label("score"),
            func.max(Response.answered_at).label("latest"),
        )
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(Attempt.session_id == session_id)
        .group_by(Response.attempt_id)
        .subquery()
    )
    return (
        select(
            Participant.id,
            Participant.display_name,
            Attempt.state,
            progress.c.answered,
            progress.c.score,
            progress.c.latest,
            Attempt.settings[EXTRA_TIME_KEY].as_string().label("extra_time"),
        )
        .join(Attempt, Attempt.id == Participant.attempt_id)
        .outerjoin(progress, progress.c.attempt_id == Participant.attempt_id)
        .where(Participant.session_id == session_id, Participant.removed.is_(False))
        .order_by(Participant.joined_at, Participant.id)
    )


def _answers_statement() -> Select[Any]:
    """Per question version and distinct answer: how many gave it, and its points."""
    given = cast(Response.given, Text)
    return (
        select(
            Response.question_version_id,
            given.label("given"),
            func.count(Response.id).label("n"),
            func.max(Response.points).label("points"),
        )
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(Attempt.session_id == bindparam("session_id", type_=Integer), Attempt.state != "abandoned")
        .group_by(Response.question_version_id, given)
    )


_STUDENTS = _students_statement()
_ANSWERS = _answers_statement()
_CONTENTS = select(QuestionVersion.id, QuestionVersion.content_hash, QuestionVersion.content).where(
    QuestionVersion.id.in_(bindparam("ids", expanding=True))
)
# Question versions never change: their questions are kept once read (the live page is read every 2 s), by
# database and version id.
_VERSIONS: Cache[tuple[str, int], DomainQuestion] = Cache(max_size=10_000)


def plan_questions(session: ClassSession) -> list[tuple[int, DomainQuestion]]:
    """The session's questions in plan order, each with its version's id (one query for those this process
    has not read yet)."""
    database = str(db.engine.url)
    ids = [p["version_id"] for p in session.plan]
    found: dict[int, DomainQuestion] = {}
    for id_ in ids:
        question = _VERSIONS.get((database, id_))
        if question is not None:
            found[id_] = question
    missing = [id_ for id_ in ids if id_ not in found]
    if missing:
        for row in read(_CONTENTS, {"ids": missing}):
            found[row.id] = domain_question(row.content_hash, row.content)
            _VERSIONS.put((database, row.id), found[row.id])
    return [(id_, found[id_]) for id_ in ids]


def live_view(session: ClassSession, now: datetime | None = None) -> LiveView:
    """Everything the live page shows, in two queries whatever the size of the class (three when the
    session's questions were not read yet by this process)."""
    rows = read(_STUDENTS, {"session_id": session.id}).all()
    students = tuple(
        StudentProgress(
            row.id,
            row.display_name,
            row.answered or 0,
            round(row.score or 0.0, 2),
            row.state == "finished",
            ExtraTime(row.extra_time or ExtraTime.NONE),
        )
        for row in rows
    )
    stamp = teacher_stamp_of(
        session.revision,
        len(rows),
        sum(row.answered or 0 for row in rows),
        max((row.latest for row in rows if row.latest is not None), default=None),
    )
    answers: dict[int, list[tuple[str, int, float]]] = {}
    for row in read(_ANSWERS, {"session_id": session.id}):
        answers.setdefault(row.question_version_id, []).append((row.given, row.n, row.points))
    questions = []
    for position, (version_id, question) in enumerate(plan_questions(session), start=1):
        counted = [
            (answer_from_json(question, json.loads(text)), n, points is not None and is_correct(points))
            for text, n, points in answers.get(version_id, [])
        ]
        answered = sum(n for _, n, _ in counted)
        correct = sum(n for _, n, right in counted if right)
        bars = tuple(answer_bars(question, counted, answered))
        questions.append(QuestionLive(position, version_id, question, answered, correct, bars))
    clock = session_clock_of(session)
    seconds_left = clock.seconds_left(now or utc_now()) if session.state == "running" else None
    return LiveView(session, students, tuple(questions), seconds_left, stamp)
