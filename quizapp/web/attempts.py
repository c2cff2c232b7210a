"""Taking a quiz: start, one question per page, finish, results, and 'My results'."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.domain.answers import InvalidAnswer, form_values
from quizapp.domain.generation import MAX_COUNT, NoMatchingQuestions, QuizSpec
from quizapp.domain.sessions import AnswerRefused, State
from quizapp.models import QuestionSet
from quizapp.services.attempt_views import AttemptView, Mode, SlotView, browser_attempt, mistakes
from quizapp.services.attempts import (
    AlreadyAnswered,
    AttemptClosed,
    attempt_seconds_left,
    finish_attempt,
    mark_for_review,
    save_answer,
    session_clock,
    start_attempt,
)
from quizapp.services.certainty import cbm_report
from quizapp.services.hints import HintRefused, hint_panel, take_hint
from quizapp.services.learner_history import learner_history, open_attempts
from quizapp.services.learners import rename_learner
from quizapp.services.question_sets import ARTICLE_BANK, get_set
from quizapp.services.session_flow import review_allowed
from quizapp.web.forms import LearnerNameForm, QuestionSelectionForm
from quizapp.web.hint_forms import HintTakeForm
from quizapp.web.learner import current_learner, ensure_current_learner, learner_token
from quizapp.web.quiz_form import quiz_start_form, size_note, spec_from_form, topic_label

bp = Blueprint("attempts", __name__)
Page = str | tuple[str, int] | WerkzeugResponse


def _view(public_id: str) -> AttemptView:
    """The attempt of this browser's learner; 404 for anyone else's, and for a student the teacher removed
    from its class session, the page that says so (403) instead of a quiz that can no longer go on."""
    view = browser_attempt(public_id, learner_token())
    attempt = view.attempt
    if attempt.session_id is not None and attempt.state == "abandoned":  # only a removal abandons one
        page = render_template("join/removed.html", session={"title": attempt.settings.get("session_title")})
        abort(make_response(page, 403))
    return view


def _taken_on_play_page(view: AttemptView) -> bool:
    """A class quiz that is not taken on these pages now: teacher-paced (the class goes through it together,
    on the board), or a session still in its lobby (its questions wait for the start)."""
    attempt = view.attempt
    if attempt.settings.get("pacing") == "teacher":
        return True
    return (
        attempt.session_id is not None
        and not view.finished
        and session_clock(attempt.session_id, attempt).state == State.LOBBY
    )


def start_and_open(
    spec: QuizSpec,
    mode: Mode,
    set_slug: str = ARTICLE_BANK,
    student_name: str | None = None,
    owner_try: bool = False,
) -> WerkzeugResponse:
    """Start a quiz on set `set_slug` for this browser's learner (named `student_name` for the teacher, when a
    share link asks; `owner_try`: the set's owner trying the link, kept out of the homework) and open its
    first question."""
    attempt, plan = start_attempt(
        ensure_current_learner(), spec, mode, set_slug, student_name=student_name, owner_try=owner_try
    )
    note = size_note(plan, asked=min(spec.count, MAX_COUNT))
    if note:
        flash(note, "info")
    return redirect(url_for("attempts.question", public_id=attempt.public_id, position=1))


@bp.post("/quiz")
def start() -> Page:
    """Generate a quiz from the home page's form and open its first question."""
    question_set = get_set(ARTICLE_BANK)
    form = quiz_start_form(question_set)
    if form.validate_on_submit():
        try:
            return start_and_open(spec_from_form(form), Mode(form.mode.data))
        except NoMatchingQuestions as exc:
            form.topics.errors = [*form.topics.errors, str(exc)]
    return render_template(
        "main/home.html", question_set=question_set, form=form, unfinished=open_attempts(current_learner())
    ), 400


