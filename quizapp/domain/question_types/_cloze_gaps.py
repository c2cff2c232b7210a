"""One gap of a cloze question: what a learner gives for it (from the form), what it earns, and its fields on
the page. The gaps come from the prompt (domain/cloze_syntax.py); the question type is in cloze.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.cloze_syntax import CHOICE_KINDS, Cloze, Gap, GapAnswer, parse_cloze
from quizapp.domain.question_types.base import (
    MAX_TEXT,
    Form,
    InvalidAnswer,
    normalise_text_answer,
    parse_number,
)

GapGiven = str | float | tuple[str, ...] | None  # a text, a number, a choice, the choices ticked; None: blank
FIELD = "gap-"  # each gap's field is FIELD + its number; choices are valued by the slot's tokens


@lru_cache(maxsize=512)
def cloze_of(prompt: str) -> Cloze:
    """The prompt read for its gaps (cached: a page asks for it several times)."""
    return parse_cloze(prompt)


def choice_offsets(cloze: Cloze) -> tuple[int, ...]:
    """Where each gap's choices start in the question's flattened `items` (every choice gap's choices)."""
    offsets, at = [], 0
    for gap in cloze.gaps:
        offsets.append(at)
        at += len(gap.choices)
    return tuple(offsets)


def _wildcard(pattern: str, text: str, case_sensitive: bool) -> bool:
    """Moodle's short-answer comparison: `*` stands for any characters, `\\*` for a star."""
    parts = [re.escape(p).replace(r"\*", ".*") for p in pattern.split("\\*")]
    flags = re.S if case_sensitive else re.S | re.I
    return re.fullmatch(r"\*".join(parts), text, flags) is not None


def _same_text(gap: Gap, accepted: str, typed: str) -> bool:
    if gap.case_sensitive:
        return _wildcard(accepted.strip(), typed.strip(), True)
    return _wildcard(normalise_text_answer(accepted), normalise_text_answer(typed), False)


def matching_answer(gap: Gap, given: GapGiven) -> GapAnswer | None:
    """The alternative a typed or chosen answer matches: the first in written order, as Moodle's."""
    if given is None:
        return None
    for answer in gap.answers:
        if gap.base == "NUMERICAL" and isinstance(given, float):
            value = answer.number
            if answer.text.strip() == "*" or (
                value is not None and abs(given - value) <= answer.tolerance + 1e-9
            ):
                return answer
        elif (gap.base == "SHORTANSWER" and _same_text(gap, answer.text, str(given))) or (
            gap.base == "MULTICHOICE" and answer.text == given
        ):
            return answer
    return None


def gap_score(gap: Gap, given: GapGiven) -> float:
    """The fraction (0..1) of its weight a gap earns: the matched alternative's grade; a multi-response
    gap adds up the grades of the choices ticked (between 0 and 1)."""
    if given is None:
        return 0.0
    if gap.base == "MULTIRESPONSE":
        ticked = set(given) if isinstance(given, tuple) else set()
        return min(1.0, max(0.0, sum(a.fraction for a in gap.answers if a.text in ticked)))
    match = matching_answer(gap, given)
    return min(1.0, max(0.0, match.fraction)) if match else 0.0


def gap_feedback(gap: Gap, given: GapGiven) -> tuple[str, ...]:
    """The author's feedback on what was given for one gap (each ticked choice's, for a multi-response)."""
    if gap.base == "MULTIRESPONSE":
        ticked = set(given) if isinstance(given, tuple) else set()
        return tuple(a.feedback for a in gap.answers if a.text in ticked and a.feedback)
    match = matching_answer(gap, given)
    return (match.feedback,) if match and match.feedback else ()


def gap_key(gap: Gap) -> GapGiven:
    """What earns a gap its whole weight: the best alternative (every right choice of a multi-response)."""
    if gap.base == "MULTIRESPONSE":
        return tuple(a.text for a in gap.answers if a.fraction > 0)
    best = max(gap.answers, key=lambda a: a.fraction)
    if gap.base == "NUMERICAL":
        return best.number if best.number is not None else 0.0
    return best.text


def gap_in_words(given: GapGiven) -> str:
    if given is None:
        return "(blank)"
    if isinstance(given, tuple):
        return ", ".join(given) or "(none ticked)"
    return f"{given:g}" if isinstance(given, float) else given


def _picked(gap: Gap, number: int, offset: int, values: Sequence[str], tokens: AnswerTokens) -> GapGiven:
    """The choice (or choices) a gap's tokens name; InvalidAnswer for a token of another gap or none."""
    picked = []
    for value in values:
        index = tokens.item_index(value)
        if index is None or not offset <= index < offset + len(gap.choices):
            raise InvalidAnswer(f"Gap {number}: that choice is not one of this gap's options.")
        picked.append(gap.choices[index - offset])
    if gap.base == "MULTICHOICE":
        if len(picked) > 1:
            raise InvalidAnswer(f"Gap {number}: choose one option only.")
        return picked[0]
    return tuple(c for c in gap.choices if c in picked)


def read_gap(gap: Gap, number: int, offset: int, form: Form, tokens: AnswerTokens) -> GapGiven:
    """What the form gives for gap `number`; None when it is left blank."""
    values = [v for v in form.get(f"{FIELD}{number}") or [] if v.strip()]
    if not values:
        return None
    if gap.base in CHOICE_KINDS:
        return _picked(gap, number, offset, values, tokens)
    if len(values) > 1:
        raise InvalidAnswer(f"Gap {number}: give one answer only.")
    text = values[0].strip()
    if len(text) > MAX_TEXT:
        raise InvalidAnswer(f"Gap {number}: keep the answer under {MAX_TEXT} characters.")
    if gap.base == "NUMERICAL":
        try:
            return parse_number(text)
        except InvalidAnswer as exc:
            raise InvalidAnswer(f"Gap {number}: {exc}") from exc
    return text


@dataclass(frozen=True)
class GapOption:
    """A choice of a gap as the page shows it: its opaque token and its text."""

    token: str
    text: str


@dataclass(frozen=True)
class GapField:
    """One gap's field on the page: its number, form name, control (text, number, menu, radio, checkbox),
    layout (vertical or horizontal radios and checkboxes) and options in the order shown."""

    number: int
    name: str
    control: str
    layout: str
    options: tuple[GapOption, ...] = ()


def gap_fields(cloze: Cloze, tokens: AnswerTokens, item_order: Sequence[int]) -> tuple[GapField, ...]:
    """The fields of every gap; a shuffled gap (MULTICHOICE_S...) shows its choices in the slot's order,
    the others as written (Moodle's)."""
    rank = {index: place for place, index in enumerate(item_order)}
    fields = []
    for number, (gap, offset) in enumerate(zip(cloze.gaps, choice_offsets(cloze), strict=True), start=1):
        indexes = list(range(offset, offset + len(gap.choices)))
        if gap.shuffled:
            indexes.sort(key=lambda i: rank.get(i, i))
        options = tuple(GapOption(tokens.items[i], gap.choices[i - offset]) for i in indexes)
        control = {"NUMERICAL": "number", "SHORTANSWER": "text", "MULTIRESPONSE": "checkbox"}.get(gap.base)
        control = control or ("menu" if gap.layout == "menu" else "radio")
        fields.append(GapField(number, f"{FIELD}{number}", control, gap.layout, options))
    return tuple(fields)
