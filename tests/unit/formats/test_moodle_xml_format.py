"""Moodle XML read as Moodle 4.5's qformat_xml reads it: every type, fields, defaults, and its errors."""

from __future__ import annotations

import pytest

from quizapp.domain.formats import MoodleQuestion, ParseReport, read_moodle_xml


def quiz(*questions: str) -> bytes:
    """A Moodle XML file of the given <question> elements."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"
    ).encode()


def question(question_type: str, body: str, name: str | None = "N") -> str:
    """A <question> with a name (unless None), a question text, and `body`."""
    named = f"<name><text>{name}</text></name>" if name is not None else ""
    return (
        f'<question type="{question_type}">{named}'
        f'<questiontext format="html"><text><![CDATA[<p>Text</p>]]></text></questiontext>{body}</question>'
    )


def only(data: bytes) -> MoodleQuestion:
    """The one question of `data`, read without errors."""
    report = read_moodle_xml(data)
    assert report.errors == []
    [found] = report.questions
    return found


def test_category_applies_to_the_questions_after_it() -> None:
    category = (
        '<question type="category"><category><text>$course$/top/Week 1</text></category>'
        '<info format="moodle_auto_format"><text>About</text></info></question>'
    )
    report = read_moodle_xml(quiz(question("essay", ""), category, question("essay", "")))
    assert report.categories == ["$course$/top/Week 1"]
    assert [q.category for q in report.questions] == [None, "$course$/top/Week 1"]


def test_common_fields() -> None:
    body = (
        '<generalfeedback format="html"><text>  Well  </text></generalfeedback><idnumber>Q-7</idnumber>'
        "<tags><tag><text>moon</text></tag><tag><text> lunar </text></tag></tags>"
    )
    found = only(quiz(question("description", body, name=" &lt;b&gt;Named&lt;/b&gt; ")))
    assert (found.name, found.text, found.text_format, found.general_feedback) == (
        "Named",
        "<p>Text</p>",
        "html",
        "Well",
    )
    assert (found.idnumber, found.tags, found.line) == ("Q-7", ["moon", "lunar"], 3)


def test_multichoice() -> None:
    body = (
        "<single>false</single><shuffleanswers>1</shuffleanswers>"
        '<answer fraction="50" format="html"><text>A</text><feedback><text>half</text></feedback></answer>'
        '<answer fraction="50"><text>B</text></answer><answer fraction="-100"><text>C</text></answer>'
    )
    found = only(quiz(question("multichoice", body)))
    assert (found.single, found.shuffle) == (False, True)
    assert [(a.text, a.fraction, a.feedback) for a in found.answers] == [
        ("A", 0.5, "half"),
        ("B", 0.5, ""),
        ("C", -1.0, ""),
    ]


def test_multichoice_defaults_single_and_not_shuffled() -> None:
    found = only(quiz(question("multichoice", '<answer fraction="100"><text>A</text></answer>')))
    assert (found.single, found.shuffle) == (True, False)


@pytest.mark.parametrize(
    ("true_fraction", "false_fraction", "fractions"), [("100", "0", [1.0, 0.0]), ("0", "100", [0.0, 1.0])]
)
def test_truefalse(true_fraction: str, false_fraction: str, fractions: list[float]) -> None:
    body = (
        f'<answer fraction="{false_fraction}"><text>false</text><feedback><text>F!</text></feedback></answer>'
        f'<answer fraction="{true_fraction}"><text>true</text><feedback><text>T!</text></feedback></answer>'
    )
    found = only(quiz(question("truefalse", body)))
    assert [(a.text, a.fraction) for a in found.answers] == list(
        zip(["true", "false"], fractions, strict=True)
    )
    assert found.truefalse_feedback == ("T!", "F!")


def test_numerical_with_tolerance() -> None:
    body = (
        '<answer fraction="100"><text>3.14</text><tolerance>0.01</tolerance></answer>'
        '<answer fraction="0"><text>*</text><feedback><text>No</text></feedback></answer>'
    )
    found = only(quiz(question("numerical", body)))
    assert [(a.text, a.fraction, a.tolerance, a.feedback) for a in found.answers] == [
        ("3.14", 1.0, 0.01, ""),
        ("*", 0.0, 0.0, "No"),
    ]


def test_shortanswer() -> None:
    body = (
        '<answer fraction="100"><text>Paris</text></answer>'
        '<answer fraction="33.33333"><text>paris</text></answer>'
    )
    found = only(quiz(question("shortanswer", body)))
    assert [(a.text, a.fraction) for a in found.answers] == [("Paris", 1.0), ("paris", 0.3333333)]


def test_matching_with_distractor() -> None:
    body = (
        '<subquestion format="html"><text>cat</text><answer><text>meow</text></answer></subquestion>'
        '<subquestion format="html"><text>dog</text><answer><text>woof</text></answer></subquestion>'
        '<subquestion format="html"><text></text><answer><text>moo</text></answer></subquestion>'
    )
    found = only(quiz(question("matching", body)))
    assert (found.moodle_type, found.shuffle) == ("match", True)
    assert found.subquestions == [("cat", "meow"), ("dog", "woof"), ("", "moo")]


@pytest.mark.parametrize(
    ("file_type", "moodle_type"),
    [
        ("essay", "essay"),
        ("description", "description"),
        ("cloze", "multianswer"),
        ("ddwtos", "ddwtos"),
        ("gapselect", "gapselect"),
        ("calculated", "calculated"),
        ("ordering", "ordering"),
    ],
)
def test_every_core_type_is_kept_with_its_moodle_name(file_type: str, moodle_type: str) -> None:
    assert only(quiz(question(file_type, ""))).moodle_type == moodle_type


def test_cloze_without_name_takes_its_text() -> None:
    assert only(quiz(question("cloze", "", name=None))).name == "Text"


@pytest.mark.parametrize(
    ("text_format", "expected"),
    [("moodle_auto_format", "moodle"), ("plain_text", "plain"), ("markdown", "markdown"), ("html", "html")],
)
def test_text_formats(text_format: str, expected: str) -> None:
    data = quiz(
        f'<question type="essay"><name><text>N</text></name><questiontext format="{text_format}">'
        "<text>T</text></questiontext></question>"
    )
    assert only(data).text_format == expected


def errors(report: ParseReport) -> list[tuple[int | None, str]]:
    """(line, code) of each error."""
    return [(error.line, error.code) for error in report.errors]


def test_errors_point_at_the_question_tag() -> None:
    report = read_moodle_xml(
        b"<quiz>\n  <question type='essay'/>\n"
        b"    <question type='x'><name><text>N</text></name></question>\n</quiz>"
    )
    assert [(e.line, e.column, e.code) for e in report.errors] == [
        (2, 3, "xmlimportnoname"),
        (3, 5, "xmltypeunsupported"),
    ]


@pytest.mark.parametrize(
    ("element", "code"),
    [
        (question("order", ""), "xmltypeunsupported"),
        ("<question><name><text>N</text></name></question>", "xmltypeunsupported"),
        (question("essay", "", name=None), "xmlimportnoname"),
        (
            "<question type='essay'><name><text>N</text></name>"
            "<questiontext><text><p>raw</p></text></questiontext></question>",
            "invalidxml",
        ),
    ],
)
def test_what_moodle_refuses_is_kept_with_a_located_error(element: str, code: str) -> None:
    report = read_moodle_xml(quiz(question("essay", ""), element))
    assert errors(report) == [(4, code)]
    assert len(report.questions) == 2


def test_grades_off_moodles_list_refuse_the_question() -> None:
    body = '<answer fraction="33.3"><text>A</text></answer><answer fraction="66.7"><text>B</text></answer>'
    report = read_moodle_xml(quiz(question("multichoice", body)))
    assert report.questions == []
    assert errors(report) == [(3, "invalidgradequestion")]


def test_unknown_text_format_is_read_as_html_with_a_warning() -> None:
    data = quiz(
        '<question type="essay"><name><text>N</text></name><questiontext format="wiki_like">'
        "<text>T</text></questiontext></question>"
    )
    report = read_moodle_xml(data)
    assert report.questions[0].text_format == "html"
    assert [w.code for w in report.warnings] == ["unknownformat"]
