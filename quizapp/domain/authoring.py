"""What a teacher writes in the question editor: its form values to a question dict and back, and which form
field each problem of a question belongs to.

The form values are plain data (what WTForms' `form.data` gives): strings, lists of strings, and lists of row
dicts. Rows left empty are ignored, so the editor can always show a few spare ones. Weights are typed as
percentages (50 for half the credit) and stored as Moodle's fractions (0.5).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.domain.question_types import KINDS, kind_of
from quizapp.domain.question_types.editing import (
    FRACTION_DIGITS,
    Draft,
    Errors,
    Values,
    number_text,
    parse_percent,
    percent_text,
    text_of,
)
from quizapp.domain.questions import Problem, QuestionType

__all__ = ["FRACTION_DIGITS", "ROW_LISTS", "Draft", "Errors", "parse_percent", "percent_text", "number_text"]
# The list fields of each type, each with the keys of its rows (a list of plain texts has no keys).
ROW_LISTS = {name: dict(kind.editor_lists) for name, kind in KINDS.items() if kind.editor_lists}
# The editor's limits, in characters and rows. Imports apply them too, so every question can be edited.
SHORT_TEXT, LONG_TEXT = 2000, 20000  # a title, a choice, a feedback...; the prompt and the explanation
MAX_ROWS = 40  # choices, accepted answers, items, pairs, extra matches, other numbers
_LONG_FIELDS = {"prompt": "the prompt", "explanation": "the explanation"}
_SHORT_FIELDS = {"title": "the title", "source": "the quoted source"}
# Lists of rows: (one row, several rows; None where the rows follow another list's, like feedback)
_ROW_FIELDS = {
    "choices": ("choice", "choices"),
    "answer": ("answer", "answers"),
    "feedback": ("feedback", None),
    "extra_options": ("extra wrong match", "extra wrong matches"),
    "alternatives": ("other accepted number", "other accepted numbers"),
}


def editor_limit_problems(question: Mapping[str, Any]) -> list[Problem]:
    """What in a question dict is longer, or has more rows, than the question editor takes; [] when it fits.

    Each message says what and by how much: "the prompt is 2,000,000 characters; the editor allows 20,000".
    """
    qid = str(question.get("id") or "")
    found: list[Problem] = []

    def check(what: str, text: Any, limit: int) -> None:
        if isinstance(text, str) and len(text) > limit:
            message = f"{what} is {len(text):,} characters; the editor allows {limit:,}"
            found.append(Problem(qid, message, "shorten it, or split the question in two"))

    for key, what in _LONG_FIELDS.items():
        check(what, question.get(key), LONG_TEXT)
    for key, what in _SHORT_FIELDS.items():
        check(what, question.get(key), SHORT_TEXT)
    check("the list of topics", ", ".join(map(str, question.get("topics") or [])), SHORT_TEXT)
    choices = question.get("choices") if isinstance(question.get("choices"), list) else []
    for key, (what, plural) in _ROW_FIELDS.items():
        rows = question.get(key)
        if key == "answer" and choices:  # the right choices: their texts are checked as choices
            continue
        if not isinstance(rows, list):
            check(what, rows, SHORT_TEXT)
            continue
        if plural and len(rows) > MAX_ROWS:
            message = f"the question has {len(rows):,} {plural}; the editor allows {MAX_ROWS}"
            found.append(Problem(qid, message, "split it into several questions"))
        for number, row in enumerate(rows, start=1):
            for text in row if isinstance(row, list) else [row]:
                check(f"{what} {number}", text, SHORT_TEXT)
    return found


def _common(qtype: QuestionType, values: Values) -> dict[str, Any]:
    topics = [t.strip() for t in str(values.get("topics") or "").split(",") if t.strip()]
    question: dict[str, Any] = {
        "type": qtype.value,
        "title": text_of(values.get("title")),
        "prompt": str(values.get("prompt") or "").strip(),
        "format": values.get("format") or "plain",
        "explanation": str(values.get("explanation") or "").strip(),
        "source": text_of(values.get("source")),
        "topics": list(dict.fromkeys(topics)),
        "difficulty": _difficulty(values.get("difficulty") or 2),
    }
    return question


def _difficulty(value: Any) -> Any:
    """1, 2 or 3 as a number; anything else as it came (validate_question then says what is wrong)."""
    return int(value) if str(value or "2") in ("1", "2", "3") else value


def question_from_form(qtype: QuestionType, values: Values) -> Draft:
    """The question the editor's values describe; row errors (a weight that is not a number...) in `errors`.

    Everything else (too few choices, no blank in the prompt...) is left to `validate_question`.
    """
    draft = Draft(_common(qtype, values))
    kind_of(qtype).from_form(draft, values)
    return draft


def form_from_question(content: Mapping[str, Any]) -> dict[str, Any]:
    """The editor's values for a stored question (the inverse of `question_from_form`)."""
    qtype = QuestionType(content["type"])
    values: dict[str, Any] = {
        "title": content.get("title") or "",
        "prompt": content.get("prompt") or "",
        "format": content.get("format") or "plain",
        "explanation": content.get("explanation") or "",
        "source": content.get("source") or "",
        "topics": ", ".join(content.get("topics") or []),
        "difficulty": str(content.get("difficulty") or 2),
    }
    kind_of(qtype).to_form(content, values)
    return values


