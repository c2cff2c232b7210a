"""Imports apply the question editor's limits (quizapp/domain/authoring.py): a question too long to be saved
in the editor is an error located at its question and line, and nothing of the file is imported."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from quizapp.domain.authoring import LONG_TEXT, MAX_ROWS, SHORT_TEXT, editor_limit_problems
from quizapp.models import Teacher
from quizapp.services import exchange
from quizapp.services.accounts import create_teacher
from tests.services.conftest import row_counts

HUGE = "x" * 2_000_000
PROMPT_ERROR = "Question 3: the prompt is 2,000,000 characters; the editor allows 20,000."


def gift(third_prompt: str, third_choices: str = "=a ~b") -> bytes:
    """Three GIFT questions; the third (on line 5) with this prompt and these choices."""
    return (
        f"::Q1:: One? {{=a ~b}}\n\n::Q2:: Two? {{T}}\n\n::Q3:: {third_prompt} {{{third_choices}}}\n".encode()
    )


def aiken(third_prompt: str) -> bytes:
    """Three Aiken questions; the third starts on line 11."""
    one = "{}\nA. a\nB. b\nANSWER: A\n"
    return "\n".join(one.format(p) for p in ("One?", "Two?", third_prompt)).encode()


def moodle_xml(third_prompt: str, third_answers: int = 2) -> bytes:
    """Three Moodle XML questions; the third (on line 6) with this prompt and this many answers."""

    def question(name: str, prompt: str, answers: int) -> str:
        rows = "".join(
            f'<answer fraction="{100 if n == 0 else 0}"><text>choice {n}</text></answer>'
            for n in range(answers)
        )
        return (
            f'<question type="multichoice"><name><text>{name}</text></name>'
            f'<questiontext format="plain_text"><text>{prompt}</text></questiontext>'
            f"<single>true</single>{rows}</question>"
        )

    questions = [
        question("Q1", "One?", 2),
        question("Q2", "Two?", 2),
        question("Q3", third_prompt, third_answers),
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n\n' + "\n".join(questions) + "\n</quiz>\n"
    ).encode()


def json_file(third_prompt: str) -> bytes:
    """Three quizapp JSON questions; the third is on line 5."""
    questions = [
        {"id": f"q{n}", "type": "true_false", "prompt": prompt, "answer": True}
        for n, prompt in enumerate(("One?", "Two?", third_prompt), start=1)
    ]
    lines = ",\n".join(json.dumps(q) for q in questions)
    return f'{{"title": "T",\n"questions": [\n{lines}]}}\n'.encode()


@pytest.fixture
def ada(ctx: Flask) -> Teacher:
    return create_teacher("ada@school.org", "Ada", "correct horse battery")


@pytest.mark.parametrize(
    ("file_format", "data", "line"),
    [
        ("gift", gift(HUGE), 5),
        ("aiken", aiken(HUGE), 11),
        ("moodle-xml", moodle_xml(HUGE), 6),
        ("json", json_file(HUGE), 5),
    ],
)
def test_a_prompt_longer_than_the_editor_takes_is_a_located_error(
    ada: Teacher, file_format: str, data: bytes, line: int
) -> None:
    report = exchange.preview_import(data, file_format)
    assert not report.importable
    assert [(error.line, error.message) for error in report.errors] == [(line, PROMPT_ERROR)]
    assert len(report.questions) == 2
    before = row_counts()
    with pytest.raises(exchange.ImportFailed):
        exchange.import_file(ada, data, file_format, "Too long")
    assert row_counts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            gift("Three?", f"={'y' * (SHORT_TEXT + 1)} ~b"),
            "Question 3: choice 1 is 2,001 characters; the editor allows 2,000.",
        ),
        (
            moodle_xml("Three?", MAX_ROWS + 1),
            "Question 3: the question has 41 choices; the editor allows 40.",
        ),
    ],
)
def test_choices_longer_or_more_than_the_editor_takes_are_errors(
    ada: Teacher, data: bytes, message: str
) -> None:
    report = exchange.preview_import(data)
    assert [error.message for error in report.errors] == [message]
    assert not report.importable


def test_a_question_at_the_editors_limits_is_imported(ada: Teacher) -> None:
    data = gift("p" * LONG_TEXT, f"={'y' * SHORT_TEXT} ~b")
    report = exchange.preview_import(data)
    assert report.errors == [] and len(report.questions) == 3
    exchange.import_file(ada, data, None, "At the limits")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "t" * 2001, "the title is 2,001 characters; the editor allows 2,000"),
        ("explanation", "e" * 20001, "the explanation is 20,001 characters; the editor allows 20,000"),
        ("source", "s" * 2001, "the quoted source is 2,001 characters; the editor allows 2,000"),
        (
            "topics",
            ["a" * 1000, "b" * 1000],
            "the list of topics is 2,002 characters; the editor allows 2,000",
        ),
        ("feedback", ["", "f" * 2001], "feedback 2 is 2,001 characters; the editor allows 2,000"),
        ("answer", [["l", "r" * 2001]], "answer 1 is 2,001 characters; the editor allows 2,000"),
    ],
)
def test_the_limits_of_every_field_the_editor_shows(field: str, value: object, message: str) -> None:
    problems = editor_limit_problems({"id": "q", "prompt": "P", field: value})
    assert [problem.message for problem in problems] == [message]
