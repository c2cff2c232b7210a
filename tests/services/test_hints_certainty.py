"""Certainty-based marking on a set's quizzes (services/certainty.py): the certainty is stored with the answer
when the set asks for it, the marks follow Moodle's table (after any hints' share), bad values are refused
with nothing stored, and Moodle's figures come out as computed by hand."""

from __future__ import annotations

import pytest
from flask import Flask

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.answers import InvalidAnswer
from quizapp.domain.questions import Question
from quizapp.extensions import db
from quizapp.models import Learner, Response
from quizapp.services.attempt_views import AttemptView, Mode, load_attempt
from quizapp.services.certainty import ASSUMED, cbm_report
from quizapp.services.hints import set_switches, take_hint
from quizapp.services.question_sets import ARTICLE_BANK, get_set
from tests.services.attempt_steps import start
from tests.services.conftest import right_form
from tests.services.indexed_forms import save_indexed
from tests.services.test_hints_service import bank_question
from tests.web.taking import answer_fields, intended_answer


def wrong_form(question: Question) -> dict[str, list[str]]:
    """The fields of a wrong answer (0 points), in authored indexes."""
    indexes = AnswerTokens(
        items=tuple(str(i) for i in range(len(question.items))),
        options=tuple(str(j) for j in range(len(question.match_options))),
    )
    fields = answer_fields(question, intended_answer(question, "wrong"), indexes)
    return {name: value if isinstance(value, list) else [value] for name, value in fields.items()}


def quiz(learner: Learner, questions: list[Question], mode: Mode = Mode.PRACTICE) -> AttemptView:
    """A quiz of these questions."""
    return start(learner, mode, count=len(questions), question_ids=frozenset(q.id for q in questions))


def reload(view: AttemptView, learner: Learner) -> AttemptView:
    """The attempt as stored now."""
    db.session.expire_all()
    return load_attempt(view.attempt.public_id, learner)


def stored(view: AttemptView) -> list[tuple[float | None, int | None]]:
    """The points and certainty stored for each answer, in the quiz's order."""
    rows = db.session.execute(
        db.select(Response.points, Response.certainty)
        .where(Response.attempt_id == view.attempt.id)
        .order_by(Response.slot_id)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def with_cbm() -> None:
    """Turn certainty-based marking on for the built-in bank."""
    set_switches(get_set(ARTICLE_BANK), certainty_marking=True)


def test_without_the_switch_nothing_is_asked_or_stored(ctx: Flask, learner: Learner) -> None:
    question = bank_question()
    view = quiz(learner, [question])
    assert cbm_report(view) is None
    assert save_indexed(view, 1, right_form(question) | {"certainty": ["3"]})
    assert stored(view) == [(1.0, None)]


def test_marks_follow_the_table_and_the_figures_are_moodles(ctx: Flask, learner: Learner) -> None:
    with_cbm()
    first, second = bank_question(steps=3), bank_question(steps=2)
    view = quiz(learner, [first, second])
    by_position = {slot.position: slot.question for slot in view.slots}  # the draw decides the order
    assert {q.id for q in by_position.values()} == {first.id, second.id}
    assert save_indexed(view, 1, right_form(by_position[1]) | {"certainty": ["3"]})
    assert save_indexed(view, 2, wrong_form(by_position[2]) | {"certainty": ["2"]})
    view = reload(view, learner)
    assert sorted(stored(view)) == [(0.0, 2), (1.0, 3)]  # points as always, the certainty beside them
    report = cbm_report(view)
    assert report is not None
    assert [(line.certainty, line.mark, line.assumed) for line in report.lines.values()] == [
        (3, 3.0, False),
        (2, -2.0, False),
    ]
    summary = report.summary
    assert summary is not None and summary.answered_only is None
    # (3 - 2) / 2 questions = 0.5; half right; the best one certainty can expect at 50% is 0.5 (C=1): no bonus
    assert (summary.whole_quiz.average_cbm, summary.whole_quiz.accuracy) == (0.5, 0.5)
    assert summary.whole_quiz.bonus == pytest.approx(0.0)
    levels = {row.certainty: (row.responses, row.accuracy, row.judgement) for row in summary.by_certainty}
    # C=2 is best from 2/3: 0% right is (2/3)^2 x 1 answer = 0.44 from it, not yet significant (> 0.5)
    assert levels[3] == (1, 1.0, "judgementok") and levels[2] == (1, 0.0, "slightlyoverconfident")
    assert levels[1] == (0, None, "")


def test_no_certainty_is_c1_and_says_so(ctx: Flask, learner: Learner) -> None:
    with_cbm()
    question = bank_question()
    view = quiz(learner, [question, bank_question(steps=2)])
    assert save_indexed(view, 1, right_form(view.slot(1).question))
    report = cbm_report(reload(view, learner))
    assert report is not None
    (line,) = report.lines.values()
    assert (line.certainty, line.assumed, line.mark, line.note) == (1, True, 1.0, ASSUMED)
    assert report.summary is not None and report.summary.answered_only is not None  # one left unanswered
    assert report.summary.whole_quiz.accuracy == 0.5 and report.summary.answered_only.accuracy == 1.0


@pytest.mark.parametrize("sent", [["4"], ["0"], ["high"], ["1", "3"]])
def test_a_bad_certainty_is_refused_and_nothing_stored(ctx: Flask, learner: Learner, sent: list[str]) -> None:
    with_cbm()
    question = bank_question()
    view = quiz(learner, [question])
    with pytest.raises(InvalidAnswer, match="Choose how sure you are"):
        save_indexed(view, 1, right_form(question) | {"certainty": sent})
    assert stored(view) == []


def test_hints_first_then_cbm_on_what_is_left(ctx: Flask, learner: Learner) -> None:
    with_cbm()
    question = bank_question()
    view = quiz(learner, [question])
    take_hint(view, 1, 1)
    assert save_indexed(reload(view, learner), 1, right_form(question) | {"certainty": ["3"]})
    report = cbm_report(reload(view, learner))
    assert stored(view) == [(0.75, 3)]
    assert report is not None and report.lines[1].mark == 2.25  # 0.75 of the right mark at C=3


def test_in_a_test_the_certainty_changes_with_the_answer(ctx: Flask, learner: Learner) -> None:
    with_cbm()
    question = bank_question()
    view = quiz(learner, [question], Mode.TEST)
    assert save_indexed(view, 1, right_form(question) | {"certainty": ["3"]})
    assert save_indexed(reload(view, learner), 1, wrong_form(question) | {"certainty": ["1"]})
    assert stored(view) == [(0.0, 1)]
    assert reload(view, learner).slot(1).certainty == 1
