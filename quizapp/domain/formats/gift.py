"""GIFT read exactly as Moodle 4.5's `qformat_gift::readquestion` reads it (Moodle wins over GIFT grammars).

Where Moodle accepts a file but changes what the teacher wrote (a weight it ignores, a lower-case `{t}`, two
questions merged by a missing blank line), the report carries a located warning; where Moodle refuses a
question, a located error with Moodle's own reason (its language-string name in `code`) and a hint on how to
fix it.
"""

from __future__ import annotations

import re

from quizapp.domain.formats.gift_text import (
    Block,
    drop_empty_first,
    id_and_tags,
    php_substr,
    php_substr_replace,
    restore,
    split_blocks,
    split_comment,
    with_format,
)
from quizapp.domain.formats.gift_writer import write_gift
from quizapp.domain.formats.model import Located, MoodleAnswer, MoodleQuestion, ParseReport
from quizapp.domain.formats.moodle_rules import (
    PHP_WHITESPACE,
    apply_grade_list,
    clean_question_name,
    default_question_name,
    grade_list_text,
    is_numeric,
    php_empty,
    php_number,
    php_trim,
)

__all__ = ["read_gift", "write_gift"]

_WEIGHT = re.compile(r"%-*[0-9]{1,2}\.?[0-9]*%")
_TRUE_FALSE = ("T", "TRUE", "F", "FALSE")


class _Refused(Exception):
    """Moodle refuses this question; the reason is already in the report."""


def read_gift(text: str) -> ParseReport:
    """A GIFT file's questions, and what Moodle 4.5 would refuse (errors) or silently change (warnings)."""
    report = ParseReport("gift")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for block in split_blocks(text, report.warnings):
        _read_block(block, report)
    return report


def _read_block(block: Block, report: ParseReport) -> None:
    """One block: a category switch, a question, or (when Moodle refuses it) errors in the report."""
    text = php_trim(block.text)
    if text == "":
        return  # only comments
    base = len(block.text) - len(block.text.lstrip(PHP_WHITESPACE))
    if text.startswith("$CATEGORY:"):
        _read_category(block, text, base, report)
        return
    category = report.categories[-1] if report.categories else None
    reader = _QuestionReader(block, report, category)
    try:
        question = reader.read(text, base)
    except _Refused:
        return
    if reader.check_grades(question):
        report.questions.append(question)


def _read_category(block: Block, text: str, base: int, report: ParseReport) -> None:
    """A `$CATEGORY:` block: everything after the colon, even further lines, is the category path."""
    path = php_trim(restore(text[len("$CATEGORY:") :]))
    report.categories.append(path)
    if "\n" in path:
        line, column = block.locate(base)
        report.warnings.append(
            Located(
                line,
                column,
                path.split("\n")[0],
                "The category block goes on past its "
                "first line, so Moodle makes all of it the category name.",
                "Leave a blank line after the $CATEGORY line.",
                "categorymerged",
            )
        )


