"""Quiz generation: QuizSpec + bank -> QuizPlan, with seeded shuffles so a plan can be rebuilt."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from quizapp.domain import DomainError
from quizapp.domain.questions import Question, QuestionType

DEFAULT_COUNT = 10
MAX_COUNT = 100


@dataclass(frozen=True)
class QuizSpec:
    """What the learner asked for; empty filters mean 'any'."""

    count: int = DEFAULT_COUNT
    topics: frozenset[str] = frozenset()
    difficulties: frozenset[int] = frozenset()
    types: frozenset[QuestionType] = frozenset()
    question_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PlannedQuestion:
    """A question in its quiz position, with the order its items are shown in (indexes into `items`)."""

    question: Question
    item_order: tuple[int, ...] = ()
    option_order: tuple[int, ...] = ()


@dataclass(frozen=True)
class QuizPlan:
    """The questions of one attempt, in order; `shortfall` > 0 when fewer matched than were asked for."""

    questions: tuple[PlannedQuestion, ...]
    shortfall: int = 0
    topics: tuple[str, ...] = field(default=())


class NoMatchingQuestions(DomainError):
    """No question fits the filters."""


def matching_questions(bank: Sequence[Question], spec: QuizSpec) -> list[Question]:
    """The questions of `bank` that pass every filter of `spec`, in bank order."""
    return [
        q
        for q in bank
        if (q.scored or q.id in spec.question_ids)  # descriptions only when asked for by name
        and (not spec.topics or spec.topics.intersection(q.topics))
        and (not spec.difficulties or q.difficulty in spec.difficulties)
        and (not spec.types or q.type in spec.types)
        and (not spec.question_ids or q.id in spec.question_ids)
    ]


def _balanced_pick(
    candidates: list[Question], topics: list[str], count: int, rng: random.Random
) -> list[Question]:
    """Pick `count` questions taking turns over `topics`, so no topic crowds out the others."""
    pool = candidates[:]
    rng.shuffle(pool)
    rng.shuffle(topics)
    chosen: list[Question] = []
    while len(chosen) < count and pool:
        for topic in topics:
            pick = next((q for q in pool if topic in q.topics), None)
            if pick is not None:
                chosen.append(pick)
                pool.remove(pick)
            if len(chosen) == count:
                break
        else:
            if not any(set(q.topics) & set(topics) for q in pool):
                chosen += pool[: count - len(chosen)]
                break
    return chosen


def _shuffled(n: int, rng: random.Random, avoid_identity: bool = False) -> tuple[int, ...]:
    order = list(range(n))
    rng.shuffle(order)
    if avoid_identity and n > 1 and order == sorted(order):
        order = order[1:] + order[:1]  # an ordering question must not start out solved
    return tuple(order)


def plan_question(question: Question, rng: random.Random) -> PlannedQuestion:
    """Shuffle what a question shows: choices, items to order, or the options to match."""
    ordering = question.type is QuestionType.ORDERING
    return PlannedQuestion(
        question,
        item_order=_shuffled(len(question.items), rng, avoid_identity=ordering),
        option_order=_shuffled(len(question.match_options), rng),
    )


def generate_quiz(bank: Sequence[Question], spec: QuizSpec, rng: random.Random) -> QuizPlan:
    """Choose and order the questions of one quiz; no question twice; balanced over topics.

    Raises NoMatchingQuestions when nothing fits. When fewer fit than asked, all of them are used
    and `shortfall` says how many are missing.
    """
    candidates = matching_questions(bank, spec)
    if not candidates:
        raise NoMatchingQuestions(
            "No question matches these choices. Try more topics, types or difficulties."
        )
    topics = sorted(spec.topics or {t for q in candidates for t in q.topics})
    count = max(1, min(spec.count, MAX_COUNT))
    chosen = _balanced_pick(candidates, topics, count, rng)
    rng.shuffle(chosen)
    return QuizPlan(
        questions=tuple(plan_question(q, rng) for q in chosen),
        shortfall=count - len(chosen),
        topics=tuple(topics),
    )
