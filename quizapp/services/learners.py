"""Anonymous learners: a random token kept in the browser's session cookie, and an optional name."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select

from quizapp.database import read, write_transaction
from quizapp.extensions import db
from quizapp.models import Learner

MAX_NAME = 60


@dataclass(frozen=True)
class LearnerRow:
    """A learner as the pages read it (read model): every request of a student reads one, so it is one
    small Core select. Changes go through `rename_learner`, by id."""

    id: int
    token: str
    display_name: str | None


_BY_TOKEN = select(Learner.id, Learner.token, Learner.display_name).where(Learner.token == bindparam("token"))
# The id of the learner whose cookie token is the parameter `token`, inside another statement (a browser's
# attempt, its place in a class session): no statement of its own for the learner.
LEARNER_ID_BY_TOKEN = select(Learner.id).where(Learner.token == bindparam("token")).scalar_subquery()


def find_learner(token: str | None) -> LearnerRow | None:
    """The learner with this cookie token, if any."""
    if not token:
        return None
    row = read(_BY_TOKEN, {"token": token}).first()
    return LearnerRow(row.id, row.token, row.display_name) if row is not None else None


def ensure_learner(token: str | None) -> LearnerRow:
    """The learner with this token, or a new one (with a new token) when there is none."""
    learner = find_learner(token)
    if learner is not None:
        return learner
    token = secrets.token_urlsafe(24)
    with write_transaction():
        learner_id = db.session.execute(
            insert(Learner).values(token=token).returning(Learner.id)
        ).scalar_one()
    return LearnerRow(learner_id, token, None)


def rename_learner(learner: LearnerRow, name: str) -> None:
    """Set the name shown on the learner's results (empty clears it)."""
    with write_transaction():
        db.session.get(Learner, learner.id).display_name = name.strip()[:MAX_NAME] or None  # type: ignore[union-attr]
