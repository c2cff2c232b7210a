"""Certainty-based marking: Moodle's table, partial credit, the best certainty, and the summary of a quiz."""

from __future__ import annotations

from fractions import Fraction

import pytest
from factories import real_bank

from quizapp.domain.certainty import (
    ADVICE,
    ASSUMED,
    CBM_TABLE,
    DEFAULT_CERTAINTY,
    CbmResponse,
    Certainty,
    best_certainty,
    cbm_bonus,
    cbm_fraction,
    cbm_points,
    cbm_summary,
    expected_mark,
    judgement,
)
from quizapp.domain.question_types import kind_of
from quizapp.domain.scoring import score_response

LOW, MID, HIGH = Certainty.LOW, Certainty.MID, Certainty.HIGH
BANK = real_bank()


def test_moodles_table() -> None:
    table = [(level.certainty, level.if_right, level.if_wrong) for level in CBM_TABLE]
    assert table == [(LOW, 1, 0), (MID, 2, -2), (HIGH, 3, -6)]
    assert DEFAULT_CERTAINTY is LOW and "C=1" in ASSUMED


@pytest.mark.parametrize(
    ("points", "max_points", "certainty", "mark"),
    [
        (1, 1, LOW, 1),
        (1, 1, MID, 2),
        (1, 1, HIGH, 3),
        (0, 1, LOW, 0),
        (0, 1, MID, -2),
        (0, 1, HIGH, -6),
        (2, 2, HIGH, 6),  # scaled by the question's points
        (0, 2, HIGH, -12),
        (0, 2, MID, -4),
        (0.5, 1, HIGH, 1.5),  # partly right: its share of the right mark, never the wrong one
        (0.5, 1, MID, 1),
        (0.5, 1, LOW, 0.5),
        (0.3333, 1, HIGH, 0.9999),
        (0.7, 1, HIGH, 2.1),  # exact: 3 x 0.7 in floats is 2.0999...
        (1, 2, MID, 2),
        (0.00000005, 1, HIGH, -6),  # at Moodle's tolerance: wrong
        (0.0001, 1, HIGH, 0.0003),  # above it: a (tiny) part right
    ],
)
def test_cbm_points(points: float, max_points: float, certainty: Certainty, mark: float) -> None:
    assert cbm_points(points, max_points, certainty) == mark


@pytest.mark.parametrize(("points", "max_points"), [(1.5, 1), (-1, 1), (0, 0)])
def test_impossible_points_are_refused(points: float, max_points: float) -> None:
    with pytest.raises(ValueError):
        cbm_points(points, max_points, HIGH)


def test_moodles_random_guess_adjustment() -> None:
    """Moodle's test_adjust_random_guess_score: at the default certainty, 0 stays 0 and 1 stays 1."""
    assert cbm_fraction(0, DEFAULT_CERTAINTY) == 0 and cbm_fraction(1, DEFAULT_CERTAINTY) == 1


@pytest.mark.parametrize("qid", [q.id for q in BANK.questions if q.scored and q.kind.auto_scored])
def test_every_bank_question_answered_right_earns_the_right_column(qid: str) -> None:
    question = next(q for q in BANK.questions if q.id == qid)
    points = score_response(question, kind_of(question).key_answer(question))
    assert [cbm_points(points, 1, c) for c in Certainty] == [1, 2, 3]


@pytest.mark.parametrize(
    ("probability", "best"),
    [
        (0, LOW),
        (0.5, LOW),
        (0.66, LOW),
        (2 / 3, LOW),
        (0.67, MID),
        (0.75, MID),
        (0.8, MID),
        (0.81, HIGH),
        (1, HIGH),
    ],
)
def test_the_best_certainty(probability: float, best: Certainty) -> None:
    assert best_certainty(probability) == best


@pytest.mark.parametrize("percent", range(0, 101))
def test_the_best_certainty_earns_most_on_average(percent: int) -> None:
    p = percent / 100
    marks = {c: expected_mark(p, c) for c in Certainty}
    assert marks[best_certainty(p)] == max(marks.values())


def test_the_windows_are_where_two_levels_earn_the_same() -> None:
    """Moodle's optimal windows (2/3 and 0.8) are the break-even points of its table."""
    assert expected_mark(Fraction(2, 3), LOW) == expected_mark(Fraction(2, 3), MID)
    assert expected_mark(0.8, MID) == expected_mark(0.8, HIGH)
    assert [(level.best_from, level.best_to) for level in CBM_TABLE] == [
        (0, Fraction(2, 3)),
        (Fraction(2, 3), Fraction(4, 5)),
        (Fraction(4, 5), 1),
    ]


def test_what_a_student_is_told_matches_the_table() -> None:
    assert [level.label for level in CBM_TABLE] == [
        "C=1: not sure (less than 67%)",
        "C=2: fairly sure (67% to 80%)",
        "C=3: very sure (more than 80%)",
    ]
    assert "1 in 3" in ADVICE and "80%" in ADVICE  # 1 - 2/3 and 4/5: the windows above
    assert best_certainty(Fraction(1, 3)) is LOW and best_certainty(Fraction(81, 100)) is HIGH


