"""Opaque form values: what a question page sends says nothing about the key or the authored order.

A choice, an item to order and an option to match are each named on the page by a token made from a server
secret and the attempt's question slot (an HMAC), never by their authored index: the first authored choice
(often the key in hand-written banks), the "right option for row i is option i" of a matching question and
the authored order of an ordering question cannot be read or guessed from the HTML. The server maps the
tokens back.
Tokens are stable for one slot (a page shown again keeps its values) and differ between slots and attempts.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from quizapp.domain.questions import Question

TOKEN_LENGTH = 12  # hex characters: 48 bits, far beyond guessing a question's handful of values


@dataclass(frozen=True)
class AnswerTokens:
    """The tokens of one question slot, in authored order: `items[i]` names `question.items[i]` (a choice, an
    item to order or a left item to match), `options[j]` names `question.match_options[j]`."""

    items: tuple[str, ...] = ()
    options: tuple[str, ...] = ()

    def item_index(self, token: str) -> int | None:
        """The authored index of the choice, item to order or left item `token` names; None if none."""
        return _index(self.items, token)

    def option_index(self, token: str) -> int | None:
        """The authored index of the matching option `token` names; None if none."""
        return _index(self.options, token)


def _index(tokens: tuple[str, ...], token: str) -> int | None:
    try:
        return tokens.index(token)
    except ValueError:
        return None


def _tokens(key: bytes, slot_ref: str, kind: str, count: int) -> tuple[str, ...]:
    made = tuple(
        hmac.digest(key, f"{slot_ref}/{kind}/{i}".encode(), "sha256").hex()[:TOKEN_LENGTH]
        for i in range(count)
    )
    assert len(set(made)) == count, "two values of one question share a token"  # 1 in 10^13 at most
    return made


def answer_tokens(key: bytes, slot_ref: str, question: Question) -> AnswerTokens:
    """The tokens naming `question`'s choices, items and matching options in the slot `slot_ref`.

    `key` is the server's secret (never sent); `slot_ref` names the question's place in one attempt.
    """
    return AnswerTokens(
        items=_tokens(key, slot_ref, "item", len(question.items)),
        options=_tokens(key, slot_ref, "option", len(question.match_options)),
    )
