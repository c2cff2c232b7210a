"""Marking essays, for the teacher who owns the class session or the set (another teacher gets 404): every
question they mark with its count of answers marked, then one student's answer at a time with the marking
guide, points and a comment; "Save and next" goes through the class without a mouse or JavaScript."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.domain.marking import parse_points
from quizapp.services.classroom import owned_session
from quizapp.services.marking import (
    AnswerChanged,
    MarkingQueue,
    essay_questions,
    mark_answer,
    marking_queue,
)
from quizapp.services.report_loading import NO_NAME, AttemptGroup
from quizapp.services.teacher_sets import owned_set
from quizapp.web.marking_forms import AnswerMarkForm

bp = Blueprint("marking", __name__, url_prefix="/teacher")
Page = str | tuple[str, int] | WerkzeugResponse
SESSION = "/sessions/<public_id>/marking"
HOMEWORK = "/sets/<int:set_id>/homework/marking"


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here is a teacher's own."""


def _group(public_id: str | None = None, set_id: int | None = None) -> AttemptGroup:
    """The class session's students, or the set's homework, of the signed-in teacher; 404 otherwise."""
    if public_id is not None:
        session = owned_session(current_user, public_id)
        return AttemptGroup(session.question_set, session)
    return AttemptGroup(owned_set(current_user, int(set_id or 0)))


def _here(group: AttemptGroup, endpoint: str, **values: object) -> str:
    """A marking page's address for the group (by session, or by set for homework)."""
    if group.session is not None:
        return url_for(endpoint, public_id=group.session.public_id, **values)
    return url_for(endpoint, set_id=group.question_set.id, **values)


@bp.get(SESSION)
@bp.get(HOMEWORK)
def index(public_id: str | None = None, set_id: int | None = None) -> str:
    """The questions to mark, each with "3 of 25 marked" and a link to its first answer not marked."""
    group = _group(public_id, set_id)
    return render_template("marking/index.html", group=group, questions=essay_questions(group), here=_here)


@bp.route(SESSION + "/<int:version_id>/<int:number>", methods=["GET", "POST"])
@bp.route(HOMEWORK + "/<int:version_id>/<int:number>", methods=["GET", "POST"])
def answer(version_id: int, number: int, public_id: str | None = None, set_id: int | None = None) -> Page:
    """One student's answer to the question: the prompt, the marking guide, the text, points and a comment.
    Saving goes to the next student (or back to the list after the last one)."""
    group = _group(public_id, set_id)
    queue = marking_queue(group, version_id)
    shown = queue.answer(number)
    form = AnswerMarkForm(
        points="" if shown.points is None else f"{shown.points:g}",
        comment=shown.comment or "",
        response_id=str(shown.response_id),
        seen=shown.version,
    )
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                mark_answer(
                    group,
                    version_id,
                    int(form.response_id.data),
                    parse_points(form.points.data),
                    form.comment.data,
                    current_user,
                    seen=form.seen.data or None,
                )
            except AnswerChanged:
                # The page shows the new text; the points and comment typed stay for the teacher to check.
                form.seen.data = shown.version
                who = "The student" if shown.name == NO_NAME else shown.name
                form.response_id.errors = [
                    f"{who} changed this answer after you opened it, so the mark was not saved. "
                    "Read the answer above again, then save your mark."
                ]
                return _page(group, queue, number, form), 409
            return redirect(_after_save(group, queue, number))
        return _page(group, queue, number, form), 400
    return _page(group, queue, number, form)


def _after_save(group: AttemptGroup, queue: MarkingQueue, number: int) -> str:
    """The next student's answer, or the list of questions after the last one."""
    name = queue.answer(number).name
    if number < len(queue.answers):
        flash(f"Saved the mark for {name}.", "success")
        return _here(group, "marking.answer", version_id=queue.question.column.version_id, number=number + 1)
    flash(f"Saved the mark for {name}: that was the last answer to this question.", "success")
    return _here(group, "marking.index")


def _page(group: AttemptGroup, queue: MarkingQueue, number: int, form: AnswerMarkForm) -> str:
    return render_template(
        "marking/answer.html", group=group, queue=queue, number=number, form=form, here=_here
    )
