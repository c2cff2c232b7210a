"""Opaque answer tokens: stable for one slot, different for every other slot or secret, never an index."""

from __future__ import annotations

import re

import pytest
from factories import ALL_TYPES, build_question

from quizapp.domain.answer_tokens import answer_tokens
from quizapp.domain.answers import InvalidAnswer, parse_answer
from quizapp.domain.questions import QuestionType

KEY = b"k" * 32


@pytest.mark.parametrize("qtype", ["single_choice", "multiple_choice", "ordering", "matching"])
def test_every_value_is_a_distinct_token_unrelated_to_its_index(qtype: str) -> None:
    question = build_question(qtype)
    tokens = answer_tokens(KEY, "slot-1", question)
    every = tokens.items + tokens.options
    assert len(tokens.items) == len(question.items)
    assert len(tokens.options) == len(question.match_options)
    assert all(re.fullmatch(r"[0-9a-f]{12}", t) for t in every)
    assert len(set(every)) == len(every)
    assert [tokens.item_index(t) for t in tokens.items] == list(range(len(tokens.items)))


def test_tokens_are_stable_for_a_slot_and_differ_by_slot_and_secret() -> None:
    question = build_question("matching")
    first = answer_tokens(KEY, "slot-1", question)
    assert answer_tokens(KEY, "slot-1", question) == first
    for other in (answer_tokens(KEY, "slot-2", question), answer_tokens(b"x" * 32, "slot-1", question)):
        assert not set(other.items + other.options) & set(first.items + first.options)


@pytest.mark.parametrize("qtype", ALL_TYPES)
def test_an_answer_sent_in_tokens_reads_back_as_the_key(qtype: str) -> None:
    question = build_question(qtype)
    tokens = answer_tokens(KEY, "slot-9", question)
    key = question.answer if question.kind.auto_scored else question.kind.key_answer(question)  # essay
    form: dict[str, list[str]] = {
        QuestionType.SINGLE_CHOICE: lambda: {"answer": [tokens.items[question.choices.index(key)]]},
        QuestionType.MULTIPLE_CHOICE: lambda: {
            "answer": [tokens.items[question.choices.index(c)] for c in key]
        },
        QuestionType.TRUE_FALSE: lambda: {"answer": ["true" if key else "false"]},
        QuestionType.FILL_BLANK: lambda: {"answer": [key[0]]},
        QuestionType.NUMERIC: lambda: {"answer": [str(key)]},
        QuestionType.ORDERING: lambda: {f"position-{t}": [str(i + 1)] for i, t in enumerate(tokens.items)},
        QuestionType.MATCHING: lambda: {
            f"match-{t}": [tokens.options[i]] for i, t in enumerate(tokens.items)
        },
        QuestionType.CATEGORISE: lambda: {
            f"group-{t}": [tokens.options[question.groups.index(key[i][1])]]
            for i, t in enumerate(tokens.items)
        },
        QuestionType.ESSAY: lambda: {"answer": [key]},
        QuestionType.EVIDENCE: lambda: {
            "answer": [tokens.items[question.choices.index(key[0])]],
            "evidence": [tokens.options[question.passage.index(s)] for s in key[1]],
        },
        QuestionType.CLOZE: lambda: {"gap-1": [key[0]], "gap-2": [f"{key[1]:g}"], "gap-3": [tokens.items[0]]},
    }[question.type]()  # type: ignore[index,operator,union-attr,arg-type]
    expected = key[0] if question.type is QuestionType.FILL_BLANK else key  # type: ignore[index]
    assert parse_answer(question, form, tokens) == expected


@pytest.mark.parametrize("sent", ["0", "1", "x" * 12])
def test_an_index_or_a_made_up_token_is_no_choice(sent: str) -> None:
    question = build_question("single_choice")
    with pytest.raises(InvalidAnswer, match="not one of this question's options"):
        parse_answer(question, {"answer": [sent]}, answer_tokens(KEY, "slot-1", question))


def test_another_slots_token_is_no_choice() -> None:
    question = build_question("single_choice")
    elsewhere = answer_tokens(KEY, "slot-2", question).items[0]
    with pytest.raises(InvalidAnswer):
        parse_answer(question, {"answer": [elsewhere]}, answer_tokens(KEY, "slot-1", question))
