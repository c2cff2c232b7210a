"""Feedback that teaches (domain/feedback.py): each part of an answer marked; partial credit in a sentence."""

from __future__ import annotations

import pytest

from quizapp.domain.feedback import answer_marks, credit_note
from quizapp.domain.scoring import score_response
from tests.unit.factories import build_question


def test_multiple_choice_marks_follow_the_shown_order() -> None:
    """Flag and Probe are right; ticking Flag and Rocket, shown in the order Rover, Rocket, Probe, Flag."""
    question = build_question("multiple_choice")
    marks = answer_marks(question, ("Flag", "Rocket"), (3, 2, 1, 0))
    assert [(m.text, m.kind) for m in marks] == [
        ("Rover", "none"),
        ("Rocket", "wrong"),
        ("Probe", "missed"),
        ("Flag", "right"),
    ]


def test_true_false_marks_both_values_and_typed_answers_have_none() -> None:
    assert [m.kind for m in answer_marks(build_question("true_false"), False, ())] == ["missed", "wrong"]
    assert answer_marks(build_question("fill_blank"), "China Daily", ()) == ()
    assert answer_marks(build_question("single_choice"), None, (0, 1, 2)) == ()


@pytest.mark.parametrize(
    ("type_", "given", "sentence"),
    [
        ("multiple_choice", ("Flag", "Rocket"), "1 of 2 right choices ticked, 1 wrong: 0 of 1 point"),
        ("multiple_choice", ("Flag",), "1 of 2 right choices ticked, 0 wrong: 0.5 of 1 point"),
        (
            "ordering",
            ("Flag displayed", "Event shared", "Landing"),
            "1 of 2 items are followed by their right next one: 0.5 of 1 point",
        ),
        (
            "matching",
            (("Probe", "China Daily"), ("Outlet", "Chang’e-6"), ("Object", "Flag")),
            "1 of 3 matches right: 0.33 of 1 point",
        ),
    ],
)
def test_credit_note_explains_the_points_per_type(type_: str, given: tuple, sentence: str) -> None:
    question = build_question(type_)
    note = credit_note(question, given, score_response(question, given))
    assert note is not None and note.startswith(sentence)


def test_no_note_for_a_right_answer_a_skip_or_a_plain_wrong_one() -> None:
    question = build_question("single_choice")
    assert credit_note(question, "China Daily", 1.0) is None
    assert credit_note(question, None, None) is None
    assert credit_note(question, "CGTN", 0.0) is None


def test_a_weighted_choice_says_what_it_is_worth() -> None:
    question = build_question("single_choice", weights=[1, 0.5, 0])
    assert credit_note(question, "Global Times", 0.5) == "This answer is worth 0.5 of 1 point."
    assert answer_marks(question, "Global Times", (0, 1, 2))[1].kind == "partial"
