"""The review pages' forms: start a review session, finish one (nothing to fill in but the CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ReviewStartForm(FlaskForm):
    """Start a review session of the questions due now."""


class ReviewFinishForm(FlaskForm):
    """End a review session (its unanswered questions stay due)."""
