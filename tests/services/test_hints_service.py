"""Hints from the text in practice quizzes (services/hints.py): the steps taken lower the points as
docs/hints.md's table says, the server applies the share when the answer is saved, a step after the answer
changes nothing, and hints apply only where they should (practice, the set's switch on, the learner's own)."""

from __future__ import annotations

import pytest
from flask import Flask

from quizapp.domain.hints import SHARE_LEFT, hint_ladder, points_with_hints
from quizapp.domain.questions import Question, QuestionType
from quizapp.extensions import db
from quizapp.models import AttemptQuestion, Learner, Response
from quizapp.services import NotFound
from quizapp.services.attempt_views import AttemptView, Mode, load_attempt
from quizapp.services.attempts import finish_attempt
from quizapp.services.hints import HintRefused, hint_panel, points_after_hints, set_switches, take_hint
from quizapp.services.learners import ensure_learner
from quizapp.services.question_sets import ARTICLE_BANK, current_questions, get_set, set_article
from tests.services.attempt_steps import start
from tests.services.conftest import right_form
from tests.services.indexed_forms import save_indexed
from tests.web.taking import answer_fields, expected_points, intended_answer


def bank_question(kind: QuestionType | None = None, steps: int = 3) -> Question:
    """A question of the built-in bank (of type `kind`) whose ladder has `steps` steps."""
    bank = get_set(ARTICLE_BANK)
    article = set_article(bank)
    for _, version in current_questions(bank):
        question = version.to_domain()
        if (kind is None or question.type is kind) and len(hint_ladder(question, article)) == steps:
            return question
    raise AssertionError(f"no {kind} question with {steps} steps in the bank")


def practice(learner: Learner, question: Question, mode: Mode = Mode.PRACTICE) -> AttemptView:
    """A quiz of this one question, started and read back as the learner sees it."""
    return start(learner, mode, count=1, question_ids=frozenset({question.id}))


def reload(view: AttemptView, learner: Learner) -> AttemptView:
    """The attempt as stored now."""
    db.session.expire_all()
    return load_attempt(view.attempt.public_id, learner)


def stored_points(view: AttemptView) -> float | None:
    """The points stored for the attempt's one answer."""
    return db.session.scalar(db.select(Response.points).where(Response.attempt_id == view.attempt.id))


@pytest.mark.parametrize("taken", [0, 1, 2, 3])
def test_each_step_taken_leaves_the_share_of_the_table(ctx: Flask, learner: Learner, taken: int) -> None:
    question = bank_question()
    ladder = hint_ladder(question, set_article(get_set(ARTICLE_BANK)))
    view = practice(learner, question)
    for number in range(1, taken + 1):
        assert take_hint(view, 1, number) == ladder[number - 1]
        view = reload(view, learner)
    assert view.slot(1).hints_taken == taken
    assert save_indexed(view, 1, right_form(question))
    expected = {0: 1.0, 1: 0.75, 2: 0.5, 3: 0.25}[taken]
    assert stored_points(view) == expected == SHARE_LEFT[taken]
    assert finish_attempt(view.attempt)
    assert reload(view, learner).attempt.score == expected


def test_a_partly_right_answer_earns_its_share_of_what_is_left(ctx: Flask, learner: Learner) -> None:
    question = bank_question(QuestionType.MULTIPLE_CHOICE)
    ladder = hint_ladder(question, set_article(get_set(ARTICLE_BANK)))
    view = practice(learner, question)
    take_hint(view, 1, 1)
    view = reload(view, learner)
    indexes = view.slot(1).tokens.__class__(
        items=tuple(str(i) for i in range(len(question.items))), options=()
    )
    fields = answer_fields(question, intended_answer(question, "partial"), indexes)
    assert save_indexed(view, 1, {k: v if isinstance(v, list) else [v] for k, v in fields.items()})
    partial = expected_points(question, "partial")
    assert 0 < partial < 1
    assert (
        stored_points(view)
        == points_with_hints(partial, 1.0, ladder[:1])
        == points_after_hints(partial, 0.75)
    )


