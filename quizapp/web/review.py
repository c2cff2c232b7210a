"""Spaced review: the questions a learner missed, back when they are due, with the sentence they misread."""

from __future__ import annotations

import logging
from dataclasses import replace

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.exc import InternalError, OperationalError
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.domain.answers import InvalidAnswer, form_values
from quizapp.domain.review import due_in_words
from quizapp.models import utc_now
from quizapp.services.attempt_views import AttemptView, browser_attempt
from quizapp.services.attempts import AlreadyAnswered, AttemptClosed, finish_attempt, save_answer
from quizapp.services.review import (
    QueueStatus,
    fill_queue,
    is_review,
    open_review,
    outcome_counts,
    queue_status,
    review_slots,
    review_status,
    start_review,
)
from quizapp.services.review_progress import review_progress
from quizapp.web.learner import current_learner, learner_token
from quizapp.web.quiz_form import topic_label
from quizapp.web.review_forms import ReviewFinishForm, ReviewStartForm

log = logging.getLogger(__name__)
bp = Blueprint("review", __name__)
Page = str | tuple[str, int] | WerkzeugResponse


def current_queue() -> QueueStatus:
    """This browser's review queue, filled up to now (once per request: the home page and My results show
    "Review now (N due)")."""
    if "review_status" not in g:
        learner = current_learner()
        try:
            g.review_status = review_status(learner, utc_now())
        except (OperationalError, InternalError) as error:  # a database that cannot be written: count only
            log.warning("Review queue not filled: %s", error)
            g.review_status = queue_status(learner, utc_now())
    return g.review_status  # type: ignore[no-any-return]


@bp.app_context_processor
def _review_globals() -> dict[str, object]:
    return {"review_queue": current_queue, "due_in_words": lambda due: due_in_words(due, utc_now())}


def _view(public_id: str) -> AttemptView:
    """This browser's review session; 404 for anyone else's and for a quiz that is not a review."""
    view = browser_attempt(public_id, learner_token())
    if not is_review(view):
        abort(404)
    return view


@bp.get("/review")
def index() -> str:
    """How many questions are due, a button to review them, or when the next one comes back."""
    return render_template(
        "review/index.html",
        status=current_queue(),
        ongoing=open_review(current_learner()),
        form=ReviewStartForm(),
    )


@bp.post("/review")
def start() -> Page:
    """Start a review session of the questions due now (or go on with the one in progress)."""
    form = ReviewStartForm()
    if not form.validate_on_submit():
        abort(400)
    learner = current_learner()
    attempt = start_review(learner, utc_now()) if learner else None
    if attempt is None:
        flash("Nothing is due for review right now.", "info")
        return redirect(url_for("review.index"))
    return redirect(url_for("review.resume", public_id=attempt.public_id))


@bp.get("/review/<public_id>")
def resume(public_id: str) -> WerkzeugResponse:
    """A review session's own address: its first unanswered question, or its summary."""
    view = _view(public_id)
    if view.finished or not view.unanswered:
        return redirect(url_for("review.done", public_id=public_id))
    return redirect(url_for("review.question", public_id=public_id, position=view.unanswered[0]))


@bp.route("/review/<public_id>/<int:position>", methods=["GET", "POST"])
def question(public_id: str, position: int) -> Page:
    """One question of a review session; once answered, its feedback with the passage it quotes and when it
    comes back. The answer moves the question's schedule on."""
    view = _view(public_id)
    slot = view.slot(position)
    if view.finished and not slot.answered:  # left unanswered: still due, for the next review
        return redirect(url_for("review.done", public_id=public_id))
    error, status = None, 200
    if request.method == "POST":
        try:
            if save_answer(view, position, request.form.to_dict(flat=False)):
                fill_queue(current_learner())  # the answer moves the card on now
                return redirect(url_for("review.question", public_id=public_id, position=position))
            error, status = "Choose or type an answer first.", 400
        except InvalidAnswer as exc:
            error, status = str(exc), 400
        except (AttemptClosed, AlreadyAnswered):
            flash("You have already answered this question.", "info")
            return redirect(url_for("review.question", public_id=public_id, position=position))
    extra = review_slots(view)[position]
    shown = replace(slot, source_anchor=extra.passage.anchor if extra.passage else None)
    return render_template(
        "review/question.html",
        view=view,
        slot=shown,
        extra=extra,
        error=error,
        reveal=slot.answered,
        values=form_values(slot.question, slot.given),
        submitted=request.form if error else None,
        finish_form=ReviewFinishForm(),
    ), status


@bp.route("/review/<public_id>/done", methods=["GET", "POST"])
def done(public_id: str) -> Page:
    """The end of a review session: how it went and when each question comes back (POST: finish it)."""
    view = _view(public_id)
    if request.method == "POST":
        if not ReviewFinishForm().validate_on_submit():
            abort(400)
        finish_attempt(view.attempt)
        return redirect(url_for("review.done", public_id=public_id))
    return render_template(
        "review/done.html",
        view=view,
        extras=review_slots(view),
        counts=outcome_counts(view),
        status=current_queue(),
        form=ReviewStartForm(),
        finish_form=ReviewFinishForm(),
    )


@bp.get("/review/progress")
def progress() -> str:
    """Progress per topic and per passage over time, and the passages this learner keeps missing."""
    return render_template(
        "review/progress.html", progress=review_progress(current_learner()), topic_label=topic_label
    )
