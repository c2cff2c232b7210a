"""The attempt use cases: start (seeded, recorded), save one response per question, finish once, privacy."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from quizapp.domain.answers import InvalidAnswer
from quizapp.domain.generation import MAX_COUNT, QuizSpec, generate_quiz
from quizapp.domain.question_types import SCORED_TYPES
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.domain.questions import QuestionType
from quizapp.extensions import db
from quizapp.models import Attempt, Learner, Response
from quizapp.services import NotFound
from quizapp.services.attempt_views import AttemptView, Mode, load_attempt
from quizapp.services.attempts import AlreadyAnswered, AttemptClosed, finish_attempt, start_attempt
from quizapp.services.learners import ensure_learner
from quizapp.services.question_sets import ARTICLE_BANK, current_questions, get_set
from tests.services.attempt_steps import start
from tests.services.indexed_forms import save_indexed
from tests.unit.factories import real_bank


def choice_form(question: DomainQuestion, right: bool) -> dict[str, list[str]]:
    """The form choosing the right answer of a single-choice question, or the first wrong choice."""
    index = next(i for i, c in enumerate(question.choices) if (c == question.answer) == right)
    return {"answer": [str(index)]}


def choice_of(question: DomainQuestion, right: bool) -> str:
    """The choice `choice_form(question, right)` picks."""
    return question.choices[int(choice_form(question, right)["answer"][0])]


@pytest.fixture
def single(learner: Learner, single_choice_id: str) -> Callable[[Mode], AttemptView]:
    """A function starting the learner's attempt at one single-choice question, in a given mode."""
    return lambda mode: start(learner, mode, question_ids=frozenset({single_choice_id}))


def responses_of(view: AttemptView) -> list[Response]:
    """The stored responses of an attempt."""
    return list(db.session.scalars(db.select(Response).where(Response.attempt_id == view.attempt.id)))


def test_start_records_the_seed_settings_and_slots(learner: Learner) -> None:
    view = start(
        learner, seed=1234, count=5, topics=frozenset({"dates", "quotes"}), difficulties=frozenset({1, 2})
    )
    attempt = view.attempt
    assert (attempt.seed, attempt.mode, attempt.state) == (1234, "test", "in_progress")
    assert attempt.settings == {
        "count": 5,
        "topics": ["dates", "quotes"],
        "difficulties": [1, 2],
        "types": [],
        "question_ids": [],
    }
    assert (attempt.question_count, attempt.max_score, attempt.score) == (5, 5.0, None)
    assert [s.position for s in view.slots] == [1, 2, 3, 4, 5]


def test_the_slots_are_the_plan_the_seed_rebuilds(learner: Learner) -> None:
    spec = QuizSpec(count=12)
    view = start(learner, seed=99, count=12)
    bank = [version.to_domain() for _, version in current_questions(get_set(ARTICLE_BANK))]
    plan = generate_quiz(bank, spec, random.Random(99))
    assert [s.question.id for s in view.slots] == [p.question.id for p in plan.questions]
    assert [s.item_order for s in view.slots] == [p.item_order for p in plan.questions]
    assert [s.option_order for s in view.slots] == [p.option_order for p in plan.questions]


def test_slots_store_display_orders_for_their_questions(learner: Learner) -> None:
    types = frozenset({QuestionType.ORDERING, QuestionType.MATCHING, QuestionType.SINGLE_CHOICE})
    view = start(learner, count=15, types=types)
    for slot in view.slots:
        assert sorted(slot.item_order) == list(range(len(slot.question.items)))
        assert sorted(slot.option_order) == list(range(len(slot.question.match_options)))
        if slot.question.type is QuestionType.ORDERING:
            assert slot.item_order != tuple(range(len(slot.question.items)))


def test_start_reports_the_shortfall(learner: Learner, single_choice_id: str) -> None:
    spec = QuizSpec(count=3, question_ids=frozenset({single_choice_id}))
    attempt, plan = start_attempt(learner, spec, Mode.TEST, ARTICLE_BANK)
    shortfall = plan.shortfall
    assert (attempt.question_count, shortfall) == (1, 2)


def spread_over_types(most: int) -> frozenset[str]:
    """Up to `most` ids of the bank's questions, each type's first, then each type's second, ...: every type
    is named though the bank (104 questions) holds more than a quiz asks (MAX_COUNT)."""
    bank = real_bank().questions
    by_type = [[q.id for q in bank if q.type is t] for t in dict.fromkeys(q.type for q in bank)]
    turns = [ids[n] for n in range(max(map(len, by_type))) for ids in by_type if n < len(ids)]
    return frozenset(turns[:most])


