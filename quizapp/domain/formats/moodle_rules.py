"""Rules every Moodle importer shares: its grade list, its default question names, and PHP's string semantics.

Moodle is written in PHP, and its importers' behaviour hangs on PHP details (what `trim` strips, that
`empty("0")` is true, what `is_numeric` accepts). These helpers reproduce exactly those details, nothing more.
"""

from __future__ import annotations

import re

from quizapp.domain.formats.model import FormatError, MoodleQuestion

PHP_WHITESPACE = " \t\n\r\0\x0b"  # what PHP's trim() strips, and nothing else (not a no-break space)

# question_bank::fraction_options_full(): the only grades Moodle's import accepts (and their negatives).
_POSITIVE_GRADES = (
    1.0,
    0.9,
    0.8333333,
    0.8,
    0.75,
    0.7,
    0.6666667,
    0.6,
    0.5,
    0.4,
    0.3333333,
    0.3,
    0.25,
    0.2,
    0.1666667,
    0.1428571,
    0.125,
    0.1111111,
    0.1,
    0.05,
)
GRADES = (*_POSITIVE_GRADES, 0.0, *(-grade for grade in reversed(_POSITIVE_GRADES)))
_GRADE_SET = frozenset(GRADES)
_GRADE_TOLERANCE = 0.00001  # match_grade_options(): "slightly fuzzy test, never check floats for equality"

DEFAULT_NAME = "Question name"  # get_string('questionname', 'question'), used when the text gives no name
_TAG = re.compile(r"<!--.*?(?:-->|$)|<(?!\s)[^>]*(?:>|$)", re.DOTALL)
_NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*")


def not_utf8(data: bytes, error: UnicodeDecodeError) -> FormatError:
    """The refusal, in plain words and located, of a file that is not UTF-8 (Moodle reads UTF-8 only)."""
    line = data.count(b"\n", 0, error.start) + 1
    column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
    return FormatError(
        f"The file is not UTF-8 text: byte 0x{data[error.start]:02x} on line {line}, column {column}, "
        "is not valid UTF-8 (the file was probably saved as Windows-1252 or Latin-1). Moodle reads "
        "UTF-8 only: save the file as UTF-8 and upload it again."
    )


def php_trim(text: str) -> str:
    """The text without the characters PHP's trim() removes at both ends."""
    return text.strip(PHP_WHITESPACE)


def php_empty(text: str) -> bool:
    """PHP's empty() on a string: true for "" and for "0" (why a line holding only 0 ends a question)."""
    return text in ("", "0")


def is_numeric(text: str) -> bool:
    """PHP 8's is_numeric() on a string: a decimal number, whitespace around allowed; no hex, inf or nan."""
    return _NUMERIC.fullmatch(text) is not None


def php_number(value: float) -> str:
    """A computed number as PHP prints it (precision 14): 3.0 -> '3', 1.5 -> '1.5'."""
    text = format(value, ".14G")
    return "0" if text == "-0" else text


def match_grade(fraction: float) -> float | None:
    """The grade-list value `fraction` stands for, or None when Moodle's import refuses it."""
    if fraction in _GRADE_SET:
        return fraction
    for grade in GRADES:
        if abs(fraction - grade) < _GRADE_TOLERANCE:
            return grade
    return None


def nearest_grade(fraction: float) -> float:
    """The grade-list value closest to `fraction` (what a writer may put in a file)."""
    return min(GRADES, key=lambda grade: abs(fraction - grade))


def grade_label(fraction: float) -> str:
    """The percentage Moodle shows for a grade-list fraction: 0.3333333 -> '33.33333', -1.0 -> '-100'."""
    text = f"{nearest_grade(fraction) * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def grade_list_text() -> str:
    """The accepted percentages, for messages to teachers."""
    return ", ".join(grade_label(grade) for grade in _POSITIVE_GRADES)


def strip_tags(text: str) -> str:
    """The text without HTML tags or comments, as PHP's strip_tags() leaves it ('a < b' keeps its '<')."""
    return _TAG.sub("", text)


def shorten_text(text: str, ideal: int, ending: str = "...") -> str:
    """Moodle's shorten_text() on plain text: cut before `ideal` characters at a space or full stop."""
    if len(text) <= ideal:
        return text
    left = ideal - len(ending)
    breakpos = left
    while breakpos > 0:
        char = text[breakpos]
        if char in ". " or len(char.encode()) > 2:
            breakpos += 1
            break
        breakpos -= 1
    if breakpos == 0 or breakpos > left:
        breakpos = left
    return text[:breakpos] + ending


def clean_question_name(name: str) -> str:
    """A name as Moodle stores it: tags stripped, trimmed, at most 255 characters."""
    name = php_trim(strip_tags(name))
    return shorten_text(name, 251) if len(name) > 255 else name


def default_question_name(text: str) -> str:
    """The name Moodle gives a question whose file names none: the start of its text (80 characters)."""
    return clean_question_name(shorten_text(strip_tags(text), 80)) or DEFAULT_NAME


GRADED_TYPES = (
    "multichoice",
    "shortanswer",
    "numerical",
    "calculated",
    "calculatedsimple",
    "calculatedmulti",
)


def apply_grade_list(question: MoodleQuestion) -> list[int]:
    """Snap the answers' fractions to Moodle's grade list, as its import does; the indexes of those off it.

    Moodle checks only types that keep a fraction per answer; one answer off the list makes it refuse the
    question (and, by default, stop the whole import).
    """
    if question.moodle_type not in GRADED_TYPES:
        return []
    grades = [match_grade(answer.fraction) for answer in question.answers]
    invalid = [index for index, grade in enumerate(grades) if grade is None]
    if not invalid:
        for answer, grade in zip(question.answers, grades, strict=True):
            answer.fraction = grade if grade is not None else answer.fraction
    return invalid
