"""What the teacher watches in a session: who joined, how far each student is, and the answers so far.

Counts are aggregated in SQL: the number of queries does not grow with the students or the questions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Text, cast, func

from quizapp.domain.analysis import Bar, answer_bars
from quizapp.domain.answers import answer_from_json
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.domain.scoring import is_correct
from quizapp.domain.sessions import Pacing, SessionClock
from quizapp.extensions import db
from quizapp.models import Attempt, ClassSession, Participant, QuestionVersion, Response, utc_now


@dataclass(frozen=True)
class StudentProgress:
    participant_id: int
    name: str
    answered: int
    score: float
    finished: bool

    @property
    def score_text(self) -> str:
        """The score as the table shows it: 2, 2.5 (never 2.0)."""
        return f"{round(self.score, 1):g}"


@dataclass(frozen=True)
class QuestionLive:
    """One question of the session with its answers so far."""

    position: int
    version: QuestionVersion
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


def plan_versions(session: ClassSession) -> list[QuestionVersion]:
    """The session's question versions in plan order (one query)."""
    ids = [p["version_id"] for p in session.plan]
    rows = {
        v.id: v for v in db.session.scalars(db.select(QuestionVersion).where(QuestionVersion.id.in_(ids)))
    }
    return [rows[i] for i in ids]


def live_view(session: ClassSession, now: datetime | None = None) -> LiveView:
    """Everything the live page shows, in four queries whatever the size of the class."""
    students_rows = db.session.execute(
        db.select(Participant.id, Participant.display_name, Attempt.state, Attempt.id.label("attempt_id"))
        .join(Attempt, Attempt.id == Participant.attempt_id)
        .where(Participant.session_id == session.id, Participant.removed.is_(False))
        .order_by(Participant.joined_at, Participant.id)
    ).all()
    progress = {
        row.attempt_id: (row.answered, row.score)
        for row in db.session.execute(
            db.select(
                Response.attempt_id,
                func.count(Response.id).label("answered"),
                func.coalesce(func.sum(Response.points), 0.0).label("score"),
            )
            .join(Attempt, Attempt.id == Response.attempt_id)
            .where(Attempt.session_id == session.id, Attempt.state != "abandoned")
            .group_by(Response.attempt_id)
        )
    }
    students = tuple(
        StudentProgress(
            row.id,
            row.display_name,
            progress.get(row.attempt_id, (0, 0.0))[0],
            round(progress.get(row.attempt_id, (0, 0.0))[1], 2),
            row.state == "finished",
        )
        for row in students_rows
    )
    given = cast(Response.given, Text)
    answers: dict[int, list[tuple[str, int, float]]] = {}
    for row in db.session.execute(
        db.select(
            Response.question_version_id,
            given.label("given"),
            func.count(Response.id).label("n"),
            func.max(Response.points).label("points"),
        )
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(Attempt.session_id == session.id, Attempt.state != "abandoned")
        .group_by(Response.question_version_id, given)
    ):
        answers.setdefault(row.question_version_id, []).append((row.given, row.n, row.points))
    questions = []
    for position, version in enumerate(plan_versions(session), start=1):
        question = version.to_domain()
        counted = [
            (answer_from_json(question, json.loads(text)), n, is_correct(points))
            for text, n, points in answers.get(version.id, [])
        ]
        answered = sum(n for _, n, _ in counted)
        correct = sum(n for _, n, right in counted if right)
        bars = tuple(answer_bars(question, counted, answered))
        questions.append(QuestionLive(position, version, question, answered, correct, bars))
    clock = SessionClock(
        session.state,
        session.pacing,
        session.position,
        session.question_state,
        session.question_opened_at,
        session.started_at or utc_now(),
        int(session.settings.get("time_limit", 0)),
    )
    seconds_left = clock.seconds_left(now or utc_now()) if session.state == "running" else None
    return LiveView(session, students, tuple(questions), seconds_left)
