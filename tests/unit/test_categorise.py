"""Sort into groups (categorise): the file form's rules, reading the form's radio buttons, scoring, marks,
answer bars and the editor's values."""

from __future__ import annotations

from typing import Any

import pytest
from factories import build_question, make_question

from quizapp.domain.analysis import answer_bars
from quizapp.domain.answer_tokens import answer_tokens
from quizapp.domain.answers import InvalidAnswer, NoAnswer, answer_in_words, parse_answer
from quizapp.domain.authoring import problem_errors, question_from_form
from quizapp.domain.feedback import answer_marks, credit_note
from quizapp.domain.questions import QuestionType, question_from_dict, validate_question
from quizapp.domain.scoring import score_response

KEY = b"c" * 32
# The factory's question: Chang’e-4 and Chang’e-6 are Landers, Queqiao is an Orbiter.
LANDERS, ORBITERS = "Landers", "Orbiters"


def messages(**overrides: Any) -> list[str]:
    return [p.message for p in validate_question(make_question("categorise", **overrides))]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"groups": ["Landers"]}, "groups must be 2 to 4 different texts"),
        ({"groups": ["A", "B", "C", "D", "E"]}, "groups must be 2 to 4 different texts"),
        ({"groups": ["Landers", "landers"]}, "groups must be 2 to 4 different texts"),
        ({"groups": ["Landers", " "]}, "groups must be 2 to 4 different texts"),
        ({"groups": None}, "groups must be 2 to 4 different texts"),
        (
            {"answer": [["Chang’e-4"], ["Queqiao", "Orbiters"]]},
            "answer must be a list of [item, group] pairs",
        ),
        ({"answer": [["Chang’e-4", "Landers"], ["Queqiao", "Orbiters"]]}, "only 2 items to sort"),
        (
            {"answer": [["Chang’e-4", "Landers"], ["Chang’e-4", "Orbiters"], ["Queqiao", "Orbiters"]]},
            "an item appears twice",
        ),
        (
            {"answer": [["Chang’e-4", "Landers"], ["Chang’e-6", "Rovers"], ["Queqiao", "Orbiters"]]},
            "answer puts an item in “Rovers”, which is not one of the groups",
        ),
        (
            {"answer": [["Chang’e-4", "Landers"], ["Chang’e-6", "Landers"], ["Queqiao", "Landers"]]},
            "no item of the answer is in the group “Orbiters”",
        ),
        ({"extra_options": ["Rovers"]}, "extra_options must be new right-hand texts of a matching question"),
    ],
)
def test_a_bad_file_form_says_what_is_wrong(overrides: dict[str, Any], expected: str) -> None:
    assert messages(**overrides) == [expected]


def test_teachers_sets_take_two_items_and_the_groups_round_trip() -> None:
    two = make_question("categorise", answer=[["Chang’e-4", "Landers"], ["Queqiao", "Orbiters"]])
    assert validate_question(two, strict=False) == []
    question = question_from_dict(two, strict=False)
    assert question.groups == (LANDERS, ORBITERS)
    assert question.match_options == (LANDERS, ORBITERS)
    assert question.items == ("Chang’e-4", "Queqiao")


def test_other_types_ignore_a_stray_groups_field_that_is_no_list() -> None:
    assert question_from_dict(make_question("matching", groups=3)).groups == ()


def _form(question: Any, tokens: Any, picks: dict[str, str]) -> dict[str, list[str]]:
    """The radio buttons a browser sends: item -> group, in the slot's tokens."""
    return {
        f"group-{tokens.items[question.items.index(item)]}": [tokens.options[question.groups.index(group)]]
        for item, group in picks.items()
    }


def test_the_radio_buttons_read_back_as_item_group_pairs() -> None:
    question = build_question("categorise")
    tokens = answer_tokens(KEY, "slot-1", question)
    picks = {"Queqiao": LANDERS, "Chang’e-4": ORBITERS, "Chang’e-6": LANDERS}
    given = parse_answer(question, _form(question, tokens, picks), tokens)
    assert given == (("Chang’e-4", ORBITERS), ("Chang’e-6", LANDERS), ("Queqiao", LANDERS))
    assert answer_in_words(question, given) == "Chang’e-4 → Orbiters; Chang’e-6 → Landers; Queqiao → Landers"


def test_nothing_sorted_is_no_answer_and_some_left_out_names_the_item() -> None:
    question = build_question("categorise")
    tokens = answer_tokens(KEY, "slot-1", question)
    with pytest.raises(NoAnswer):
        parse_answer(question, {}, tokens)
    with pytest.raises(NoAnswer):
        parse_answer(question, {f"group-{t}": [""] for t in tokens.items}, tokens)
    partly = _form(question, tokens, {"Chang’e-4": LANDERS, "Chang’e-6": LANDERS})
    with pytest.raises(InvalidAnswer, match="“Queqiao” has none yet"):
        parse_answer(question, partly, tokens)


@pytest.mark.parametrize("sent", ["0", "1", "x" * 12])
def test_an_index_or_a_made_up_group_token_is_refused(sent: str) -> None:
    question = build_question("categorise")
    tokens = answer_tokens(KEY, "slot-1", question)
    form = _form(question, tokens, {"Chang’e-4": LANDERS, "Chang’e-6": LANDERS, "Queqiao": ORBITERS})
    form[f"group-{tokens.items[0]}"] = [sent]
    with pytest.raises(InvalidAnswer, match="not one of this question's options"):
        parse_answer(question, form, tokens)


