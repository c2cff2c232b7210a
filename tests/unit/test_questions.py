"""Question validation: every rule a bank question must follow, with a message that says how to fix it."""

from __future__ import annotations

from typing import Any

import pytest
from factories import ALL_TYPES, make_question, real_article, real_bank

from quizapp.domain.article import parse_article
from quizapp.domain.bank import check_questions
from quizapp.domain.questions import (
    REQUIRED_FIELDS,
    InvalidQuestion,
    question_from_dict,
    question_to_dict,
    validate_question,
)
from quizapp.domain.scoring import score_response


def without(raw: dict[str, Any], field: str) -> dict[str, Any]:
    """`raw` with `field` removed."""
    return {k: v for k, v in raw.items() if k != field}


def problems_of(raw: dict[str, Any]) -> list[str]:
    """Every problem of one raw question checked against the real article, as the text a teacher reads."""
    _, problems = check_questions([raw], real_article(), "bank.yaml")
    return [str(p) for p in problems]


@pytest.mark.parametrize("qtype", ALL_TYPES)
def test_the_factory_makes_a_valid_question_of_every_type(qtype: str) -> None:
    assert validate_question(make_question(qtype)) == []
    assert problems_of(make_question(qtype)) == []


PROBLEMS = [
    ("single_choice", {"type": "calculated"}, "unknown type 'calculated'"),
    ("single_choice", {"prompt": ""}, "'prompt' is empty"),
    ("single_choice", {"explanation": ""}, "'explanation' is empty"),
    ("single_choice", {"topics": []}, "'topics' is empty"),
    ("single_choice", {"topics": "chang-e-6"}, "topics must be a list of words"),
    ("single_choice", {"answer": "Xinhua"}, "answer 'Xinhua' is not among the choices"),
    ("single_choice", {"choices": ["A", "A", "B"], "answer": "A"}, "duplicate choice 'A'"),
    ("single_choice", {"choices": ["A", "B"], "answer": "A"}, "only 2 choices"),
    ("single_choice", {"choices": None}, "choices must be a list of non-empty texts"),
    (
        "single_choice",
        {"choices": ["A", " ", "B"], "answer": "A"},
        "choices must be a list of non-empty texts",
    ),
    ("multiple_choice", {"answer": ["Flag", "Moon"]}, "answer 'Moon' is not among the choices"),
    ("multiple_choice", {"answer": "Flag"}, "answer must be a list of the correct choices"),
    ("multiple_choice", {"answer": ["Flag", "Flag"]}, "the answer lists a choice twice"),
    ("multiple_choice", {"choices": ["Flag", "Probe"]}, "only 2 choices"),
    ("multiple_choice", {"choices": ["Flag", "Probe", "Flag"]}, "duplicate choice 'Flag'"),
    ("true_false", {"answer": "maybe"}, "answer 'maybe' is not true or false"),
    (
        "fill_blank",
        {"prompt": "The event was shared by China Daily."},
        "must contain the blank ___ exactly once",
    ),
    ("fill_blank", {"prompt": "___ shared it on ___."}, "must contain the blank ___ exactly once"),
    ("fill_blank", {"answer": "China Daily"}, "answer must be a list of accepted texts"),
    ("numeric", {"answer": "two hundred"}, "answer 'two hundred' is not a number"),
    ("numeric", {"answer": True}, "answer True is not a number"),
    ("numeric", {"tolerance": "some"}, "tolerance 'some' is not a number"),
    ("numeric", {"tolerance": -1}, "tolerance is negative"),
    ("ordering", {"answer": ["Landing", "Landing", "Flag"]}, "an item appears twice"),
    ("ordering", {"answer": ["Landing", "Flag"]}, "only 2 items to order"),
    ("ordering", {"answer": "Landing, Flag, Event"}, "answer must be the list of items in the right order"),
    (
        "matching",
        {"answer": [["Probe"], ["Outlet", "China Daily"], ["Object", "Flag"]]},
        "[left, right] pairs",
    ),
    ("matching", {"answer": ["Probe", "Outlet", "Object"]}, "[left, right] pairs"),
    (
        "matching",
        {"answer": [["Probe", "A"], ["Probe", "B"], ["Object", "C"]]},
        "a left-hand item appears twice",
    ),
    (
        "matching",
        {"answer": [["Probe", "A"], ["Outlet", "A"], ["Object", "A"]]},
        "every item has the same match",
    ),
    ("matching", {"answer": [["Probe", "A"], ["Outlet", "B"]]}, "only 2 pairs"),
    ("single_choice", {"difficulty": 0}, "difficulty 0 is not 1, 2 or 3"),
    ("single_choice", {"difficulty": 4}, "difficulty 4 is not 1, 2 or 3"),
    ("single_choice", {"difficulty": "hard"}, "difficulty 'hard' is not 1, 2 or 3"),
    ("single_choice", {"source": "The probe landed on Mars."}, "source not found verbatim in the article"),
    ("true_false", {"source": "China Daily shared this significant event."}, "source not found verbatim"),
]


