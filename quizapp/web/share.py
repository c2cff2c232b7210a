"""Share links: anyone with /s/<token> can practise a teacher's set, no account needed."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.domain.generation import NoMatchingQuestions
from quizapp.models import QuestionSet
from quizapp.services.attempt_views import Mode
from quizapp.services.question_sets import current_questions, set_article
from quizapp.services.teacher_sets import shared_set
from quizapp.web.attempts import start_and_open
from quizapp.web.forms import NamedQuizStartForm, QuizStartForm
from quizapp.web.quiz_form import quiz_start_form, spec_from_form

bp = Blueprint("share", __name__)


def _shared(token: str) -> QuestionSet:
    return shared_set(token)


def _owner_here(question_set: QuestionSet) -> bool:
    """The set's owner, signed in, trying their own link: their tries are not homework."""
    return bool(current_user.is_authenticated and current_user.id == question_set.owner_id)


@bp.route("/s/<token>", methods=["GET", "POST"])
def start(token: str) -> str | tuple[str, int] | WerkzeugResponse:
    """The shared set's page: what it is, and the form to start a practice or test quiz on it."""
    question_set = _shared(token)
    owner_here = _owner_here(question_set)
    form = quiz_start_form(question_set, NamedQuizStartForm if question_set.asks_name else QuizStartForm)
    size = len(current_questions(question_set))
    if request.method == "GET":  # the set's size when it is smaller than the usual quiz: no "10" for 7
        form.count.data = max(1, min(int(form.count.default), size))
    if form.validate_on_submit():
        try:
            name = form.student_name.data if isinstance(form, NamedQuizStartForm) else None
            spec, mode = spec_from_form(form), Mode(form.mode.data)
            return start_and_open(spec, mode, question_set.slug, name, owner_try=owner_here)
        except NoMatchingQuestions as exc:
            form.topics.errors = [*form.topics.errors, str(exc)]
    status = 400 if form.errors else 200
    page = render_template(
        "share/start.html",
        question_set=question_set,
        form=form,
        token=token,
        size=size,
        owner_here=owner_here,
    )
    return page, status


@bp.get("/s/<token>/text")
def text(token: str) -> str:
    """The shared set's source text, every sentence addressable (#p1s2) for the quotes in feedback."""
    question_set = _shared(token)
    return render_template("share/text.html", question_set=question_set, article=set_article(question_set))
