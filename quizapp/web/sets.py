"""A teacher's question sets: dashboard, set page, create, edit, duplicate, copy from the bank, share."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from quizapp.domain.questions import QuestionType
from quizapp.models import QuestionSet
from quizapp.services import teacher_sets as sets_service
from quizapp.services.hints import set_switches
from quizapp.services.question_sets import (
    ARTICLE_BANK,
    InvalidQuestionSet,
    builtin_sets,
    current_questions,
    get_set,
    set_article,
    set_summaries,
    set_topics,
)
from quizapp.services.set_results import flags_by_question
from quizapp.web.forms import DIFFICULTY_CHOICES
from quizapp.web.public_url import public_url_for
from quizapp.web.qr_codes import qr_svg
from quizapp.web.quiz_form import topic_label, type_choices
from quizapp.web.set_forms import BankCopyForm, BankFilterForm, ConfirmForm, QuestionSetForm

bp = Blueprint("sets", __name__, url_prefix="/teacher")
Page = str | tuple[str, int] | WerkzeugResponse


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here is a teacher's own."""


def _own(set_id: int) -> QuestionSet:
    return sets_service.owned_set(current_user, set_id)


@bp.get("/")
def dashboard() -> str:
    """The teacher's sets (questions per type, last change) and the built-in bank."""
    return render_template(
        "sets/dashboard.html",
        mine=set_summaries(sets_service.teacher_sets(current_user)),
        builtin=set_summaries(builtin_sets()),
        form=ConfirmForm(),
    )


@bp.route("/sets/new", methods=["GET", "POST"])
def create() -> Page:
    """A new set: title, description, optional source text."""
    form = QuestionSetForm()
    if form.validate_on_submit():
        question_set = sets_service.create_set(
            current_user,
            form.title.data,
            form.description.data or "",
            form.source_text.data or "",
            hints=form.hints.data,
            certainty_marking=form.certainty_marking.data,
        )
        flash("Your set is created. Add its first question below.", "success")
        return redirect(url_for("sets.show", set_id=question_set.id))
    return render_template("sets/form.html", form=form, question_set=None), 400 if form.errors else 200


@bp.get("/sets/<int:set_id>")
def show(set_id: int) -> str:
    """The set: its questions in order with edit, preview, move and delete; sharing; export."""
    question_set = _own(set_id)
    return render_template(
        "sets/show.html",
        question_set=question_set,
        rows=current_questions(question_set),
        types=[t for t in QuestionType],
        form=ConfirmForm(),
        problems=sets_service.ungrounded_questions(question_set),
        flags=flags_by_question(question_set),
        share_link=_share_link(question_set),
    )


def _share_link(question_set: QuestionSet) -> tuple[str, Markup] | None:
    """The set's share link and its QR code, or None when it is not shared."""
    if question_set.share_token is None:
        return None
    link = public_url_for("share.start", token=question_set.share_token)
    return link, qr_svg(link, "QR code of the share link")


@bp.route("/sets/<int:set_id>/edit", methods=["GET", "POST"])
def edit(set_id: int) -> Page:
    """Change the set's title, description, source text, and its switches: hints, certainty-based marking."""
    question_set = _own(set_id)
    form = QuestionSetForm(obj=question_set)
    if form.validate_on_submit():
        problems = sets_service.update_set(
            question_set, form.title.data, form.description.data or "", form.source_text.data or ""
        )
        set_switches(question_set, hints=form.hints.data, certainty_marking=form.certainty_marking.data)
        flash("The set is saved.", "success")
        for problem in problems:
            flash(
                f"Question '{problem.question_id}': its quoted source is not in the new text. Edit it.",
                "info",
            )
        return redirect(url_for("sets.show", set_id=set_id))
    return render_template(
        "sets/form.html", form=form, question_set=question_set
    ), 400 if form.errors else 200


@bp.post("/sets/<int:set_id>/duplicate")
def duplicate(set_id: int) -> WerkzeugResponse:
    """A copy of the set, to adapt without touching the original."""
    question_set = _own(set_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    copy = sets_service.duplicate_set(current_user, question_set)
    flash(f"“{copy.title}” is a copy you can change freely.", "success")
    return redirect(url_for("sets.show", set_id=copy.id))


@bp.post("/sets/<int:set_id>/share")
def share(set_id: int) -> WerkzeugResponse:
    """Turn the share link on (or make a new one), off with `action=stop`, or ask students for their name
    (`action=name`, with `asks_name` ticked or not)."""
    question_set = _own(set_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if request.form.get("action") == "name":
        asks = request.form.get("asks_name") == "y"
        sets_service.ask_names(question_set, asks)
        flash(
            "Students are asked for their name." if asks else "Students are not asked for a name.", "success"
        )
    elif request.form.get("action") == "stop":
        sets_service.unshare(question_set)
        flash("The share link is turned off: the old address no longer works.", "success")
    else:
        sets_service.share(question_set)
        flash("Share link ready. Anyone with it can practise this set, without an account.", "success")
    return redirect(url_for("sets.show", set_id=set_id, _anchor="sharing"))


@bp.route("/sets/<int:set_id>/copy", methods=["GET", "POST"])
def copy_from_bank(set_id: int) -> Page:
    """Pick questions of the article's bank (filtered by topic, type, difficulty) to copy into the set."""
    question_set = _own(set_id)
    bank = get_set(ARTICLE_BANK)
    filters = BankFilterForm(request.args)
    filters.topics.choices = [SelectChoice(t, topic_label(t)) for t in set_topics(bank)]
    filters.types.choices = type_choices(bank)
    filters.difficulties.choices = DIFFICULTY_CHOICES
    listed = sets_service.bank_questions(
        bank, filters.topics.data or (), filters.types.data or (), filters.difficulties.data or ()
    )
    form = BankCopyForm()
    form.question_ids.choices = [SelectChoice(q.id, q.prompt) for q in listed]
    if form.validate_on_submit() and form.question_ids.data:
        try:
            copied = sets_service.copy_questions(bank, question_set, form.question_ids.data)
        except InvalidQuestionSet as exc:
            form.question_ids.errors = [str(p) for p in exc.problems]
        else:
            flash(f"{len(copied)} question{'s' if len(copied) != 1 else ''} copied.", "success")
            return redirect(url_for("sets.show", set_id=set_id))
    elif request.method == "POST":
        form.question_ids.errors = [*form.question_ids.errors, "Tick at least one question to copy."]
    status = 400 if request.method == "POST" else 200
    return render_template(
        "sets/copy.html",
        question_set=question_set,
        filters=filters,
        form=form,
        listed=listed,
        article_title=bank.title,
    ), status


@bp.get("/sets/<int:set_id>/text")
def source_text(set_id: int) -> str:
    """The set's source text, sentence by sentence (each with an anchor)."""
    question_set = _own(set_id)
    return render_template("sets/text.html", question_set=question_set, article=set_article(question_set))