def test_the_share_stored_counts_even_when_the_page_was_read_before_the_step(
    ctx: Flask, learner: Learner
) -> None:
    question = bank_question()
    view = practice(learner, question)
    take_hint(view, 1, 1)  # another tab takes a hint; this page's view still says none was taken
    assert view.slot(1).hint_share == 1.0
    assert save_indexed(view, 1, right_form(question))
    assert stored_points(view) == 0.75


def test_a_step_after_the_answer_changes_nothing(ctx: Flask, learner: Learner) -> None:
    question = bank_question()
    view = practice(learner, question)
    take_hint(view, 1, 1)
    view = reload(view, learner)
    assert save_indexed(view, 1, right_form(question))
    with pytest.raises(HintRefused, match="answered"):
        take_hint(view, 1, 2)  # the page read before the answer
    view = reload(view, learner)
    with pytest.raises(HintRefused, match="answered"):
        take_hint(view, 1, 2)
    slot = db.session.get(AttemptQuestion, view.slot(1).slot_id)
    assert (slot.hints_taken, slot.hint_share) == (1, 0.75)
    assert stored_points(view) == 0.75
    panel = hint_panel(view, view.slot(1))
    assert panel is not None and panel.offers == () and len(panel.taken) == 1 and panel.percent_left == 75


def test_steps_go_in_order_and_a_second_click_takes_nothing_more(ctx: Flask, learner: Learner) -> None:
    question = bank_question()
    view = practice(learner, question)
    with pytest.raises(HintRefused, match="in order"):
        take_hint(view, 1, 2)
    take_hint(view, 1, 1)
    take_hint(view, 1, 1)  # the same button twice (the view read before the first)
    view = reload(view, learner)
    assert (view.slot(1).hints_taken, view.slot(1).hint_share) == (1, 0.75)
    with pytest.raises(NotFound):
        take_hint(view, 1, 4)  # the ladder has three steps


def test_the_offers_show_names_and_prices_never_a_step_not_taken(ctx: Flask, learner: Learner) -> None:
    question = bank_question()
    ladder = hint_ladder(question, set_article(get_set(ARTICLE_BANK)))
    panel = hint_panel(practice(learner, question), practice(learner, question).slot(1))
    assert panel is not None and panel.taken == ()
    assert [(o.number, o.name, o.percent) for o in panel.offers] == [
        (1, "Where to look", 75),
        (2, "The sentence, answer hidden", 50),
        (3, "The sentence from the text", 25),
    ]
    assert "paragraph" not in panel.offers[0].text  # step 1's label names the paragraph: that is the hint
    shown = " ".join(o.text for o in panel.offers)
    assert all(step.text not in shown for step in ladder)


def test_no_hints_in_a_test_or_when_the_set_turns_them_off(ctx: Flask, learner: Learner) -> None:
    question = bank_question()
    test = practice(learner, question, Mode.TEST)
    assert hint_panel(test, test.slot(1)) is None
    with pytest.raises(NotFound):
        take_hint(test, 1, 1)
    view = practice(learner, question)
    set_switches(get_set(ARTICLE_BANK), hints=False)
    view = reload(view, learner)
    assert not view.attempt.question_set.hints
    assert hint_panel(view, view.slot(1)) is None
    with pytest.raises(NotFound):
        take_hint(view, 1, 1)
    assert db.session.get(AttemptQuestion, view.slot(1).slot_id).hints_taken == 0
    set_switches(get_set(ARTICLE_BANK), hints=True)
    assert hint_panel(reload(view, learner), view.slot(1)) is not None


def test_the_built_in_bank_has_hints_on(ctx: Flask) -> None:
    assert get_set(ARTICLE_BANK).hints is True


def test_another_learners_attempt_is_not_found(ctx: Flask, learner: Learner) -> None:
    view = practice(learner, bank_question())
    with pytest.raises(NotFound):
        load_attempt(view.attempt.public_id, ensure_learner(None))
