"""Essay: free text the learner writes and a teacher marks by hand (quizapp/services/marking.py).

It has no key: nothing scores it when it is saved (`auto_scored` is False), its response waits for the
teacher's points and comment. Optional: a word limit (enforced when the answer is sent), a marking guide
(shown to the teacher only) and a template the answer box starts with (Moodle's essay fields;
docs/question-format.md).
"""

from __future__ import annotations

import re
from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.question_types.base import Form, InvalidAnswer, NoAnswer, QuestionKind, Raw
from quizapp.domain.question_types.editing import Draft, Values, text_of
from quizapp.domain.questions import Answer, Problem, Question, QuestionType

MAX_ESSAY = 20_000  # characters of an answer: a long essay, never a file's worth
MAX_WORD_LIMIT = 5_000  # a limit above this would never be reached within MAX_ESSAY characters
_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    """Words as Moodle counts them for its word limits: runs of characters between spaces."""
    return len(_WORD.findall(text))


def word_limit_problem(value: Any) -> str | None:
    """What is wrong with a word limit as written in a file (None, or a whole number 1..MAX_WORD_LIMIT)."""
    if value is None or (
        isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_WORD_LIMIT
    ):
        return None
    return f"word_limit must be a whole number of words from 1 to {MAX_WORD_LIMIT:,}"


def parse_word_limit(text: str) -> int:
    """A word limit typed in the editor ('' for none, '250', '1,000'); else ValueError with a sentence."""
    cleaned = re.sub(r"[\s,.\u202f\u00a0]", "", text)
    if not cleaned:
        return 0
    if not cleaned.isdigit() or not 0 < int(cleaned) <= MAX_WORD_LIMIT:
        raise ValueError(f"Write a whole number of words from 1 to {MAX_WORD_LIMIT:,}, or leave it empty.")
    return int(cleaned)


def _essay_text(form: Form) -> str:
    values = form.get("answer") or []
    if len(values) > 1:
        raise InvalidAnswer("Write one answer only.")
    return (values[0] if values else "").replace("\r\n", "\n").strip()


class Essay(QuestionKind):
    name = QuestionType.ESSAY
    label = "Essay (marked by the teacher)"
    typed = True
    auto_scored = False
    answer_field = "marking_guide"
    list_field = "marking_guide"

    # ---- the file form

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        if raw.get("answer") in (None, "", []):
            return []
        return [
            Problem(
                qid,
                "an essay has no answer key: the teacher marks each response",
                "remove 'answer'; write a marking_guide for the teacher instead",
            )
        ]

    def check_fields(self, qid: str, raw: Raw) -> list[Problem]:
        problems = super().check_fields(qid, raw)
        limit = word_limit_problem(raw.get("word_limit"))
        if limit:
            problems.append(Problem(qid, limit, "word_limit: 300, or leave it out for no limit"))
        for key in ("marking_guide", "response_template"):
            if not isinstance(raw.get(key) or "", str):
                problems.append(Problem(qid, f"{key} must be a text", f"{key}: '...'"))
        if len(str(raw.get("response_template") or "")) > MAX_ESSAY:
            problems.append(Problem(qid, "response_template is too long", f"under {MAX_ESSAY:,} characters"))
        return problems

    def build_answer(self, raw: Raw) -> Answer:
        return None

    # ---- taking

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        """The text typed, its line breaks kept; NoAnswer when blank or left as the template. Too long, or
        over the word limit: InvalidAnswer saying by how much (nothing is stored)."""
        text = _essay_text(form)
        if not text or text == question.response_template.replace("\r\n", "\n").strip():
            raise NoAnswer()
        if len(text) > MAX_ESSAY:
            raise InvalidAnswer(
                f"Your answer has {len(text):,} characters; the most is {MAX_ESSAY:,}. "
                "Shorten it, then send it again."
            )
        words = count_words(text)
        if question.word_limit and words > question.word_limit:
            over = words - question.word_limit
            raise InvalidAnswer(
                f"Your answer has {words:,} words; the limit is {question.word_limit:,}. "
                f"Remove {over:,} word{'s' if over != 1 else ''}, then send it again."
            )
        return text

    def answer_from_json(self, stored: Any) -> Answer:
        return str(stored)

    def form_values(self, question: Question, answer: Answer) -> dict[str, Any]:
        return {"text": str(answer)}

    def key_answer(self, question: Question) -> Answer:
        """An answer a learner could give (an essay has no key: any text is marked by the teacher)."""
        return "The Chang’e missions brought back samples from the far side of the moon."

    def key_in_words(self, question: Question) -> str:
        return "Marked by your teacher"

    def score(self, question: Question, given: Answer) -> float:
        """Never: a teacher marks an essay (services/marking.py); the services check `auto_scored` first."""
        raise TypeError("an essay is marked by a teacher, never scored when it is saved")

    # ---- the editor

    def from_form(self, draft: Draft, values: Values) -> None:
        try:
            limit = parse_word_limit(text_of(values.get("word_limit")))
        except ValueError as exc:
            draft.fail("word_limit", str(exc))
            limit = 0
        if limit:
            draft.question["word_limit"] = limit
        for key in ("marking_guide", "response_template"):
            text = str(values.get(key) or "").strip()
            if text:
                draft.question[key] = text

    def to_form(self, content: Raw, values: dict[str, Any]) -> None:
        values["word_limit"] = str(content.get("word_limit") or "")
        values["marking_guide"] = content.get("marking_guide") or ""
        values["response_template"] = content.get("response_template") or ""

    # ---- reports

    def bar_values(self, question: Question) -> tuple[tuple[str, Any], ...] | None:
        """No answer bars: every essay is its own text (the marking page shows them one by one)."""
        return ()


KIND = Essay()
