"""Moodle XML written the way Moodle 4.5's exporter writes it, so Moodle (and `read_moodle_xml`) read it back.

A `<question type="category">` goes before each question whose category differs from the previous one's.
Grades come from Moodle's grade list; characters XML 1.0 cannot hold are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from quizapp.domain.formats.model import MoodleAnswer, MoodleQuestion
from quizapp.domain.formats.moodle_rules import GRADED_TYPES, grade_label, php_number

FILE_TYPES = {"match": "matching", "multianswer": "cloze"}  # Moodle's internal name -> the name in files
_FORMAT_NAMES = {
    "moodle": "moodle_auto_format",
    "html": "html",
    "plain": "plain_text",
    "markdown": "markdown",
}
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PENALTY = {"truefalse": "1", "description": "0"}


def write_moodle_xml(questions: Sequence[MoodleQuestion]) -> bytes:
    """A Moodle XML file (UTF-8) of `questions`, with their categories."""
    quiz = Element("quiz")
    current = None
    for question in questions:
        if question.category is not None and question.category != current:
            _category(quiz, question.category)
            current = question.category
        _question(quiz, question)
    indent(quiz)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(quiz, encoding="unicode").encode() + b"\n"


def _clean(text: str) -> str:
    """Text XML 1.0 can hold, with Windows line ends made plain newlines."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _text(parent: Element, tag: str, text: str, text_format: str | None = None) -> Element:
    """<tag format="..."><text>text</text></tag> under `parent`."""
    element = SubElement(
        parent, tag, {"format": _FORMAT_NAMES.get(text_format, "html")} if text_format else {}
    )
    SubElement(element, "text").text = _clean(text)
    return element


def _value(parent: Element, tag: str, value: str) -> None:
    SubElement(parent, tag).text = _clean(value)


def _category(quiz: Element, path: str) -> None:
    question = SubElement(quiz, "question", {"type": "category"})
    _text(question, "category", path)
    _text(question, "info", "", "moodle")


def _question(quiz: Element, question: MoodleQuestion) -> None:
    """One <question> with the fields every type has, then its own."""
    element = SubElement(
        quiz, "question", {"type": FILE_TYPES.get(question.moodle_type, question.moodle_type)}
    )
    _text(element, "name", question.name)
    _text(element, "questiontext", question.text, question.text_format)
    _text(element, "generalfeedback", question.general_feedback, question.text_format)
    _value(element, "defaultgrade", "0" if question.moodle_type == "description" else "1")
    _value(element, "penalty", _PENALTY.get(question.moodle_type, "0.3333333"))
    _value(element, "hidden", "0")
    _value(element, "idnumber", question.idnumber)
    _DETAILS.get(question.moodle_type, _answers)(element, question)
    if question.tags:
        tags = SubElement(element, "tags")
        for tag in question.tags:
            _value(SubElement(tags, "tag"), "text", tag)


def _answers(element: Element, question: MoodleQuestion) -> None:
    """Each answer with its grade (from Moodle's list), feedback and, for numbers, tolerance."""
    for answer in question.answers:
        _answer(element, question, answer)


def _answer(element: Element, question: MoodleQuestion, answer: MoodleAnswer) -> None:
    fraction = (
        grade_label(answer.fraction)
        if question.moodle_type in GRADED_TYPES
        else php_number(answer.fraction * 100)
    )
    node = SubElement(
        element, "answer", {"fraction": fraction, "format": _FORMAT_NAMES[question.text_format]}
    )
    _value(node, "text", answer.text)
    _text(node, "feedback", answer.feedback, question.text_format)
    if answer.tolerance is not None:
        _value(node, "tolerance", php_number(answer.tolerance))


def _multichoice(element: Element, question: MoodleQuestion) -> None:
    _value(element, "single", "true" if question.single else "false")
    _value(element, "shuffleanswers", "true" if question.shuffle else "false")
    _value(element, "answernumbering", "abc")
    _value(element, "showstandardinstruction", "0")
    for field in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(element, field, "", question.text_format)
    _answers(element, question)


def _truefalse(element: Element, question: MoodleQuestion) -> None:
    """The 'true' and 'false' answers, the right one at 100, each with its feedback."""
    correct = any(answer.text == "true" and answer.fraction > 0.99 for answer in question.answers)
    true_feedback, false_feedback = question.truefalse_feedback
    _answer(element, question, MoodleAnswer("true", 1.0 if correct else 0.0, true_feedback))
    _answer(element, question, MoodleAnswer("false", 0.0 if correct else 1.0, false_feedback))


def _shortanswer(element: Element, question: MoodleQuestion) -> None:
    _value(element, "usecase", "0")
    _answers(element, question)


def _numerical(element: Element, question: MoodleQuestion) -> None:
    for answer in question.answers:
        _answer(
            element,
            question,
            MoodleAnswer(answer.text, answer.fraction, answer.feedback, answer.tolerance or 0.0),
        )


def _match(element: Element, question: MoodleQuestion) -> None:
    """Each pair as <subquestion> (its left) holding <answer> (its right); shuffled or not."""
    _value(element, "shuffleanswers", "true" if question.shuffle else "false")
    for field in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(element, field, "", question.text_format)
    for left, right in question.subquestions:
        sub = _text(element, "subquestion", left, question.text_format)
        _value(SubElement(sub, "answer"), "text", right)


def _essay(element: Element, question: MoodleQuestion) -> None:
    for tag, value in (
        ("responseformat", "editor"),
        ("responserequired", "1"),
        ("responsefieldlines", "15"),
        ("attachments", "0"),
        ("attachmentsrequired", "0"),
    ):
        _value(element, tag, value)
    _text(element, "graderinfo", "", question.text_format)
    _text(element, "responsetemplate", "", question.text_format)


def _nothing(element: Element, question: MoodleQuestion) -> None:
    """Descriptions and cloze questions carry everything in their text."""


_DETAILS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "match": _match,
    "essay": _essay,
    "description": _nothing,
    "multianswer": _nothing,
}
