"""Quiz generation: counts, filters, topic balance, seeded shuffles and shortfalls."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import pytest
from factories import build_question, real_bank

from quizapp.domain.generation import (
    MAX_COUNT,
    NoMatchingQuestions,
    QuizPlan,
    QuizSpec,
    generate_quiz,
    plan_question,
)
from quizapp.domain.questions import Question, QuestionType


def plan(spec: QuizSpec, seed: int = 1, bank: Sequence[Question] | None = None) -> QuizPlan:
    """The quiz generated from `bank` (the real bank by default) with a seeded generator."""
    return generate_quiz(real_bank().questions if bank is None else bank, spec, random.Random(seed))


def ids(quiz: QuizPlan) -> list[str]:
    """The question ids of a plan, in quiz order."""
    return [p.question.id for p in quiz.questions]


def bank_size() -> int:
    """How many questions the real bank holds (92 when this was written)."""
    return len(real_bank().questions)


def lopsided_bank() -> list[Question]:
    """50 questions on one topic and 2 on each of four others."""
    bank = [build_question("true_false", id=f"big-{n}", topics=["big"]) for n in range(50)]
    for topic in ("moon", "rover", "samples", "people"):
        bank += [build_question("true_false", id=f"{topic}-{n}", topics=[topic]) for n in range(2)]
    return bank


@pytest.mark.parametrize("count", [1, 5, 10, 50])
def test_the_count_is_honoured(count: int) -> None:
    quiz = plan(QuizSpec(count=count))
    assert len(quiz.questions) == count
    assert quiz.shortfall == 0


@pytest.mark.parametrize("seed", range(5))
def test_no_question_is_asked_twice(seed: int) -> None:
    quiz = plan(QuizSpec(count=bank_size()), seed)
    assert len(set(ids(quiz))) == len(quiz.questions) == bank_size()
    assert quiz.shortfall == 0


def test_the_count_is_capped() -> None:
    quiz = plan(QuizSpec(count=MAX_COUNT + 50))
    assert len(quiz.questions) == bank_size()
    assert quiz.shortfall == MAX_COUNT - bank_size()


@pytest.mark.parametrize(
    ("spec", "keeps"),
    [
        (QuizSpec(count=50, topics=frozenset({"chang-e-3"})), lambda q: "chang-e-3" in q.topics),
        (
            QuizSpec(count=50, topics=frozenset({"dates", "quotes"})),
            lambda q: {"dates", "quotes"} & set(q.topics),
        ),
        (QuizSpec(count=50, difficulties=frozenset({3})), lambda q: q.difficulty == 3),
        (
            QuizSpec(count=50, types=frozenset({QuestionType.ORDERING})),
            lambda q: q.type is QuestionType.ORDERING,
        ),
        (
            QuizSpec(count=50, types=frozenset({QuestionType.NUMERIC}), difficulties=frozenset({1, 2})),
            lambda q: q.type is QuestionType.NUMERIC and q.difficulty in (1, 2),
        ),
    ],
)
def test_filters_keep_only_matching_questions(spec: QuizSpec, keeps: Callable[[Question], object]) -> None:
    expected = {q.id for q in real_bank().questions if keeps(q)}
    quiz = plan(spec)
    assert expected, "the filter should match some questions of the bank"
    assert set(ids(quiz)) == expected


def test_question_ids_choose_exactly_those_questions() -> None:
    wanted = {q.id for q in real_bank().questions[:3]}
    quiz = plan(QuizSpec(count=10, question_ids=frozenset(wanted)))
    assert set(ids(quiz)) == wanted
    assert quiz.shortfall == 7


@pytest.mark.parametrize("seed", range(20))
def test_every_topic_is_represented_when_no_topic_is_chosen(seed: int) -> None:
    quiz = plan(QuizSpec(count=10), seed, lopsided_bank())
    topics = {t for p in quiz.questions for t in p.question.topics}
    assert topics == {"big", "moon", "rover", "samples", "people"}
    assert sum("big" in p.question.topics for p in quiz.questions) == 2


def test_the_same_seed_gives_the_same_plan() -> None:
    spec = QuizSpec(count=20)
    first, second = plan(spec, 42), plan(spec, 42)
    assert first == second
    assert [p.item_order for p in first.questions] == [p.item_order for p in second.questions]
    assert [p.option_order for p in first.questions] == [p.option_order for p in second.questions]


def test_a_different_seed_gives_a_different_plan() -> None:
    spec = QuizSpec(count=20)
    assert ids(plan(spec, 1)) != ids(plan(spec, 2))


def test_a_different_seed_shuffles_items_differently() -> None:
    spec = QuizSpec(count=bank_size())
    orders = {
        tuple(p.item_order for p in sorted(plan(spec, s).questions, key=lambda p: p.question.id))
        for s in range(3)
    }
    assert len(orders) == 3


def test_a_shortfall_is_reported_when_fewer_questions_match() -> None:
    matching = sum(q.type is QuestionType.MATCHING for q in real_bank().questions)
    assert 0 < matching < 20
    quiz = plan(QuizSpec(count=20, types=frozenset({QuestionType.MATCHING})))
    assert len(quiz.questions) == matching
    assert quiz.shortfall == 20 - matching


@pytest.mark.parametrize(
    "spec",
    [
        QuizSpec(topics=frozenset({"mars"})),
        QuizSpec(question_ids=frozenset({"no-such-question"})),
        QuizSpec(types=frozenset({QuestionType.MATCHING}), difficulties=frozenset({1})),
    ],
)
def test_no_matching_question_is_an_error(spec: QuizSpec) -> None:
    with pytest.raises(NoMatchingQuestions):
        plan(spec)


@pytest.mark.parametrize("size", [3, 4, 5])
def test_an_ordering_question_never_starts_in_its_solved_order(size: int) -> None:
    question = build_question("ordering", answer=[f"step {n}" for n in range(size)])
    for seed in range(200):
        order = plan_question(question, random.Random(seed)).item_order
        assert sorted(order) == list(range(size))
        assert order != tuple(range(size))


def test_shown_orders_are_permutations_of_what_a_question_shows() -> None:
    for planned in plan(QuizSpec(count=bank_size())).questions:
        question = planned.question
        assert sorted(planned.item_order) == list(range(len(question.items)))
        assert sorted(planned.option_order) == list(range(len(question.match_options)))
