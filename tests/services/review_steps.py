"""A learner's quiz with chosen outcomes, finished through the services, for the review tests."""

from __future__ import annotations

from quizapp.domain.generation import QuizSpec
from quizapp.domain.questions import QuestionType
from quizapp.extensions import db
from quizapp.services.attempt_views import AttemptView, Mode, load_attempt
from quizapp.services.attempts import finish_attempt, save_answer, start_attempt
from quizapp.services.learners import LearnerRow
from quizapp.services.question_sets import ARTICLE_BANK, asked_questions, get_set
from tests.web.taking import How, fields_for


def bank_ids(question_type: QuestionType, count: int) -> list[str]:
    """The first `count` questions of a type in the article's bank, by id."""
    asked = asked_questions(get_set(ARTICLE_BANK).id)
    return [q.id for _, q in asked if q.type is question_type][:count]


def answer(view: AttemptView, position: int, how: How) -> None:
    """Answer question `position` right, wrong or partly right, as its page would send it."""
    fields = fields_for(view.slot(position), how)
    assert save_answer(view, position, {k: v if isinstance(v, list) else [v] for k, v in fields.items()})


def finished_quiz(learner: LearnerRow, outcomes: dict[str, How], mode: Mode = Mode.TEST) -> AttemptView:
    """A quiz on the questions named, each answered as given, then finished; returned as stored."""
    spec = QuizSpec(count=len(outcomes), question_ids=frozenset(outcomes))
    attempt, _ = start_attempt(learner, spec, mode, ARTICLE_BANK)
    view = load_attempt(attempt.public_id, learner)
    for slot in view.slots:
        answer(view, slot.position, outcomes[slot.question.id])
    assert finish_attempt(view.attempt)
    db.session.expire_all()
    return load_attempt(attempt.public_id, learner)