def test_another_slots_tokens_and_two_groups_for_one_item_are_refused() -> None:
    question = build_question("categorise")
    tokens, elsewhere = answer_tokens(KEY, "slot-1", question), answer_tokens(KEY, "slot-2", question)
    form = _form(question, elsewhere, {"Chang’e-4": LANDERS, "Chang’e-6": LANDERS, "Queqiao": ORBITERS})
    with pytest.raises(NoAnswer):  # none of the fields this page named was sent
        parse_answer(question, form, tokens)
    form = _form(question, tokens, {"Chang’e-4": LANDERS, "Chang’e-6": LANDERS, "Queqiao": ORBITERS})
    form[f"group-{tokens.items[0]}"] = list(tokens.options)
    with pytest.raises(InvalidAnswer, match="one group only"):
        parse_answer(question, form, tokens)
    form[f"group-{tokens.items[0]}"] = [elsewhere.options[0]]
    with pytest.raises(InvalidAnswer):
        parse_answer(question, form, tokens)


def test_each_item_in_its_right_group_earns_a_share_and_is_marked() -> None:
    question = build_question("categorise")
    given = (("Chang’e-4", LANDERS), ("Chang’e-6", ORBITERS), ("Queqiao", ORBITERS))
    assert score_response(question, question.answer) == 1.0
    assert score_response(question, given) == pytest.approx(2 / 3, abs=1e-4)
    all_wrong = (("Chang’e-4", ORBITERS), ("Chang’e-6", ORBITERS), ("Queqiao", LANDERS))
    assert score_response(question, all_wrong) == 0.0
    marks = answer_marks(question, given, [2, 1, 0])
    assert [(m.text, m.kind) for m in marks] == [
        ("Queqiao", "right"),
        ("Chang’e-6", "wrong"),
        ("Chang’e-4", "right"),
    ]
    assert marks[0].note == "your group “Orbiters”, right"
    assert marks[1].note == "your group “Orbiters”, wrong: it belongs in “Landers”"
    note = credit_note(question, given, 2 / 3)
    assert note is not None and note.startswith("2 of 3 items in their right group:")


def test_the_answer_bars_count_each_item_in_each_group() -> None:
    question = build_question("categorise")
    half = (("Chang’e-4", LANDERS), ("Chang’e-6", ORBITERS), ("Queqiao", ORBITERS))
    bars = answer_bars(question, [(question.answer, 3, True), (half, 1, False)], respondents=4)
    by_label = {bar.label: (bar.count, bar.correct, bar.percent) for bar in bars}
    assert len(bars) == 6  # three items, two groups
    assert by_label["Chang’e-6 → Landers"] == (3, True, 75)
    assert by_label["Chang’e-6 → Orbiters"] == (1, False, 25)
    assert by_label["Queqiao → Orbiters"] == (4, True, 100)
    assert by_label["Queqiao → Landers"] == (0, False, 0)


def _editor(groups: list[str], sorts: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "prompt": "Sort these.",
        "format": "plain",
        "difficulty": "2",
        "groups": [*groups, ""],
        "sorts": [{"item": item, "group": group} for item, group in sorts] + [{"item": "", "group": ""}],
    }


def test_the_editor_takes_a_typed_group_in_any_case_and_spells_it_as_the_group() -> None:
    draft = question_from_form(
        QuestionType.CATEGORISE,
        _editor(["Landers", "Orbiters"], [("Chang’e-4", "landers"), ("Queqiao", "Orbiters")]),
    )
    assert draft.errors == {}
    assert draft.question["groups"] == ["Landers", "Orbiters"]
    assert draft.question["answer"] == [["Chang’e-4", "Landers"], ["Queqiao", "Orbiters"]]


def test_the_editor_puts_its_errors_beside_the_fields() -> None:
    draft = question_from_form(
        QuestionType.CATEGORISE,
        _editor(["Landers"], [("Chang’e-4", "Rovers"), ("", "Landers"), ("Queqiao", "")]),
    )
    assert draft.errors == {
        "groups": ["Write 2 to 4 groups."],
        "sorts-0-group": ["“Rovers” is not one of the groups: type one of them."],
        "sorts-1-item": ["Write the item, or clear this row."],
        "sorts-2-group": ["Write this item's group, or clear this row."],
    }
    same = question_from_form(QuestionType.CATEGORISE, _editor(["Landers", "LANDERS"], []))
    assert same.errors["groups"] == ["Two groups have the same name: make every group different."]


def test_a_group_nobody_is_in_is_shown_beside_the_items() -> None:
    draft = question_from_form(
        QuestionType.CATEGORISE,
        _editor(["Landers", "Orbiters"], [("Chang’e-4", "Landers"), ("Chang’e-6", "Landers")]),
    )
    raw = {**draft.question, "id": "q1"}
    errors = problem_errors(QuestionType.CATEGORISE, validate_question(raw, strict=False))
    assert list(errors) == ["sorts"]
    assert "Orbiters" in errors["sorts"][0]
