"""What a teacher writes in the question editor: its form values to a question dict and back, and which form
field each problem of a question belongs to.

The form values are plain data (what WTForms' `form.data` gives): strings, lists of strings, and lists of row
dicts. Rows left empty are ignored, so the editor can always show a few spare ones. Weights are typed as
percentages (50 for half the credit) and stored as Moodle's fractions (0.5).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from quizapp.domain.answers import InvalidAnswer, parse_number
from quizapp.domain.questions import CHOICE_TYPES, Problem, QuestionType

Values = Mapping[str, Any]
Errors = dict[str, list[str]]
# The list fields of each type, each with the keys of its rows (a list of plain texts has no keys).
ROW_LISTS: dict[QuestionType, dict[str, tuple[str, ...]]] = {
    QuestionType.SINGLE_CHOICE: {"choices": ("text", "weight", "feedback")},
    QuestionType.MULTIPLE_CHOICE: {"choices": ("text", "weight", "feedback")},
    QuestionType.FILL_BLANK: {"answers": ("text", "weight", "feedback")},
    QuestionType.NUMERIC: {"alternatives": ("value", "tolerance", "weight")},
    QuestionType.ORDERING: {"items": ()},
    QuestionType.MATCHING: {"pairs": ("left", "right"), "distractors": ()},
}
FRACTION_DIGITS = 7  # Moodle keeps grade fractions to 7 decimals (0.3333333)
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


@dataclass
class Draft:
    """A question dict made from the editor's values (no id yet), and its rows' errors by form field."""

    question: dict[str, Any]
    errors: Errors = field(default_factory=dict)

    def fail(self, name: str, message: str) -> None:
        """Record an error beside form field `name`."""
        self.errors.setdefault(name, []).append(message)


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


def _text(value: Any) -> str:
    return str(value or "").strip()


def _filled(row: Any) -> bool:
    """Whether a row (a text, or a dict of texts) has anything typed in it."""
    if isinstance(row, Mapping):
        return any(_text(v) for v in row.values())
    return bool(_text(row))


def _rows(values: Values, name: str) -> list[tuple[int, Any]]:
    """The rows of list field `name` that have something typed in, each with its index in the form."""
    return [(i, row) for i, row in enumerate(values.get(name) or []) if _filled(row)]


def parse_percent(text: str, low: float = -100, high: float = 100) -> float:
    """A typed percentage ('50', '50 %', '33,3') as a fraction rounded like Moodle's; else ValueError."""
    cleaned = text.replace("%", "").replace(",", ".").strip()
    value = float(cleaned)
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(text)
    return round(value / 100, FRACTION_DIGITS)


def percent_text(fraction: float) -> str:
    """A stored fraction as the percentage the editor shows (0.5 -> '50', 0.3333333 -> '33.33333')."""
    return number_text(round(fraction * 100, FRACTION_DIGITS - 2))


