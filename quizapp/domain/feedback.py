"""The author's feedback on one answer: Moodle shows the feedback of each answer a learner gave."""

from __future__ import annotations

from quizapp.domain.questions import Answer, Question, QuestionType
from quizapp.domain.scoring import normalise_text_answer


def answer_feedback(question: Question, given: Answer | None) -> tuple[str, ...]:
    """The feedback texts written for `given`: the choice picked (each one ticked), True or False, or the
    accepted answer typed. () when the author wrote none for it."""
    if not question.feedback or given is None:
        return ()
    texts: list[str] = []
    if question.type is QuestionType.SINGLE_CHOICE and given in question.choices:
        texts = [question.feedback[question.choices.index(given)]]  # type: ignore[arg-type]
    elif question.type is QuestionType.MULTIPLE_CHOICE:
        ticked = set(given)  # type: ignore[arg-type]
        pairs = zip(question.choices, question.feedback, strict=True)
        texts = [text for choice, text in pairs if choice in ticked]
    elif question.type is QuestionType.TRUE_FALSE:
        texts = [question.feedback[0 if given else 1]]
    elif question.type is QuestionType.FILL_BLANK:
        typed = normalise_text_answer(str(given))
        texts = [
            text
            for accepted, text in zip(question.answer, question.feedback, strict=True)  # type: ignore[arg-type]
            if normalise_text_answer(accepted) == typed
        ][:1]
    return tuple(text for text in texts if text)
