"""Aiken read as Moodle 4.5 reads it (its own test fixture's results), errors located by line; and written."""

from __future__ import annotations

import pytest

from quizapp.domain.formats import MoodleAnswer, MoodleQuestion, read_aiken, write_aiken

# Moodle's question/format/aiken/tests/fixtures/aiken_errors.txt, with the third good question its test reads.
MOODLE_ERRORS_FIXTURE = """A question with too few answers
A) Only answer
ANSWER: A

A) Question not started

ANSWER: Question not started

A good question
A) Correct
B) Incorrect
ANSWER: A

A question started but not finished
A) Correct-ish
B) Incorrect-ish

A second good question
A)Incorrect (No space)
B)Correct (No space)
ANSWER: B

A third good question with HTML chars such as > < &
A. Correct (< > &)
B. Incorrect (< > &)
ANSWER: A
"""


def test_moodles_own_fixture_gives_its_three_questions() -> None:
    report = read_aiken(MOODLE_ERRORS_FIXTURE)
    assert [(q.name, [(a.text, a.fraction) for a in q.answers]) for q in report.questions] == [
        ("A good question", [("Correct", 1.0), ("Incorrect", 0.0)]),
        ("A second good question", [("Incorrect (No space)", 0.0), ("Correct (No space)", 1.0)]),
        (
            "A third good question with HTML chars such as > < &",
            [("Correct (&lt; &gt; &amp;)", 1.0), ("Incorrect (&lt; &gt; &amp;)", 0.0)],
        ),
    ]


def test_moodles_own_fixture_errors_on_its_lines() -> None:
    report = read_aiken(MOODLE_ERRORS_FIXTURE)
    assert [(e.line, e.code) for e in report.errors] == [
        (3, "questionmissinganswers"),
        (5, "questionnotstarted"),
        (7, "questionnotstarted"),
        (18, "questionnotcomplete"),
    ]
    assert report.errors[0].question == "A question with too few answers"
    assert report.errors[3].question == "A question started but not finished"


def test_question_as_moodle_stores_it() -> None:
    [question] = read_aiken("Is 1 < 2 & 3 > 2?\nA) yes\nB) no\nANSWER: A").questions
    assert (question.moodle_type, question.single, question.text_format, question.line) == (
        "multichoice",
        True,
        "html",
        1,
    )
    assert question.text == "Is 1 &lt; 2 &amp; 3 &gt; 2?"


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_line_ends_and_errors_on_true_line_numbers(line_end: str) -> None:
    text = line_end.join(["Q1", "A) a", "B) b", "ANSWER: B", "", "A) stray"])
    report = read_aiken(text)
    assert [q.answers[1].fraction for q in report.questions] == [1.0]
    assert [(e.line, e.code) for e in report.errors] == [(6, "questionnotstarted")]


def test_lines_shorter_than_two_bytes_are_skipped() -> None:
    report = read_aiken("Q\n?\nWhich?\nA) a\n.\nB) b\nANSWER: A")
    assert [q.text for q in report.questions] == ["Which?"]
    assert report.errors == []  # 'Q', '?' and '.' are 1 byte: skipped, so no question was left open


def test_answer_letter_that_names_no_option_is_an_error() -> None:
    report = read_aiken("Q?\nA) a\nB) b\nANSWER: D")
    assert report.questions == []
    assert [(e.line, e.code) for e in report.errors] == [(4, "answernotanoption")]


def test_question_left_open_at_the_end_is_a_warning() -> None:
    report = read_aiken("Q1?\nA) a\nB) b\nANSWER: A\n\nQ2?\nA) a\nB) b\n")
    assert len(report.questions) == 1
    assert [(w.line, w.code) for w in report.warnings] == [(6, "questionnotcomplete")]


def html_question(text: str, options: list[tuple[str, float]]) -> MoodleQuestion:
    """A single-answer multiple-choice question in Aiken's terms (HTML text, default name)."""
    return MoodleQuestion(
        "multichoice",
        name=text,
        text=text,
        text_format="html",
        answers=[MoodleAnswer(option, fraction) for option, fraction in options],
    )


def test_round_trip() -> None:
    questions = [
        html_question("Is 1 &lt; 2?", [("yes &amp; sure", 1.0), ("no", 0.0)]),
        html_question("Second", [("a", 0.0), ("b", 0.0), ("c", 1.0)]),
    ]
    text, skipped = write_aiken(questions)
    assert skipped == []
    report = read_aiken(text)
    assert [(q.text, q.answers) for q in report.questions] == [(q.text, q.answers) for q in questions]
    assert report.errors == report.warnings == []


@pytest.mark.parametrize(
    "question",
    [
        MoodleQuestion("truefalse", name="tf", text="T?"),
        MoodleQuestion(
            "multichoice",
            name="multi",
            text="Q",
            single=False,
            answers=[MoodleAnswer("a", 0.5), MoodleAnswer("b", 0.5)],
        ),
        MoodleQuestion("multichoice", name="no right", text="Q", answers=[MoodleAnswer("a", 0.0)] * 2),
        MoodleQuestion("multichoice", name="one option", text="Q", answers=[MoodleAnswer("a", 1.0)]),
        MoodleQuestion("multichoice", name="27", text="Q", answers=[MoodleAnswer("a", 1.0)] * 27),
        MoodleQuestion(
            "multichoice",
            name="looks like an option",
            text="A) Lincoln",
            answers=[MoodleAnswer("a", 1.0), MoodleAnswer("b", 0.0)],
        ),
    ],
    ids=lambda question: question.name,
)
def test_what_aiken_cannot_hold_is_listed_not_written(question: MoodleQuestion) -> None:
    text, skipped = write_aiken([question])
    assert text == ""
    assert [(s.question, s.code) for s in skipped] == [(question.name, "notrepresentable")]


def test_partial_grades_are_written_as_wrong_and_reported() -> None:
    question = html_question("Q?", [("a", 1.0), ("b", 0.5)])
    text, notes = write_aiken([question])
    assert text == "Q?\nA) a\nB) b\nANSWER: A\n"
    assert [note.code for note in notes] == ["gradeslost"]


def test_html_becomes_one_plain_line() -> None:
    question = html_question("<p>Line one</p><p>Line &amp; two</p>", [("<b>a</b>", 1.0), ("b<br>c", 0.0)])
    assert write_aiken([question])[0] == "Line one Line & two\nA) a\nB) b c\nANSWER: A\n"
