"""What a learner has done: quizzes to continue, best and latest scores per set, a record per topic."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    QuestionSet,
    QuestionVersion,
    Response,
)
from quizapp.services.attempt_views import percent
from quizapp.services.learners import LearnerRow


def open_attempts(learner: LearnerRow | None, limit: int = 3) -> list[Attempt]:
    """The learner's unfinished attempts, newest first (to offer 'continue where you left off')."""
    if learner is None:
        return []
    return list(
        db.session.scalars(
            db.select(Attempt)
            .where(Attempt.learner_id == learner.id, Attempt.state == "in_progress")
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class SetProgress:
    """A learner's record on one question set."""

    question_set: QuestionSet
    attempts: int
    best: int
    latest: int
    trend: tuple[int, ...]


@dataclass(frozen=True)
class History:
    """A learner's attempts (newest first), their record per set, and how they do per topic."""

    attempts: tuple[Attempt, ...]
    progress: tuple[SetProgress, ...]
    topics: tuple[tuple[str, int, int], ...]


def learner_history(learner: LearnerRow | None) -> History:
    """Everything 'My results' shows, in three queries whatever the number of attempts. Quizzes of a class
    session the student was removed from are left out: they can be neither continued nor reviewed."""
    if learner is None:
        return History((), (), ())
    attempts = tuple(
        db.session.scalars(
            db.select(Attempt)
            .where(Attempt.learner_id == learner.id, Attempt.state != "abandoned")  # removed from a class
            .options(selectinload(Attempt.question_set))
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        )
    )
    # a review session's questions come from several sets: it is no score on one
    finished = [a for a in reversed(attempts) if a.state == "finished" and not a.settings.get("review")]
    progress = []
    for question_set in {a.question_set.id: a.question_set for a in finished}.values():
        scores = [percent(a.score or 0, a.max_score) for a in finished if a.set_id == question_set.id]
        progress.append(SetProgress(question_set, len(scores), max(scores), scores[-1], tuple(scores[-20:])))
    return History(attempts, tuple(progress), _topic_record(learner))


def _topic_record(learner: LearnerRow) -> tuple[tuple[str, int, int], ...]:
    """(topic, points earned in %, questions answered and marked) over the learner's finished attempts."""
    rows = db.session.execute(
        db.select(Response.points, QuestionVersion.content)
        .join(QuestionVersion, QuestionVersion.id == Response.question_version_id)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(
            Attempt.learner_id == learner.id,
            Attempt.state == "finished",
            Response.points.is_not(None),  # an answer awaiting the teacher's mark counts once marked
        )
    ).all()
    totals: dict[str, list[float]] = {}
    for points, content in rows:
        for topic in content.get("topics", []):
            totals.setdefault(topic, []).append(points)
    return tuple(
        sorted(
            ((t, round(100 * sum(p) / len(p)), len(p)) for t, p in totals.items()), key=lambda r: (r[1], r[0])
        )
    )
