"""The question editor: write, edit, preview, delete and move the questions of one's own sets."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.domain.questions import QuestionType
from quizapp.models import Question, QuestionSet
from quizapp.services import question_drafts as drafts
from quizapp.services import teacher_sets as sets_service
from quizapp.services.question_drafts import InvalidDraft, SavedQuestion
from quizapp.services.question_sets import set_topics
from quizapp.web.confirmations import confirm_delete_question
from quizapp.web.editor_forms import FORMS, QuestionDeleteForm, QuestionEditForm, QuestionMoveForm

bp = Blueprint("editor", __name__, url_prefix="/teacher/sets/<int:set_id>/questions")
Page = str | tuple[str, int] | WerkzeugResponse


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here is a teacher's own."""


def _own_set(set_id: int) -> QuestionSet:
    return sets_service.owned_set(current_user, set_id)


def _own_question(set_id: int, question_id: int) -> tuple[QuestionSet, Question]:
    question_set = _own_set(set_id)
    return question_set, sets_service.owned_question(question_set, question_id)


def _set_page(question_set: QuestionSet, question: Question | None = None) -> str:
    anchor = f"question-{question.id}" if question else None
    return url_for("sets.show", set_id=question_set.id, _anchor=anchor)


def _editor(template: str, form: QuestionEditForm, question_set: QuestionSet, **context: object) -> Page:
    """The editor page; 400 when it shows errors (nothing was saved)."""
    if form.action.data != "more":  # a failed save shows the rows as sent: no new empty ones
        form.pad_rows(spare=0 if request.method == "POST" else 2)
    preview = drafts.source_preview(question_set, form.source.data or "")
    page = render_template(
        template,
        form=form,
        question_set=question_set,
        qtype=form.qtype,
        source=preview,
        set_topics=set_topics(question_set),
        **context,
    )
    return page, 400 if form.has_errors else 200


def _submitted(form: QuestionEditForm) -> bool:
    """Whether the form was sent to be saved (not for more rows) and passes its field checks."""
    if request.method != "POST":
        return False
    if form.action.data == "more":
        form.add_rows()
        return False
    return form.validate()


@bp.route("/new", methods=["GET", "POST"])
def new_question(set_id: int) -> Page:
    """Write a new question of the type asked for (`?type=single_choice`...)."""
    question_set = _own_set(set_id)
    try:
        qtype = QuestionType(request.args.get("type", ""))
    except ValueError:
        abort(404)
    form = FORMS[qtype]()
    if _submitted(form):
        try:
            saved = drafts.create_question(question_set, qtype, form.values())
        except InvalidDraft as exc:
            form.show_errors(exc.errors)
        else:
            flash("The question is added to the set.", "success")
            return _after_save(question_set, saved, form)
    return _editor("editor/new_question.html", form, question_set)


@bp.route("/<int:question_id>/edit", methods=["GET", "POST"])
def edit_question(set_id: int, question_id: int) -> Page:
    """Edit a question; saving makes a new version, and past attempts keep the one they answered."""
    question_set, question = _own_question(set_id, question_id)
    form_class = FORMS[drafts.question_type(question)]
    form = form_class() if request.method == "POST" else form_class(data=drafts.editor_values(question))
    if _submitted(form):
        try:
            saved = drafts.edit_question(question_set, question, form.values())
        except InvalidDraft as exc:
            form.show_errors(exc.errors)
        else:
            flash(
                f"Saved as version {saved.version}. Past attempts keep the version they answered."
                if saved.changed
                else f"Nothing changed: the question stays at version {saved.version}.",
                "success",
            )
            return _after_save(question_set, saved, form)
    return _editor("editor/edit_question.html", form, question_set, question=question)


def _after_save(question_set: QuestionSet, saved: SavedQuestion, form: QuestionEditForm) -> WerkzeugResponse:
    """Back to the set, or to a new question of the same type ("Save and add another")."""
    if form.action.data == "another":
        return redirect(url_for("editor.new_question", set_id=question_set.id, type=form.qtype.value))
    return redirect(_set_page(question_set, saved.question))


@bp.get("/<int:question_id>/preview")
def preview(set_id: int, question_id: int) -> str:
    """The question as a student sees it, then its key and feedback as the teacher sees them."""
    question_set, question = _own_question(set_id, question_id)
    shown = drafts.preview_question(question_set, question)
    # _answer.html's context for a neutral slot: nothing answered, inputs disabled ("reveal" locks them).
    return render_template(
        "editor/preview.html",
        question_set=question_set,
        question=question,
        preview=shown,
        q=shown.question,
        slot=shown.slot,
        values={},
        submitted=None,
        reveal=True,
        error=None,
    )


@bp.post("/<int:question_id>/delete")
def delete_question(set_id: int, question_id: int) -> Page:
    """Delete a question; one that learners met is only withdrawn, so their results keep it."""
    question_set, question = _own_question(set_id, question_id)
    if not QuestionDeleteForm().validate_on_submit():
        abort(400)
    if request.form.get("confirmed") != "yes":  # a page asks first (web/confirmations.py)
        return confirm_delete_question(question_set, question)
    if sets_service.delete_question(question_set, question):
        flash(
            "The question is withdrawn: new quizzes leave it out, and the attempts that met it keep it.",
            "success",
        )
    else:
        flash("The question is deleted.", "success")
    return redirect(_set_page(question_set))


@bp.post("/<int:question_id>/move")
def move_question(set_id: int, question_id: int) -> WerkzeugResponse:
    """Move a question one place up or down in the set."""
    question_set, question = _own_question(set_id, question_id)
    form = QuestionMoveForm()
    if not form.validate_on_submit():
        abort(400)
    sets_service.move_question(question_set, question, -1 if form.direction.data == "up" else 1)
    return redirect(_set_page(question_set, question))
