"""Moodle's questions become quizapp's, type by type, with the rules of docs/import-export.md; what quizapp
has no type for is skipped with a reason, what it cannot hold is a located error, and what changes on the way
is a located warning. quizapp's questions become Moodle questions that GIFT, Moodle XML and (single choice
only) Aiken write and read back as the same quizapp questions.
"""

from __future__ import annotations

from typing import Any

import pytest

from quizapp.domain.formats import (
    read_aiken,
    read_gift,
    read_moodle_xml,
    write_aiken,
    write_gift,
    write_moodle_xml,
)
from quizapp.domain.formats.mapping import MappedFile, map_report, to_moodle, topic_slug
from quizapp.domain.questions import Question, question_from_dict, question_to_dict
from quizapp.richtext import clean_html
from tests.unit.factories import make_question


def mapped_gift(gift: str) -> MappedFile:
    """A GIFT text read as Moodle reads it, then mapped onto quizapp's types."""
    return map_report(read_gift(gift), clean_html)


def only_question(mapped: MappedFile) -> dict[str, Any]:
    """The one question of a file that maps without any error."""
    assert mapped.errors == [], mapped.errors
    assert len(mapped.questions) == 1, mapped.skipped
    return mapped.questions[0].raw


def xml_file(*questions: str) -> bytes:
    """A Moodle XML file holding the <question> elements given."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>' + "".join(questions) + "</quiz>").encode()


def xml_question(moodle_type: str, body: str, name: str = "A question", text: str = "The text") -> str:
    """One <question> element with a name, an HTML text and `body`."""
    return (
        f'<question type="{moodle_type}"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text><![CDATA[{text}]]></text></questiontext>{body}</question>'
    )


GIFT_CASES = [
    (
        "::Capital:: The capital of France? {=Paris ~London ~Rome}",
        {
            "type": "single_choice",
            "title": "Capital",
            "prompt": "The capital of France?",
            "choices": ["Paris", "London", "Rome"],
            "answer": "Paris",
            "weights": None,
        },
    ),
    ("Q? {=a ~%50%b ~c}", {"type": "single_choice", "answer": "a", "weights": [1.0, 0.5, 0.0]}),
    ("Q? {=a =b ~c}", {"type": "single_choice", "answer": "a", "weights": [1.0, 1.0, 0.0]}),
    (
        "Q? {=yes#Right! ~no#Wrong.}",
        {"type": "single_choice", "choices": ["yes", "no"], "feedback": ["Right!", "Wrong."]},
    ),
    (
        "Q? {~%50%a ~%50%b ~%-100%c}",
        {"type": "multiple_choice", "answer": ["a", "b"], "weights": [0.5, 0.5, -1.0]},
    ),
    (
        "Q? {~%50%a ~%50%b ~%-50%c ~%-50%d}",
        {"type": "multiple_choice", "answer": ["a", "b"], "weights": None},
    ),
    (
        "Q? {TRUE#Said false#Said true}",
        {"type": "true_false", "answer": True, "feedback": ["Said true", "Said false"]},
    ),
    (
        "Q? {F#Said true#Said false}",
        {"type": "true_false", "answer": False, "feedback": ["Said true", "Said false"]},
    ),
    (
        "Who's buried in Grant's tomb? {=Grant =Ulysses S. Grant#The full name}",
        {
            "type": "fill_blank",
            "prompt": "Who's buried in Grant's tomb? ___",
            "answer": ["Grant", "Ulysses S. Grant"],
            "feedback": ["", "The full name"],
            "weights": None,
        },
    ),
    ("Two plus two equals {=four =4}.", {"type": "fill_blank", "prompt": "Two plus two equals ___."}),
    ("Spell it {=%50%colour =color}", {"answer": ["color", "colour"], "weights": [1.0, 0.5]}),
    ("Pi? {#3.14:0.01}", {"type": "numeric", "answer": 3.14, "tolerance": 0.01, "alternatives": None}),
    (
        "Year? {#=1822:0 =%50%1822:2}",
        {"type": "numeric", "answer": 1822, "tolerance": 0, "alternatives": [[1822, 2, 0.5]]},
    ),
    ("Between? {#1..5}", {"type": "numeric", "answer": 3, "tolerance": 2}),
    (
        "Match {=cat -> mammal =eagle -> bird = -> fish}",
        {"type": "matching", "answer": [["cat", "mammal"], ["eagle", "bird"]], "extra_options": ["fish"]},
    ),
    ("Read this first.", {"type": "description", "prompt": "Read this first."}),
    (
        "[html]<p>Q <script>alert(1)</script><b>bold</b></p>{=<i>a</i> ~b}",
        {"format": "html", "prompt": "<p>Q <b>bold</b></p>", "choices": ["<i>a</i>", "b"]},
    ),
    ("[markdown]**Bold** question{=a ~b}", {"format": None, "prompt": "**Bold** question"}),
    (
        "Plain <b>tags</b> and\\na new line{=a ~b}",
        {"format": "html", "prompt": "Plain <b>tags</b> and<br>\na new line"},
    ),
    (
        "$CATEGORY: $course$/top/Lunar Missions\n\n// [tag:Far Side] [tag:chang'e]\nQ{=a ~b}",
        {"topics": ["lunar-missions", "far-side", "chang-e"]},
    ),
    ("$CATEGORY: $course$/top\n\nQ{=a ~b}", {"topics": None}),
    ("// [id:ce4 first]\nQ{=a ~b}", {"id": "ce4-first"}),
    ("Q{=a ~b ####Because it is.}", {"explanation": "Because it is."}),
    ("Q{=a ~b ~}", {"choices": ["a", "b"]}),  # Moodle drops empty answers
]


@pytest.mark.parametrize(("gift", "expected"), GIFT_CASES)
def test_gift_question_becomes_quizapp_question(gift: str, expected: dict[str, Any]) -> None:
    raw = only_question(mapped_gift(gift))
    assert {key: raw.get(key) for key in expected} == expected


def test_questions_without_an_id_number_are_numbered_in_file_order() -> None:
    mapped = mapped_gift("// [id:x]\nA{=a ~b}\n\nB{=a ~b}\n\n// [id:x]\nC{=a ~b}")
    assert [q.raw["id"] for q in mapped.questions] == ["x", "q2", "x-2"]


def test_aiken_text_comes_back_as_the_teacher_wrote_it() -> None:
    raw = only_question(map_report(read_aiken("Is 2 < 3 & 4 > 3?\nA) yes\nB) no\nANSWER: A\n"), clean_html))
    assert (raw["prompt"], raw.get("format"), raw["answer"]) == ("Is 2 < 3 & 4 > 3?", None, "yes")


XML_CASES = [
    (
        xml_question(
            "ordering",
            '<answer fraction="2"><text>Second</text></answer>'
            '<answer fraction="1"><text>First</text></answer>'
            '<answer fraction="3"><text>Third</text></answer>',
        ),
        {"type": "ordering", "answer": ["First", "Second", "Third"]},
    ),
    (
        xml_question(
            "truefalse",
            '<answer fraction="0"><text>true</text></answer>'
            '<answer fraction="100"><text>false</text></answer>',
            text="Tom &amp; Jerry",
        ),
        {"type": "true_false", "answer": False, "prompt": "Tom & Jerry", "format": None},
    ),
    (
        xml_question(
            "matching",
            '<subquestion format="html"><text><![CDATA[<b>1</b>]]></text><answer><text>a &lt; b'
            "</text></answer></subquestion><subquestion><text>2</text><answer><text>c</text></answer>"
            "</subquestion>",
        ),
        {"type": "matching", "format": "html", "answer": [["<b>1</b>", "a &lt; b"], ["2", "c"]]},
    ),
]


@pytest.mark.parametrize(("question", "expected"), XML_CASES)
def test_moodle_xml_question_becomes_quizapp_question(question: str, expected: dict[str, Any]) -> None:
    raw = only_question(map_report(read_moodle_xml(xml_file(question)), clean_html))
    assert {key: raw.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("moodle_type", "reason"),
    [
        ("calculated", "calculated"),
        ("calculatedsimple", "calculated"),
        ("calculatedmulti", "calculated"),
        ("ddwtos", "drag-and-drop"),
        ("gapselect", "missing-words"),
        ("ddmarker", "markers"),
        ("ddimageortext", "image"),
        ("randomsamatch", "random"),
    ],
)
def test_types_quizapp_cannot_ask_are_skipped_with_the_reason(moodle_type: str, reason: str) -> None:
    file = xml_file(xml_question(moodle_type, "", name="Skip me"), xml_question("description", ""))
    mapped = map_report(read_moodle_xml(file), clean_html)
    assert [q.raw["type"] for q in mapped.questions] == ["description"]
    assert [(s.name, s.line) for s in mapped.skipped] == [("Skip me", 2)]
    assert reason in mapped.skipped[0].reason


def test_a_gift_essay_is_imported_at_its_line() -> None:
    mapped = mapped_gift("Q{=a ~b}\n\n\nWrite about the moon. {}")
    assert mapped.skipped == [] and mapped.errors == []
    assert [(q.raw["type"], q.line) for q in mapped.questions] == [("single_choice", 1), ("essay", 4)]


@pytest.mark.parametrize(
    ("gift", "message"),
    [
        ("Q {~a ~b ~c}", "add up to 0 %"),
        ("The ___ and the ___ {=x}", "2 blanks"),
        ("Q {#abc}", "accepts any response"),
        ("Q {=a ~a ~b}", "Duplicate choice 'a'"),
    ],
)
def test_what_quizapp_cannot_hold_is_a_located_error(gift: str, message: str) -> None:
    mapped = mapped_gift("::First:: fine {=a ~b}\n\n::Broken::" + gift)
    assert [q.name for q in mapped.questions] == ["First"]
    [error] = mapped.errors
    assert (error.line, error.question) == (3, "Broken")
    assert message in error.message and error.hint


@pytest.mark.parametrize(
    "gift",
    [
        "Q {=frog -> amphibian =newt -> amphibian =cat -> mammal}",
        "Q {=frog -> amphibian =newt -> amphibian =cat -> mammal = -> bird}",
    ],
)
def test_matching_items_may_share_a_match_as_in_moodle(gift: str) -> None:
    """Frog and newt -> amphibian: Moodle imports it, and so does quizapp (the option listed once)."""
    raw = only_question(mapped_gift(gift))
    assert raw["answer"] == [["frog", "amphibian"], ["newt", "amphibian"], ["cat", "mammal"]]
    question = question_from_dict(raw, strict=False)
    assert question.match_options == ("amphibian", "mammal", *question.extra_options)
    assert question.extra_options == (("bird",) if "bird" in gift else ())


def test_a_single_answer_xml_question_with_no_right_answer_is_an_error() -> None:
    body = (
        '<single>true</single><answer fraction="50"><text>a</text></answer>'
        '<answer fraction="0"><text>b</text></answer>'
    )
    mapped = map_report(read_moodle_xml(xml_file(xml_question("multichoice", body))), clean_html)
    assert mapped.questions == [] and "no answer worth 100 %" in mapped.errors[0].message


@pytest.mark.parametrize(
    ("gift", "warning"),
    [
        ("Q {#=1:0#Yes ~#Anything else}", "does not show feedback per number"),
        ("Q {=*}", "'*'"),
        ("::Only a title::{=a ~b}", "shows its name"),
    ],
)
def test_what_changes_on_the_way_is_a_located_warning(gift: str, warning: str) -> None:
    mapped = mapped_gift(gift)
    only_question(mapped)
    assert [w.line for w in mapped.warnings] == [1]
    assert warning in mapped.warnings[0].message


def test_a_question_with_only_a_title_shows_the_title() -> None:
    assert only_question(mapped_gift("::Only a title::{=a ~b}"))["prompt"] == "Only a title"


@pytest.mark.parametrize(
    ("name", "topic"),
    [
        ("Lunar Missions", "lunar-missions"),
        ("Chang'e 6", "chang-e-6"),
        ("Économie_2", "économie-2"),
        ("  --  ", ""),
    ],
)
def test_topic_slug(name: str, topic: str) -> None:
    assert topic_slug(name) == topic


# ---- quizapp -> Moodle -> quizapp

EXTRAS: dict[str, dict[str, Any]] = {
    "single_choice": {"weights": [1, 0.5, 0], "feedback": ["Yes", "Half", "No"], "title": "Outlet"},
    "multiple_choice": {"feedback": ["a", "b", "c", "d"]},
    "true_false": {"feedback": ["Said true", "Said false"]},
    "fill_blank": {"weights": [1, 0.5], "feedback": ["Good", "Spelling"]},
    "numeric": {"alternatives": [[190, 5, 0.5]]},
    "matching": {"extra_options": ["Moon"]},
    "ordering": {},
    "description": {"explanation": ""},
}
SPECIAL = "Braces {x}, colon: a=b ~c #d \\ and\na second line"


def quizapp_question(qtype: str, **changes: Any) -> Question:
    """A quizapp question of `qtype` with every optional field its type has."""
    raw = make_question(qtype, **EXTRAS[qtype], topics=["chang-e-6", "flags"])
    raw.update(changes)
    return question_from_dict(raw, strict=False)


def carried(question: Question) -> dict[str, Any]:
    """The question's exchange form without what Moodle has no field for (difficulty, quoted source)."""
    out = question_to_dict(question)
    # 'moodle' holds what the file said (id number, format, tags) to write back: tests/unit/test_moodle_*.py
    return {key: value for key, value in out.items() if key not in ("difficulty", "source", "moodle")}


