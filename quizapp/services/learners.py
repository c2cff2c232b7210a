"""Anonymous learners: a random token kept in the browser's session cookie, and an optional name."""

from __future__ import annotations

import secrets

from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import Learner

MAX_NAME = 60


def find_learner(token: str | None) -> Learner | None:
    """The learner with this cookie token, if any."""
    if not token:
        return None
    return db.session.scalar(db.select(Learner).where(Learner.token == token))


def ensure_learner(token: str | None) -> Learner:
    """The learner with this token, or a new one (with a new token) when there is none."""
    learner = find_learner(token)
    if learner is not None:
        return learner
    with write_transaction():
        learner = Learner(token=secrets.token_urlsafe(24))
        db.session.add(learner)
    return learner


def rename_learner(learner: Learner, name: str) -> None:
    """Set the name shown on the learner's results (empty clears it)."""
    with write_transaction():
        db.session.get(Learner, learner.id).display_name = name.strip()[:MAX_NAME] or None  # type: ignore[union-attr]