@bp.post("/quiz/selection")
def start_selection() -> Page:
    """A quiz on chosen questions: a sentence's questions, or the mistakes of an attempt."""
    form = QuestionSelectionForm()
    if not form.validate_on_submit():
        abort(400)
    ids = frozenset(i for i in form.question_ids.data.split(",") if i)
    earlier = _view(form.from_attempt.data).attempt if form.from_attempt.data else None
    question_set = earlier.question_set if earlier else None
    if question_set is not None and not _open_to_quizzes(question_set):
        abort(404)
    set_slug = question_set.slug if question_set else ARTICLE_BANK
    name = earlier.settings.get("student_name") if earlier else None  # the teacher knows the retry by it too
    owner_try = bool(earlier and earlier.settings.get("owner_try"))  # an owner's retry is still not homework
    spec = QuizSpec(count=len(ids), question_ids=ids)
    try:
        return start_and_open(spec, Mode(form.mode.data), set_slug, student_name=name, owner_try=owner_try)
    except NoMatchingQuestions:
        abort(400)


def _open_to_quizzes(question_set: QuestionSet) -> bool:
    """New quizzes start only on the built-in bank or a shared set (a link turned off starts nothing new)."""
    return question_set.is_builtin or question_set.share_token is not None


@bp.get("/attempts/<public_id>")
def resume(public_id: str) -> WerkzeugResponse:
    """The attempt's own address: back to the first unanswered question, or to the results when finished."""
    view = _view(public_id)
    if view.finished:
        return redirect(url_for("attempts.result", public_id=public_id))
    position = view.unanswered[0] if view.unanswered else len(view.slots)
    return redirect(url_for("attempts.question", public_id=public_id, position=position))


@bp.route("/attempts/<public_id>/<int:position>", methods=["GET", "POST"])
def question(public_id: str, position: int) -> Page:
    """One question: show it (with feedback once answered in practice); save the answer sent."""
    view = _view(public_id)
    if _taken_on_play_page(view):
        return redirect(url_for("join.play", public_id=view.attempt.settings["session"]))
    slot = view.slot(position)
    error, status = None, 200
    if request.method == "POST" and request.form.get("go") == "back" and view.attempt.mode == Mode.PRACTICE:
        # practice answers are final once checked: going back must never check a half-typed one
        return redirect(url_for("attempts.question", public_id=public_id, position=max(1, position - 1)))
    if request.method == "POST":
        if view.attempt.mode == Mode.TEST:
            mark_for_review(view, position, request.form.get("mark") == "1")
        try:
            saved = save_answer(view, position, request.form.to_dict(flat=False))
            go = request.form.get("go", "next")
            if saved or go != "check":
                return redirect(_after_save(view, position, go, saved))
            error, status = "Choose or type an answer first, or skip this question for now.", 400
        except InvalidAnswer as exc:
            error, status = str(exc), 400
        except AttemptClosed:
            flash("This quiz is finished, so its answers can no longer change.", "info")
            return redirect(url_for("attempts.result", public_id=public_id))
        except AnswerRefused as exc:  # a class session's time ran out: the quiz ends with what was saved
            finish_attempt(view.attempt)
            flash(str(exc), "error")
            return redirect(url_for("attempts.result", public_id=public_id))
        except AlreadyAnswered:
            flash("You have already answered this question; its answer is final in practice mode.", "info")
            return redirect(url_for("attempts.question", public_id=public_id, position=position))
    if view.finished and request.method == "GET":
        return redirect(url_for("attempts.result", public_id=public_id, _anchor=f"q{position}"))
    return _question_page(view, slot, error, status)


def _question_page(
    view: AttemptView, slot: SlotView, error: str | None, status: int, keep_typed: bool = False, **extra: str
) -> tuple[str, int]:
    """A question's page; the fields as the form sent them after an error (or a hint: `keep_typed`)."""
    return render_template(
        "attempts/question.html",
        view=view,
        slot=slot,
        error=error,
        reveal=view.reveals(slot),
        seconds_left=attempt_seconds_left(view.attempt),
        values=form_values(slot.question, slot.given),
        submitted=request.form if error or keep_typed else None,
        hints=hint_panel(view, slot),
        cbm=cbm_report(view),
        **extra,
    ), status


