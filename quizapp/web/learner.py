"""The learner behind a browser: a random token in the (signed, HttpOnly) session cookie."""

from __future__ import annotations

from flask import g, session

from quizapp.models import Learner
from quizapp.services.learners import ensure_learner, find_learner


def current_learner() -> Learner | None:
    """This browser's learner, or None before their first quiz."""
    if "learner" not in g:
        g.learner = find_learner(session.get("learner"))
    return g.learner


def ensure_current_learner() -> Learner:
    """This browser's learner, created (and remembered for a year) if needed."""
    learner = current_learner()
    if learner is None:
        learner = ensure_learner(None)
        session["learner"] = learner.token
        session.permanent = True
        g.learner = learner
    return learner
