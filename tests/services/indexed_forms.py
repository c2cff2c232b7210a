"""Answer forms written in authored indexes (as the service tests build them), sent as a page sends them: with
the slot's opaque tokens (quizapp/domain/answer_tokens.py)."""

from __future__ import annotations

from quizapp.domain.question_types._cloze_gaps import FIELD, cloze_of
from quizapp.domain.questions import QuestionType
from quizapp.services.attempt_views import AttemptView, SlotView
from quizapp.services.attempts import save_answer

# The types whose `answer` names a choice by its token (true/false sends true or false; typed ones text).
CHOSEN_BY_TOKEN = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.EVIDENCE)


def as_sent(slot: SlotView, form: dict[str, list[str]]) -> dict[str, list[str]]:
    """A form written with authored indexes (as the tests here build them), as the slot's page sends it: with
    its opaque tokens. Values that name no index (tampering tests) are sent as they are."""
    items, options = slot.tokens.items, slot.tokens.options

    def token(tokens: tuple[str, ...], value: str) -> str:
        return tokens[int(value)] if value.isdigit() and int(value) < len(tokens) else value

    question = slot.question
    choice_gaps = (
        {f"{FIELD}{n}" for n, gap in enumerate(cloze_of(question.prompt).gaps, start=1) if gap.choices}
        if question.type is QuestionType.CLOZE
        else set()
    )
    sent: dict[str, list[str]] = {}
    for name, values in form.items():
        kind, _, index = name.partition("-")
        if (name == "answer" and question.type in CHOSEN_BY_TOKEN) or name in choice_gaps:
            sent[name] = [token(items, v) for v in values]
        elif name == "evidence":  # the sentences offered (an evidence question's options)
            sent[name] = [token(options, v) for v in values]
        elif kind == "position":
            sent[f"position-{token(items, index)}"] = values
        elif kind in ("match", "group"):  # an item's option, or its group (categorise)
            sent[f"{kind}-{token(items, index)}"] = [token(options, v) for v in values]
        else:
            sent[name] = values
    return sent


def save_indexed(view: AttemptView, position: int, form: dict[str, list[str]]) -> bool:
    """`save_answer` with a form written in authored indexes (see `as_sent`)."""
    return save_answer(view, position, as_sent(view.slot(position), form))