WRITE_READ = {"gift": (write_gift, read_gift), "moodle-xml": (write_moodle_xml, read_moodle_xml)}


def round_trip(question: Question, file_format: str) -> Question:
    """The question exported to `file_format`, read back and mapped; nothing may go wrong on the way."""
    write, read = WRITE_READ[file_format]
    mapped = map_report(read(write([to_moodle(question)])), clean_html)
    assert mapped.errors == [] and mapped.skipped == []
    [back] = mapped.questions
    return question_from_dict(back.raw, strict=False)


@pytest.mark.parametrize(
    ("qtype", "file_format"),
    # GIFT has no ordering questions: the export lists them as not representable (tests/services).
    [(qtype, fmt) for qtype in EXTRAS for fmt in WRITE_READ if (qtype, fmt) != ("ordering", "gift")],
)
def test_each_type_reads_back_the_same(qtype: str, file_format: str) -> None:
    question = quizapp_question(qtype)
    assert carried(round_trip(question, file_format)) == carried(question)


@pytest.mark.parametrize("file_format", WRITE_READ)
@pytest.mark.parametrize(
    "changes",
    [
        {"prompt": SPECIAL, "explanation": SPECIAL, "title": SPECIAL.replace("\n", " ")},
        {
            "prompt": "<p>Which <b>outlet</b>?</p>",
            "format": "html",
            "choices": ["<i>China</i> Daily", "CGTN", "AP"],
            "answer": "<i>China</i> Daily",
            "weights": [],
            "feedback": ["<b>Yes</b>", "", ""],
        },
        {
            "prompt": "Plain text with <b> written out & &amp;",
            "choices": ["a < b", "<i>", "&lt;"],
            "answer": "a < b",
            "weights": [],
        },
    ],
)
def test_special_characters_and_html_read_back_the_same(file_format: str, changes: dict[str, Any]) -> None:
    question = quizapp_question("single_choice", **changes)
    assert carried(round_trip(question, file_format)) == carried(question)


