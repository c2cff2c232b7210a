"""The learner behind a browser: a random token in the (signed, HttpOnly) session cookie."""

from __future__ import annotations

from flask import g, session

from quizapp.services.learners import LearnerRow, ensure_learner, find_learner


def learner_token() -> str | None:
    """The token of this browser's learner, as its session cookie holds it (None before their first quiz)."""
    return session.get("learner")


def current_learner() -> LearnerRow | None:
    """This browser's learner, or None before their first quiz."""
    if "learner" not in g:
        g.learner = find_learner(learner_token())
    return g.learner


def ensure_current_learner() -> LearnerRow:
    """This browser's learner, created (and remembered for a year) if needed."""
    learner = current_learner()
    if learner is None:
        learner = ensure_learner(None)
        session["learner"] = learner.token
        session.permanent = True
        g.learner = learner
    return learner