# Which form field a problem found by validate_question belongs to: the first pattern its message matches.
_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"prompt|blank", "prompt"),
    (r"'title'", "title"),
    (r"source", "source"),
    (r"difficulty", "difficulty"),
    (r"topics", "topics"),
    (r"^format", "format"),
    (r"alternatives", "alternatives"),
    (r"feedback|weight", "<list>"),
    (r"extra_options", "distractors"),
    (r"tolerance", "tolerance"),
    (r"^choices|duplicate choice|^only \d+ choices", "choices"),
)


def problem_field(qtype: QuestionType, problem: Problem) -> str:
    """The editor field where `problem` is shown ('' for the form as a whole)."""
    for pattern, name in _PATTERNS:
        if re.search(pattern, problem.message):
            return kind_of(qtype).list_field if name == "<list>" else name
    if "answer" in problem.message or "item" in problem.message or "pair" in problem.message:
        return kind_of(qtype).answer_field
    return ""


_NOT_FOUND = (
    "This quote is not in the set's source text word for word. Copy one or two sentences exactly "
    "(curly or straight quotes and extra spaces do not matter)."
)


# Checks shared with the bank's files name their fields and Moodle's fractions; the editor says it in its
# labels' words and in percentages (first pattern that matches).
_FORM_WORDS: tuple[tuple[str, str], ...] = (
    (r"^'prompt' is empty", "Question text is empty: write the question."),
    (r"^'choices' is empty", "Write at least 2 choices."),
    (r"^the answer must have weight 1", "The correct choice must have weight 100 % (or a blank weight)."),
    (
        r"^the first accepted answer must have weight 1",
        "The first accepted answer must have weight 100 % (or a blank weight).",
    ),
    (
        r"^the positive weights",
        "Only the correct choices can have positive weights, and these must add up to 100 %.",
    ),
    (r"^extra_options", "The extra wrong matches must differ from every match and from each other."),
    (r"^source not found", _NOT_FOUND),
)


def problem_text(problem: Problem, qtype: QuestionType | None = None) -> str:
    """A problem as one sentence for a teacher, in the editor's words (not the bank file's field names)."""
    missing = kind_of(qtype).answer_missing if qtype else ""
    if missing and re.match(r"'answer' is empty|missing field 'answer'", problem.message):
        return missing
    for pattern, text in _FORM_WORDS:
        if re.match(pattern, problem.message):
            return text
    hint = f" ({problem.hint})" if problem.hint else ""
    text = f"{problem.message}{hint}".replace("the article", "the set's source text")
    return f"{text[:1].upper()}{text[1:]}."


def problem_errors(qtype: QuestionType, problems: Sequence[Problem]) -> Errors:
    """Problems grouped by the editor field they are shown beside."""
    errors: Errors = {}
    for problem in problems:
        messages = errors.setdefault(problem_field(qtype, problem), [])
        text = problem_text(problem, qtype)
        if text not in messages:  # e.g. a quote not found, by the set's check and by the grounding check
            messages.append(text)
    return errors
