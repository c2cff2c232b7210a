"""Feedback on one answer: the author's texts (Moodle shows the feedback of each answer a learner gave), each
choice, item or pair marked right or wrong, and one sentence explaining partial credit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quizapp.domain.points import points_text
from quizapp.domain.questions import Answer, Question, QuestionType
from quizapp.domain.scoring import is_correct, normalise_text_answer


def answer_feedback(question: Question, given: Answer | None) -> tuple[str, ...]:
    """The feedback texts written for `given`: the choice picked (each one ticked), True or False, or the
    accepted answer typed. () when the author wrote none for it."""
    if not question.feedback or given is None:
        return ()
    texts: list[str] = []
    if question.type is QuestionType.SINGLE_CHOICE and given in question.choices:
        texts = [question.feedback[question.choices.index(given)]]  # type: ignore[arg-type]
    elif question.type is QuestionType.MULTIPLE_CHOICE:
        ticked = set(given)  # type: ignore[arg-type]
        pairs = zip(question.choices, question.feedback, strict=True)
        texts = [text for choice, text in pairs if choice in ticked]
    elif question.type is QuestionType.TRUE_FALSE:
        texts = [question.feedback[0 if given else 1]]
    elif question.type is QuestionType.FILL_BLANK:
        typed = normalise_text_answer(str(given))
        texts = [
            text
            for accepted, text in zip(question.answer, question.feedback, strict=True)  # type: ignore[arg-type]
            if normalise_text_answer(accepted) == typed
        ][:1]
    return tuple(text for text in texts if text)


# ---- marks: each choice, item or pair of an answer, right or wrong, in the order the learner saw them


@dataclass(frozen=True)
class Mark:
    """One choice, item or pair of an answer: `kind` is right, wrong, partial, missed (a right choice left
    out) or none (not chosen, rightly); `note` says it in words, so the mark never relies on colour."""

    text: str
    kind: str
    note: str


_CHOICE_NOTES = {  # (picked, a right choice): the mark
    (True, True): ("right", "your choice, right"),
    (True, False): ("wrong", "your choice, wrong"),
    (False, True): ("missed", "missed: a right answer you did not choose"),
    (False, False): ("none", "not chosen"),
}


def answer_marks(question: Question, given: Answer | None, item_order: Sequence[int]) -> tuple[Mark, ...]:
    """Each choice, item or pair of `given` marked, in the slot's `item_order`; () for typed or no answers."""
    if given is None:
        return ()
    if question.type is QuestionType.TRUE_FALSE:
        return tuple(_choice(label, value == given, value == question.answer) for label, value in _TRUE_FALSE)
    marker = _MARKERS.get(question.type)
    return tuple(marker(question, given, i) for i in item_order) if marker else ()


_TRUE_FALSE = (("True", True), ("False", False))


def _choice(text: str, picked: bool, right: bool, weight: float | None = None) -> Mark:
    if picked and weight is not None and 0 < weight < 1:
        return Mark(text, "partial", f"your choice, worth {points_text(weight)} of 1 point")
    return Mark(text, *_CHOICE_NOTES[picked, right])


def _single(question: Question, given: Answer, i: int) -> Mark:
    choice = question.choices[i]
    weight = question.weights[i] if question.weights else None
    return _choice(choice, choice == given, choice == question.answer, weight)


def _multiple(question: Question, given: Answer, i: int) -> Mark:
    choice = question.choices[i]
    right = question.weights[i] > 0 if question.weights else choice in question.answer  # type: ignore[operator]
    return _choice(choice, choice in given, right)  # type: ignore[operator]


def _ordering(question: Question, given: Answer, i: int) -> Mark:
    item = question.items[i]
    place, key = list(given).index(item) + 1, list(question.answer).index(item) + 1  # type: ignore[arg-type]
    if place == key:
        return Mark(item, "right", f"your place {place}, right")
    return Mark(item, "wrong", f"your place {place}, wrong: its place is {key}")


def _matching(question: Question, given: Answer, i: int) -> Mark:
    left = question.items[i]
    chosen, key = dict(given).get(left, ""), dict(question.answer)[left]  # type: ignore[arg-type]
    if chosen == key:
        return Mark(left, "right", f"your match “{chosen}”, right")
    return Mark(left, "wrong", f"your match “{chosen}”, wrong: the match is “{key}”")


_MARKERS: dict[QuestionType, Callable[[Question, Answer, int], Mark]] = {
    QuestionType.SINGLE_CHOICE: _single,
    QuestionType.MULTIPLE_CHOICE: _multiple,
    QuestionType.ORDERING: _ordering,
    QuestionType.MATCHING: _matching,
}


# ---- partial credit in one sentence (the rules of domain/scoring.py)


def credit_note(question: Question, given: Answer | None, points: float | None) -> str | None:
    """One sentence saying how `points` came from `given` when it earned less than the whole point; None when
    there is nothing to explain (right, not answered, or a wrong answer of a type without partial credit)."""
    if given is None or points is None or is_correct(points):
        return None
    worth = f"{points_text(points)} of 1 point"
    if question.type is QuestionType.MULTIPLE_CHOICE and not question.weights:
        ticked, key = set(given), set(question.answer)  # type: ignore[arg-type]
        right, wrong = len(ticked & key), len(ticked - key)
        return (
            f"{right} of {len(key)} right choices ticked, {wrong} wrong: {worth} "
            "(each wrong tick takes back a right one; never below 0)."
        )
    if question.type is QuestionType.ORDERING:
        key = list(question.answer)  # type: ignore[arg-type]
        follows = dict(zip(key, key[1:], strict=False))
        hits = sum(1 for a, b in zip(given, given[1:], strict=False) if follows.get(a) == b)  # type: ignore[arg-type]
        return f"{hits} of {len(key) - 1} items are followed by their right next one: {worth} (a share each)."
    if question.type is QuestionType.MATCHING:
        pairs = dict(question.answer)  # type: ignore[arg-type]
        hits = sum(1 for left, right in given if pairs.get(left) == right)  # type: ignore[misc]
        return f"{hits} of {len(pairs)} matches right: {worth} (a share each)."
    return f"This answer is worth {worth}." if points > 0 else None
