"""Writers and readers agree: read(write(questions)) == questions, per type and per format.

Each format is held to the fields it carries: GIFT drops shuffling and a description's general feedback, Aiken
keeps only single-answer multiple choice as HTML. Texts full of GIFT's reserved characters must survive too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from quizapp.domain.formats import (
    MoodleAnswer,
    MoodleQuestion,
    read_aiken,
    read_gift,
    read_moodle_xml,
    write_aiken,
    write_gift,
    write_moodle_xml,
)

A = MoodleAnswer


def make_question(moodle_type: str, **fields: object) -> MoodleQuestion:
    """A question of `moodle_type` with every field its type uses filled in (override any with `fields`)."""
    base = {
        "name": f"A {moodle_type}",
        "text": f"The {moodle_type} text",
        "general_feedback": "Overall",
        "category": "$course$/top/Moon",
        "tags": ["moon", "chang'e"],
        "idnumber": f"id-{moodle_type}",
    }
    specific: dict[str, dict[str, object]] = {
        "multichoice": {"answers": [A("Right", 1.0, "Yes"), A("Wrong", 0.0, "No"), A("Half", 0.5)]},
        "truefalse": {
            "answers": [A("true", 0.0, "Not true"), A("false", 1.0, "Indeed")],
            "truefalse_feedback": ("Not true", "Indeed"),
        },
        "shortanswer": {"answers": [A("Chang'e-6", 1.0, "Yes"), A("Change 6", 0.5, "Spelling")]},
        "numerical": {
            "answers": [A("2024", 1.0, "Yes", 0.0), A("2023", 0.5, "Close", 1.0), A("*", 0.0, "No", 0.0)]
        },
        "match": {"subquestions": [("Probe", "Chang'e-6"), ("Outlet", "China Daily"), ("", "Rocket")]},
        "essay": {
            "other_texts": {
                "graderinfo": ("<p>Full marks: the <b>far side</b>.</p>", "html"),
                "responsetemplate": ("Intro:\nBody:", "plain"),
            }
        },
        "description": {"general_feedback": ""},
    }
    return MoodleQuestion(moodle_type, **{**base, **specific[moodle_type], **fields})


TYPES = ["multichoice", "truefalse", "shortanswer", "numerical", "match", "essay", "description"]
READ_WRITE: dict[str, tuple[Callable, Callable]] = {
    "gift": (write_gift, read_gift),
    "moodle-xml": (write_moodle_xml, read_moodle_xml),
}


def round_trip(file_format: str, questions: list[MoodleQuestion]) -> list[MoodleQuestion]:
    """`questions` written then read back in `file_format` (the reader must find nothing wrong)."""
    write, read = READ_WRITE[file_format]
    report = read(write(questions))
    assert (report.errors, report.warnings) == ([], [])
    # The writer's default settings (defaultgrade, penalty...) come back: see test_moodle_roundtrip.py.
    return [dataclasses.replace(question, line=None, settings={}) for question in report.questions]


@pytest.mark.parametrize("file_format", READ_WRITE)
@pytest.mark.parametrize("moodle_type", TYPES)
def test_each_type(file_format: str, moodle_type: str) -> None:
    question = make_question(moodle_type)
    if file_format == "gift":  # GIFT has no essay texts: gift_cannot_hold lists an essay that has them
        question = dataclasses.replace(question, other_texts={})
    assert round_trip(file_format, [question]) == [question]


@pytest.mark.parametrize("file_format", READ_WRITE)
@pytest.mark.parametrize(
    "fields",
    [
        {"single": False, "answers": [A("a", 0.5), A("b", 0.5), A("c", -1.0, "Never")]},
        {"answers": [A("a", 1.0), A("b", 1.0)]},
        {
            "answers": [
                A("%50% literally", 0.0),
                A("100% sure", 1.0),
                A("[x] bracket", 0.3333333),
                A("%25%", 0.5),
            ]
        },
        {"text_format": "html", "text": "<p>Which <b>one</b>?</p>"},
        {"text_format": "markdown", "text": "*Which* one?"},
        {"text_format": "plain", "text": "Which one?"},
    ],
    ids=["several right", "all right", "percent and bracket texts", "html", "markdown", "plain"],
)
def test_multichoice_variants(file_format: str, fields: dict[str, object]) -> None:
    question = make_question("multichoice", **fields)
    assert round_trip(file_format, [question]) == [question]


TRICKY = [
    "a: b",
    "x # y",
    "1+1=2",
    "~tilde",
    "{braces}",
    "back\\slash",
    "literal \\n",
    "line\nbreak",
    "[html] not a format",
    "// not a comment",
    "$CATEGORY: not one",
    "::not a title::",
    "####",
    "0",
    "T",
    "ünïcödé ✓",
    "->",
]


@pytest.mark.parametrize("file_format", READ_WRITE)
@pytest.mark.parametrize("tricky", TRICKY)
def test_reserved_characters_survive(file_format: str, tricky: str) -> None:
    question = make_question(
        "multichoice",
        name=f"Name {tricky}",
        text=tricky,
        general_feedback=tricky,
        answers=[A(tricky, 1.0, tricky), A(f"not {tricky}", 0.0, tricky)],
    )
    assert round_trip(file_format, [question]) == [question]


@pytest.mark.parametrize("file_format", READ_WRITE)
def test_categories_switch_where_questions_change_category(file_format: str) -> None:
    questions = [
        make_question("essay", category="top/A"),
        make_question("essay", category="top/A"),
        make_question("essay", category="top/B//with slash"),
    ]
    write, read = READ_WRITE[file_format]
    report = read(write(questions))
    assert report.categories == ["top/A", "top/B//with slash"]
    assert [q.category for q in report.questions] == ["top/A", "top/A", "top/B//with slash"]


@pytest.mark.parametrize("file_format", READ_WRITE)
def test_weights_are_written_from_moodles_grade_list(file_format: str) -> None:
    question = make_question("shortanswer", answers=[A("a", 1.0), A("b", 0.333), A("c", 0.1428)])
    [read_back] = round_trip(file_format, [question])
    assert [answer.fraction for answer in read_back.answers] == [1.0, 0.3333333, 0.1428571]


def test_gift_writes_questions_it_cannot_hold_as_a_comment() -> None:
    cloze = MoodleQuestion("multianswer", name="Cloze", text="{1:SHORTANSWER:=a}")
    text = write_gift([make_question("essay", category=None), cloze])
    assert "// Question type multianswer cannot be written in GIFT" in text
    report = read_gift(text)
    assert [q.moodle_type for q in report.questions] == ["essay"]


def test_xml_keeps_what_gift_cannot() -> None:
    cloze = MoodleQuestion("multianswer", name="Cloze", text="Moon {1:SHORTANSWER:=Luna}", text_format="html")
    described = make_question("description", general_feedback="Kept in XML")
    unordered = make_question("multichoice", shuffle=False)
    assert round_trip("moodle-xml", [cloze, described, unordered]) == [cloze, described, unordered]


def test_gift_output_is_what_moodle_writes() -> None:
    question = make_question("truefalse", tags=[], idnumber="", category=None)
    assert write_gift([question]) == "::A truefalse::The truefalse text{FALSE#Not true#Indeed####Overall}\n"


def test_aiken_round_trip_of_single_answer_multichoice() -> None:
    question = make_question(
        "multichoice",
        name="Is 1 < 2?",
        text="Is 1 &lt; 2?",
        text_format="html",
        answers=[A("yes", 1.0), A("no &amp; never", 0.0)],
        general_feedback="",
        tags=[],
        idnumber="",
        category=None,
    )
    text, skipped = write_aiken([question])
    assert skipped == []
    [read_back] = read_aiken(text).questions
    assert dataclasses.replace(read_back, line=None) == question
