"""Quiz generation: QuizSpec + bank -> QuizPlan, with seeded shuffles so a plan can be rebuilt.

A drawn quiz never holds two questions that clash (quizapp.domain.overlap): one on the same fact as
another, or one showing another's answer."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from quizapp.domain import DomainError
from quizapp.domain.overlap import clash_map
from quizapp.domain.questions import Question, QuestionType

DEFAULT_COUNT = 10
MAX_COUNT = 100
RETRIES = 8  # further draws when clashes left a quiz short: cheap, and they often fill it


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
    """The questions of one attempt, in order; `shortfall` > 0 when fewer matched than were asked for, or
    when some were left out because they would give each other away."""

    questions: tuple[PlannedQuestion, ...]
    shortfall: int = 0
    left_out: int = 0  # of the shortfall: questions that match but would give away a chosen one's answer
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
    candidates: list[Question],
    topics: list[str],
    count: int,
    rng: random.Random,
    clashes: Mapping[str, frozenset[str]],
) -> list[Question]:
    """Pick `count` questions taking turns over `topics`, so no topic crowds out the others; a question
    that clashes with one already picked leaves the pool."""
    order = candidates[:]
    rng.shuffle(order)
    rng.shuffle(topics)
    pool = _Pool(order)
    chosen: list[Question] = []
    while len(chosen) < count and pool.free:
        for topic in topics:
            uncovered = set(topics).difference(t for q in chosen for t in q.topics)
            pick = pool.first_on(topic, uncovered, clashes)
            if pick is not None:
                chosen.append(pool.take(pick, clashes))
            if len(chosen) == count:
                break
        else:
            if not any(pool.left[t] for t in topics):
                while pool.free and len(chosen) < count:
                    chosen.append(pool.take(next(iter(pool.free.values())), clashes))
                break
    return chosen


class _Pool:
    """The questions still free to pick, in draw order, and how many are left on each topic."""

    def __init__(self, questions: list[Question]):
        self.free = {q.id: q for q in questions}
        self.left = Counter(t for q in questions for t in q.topics)

    def take(self, pick: Question, clashes: Mapping[str, frozenset[str]]) -> Question:
        """Take `pick` out of the pool, and every question it clashes with."""
        for qid in (pick.id, *clashes.get(pick.id, ())):
            gone = self.free.pop(qid, None)
            if gone is not None:
                self.left.subtract(gone.topics)
        return pick

    def first_on(
        self, topic: str, uncovered: set[str], clashes: Mapping[str, frozenset[str]]
    ) -> Question | None:
        """The first free question on `topic`, skipping any whose clashes would leave a topic not yet in
        the quiz (`uncovered`) without a question; when every one would, the first."""
        first = None
        for question in (q for q in self.free.values() if topic in q.topics):
            if first is None:
                first = question
            if not uncovered or self._spares(question, uncovered, clashes):
                return question
        return first

    def _spares(self, question: Question, uncovered: set[str], clashes: Mapping[str, frozenset[str]]) -> bool:
        lost = Counter(question.topics)
        for qid in clashes.get(question.id, ()):
            if qid in self.free:
                lost.update(self.free[qid].topics)
        return all(self.left[t] > lost[t] or t in question.topics for t in uncovered)


def _shuffled(n: int, rng: random.Random, avoid_identity: bool = False) -> tuple[int, ...]:
    order = list(range(n))
    rng.shuffle(order)
    if avoid_identity and n > 1 and order == sorted(order):
        order = order[1:] + order[:1]  # an ordering question must not start out solved
    return tuple(order)


def plan_question(question: Question, rng: random.Random) -> PlannedQuestion:
    """Shuffle what a question shows: choices, items to order, or the options to match."""
    return PlannedQuestion(
        question,
        item_order=_shuffled(len(question.items), rng, avoid_identity=question.kind.avoid_solved_start),
        option_order=_shuffled(len(question.match_options), rng),
    )


def generate_quiz(bank: Sequence[Question], spec: QuizSpec, rng: random.Random) -> QuizPlan:
    """Choose and order the questions of one quiz; no question twice; balanced over topics; no two
    questions that clash (same fact, or one showing the other's answer: quizapp.domain.overlap).

    Questions chosen by name (`spec.question_ids`: a teacher's pick for a class, a sentence's questions,
    the mistakes to practise) are all kept, clashes or not: whoever named them is in charge. Raises
    NoMatchingQuestions when nothing fits. When fewer fit than asked, or clashes leave fewer, all that can
    be used are, and `shortfall` says how many are missing.
    """
    candidates = matching_questions(bank, spec)
    if not candidates:
        raise NoMatchingQuestions(
            "No question matches these choices. Try more topics, types or difficulties."
        )
    topics = sorted(spec.topics or {t for q in candidates for t in q.topics})
    count = max(1, min(spec.count, MAX_COUNT))
    clashes = {} if spec.question_ids else clash_map(bank)
    chosen = _balanced_pick(candidates, topics, count, rng, clashes)
    for _ in range(RETRIES if clashes else 0):  # a greedy pick can paint itself into a corner: draw again
        if len(chosen) >= min(count, len(candidates)):
            break
        again = _balanced_pick(candidates, topics, count, rng, clashes)
        chosen = again if len(again) > len(chosen) else chosen
    rng.shuffle(chosen)
    return QuizPlan(
        questions=tuple(plan_question(q, rng) for q in chosen),
        shortfall=count - len(chosen),
        left_out=min(count, len(candidates)) - len(chosen),
        topics=tuple(topics),
    )
