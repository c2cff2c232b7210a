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
    """How many questions the real bank asks (92 when this was written, 104 with the cloze, evidence and
    categorise questions, 52 after issue 14's rework: one question per fact)."""
    return len(real_bank().questions)


def on_its_own_fact(qid: str, topic: str) -> Question:
    """A true/false question quoting a sentence of its own, so it clashes with no other."""
    return build_question("true_false", id=qid, topics=[topic], source=f"This is fact {qid}.")


def lopsided_bank() -> list[Question]:
    """50 questions on one topic and 2 on each of four others, no two on one fact."""
    bank = [on_its_own_fact(f"big-{n}", "big") for n in range(50)]
    for topic in ("moon", "rover", "samples", "people"):
        bank += [on_its_own_fact(f"{topic}-{n}", topic) for n in range(2)]
    return bank


def every_id() -> frozenset[str]:
    """The ids of the whole bank: chosen by name, every question is kept, clashes or not."""
    return frozenset(q.id for q in real_bank().questions)


# 18: about as many as one quiz can hold: one question per quoted sentence (25), fewer the text clashes (a
# mission's name that is another question's key; an evidence question shows 8-12 sentences)
@pytest.mark.parametrize("count", [1, 5, 10, 18])
def test_the_count_is_honoured(count: int) -> None:
    quiz = plan(QuizSpec(count=count))
    assert len(quiz.questions) == count
    assert quiz.shortfall == 0


@pytest.mark.parametrize("seed", range(5))
def test_no_question_is_asked_twice(seed: int) -> None:
    asked = min(bank_size(), MAX_COUNT)  # the bank (52 questions now) may hold more than a quiz can ask
    drawn = plan(QuizSpec(count=bank_size()), seed)
    named = plan(QuizSpec(count=bank_size(), question_ids=every_id()), seed)
    assert len(set(ids(drawn))) == len(drawn.questions) == asked - drawn.shortfall
    assert drawn.left_out == drawn.shortfall  # every question missing was left out as it clashes
    assert len(set(ids(named))) == len(named.questions) == asked
    assert named.shortfall == 0


@pytest.mark.parametrize("size", [MAX_COUNT - 8, MAX_COUNT + 10])
def test_the_count_is_capped(size: int) -> None:
    bank = [on_its_own_fact(f"fact-{n}", f"topic-{n % 5}") for n in range(size)]
    quiz = plan(QuizSpec(count=MAX_COUNT + 50), bank=bank)
    assert len(quiz.questions) == min(size, MAX_COUNT)
    assert quiz.shortfall == MAX_COUNT - len(quiz.questions)  # short of the capped count, not of 150
    assert quiz.left_out == 0


def test_the_count_is_capped_for_the_bank_named_whole() -> None:
    quiz = plan(QuizSpec(count=MAX_COUNT + 50, question_ids=every_id()))
    assert len(quiz.questions) == min(bank_size(), MAX_COUNT)
    assert quiz.shortfall == MAX_COUNT - len(quiz.questions)


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
    assert quiz.questions and set(ids(quiz)) <= expected
    assert len(quiz.questions) + quiz.shortfall == 50


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
    spec = QuizSpec(count=bank_size(), question_ids=every_id())
    orders = {
        tuple(p.item_order for p in sorted(plan(spec, s).questions, key=lambda p: p.question.id))
        for s in range(3)
    }
    assert len(orders) == 3


def test_a_shortfall_is_reported_when_fewer_questions_match() -> None:
    matching = sum(q.type is QuestionType.MATCHING for q in real_bank().questions)
    assert 0 < matching < 20
    wanted = QuizSpec(count=20, types=frozenset({QuestionType.MATCHING}))
    quiz = plan(QuizSpec(count=20, types=wanted.types, question_ids=every_id()))
    assert len(quiz.questions) == matching
    assert quiz.shortfall == 20 - matching
    drawn = plan(wanted)
    assert 0 < len(drawn.questions) <= matching
    assert drawn.shortfall == 20 - len(drawn.questions)


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
    for planned in plan(QuizSpec(count=bank_size(), question_ids=every_id())).questions:
        question = planned.question
        assert sorted(planned.item_order) == list(range(len(question.items)))
        assert sorted(planned.option_order) == list(range(len(question.match_options)))