def number_text(value: float) -> str:
    """A number as a teacher would type it (200, not 200.0)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _number(draft: Draft, name: str, text: str, default: float | None = None) -> float | None:
    """The number typed in field `name` (blank: `default`); an error beside the field when it is not one."""
    if not text:
        return default
    try:
        return parse_number(text)
    except InvalidAnswer:
        draft.fail(name, f"“{text}” is not a number: type digits, like 200 or 3.5.")
        return None


def _percent(draft: Draft, name: str, text: str, low: float = -100) -> float | None:
    try:
        return parse_percent(text, low)
    except ValueError:
        draft.fail(name, f"Write a percentage between {low:g} and 100 (50 for half the credit), or nothing.")
        return None


def _common(qtype: QuestionType, values: Values) -> dict[str, Any]:
    topics = [t.strip() for t in str(values.get("topics") or "").split(",") if t.strip()]
    question: dict[str, Any] = {
        "type": qtype.value,
        "title": _text(values.get("title")),
        "prompt": str(values.get("prompt") or "").strip(),
        "format": values.get("format") or "plain",
        "explanation": str(values.get("explanation") or "").strip(),
        "source": _text(values.get("source")),
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
    _BUILDERS[qtype](draft, values)
    return draft


def _aligned_extras(draft: Draft, name: str, rows: list[tuple[int, Any]], default_weight: Any) -> None:
    """Per-row feedback, and weights when any is typed (blank weights take `default_weight(index, row)`)."""
    feedback = [_text(row.get("feedback")) for _, row in rows]
    if any(feedback):
        draft.question["feedback"] = feedback
    if not any(_text(row.get("weight")) for _, row in rows):
        return
    weights = [
        _percent(draft, f"{name}-{i}-weight", _text(row["weight"]))
        if _text(row.get("weight"))
        else default_weight(i, row)
        for i, row in rows
    ]
    if None not in weights:
        draft.question["weights"] = weights


def _row_texts(draft: Draft, name: str, rows: list[tuple[int, Any]], what: str) -> list[str]:
    """The texts of filled rows; a row with only a weight or feedback gets an error beside its text."""
    for i, row in rows:
        if not _text(row.get("text")):
            draft.fail(f"{name}-{i}-text", f"Write the {what}, or clear this row.")
    return [_text(row.get("text")) for _, row in rows]


def _choices(draft: Draft, values: Values) -> None:
    rows = _rows(values, "choices")
    draft.question["choices"] = _row_texts(draft, "choices", rows, "choice")
    marked = {int(i) for i in values.get("correct") or [] if str(i).isdigit()}
    for i in marked - {i for i, _ in rows}:
        draft.fail(f"choices-{i}-text", "This row is marked correct but has no text.")
    correct = [_text(row.get("text")) for i, row in rows if i in marked]
    single = draft.question["type"] == QuestionType.SINGLE_CHOICE
    if not correct:
        draft.fail("correct", "Mark the correct choice." if single else "Mark every correct choice.")
    elif single and len(correct) > 1:
        draft.fail("correct", "Mark one correct choice only.")
    draft.question["answer"] = (correct[0] if correct else "") if single else correct
    explicit = sum(parse_percent_or_zero(row.get("weight")) for i, row in rows if i in marked)
    blank = sum(1 for i, row in rows if i in marked and not _text(row.get("weight")))

    def default_weight(index: int, row: Any) -> float:
        """Blank weights: the correct choices share what the typed ones leave; the others get nothing."""
        if index not in marked:
            return 0.0
        return 1.0 if single else round(max(0.0, 1 - explicit) / blank, FRACTION_DIGITS)

    _aligned_extras(draft, "choices", rows, default_weight)


def parse_percent_or_zero(text: Any) -> float:
    """A typed percentage as a fraction, 0 when blank or not a number (its error is reported elsewhere)."""
    try:
        return max(0.0, parse_percent(_text(text))) if _text(text) else 0.0
    except ValueError:
        return 0.0


def _true_false(draft: Draft, values: Values) -> None:
    truth = values.get("truth")
    if truth not in ("true", "false"):
        draft.fail("truth", "Choose whether the statement is true or false.")
    draft.question["answer"] = truth == "true"
    feedback = [_text(values.get("feedback_true")), _text(values.get("feedback_false"))]
    if any(feedback):
        draft.question["feedback"] = feedback


def _fill_blank(draft: Draft, values: Values) -> None:
    rows = _rows(values, "answers")
    draft.question["answer"] = _row_texts(draft, "answers", rows, "accepted answer")
    _aligned_extras(draft, "answers", rows, lambda index, row: 1.0)


def _numeric(draft: Draft, values: Values) -> None:
    number = _text(values.get("number"))
    if not number:
        draft.fail("number", "Write the answer, a number.")
    draft.question["answer"] = _number(draft, "number", number)
    tolerance = _number(draft, "tolerance", _text(values.get("tolerance")), 0.0)
    if tolerance is not None and tolerance < 0:
        draft.fail("tolerance", "The tolerance cannot be negative: use 0 or more.")
    draft.question["tolerance"] = tolerance
    alternatives = []
    for i, row in _rows(values, "alternatives"):
        value = _number(draft, f"alternatives-{i}-value", _text(row.get("value")))
        if value is None and not _text(row.get("value")):
            draft.fail(f"alternatives-{i}-value", "Write the value, or clear this row.")
        margin = _number(draft, f"alternatives-{i}-tolerance", _text(row.get("tolerance")), 0.0)
        weight = (
            _percent(draft, f"alternatives-{i}-weight", _text(row.get("weight")), low=0)
            if _text(row.get("weight"))
            else None
        )
        if not weight and not draft.errors.get(f"alternatives-{i}-weight"):
            draft.fail(f"alternatives-{i}-weight", "Give this value some credit: a percentage above 0.")
        alternatives.append([value, margin, weight])
    if alternatives:
        draft.question["alternatives"] = alternatives


def _ordering(draft: Draft, values: Values) -> None:
    draft.question["answer"] = [_text(row) for _, row in _rows(values, "items")]


def _matching(draft: Draft, values: Values) -> None:
    pairs = []
    for i, row in _rows(values, "pairs"):
        for side in ("left", "right"):
            if not _text(row.get(side)):
                draft.fail(f"pairs-{i}-{side}", f"Write the {side}-hand item, or clear this row.")
        pairs.append([_text(row.get("left")), _text(row.get("right"))])
    draft.question["answer"] = pairs
    extra = [_text(row) for _, row in _rows(values, "distractors")]
    if extra:
        draft.question["extra_options"] = extra


_BUILDERS = {
    QuestionType.SINGLE_CHOICE: _choices,
    QuestionType.MULTIPLE_CHOICE: _choices,
    QuestionType.TRUE_FALSE: _true_false,
    QuestionType.FILL_BLANK: _fill_blank,
    QuestionType.NUMERIC: _numeric,
    QuestionType.ORDERING: _ordering,
    QuestionType.MATCHING: _matching,
    QuestionType.DESCRIPTION: lambda draft, values: None,
}


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
    feedback = list(content.get("feedback") or [])
    weights = [percent_text(w) for w in content.get("weights") or []]
    answer = content.get("answer")
    if qtype in CHOICE_TYPES:
        choices = content.get("choices") or []
        correct = [answer] if qtype is QuestionType.SINGLE_CHOICE else list(answer or [])
        values["choices"] = _aligned_rows(choices, weights, feedback)
        values["correct"] = [str(i) for i, c in enumerate(choices) if c in correct]
    elif qtype is QuestionType.TRUE_FALSE:
        values["truth"] = "true" if answer else "false"
        values["feedback_true"], values["feedback_false"] = (feedback + ["", ""])[:2]
    elif qtype is QuestionType.FILL_BLANK:
        values["answers"] = _aligned_rows(answer or [], weights, feedback)
    elif qtype is QuestionType.NUMERIC:
        values["number"] = number_text(answer)
        values["tolerance"] = number_text(content.get("tolerance") or 0)
        values["alternatives"] = [
            {"value": number_text(v), "tolerance": number_text(t), "weight": percent_text(w)}
            for v, t, w in content.get("alternatives") or []
        ]
    elif qtype is QuestionType.ORDERING:
        values["items"] = list(answer or [])
    elif qtype is QuestionType.MATCHING:
        values["pairs"] = [{"left": left, "right": right} for left, right in answer or []]
        values["distractors"] = list(content.get("extra_options") or [])
    return values


def _aligned_rows(texts: Sequence[str], weights: Sequence[str], feedback: Sequence[str]) -> list[Any]:
    """One row per text, with its weight and feedback ('' where there is none)."""
    return [
        {
            "text": str(t),
            "weight": weights[i] if i < len(weights) else "",
            "feedback": feedback[i] if i < len(feedback) else "",
        }
        for i, t in enumerate(texts)
    ]


# Which form field a problem found by validate_question belongs to: the first pattern its message matches.
_ANSWER_FIELD = {
    QuestionType.SINGLE_CHOICE: "correct",
    QuestionType.MULTIPLE_CHOICE: "correct",
    QuestionType.TRUE_FALSE: "truth",
    QuestionType.FILL_BLANK: "answers",
    QuestionType.NUMERIC: "number",
    QuestionType.ORDERING: "items",
    QuestionType.MATCHING: "pairs",
    QuestionType.DESCRIPTION: "prompt",
}
_LIST_FIELD = {QuestionType.FILL_BLANK: "answers", QuestionType.TRUE_FALSE: "feedback_true"}
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
            return _LIST_FIELD.get(qtype, "choices") if name == "<list>" else name
    if "answer" in problem.message or "item" in problem.message or "pair" in problem.message:
        return _ANSWER_FIELD[qtype]
    return ""


_NOT_FOUND = (
    "This quote is not in the set's source text word for word. Copy one or two sentences exactly "
    "(curly or straight quotes and extra spaces do not matter)."
)


_ANSWER_MISSING = {
    QuestionType.SINGLE_CHOICE: "Mark the correct choice.",
    QuestionType.MULTIPLE_CHOICE: "Mark every correct choice.",
    QuestionType.TRUE_FALSE: "Choose whether the statement is true or false.",
    QuestionType.FILL_BLANK: "Write at least one accepted answer.",
    QuestionType.NUMERIC: "Write the answer, a number.",
    QuestionType.ORDERING: "Write at least 2 items, first to last.",
    QuestionType.MATCHING: "Write at least 2 pairs.",
}
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
    if qtype in _ANSWER_MISSING and re.match(r"'answer' is empty|missing field 'answer'", problem.message):
        return _ANSWER_MISSING[qtype]
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
