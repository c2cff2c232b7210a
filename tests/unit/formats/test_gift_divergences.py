"""Each row of the interop README's "Known divergences" table: Moodle 4.5's reading wins over the GIFT
grammars. Where Moodle accepts but changes what was written, the reader also leaves a located warning for
the teacher.
"""

from __future__ import annotations

from typing import Any

import pytest

from quizapp.domain.formats import ParseReport, read_gift


def summary(report: ParseReport) -> dict[str, Any]:
    """The facts the table speaks of: each question's type, text and answers, the categories, the codes."""
    return {
        "questions": [
            (q.moodle_type, q.text, [(a.text, a.fraction) for a in q.answers]) for q in report.questions
        ],
        "categories": report.categories,
        "errors": [error.code for error in report.errors],
        "warnings": [warning.code for warning in report.warnings],
    }


ROWS = [
    ("Q {TRUE#first#second}", [("truefalse", "Q", [("true", 1.0), ("false", 0.0)])], [], [], []),
    ("Q {t}", [("shortanswer", "Q", [("t", 1.0)])], [], [], ["lowercasetruefalse"]),
    ("::Q1:: 1+1=2 {T}", [("truefalse", "1+1=2", [("true", 1.0), ("false", 0.0)])], [], [], []),
    ("Q {=http://x.org ~b}", [("multichoice", "Q", [("http://x.org", 1.0), ("b", 0.0)])], [], [], []),
    (
        "Q {=%50%foo ~bar}",
        [("multichoice", "Q", [("%50%foo", 1.0), ("bar", 0.0)])],
        [],
        [],
        ["weightignored"],
    ),
    ("Q {~%33.3%a ~%33.3%b ~%33.4%c}", [], [], ["invalidgradequestion"], []),
    ("Q {~a}", [], [], ["importminerror"], []),
    ("Q {=a -> b}", [], [], ["importminerror"], []),
    ("$CATEGORY: a/b\nQ {T}", [], ["a/b\nQ {T}"], [], ["categorymerged"]),
    (
        "Q1 {T}\nQ2 {F}",
        [("truefalse", "Q1 \nQ2 {F}", [("true", 1.0), ("false", 0.0)])],
        [],
        [],
        ["severalanswerblocks"],
    ),
    (
        "Q1 {T}\n0\nQ2 {F}",
        [
            ("truefalse", "Q1", [("true", 1.0), ("false", 0.0)]),
            ("truefalse", "Q2", [("true", 0.0), ("false", 1.0)]),
        ],
        [],
        [],
        ["zeroline"],
    ),
    ("Q {#abc}", [("numerical", "Q", [("*", 1.0)])], [], [], ["notanumber"]),
    (
        "Two plus two equals {=four =4}.",
        [("shortanswer", "Two plus two equals _____.", [("four", 1.0), ("4", 1.0)])],
        [],
        [],
        [],
    ),
    (
        "<pre>\n    indented code\n</pre>\nTwo trailing spaces  \nend {}",
        [("essay", "<pre>\nindented code\n</pre>\nTwo trailing spaces\nend", [])],
        [],
        [],
        [],
    ),
    ("Line1\\nLine2 {}", [("essay", "Line1\nLine2", [])], [], [], []),
]


@pytest.mark.parametrize(
    ("text", "questions", "categories", "errors", "warnings"), ROWS, ids=[row[0] for row in ROWS]
)
def test_moodle_reading(text: str, questions: list, categories: list, errors: list, warnings: list) -> None:
    expected = {"questions": questions, "categories": categories, "errors": errors, "warnings": warnings}
    assert summary(read_gift(text)) == expected


def test_truefalse_feedback_order_is_moodles() -> None:
    """'first' is shown for a FALSE response, 'second' for TRUE (gift-pegjs 1.0.2 has it the other way)."""
    question = read_gift("Q {TRUE#first#second}").questions[0]
    assert question.truefalse_feedback == ("second", "first")
    assert [(a.text, a.feedback) for a in question.answers] == [("true", "second"), ("false", "first")]


def test_warnings_are_located_and_explained() -> None:
    report = read_gift("Fine {T}\n\nQ {=%50%foo ~bar}")
    [warning] = report.warnings
    assert (warning.line, warning.column, warning.question) == (3, 3, "Q")
    assert "~%50%foo" in warning.hint