class _QuestionReader:
    """Reads one question block the way Moodle does, recording located errors and warnings."""

    def __init__(self, block: Block, report: ParseReport, category: str | None) -> None:
        self.block, self.report = block, report
        self.question = MoodleQuestion("", category=category)
        self.title: str | None = None
        self.text = ""  # the question's text as written, to name it in errors when it has no title
        self.brace = 0  # position of the answer block's '{', where answer-level problems are reported
        self.weights: list[str] = []  # the weight written for each answer ('' when none), to locate bad ones

    def read(self, text: str, base: int) -> MoodleQuestion:
        """The question, or _Refused once its error is recorded."""
        question = self.question
        question.line = self.block.first_line
        self.text = text
        name, text, base = self._take_title(text, base)
        self.title, self.text = name, text
        answers, question_text = self._split_answers(text, base)
        answers, general = _split_general_feedback(answers)
        question.text_format, question.text = with_format(question_text, "moodle")
        question.general_feedback = with_format(general, question.text_format)[1]
        question.name = name if name is not None else default_question_name(question.text)
        question.moodle_type = _question_type(answers) if answers is not None else "description"
        if self.block.comments:
            question.idnumber, question.tags = id_and_tags(self.block.comments)
        getattr(self, f"_read_{question.moodle_type}")(answers or "")
        return question

    def _take_title(self, text: str, base: int) -> tuple[str | None, str, int]:
        """(title or None, the rest, where the rest starts): a title is ::Title:: at the very start."""
        if not text.startswith("::"):
            return None, text, base
        text, base = text[2:], base + 2
        finish = text.find("::")
        if finish == -1:
            self._warn(
                base - 2,
                "titlenotclosed",
                "The title has no closing '::', so Moodle reads it as "
                "part of the question text (without the opening '::').",
                "Close the title with '::'.",
            )
            return None, text, base
        rest = text[finish + 2 :]
        lead = len(rest) - len(rest.lstrip(PHP_WHITESPACE))
        return clean_question_name(restore(text[:finish])), php_trim(rest), base + finish + 2 + lead

    def _split_answers(self, text: str, base: int) -> tuple[str | None, str]:
        """(answer-block text or None when there is none, question text): the block runs from the first '{'
        to the first '}'; when text follows it, '_____' takes its place (a missing-word question)."""
        start, finish = text.find("{"), text.find("}")
        if start == -1 and finish == -1:
            return None, text
        if start == -1 or finish == -1:
            self._brace_error(base, start, finish)
        self.brace = base + start
        if finish < start:
            self._warn(
                base + finish,
                "bracesreversed",
                "A '}' comes before the first '{'; Moodle takes the answers from a wrong part of the text.",
                "Escape a literal brace as \\} or \\{.",
            )
        elif "{" in text[finish + 1 :]:
            self._warn(
                base + finish + 1 + text[finish + 1 :].find("{"),
                "severalanswerblocks",
                "This question has a second {...}: Moodle keeps only the first as answers and leaves the "
                "rest in the text. Two questions with no blank line between them are merged like this.",
                "Leave a blank line between questions, or escape literal braces as \\{ and \\}.",
            )
        length = finish - start
        answers = php_trim(php_substr(text, start + 1, length - 1))
        blank = "" if text.endswith("}") else "_____"
        return answers, php_substr_replace(text, blank, start, length + 1)

    def _brace_error(self, base: int, start: int, finish: int) -> None:
        """Record Moodle's braceerror: a '{' without '}' or the reverse."""
        found, has, lacks = (start, "{", "}") if finish == -1 else (finish, "}", "{")
        self._error(
            base + found,
            "braceerror",
            f"The answers must be enclosed in {{ and }}, but this '{has}' has no matching '{lacks}'.",
            "Add the missing brace (a question's answers end with '}' "
            "before any blank line), or escape a literal brace as \\{ or \\}.",
        )

    def _read_description(self, answers: str) -> None:
        """A description has no answers."""

    def _read_essay(self, answers: str) -> None:
        """An essay is an empty answer block {}."""

    def _read_multichoice(self, answers: str) -> None:
        """`=right ~wrong ~%50%partial #feedback`; with no '=' at all, several answers may be right."""
        question = self.question
        question.single = "=" in answers
        parts = drop_empty_first(answers.replace("=", "~=").split("~"))
        if len(parts) < 2:
            self._too_few(
                "A multiple-choice question needs at least 2 answers", "Add answers: =right ~wrong."
            )
        for part in parts:
            answer = php_trim(part)
            if answer.startswith("="):
                fraction, answer, weight = 1.0, answer[1:], ""
                if _WEIGHT.match(answer):
                    self._warn(
                        self.brace,
                        "weightignored",
                        f"'={restore(answer)}' is a right answer at 100 %: Moodle keeps the weight in "
                        "the answer text.",
                        f"Write ~{restore(answer)} for a partial grade.",
                    )
            else:
                fraction, answer, weight = self._weight(answer, 0.0)
            text, feedback = split_comment(answer, question.text_format)
            if text == "":
                self._warn(
                    self.brace,
                    "emptyanswer",
                    "An answer is empty; Moodle drops empty answers.",
                    "Remove the extra '~' or '='.",
                )
            question.answers.append(MoodleAnswer(text, fraction, feedback))
            self.weights.append(weight)

    def _read_match(self, answers: str) -> None:
        """`=left -> right` pairs (at least 2); `= -> extra` adds a distractor on the right."""
        parts = drop_empty_first(answers.split("="))
        if len(parts) < 2:
            self._too_few("A matching question needs at least 2 pairs", "Add pairs: =left -> right.")
        for part in parts:
            pair = php_trim(part)
            marker = pair.find("->")
            if marker == -1:
                self._error(
                    self.brace,
                    "giftmatchingformat",
                    f"The matching pair '{restore(pair)}' has no '->'.",
                    "Write each pair as =left -> right.",
                )
            left = with_format(pair[:marker], self.question.text_format)[1]
            self.question.subquestions.append((left, php_trim(restore(pair[marker + 2 :]))))

    def _read_truefalse(self, answers: str) -> None:
        """{T} {TRUE} {F} {FALSE}, then #feedback for a wrong answer #feedback for a right one."""
        question = self.question
        bits = [with_format(php_trim(bit), question.text_format)[1] for bit in answers.split("#", 2)]
        wrong, right = (bits[1:] + ["", ""])[:2]
        correct = bits[0] in ("T", "TRUE")
        question.truefalse_feedback = (right, wrong) if correct else (wrong, right)
        question.answers = [
            MoodleAnswer("true", 1.0 if correct else 0.0, question.truefalse_feedback[0]),
            MoodleAnswer("false", 0.0 if correct else 1.0, question.truefalse_feedback[1]),
        ]

    def _read_shortanswer(self, answers: str) -> None:
        """`=answer =%50%other #feedback`: every answer is right (100 %) unless weighted."""
        check = _before_feedback(answers)
        if check.upper() in _TRUE_FALSE:
            self._warn(
                self.brace,
                "lowercasetruefalse",
                f"{{{check}}} is read as a short answer '{check}': true/false needs capitals.",
                "Write {T}, {TRUE}, {F} or {FALSE}.",
            )
        parts = drop_empty_first(answers.split("="))
        if not parts:
            self._too_few("A short-answer question needs at least one answer", "Add an answer: {=answer}.")
        for part in parts:
            fraction, answer, weight = self._weight(php_trim(part), 1.0)
            text, feedback = split_comment(answer, self.question.text_format)
            self.question.answers.append(MoodleAnswer(text, fraction, feedback))
            self.weights.append(weight)

    def _read_numerical(self, answers: str) -> None:
        """`#3.14:0.01`, `#1..5`, `#=1822:0 =%50%1822:2`; after '~', feedback for any other response."""
        rest = answers[1:]
        tilde = rest.find("~")
        other, rest = (rest[tilde:], rest[:tilde]) if tilde != -1 else ("", rest)
        parts = drop_empty_first(rest.split("="))
        if not parts:
            self._error(
                self.brace,
                "giftnonumericalanswers",
                "This numerical question has no answer after '#' (a lone 0 counts as none).",
                "Write the number after '#', e.g. {#3.14:0.01}.",
            )
        for part in parts:
            fraction, answer, weight = self._weight(php_trim(part), 1.0)
            text, feedback = split_comment(answer, self.question.text_format)
            value, tolerance = self._number(text)
            self.question.answers.append(MoodleAnswer(value, fraction, feedback, tolerance))
            self.weights.append(weight)
        if not php_empty(other):
            self.question.answers.append(
                MoodleAnswer("*", 0.0, split_comment(other, self.question.text_format)[1], 0.0)
            )
            self.weights.append("")

    def _number(self, text: str) -> tuple[str, float]:
        """(answer, tolerance) of `value`, `value:tolerance` or `low..high` (midpoint ± half-width)."""
        marker = text.find("..")
        if marker > 0:
            high, low = php_trim(text[marker + 2 :]), php_trim(text[:marker])
            if not (is_numeric(high) and is_numeric(low)):
                self._not_numbers(text)
            middle = (float(high) + float(low)) / 2
            return php_number(middle), float(high) - middle
        marker = text.find(":")
        value, tolerance = (text[:marker], text[marker + 1 :]) if marker > 0 else (text, "0")
        value, tolerance = php_trim(value), php_trim(tolerance)
        if not is_numeric(tolerance):
            self._not_numbers(text)
        if not is_numeric(value) and value != "*":
            # Moodle's check assigns '*' instead of comparing with it, so any text becomes "any answer".
            self._warn(
                self.brace,
                "notanumber",
                f"'{value}' is not a number: Moodle imports it as '*', which accepts every response.",
                "Write a number, e.g. {#3.14:0.01}.",
            )
            value = "*"
        return value, float(tolerance)

    def _weight(self, answer: str, default: float) -> tuple[float, str, str]:
        """(fraction, answer without its weight, weight as written) of an answer that may start `%50%`."""
        found = _WEIGHT.match(answer)
        if not found:
            return default, answer, ""
        number = found.group()[1:-1]
        if number.count("-") > 1:
            self._error(
                self.brace,
                "invalidgrade",
                f"The weight {found.group()} is not a number.",
                "Write a weight such as %50% or %-25%.",
            )
        return float(number) / 100, answer[found.end() :], found.group()

    def check_grades(self, question: MoodleQuestion) -> bool:
        """Whether every weight is on Moodle's grade list (snapping them to it); else a located error."""
        invalid = apply_grade_list(question)
        if not invalid:
            return True
        index = invalid[0]
        weight = self.weights[index] if index < len(self.weights) else ""
        found = self.block.text.find(weight, self.brace) if weight else -1
        grades = ", ".join(
            f"{fraction * 100:g}%" for fraction in (question.answers[i].fraction for i in invalid)
        )
        self._record(
            self.report.errors,
            found if found != -1 else self.brace,
            "invalidgradequestion",
            f"Moodle refuses this question: these weights are not on its grade list: {grades}.",
            f"Use one of {grade_list_text()} (or their negatives), e.g. 33.33333 rather than 33.3.",
        )
        return False

    def _too_few(self, message: str, hint: str) -> None:
        self._error(self.brace, "importminerror", f"{message}; Moodle refuses it.", hint)

    def _not_numbers(self, text: str) -> None:
        self._error(
            self.brace,
            "errornotnumbers",
            f"'{text}': numerical answers and tolerances must be numbers.",
            "Write value:tolerance or low..high, e.g. {#3.14:0.01} or {#1..5}.",
        )

    def _error(self, index: int, code: str, message: str, hint: str) -> None:
        """Record an error Moodle would stop on, and give up this question."""
        self._record(self.report.errors, index, code, message, hint)
        raise _Refused

    def _warn(self, index: int, code: str, message: str, hint: str) -> None:
        self._record(self.report.warnings, index, code, message, hint)

    def _record(self, where: list[Located], index: int, code: str, message: str, hint: str) -> None:
        line, column = self.block.locate(index)
        label = self.title or default_question_name(restore(self.text.split("{")[0]))
        where.append(Located(line, column, label, message, hint, code))


def _split_general_feedback(answers: str | None) -> tuple[str | None, str]:
    """(answers, general feedback): general feedback follows the last '####' inside the braces."""
    if answers is None:
        return None, ""
    separator = answers.rfind("####")
    if separator == -1:
        return answers, ""
    return php_trim(answers[:separator]), answers[separator + 4 :]


def _before_feedback(answers: str) -> str:
    """The answers up to the first '#' (when one follows some text), as Moodle checks for true/false."""
    hash_at = answers.find("#")
    return php_trim(answers[:hash_at]) if hash_at > 0 else answers


def _question_type(answers: str) -> str:
    """Moodle's type decision, in order: {} essay, # numerical, ~ multichoice, = and -> match, T/F, short."""
    if answers == "":
        return "essay"
    if answers.startswith("#"):
        return "numerical"
    if "~" in answers:
        return "multichoice"
    if "=" in answers and "->" in answers:
        return "match"
    return "truefalse" if _before_feedback(answers) in _TRUE_FALSE else "shortanswer"