@pytest.mark.parametrize("file_format", WRITE_READ)
def test_an_html_matching_question_reads_back_the_same(file_format: str) -> None:
    question = quizapp_question(
        "matching",
        format="html",
        prompt="<p>Match <b>them</b></p>",
        answer=[["<i>Probe</i>", "Chang’e &amp; co"], ["Outlet", "a &lt; b"], ["Object", "Flag"]],
    )
    assert carried(round_trip(question, file_format)) == carried(question)


@pytest.mark.parametrize("file_format", WRITE_READ)
def test_a_matching_question_with_shared_matches_reads_back_the_same(file_format: str) -> None:
    """Each item is written with its own match (Moodle's subquestion and its answer text), so a shared match
    is written once per item and the distractor stays a distractor."""
    pairs = [["Frog", "Amphibian"], ["Newt", "Amphibian"], ["Cat", "Mammal"], ["Dog", "Mammal"]]
    question = quizapp_question("matching", answer=pairs, extra_options=["Bird"])
    moodle = to_moodle(question)
    assert moodle.subquestions == [*(tuple(pair) for pair in pairs), ("", "Bird")]
    assert carried(round_trip(question, file_format)) == carried(question)


def test_single_choice_reads_back_from_aiken() -> None:
    question = quizapp_question("single_choice", weights=[], feedback=[], explanation="", title="", topics=[])
    text, skipped = write_aiken([to_moodle(question)])
    back = only_question(map_report(read_aiken(text), clean_html))
    assert skipped == []
    assert carried(question_from_dict(back, strict=False)) == {**carried(question), "id": "q1"}


