"""Sort into groups: the learner puts each item into one of 2 to 4 groups (a radio button per group, so no
dragging is needed: WCAG 2.5.7); each item in its right group earns a share.

File form: `groups: [Landers, Orbiters]` and `answer: [[Chang’e-3, Landers], ...]`, every item once and every
group used at least once. The groups are kept in the question's own `groups` field.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.question_types.base import (
    Form,
    InvalidAnswer,
    Mark,
    NoAnswer,
    Raw,
    alternatives_problems,
    chosen,
    extra_options_problems,
)
from quizapp.domain.question_types.editing import Draft, Values, rows_of, text_of
from quizapp.domain.question_types.matching import Matching
from quizapp.domain.questions import Answer, Problem, Question, QuestionType

LEAST_GROUPS, MOST_GROUPS = 2, 4
FIELD = "group-"  # a radio group per item, named FIELD + the item's token, valued by the groups' tokens


def _groups_ok(groups: Any) -> bool:
    return (
        isinstance(groups, list)
        and LEAST_GROUPS <= len(groups) <= MOST_GROUPS
        and all(isinstance(g, str) and g.strip() for g in groups)
        and len({g.strip().casefold() for g in groups}) == len(groups)
    )


def _hits(question: Question, given: Answer) -> int:
    key = dict(question.answer)  # type: ignore[arg-type]
    return sum(1 for item, group in given if key.get(item) == group)  # type: ignore[misc,union-attr]


class Categorise(Matching):
    """Matching's answer (item, group pairs), its file form, stored form, words and score (1/n per item in
    its group), with groups instead of a right-hand column, radio buttons instead of menus, and no Moodle
    equivalent."""

    name = QuestionType.CATEGORISE
    moodle_types = ()
    label = "Sort into groups"
    editor_lists = MappingProxyType({"groups": (), "sorts": ("item", "group")})
    answer_field = "sorts"
    answer_missing = "Write at least 2 items, each with its group."

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        groups, answer = raw.get("groups"), raw["answer"]
        if not _groups_ok(groups):
            return [
                Problem(
                    qid,
                    f"groups must be {LEAST_GROUPS} to {MOST_GROUPS} different texts",
                    "groups: [Landers, Orbiters]",
                )
            ]
        shape_ok = isinstance(answer, list) and all(
            isinstance(p, list | tuple) and len(p) == 2 and all(isinstance(x, str) and x.strip() for x in p)
            for p in answer
        )
        if not shape_ok:
            return [
                Problem(qid, "answer must be a list of [item, group] pairs", "answer: [[Chang’e-3, Landers]]")
            ]
        if len(answer) < least:
            return [Problem(qid, f"only {len(answer)} items to sort", f"give at least {least} items")]
        items = [p[0] for p in answer]
        if len(set(items)) != len(items):
            return [Problem(qid, "an item appears twice", "make every item different")]
        strays = sorted({p[1] for p in answer} - set(groups))  # type: ignore[arg-type]
        if strays:
            return [
                Problem(
                    qid,
                    f"answer puts an item in “{strays[0]}”, which is not one of the groups",
                    "use the groups' texts exactly",
                )
            ]
        empty = [g for g in groups if g not in {p[1] for p in answer}]  # type: ignore[union-attr]
        if empty:
            return [
                Problem(
                    qid, f"no item of the answer is in the group “{empty[0]}”", "put an item in every group"
                )
            ]
        return []

    def check_fields(self, qid: str, raw: Raw) -> list[Problem]:
        return extra_options_problems(qid, raw, allowed=False) + alternatives_problems(
            qid, raw, allowed=False
        )

    def match_options(self, question: Question) -> tuple[str, ...]:
        """The groups, in authored order (the slot's option order shuffles them)."""
        return question.groups

    # ---- taking (the answer is stored and shown in words as matching's pairs are)

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        items, groups = question.items, question.match_options
        raw = [form.get(f"{FIELD}{t}") or [] for t in tokens.items]
        if any(len(values) > 1 for values in raw):
            raise InvalidAnswer("Put each item in one group only.")
        picked = [values[0] if values else "" for values in raw]
        if not any(picked):
            raise NoAnswer()
        left = [item for item, value in zip(items, picked, strict=True) if not value]
        if left:
            raise InvalidAnswer(f"Put every item in a group: “{left[0]}” has none yet.")
        return tuple(
            (item, groups[chosen(tokens.option_index(value))])
            for item, value in zip(items, picked, strict=True)
        )

    def form_values(self, question: Question, answer: Answer) -> dict[str, Any]:
        return {"groups": dict(answer)}  # type: ignore[arg-type]

    def marks(self, question: Question, given: Answer, item_order: Sequence[int]) -> tuple[Mark, ...]:
        def mark(i: int) -> Mark:
            item = question.items[i]
            picked, key = dict(given).get(item, ""), dict(question.answer)[item]  # type: ignore[arg-type]
            if picked == key:
                return Mark(item, "right", f"your group “{picked}”, right")
            return Mark(item, "wrong", f"your group “{picked}”, wrong: it belongs in “{key}”")

        return tuple(mark(i) for i in item_order)

    def credit_note(self, question: Question, given: Answer, worth: str) -> str | None:
        n = len(question.answer)  # type: ignore[arg-type]
        return f"{_hits(question, given)} of {n} items in their right group: {worth} (a share each)."

    # ---- the editor: 2 to 4 group texts, then rows of an item and its group (typed, one of the groups)

    def from_form(self, draft: Draft, values: Values) -> None:
        groups = [text_of(row) for _, row in rows_of(values, "groups")]
        draft.question["groups"] = groups
        if not LEAST_GROUPS <= len(groups) <= MOST_GROUPS:
            draft.fail("groups", f"Write {LEAST_GROUPS} to {MOST_GROUPS} groups.")
        elif len({g.casefold() for g in groups}) != len(groups):
            draft.fail("groups", "Two groups have the same name: make every group different.")
        spelled = {g.casefold(): g for g in groups}
        sorts = []
        for i, row in rows_of(values, "sorts"):
            item, group = text_of(row.get("item")), text_of(row.get("group"))
            if not item:
                draft.fail(f"sorts-{i}-item", "Write the item, or clear this row.")
            if not group:
                draft.fail(f"sorts-{i}-group", "Write this item's group, or clear this row.")
            elif group.casefold() not in spelled:
                draft.fail(f"sorts-{i}-group", f"“{group}” is not one of the groups: type one of them.")
            sorts.append([item, spelled.get(group.casefold(), group)])
        draft.question["answer"] = sorts

    def to_form(self, content: Raw, values: dict[str, Any]) -> None:
        values["groups"] = list(content.get("groups") or [])
        values["sorts"] = [{"item": item, "group": group} for item, group in content.get("answer") or []]

    # ---- reports (clashes: each item with its group, as matching's pairs)

    def bar_values(self, question: Question) -> tuple[tuple[str, Any], ...]:
        """A bar per item and group: how many put the item there."""
        return tuple(
            (f"{item} → {group}", (item, group)) for item in question.items for group in question.groups
        )

    def picked_values(self, answer: Answer) -> tuple[Any, ...]:
        return tuple(answer)  # type: ignore[arg-type]

    def key_values(self, question: Question) -> tuple[Any, ...]:
        return tuple(question.answer)  # type: ignore[arg-type]


KIND = Categorise()
