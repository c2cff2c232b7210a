"""Item analysis with Moodle's definitions, and the class's score distribution.

- Facility index: the mean fraction of the item's point earned, in % (high = easy).
- Standard deviation: the sample standard deviation of the fractions earned, in %.
- Discrimination index: (Xtop - Xbottom) / n, where the students are ranked by their total score, n is a third
  of them (rounded down), and Xtop / Xbottom are the item points earned by the top and bottom thirds. It runs
  from -1 to 1; a negative value (weaker students did better) suggests a wrong key or an ambiguous question.
A student who was asked an item but did not answer it earned 0 on it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.domain.answers import answer_in_words
from quizapp.domain.question_types import kind_of
from quizapp.domain.questions import Answer, Question

TOO_EASY = 90.0  # facility at or above: nearly everyone got it
TOO_HARD = 20.0  # facility at or below: nearly nobody got it
WEAK_DISCRIMINATION = 0.2


@dataclass(frozen=True)
class ItemScore:
    """What one student earned on one question (0..1), and their answer in words (None: not answered)."""

    student: str
    question_id: str
    points: float
    answer: str | None = None


@dataclass(frozen=True)
class ItemStats:
    """The analysis of one question over a class."""

    question_id: str
    students: int
    facility: float
    standard_deviation: float
    discrimination: float | None
    answers: tuple[tuple[str, int], ...]
    flags: tuple[str, ...]


def _sample_sd(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def student_totals(scores: Sequence[ItemScore]) -> dict[str, float]:
    """Each student's total points over the items given."""
    totals: dict[str, float] = {}
    for score in scores:
        totals[score.student] = totals.get(score.student, 0.0) + score.points
    return totals


def _thirds(totals: Mapping[str, float]) -> tuple[set[str], set[str], int]:
    """The top and bottom thirds of the class by total (ties broken by name, so results are stable)."""
    ranked = sorted(totals, key=lambda s: (-totals[s], s))
    size = len(ranked) // 3
    return set(ranked[:size]), set(ranked[len(ranked) - size :]), size


def _flags(facility: float, discrimination: float | None) -> tuple[str, ...]:
    flags = []
    if facility >= TOO_EASY:
        flags.append("too easy")
    if facility <= TOO_HARD:
        flags.append("too hard")
    if discrimination is not None and discrimination < 0:
        flags.append("discriminates negatively: check the key and the wording")
    elif discrimination is not None and discrimination < WEAK_DISCRIMINATION:
        flags.append("discriminates weakly")
    return tuple(flags)


def item_analysis(scores: Sequence[ItemScore], question_ids: Sequence[str]) -> list[ItemStats]:
    """The statistics of each question in `question_ids` (in that order) from every student's scores.

    The discrimination index needs at least three students (one per third); it is None below that.
    """
    top, bottom, third = _thirds(student_totals(scores))
    by_item: dict[str, list[ItemScore]] = {qid: [] for qid in question_ids}
    for score in scores:
        by_item.setdefault(score.question_id, []).append(score)
    stats = []
    for qid in question_ids:
        item = by_item[qid]
        fractions = [s.points for s in item]
        facility = 100 * sum(fractions) / len(fractions) if fractions else 0.0
        discrimination = None
        if third:
            x_top = sum(s.points for s in item if s.student in top)
            x_bottom = sum(s.points for s in item if s.student in bottom)
            discrimination = round((x_top - x_bottom) / third, 4)
        answers = Counter(s.answer if s.answer is not None else "No answer" for s in item)
        stats.append(
            ItemStats(
                question_id=qid,
                students=len(item),
                facility=round(facility, 2),
                standard_deviation=round(100 * _sample_sd(fractions), 2),
                discrimination=discrimination,
                answers=tuple(sorted(answers.items(), key=lambda kv: (-kv[1], kv[0]))),
                flags=_flags(facility, discrimination) if item else (),
            )
        )
    return stats


def score_distribution(percentages: Sequence[float], bins: int = 10) -> list[int]:
    """How many students scored in each band of 100/bins percent (the last band includes 100 %)."""
    counts = [0] * bins
    for value in percentages:
        counts[min(bins - 1, max(0, int(value * bins // 100)))] += 1
    return counts


def sentence_facility(
    questions_by_sentence: Mapping[str, Sequence[str]], stats: Sequence[ItemStats]
) -> dict[str, float | None]:
    """For each sentence anchor, the mean facility of the questions it grounds (None: none answered)."""
    facility = {s.question_id: s.facility for s in stats if s.students}
    result: dict[str, float | None] = {}
    for anchor, question_ids in questions_by_sentence.items():
        values = [facility[q] for q in question_ids if q in facility]
        result[anchor] = round(sum(values) / len(values), 2) if values else None
    return result


@dataclass(frozen=True)
class Bar:
    """One answer and how many gave it, for a distribution chart; `correct` marks the key's answers."""

    label: str
    count: int
    correct: bool
    percent: int


def answer_bars(
    question: Question, counted: Sequence[tuple[Answer, int, bool]], respondents: int, most: int = 6
) -> list[Bar]:
    """The distribution of answers to `question`: (answer, how many gave it, whether it was fully right).

    Choice and true/false questions get a bar for every choice, chosen or not (a multiple-choice answer
    counts towards each choice picked); other types get their `most` commonest answers, the rest as 'Other'.
    Percentages are of `respondents` (who answered at all).
    """

    def pct(count: int) -> int:
        return round(100 * count / respondents) if respondents else 0

    kind = kind_of(question)
    fixed = kind.bar_values(question)
    if fixed is not None:
        tally = Counter[Any]()
        for answer, count, _ in counted:
            for value in kind.picked_values(answer):
                tally[value] += count
        key = kind.key_values(question)
        return [Bar(label, tally[value], value in key, pct(tally[value])) for label, value in fixed]
    words = Counter[tuple[str, bool]]()
    for answer, count, right in counted:
        words[(answer_in_words(question, answer), right)] += count
    ranked = words.most_common()
    bars = [Bar(label, count, right, pct(count)) for (label, right), count in ranked[:most]]
    rest = sum(count for _, count in ranked[most:])
    if rest:
        bars.append(Bar("Other answers", rest, False, pct(rest)))
    return bars