@pytest.mark.parametrize(("average", "accuracy", "bonus"), [(1, 0.5, 0.05), (2, 0.9, -0.01), (3, 1, 0)])
def test_moodles_bonus_cases(average: float, accuracy: float, bonus: float) -> None:
    """Moodle's test_calculate_bonus."""
    assert cbm_bonus(average, accuracy) == pytest.approx(bonus, abs=1e-12)


def test_moodles_summary_case() -> None:
    """Moodle's test_summarise_usage: true/false worth 3 each, right at C=3, right at C=2, wrong at C=2."""
    summary = cbm_summary([CbmResponse(3, 3, HIGH), CbmResponse(3, 3, MID), CbmResponse(3, 0, MID)])
    assert summary is not None
    high, mid, low = summary.by_certainty
    assert (high.certainty, high.responses, high.accuracy, high.judgement) == (HIGH, 1, 1.0, "judgementok")
    assert (mid.responses, mid.accuracy, mid.judgement) == (2, 0.5, "slightlyoverconfident")
    assert (low.responses, low.accuracy, low.judgement) == (0, None, "")
    # By hand: marks 9 + 6 - 6 = 9 of 9 points: average 1; accuracy 6/9; the best expectation at 2/3 is 2/3
    # (C=1 and C=2 tie), so the bonus is 0.1 x (1 - 2/3) = 1/30.
    whole = summary.whole_quiz
    assert (whole.questions, whole.average_cbm) == (3, 1.0)
    assert whole.accuracy == pytest.approx(2 / 3) and whole.bonus == pytest.approx(1 / 30)
    assert whole.accuracy_and_bonus == pytest.approx(0.7)
    assert summary.answered_only is None


def test_a_hand_computed_quiz_with_partial_unanswered_and_no_certainty() -> None:
    responses = [
        CbmResponse(1, 1, HIGH),  # 3
        CbmResponse(1, 0.5, MID),  # 1
        CbmResponse(2, 0, HIGH),  # -12
        CbmResponse(1, None, MID),  # not answered: 0, its point counts in the whole quiz
        CbmResponse(1, 1, None),  # no certainty: C=1, 1
        CbmResponse(0, None, None),  # worth nothing (a description): left out
    ]
    assert [r.cbm_mark for r in responses] == [3, 1, -12, 0, 1, 0]
    summary = cbm_summary(responses)
    assert summary is not None
    # Whole quiz: 6 points; right 2.5 -> accuracy 5/12; marks -7 -> average -7/6; best expectation at 5/12 is
    # C=1's 5/12, so the bonus is 0.1 x (-7/6 - 5/12) = -19/120.
    whole = summary.whole_quiz
    assert whole.questions == 5
    assert (whole.accuracy, whole.average_cbm) == pytest.approx((5 / 12, -7 / 6))
    assert whole.bonus == pytest.approx(-19 / 120)
    assert whole.accuracy_and_bonus == pytest.approx(5 / 12 - 19 / 120)
    # Answered only: 5 points; accuracy 0.5; average -1.4; best expectation 0.5 (C=1): bonus -0.19.
    answered = summary.answered_only
    assert answered is not None and answered.questions == 4
    assert (answered.accuracy, answered.average_cbm, answered.bonus) == pytest.approx((0.5, -1.4, -0.19))
    assert answered.accuracy_and_bonus == pytest.approx(0.31)
    # By certainty: C=3 right on 1 of 3 points (2 answers), C=2 half of 1, C=1 all of 1.
    rows = [(b.certainty, b.responses, b.accuracy, b.judgement) for b in summary.by_certainty]
    assert rows == [
        (HIGH, 2, pytest.approx(1 / 3), "slightlyoverconfident"),  # (1/3 - 0.8)^2 x 2 = 0.44: not significant
        (MID, 1, 0.5, "slightlyoverconfident"),
        (LOW, 1, 1.0, "slightlyunderconfident"),
    ]


@pytest.mark.parametrize(
    ("certainty", "accuracy", "responses", "word"),
    [
        (HIGH, 0.9, 10, "judgementok"),
        (HIGH, 0.8, 10, "judgementok"),  # the window's edge
        (HIGH, 0.5, 10, "overconfident"),  # (0.5 - 0.8)^2 x 10 = 0.9 > 0.5
        (HIGH, 0.5, 5, "slightlyoverconfident"),  # 0.45
        (LOW, 0.95, 10, "underconfident"),  # (0.95 - 2/3)^2 x 10 = 0.8
        (LOW, 0.95, 5, "slightlyunderconfident"),
        (MID, 0.7, 1, "judgementok"),
    ],
)
def test_judgement(certainty: Certainty, accuracy: float, responses: int, word: str) -> None:
    assert judgement(certainty, accuracy, responses) == word


def test_every_figure_is_there_even_when_nothing_was_answered() -> None:
    summary = cbm_summary([CbmResponse(1, None), CbmResponse(1, None)])
    assert summary is not None
    assert (summary.whole_quiz.accuracy, summary.whole_quiz.average_cbm, summary.answered_only) == (
        0,
        0,
        None,
    )
    assert cbm_summary([CbmResponse(0, None)]) is None  # nothing worth a point