@bp.post("/attempts/<public_id>/<int:position>/hint")
def hint(public_id: str, position: int) -> Page:
    """Take the next hint of a practice question (its page's form, sent by a hint button): the page again,
    with the step's text and the answer as typed so far; 404 where hints do not apply, 400 with a message
    when the question is already answered."""
    view = _view(public_id)
    form = HintTakeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        take_hint(view, position, form.hint.data)
    except HintRefused as exc:
        return _question_page(view, view.slot(position), None, 400, hint_error=str(exc))
    view = _view(public_id)
    return _question_page(view, view.slot(position), None, 200, keep_typed=True)


def _after_save(view: AttemptView, position: int, go: str, saved: bool) -> str:
    """Where a submit button leads: the same page (practice feedback), back, next, the summary, or the end.

    A test's last button ('review') leads to the summary before finishing (as Moodle's). A bare 'finish' (no
    page of ours sends it any more) finishes at once when every question is answered; otherwise it asks.
    """
    public_id = view.attempt.public_id
    if go == "check":
        return url_for("attempts.question", public_id=public_id, position=position)
    if go == "back" and position > 1:
        return url_for("attempts.question", public_id=public_id, position=position - 1)
    if go == "review":
        return url_for("attempts.finish", public_id=public_id)
    if go == "finish" or position >= len(view.slots):
        remaining = [p for p in view.unanswered if not (saved and p == position)]
        if not remaining and finish_attempt(view.attempt):
            return url_for("attempts.result", public_id=public_id)
        return url_for("attempts.finish", public_id=public_id)
    return url_for("attempts.question", public_id=public_id, position=position + 1)


@bp.route("/attempts/<public_id>/finish", methods=["GET", "POST"])
def finish(public_id: str) -> Page:
    """The summary before finishing (every question, answered or not, with links back); finishing twice grades
    once. Practice answers are final once checked, so with all of them checked it only offers the score."""
    view = _view(public_id)
    if view.finished:
        return redirect(url_for("attempts.result", public_id=public_id))
    if _taken_on_play_page(view):  # the teacher ends it for the whole class
        return redirect(url_for("join.play", public_id=view.attempt.settings["session"]))
    if request.method == "POST":
        finish_attempt(view.attempt)
        return redirect(url_for("attempts.result", public_id=public_id))
    return render_template("attempts/finish.html", view=view)


@bp.get("/attempts/<public_id>/results")
def result(public_id: str) -> Page:
    """Score, percentage, each question's number marked right or wrong, and every question (or, with
    ?only=mistakes, those not fully right) with the answer given, the key, explanation and source."""
    view = _view(public_id)
    if not view.finished:
        return redirect(url_for("attempts.finish", public_id=public_id))
    review = review_allowed(view.attempt)
    wrong = mistakes(view) if _open_to_quizzes(view.attempt.question_set) and review else frozenset()
    retry = (
        QuestionSelectionForm(question_ids=",".join(sorted(wrong)), mode="practice", from_attempt=public_id)
        if wrong
        else None
    )
    only_mistakes = request.args.get("only") == "mistakes"
    shown = [s for s in view.slots if s.mistake or not only_mistakes]
    page = {"review": review, "shown": shown, "only_mistakes": only_mistakes, "cbm": cbm_report(view)}
    return render_template("attempts/result.html", view=view, retry=retry, **page)


@bp.get("/my-results")
def history() -> str:
    """This browser's attempts, best and latest scores per set, and a record per topic."""
    learner = current_learner()
    form = LearnerNameForm(display_name=learner.display_name if learner else "")
    return render_template(
        "attempts/history.html", history=learner_history(learner), form=form, topic_label=topic_label
    )


@bp.post("/my-results/name")
def rename() -> Page:
    """Set the optional name shown on this browser's results."""
    form = LearnerNameForm()
    if not form.validate_on_submit():
        learner = current_learner()
        return render_template(
            "attempts/history.html", history=learner_history(learner), form=form, topic_label=topic_label
        ), 400
    rename_learner(ensure_current_learner(), form.display_name.data or "")
    flash("Your name is saved.", "success")
    return redirect(url_for("attempts.history"))
