"""Scoring: one response per type, with the partial-credit rules of docs/question-format.md.

Every question is worth 1 point; a response earns a fraction in [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.domain.article import normalise
from quizapp.domain.questions import Answer, Question, QuestionType


def normalise_text_answer(text: str) -> str:
    """The form typed answers are compared in: case, outer spaces and curly/straight quotes ignored."""
    return normalise(text).casefold()


def score_response(question: Question, given: Answer) -> float:
    """Points (0..1) earned by `given`, which must have the shape of the question's type."""
    return round(_SCORERS[question.type](question, given), 4)


def is_correct(points: float) -> bool:
    """A response is correct when it earned the whole point."""
    return points >= 0.9999


def _exact(question: Question, given: Answer) -> float:
    return 1.0 if given == question.answer else 0.0


def _single(question: Question, given: Answer) -> float:
    """The weight of the choice picked (Moodle's grades: the key 1, others 0 unless the author said more)."""
    if not question.weights:
        return _exact(question, given)
    return max(0.0, question.weights[question.choices.index(given)])  # type: ignore[arg-type]


def _multiple(question: Question, given: Answer) -> float:
    """Each correct choice ticked earns 1/k, each wrong one ticked costs 1/k (k correct choices); floor 0.

    With author weights (as Moodle's), the weights of the ticked choices are added up, between 0 and 1.
    """
    ticked = set(given)  # type: ignore[arg-type]
    if question.weights:
        total = sum(w for c, w in zip(question.choices, question.weights, strict=True) if c in ticked)
        return min(1.0, max(0.0, total))
    correct = set(question.answer)  # type: ignore[arg-type]
    right, wrong = len(ticked & correct), len(ticked - correct)
    return max(0.0, (right - wrong) / len(correct))


def _fill_blank(question: Question, given: Answer) -> float:
    """The best weight among the accepted answers equal to the text (each weighs 1 unless the author said)."""
    typed = normalise_text_answer(str(given))
    weights = question.weights or (1.0,) * len(question.answer)  # type: ignore[arg-type]
    hits = [w for a, w in zip(question.answer, weights, strict=True) if normalise_text_answer(a) == typed]  # type: ignore[arg-type]
    return max([0.0, *hits])


def _numeric(question: Question, given: Answer) -> float:
    """1 within the tolerance of the answer; else the best matching alternative's weight (Moodle's way)."""
    value = float(given)  # type: ignore[arg-type]
    targets = [(float(question.answer), question.tolerance, 1.0), *question.alternatives]  # type: ignore[arg-type]
    return max([0.0] + [w for v, tol, w in targets if abs(value - v) <= tol + 1e-9])


def _ordering(question: Question, given: Answer) -> float:
    """Moodle's 'relative to the next item': each item followed by its right successor earns 1/(n-1)."""
    correct: Sequence[str] = question.answer  # type: ignore[assignment]
    successor = {a: b for a, b in zip(correct, correct[1:], strict=False)}
    pairs = list(zip(given, given[1:], strict=False))  # type: ignore[arg-type]
    hits = sum(1 for a, b in pairs if successor.get(a) == b)
    return hits / (len(correct) - 1)


def _matching(question: Question, given: Answer) -> float:
    """Each left item matched to its right partner earns 1/n."""
    correct = dict(question.answer)  # type: ignore[arg-type]
    hits = sum(1 for left, right in given if correct.get(left) == right)  # type: ignore[misc]
    return hits / len(correct)


_SCORERS = {
    QuestionType.SINGLE_CHOICE: _single,
    QuestionType.TRUE_FALSE: _exact,
    QuestionType.MULTIPLE_CHOICE: _multiple,
    QuestionType.FILL_BLANK: _fill_blank,
    QuestionType.NUMERIC: _numeric,
    QuestionType.ORDERING: _ordering,
    QuestionType.MATCHING: _matching,
    QuestionType.DESCRIPTION: lambda question, given: 0.0,
}
