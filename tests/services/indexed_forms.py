"""Answer forms written in authored indexes (as the service tests build them), sent as a page sends them: with
the slot's opaque tokens (quizapp/domain/answer_tokens.py)."""

from __future__ import annotations

from quizapp.domain.questions import QuestionType
from quizapp.services.attempt_views import AttemptView, SlotView
from quizapp.services.attempts import save_answer


def as_sent(slot: SlotView, form: dict[str, list[str]]) -> dict[str, list[str]]:
    """A form written with authored indexes (as the tests here build them), as the slot's page sends it: with
    its opaque tokens. Values that name no index (tampering tests) are sent as they are."""
    items, options = slot.tokens.items, slot.tokens.options

    def token(tokens: tuple[str, ...], value: str) -> str:
        return tokens[int(value)] if value.isdigit() and int(value) < len(tokens) else value

    sent: dict[str, list[str]] = {}
    for name, values in form.items():
        kind, _, index = name.partition("-")
        if name == "answer" and slot.question.type in (
            QuestionType.SINGLE_CHOICE,
            QuestionType.MULTIPLE_CHOICE,
        ):
            sent[name] = [token(items, v) for v in values]
        elif kind == "position":
            sent[f"position-{token(items, index)}"] = values
        elif kind == "match":
            sent[f"match-{token(items, index)}"] = [token(options, v) for v in values]
        else:
            sent[name] = values
    return sent


def save_indexed(view: AttemptView, position: int, form: dict[str, list[str]]) -> bool:
    """`save_answer` with a form written in authored indexes (see `as_sent`)."""
    return save_answer(view, position, as_sent(view.slot(position), form))