def test_every_type_scores_full_marks_when_answered_right(learner: Learner, answer_right: Callable) -> None:
    named = spread_over_types(MAX_COUNT)  # by name: a draw leaves clashing ones out
    view = start(learner, count=MAX_COUNT, question_ids=named)
    assert {s.question.id for s in view.slots} == named
    assert {s.question.type for s in view.slots} == set(SCORED_TYPES)
    for slot in view.slots:
        assert save_indexed(view, slot.position, answer_right(slot.question))
    assert finish_attempt(view.attempt)
    stored = load_attempt(view.attempt.public_id, learner).attempt  # the view holds copies read before
    assert stored.score == stored.max_score == len(view.slots)


def test_test_mode_resaving_updates_the_same_response(single: Callable) -> None:
    view = single(Mode.TEST)
    question = view.slots[0].question
    assert save_indexed(view, 1, choice_form(question, right=False))
    (first,) = responses_of(view)
    assert first.points == 0.0
    assert save_indexed(view, 1, choice_form(question, right=True))
    db.session.expire_all()
    (second,) = responses_of(view)
    assert (second.id, second.points, second.given) == (first.id, 1.0, question.answer)


def test_loading_again_in_the_same_session_sees_the_answer_just_saved(single: Callable) -> None:
    view = single(Mode.TEST)  # kept alive: its objects stay in the session's identity map
    assert save_indexed(view, 1, choice_form(view.slots[0].question, right=True))
    learner = db.session.get(Learner, view.attempt.learner_id)
    again = load_attempt(view.attempt.public_id, learner)
    assert (again.slots[0].points, again.slots[0].given) == (1.0, view.slots[0].question.answer)


def test_practice_mode_refuses_a_second_answer(single: Callable) -> None:
    view = single(Mode.PRACTICE)
    question = view.slots[0].question
    assert save_indexed(view, 1, choice_form(question, right=False))
    with pytest.raises(AlreadyAnswered):
        save_indexed(view, 1, choice_form(question, right=True))
    db.session.expire_all()
    assert [(r.points, r.given) for r in responses_of(view)] == [(0.0, choice_of(question, right=False))]


@pytest.mark.parametrize("form", [{}, {"answer": []}])
def test_an_empty_answer_stores_nothing(single: Callable, form: dict[str, list[str]]) -> None:
    view = single(Mode.TEST)
    assert save_indexed(view, 1, form) is False
    assert responses_of(view) == []


@pytest.mark.parametrize("value", ["9", "", "x", "-1"])
def test_an_invalid_answer_stores_nothing(single: Callable, value: str) -> None:
    view = single(Mode.TEST)
    with pytest.raises(InvalidAnswer):
        save_indexed(view, 1, {"answer": [value]})
    assert responses_of(view) == []


@pytest.mark.parametrize("position", [0, 2, -1])
def test_a_position_outside_the_quiz_is_not_found(single: Callable, position: int) -> None:
    view = single(Mode.TEST)
    with pytest.raises(NotFound):
        save_indexed(view, position, choice_form(view.slots[0].question, right=True))


def test_finishing_records_the_score_once(learner: Learner) -> None:
    view = start(learner, count=3, types=frozenset({QuestionType.SINGLE_CHOICE}))
    save_indexed(view, 2, choice_form(view.slots[1].question, right=True))
    save_indexed(view, 3, choice_form(view.slots[2].question, right=False))
    assert finish_attempt(view.attempt) is True
    db.session.expire_all()
    attempt = db.session.get(Attempt, view.attempt.id)
    assert (attempt.state, attempt.score, attempt.max_score) == ("finished", 1.0, 3.0)
    assert attempt.finished_at is not None
    finished_at = attempt.finished_at
    assert finish_attempt(attempt) is False
    db.session.expire_all()
    assert (attempt.state, attempt.score, attempt.finished_at) == ("finished", 1.0, finished_at)


def test_saving_after_finishing_is_refused(single: Callable) -> None:
    view = single(Mode.TEST)
    question = view.slots[0].question
    save_indexed(view, 1, choice_form(question, right=False))
    finish_attempt(view.attempt)
    with pytest.raises(AttemptClosed):
        save_indexed(view, 1, choice_form(question, right=True))
    db.session.expire_all()
    assert [r.points for r in responses_of(view)] == [0.0]
    assert db.session.get(Attempt, view.attempt.id).score == 0.0


def test_another_learners_attempt_is_not_found(learner: Learner, single: Callable) -> None:
    view = single(Mode.TEST)
    other = ensure_learner(None)
    assert other.id != learner.id
    for someone in (other, None):
        with pytest.raises(NotFound):
            load_attempt(view.attempt.public_id, someone)
    with pytest.raises(NotFound):
        load_attempt("no-such-attempt", learner)
    assert load_attempt(view.attempt.public_id, learner).attempt.id == view.attempt.id
