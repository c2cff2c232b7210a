"""Reading answers from form fields: valid forms per type, skipped questions, tampering, typed numbers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from factories import ALL_TYPES, build_question

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.answers import (
    MAX_TEXT,
    InvalidAnswer,
    NoAnswer,
    answer_from_json,
    answer_in_words,
    answer_to_json,
    parse_answer,
    parse_number,
)
from quizapp.domain.questions import Answer, Question


def parse(qtype: str, form: dict[str, list[str]], **overrides: Any) -> Answer:
    """The answer `form` gives to a factory question of `qtype`, on a page whose tokens are the indexes
    themselves (the reading rules are the subject here; tests/unit/test_answer_tokens.py tests the tokens)."""
    question = build_question(qtype, **overrides)
    return parse_answer(question, form, index_tokens(question))


def index_tokens(question: Question) -> AnswerTokens:
    """Tokens that are the authored indexes, as text."""
    return AnswerTokens(
        items=tuple(str(i) for i in range(len(question.items))),
        options=tuple(str(j) for j in range(len(question.match_options))),
    )


def positions(*values: str) -> dict[str, list[str]]:
    """The ordering form giving item i the position values[i]."""
    return {f"position-{i}": [v] for i, v in enumerate(values)}


def matches(*values: str) -> dict[str, list[str]]:
    """The matching form choosing option values[i] for left item i."""
    return {f"match-{i}": [v] for i, v in enumerate(values)}


VALID = [
    ("single_choice", {"answer": ["0"]}, "China Daily"),
    ("single_choice", {"answer": ["2"]}, "CGTN"),
    ("multiple_choice", {"answer": ["1"]}, ("Probe",)),
    ("multiple_choice", {"answer": ["3", "0"]}, ("Flag", "Rover")),
    ("multiple_choice", {"answer": ["2", "2"]}, ("Rocket",)),
    ("true_false", {"answer": ["true"]}, True),
    ("true_false", {"answer": ["false"]}, False),
    ("fill_blank", {"answer": ["  China Daily "]}, "China Daily"),
    ("numeric", {"answer": ["3,5"]}, 3.5),
    ("numeric", {"answer": [" 200 "]}, 200.0),
    ("ordering", positions("1", "2", "3"), ("Landing", "Flag displayed", "Event shared")),
    ("ordering", positions("3", "1", "2"), ("Flag displayed", "Event shared", "Landing")),
    (
        "matching",
        matches("0", "1", "2"),
        (("Probe", "Chang’e-6"), ("Outlet", "China Daily"), ("Object", "Flag")),
    ),
    ("matching", matches("2", "2", "0"), (("Probe", "Flag"), ("Outlet", "Flag"), ("Object", "Chang’e-6"))),
]


@pytest.mark.parametrize(("qtype", "form", "expected"), VALID)
def test_valid_forms(qtype: str, form: dict[str, list[str]], expected: Answer) -> None:
    assert parse(qtype, form) == expected


@pytest.mark.parametrize(
    ("qtype", "form"),
    [
        ("single_choice", {}),
        ("single_choice", {"answer": []}),
        ("multiple_choice", {}),
        ("true_false", {}),
        ("fill_blank", {}),
        ("fill_blank", {"answer": [""]}),
        ("fill_blank", {"answer": ["   "]}),
        ("numeric", {"answer": [""]}),
        ("ordering", {}),
        ("ordering", positions("", "", "")),
        ("matching", {}),
        ("matching", matches("", "", "")),
    ],
)
def test_an_empty_form_is_no_answer(qtype: str, form: dict[str, list[str]]) -> None:
    with pytest.raises(NoAnswer):
        parse(qtype, form)


@pytest.mark.parametrize(
    ("qtype", "form", "fragment"),
    [
        ("single_choice", {"answer": ["3"]}, "not one of this question's options"),
        ("single_choice", {"answer": ["-1"]}, "not one of this question's options"),
        ("single_choice", {"answer": ["a"]}, "not one of this question's options"),
        ("single_choice", {"answer": ["0", "1"]}, "Choose one answer only"),
        ("multiple_choice", {"answer": ["0", "9"]}, "not one of this question's options"),
        ("multiple_choice", {"answer": ["1.0"]}, "not one of this question's options"),
        ("true_false", {"answer": ["maybe"]}, "Choose True or False"),
        ("true_false", {"answer": ["true", "false"]}, "Choose True or False"),
        ("fill_blank", {"answer": ["a", "b"]}, "Give one answer only"),
        ("fill_blank", {"answer": ["x" * (MAX_TEXT + 1)]}, f"under {MAX_TEXT} characters"),
        ("numeric", {"answer": ["lots"]}, "is not a number"),
        ("ordering", positions("1", "1", "2"), "the same position"),
        ("ordering", positions("1", "2", "4"), "a position from 1 to 3"),
        ("ordering", positions("0", "1", "2"), "a position from 1 to 3"),
        ("ordering", positions("1", "2"), "a position from 1 to 3"),
        ("ordering", positions("one", "2", "3"), "a position from 1 to 3"),
        ("matching", matches("0", "1"), "Choose a match for every item"),
        ("matching", matches("0", "1", "3"), "not one of this question's options"),
        ("matching", matches("0", "x", "2"), "not one of this question's options"),
    ],
)
def test_a_tampered_form_is_an_invalid_answer(qtype: str, form: dict[str, list[str]], fragment: str) -> None:
    with pytest.raises(InvalidAnswer, match=fragment):
        parse(qtype, form)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("200", 200.0),
        ("3.5", 3.5),
        ("3,5", 3.5),
        ("1,000", 1000.0),
        ("1,000,000", 1_000_000.0),
        ("1,000.5", 1000.5),
        (" 42 ", 42.0),
        ("-2", -2.0),
        ("+7", 7.0),
        (".5", 0.5),
        ("1 000", 1000.0),
        ("1\u202f000", 1000.0),
    ],
)
def test_parse_number_reads_typed_numbers(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["abc", "1.2.3", "", "   ", "1,2,3", "12abc", "--2", "1e3", "nan", "inf"])
def test_parse_number_refuses_what_is_not_a_number(text: str) -> None:
    with pytest.raises(InvalidAnswer, match="is not a number"):
        parse_number(text)


# Answers other than the key, in the shapes a learner may give (a gap left blank, no evidence ticked).
OTHER_ANSWERS: dict[str, Answer] = {
    "single_choice": "CGTN",
    "multiple_choice": ("Flag", "Rover"),
    "true_false": False,
    "fill_blank": "china daily",
    "numeric": 3.5,
    "ordering": ("Event shared", "Landing", "Flag displayed"),
    "matching": (("Probe", "Flag"), ("Outlet", "China Daily"), ("Object", "Chang’e-6")),
    "essay": "Samples from the far side.\nA first for any country.",
    "categorise": (("Chang’e-4", "Orbiters"), ("Chang’e-6", "Landers"), ("Queqiao", "Landers")),
    "evidence": ("CGTN", ()),
    "cloze": (None, 2023.0, "CGTN"),
}


def stored_answers() -> list[Any]:
    """For every scored type (the factory's, so a new type is never left out): the key as a learner gives
    it, and the other answer above when there is one."""
    cases = []
    for qtype in ALL_TYPES:
        question = build_question(qtype)
        cases.append(pytest.param(qtype, question.kind.key_answer(question), id=f"{qtype}-key"))
        if qtype in OTHER_ANSWERS:
            cases.append(pytest.param(qtype, OTHER_ANSWERS[qtype], id=f"{qtype}-other"))
    return cases


@pytest.mark.parametrize(("qtype", "answer"), stored_answers())
def test_an_answer_survives_storage_as_json(qtype: str, answer: Answer) -> None:
    question = build_question(qtype)
    stored = json.loads(json.dumps(answer_to_json(answer)))
    assert answer_from_json(question, stored) == answer


@pytest.mark.parametrize(
    ("qtype", "answer", "words"),
    [
        ("true_false", True, "True"),
        ("numeric", 200.0, "200"),
        ("numeric", 3.5, "3.5"),
        ("ordering", ("Landing", "Event shared"), "Landing → Event shared"),
        ("matching", (("Probe", "Flag"),), "Probe → Flag"),
        ("multiple_choice", ("Flag", "Rover"), "Flag; Rover"),
        ("single_choice", None, "No answer"),
    ],
)
def test_answer_in_words(qtype: str, answer: Answer | None, words: str) -> None:
    assert answer_in_words(build_question(qtype), answer) == words