@pytest.mark.parametrize(
    ("qtype", "moodle_type", "single"),
    [
        ("single_choice", "multichoice", True),
        ("multiple_choice", "multichoice", False),
        ("true_false", "truefalse", True),
        ("fill_blank", "shortanswer", True),
        ("numeric", "numerical", True),
        ("matching", "match", True),
        ("ordering", "ordering", True),
        ("description", "description", True),
    ],
)
def test_quizapp_types_become_moodle_types(qtype: str, moodle_type: str, single: bool) -> None:
    moodle = to_moodle(quizapp_question(qtype))
    assert (moodle.moodle_type, moodle.single, moodle.idnumber, moodle.tags) == (
        moodle_type,
        single,
        f"q-{qtype}",
        ["chang-e-6", "flags"],
    )


def test_multiple_choice_without_weights_gets_moodles_plus_minus_one_over_k() -> None:
    moodle = to_moodle(quizapp_question("multiple_choice"))
    assert [a.fraction for a in moodle.answers] == [0.5, 0.5, -0.5, -0.5]


def test_a_blank_at_the_end_is_a_plain_short_answer() -> None:
    moodle = to_moodle(quizapp_question("fill_blank", prompt="Who shared it? ___"))
    assert moodle.text == "Who shared it?"
    assert "Who shared it?{" in write_gift([moodle])


def test_items_that_all_share_one_match_import_as_moodle_does() -> None:
    mapped = mapped_gift("::Pets:: Sort {=cat -> mammal =dog -> mammal}")
    assert mapped.errors == []
    [question] = mapped.questions
    assert question.raw["answer"] == [["cat", "mammal"], ["dog", "mammal"]]
