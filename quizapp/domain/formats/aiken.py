"""Aiken read as Moodle 4.5's `qformat_aiken::readquestions` reads it, and written so Moodle reads it back.

Aiken holds single-answer multiple choice only: a one-line question, options `A)` or `A.` one per line, then
`ANSWER: B`. Moodle stores the text as HTML (escaping & < >). It skips lines shorter than 2 bytes, and it
drops a question still open when the next one starts (an error) or when the file ends (silently: a warning
here).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from quizapp.domain.formats.model import Located, MoodleAnswer, MoodleQuestion, ParseReport
from quizapp.domain.formats.moodle_rules import default_question_name, php_trim, strip_tags

_OPTION = re.compile(r"[A-Z][).][ \t]?")
_MAX_OPTIONS = 26


def read_aiken(text: str) -> ParseReport:
    """Every complete Aiken question, with errors located where Moodle 4.5 reports them."""
    report = ParseReport("aiken")
    question: MoodleQuestion | None = None
    lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    for number, raw in enumerate(lines, start=1):
        line = php_trim(raw)
        if len(line.encode()) < 2:
            continue
        if _OPTION.match(line):
            _add_option(question, line, number, report)
        elif line.startswith("ANSWER:"):
            _finish(question, line, number, report)
            question = None
        else:
            question = _start(question, line, number, report)
    if question is not None:
        report.warnings.append(
            Located(
                question.line,
                1,
                question.name,
                "The file ends before this question's "
                "ANSWER line, so Moodle drops the question without a word.",
                "End the question with a line such as 'ANSWER: A'.",
                "questionnotcomplete",
            )
        )
    return report


def _start(
    open_question: MoodleQuestion | None, line: str, number: int, report: ParseReport
) -> MoodleQuestion:
    """A line with no option label or ANSWER starts a new question (the open one, if any, is lost)."""
    if open_question is not None:
        report.errors.append(
            Located(
                number,
                1,
                open_question.name,
                f"The question starting on line "
                f"{open_question.line} has no ANSWER line before the next question starts "
                "here; Moodle drops it.",
                "Add 'ANSWER: <letter>' after its options, and keep each question's text on one line.",
                "questionnotcomplete",
            )
        )
    return MoodleQuestion(
        "multichoice",
        name=default_question_name(line),
        text=_html(line),
        text_format="html",
        line=number,
        shuffle=True,
    )


def _add_option(question: MoodleQuestion | None, line: str, number: int, report: ParseReport) -> None:
    """An option line `A) text` or `A. text` adds a wrong answer (ANSWER: picks the right one)."""
    if question is None:
        report.errors.append(
            Located(
                number,
                1,
                "",
                "This option line comes before any question.",
                "Put the question's text on the line before its options.",
                "questionnotstarted",
            )
        )
        return
    question.answers.append(MoodleAnswer(_html(line[2:]), 0.0))


def _finish(question: MoodleQuestion | None, line: str, number: int, report: ParseReport) -> None:
    """`ANSWER: X` ends the question; X's option becomes the right answer."""
    if question is None:
        report.errors.append(
            Located(
                number,
                1,
                "",
                "This ANSWER line comes before any question.",
                "Write the question and its options before its ANSWER line.",
                "questionnotstarted",
            )
        )
        return
    if len(question.answers) < 2:
        report.errors.append(
            Located(
                number,
                1,
                question.name,
                "A question needs at least 2 options; Moodle drops this one.",
                "Add options such as 'A) ...' and 'B) ...'.",
                "questionmissinganswers",
            )
        )
        return
    letter = php_trim(line[line.index(":") + 1 :])[:1]
    right = ord(letter) - ord("A") if letter else -1
    if not 0 <= right < len(question.answers):
        report.errors.append(
            Located(
                number,
                1,
                question.name,
                f"ANSWER: {letter} names no option of this "
                "question, so it has no right answer; Moodle cannot save it.",
                f"Write the letter of one of its options (A to {chr(64 + len(question.answers))}"
                ") in capitals.",
                "answernotanoption",
            )
        )
        return
    question.answers[right].fraction = 1.0
    report.questions.append(question)


def _html(text: str) -> str:
    """Plain text as Moodle stores Aiken text: trimmed, with & < > escaped (quotes kept)."""
    return html.escape(php_trim(text), quote=False)


def write_aiken(questions: Sequence[MoodleQuestion]) -> tuple[str, list[Located]]:
    """An Aiken file of the single-answer multiple-choice questions, and those it could not hold, with why."""
    blocks, skipped = [], []
    for question in questions:
        reason = _not_representable(question)
        if reason:
            skipped.append(
                Located(
                    None,
                    None,
                    question.name,
                    reason,
                    "Export it as GIFT or Moodle XML instead.",
                    "notrepresentable",
                )
            )
            continue
        if any(answer.fraction not in (0.0, 1.0) for answer in question.answers):
            skipped.append(
                Located(
                    None,
                    None,
                    question.name,
                    "Aiken has no partial grades: the options' partial grades are written as wrong answers.",
                    "Export it as GIFT or Moodle XML to keep them.",
                    "gradeslost",
                )
            )
        options = [
            f"{chr(65 + index)}) {_plain(answer.text, question.text_format)}"
            for index, answer in enumerate(question.answers)
        ]
        right = next(index for index, answer in enumerate(question.answers) if answer.fraction > 0.99)
        blocks.append(
            "\n".join([_plain(question.text, question.text_format), *options, f"ANSWER: {chr(65 + right)}"])
        )
    return "\n\n".join(blocks) + "\n" if blocks else "", skipped


def _not_representable(question: MoodleQuestion) -> str:
    """Why Aiken cannot hold this question ('' when it can)."""
    if question.moodle_type != "multichoice" or not question.single:
        kind = (
            "multiple choice with several right answers"
            if question.moodle_type == "multichoice"
            else f"a {question.moodle_type} question"
        )
        return f"Aiken holds only single-answer multiple choice, not {kind}."
    if not 2 <= len(question.answers) <= _MAX_OPTIONS:
        return f"Aiken needs 2 to {_MAX_OPTIONS} options; this question has {len(question.answers)}."
    if not any(answer.fraction > 0.99 for answer in question.answers):
        return "Aiken needs one option at 100 %; this question has none."
    text = _plain(question.text, question.text_format)
    if len(text.encode()) < 2 or _OPTION.match(text) or text.startswith("ANSWER:"):
        return "Its text would be read back as an option or ANSWER line (or is too short)."
    return ""


def _plain(text: str, text_format: str) -> str:
    """Text on one line without markup: HTML tags stripped and entities decoded; line breaks become spaces."""
    if text_format == "html":
        text = html.unescape(strip_tags(re.sub(r"(?i)<br\s*/?>|</p>", " ", text)))
    return " ".join(php_trim(text).split())