@pytest.mark.parametrize(("qtype", "overrides", "fragment"), PROBLEMS)
def test_each_problem_is_reported_with_the_question_id_and_a_fix(
    qtype: str, overrides: dict[str, Any], fragment: str
) -> None:
    raw = {**make_question(qtype, id="broken-one"), **overrides}
    problems = problems_of(raw)
    assert any(fragment in p for p in problems), problems
    for problem in problems:
        assert problem.startswith("bank.yaml: question 'broken-one': ")
        assert "(fix: " in problem


@pytest.mark.parametrize("field", REQUIRED_FIELDS)
@pytest.mark.parametrize("qtype", ["single_choice", "true_false", "matching"])
def test_each_missing_field_is_named(qtype: str, field: str) -> None:
    problems = problems_of(without(make_question(qtype, id="gap"), field))
    expected_id = "#1" if field == "id" else "gap"
    assert any(f"question '{expected_id}': missing field '{field}'" in p for p in problems), problems
    assert all("(fix: add " in p for p in problems if "missing field" in p)


@pytest.mark.parametrize("value", ["   ", "\n"])
def test_a_prompt_of_blanks_is_empty(value: str) -> None:
    problems = problems_of(make_question("single_choice", prompt=value))
    assert any("'prompt' is empty" in p for p in problems), problems


def test_a_false_answer_is_not_a_missing_answer() -> None:
    assert problems_of(make_question("true_false", answer=False)) == []


def test_a_duplicate_id_is_reported_once_for_the_second_question() -> None:
    questions, problems = check_questions(
        [make_question("single_choice", id="twin"), make_question("true_false", id="twin")], real_article()
    )
    assert [q.type.value for q in questions] == ["single_choice"]
    assert [p.message for p in problems] == ["duplicate id"]
    assert "question 'twin'" in str(problems[0]) and "fix:" in str(problems[0])


def test_a_source_over_three_sentences_is_refused() -> None:
    article = parse_article("Title\nOne is here. Two is here. Three is here.\n")
    raw = make_question("true_false", source="One is here. Two is here. Three is here.")
    _, problems = check_questions([raw], article)
    assert [p.message for p in problems] == ["source spans 3 sentences"]
    assert "quote at most two sentences" in str(problems[0])


def test_a_source_over_two_sentences_is_accepted() -> None:
    source = "proudly displayed a Chinese flag. This significant event was shared by China Daily."
    assert problems_of(make_question("true_false", source=source)) == []


def test_a_straight_apostrophe_source_matches_the_curly_article() -> None:
    source = "Chang'e-4 made history by being the first mission to land softly on the far side of the moon."
    assert problems_of(make_question("true_false", source=source)) == []


def test_an_entry_that_is_not_a_mapping_is_reported() -> None:
    _, problems = check_questions(["just text"], real_article(), "bank.yaml")
    assert "entry 1 is not a question" in str(problems[0])


def test_question_from_dict_refuses_an_invalid_question_listing_every_problem() -> None:
    raw = make_question("single_choice", prompt="", difficulty=9)
    with pytest.raises(InvalidQuestion) as caught:
        question_from_dict(raw)
    messages = [p.message for p in caught.value.problems]
    assert messages == ["'prompt' is empty", "difficulty 9 is not 1, 2 or 3"]


@pytest.mark.parametrize("qtype", ALL_TYPES)
def test_round_trip_through_the_exchange_form(qtype: str) -> None:
    question = question_from_dict(make_question(qtype))
    assert question_from_dict(question_to_dict(question)) == question


def test_round_trip_of_every_question_of_the_real_bank() -> None:
    for question in real_bank().questions:
        assert question_from_dict(question_to_dict(question)) == question


@pytest.mark.parametrize(
    ("qtype", "overrides", "answer", "tolerance"),
    [
        ("numeric", {"answer": 200, "tolerance": 0}, 200, None),
        ("numeric", {"answer": 3.5, "tolerance": 0.5}, 3.5, 0.5),
        ("numeric", {"answer": 200.0, "tolerance": 5.0}, 200, 5),
        ("fill_blank", {"answer": [2019, "two thousand nineteen"]}, ["2019", "two thousand nineteen"], None),
        ("matching", {}, [["Probe", "Chang’e-6"], ["Outlet", "China Daily"], ["Object", "Flag"]], None),
        ("true_false", {"answer": False}, False, None),
    ],
)
def test_the_exchange_form_answer_shape(
    qtype: str, overrides: dict[str, Any], answer: Any, tolerance: Any
) -> None:
    exchanged = question_to_dict(question_from_dict(make_question(qtype, **overrides)))
    assert exchanged["answer"] == answer
    assert exchanged.get("tolerance") == tolerance


def test_matching_items_may_share_a_match_as_in_moodle() -> None:
    """Frog and newt -> amphibian: Moodle allows it, and so does quizapp (each option listed once)."""
    raw = {
        **make_question("matching", id="animals"),
        "answer": [["frog", "amphibian"], ["newt", "amphibian"], ["cat", "mammal"]],
        "extra_options": ["reptile"],
    }
    assert problems_of(raw) == []
    question = question_from_dict(raw)
    assert question.match_options == ("amphibian", "mammal", "reptile")
    given = (("frog", "amphibian"), ("newt", "mammal"), ("cat", "mammal"))
    assert score_response(question, given) == round(2 / 3, 4)
