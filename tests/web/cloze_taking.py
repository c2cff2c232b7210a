"""Cloze answers for the page helpers (tests/web/taking.py): a wrong or partly right answer, and the form
fields a browser sends for an answer (one field per gap, choices by the slot's tokens)."""

from __future__ import annotations

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.cloze_syntax import Gap
from quizapp.domain.question_types._cloze_gaps import FIELD, GapGiven, choice_offsets, cloze_of, gap_key
from quizapp.domain.questions import Answer, Question


def wrong_gap(gap: Gap) -> GapGiven:
    """An answer that earns a gap nothing."""
    if gap.base == "NUMERICAL":
        key = gap_key(gap)
        return float(key) + max(a.tolerance for a in gap.answers) + 1000  # type: ignore[arg-type]
    if gap.base == "SHORTANSWER":
        return "certainly not this"
    wrong = [a.text for a in gap.answers if a.fraction <= 0]
    return tuple(wrong) if gap.base == "MULTIRESPONSE" else wrong[0]


def cloze_wrong(question: Question) -> Answer:
    """Every gap wrong."""
    return tuple(wrong_gap(gap) for gap in cloze_of(question.prompt).gaps)  # type: ignore[return-value]


def cloze_partial(question: Question) -> Answer:
    """The first gap wrong, the others right."""
    gaps = cloze_of(question.prompt).gaps
    return (wrong_gap(gaps[0]), *(gap_key(g) for g in gaps[1:]))  # type: ignore[return-value]


def cloze_partial_points(question: Question) -> float:
    """What `cloze_partial` earns: every gap's weight but the first's, of the total."""
    weights = [g.weight for g in cloze_of(question.prompt).gaps]
    return (sum(weights) - weights[0]) / sum(weights)


def cloze_fields(question: Question, answer: Answer, tokens: AnswerTokens) -> dict[str, str | list[str]]:
    """One field per gap answered: the text or number typed, or the tokens of the choices picked."""
    cloze = cloze_of(question.prompt)
    fields: dict[str, str | list[str]] = {}
    for number, (gap, offset, given) in enumerate(
        zip(cloze.gaps, choice_offsets(cloze), answer, strict=True),  # type: ignore[arg-type]
        start=1,
    ):
        name = f"{FIELD}{number}"
        if given is None:
            continue
        if gap.choices:
            picked = given if isinstance(given, tuple) else (given,)
            fields[name] = [tokens.items[offset + gap.choices.index(c)] for c in picked]
        else:
            fields[name] = f"{given:g}" if isinstance(given, float) else str(given)
    return fields
