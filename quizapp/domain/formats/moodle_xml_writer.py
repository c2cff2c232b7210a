"""Moodle XML written the way Moodle 4.5's exporter writes it, so Moodle (and `read_moodle_xml`) read it back.

A `<question type="category">` goes before each question whose category differs from the previous one's.
Grades come from Moodle's grade list; characters XML 1.0 cannot hold are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from quizapp.domain.formats.model import MoodleAnswer, MoodleFile, MoodleQuestion
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
_COMBINED = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")
_FILE_HOLDERS = (
    "questiontext",
    "generalfeedback",
    "answer",
    "answer/feedback",
    "subquestion",
    "hint",
    "graderinfo",
    *_COMBINED,
)


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
    _setting(element, question, "defaultgrade", "0" if question.moodle_type == "description" else "1")
    _setting(element, question, "penalty", _PENALTY.get(question.moodle_type, "0.3333333"))
    _setting(element, question, "hidden", "0")
    _value(element, "idnumber", question.idnumber)
    _DETAILS.get(question.moodle_type, _answers)(element, question)
    _kept(element, question)
    if question.tags:
        tags = SubElement(element, "tags")
        for tag in question.tags:
            _value(SubElement(tags, "tag"), "text", tag)
    for file in question.files:
        _file(element, file)


def _setting(element: Element, question: MoodleQuestion, tag: str, default: str) -> None:
    """A plain setting: the value the question arrived with, else Moodle's default for its type."""
    _value(element, tag, question.settings.get(tag, default))


def _combined(element: Element, question: MoodleQuestion) -> None:
    """Feedback for a right, partly right and wrong response (as it arrived, else empty)."""
    for tag in _COMBINED:
        text, text_format = question.combined.get(tag, ("", question.text_format))
        _text(element, tag, text, text_format)


def _kept(element: Element, question: MoodleQuestion) -> None:
    """What the question arrived with that its type's writer did not write: settings, hints, units..."""
    written = {child.tag for child in element}
    for tag, value in question.settings.items():
        if tag not in written:
            _value(element, tag, value)
    for tag in _COMBINED:
        if tag in question.combined and tag not in written:
            _text(element, tag, *question.combined[tag])
    for hint in question.hints:
        node = _text(element, "hint", hint.text, hint.text_format)
        if hint.shownumcorrect:
            SubElement(node, "shownumcorrect")
        if hint.clearwrong:
            SubElement(node, "clearwrong")
        if hint.options:
            _value(node, "options", hint.options)
    if question.units:
        units = SubElement(element, "units")
        for name, multiplier in question.units:
            unit = SubElement(units, "unit")
            _value(unit, "multiplier", multiplier)
            _value(unit, "unit_name", name)


def _file(element: Element, file: MoodleFile) -> None:
    """<file> inside the first text that links to it (Moodle keeps files per text), else the question text."""
    links = (f"@@PLUGINFILE@@{file.path}{file.name}", f"@@PLUGINFILE@@{file.path}{quote(file.name)}")
    holders = [node for path in _FILE_HOLDERS for node in element.findall(path)]
    holder = next(
        (node for node in holders if any(link in (node.findtext("text") or "") for link in links)),
        element.find("questiontext"),
    )
    node = SubElement(holder, "file", {"name": file.name, "path": file.path, "encoding": "base64"})  # type: ignore[arg-type]
    node.text = file.data


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
    _setting(element, question, "shuffleanswers", "true" if question.shuffle else "false")
    _setting(element, question, "answernumbering", "abc")
    _setting(element, question, "showstandardinstruction", "0")
    _combined(element, question)
    _answers(element, question)


def _truefalse(element: Element, question: MoodleQuestion) -> None:
    """The 'true' and 'false' answers, the right one at 100, each with its feedback."""
    correct = any(answer.text == "true" and answer.fraction > 0.99 for answer in question.answers)
    true_feedback, false_feedback = question.truefalse_feedback
    _answer(element, question, MoodleAnswer("true", 1.0 if correct else 0.0, true_feedback))
    _answer(element, question, MoodleAnswer("false", 0.0 if correct else 1.0, false_feedback))


def _shortanswer(element: Element, question: MoodleQuestion) -> None:
    _setting(element, question, "usecase", "0")
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
    _setting(element, question, "shuffleanswers", "true" if question.shuffle else "false")
    _combined(element, question)
    for left, right in question.subquestions:
        sub = _text(element, "subquestion", left, question.text_format)
        _value(SubElement(sub, "answer"), "text", right)


# An essay's settings as Moodle 4.5 exports them, with what Moodle gives an essay read from GIFT.
ESSAY_DEFAULTS = {
    "responseformat": "editor",
    "responserequired": "1",
    "responsefieldlines": "15",
    "minwordlimit": "",
    "maxwordlimit": "",
    "attachments": "0",
    "attachmentsrequired": "0",
    "maxbytes": "0",
    "filetypeslist": "",
}
ESSAY_TEXTS = ("graderinfo", "responsetemplate")  # Moodle's default format for both: html


def _essay(element: Element, question: MoodleQuestion) -> None:
    """The essay's settings and its marking guide and response template, as they arrived (else Moodle's
    defaults); the kept settings Moodle does not export itself (minwordenabled...) follow in `_kept`."""
    for tag, default in ESSAY_DEFAULTS.items():
        _setting(element, question, tag, default)
    for tag in ESSAY_TEXTS:
        _text(element, tag, *question.other_texts.get(tag, ("", "html")))


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
