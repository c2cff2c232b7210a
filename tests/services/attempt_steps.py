"""Starting an attempt through the services, for the service tests."""

from __future__ import annotations

from quizapp.domain.generation import QuizSpec
from quizapp.extensions import db
from quizapp.models import Learner
from quizapp.services.attempt_views import AttemptView, Mode, load_attempt
from quizapp.services.attempts import start_attempt
from quizapp.services.question_sets import ARTICLE_BANK


def start(learner: Learner, mode: Mode = Mode.TEST, seed: int | None = None, **spec: object) -> AttemptView:
    """Start an attempt at the article's bank and load it back as the learner sees it."""
    attempt, _ = start_attempt(learner, QuizSpec(**spec), mode, ARTICLE_BANK, seed=seed)  # type: ignore[arg-type]
    db.session.expire_all()
    return load_attempt(attempt.public_id, learner)
