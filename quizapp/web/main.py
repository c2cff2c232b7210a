"""Home page and the article: what the app is, start a quiz, read the text sentence by sentence."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.services.learner_history import open_attempts
from quizapp.services.question_sets import ARTICLE_BANK, get_set, grounded_text
from quizapp.web.forms import QuestionSelectionForm
from quizapp.web.learner import current_learner
from quizapp.web.quiz_form import quiz_start_form

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> str:
    """The front page: what quizapp is, the article, and the form to start a quiz."""
    question_set = get_set(ARTICLE_BANK)
    return render_template(
        "main/home.html",
        question_set=question_set,
        form=quiz_start_form(question_set),
        unfinished=open_attempts(current_learner()),
    )


@bp.get("/article")
def article() -> str:
    """The article, every sentence addressable (#p3s1) and linked to the questions it grounds."""
    question_set = get_set(ARTICLE_BANK)
    return render_template(
        "main/article.html",
        question_set=question_set,
        paragraphs=grounded_text(question_set),
        form=quiz_start_form(question_set),
    )


@bp.get("/favicon.ico")
def favicon() -> WerkzeugResponse:
    """Browsers and feed readers that ask for /favicon.ico get the site's icon."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/article/<anchor>")
def sentence(anchor: str) -> str:
    """One sentence with the questions quoting it, and a button to practise them."""
    question_set = get_set(ARTICLE_BANK)
    found = [s for paragraph in grounded_text(question_set) for s in paragraph if s.anchor == anchor]
    if not found:
        abort(404)
    form = QuestionSelectionForm(question_ids=",".join(q.id for q in found[0].questions), mode="practice")
    return render_template("main/sentence.html", question_set=question_set, sentence=found[0], form=form)
