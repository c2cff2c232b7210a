"""GIFT written so that Moodle 4.5 (and `read_gift`) read back the same questions.

It follows Moodle's own exporter (`qformat_gift::writequestion`): every reserved character escaped, newlines
as `\\n`, weights taken from Moodle's grade list, `[format]` before text not in the default format,
`$CATEGORY:` when the category changes, and `// [id:...] [tag:...]` comments. It also guards the few places
where Moodle's exporter writes something its importer reads differently (text starting with '[' or '%', a
single-choice question whose right answers all start with '=').

GIFT cannot carry: a single-choice question with no answer at 100 %, a description's general feedback, a '->'
inside a short answer or on the left of a matching pair, and the types listed in `GIFT_TYPES`' complement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from quizapp.domain.formats.model import MoodleAnswer, MoodleQuestion
from quizapp.domain.formats.moodle_rules import (
    default_question_name,
    grade_label,
    nearest_grade,
    php_number,
    php_trim,
)
from quizapp.domain.formats.moodle_xml_writer import ESSAY_DEFAULTS

GIFT_TYPES = ("description", "essay", "truefalse", "multichoice", "shortanswer", "numerical", "match")
_RESERVED = str.maketrans(
    {
        "\\": "\\\\",
        "#": "\\#",
        "=": "\\=",
        "~": "\\~",
        "{": "\\{",
        "}": "\\}",
        ":": "\\:",
        "\n": "\\n",
        "\r": "",
    }
)


def write_gift(questions: Sequence[MoodleQuestion], categories: Iterable[str] = ()) -> str:
    """A GIFT file of `questions`; `categories` are switched to first (for categories with no question)."""
    blocks = [f"$CATEGORY: {category}" for category in categories]
    current = None
    for question in questions:
        if question.category is not None and question.category != current:
            blocks.append(f"$CATEGORY: {question.category}")
        current = question.category if question.category is not None else current
        blocks.append(_comment(question) + _question(question))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def escape(text: str) -> str:
    """Text with GIFT's reserved characters escaped: \\ # = ~ { } : and newlines."""
    return text.translate(_RESERVED)


def _comment(question: MoodleQuestion) -> str:
    """The `// [id:...] [tag:...]` line Moodle reads id numbers and tags from ('' when there are none)."""
    bits = [f"[id:{_bracket(question.idnumber)}]"] if question.idnumber else []
    bits += [f"[tag:{_bracket(tag)}]" for tag in question.tags]
    return "// " + " ".join(bits) + "\n" if bits else ""


def _bracket(text: str) -> str:
    """An id number or tag with ']' escaped as Moodle reads it in a comment."""
    return text.replace("]", "\\]")


def _text(text: str, text_format: str, default: str) -> str:
    """Escaped text, with its [format] when it differs from `default` (or when the text itself starts '[')."""
    prefix = f"[{text_format}]" if text and (text_format != default or text.startswith("[")) else ""
    return prefix + escape(text)


def _question(question: MoodleQuestion) -> str:
    """One question: ::Title::, text, then its answer block."""
    name = question.name or default_question_name(question.text)
    head = f"::{escape(name)}::{_text(question.text, question.text_format, 'moodle')}"
    writer = _ANSWER_WRITERS.get(question.moodle_type)
    if writer is None:
        return f"// Question type {question.moodle_type} cannot be written in GIFT: {escape(name)}"
    return head + writer(question)


def _general_feedback(question: MoodleQuestion, indent: str = "\t") -> str:
    """'####' and the general feedback, last inside the braces ('' when there is none)."""
    if not question.general_feedback:
        return ""
    text = "####" + _text(question.general_feedback, question.text_format, question.text_format)
    return indent + text + "\n" if indent else text


def _feedback(question: MoodleQuestion, feedback: str) -> str:
    return "#" + _text(feedback, question.text_format, question.text_format) if feedback else ""


def _weighted(question: MoodleQuestion, answer: MoodleAnswer, mark: str) -> str:
    """`mark` and the answer's weight from the grade list (a text starting '%' gets an explicit weight)."""
    text = _text(answer.text, question.text_format, question.text_format)
    weight = f"%{grade_label(answer.fraction)}%"
    return f"{mark}{weight}{text}" if weight != "%0%" or text.startswith("%") else f"{mark}{text}"


def _description(question: MoodleQuestion) -> str:
    return ""


def _essay(question: MoodleQuestion) -> str:
    return "{" + _general_feedback(question, "") + "}"


def _truefalse(question: MoodleQuestion) -> str:
    """{TRUE#feedback for a wrong answer#feedback for a right one}."""
    true_feedback, false_feedback = question.truefalse_feedback
    correct = any(answer.text == "true" and answer.fraction > 0.99 for answer in question.answers)
    right, wrong = (true_feedback, false_feedback) if correct else (false_feedback, true_feedback)
    text = "TRUE" if correct else "FALSE"
    if wrong or right:
        text += _feedback(question, wrong) or "#"
    text += _feedback(question, right)
    return "{" + text + _general_feedback(question, "") + "}"


