"""What the type modules share to map their questions to and from Moodle's (domain/formats/mapping.py asks
each type through `from_moodle` and `to_moodle`; docs/import-export.md says what each type keeps)."""

from __future__ import annotations

from typing import Protocol

from quizapp.domain.formats.model import MoodleQuestion
from quizapp.domain.questions import Question

Warnings = list[tuple[str, str]]  # (message, hint) of each harmless change, located by the caller
FULL = 0.9999999  # a fraction this high counts as 100 % (Moodle stores 1.0000000)


class NotMappable(Exception):
    """quizapp cannot hold this question as the file has it; `hint` says how to change the file."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


class MoodleTexts(Protocol):
    """How one question's Moodle texts become quizapp texts (mapping.py's `_Texts`)."""

    format: str  # "html" or "plain": the quizapp format of every text of the question

    def __call__(self, text: str) -> str:
        """One text of the question in the quizapp format."""
        ...

    def plain_right(self, text: str) -> str:
        """A right-hand matching text (always plain in Moodle) in the question's format."""
        ...

    def other(self, text: str, text_format: str) -> str:
        """A text with its own Moodle format (an essay's graderinfo) in the question's format."""
        ...


def kept_answers(moodle: MoodleQuestion, texts: MoodleTexts) -> list[tuple[str, float, str]]:
    """(text, fraction, feedback) of each answer; empty answers are dropped, as Moodle drops them."""
    return [(texts(a.text), a.fraction, texts(a.feedback)) for a in moodle.answers if a.text.strip()]


def with_feedback(feedback: list[str]) -> list[str]:
    """Feedback texts as quizapp stores them: none at all when every one is empty."""
    return feedback if any(feedback) else []


def feedback_at(question: Question, index: int) -> str:
    """The author's feedback for answer `index` ('' when there is none)."""
    return question.feedback[index] if index < len(question.feedback) else ""
