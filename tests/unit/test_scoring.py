"""Scoring: exact types, partial credit for multiple choice, ordering and matching, tolerant typed answers."""

from __future__ import annotations

from typing import Any

import pytest
from factories import build_question

from quizapp.domain.questions import Answer
from quizapp.domain.scoring import is_correct, normalise_text_answer, score_response

CHOICES = ["A", "B", "C", "D", "E"]


def score(qtype: str, given: Answer, **overrides: Any) -> float:
    """The points `given` earns on a factory question of `qtype`."""
    return score_response(build_question(qtype, **overrides), given)


@pytest.mark.parametrize(("given", "points"), [("China Daily", 1.0), ("CGTN", 0.0), ("china daily", 0.0)])
def test_single_choice_is_exact(given: str, points: float) -> None:
    assert score("single_choice", given) == points


@pytest.mark.parametrize(
    ("answer", "given", "points"),
    [(True, True, 1.0), (True, False, 0.0), (False, False, 1.0), (False, True, 0.0)],
)
def test_true_false_is_exact(answer: bool, given: bool, points: float) -> None:
    assert score("true_false", given, answer=answer) == points


@pytest.mark.parametrize(
    ("answer", "given", "points"),
    [
        (["A", "B"], ("A", "B"), 1.0),
        (["A", "B"], ("B", "A"), 1.0),
        (["A", "B"], ("A",), 0.5),
        (["A", "B"], ("A", "C"), 0.0),
        (["A", "B"], ("A", "B", "C"), 0.5),
        (["A", "B"], ("A", "B", "C", "D"), 0.0),
        (["A", "B"], ("C",), 0.0),
        (["A", "B"], ("C", "D", "E"), 0.0),
        (["A", "B"], (), 0.0),
        (["A", "B", "C"], ("A",), 0.3333),
        (["A", "B", "C"], ("A", "B"), 0.6667),
        (["A", "B", "C"], ("A", "B", "D"), 0.3333),
        (["A"], ("A",), 1.0),
        (["A"], ("A", "B"), 0.0),
    ],
)
def test_multiple_choice_partial_credit(answer: list[str], given: tuple[str, ...], points: float) -> None:
    assert score("multiple_choice", given, choices=CHOICES, answer=answer) == points


ORDER = ["w", "x", "y", "z"]


@pytest.mark.parametrize(
    ("given", "points"),
    [
        (("w", "x", "y", "z"), 1.0),
        (("z", "y", "x", "w"), 0.0),
        (("w", "x", "z", "y"), 0.3333),
        (("x", "y", "z", "w"), 0.6667),
        (("z", "w", "x", "y"), 0.6667),
        (("y", "z", "w", "x"), 0.6667),
        (("x", "w", "z", "y"), 0.0),
    ],
)
def test_ordering_scores_correct_successors(given: tuple[str, ...], points: float) -> None:
    assert score("ordering", given, answer=ORDER) == points


PAIRS = [["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"]]


@pytest.mark.parametrize(
    ("given", "points"),
    [
        ((("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")), 1.0),
        ((("a", "2"), ("b", "1"), ("c", "3"), ("d", "4")), 0.5),
        ((("a", "2"), ("b", "3"), ("c", "1"), ("d", "4")), 0.25),
        ((("a", "2"), ("b", "1"), ("c", "4"), ("d", "3")), 0.0),
        ((("a", "1"), ("b", "1"), ("c", "1"), ("d", "1")), 0.25),
    ],
)
def test_matching_scores_right_pairs(given: tuple[tuple[str, str], ...], points: float) -> None:
    assert score("matching", given, answer=PAIRS) == points


@pytest.mark.parametrize(
    ("answer", "tolerance", "given", "points"),
    [
        (200, 0, 200.0, 1.0),
        (200, 0, 200.001, 0.0),
        (200, 0, 199.0, 0.0),
        (200, 5, 195.0, 1.0),
        (200, 5, 205.0, 1.0),
        (200, 5, 194.99, 0.0),
        (200, 5, 205.01, 0.0),
        (0.3, 0.1, 0.4, 1.0),
        (0.3, 0.1, 0.2, 1.0),
        (-2, 0, -2.0, 1.0),
        (3.5, 0, 3.5, 1.0),
    ],
)
def test_numeric_within_tolerance(answer: float, tolerance: float, given: float, points: float) -> None:
    assert score("numeric", given, answer=answer, tolerance=tolerance) == points


@pytest.mark.parametrize(
    ("accepted", "given", "points"),
    [
        (["Yutu-2", "Yutu 2"], "Yutu-2", 1.0),
        (["Yutu-2", "Yutu 2"], "yutu-2", 1.0),
        (["Yutu-2", "Yutu 2"], "YUTU 2", 1.0),
        (["Yutu-2", "Yutu 2"], "  Yutu-2  ", 1.0),
        (["Yutu-2", "Yutu 2"], "Yutu-3", 0.0),
        (["Yutu-2", "Yutu 2"], "Yutu2", 0.0),
        (["Yutu-2", "Yutu 2"], "Yutu-22", 0.0),
        (["Chang’e-4"], "chang'e-4", 1.0),
        (["Chang'e-4"], "Chang’e-4", 1.0),
        (["Chang’e-4"], "Change-4", 0.0),
        (["“Great undertakings”"], '"great undertakings"', 1.0),
        ([2019], "2019", 1.0),
    ],
)
def test_fill_blank_forgives_case_spaces_and_quotes_but_not_spelling(
    accepted: list[Any], given: str, points: float
) -> None:
    assert score("fill_blank", given, answer=accepted) == points


def test_normalised_text_answer() -> None:
    assert normalise_text_answer("  Chang’E  ") == "chang'e"


@pytest.mark.parametrize(("points", "correct"), [(1.0, True), (0.9999, True), (0.6667, False), (0.0, False)])
def test_is_correct_needs_the_whole_point(points: float, correct: bool) -> None:
    assert is_correct(points) is correct