def _multichoice(question: MoodleQuestion) -> str:
    """=right ~wrong ~%50%partial; with several right answers (not single) there is no '=' at all."""
    full = [nearest_grade(answer.fraction) == 1.0 for answer in question.answers]
    keep_tilde = all(full)  # a block of '=' only would read as a short answer: the others get ~%100%
    lines = []
    for index, answer in enumerate(question.answers):
        if question.single and full[index] and not (keep_tilde and index > 0):
            line = "=" + _text(answer.text, question.text_format, question.text_format)
        else:
            line = _weighted(question, answer, "~")
        lines.append("\t" + line + _feedback(question, answer.feedback) + "\n")
    return "{\n" + "".join(lines) + _general_feedback(question) + "}"


def _shortanswer(question: MoodleQuestion) -> str:
    lines = [
        f"\t{_weighted_full(question, answer)}{_feedback(question, answer.feedback)}\n"
        for answer in question.answers
    ]
    return "{\n" + "".join(lines) + _general_feedback(question) + "}"


def _weighted_full(question: MoodleQuestion, answer: MoodleAnswer) -> str:
    """=%weight%answer, always with its weight (as Moodle writes short and numerical answers)."""
    return (
        f"=%{grade_label(answer.fraction)}%{_text(answer.text, question.text_format, question.text_format)}"
    )


def _numerical(question: MoodleQuestion) -> str:
    """=%w%value:tolerance each; a last '*' answer at 0 % is '~', the feedback for any other response."""
    lines = []
    for index, answer in enumerate(question.answers):
        if answer.text == "*" and nearest_grade(answer.fraction) == 0 and index == len(question.answers) - 1:
            lines.append(f"\t~{_feedback(question, answer.feedback) or '#'}\n")
            continue
        tolerance = php_number(answer.tolerance or 0.0)
        lines.append(
            f"\t=%{grade_label(answer.fraction)}%{answer.text}:{tolerance}"
            f"{_feedback(question, answer.feedback)}\n"
        )
    return "{#\n" + "".join(lines) + _general_feedback(question) + "}"


def _match(question: MoodleQuestion) -> str:
    """=left -> right per pair; an empty left is a distractor on the right."""
    lines = [
        f"\t={_text(left, question.text_format, question.text_format)} -> {escape(right)}\n"
        for left, right in question.subquestions
    ]
    return "{\n" + "".join(lines) + _general_feedback(question) + "}"


_ANSWER_WRITERS = {
    "description": _description,
    "essay": _essay,
    "truefalse": _truefalse,
    "multichoice": _multichoice,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "match": _match,
}


def gift_cannot_hold(question: MoodleQuestion) -> str:
    """Why GIFT cannot hold this question ('' when it can): Moodle would read the file differently."""
    if question.moodle_type not in GIFT_TYPES:
        return "GIFT has no such type of question (Moodle XML has)."
    if question.moodle_type == "shortanswer" and any("->" in answer.text for answer in question.answers):
        return "An answer contains '->', which GIFT reads as a matching pair (Moodle XML keeps it)."
    if question.moodle_type == "match" and any("->" in left for left, _ in question.subquestions):
        return "An item contains '->', which GIFT reads as the arrow of its pair (Moodle XML keeps it)."
    lost = [what for what, held in _GIFT_LOSSES if held(question)]
    if lost:
        return f"GIFT cannot hold its {', '.join(lost)} (Moodle XML keeps them)."
    return ""


_GIFT_LOSSES = (
    ("embedded files", lambda q: bool(q.files)),
    ("case-sensitive answers", lambda q: q.settings.get("usecase", "0") not in ("", "0")),
    ("hints", lambda q: bool(q.hints)),
    (
        "feedback for right, partly right and wrong responses",
        lambda q: any(t for t, _ in q.combined.values()),
    ),
    ("units", lambda q: bool(q.units)),
    ("points (not 1)", lambda q: q.settings.get("defaultgrade", "1") not in ("1", "1.0", "1.0000000")),
    ("fixed order of answers", lambda q: q.settings.get("shuffleanswers", "1") in ("0", "false")),
    ("essay settings (word limits, response format, attachments...)", lambda q: bool(_essay_settings(q))),
    ("marking guide or response template", lambda q: any(text.strip() for text, _ in q.other_texts.values())),
)


def _essay_settings(question: MoodleQuestion) -> list[str]:
    """An essay's settings that differ from what Moodle gives an essay read from GIFT ({}); an empty limit
    and 0 both mean none (Moodle derives minwordenabled and maxwordenabled from the limits)."""
    if question.moodle_type != "essay":
        return []
    unset = ("", "0")
    return [
        tag
        for tag, default in ESSAY_DEFAULTS.items()
        if (value := php_trim(question.settings.get(tag, default))) != default
        and not (value in unset and default in unset)
    ]
